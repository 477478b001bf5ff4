//! The catalogue.

use rocket::serde::json::Json;

use crate::domain::books::BookWithNeeds;
use crate::domain::error::DomainError;
use crate::domain::isbn::{InvalidIsbn, Isbn};
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![show]
}

#[rocket::get("/books/<isbn>")]
async fn show(
    service: &rocket::State<Bookbridge>,
    isbn: Result<Isbn, InvalidIsbn>,
) -> Result<Json<BookWithNeeds>, ApiError> {
    let isbn = isbn.map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
    Ok(Json(service.book(&isbn).await?))
}
