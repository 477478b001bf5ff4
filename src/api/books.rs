//! The catalogue.

use rocket::serde::json::Json;

use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors, PathErrors};
use crate::app::Bookbridge;
use crate::domain::books::{BookDetails, BookFields, BookWithNeeds};
use crate::domain::error::DomainError;
use crate::domain::isbn::{InvalidIsbn, Isbn};
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![show, edit]
}

/// Corrections to a book's record; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EditBody {
    /// Title.
    title: Option<String>,
    /// Subtitle.
    subtitle: Option<String>,
    /// Authors, comma-separated.
    authors: Option<String>,
    /// Publisher.
    publisher: Option<String>,
    /// Year first published.
    #[serde(default, deserialize_with = "super::numbers::optional_whole")]
    publication_year: Option<i64>,
    /// Language code (`en`, `zh`, ...).
    language: Option<String>,
    /// Pages.
    #[serde(default, deserialize_with = "super::numbers::optional_whole")]
    page_count: Option<i64>,
    /// Subjects, separated by "; ".
    subjects: Option<String>,
    /// `early` (0-5), `primary` (6-11), `teen` (12-17) or `adult`.
    age_band: Option<String>,
    /// Description.
    description: Option<String>,
    /// Cover image: an http or https URL.
    cover_url: Option<String>,
    /// The work it is an edition of (Open Library's key, or the catalogue's own `BB…W` for a
    /// work Open Library lacks), so other editions count for the same wish.
    #[schema(example = "OL45804W", pattern = "^(/works/)?(OL|BB)[0-9]{1,12}W$")]
    work: Option<String>,
}

/// Corrects a book's metadata by hand (volunteers, admins). The record becomes `manual` and
/// is never overwritten by a fetch.
#[utoipa::path(patch, operation_id = "editBook", path = "/books/{isbn}", tag = "books", request_body = EditBody,
    security(("bearer" = [])),
    params(("isbn" = String, Path, description = "ISBN-10 or ISBN-13, hyphens allowed")),
    responses((status = 200, description = "The corrected book", body = BookWithNeeds),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::patch("/books/<isbn>", data = "<body>")]
pub(super) async fn edit(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    isbn: Result<Isbn, InvalidIsbn>,
    body: JsonBody<EditBody>,
) -> Result<Json<BookWithNeeds>, ApiError> {
    let isbn = isbn.map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
    let b = body.0;
    let details = BookDetails::checked(&BookFields {
        title: b.title,
        subtitle: b.subtitle,
        authors: b.authors,
        publisher: b.publisher,
        publication_year: b.publication_year.map(|y| y.to_string()),
        language: b.language,
        page_count: b.page_count.map(|n| n.to_string()),
        subjects: b.subjects,
        age_band: b.age_band,
        description: b.description,
        cover_url: b.cover_url,
        work: b.work,
    })
    .map_err(DomainError::from)?;
    Ok(Json(service.edit_book(&caller.0, &isbn, details).await?))
}

/// A catalogue record with the copies schools still need and which schools need them.
#[utoipa::path(get, operation_id = "getBook", path = "/books/{isbn}", tag = "books",
    params(("isbn" = String, Path, description = "ISBN-10 or ISBN-13, hyphens allowed")),
    responses((status = 200, description = "The book", body = BookWithNeeds), PathErrors))]
#[rocket::get("/books/<isbn>")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    isbn: Result<Isbn, InvalidIsbn>,
) -> Result<Json<BookWithNeeds>, ApiError> {
    let isbn = isbn.map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
    Ok(Json(service.book(&isbn).await?))
}
