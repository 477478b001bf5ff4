//! Pledges, their moves and their event log.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entity::{pledge_events, pledges};
use super::pledge_rows::{add_committed, insert_pledge, record_event, take_copies, NewPledgeRow};
use super::{audit, changed_one, convert, notices, outbox, Store, StoreResult};
use crate::domain::audit::AuditEntry;
use crate::domain::child_wishes::WishStatus;
use crate::domain::ids::{AccountId, ParcelId, PledgeId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::matching::{Allocation, Candidate};
use crate::domain::model::{MoveDetails, Pledge, PledgeEvent};
use crate::domain::notices::NewNotice;
use crate::domain::pledge_status::PledgeStatus;
pub use crate::domain::pledges::PledgeFilter;
use crate::domain::shelves::ShelfSource;

/// A checked move of one pledge, ready to be written.
#[derive(Debug, Clone, Copy)]
pub struct PledgeMove<'a> {
    /// The pledge as it was read.
    pub pledge: &'a Pledge,
    /// Its new status (already checked against the lifecycle).
    pub to: PledgeStatus,
    /// Who moves it (none: the system).
    pub actor: Option<AccountId>,
    /// Carrier, tracking number, note.
    pub details: &'a MoveDetails,
    /// When.
    pub now: DateTime<Utc>,
    /// The audit log's line for it, written in the same transaction.
    pub audit: &'a AuditEntry,
    /// Who is told, written in the same transaction.
    pub notices: &'a [NewNotice],
}

/// A candidate item from a row with `id`, `school_id`, `outstanding`, `student_count` and
/// `school_committed` (the one-by-one read and the batch read select the same).
pub(super) fn candidate(r: &sea_orm::QueryResult) -> StoreResult<Candidate> {
    Ok(Candidate {
        item: crate::domain::ids::WishlistItemId(r.try_get("", "id")?),
        school: SchoolId(r.try_get("", "school_id")?),
        outstanding: convert::count(r.try_get::<i64>("", "outstanding")?)?,
        school_committed: u64::try_from(r.try_get::<i64>("", "school_committed")?).unwrap_or(0),
        student_count: convert::count(r.try_get::<i64>("", "student_count")?)?,
    })
}

impl Store {
    /// Open items a copy of a book can fill (its own, and another edition's that takes any
    /// edition of its work) that still need copies, with what the matching rule weighs.
    pub async fn pledge_candidates(
        &self,
        isbn: &Isbn,
        school: Option<SchoolId>,
    ) -> StoreResult<Vec<Candidate>> {
        let mut values = Vec::with_capacity(5);
        let asked = format!("= {}", super::bind(&mut values, isbn.as_str()));
        let wanted = super::editions::open_items_wanting(&mut values, &asked);
        let mut sql = format!(
            "SELECT w.id, w.school_id, CAST(w.requested - w.committed AS BIGINT) AS outstanding, \
             CAST(s.student_count AS BIGINT) AS student_count, \
             CAST(s.committed_copies AS BIGINT) AS school_committed {wanted}"
        );
        if let Some(school) = school {
            let school = super::bind(&mut values, school.get());
            sql.push_str(&format!(" AND w.school_id = {school}"));
        }
        sql.push_str(" ORDER BY w.id");
        let rows = self.db.query_all_raw(self.stmt(&sql, values)).await?;
        rows.iter().map(candidate).collect()
    }

    /// Writes a donor's pledges in one transaction. Each part takes its copies with a
    /// conditional UPDATE that only succeeds while the item still needs them; if any part
    /// finds the need gone (another donor was faster) nothing is written and `None` says
    /// the caller should look again.
    pub async fn commit_pledges(
        &self,
        donor: AccountId,
        isbn: &Isbn,
        parts: &[Allocation],
        (now, ship_by): (DateTime<Utc>, DateTime<Utc>),
    ) -> StoreResult<Option<Vec<Pledge>>> {
        let txn = self.begin_write().await?;
        let mut made = Vec::with_capacity(parts.len());
        for part in parts {
            let copies = i64::from(part.quantity.get());
            if !take_copies(&txn, part.item, part.school, copies, now).await? {
                txn.rollback().await?;
                return Ok(None);
            }
            let pledge = insert_pledge(
                &txn,
                NewPledgeRow {
                    donor,
                    school: part.school,
                    item: part.item,
                    isbn,
                    quantity: part.quantity.get(),
                    dates: (now, ship_by),
                    wish: None,
                    parcel: None,
                },
            )
            .await?;
            made.push(pledge);
        }
        outbox::record(&txn, [isbn.as_str()], now).await?;
        txn.commit().await?;
        Ok(Some(made))
    }

