//! Catalogue search.

use rocket::serde::json::Json;

use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::search::SearchQuery;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![search]
}

/// Searches the catalogue by title, author, subject or ISBN, books schools need first.
/// Every word must match; typos are forgiven only when that finds nothing. A query that is
/// an ISBN returns exactly that book.
#[utoipa::path(get, operation_id = "searchBooks", path = "/search", tag = "books",
    params(("q" = Option<String>, Query, description = "Words or an ISBN; empty lists books by need"),
        ("needed" = Option<bool>, Query, description = "Only books schools still need"),
        ("lang" = Option<String>, Query, description = "Language: `en`, `zh`, `eng`, `en-US`, ..."),
        ("age" = Option<String>, Query, pattern = "^(early|primary|teen|adult)?$", description = "Age band: `early` (0-5), `primary` (6-11), `teen` (12-17) or `adult`"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "Hits per page (default 20)"),
        ("offset" = Option<u32>, Query, minimum = 0, maximum = 10_000, description = "Hits to skip")),
    responses((status = 200, description = "A page of hits with facets over all matches", body = index::SearchResults),
        super::responses::QueryErrors))]
#[rocket::get("/search?<q>&<needed>&<lang>&<age>&<limit>&<offset>")]
pub(super) async fn search(
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
