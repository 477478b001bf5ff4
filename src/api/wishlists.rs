//! A school's wish list.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::body::JsonBody;
use crate::domain::error::DomainError;
use crate::domain::ids::{SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{ItemStatus, WishlistItem};
use crate::domain::quantity::Quantity;
use crate::domain::text;
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![add, list, change, close]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WishBody {
    isbn: String,
    quantity: i64,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuantityBody {
    quantity: i64,
}

#[derive(Serialize)]
struct Wishlist {
    school_id: SchoolId,
    items: Vec<WishlistItem>,
}

pub(super) fn parse_isbn(raw: &str) -> Result<Isbn, DomainError> {
    Isbn::parse(raw).map_err(|e| DomainError::InvalidIsbn(e, "isbn"))
}

pub(super) fn parse_quantity(raw: i64) -> Result<Quantity, DomainError> {
    Quantity::new(raw)
        .map_err(|e| crate::domain::error::Invalid::new("quantity", e.to_string()).into())
}

#[rocket::post("/schools/<school>/wishlist", data = "<body>")]
async fn add(
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
        .add_wish(&caller.0, school, &isbn, quantity, note.as_deref())
        .await?;
    Ok((Status::Created, Json(item)))
}

#[rocket::get("/schools/<school>/wishlist?<status>")]
async fn list(
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

#[rocket::patch("/wishlist/<item>", data = "<body>")]
async fn change(
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

#[rocket::delete("/wishlist/<item>")]
async fn close(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    item: WishlistItemId,
) -> Result<Json<WishlistItem>, ApiError> {
    Ok(Json(service.close_item(&caller.0, item).await?))
}
