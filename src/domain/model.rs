//! The records bookbridge keeps, as the rest of the service sees them.
//! Field names here are the JSON API's contract.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ids::{AccountId, PledgeId, SchoolId, WishlistItemId};
use super::isbn::Isbn;
use super::pledge_status::PledgeStatus;
use super::role::Role;
use super::vetting::AccountStatus;

pub use super::actor::Actor;

/// An account, without its secrets.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// School, donor, volunteer or admin.
    pub role: Role,
    /// Display name.
    pub name: String,
    /// Login email, lower-cased.
    pub email: String,
    /// `pending` (waiting to be vetted), `active` or `suspended`.
    pub status: AccountStatus,
    /// Whether this volunteer is a coordinator (vets accounts and schools).
    pub coordinator: bool,
    /// The school this account manages, for school accounts that have created one.
    pub school_id: Option<SchoolId>,
    /// When it registered.
    pub created_at: DateTime<Utc>,
    /// The language notices and emails are written in.
    pub language: super::language::Language,
    /// Whether notices also go by email (they always show on the person's own page).
    pub email_notices: bool,
}

/// A school with every field, including the private ones.
#[derive(Debug, Clone, Serialize)]
pub struct School {
    /// Its id.
    pub id: SchoolId,
    /// The school account that manages it.
    pub owner_account_id: AccountId,
    /// Name.
    pub name: String,
    /// Province.
    pub province: String,
    /// County.
    pub county: String,
    /// Postal address (private).
    pub address: String,
    /// Contact phone (private).
    pub contact_phone: String,
    /// Number of students, at least 1.
    pub student_count: u32,
    /// Copies still needed across its open wish-list items.
    pub books_needed: u64,
    /// Whether a coordinator or admin checked its school identification code; only verified
    /// schools receive pledges and count in search by need.
    pub verified: bool,
    /// Its national school identification code, when given.
    pub school_code: Option<String>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
}

/// A school as anyone may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchoolSummary {
    /// Its id.
    pub id: SchoolId,
    /// Name.
    pub name: String,
    /// Province.
    pub province: String,
    /// County.
    pub county: String,
    /// Number of students.
    pub student_count: u32,
    /// Copies still needed across its open wish-list items.
    pub books_needed: u64,
    /// Whether it has been verified (only verified schools receive pledges).
    pub verified: bool,
}

/// Whether a wish-list item still accepts pledges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Accepting pledges.
    Open,
    /// Closed by the school; existing pledges carry on.
    Closed,
}

impl ItemStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::Closed => "closed",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ItemStatus::Open),
            "closed" => Some(ItemStatus::Closed),
            _ => None,
        }
    }
}

/// One line of a school's wish list with its progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WishlistItem {
    /// Its id.
    pub id: WishlistItemId,
    /// The school asking.
    pub school_id: SchoolId,
    /// The book.
    pub isbn: Isbn,
    /// The title, when the catalogue knows it.
    pub title: Option<String>,
    /// Copies asked for.
    pub requested: u32,
    /// Copies in pledges not yet shipped.
    pub pledged: u32,
    /// Copies on their way.
    pub shipped: u32,
    /// Copies that arrived.
    pub delivered: u32,
    /// pledged + shipped + delivered: copies counted against the request.
    pub committed: u32,
    /// Copies still needed (0 once closed).
    pub outstanding: u32,
    /// The school's note, e.g. which class it is for.
    pub note: Option<String>,
    /// Whether any edition of the book's work will do (another printing, a paperback), or
    /// only this ISBN.
    pub any_edition: bool,
    /// Open or closed.
    pub status: ItemStatus,
    /// When it was first asked for.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// What the catalogue knows of a book.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Book {
    /// ISBN-13.
    pub isbn: Isbn,
    /// ISBN-10, for books that have one.
    pub isbn10: Option<String>,
    /// Title, once known.
    pub title: Option<String>,
    /// Authors, comma-separated as published.
    pub authors: Option<String>,
    /// Year of first publication.
    pub publication_year: Option<i32>,
    /// Language code as catalogued.
    pub language: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Number of pages.
    pub page_count: Option<i32>,
    /// Subjects and tags, separated by "; ".
    pub subjects: Option<String>,
    /// `early` (0-5), `primary` (6-11), `teen` (12-17) or `adult`, when known.
    pub age_band: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Cover image URL.
    pub cover_url: Option<String>,
    /// The Open Library work it is an edition of (`OL45804W`), when known.
    pub work: Option<String>,
    /// Where its metadata stands.
    pub metadata: MetadataState,
}

/// Where a book's metadata came from, or why it is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetadataStatus {
    /// From the seed data or an import.
    Complete,
    /// Waiting to be fetched from Open Library.
    Pending,
    /// Fetched from Open Library.
    Fetched,
    /// Open Library does not know the ISBN (asked again later).
    NotFound,
    /// The last fetch failed (see `error`; retried later).
    Failed,
    /// Edited by hand; never overwritten by a fetch.
    Manual,
}

