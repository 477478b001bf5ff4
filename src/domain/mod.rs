//! bookbridge's rules: what a school, a wish list and a pledge are, who may do what, and
//! how a pledge is matched and moved. Pure types and functions: no database, no Rocket, no
//! async runtime and no wall clock, so every rule here is unit-tested without them. The use
//! cases in `crate::app` load and save; the store speaks these types.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod audit;
pub mod booklists;
pub mod books;
pub mod boxes;
pub mod child_wishes;
pub mod credentials;
pub mod deadlines;
pub mod error;
pub mod figures;
pub mod ids;
pub mod import;
pub mod isbn;
pub mod language;
pub mod matching;
pub mod metadata;
pub mod model;
pub mod notices;
pub mod parcels;
pub mod pledge_status;
pub mod pledges;
pub mod provinces;
pub mod quantity;
pub mod role;
pub mod schools;
pub mod search;
pub mod shelves;
pub mod text;
pub mod typed;
pub mod uploads;
pub mod vetting;
pub mod webhooks;
pub mod wechat;
pub mod wishlists;
pub mod workbook;
