//! Curated book lists (优选书目) that children's wishes are chosen from.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::params::parse_isbn;
use super::responses::{AuthErrors, BodyErrors, PathErrors};
use crate::app::Bookbridge;
use crate::domain::booklists::{reason, BookList, BookListWithBooks, NewBookList};
use crate::domain::error::DomainError;
use crate::domain::ids::BookListId;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![create, add_book, list, show]
}

/// A new curated list.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct BookListBody {
    /// Its name, up to 100 characters.
    #[schema(
        example = "Grades 1-2, 2026 spring",
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    name: String,
    /// `early`, `primary`, `teen` or `adult`.
    #[schema(example = "primary", pattern = "^(early|primary|teen|adult)?$")]
    age_band: Option<String>,
    /// The grades it suits, each 1-9 (kept as the range from the lowest to the highest).
    #[schema(example = json!([1, 2]), value_type = Option<GradeList>)]
    #[serde(default, deserialize_with = "super::numbers::optional_whole_list")]
    grades: Option<Vec<i64>>,
}

/// Grades, each 1 to 9.
pub(super) struct GradeList;

impl utoipa::PartialSchema for GradeList {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(9)),
            )
            .max_items(Some(9))
            .into()
    }
}

impl utoipa::ToSchema for GradeList {}

/// A book to put on a list.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct BookListBookBody {
    /// ISBN-10 or ISBN-13.
    #[schema(example = "9787535347411")]
    isbn: String,
    /// Why it is on the list, in one line (up to 100 characters).
    #[schema(
        example = "Short chapters, big print: a first chapter book",
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    reason: Option<String>,
}

/// Every curated list.
#[derive(Serialize, ToSchema)]
pub(super) struct BookListList {
    booklists: Vec<BookList>,
}

/// Makes a curated list (coordinators, admins).
#[utoipa::path(post, operation_id = "createBookList", path = "/booklists", tag = "wishes", request_body = BookListBody,
    security(("bearer" = [])),
    responses((status = 201, description = "The new list", body = BookListWithBooks), AuthErrors, BodyErrors))]
#[rocket::post("/booklists", data = "<body>")]
pub(super) async fn create(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<BookListBody>,
) -> Result<(Status, Json<BookListWithBooks>), ApiError> {
    let b = body.0;
    let grades = b.grades.unwrap_or_default();
    let list =
        NewBookList::parse(&b.name, b.age_band.as_deref(), &grades).map_err(DomainError::from)?;
    Ok((
        Status::Created,
        Json(service.create_booklist(&caller.0, list).await?),
    ))
}

/// Puts a book on a list, with a one-line reason (coordinators, admins). A book already on
/// it keeps its place and takes the new reason; a book new to the catalogue is added and its
/// details fetched.
#[utoipa::path(post, operation_id = "addBookListBook", path = "/booklists/{id}/books", tag = "wishes",
    request_body = BookListBookBody, security(("bearer" = [])),
    params(("id" = i64, Path, description = "The list's id")),
    responses((status = 201, description = "The list with its books", body = BookListWithBooks),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/booklists/<id>/books", data = "<body>")]
pub(super) async fn add_book(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: BookListId,
    body: JsonBody<BookListBookBody>,
) -> Result<(Status, Json<BookListWithBooks>), ApiError> {
    let b = body.0;
    let isbn = parse_isbn(&b.isbn)?;
    let reason = reason(b.reason.as_deref()).map_err(DomainError::from)?;
    let list = service
        .add_to_booklist(&caller.0, id, &isbn, reason.as_deref())
        .await?;
    Ok((Status::Created, Json(list)))
}

/// Every curated list, newest first (public).
#[utoipa::path(get, operation_id = "listBookLists", path = "/booklists", tag = "wishes",
    responses((status = 200, description = "The lists", body = BookListList)))]
#[rocket::get("/booklists")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
) -> Result<Json<BookListList>, ApiError> {
    Ok(Json(BookListList {
        booklists: service.booklists().await?,
    }))
}

/// One list with its books (public).
#[utoipa::path(get, operation_id = "getBookList", path = "/booklists/{id}", tag = "wishes",
    params(("id" = i64, Path, description = "The list's id")),
    responses((status = 200, description = "The list with its books", body = BookListWithBooks), PathErrors))]
#[rocket::get("/booklists/<id>")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    id: BookListId,
) -> Result<Json<BookListWithBooks>, ApiError> {
    Ok(Json(service.booklist(id).await?))
}
