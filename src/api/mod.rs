//! The JSON API under `/api/v1`: thin routes that parse input into domain types, call the
//! service, and let [`crate::error::ApiError`] say what went wrong.

pub mod auth;
pub mod body;
pub mod client;
pub mod params;

mod accounts;
pub mod admin;
pub mod audit;
mod booklists;
mod books;
mod boxes;
mod examples;
pub mod files;
mod health;
mod imports;
mod notices;
mod numbers;
pub mod openapi;
mod parcels;
mod pledges;
pub mod query;
pub mod responses;
mod schools;
mod search;
mod shelves;
mod vetting;
mod webhooks;
mod wechat;
mod wishes;
mod wishlists;

/// Every API route, to be mounted at `/api/v1`.
pub fn routes() -> Vec<rocket::Route> {
    [
        accounts::routes(),
        admin::routes(),
        vetting::routes(),
        audit::routes(),
        schools::routes(),
        wishlists::routes(),
        shelves::routes(),
        books::routes(),
        pledges::routes(),
        parcels::routes(),
        boxes::routes(),
        health::routes(),
        search::routes(),
        imports::routes(),
        openapi::routes(),
        webhooks::routes(),
        booklists::routes(),
        wishes::routes(),
        wechat::routes(),
        notices::routes(),
    ]
    .concat()
}
