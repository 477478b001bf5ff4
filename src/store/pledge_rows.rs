//! Writing pledge rows and their events on a caller's transaction: shared by pledges made
//! from a book list and claims of a child's wish.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction};

use super::entity::{pledge_events, pledges};
use super::{convert, notices, StoreResult};
use crate::domain::ids::{AccountId, PledgeId, SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{ItemStatus, MoveDetails, Pledge};
use crate::domain::notices::NewNotice;
use crate::domain::pledge_status::PledgeStatus;

/// A pledge row to insert, with its creation event and the school's notice.
pub(super) struct NewPledgeRow<'a> {
    pub donor: AccountId,
    pub school: SchoolId,
    pub item: crate::domain::ids::WishlistItemId,
    pub isbn: &'a Isbn,
    pub quantity: u32,
    pub dates: (DateTime<Utc>, DateTime<Utc>),
    pub wish: Option<crate::domain::ids::ChildWishId>,
    /// The parcel it joins (none: a parcel of its own, or the first of a new one).
    pub parcel: Option<crate::domain::ids::ParcelId>,
}

/// Inserts a new pledge (its copies already taken by the caller's conditional update),
/// its creation event and the notice to the school, on the caller's transaction.
pub(super) async fn insert_pledge(
    txn: &DatabaseTransaction,
    new: NewPledgeRow<'_>,
) -> StoreResult<Pledge> {
    let (now, ship_by) = new.dates;
    let row = pledges::ActiveModel {
        donor_account_id: Set(new.donor.get()),
        school_id: Set(new.school.get()),
        wishlist_item_id: Set(new.item.get()),
        isbn: Set(new.isbn.as_str().to_owned()),
        quantity: Set(i32::try_from(new.quantity).unwrap_or(i32::MAX)),
        status: Set(PledgeStatus::Pledged.as_str().to_owned()),
        carrier: Set(None),
        tracking_number: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ship_by: Set(Some(ship_by)),
        extended: Set(false),
        child_wish_id: Set(new.wish.map(crate::domain::ids::ChildWishId::get)),
        parcel_id: Set(new.parcel.map(crate::domain::ids::ParcelId::get)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    record_event(
        txn,
        PledgeId(row.id),
        Some(new.donor),
        None,
        PledgeStatus::Pledged,
        &MoveDetails::default(),
        now,
    )
    .await?;
    let pledge = convert::pledge(row)?;
    notices::record(
        txn,
        &pledge,
        &NewNotice::for_move(PledgeStatus::Pledged),
        now,
    )
    .await?;
    Ok(pledge)
}

pub(super) async fn record_event(
    txn: &DatabaseTransaction,
    pledge: PledgeId,
    actor: Option<AccountId>,
    from: Option<PledgeStatus>,
    to: PledgeStatus,
    details: &MoveDetails,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    pledge_events::ActiveModel {
        pledge_id: Set(pledge.get()),
        actor_account_id: Set(actor.map(AccountId::get)),
        from_status: Set(from.map(|s| s.as_str().to_owned())),
        to_status: Set(to.as_str().to_owned()),
        note: Set(details.note.clone()),
        carrier: Set(details.carrier.clone()),
        tracking_number: Set(details.tracking_number.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Keeps a school's `committed_copies` (the sum of its items' `committed`, which the
/// matching rule weighs) in step, on the transaction that changed an item.
pub(super) async fn add_committed(
    txn: &impl sea_orm::ConnectionTrait,
    school: SchoolId,
    copies: i64,
) -> StoreResult<()> {
    txn.execute_raw(super::stmt(
        txn.get_database_backend(),
        "UPDATE schools SET committed_copies = committed_copies + $1 WHERE id = $2",
        vec![copies.into(), school.get().into()],
    ))
    .await?;
    Ok(())
}

/// Takes `copies` of an open item's need, and the school's committed copies with them, with a
/// conditional update that holds only while the item still needs that many: false (and
/// nothing changed) when it does not, so the caller rolls back. Every pledge takes its
/// copies here: one at a time, a box's parcels, a claim's.
pub(super) async fn take_copies(
    txn: &DatabaseTransaction,
    item: WishlistItemId,
    school: SchoolId,
    copies: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let took = super::changed_one(
        txn,
        super::stmt(
            sea_orm::ConnectionTrait::get_database_backend(txn),
            "UPDATE wishlist_items SET committed = committed + $1, updated_at = $2 \
             WHERE id = $3 AND school_id = $4 AND status = $5 AND requested - committed >= $1",
            vec![
                copies.into(),
                now.into(),
                item.get().into(),
                school.get().into(),
                ItemStatus::Open.as_str().into(),
            ],
        ),
    )
    .await?;
    if took {
        add_committed(txn, school, copies).await?;
    }
    Ok(took)
}