impl MetadataStatus {
    /// The statuses of a book still waiting for metadata: a lookup is due once its time comes.
    pub const AWAITING: [MetadataStatus; 3] = [
        MetadataStatus::Pending,
        MetadataStatus::Failed,
        MetadataStatus::NotFound,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MetadataStatus::Complete => "complete",
            MetadataStatus::Pending => "pending",
            MetadataStatus::Fetched => "fetched",
            MetadataStatus::NotFound => "not_found",
            MetadataStatus::Failed => "failed",
            MetadataStatus::Manual => "manual",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            MetadataStatus::Complete,
            MetadataStatus::Pending,
            MetadataStatus::Fetched,
            MetadataStatus::NotFound,
            MetadataStatus::Failed,
            MetadataStatus::Manual,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// The metadata state shown with a book.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MetadataState {
    /// Where it stands.
    pub status: MetadataStatus,
    /// Why the last fetch failed.
    pub error: Option<String>,
    /// Fetches tried so far.
    pub attempts: u32,
    /// When the last fetch succeeded.
    pub fetched_at: Option<DateTime<Utc>>,
    /// When it will be tried again.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A book with what search needs to know of its demand.
#[derive(Debug, Clone)]
pub struct BookNeed {
    /// The catalogue record.
    pub book: Book,
    /// Copies still needed across schools.
    pub outstanding: u64,
    /// Schools with an open need.
    pub schools_needing: u64,
}

/// A school's open need for a book.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OpenNeed {
    /// The school.
    pub school_id: SchoolId,
    /// Its name.
    pub school_name: String,
    /// The wish-list item.
    pub wishlist_item_id: WishlistItemId,
    /// Copies still needed.
    pub outstanding: u32,
}

/// A donor's promise of copies of one book to one school.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pledge {
    /// Its id.
    pub id: PledgeId,
    /// The donor.
    pub donor_id: AccountId,
    /// The receiving school.
    pub school_id: SchoolId,
    /// The wish-list item it counts against.
    pub wishlist_item_id: WishlistItemId,
    /// The book.
    pub isbn: Isbn,
    /// Copies.
    pub quantity: u32,
    /// Where it stands.
    pub status: PledgeStatus,
    /// Carrier, once shipped.
    pub carrier: Option<String>,
    /// Tracking number, once shipped.
    pub tracking_number: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it last moved.
    pub updated_at: DateTime<Utc>,
    /// The date to post the books by (`pledge_ship_days` after pledging; later once extended).
    pub ship_by: Option<DateTime<Utc>>,
    /// Whether the donor has had the one extension.
    pub extended: bool,
    /// The child's wish this pledge answers (a claim), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_wish_id: Option<super::ids::ChildWishId>,
    /// That wish as the caller may see it, with the child's thanks once recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wish: Option<super::child_wishes::PledgedWish>,
    /// The parcel it travels in (a pledge made on its own is a parcel of its own).
    pub parcel_id: super::ids::ParcelId,
}

/// One recorded move of a pledge.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeEvent {
    /// Its id.
    pub id: i64,
    /// The pledge.
    pub pledge_id: PledgeId,
    /// Who moved it (none when the system did: an expiry).
    pub actor_id: Option<AccountId>,
    /// Status before (none for the creation event).
    pub from: Option<PledgeStatus>,
    /// Status after.
    pub to: PledgeStatus,
    /// Free-text note.
    pub note: Option<String>,
    /// Carrier given with the move.
    pub carrier: Option<String>,
    /// Tracking number given with the move.
    pub tracking_number: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Details that travel with a status move.
#[derive(Debug, Clone, Default)]
pub struct MoveDetails {
    /// Carrier (kept on the pledge).
    pub carrier: Option<String>,
    /// Tracking number (kept on the pledge).
    pub tracking_number: Option<String>,
    /// A note for the event log.
    pub note: Option<String>,
}

/// Longest carrier name and tracking number.
pub const MAX_CARRIER_CHARS: usize = 100;
/// Longest note on a move.
pub const MAX_MOVE_NOTE_CHARS: usize = 1_000;

impl MoveDetails {
    /// Checks what a caller sent with a move (the API's body or a page's form alike): blank
    /// means absent; each is bounded and free of control characters.
    pub fn parse(
        carrier: Option<&str>,
        tracking_number: Option<&str>,
        note: Option<&str>,
    ) -> Result<Self, super::error::Invalid> {
        use super::text::optional;
        Ok(MoveDetails {
            carrier: optional("carrier", carrier, MAX_CARRIER_CHARS)?,
            tracking_number: optional("tracking_number", tracking_number, MAX_CARRIER_CHARS)?,
            note: optional("note", note, MAX_MOVE_NOTE_CHARS)?,
        })
    }
}
