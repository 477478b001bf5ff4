//! A school's wish list.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::params::{parse_isbn, parse_quantity};
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::ids::{SchoolId, WishlistItemId};
use crate::domain::model::{ItemStatus, WishlistItem};
use crate::domain::text;
use crate::domain::wishlists::WishTerms;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![add, list, change, close]
}

/// Copies of a book a school asks for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WishBody {
    /// ISBN-10 or ISBN-13, with or without hyphens or spaces.
    #[schema(example = "978-0-06-077585-8")]
    isbn: String,
    /// Copies, 1 to 10,000.
    #[schema(example = 5, minimum = 1, maximum = 10_000)]
    #[serde(deserialize_with = "super::numbers::whole")]
    quantity: i64,
    /// What it is for, up to 500 characters.
    #[schema(
        example = "Grade 1 reading corner",
        max_length = 500,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    note: Option<String>,
    /// Asks for the book although the school has it (or another edition of its work) on its
    /// shelf: without it such a request is refused with 409 `already_on_shelf`.
    #[serde(default)]
    #[schema(example = false)]
    again: bool,
    /// Whether any edition of the book's work will do (another printing, a paperback): a new
    /// item takes any unless this is false; absent, an item already on the list keeps its
    /// choice.
    #[schema(example = true)]
    any_edition: Option<bool>,
}

/// A new requested quantity.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct QuantityBody {
    /// Copies, 1 to 10,000, and never below the copies already committed.
    #[schema(example = 8, minimum = 1, maximum = 10_000)]
    #[serde(deserialize_with = "super::numbers::whole")]
    quantity: i64,
}

/// A school's wish list.
#[derive(Serialize, ToSchema)]
pub(super) struct Wishlist {
    school_id: SchoolId,
    items: Vec<WishlistItem>,
}

/// Asks for copies of a book. An ISBN already open on the list adds to that item; an ISBN
/// the catalogue lacks is stored at once and its metadata fetched in the background. A title
/// on the school's shelf is refused with 409 `already_on_shelf` (naming the edition there)
/// unless `again` is true.
#[utoipa::path(post, operation_id = "addWish", path = "/schools/{school}/wishlist", tag = "schools", request_body = WishBody,
    security(("bearer" = [])),
    params(("school" = i64, Path, description = "The school's id")),
    responses((status = 201, description = "The item, new or added to", body = WishlistItem),
        (status = 409, description = "`already_on_shelf` (with `on_shelf`, the edition the school has): ask with `again`", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/schools/<school>/wishlist", data = "<body>")]
pub(super) async fn add(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    body: JsonBody<WishBody>,
) -> Result<(Status, Json<WishlistItem>), ApiError> {
    let b = body.0;
    let isbn = parse_isbn(&b.isbn)?;
    let quantity = parse_quantity(b.quantity)?;
    let note = text::optional("note", b.note.as_deref(), 500).map_err(DomainError::from)?;
    let item = service
        .add_wish(
            &caller.0,
            school,
            &isbn,
            quantity,
            note.as_deref(),
            WishTerms {
                again: b.again,
                any_edition: b.any_edition,
            },
        )
        .await?;
    Ok((Status::Created, Json(item)))
}

/// A school's wish list with each item's progress.
#[utoipa::path(get, operation_id = "getWishlist", path = "/schools/{school}/wishlist", tag = "schools",
    params(("school" = i64, Path, description = "The school's id"),
        ("status" = Option<String>, Query, pattern = "^(open|closed|all)$", description = "`open` (default), `closed` or `all`")),
    responses((status = 200, description = "The wish list", body = Wishlist), PathErrors))]
#[rocket::get("/schools/<school>/wishlist?<status>")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    school: SchoolId,
    status: Option<&str>,
) -> Result<Json<Wishlist>, ApiError> {
    let status = match status {
        None => Some(ItemStatus::Open),
        Some("all") => None,
        Some(raw) => Some(ItemStatus::parse(raw).ok_or_else(|| {
            ApiError::invalid("status", "`status` must be `open`, `closed` or `all`")
        })?),
    };
    let items = service.wishlist(school, status).await?;
    Ok(Json(Wishlist {
        school_id: school,
        items,
    }))
}

/// Changes how many copies an item asks for.
#[utoipa::path(patch, operation_id = "changeWish", path = "/wishlist/{item}", tag = "schools", request_body = QuantityBody,
    security(("bearer" = [])),
    params(("item" = i64, Path, description = "The wish-list item's id")),
    responses((status = 200, description = "The item", body = WishlistItem),
        (status = 409, description = "`quantity_below_committed` (with `committed`), or \
            `wishlist_item_closed`", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::patch("/wishlist/<item>", data = "<body>")]
pub(super) async fn change(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    item: WishlistItemId,
    body: JsonBody<QuantityBody>,
) -> Result<Json<WishlistItem>, ApiError> {
    let quantity = parse_quantity(body.0.quantity)?;
    Ok(Json(
        service.set_requested(&caller.0, item, quantity).await?,
    ))
}

/// Closes an item: no new pledges; existing pledges carry on.
#[utoipa::path(delete, operation_id = "closeWish", path = "/wishlist/{item}", tag = "schools", security(("bearer" = [])),
    params(("item" = i64, Path, description = "The wish-list item's id")),
    responses((status = 200, description = "The closed item", body = WishlistItem),
        AuthErrors, PathErrors))]
#[rocket::delete("/wishlist/<item>")]
pub(super) async fn close(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    item: WishlistItemId,
) -> Result<Json<WishlistItem>, ApiError> {
    Ok(Json(service.close_item(&caller.0, item).await?))
}
