//! Catalogue search.

use rocket::serde::json::Json;

use crate::domain::error::DomainError;
use crate::domain::search::SearchQuery;
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![search]
}

#[rocket::get("/search?<q>&<needed>&<lang>&<age>&<limit>&<offset>")]
async fn search(
    service: &rocket::State<Bookbridge>,
    q: Option<&str>,
    needed: Option<&str>,
    lang: Option<&str>,
    age: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<index::SearchResults>, ApiError> {
    let request = SearchQuery {
        text: q,
        needed,
        language: lang,
        age,
        limit,
        offset,
    }
    .check()
    .map_err(DomainError::from)?;
    Ok(Json(service.search(request).await?))
}
