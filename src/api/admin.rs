//! The admin console's figures, as JSON and as a spreadsheet.

use rocket::serde::json::Json;

use super::auth::Caller;
use super::files::{csv_bytes, CsvFile};
use super::responses::AuthErrors;
use crate::app::Bookbridge;
use crate::domain::figures::{Figure, Figures};
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![figures, figures_csv]
}

/// Copies requested, pledged, shipped and delivered, by month (China time) and by province,
/// with totals (admins).
#[utoipa::path(get, operation_id = "getFigures", path = "/admin/figures", tag = "meta", security(("bearer" = [])),
    responses((status = 200, description = "The figures", body = Figures), AuthErrors))]
#[rocket::get("/admin/figures")]
pub(super) async fn figures(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Json<Figures>, ApiError> {
    Ok(Json(service.figures(&caller.0).await?))
}

/// The same figures as a spreadsheet: one row per month, then one per province (admins).
#[utoipa::path(get, operation_id = "exportFigures", path = "/admin/figures.csv", tag = "files", security(("bearer" = [])),
    responses((status = 200, description = "`by,key,requested,pledged,shipped,delivered`", content_type = "text/csv", body = String),
        AuthErrors))]
#[rocket::get("/admin/figures.csv")]
pub(super) async fn figures_csv(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<CsvFile, ApiError> {
    let figures = service.figures(&caller.0).await?;
    Ok(CsvFile {
        name: "figures.csv".into(),
        body: as_csv(&figures)?,
    })
}

/// The figures as CSV rows (for this route and the console page alike).
pub fn as_csv(figures: &Figures) -> Result<Vec<u8>, ApiError> {
    let rows = [
        ("month", &figures.by_month),
        ("province", &figures.by_province),
    ]
    .into_iter()
    .flat_map(|(by, table)| {
        table.iter().map(move |(key, copies)| {
            let mut row = vec![by.to_owned(), key.clone()];
            row.extend(Figure::ALL.map(|f| copies.get(f).to_string()));
            row
        })
    });
    csv_bytes(
        &["by", "key", "requested", "pledged", "shipped", "delivered"],
        rows,
    )
}
