//! Reading stored rows back into domain types.

use std::str::FromStr;

use super::entity::{books, pledge_events, pledges, schools, wishlist_items};
use super::{StoreError, StoreResult};
use crate::domain::ids::{AccountId, PledgeId, SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{
    Book, ItemStatus, MetadataState, MetadataStatus, Pledge, PledgeEvent, School,
};
use crate::domain::pledge_status::PledgeStatus;

pub(super) fn isbn(stored: &str) -> StoreResult<Isbn> {
    Isbn::parse(stored).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn status(stored: &str) -> StoreResult<PledgeStatus> {
    PledgeStatus::from_str(stored).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(super) fn item_status(stored: &str) -> StoreResult<ItemStatus> {
    ItemStatus::parse(stored)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown wish-list status `{stored}`")))
}

/// A count stored as a signed integer; negative would be a broken invariant.
pub(super) fn count(n: impl TryInto<u32> + Copy + std::fmt::Debug) -> StoreResult<u32> {
    n.try_into()
        .map_err(|_| StoreError::Corrupt(format!("negative or huge count {n:?}")))
}

pub(super) fn pledge(row: pledges::Model) -> StoreResult<Pledge> {
    Ok(Pledge {
        id: PledgeId(row.id),
        donor_id: AccountId(row.donor_account_id),
        school_id: SchoolId(row.school_id),
        wishlist_item_id: WishlistItemId(row.wishlist_item_id),
        isbn: isbn(&row.isbn)?,
        quantity: count(row.quantity)?,
        status: status(&row.status)?,
        carrier: row.carrier,
        tracking_number: row.tracking_number,
        created_at: row.created_at,
        updated_at: row.updated_at,
        ship_by: row.ship_by,
        extended: row.extended,
        child_wish_id: row.child_wish_id.map(crate::domain::ids::ChildWishId),
        wish: None,
        parcel_id: crate::domain::ids::ParcelId(row.parcel_id.unwrap_or(row.id)),
    })
}

pub(super) fn event(row: pledge_events::Model) -> StoreResult<PledgeEvent> {
    Ok(PledgeEvent {
        id: row.id,
        pledge_id: PledgeId(row.pledge_id),
        actor_id: row.actor_account_id.map(AccountId),
        from: row.from_status.as_deref().map(status).transpose()?,
        to: status(&row.to_status)?,
        note: row.note,
        carrier: row.carrier,
        tracking_number: row.tracking_number,
        at: row.created_at,
    })
}

pub(super) fn school(row: schools::Model, books_needed: u64) -> StoreResult<School> {
    Ok(School {
        id: SchoolId(row.id),
        owner_account_id: AccountId(row.owner_account_id),
        name: row.name,
        province: row.province,
        county: row.county,
        address: row.address,
        contact_phone: row.contact_phone,
        student_count: count(row.student_count)?,
        books_needed,
        verified: row.verified,
        school_code: row.school_code,
        created_at: row.created_at,
    })
}

pub(super) fn book(row: books::Model) -> StoreResult<Book> {
    Ok(Book {
        isbn: isbn(&row.isbn)?,
        isbn10: row.isbn10,
        title: row.title,
        authors: row.authors,
        publication_year: row.publication_year,
        language: row.language,
        subtitle: row.subtitle,
        publisher: row.publisher,
        page_count: row.page_count,
        subjects: row.subjects,
        age_band: row.age_band,
        description: row.description,
        cover_url: row.cover_url,
        work: row.work,
        metadata: MetadataState {
            status: MetadataStatus::parse(&row.metadata_status).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown metadata status `{}`", row.metadata_status))
            })?,
            error: row.metadata_error,
            attempts: count(row.metadata_attempts)?,
            fetched_at: row.metadata_fetched_at,
            next_attempt_at: row.metadata_next_attempt_at,
        },
    })
}

/// Copies still needed on an item: nothing once closed.
pub(super) fn outstanding(row: &wishlist_items::Model) -> StoreResult<u32> {
    Ok(crate::domain::wishlists::outstanding(
        item_status(&row.status)?,
        count(row.requested)?,
        count(row.committed)?,
    ))
}