    /// Corrects a parcel's carrier and tracking number while it is on its way (a mistyped
    /// number); `false` when the pledge is not on its way (any more).
    pub async fn correct_tracking(
        &self,
        id: PledgeId,
        details: &MoveDetails,
        audit: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let changed = changed_one(
            &txn,
            self.stmt(
                "UPDATE pledges SET carrier = COALESCE($1, carrier), tracking_number = $2, \
                 updated_at = $3 WHERE id = $4 AND status = $5",
                vec![
                    details.carrier.clone().into(),
                    details.tracking_number.clone().into(),
                    now.into(),
                    id.get().into(),
                    PledgeStatus::Shipped.as_str().into(),
                ],
            ),
        )
        .await?;
        if !changed {
            txn.rollback().await?;
            return Ok(false);
        }
        audit::record(&txn, audit, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Moves a pledge from the status it was read in to a new one, releasing its copies when
    /// the new status holds none, and records the event, all in one transaction. `None` when
    /// the pledge moved meanwhile (the caller re-reads and reports).
    pub async fn move_pledge(&self, change: PledgeMove<'_>) -> StoreResult<Option<Pledge>> {
        let txn = self.begin_write().await?;
        if !self.apply_move(&txn, &change).await? {
            txn.rollback().await?;
            return Ok(None);
        }
        let row = pledges::Entity::find_by_id(change.pledge.id.get())
            .one(&txn)
            .await?;
        txn.commit().await?;
        row.map(convert::pledge).transpose()
    }

    /// Moves every pledge of a parcel, each from the status it was read in, in one
    /// transaction: all of them, or (when one moved meanwhile) none. Says whether they moved.
    pub async fn move_parcel(&self, changes: &[PledgeMove<'_>]) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        for change in changes {
            if !self.apply_move(&txn, change).await? {
                txn.rollback().await?;
                return Ok(false);
            }
        }
        txn.commit().await?;
        Ok(true)
    }

    /// One pledge's move on the caller's transaction; false when it moved meanwhile (and
    /// then nothing was written).
    async fn apply_move(
        &self,
        txn: &DatabaseTransaction,
        change: &PledgeMove<'_>,
    ) -> StoreResult<bool> {
        let PledgeMove {
            pledge,
            to,
            actor,
            details,
            now,
            audit,
            notices,
        } = *change;
        let moved = changed_one(
            txn,
            self.stmt(
                "UPDATE pledges SET status = $1, carrier = COALESCE($2, carrier), \
                 tracking_number = COALESCE($3, tracking_number), updated_at = $4 \
                 WHERE id = $5 AND status = $6",
                vec![
                    to.as_str().into(),
                    details.carrier.clone().into(),
                    details.tracking_number.clone().into(),
                    now.into(),
                    pledge.id.get().into(),
                    pledge.status.as_str().into(),
                ],
            ),
        )
        .await?;
        if !moved {
            return Ok(false);
        }
        if pledge.status.holds_copies() && !to.holds_copies() {
            txn.execute_raw(self.stmt(
                "UPDATE wishlist_items SET committed = committed - $1, updated_at = $2 WHERE id = $3",
                vec![
                    i64::from(pledge.quantity).into(),
                    now.into(),
                    pledge.wishlist_item_id.get().into(),
                ],
            ))
            .await?;
            add_committed(txn, pledge.school_id, -i64::from(pledge.quantity)).await?;
        }
        record_event(txn, pledge.id, actor, Some(pledge.status), to, details, now).await?;
        // A claim's wish follows its pledge: open again when the pledge ends without the
        // book, delivered when the book arrives.
        if let (Some(wish), Some(event)) = (pledge.child_wish_id, WishStatus::event_for_pledge(to))
        {
            super::child_wishes::apply_event(txn, wish, event, now).await?;
        }
        // What arrives is on the school's shelf from then on.
        if to == PledgeStatus::Delivered {
            super::shelves::shelve_one(
                txn,
                pledge.school_id,
                &pledge.isbn,
                ShelfSource::Delivered,
                now,
            )
            .await?;
        }
        audit::record(txn, audit, now).await?;
        notices::record(txn, pledge, notices, now).await?;
        if pledge.status.holds_copies() != to.holds_copies() {
            outbox::record(txn, [pledge.isbn.as_str()], now).await?;
        }
        Ok(true)
    }

    /// The pledges of a parcel, first pledge first.
    pub async fn parcel(&self, id: ParcelId) -> StoreResult<Vec<Pledge>> {
        let rows = pledges::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(
                        sea_orm::Condition::all()
                            .add(pledges::Column::Id.eq(id.get()))
                            .add(
                                sea_orm::Condition::any()
                                    .add(pledges::Column::ParcelId.is_null())
                                    .add(pledges::Column::ParcelId.eq(id.get())),
                            ),
                    )
                    .add(pledges::Column::ParcelId.eq(id.get())),
            )
            .order_by_asc(pledges::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(convert::pledge).collect()
    }

    /// Gives a pledge its one extension: the new date to post by, if it is still waiting to
    /// be posted and was never extended. `None` when it moved or was extended meanwhile.
    pub async fn extend_pledge(
        &self,
        pledge: &Pledge,
        ship_by: DateTime<Utc>,
        audit_entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Pledge>> {
        let txn = self.begin_write().await?;
        let extended = changed_one(
            &txn,
            self.stmt(
                "UPDATE pledges SET ship_by = $1, extended = $2, updated_at = $3 \
                 WHERE id = $4 AND status = $5 AND extended = $6",
                vec![
                    ship_by.into(),
                    true.into(),
                    now.into(),
                    pledge.id.get().into(),
                    PledgeStatus::Pledged.as_str().into(),
                    false.into(),
                ],
            ),
        )
        .await?;
        if !extended {
            txn.rollback().await?;
            return Ok(None);
        }
        audit::record(&txn, audit_entry, now).await?;
        let row = pledges::Entity::find_by_id(pledge.id.get())
            .one(&txn)
            .await?;
        txn.commit().await?;
        row.map(convert::pledge).transpose()
    }

    /// Pledges still waiting to be posted whose date is at or before `until` (those made
    /// before dates were recorded count from `created_at`: made at or before
    /// `unrecorded_until`), oldest first.
    pub async fn pledges_due_by(
        &self,
        until: DateTime<Utc>,
        unrecorded_until: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<Pledge>> {
        pledges::Entity::find()
            .filter(pledges::Column::Status.eq(PledgeStatus::Pledged.as_str()))
            .filter(
                sea_orm::Condition::any()
                    .add(pledges::Column::ShipBy.lte(until))
                    .add(
                        sea_orm::Condition::all()
                            .add(pledges::Column::ShipBy.is_null())
                            .add(pledges::Column::CreatedAt.lte(unrecorded_until)),
                    ),
            )
            .order_by_asc(pledges::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(convert::pledge)
            .collect()
    }

    /// Pledges shipped at or before `cutoff` (their last move), still not confirmed, whose
    /// school has not been reminded yet (no notice with `reminder_key` of the pledge).
    pub async fn shipped_unreminded(
        &self,
        cutoff: DateTime<Utc>,
        reminder_key: impl Fn(&str) -> String,
        limit: u64,
    ) -> StoreResult<Vec<Pledge>> {
        pledges::Entity::find()
            .filter(pledges::Column::Status.eq(PledgeStatus::Shipped.as_str()))
            .filter(pledges::Column::UpdatedAt.lte(cutoff))
            .filter(sea_orm::sea_query::Expr::cust_with_values(
                "NOT EXISTS (SELECT 1 FROM notifications n WHERE n.pledge_id = pledges.id \
                 AND n.dedupe_key = $1 || CAST(pledges.id AS TEXT) || $2)",
                {
                    let template = reminder_key("\u{0}");
                    let (head, tail) = template.split_once('\u{0}').unwrap_or((&template, ""));
                    [head.to_owned(), tail.to_owned()]
                },
            ))
            .order_by_asc(pledges::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(convert::pledge)
            .collect()
    }

    /// One pledge.
    pub async fn pledge(&self, id: PledgeId) -> StoreResult<Option<Pledge>> {
        pledges::Entity::find_by_id(id.get())
            .one(&self.db)
            .await?
            .map(convert::pledge)
            .transpose()
    }

    /// Pledges matching a filter, newest first.
    pub async fn pledges(&self, filter: &PledgeFilter) -> StoreResult<Vec<Pledge>> {
        let mut query = pledges::Entity::find().order_by_desc(pledges::Column::Id);
        if let Some(donor) = filter.donor {
            query = query.filter(pledges::Column::DonorAccountId.eq(donor.get()));
        }
        if let Some(school) = filter.school {
            query = query.filter(pledges::Column::SchoolId.eq(school.get()));
        }
        if let Some(status) = filter.status {
            query = query.filter(pledges::Column::Status.eq(status.as_str()));
        }
        if let Some(isbn) = &filter.isbn {
            query = query.filter(pledges::Column::Isbn.eq(isbn.as_str()));
        }
        query
            .limit(filter.limit)
            .offset(filter.offset)
            .all(&self.db)
            .await?
            .into_iter()
            .map(convert::pledge)
            .collect()
    }

    /// A pledge's events, oldest first.
    pub async fn pledge_events(&self, id: PledgeId) -> StoreResult<Vec<PledgeEvent>> {
        pledge_events::Entity::find()
            .filter(pledge_events::Column::PledgeId.eq(id.get()))
            .order_by_asc(pledge_events::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(convert::event)
            .collect()
    }
}
