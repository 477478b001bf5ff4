//! The audit log, for admins: as JSON pages and as one spreadsheet.

use rocket::serde::json::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::files::{csv_bytes, CsvFile};
use super::query;
use super::responses::{AuthErrors, QueryErrors};
use crate::app::Bookbridge;
use crate::domain::audit::AuditRecord;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![list, export]
}

/// Most rows one spreadsheet holds.
const CSV_ROWS: u64 = 100_000;

/// A page of the audit log.
#[derive(Serialize, ToSchema)]
pub(super) struct AuditPage {
    /// Newest first.
    entries: Vec<AuditRecord>,
}

/// Who did what to which record, when and from where; newest first (admins).
#[utoipa::path(get, operation_id = "listAuditLog", path = "/audit", tag = "accounts", security(("bearer" = [])),
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)"),
        ("offset" = Option<u64>, Query, description = "Entries to skip (default 0)")),
    responses((status = 200, description = "The entries", body = AuditPage), AuthErrors, QueryErrors))]
#[rocket::get("/audit?<limit>&<offset>")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<AuditPage>, ApiError> {
    let (limit, offset) = query::page(limit, offset)?;
    let entries = service.audit_log(&caller.0, limit, offset).await?;
    Ok(Json(AuditPage { entries }))
}

/// The audit log as a spreadsheet, newest first (admins).
#[utoipa::path(get, operation_id = "exportAuditLog", path = "/audit.csv", tag = "files", security(("bearer" = [])),
    responses((status = 200, description = "One row per entry", content_type = "text/csv", body = String),
        AuthErrors))]
#[rocket::get("/audit.csv")]
pub(super) async fn export(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<CsvFile, ApiError> {
    let entries = service.audit_log(&caller.0, CSV_ROWS, 0).await?;
    let body = as_csv(entries)?;
    Ok(CsvFile {
        name: "audit.csv".into(),
        body,
    })
}

/// The log as a spreadsheet (for this route and the admin page alike).
pub fn as_csv(entries: Vec<AuditRecord>) -> Result<Vec<u8>, ApiError> {
    let rows = entries.into_iter().map(|e| {
        vec![
            e.id.to_string(),
            e.at.to_rfc3339(),
            e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            e.action,
            e.subject,
            e.detail.unwrap_or_default(),
            e.client.unwrap_or_default(),
            // Added after `client`, so columns read by position keep their place.
            e.actor_name.unwrap_or_default(),
        ]
    });
    csv_bytes(
        &[
            "id",
            "at",
            "actor_id",
            "action",
            "subject",
            "detail",
            "client",
            "actor_name",
        ],
        rows,
    )
}
