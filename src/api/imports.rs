//! Bulk imports and CSV exports.

use rocket::serde::json::Json;

use super::auth::Caller;
use super::files::{csv_bytes, CsvFile, FileBody};
use crate::domain::error::DomainError;
use crate::domain::ids::SchoolId;
use crate::domain::import::ImportReport;
use crate::domain::model::ItemStatus;
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        import_books,
        import_wishlist,
        export_wishlist,
        export_pledges
    ]
}

#[rocket::post("/books/import", data = "<file>")]
async fn import_books(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    file: FileBody,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(service.import_catalogue(&caller.0, file.0).await?))
}

#[rocket::post("/schools/<school>/wishlist/import", data = "<file>")]
async fn import_wishlist(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    file: FileBody,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(
        service.import_wishlist(&caller.0, school, &file.0).await?,
    ))
}

#[rocket::get("/schools/<school>/wishlist.csv")]
async fn export_wishlist(
    service: &rocket::State<Bookbridge>,
    school: SchoolId,
) -> Result<CsvFile, ApiError> {
    let items = service.wishlist(school, None).await?;
    let rows = items.into_iter().map(|i| {
        vec![
            i.isbn.to_string(),
            i.title.unwrap_or_default(),
            i.requested.to_string(),
            i.pledged.to_string(),
            i.shipped.to_string(),
            i.delivered.to_string(),
            i.outstanding.to_string(),
            i.note.unwrap_or_default(),
            if i.status == ItemStatus::Open {
                "open"
            } else {
                "closed"
            }
            .to_owned(),
        ]
    });
    let body = csv_bytes(
        &[
            "isbn",
            "title",
            "requested",
            "pledged",
            "shipped",
            "delivered",
            "outstanding",
            "note",
            "status",
        ],
        rows,
    )?;
    Ok(CsvFile {
        name: format!("wishlist-school-{school}.csv"),
        body,
    })
}

#[rocket::get("/pledges.csv?<status>")]
async fn export_pledges(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    status: Option<&str>,
) -> Result<CsvFile, ApiError> {
    let status = status
        .map(|s| {
            s.parse().map_err(|_| {
                DomainError::from(crate::domain::error::Invalid::new(
                    "status",
                    "`status` must be one of pledged, shipped, delivered, cancelled, lost, returned",
                ))
            })
        })
        .transpose()?;
    let lines = service.pledge_sheet(&caller.0, status).await?;
    let rows = lines.into_iter().map(|l| {
        vec![
            l.pledge.id.to_string(),
            l.pledge.created_at.to_rfc3339(),
            l.pledge.status.as_str().to_owned(),
            l.pledge.isbn.to_string(),
            l.title.unwrap_or_default(),
            l.pledge.quantity.to_string(),
            l.ship_to.school_id.to_string(),
            l.ship_to.name,
            l.ship_to.address,
            l.ship_to.contact_phone,
            l.pledge.donor_id.to_string(),
            l.pledge.carrier.unwrap_or_default(),
            l.pledge.tracking_number.unwrap_or_default(),
        ]
    });
    let body = csv_bytes(
        &[
            "pledge_id",
            "created_at",
            "status",
            "isbn",
            "title",
            "quantity",
            "school_id",
            "school_name",
            "address",
            "contact_phone",
            "donor_id",
            "carrier",
            "tracking_number",
        ],
        rows,
    )?;
    Ok(CsvFile {
        name: "pledges.csv".into(),
        body,
    })
}
