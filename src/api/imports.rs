//! Bulk imports and CSV exports.

use rocket::serde::json::Json;

use super::auth::Caller;
use super::files::{csv_bytes, BookListFile, CsvFile, FileBody};
use super::responses::{AuthErrors, ErrorBody, PathErrors, QueryErrors};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::ids::SchoolId;
use crate::domain::import::{ImportReport, ListMode};
use crate::domain::model::ItemStatus;
use crate::error::ApiError;

/// A file's text: not empty, not only white space (an empty file is refused, 422 `file`).
pub(super) struct FileText;

impl utoipa::PartialSchema for FileText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .pattern(Some("\\S"))
            .into()
    }
}

impl utoipa::ToSchema for FileText {}

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        import_books,
        import_wishlist,
        import_shelf,
        export_wishlist,
        export_pledges
    ]
}

/// Imports a catalogue (admins): CSV with a header row, or JSON lines. Rows are upserted by
/// ISBN; bad rows are reported by line and the good ones kept.
#[utoipa::path(post, operation_id = "importBooks", path = "/books/import", tag = "files", security(("bearer" = [])),
    request_body(content((FileText = "text/csv"), (FileText = "application/x-ndjson")),
        description = "Columns (any order and case): `isbn` (or `isbn13`/`isbn10`), `title`, `subtitle`, \
            `authors`, `publisher`, `year`, `language`, `page_count`, `subjects`, `age_band`, \
            `description`, `cover_url`"),
    responses((status = 200, description = "What was imported and what was refused", body = ImportReport),
        (status = 413, description = "Larger than `limits.file` (`body_too_large`)", body = ErrorBody),
        (status = 422, description = "Not a catalogue file at all", body = ErrorBody),
        AuthErrors))]
#[rocket::post("/books/import", data = "<file>")]
pub(super) async fn import_books(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    file: FileBody,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(service.import_catalogue(&caller.0, file.0).await?))
}

/// Imports a wish list from CSV `isbn,quantity[,note]` (header optional; UTF-8 or GBK) or an
/// Excel workbook (.xlsx, first sheet, same columns); duplicates add up. `mode=add` (the
/// default) adds the file's copies to what the list asks for; `mode=set` makes the file say
/// how many (uploading it twice changes nothing; never fewer than donors promised). At most 4 MB and
/// 10,000 rows; a workbook at most 26 columns and 32 MB unzipped: a file past a cap is
/// refused whole (`file_over_limit`, with the cap as `limit`). Needs an approved account
/// (`account_pending`) and a verified school (`school_not_verified`).
#[utoipa::path(post, operation_id = "importWishlist", path = "/schools/{school}/wishlist/import", tag = "files", security(("bearer" = [])),
    params(("school" = i64, Path, description = "The school's id"),
        ("mode" = Option<String>, Query, pattern = "^(add|set)$",
            description = "`add` (default): the file's copies are added to the list's; `set`: the file's copies are the list's")),
    request_body(content((FileText = "text/csv")), description = "`isbn,quantity[,note]` per line"),
    responses((status = 200, description = "What was imported and what was refused", body = ImportReport),
        (status = 409, description = "The school is not verified yet (`school_not_verified`)", body = ErrorBody),
        (status = 413, description = "Larger than 4 MB (`body_too_large`, with `limit`)", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/schools/<school>/wishlist/import?<mode>", data = "<file>")]
pub(super) async fn import_wishlist(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    mode: Option<&str>,
    file: BookListFile,
) -> Result<Json<ImportReport>, ApiError> {
    let mode = match mode {
        None => ListMode::Add,
        Some(mode) => ListMode::parse(mode)
            .ok_or_else(|| ApiError::invalid("mode", "`mode` must be `add` or `set`"))?,
    };
    Ok(Json(
        service
            .import_wishlist(&caller.0, school, &file.0, mode)
            .await?,
    ))
}

/// Puts the titles a file names on the school's shelf (its managers): one ISBN a row, in the
/// first column, read as book lists are (CSV in UTF-8 or GBK, or an Excel workbook; a header
/// row is skipped; other columns, such as how many copies, are ignored), in one transaction.
/// `imported` counts the distinct ISBNs read, `added` those new on the shelf, `unchanged`
/// those it had; a bad ISBN is a refused row. The same caps as a book list.
#[utoipa::path(post, operation_id = "importShelf", path = "/schools/{school}/shelf/import", tag = "files", security(("bearer" = [])),
    params(("school" = i64, Path, description = "The school's id")),
    request_body(content((FileText = "text/csv")), description = "`isbn[,…]` per line"),
    responses((status = 200, description = "What was shelved and what was refused", body = ImportReport),
        (status = 413, description = "Larger than 4 MB (`body_too_large`, with `limit`)", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/schools/<school>/shelf/import", data = "<file>")]
pub(super) async fn import_shelf(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    file: BookListFile,
) -> Result<Json<ImportReport>, ApiError> {
    Ok(Json(
        service.import_shelf(&caller.0, school, &file.0).await?,
    ))
}

/// A school's whole wish list as a spreadsheet.
#[utoipa::path(get, operation_id = "exportWishlist", path = "/schools/{school}/wishlist.csv", tag = "files",
    params(("school" = i64, Path, description = "The school's id")),
    responses((status = 200, description = "`isbn,title,requested,pledged,shipped,delivered,outstanding,note,status`",
        content_type = "text/csv", body = String), PathErrors))]
#[rocket::get("/schools/<school>/wishlist.csv")]
pub(super) async fn export_wishlist(
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

/// Every pledge with its destination, for packing lists (volunteers, admins).
#[utoipa::path(get, operation_id = "exportPledges", path = "/pledges.csv", tag = "files", security(("bearer" = [])),
    params(("status" = Option<crate::domain::pledge_status::PledgeStatus>, Query, description = "Only pledges in this status")),
    responses((status = 200, description = "One row per pledge, with the school's address", content_type = "text/csv", body = String),
        AuthErrors, QueryErrors))]
#[rocket::get("/pledges.csv?<status>")]
pub(super) async fn export_pledges(
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
        // The one address rule decides; staff may always see it, so these are never blank.
        let (name, address, phone) = l
            .ship_to
            .map(|s| (s.name, s.address, s.contact_phone))
            .unwrap_or_default();
        vec![
            l.pledge.id.to_string(),
            l.pledge.created_at.to_rfc3339(),
            l.pledge.status.as_str().to_owned(),
            l.pledge.isbn.to_string(),
            l.title.unwrap_or_default(),
            l.pledge.quantity.to_string(),
            l.pledge.school_id.to_string(),
            name,
            address,
            phone,
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
