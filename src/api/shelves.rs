//! A school's shelf: the titles it already has.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors, PathErrors};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::ids::SchoolId;
use crate::domain::isbn::Isbn;
use crate::domain::shelves::ShelfBook;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![show, add]
}

/// Titles a school already has.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ShelveBody {
    /// ISBN-10 or ISBN-13 each, 1 to 2,000 of them; those already on the shelf are skipped.
    #[schema(example = json!(["9787020002207", "978-7-5353-4741-1"]), min_items = 1, max_items = 2000)]
    isbns: Vec<String>,
}

/// A school's shelf.
#[derive(Serialize, ToSchema)]
pub(super) struct Shelf {
    school_id: SchoolId,
    books: Vec<ShelfBook>,
}

/// What putting titles on the shelf did.
#[derive(Serialize, ToSchema)]
pub(super) struct Shelved {
    /// Titles new on the shelf.
    #[schema(example = 2)]
    added: u64,
    /// The shelf now.
    shelf: Shelf,
}

/// The titles a school already has (typed, scanned or sent as a list by the school, and
/// every parcel it confirmed), most recent first.
#[utoipa::path(get, operation_id = "getShelf", path = "/schools/{school}/shelf", tag = "schools",
    params(("school" = i64, Path, description = "The school's id")),
    responses((status = 200, description = "The shelf", body = Shelf), PathErrors))]
#[rocket::get("/schools/<school>/shelf")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    school: SchoolId,
) -> Result<Json<Shelf>, ApiError> {
    let books = service.shelf(school).await?;
    Ok(Json(Shelf {
        school_id: school,
        books,
    }))
}

/// Puts titles on the school's shelf (its own account only). A title on the shelf, in any
/// edition of its work, is refused on the wish list with 409 `already_on_shelf` unless the
/// request says another copy is wanted.
#[utoipa::path(post, operation_id = "addToShelf", path = "/schools/{school}/shelf", tag = "schools", request_body = ShelveBody,
    security(("bearer" = [])),
    params(("school" = i64, Path, description = "The school's id")),
    responses((status = 201, description = "The shelf with the titles added", body = Shelved),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/schools/<school>/shelf", data = "<body>")]
pub(super) async fn add(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    body: JsonBody<ShelveBody>,
) -> Result<(Status, Json<Shelved>), ApiError> {
    let isbns = body
        .0
        .isbns
        .iter()
        .map(|raw| Isbn::parse(raw).map_err(|e| DomainError::InvalidIsbn(e, "isbns")))
        .collect::<Result<Vec<Isbn>, DomainError>>()?;
    let added = service.shelve(&caller.0, school, &isbns).await?;
    let books = service.shelf(school).await?;
    Ok((
        Status::Created,
        Json(Shelved {
            added,
            shelf: Shelf {
                school_id: school,
                books,
            },
        }),
    ))
}
