//! A school's shelf: the titles it already has, so that it is not sent them again.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::isbn::Isbn;

/// Most ISBNs put on a shelf in one request (a file's rows are read the same way).
pub const MAX_SHELVED_AT_ONCE: usize = 2_000;

/// How a title came to be on the shelf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShelfSource {
    /// Typed, scanned or sent as a list by the school.
    School,
    /// A donor's parcel the school confirmed.
    Delivered,
}

impl ShelfSource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShelfSource::School => "school",
            ShelfSource::Delivered => "delivered",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<ShelfSource> {
        match s {
            "school" => Some(ShelfSource::School),
            "delivered" => Some(ShelfSource::Delivered),
            _ => None,
        }
    }
}

/// One title on a school's shelf.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShelfBook {
    /// The edition the school has.
    pub isbn: Isbn,
    /// The title, when the catalogue knows it.
    pub title: Option<String>,
    /// The Open Library work it is an edition of, when known.
    pub work: Option<String>,
    /// How it came to be there.
    pub source: ShelfSource,
    /// When.
    pub added_at: DateTime<Utc>,
}
