//! The catalogue.

use rocket::serde::json::Json;

use serde::Deserialize;

use super::auth::Caller;
use super::body::JsonBody;
use crate::domain::books::{BookDetails, BookWithNeeds};
use crate::domain::error::DomainError;
use crate::domain::isbn::{InvalidIsbn, Isbn};
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![show, edit]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditBody {
    title: Option<String>,
    subtitle: Option<String>,
    authors: Option<String>,
    publisher: Option<String>,
    publication_year: Option<i64>,
    language: Option<String>,
    page_count: Option<i64>,
    subjects: Option<String>,
    age_band: Option<String>,
    description: Option<String>,
    cover_url: Option<String>,
}

#[rocket::patch("/books/<isbn>", data = "<body>")]
async fn edit(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    isbn: Result<Isbn, InvalidIsbn>,
    body: JsonBody<EditBody>,
) -> Result<Json<BookWithNeeds>, ApiError> {
    let isbn = isbn.map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
    let b = body.0;
    let details = BookDetails::checked(
        b.title.as_deref(),
        b.subtitle.as_deref(),
        b.authors.as_deref(),
        b.publisher.as_deref(),
        b.publication_year,
        b.language.as_deref(),
        b.page_count,
        b.subjects.as_deref(),
        b.age_band.as_deref(),
        b.description.as_deref(),
        b.cover_url.as_deref(),
    )
    .map_err(DomainError::from)?;
    Ok(Json(service.edit_book(&caller.0, &isbn, details).await?))
}

#[rocket::get("/books/<isbn>")]
async fn show(
    service: &rocket::State<Bookbridge>,
    isbn: Result<Isbn, InvalidIsbn>,
) -> Result<Json<BookWithNeeds>, ApiError> {
    let isbn = isbn.map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
    Ok(Json(service.book(&isbn).await?))
}
