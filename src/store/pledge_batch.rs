//! Group commit: a queue of donors' pledges (to the neediest schools, to a named school, or
//! claiming children's wishes) written in one transaction with a handful of statements,
//! however many pledges it holds. On SQLite every statement is a trip to the
//! driver's worker thread and back; written one by one a pledge took ten of them, and under
//! a rush those trips, not SQLite, were the limit.
//!
//! The guarantee is the one-by-one path's: each item's copies are taken by a conditional
//! UPDATE whose WHERE clause is "still needs this many", and each wish is claimed by one whose
//! WHERE clause is "still open"; if any row does not match (another writer came between our
//! read and our write, which only a second process or Postgres allows) nothing is written and
//! the caller goes one by one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Value};

use super::entity::pledges;
use super::{bind, bind_all, convert, outbox, Store, StoreResult};
use crate::domain::child_wishes::{ChildWish, WishEvent, WishStatus};
use crate::domain::ids::{AccountId, ChildWishId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::matching::{Allocation, Candidate};
use crate::domain::model::{ItemStatus, Pledge};
use crate::domain::notices::{Delivery, NewNotice, Recipient};
use crate::domain::pledge_status::PledgeStatus;

/// Rows per multi-row statement: about 250 parameters, where SQLite inserts are fastest.
const ROWS_PER_STATEMENT: usize = 50;

/// One donor's pledge as planned against the batch's need: its parts (none when the need
/// was too small, and then nothing is written for it).
#[derive(Debug, Clone)]
pub struct PlannedPledge {
    /// Who pledges.
    pub donor: AccountId,
    /// Which book.
    pub isbn: Isbn,
    /// Where its copies go: for a claim, the wish's own one-copy item.
    pub parts: Vec<Allocation>,
    /// The child's wish this pledge claims.
    pub wish: Option<ChildWishId>,
}

/// What a batch reads inside its write transaction before it plans.
#[derive(Debug, Default)]
pub struct BatchAsked {
    /// The books pledged.
    pub books: Vec<Isbn>,
    /// The schools pledges name.
    pub schools: Vec<SchoolId>,
    /// The wishes claimed.
    pub wishes: Vec<ChildWishId>,
}

/// The state a batch is planned against, read inside its write transaction.
#[derive(Debug, Default)]
pub struct BatchState {
    /// Each asked book's open items with need (as [`Store::pledge_candidates`] reads them).
    pub candidates: Vec<(Isbn, Candidate)>,
    /// The named schools that exist, and whether each is verified.
    pub schools: HashMap<SchoolId, bool>,
    /// The claimed wishes that exist, as they stand.
    pub wishes: Vec<ChildWish>,
}

impl Store {
    /// Reads what `asked` names inside a write transaction, lets `plan` split the queued
    /// pledges over it, and writes them all: items, claimed wishes, schools' counts, pledges,
    /// their first events, the schools' notices and the change log. Returns each planned
    /// pledge's rows, in `plan`'s order, or `None` when the need moved under us (nothing
    /// written).
    pub async fn commit_pledge_batch<F>(
        &self,
        asked: &BatchAsked,
        (now, ship_by): (DateTime<Utc>, DateTime<Utc>),
        plan: F,
    ) -> StoreResult<Option<Vec<Vec<Pledge>>>>
    where
        F: FnOnce(BatchState) -> Vec<PlannedPledge>,
    {
        let txn = self.begin_write().await?;
        let (candidates, mut owners) = self.batch_candidates(&txn, &asked.books).await?;
        let schools = self.batch_schools(&txn, &asked.schools).await?;
        let wishes = super::child_wishes::wishes_by_id(&txn, &asked.wishes).await?;
        owners.extend(wishes.iter().map(|w| (w.school_id, w.school_owner.get())));
        let planned = plan(BatchState {
            candidates,
            schools,
            wishes,
        });
        let parts: Vec<(&PlannedPledge, &Allocation)> = planned
            .iter()
            .flat_map(|p| p.parts.iter().map(move |a| (p, a)))
            .collect();
        if parts.is_empty() {
            txn.rollback().await?;
            return Ok(Some(vec![Vec::new(); planned.len()]));
        }
        let (claims, listed): (Vec<_>, Vec<_>) =
            parts.iter().copied().partition(|(p, _)| p.wish.is_some());
        if !self.take_copies(&txn, &listed, now).await?
            || !self.claim_wishes(&txn, &claims, now).await?
        {
            txn.rollback().await?;
            return Ok(None);
        }
        self.add_school_copies(&txn, &parts).await?;
        let ids = self.insert_pledges(&txn, &parts, (now, ship_by)).await?;
        let made: Vec<Pledge> = parts
            .iter()
            .zip(&ids)
            .map(|((p, a), id)| {
                convert::pledge(pledges::Model {
                    id: *id,
                    donor_account_id: p.donor.get(),
                    school_id: a.school.get(),
                    wishlist_item_id: a.item.get(),
                    isbn: p.isbn.as_str().to_owned(),
                    quantity: i32::try_from(a.quantity.get()).unwrap_or(i32::MAX),
                    status: PledgeStatus::Pledged.as_str().to_owned(),
                    carrier: None,
                    tracking_number: None,
                    created_at: now,
                    updated_at: now,
                    ship_by: Some(ship_by),
                    extended: false,
                    child_wish_id: p.wish.map(ChildWishId::get),
                    parcel_id: None,
                })
            })
            .collect::<StoreResult<_>>()?;
        self.insert_first_events(&txn, &made, now).await?;
        self.insert_first_notices(&txn, &made, &owners, now).await?;
        // A wish's item is closed to the book list, so only listed copies move the need.
        let mut changed: Vec<&str> = listed.iter().map(|(p, _)| p.isbn.as_str()).collect();
        changed.sort_unstable();
        changed.dedup();
        outbox::record(&txn, changed, now).await?;
        txn.commit().await?;

        let mut made = made.into_iter();
        Ok(Some(
            planned
                .iter()
                .map(|p| made.by_ref().take(p.parts.len()).collect())
                .collect(),
        ))
    }

    /// The named schools that exist, and whether each is verified.
    async fn batch_schools(
        &self,
        txn: &DatabaseTransaction,
        schools: &[SchoolId],
    ) -> StoreResult<HashMap<SchoolId, bool>> {
        let mut found = HashMap::new();
        for chunk in schools.chunks(ROWS_PER_STATEMENT * 4) {
            let mut values = Vec::with_capacity(chunk.len());
            let ids = bind_all(&mut values, chunk.iter().map(|s| s.get()));
            let sql = format!("SELECT id, verified FROM schools WHERE id IN ({ids})");
            for r in txn.query_all_raw(self.stmt(&sql, values)).await? {
                found.insert(SchoolId(r.try_get("", "id")?), r.try_get("", "verified")?);
            }
        }
        Ok(found)
    }

    /// Claims each planned wish with a conditional UPDATE that holds only while it is open at
    /// a verified school, and takes its one-copy item's copy; false when any row does not
    /// match.
    async fn claim_wishes(
        &self,
        txn: &DatabaseTransaction,
        claims: &[(&PlannedPledge, &Allocation)],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let to = WishStatus::Open
            .after(WishEvent::Claim)
            .map_err(|e| super::StoreError::Corrupt(e.to_string()))?;
        for chunk in claims.chunks(ROWS_PER_STATEMENT) {
            let mut values = Vec::with_capacity(chunk.len() + 4);
            let claimed = bind(&mut values, to.as_str());
            let at = bind(&mut values, now);
            let open = bind(&mut values, WishStatus::Open.as_str());
            let verified = bind(&mut values, true);
            let wishes = bind_all(
                &mut values,
                chunk
                    .iter()
                    .filter_map(|(p, _)| p.wish)
                    .map(ChildWishId::get),
            );
            let sql = format!(
                "UPDATE child_wishes SET status = {claimed}, updated_at = {at} \
                 WHERE id IN ({wishes}) AND status = {open} AND details_removed_at IS NULL \
                 AND EXISTS (SELECT 1 FROM schools s WHERE s.id = child_wishes.school_id \
                 AND s.verified = {verified})"
            );
            let changed = txn.execute_raw(self.stmt(&sql, values)).await?;
            if changed.rows_affected() != chunk.len() as u64 {
                return Ok(false);
            }
            let mut values = Vec::with_capacity(chunk.len() + 1);
            let at = bind(&mut values, now);
            let items = bind_all(&mut values, chunk.iter().map(|(_, a)| a.item.get()));
            let sql = format!(
                "UPDATE wishlist_items SET committed = committed + 1, updated_at = {at} \
                 WHERE id IN ({items}) AND requested - committed >= 1"
            );
            let changed = txn.execute_raw(self.stmt(&sql, values)).await?;
            if changed.rows_affected() != chunk.len() as u64 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The open items for `books` that still need copies (as [`Store::pledge_candidates`]
    /// reads them), and who runs each of their schools.
    async fn batch_candidates(
        &self,
        txn: &DatabaseTransaction,
        books: &[Isbn],
    ) -> StoreResult<(Vec<(Isbn, Candidate)>, HashMap<SchoolId, i64>)> {
        let mut candidates = Vec::new();
        let mut owners = HashMap::new();
        for chunk in books.chunks(ROWS_PER_STATEMENT * 4) {
            let mut values = Vec::with_capacity(chunk.len() + 4);
            let list = bind_all(&mut values, chunk.iter().map(Isbn::as_str));
            let wanted = super::editions::open_items_wanting(&mut values, &format!("IN ({list})"));
            // `asked` is the donor's edition; the item may be for another of its work.
            let sql = format!(
                "SELECT a.asked AS isbn, w.id, w.school_id, s.owner_account_id, \
                 CAST(w.requested - w.committed AS BIGINT) AS outstanding, \
                 CAST(s.student_count AS BIGINT) AS student_count, \
                 CAST(s.committed_copies AS BIGINT) AS school_committed \
                 {wanted} ORDER BY w.id"
            );
            for r in txn.query_all_raw(self.stmt(&sql, values)).await? {
                let candidate = super::pledges::candidate(&r)?;
                owners.insert(candidate.school, r.try_get::<i64>("", "owner_account_id")?);
                let isbn: String = r.try_get("", "isbn")?;
                let isbn = Isbn::parse(&isbn)
                    .map_err(|_| super::StoreError::Corrupt(format!("ISBN {isbn}")))?;
                candidates.push((isbn, candidate));
            }
        }
        Ok((candidates, owners))
    }

    /// Takes each item's copies with one conditional UPDATE per chunk of items; false when
    /// any item no longer needs what the plan gave it.
    async fn take_copies(
        &self,
        txn: &DatabaseTransaction,
        parts: &[(&PlannedPledge, &Allocation)],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let per_item = sum_by(parts.iter().map(|(_, a)| (a.item.get(), a.quantity.get())));
        for chunk in per_item.chunks(ROWS_PER_STATEMENT) {
            let mut values = Vec::with_capacity(chunk.len() * 2 + 2);
            let case = case_by_id(&mut values, chunk);
            let at = bind(&mut values, now);
            let open = bind(&mut values, ItemStatus::Open.as_str());
            let ids = id_list(&mut values, chunk);
            let sql = format!(
                "UPDATE wishlist_items SET committed = committed + {case}, updated_at = {at} \
                 WHERE id IN ({ids}) AND status = {open} AND requested - committed >= {case}"
            );
            let changed = txn.execute_raw(self.stmt(&sql, values)).await?;
            if changed.rows_affected() != chunk.len() as u64 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Keeps each school's `committed_copies` in step with its items.
    async fn add_school_copies(
        &self,
        txn: &DatabaseTransaction,
        parts: &[(&PlannedPledge, &Allocation)],
    ) -> StoreResult<()> {
        let per_school = sum_by(
            parts
                .iter()
                .map(|(_, a)| (a.school.get(), a.quantity.get())),
        );
        for chunk in per_school.chunks(ROWS_PER_STATEMENT) {
            let mut values = Vec::with_capacity(chunk.len() * 3);
            let case = case_by_id(&mut values, chunk);
            let ids = id_list(&mut values, chunk);
            let sql = format!(
                "UPDATE schools SET committed_copies = committed_copies + {case} \
                 WHERE id IN ({ids})"
            );
            txn.execute_raw(self.stmt(&sql, values)).await?;
        }
        Ok(())
    }

    /// Inserts the pledge rows and returns their ids in `parts`' order.
    async fn insert_pledges(
        &self,
        txn: &DatabaseTransaction,
        parts: &[(&PlannedPledge, &Allocation)],
        (now, ship_by): (DateTime<Utc>, DateTime<Utc>),
    ) -> StoreResult<Vec<i64>> {
        let mut ids = Vec::with_capacity(parts.len());
        for chunk in parts.chunks(ROWS_PER_STATEMENT) {
            let mut values = Vec::with_capacity(chunk.len() * 6 + 4);
            let at = bind(&mut values, now);
            let by = bind(&mut values, ship_by);
            let status = bind(&mut values, PledgeStatus::Pledged.as_str());
            let no = bind(&mut values, false);
            let rows = chunk
                .iter()
                .map(|(p, a)| {
                    format!(
                        "({}, {}, {}, {}, {}, {}, {status}, {at}, {at}, {by}, {no})",
                        bind(&mut values, p.donor.get()),
                        bind(&mut values, a.school.get()),
                        bind(&mut values, a.item.get()),
                        bind(&mut values, p.isbn.as_str()),
                        bind(
                            &mut values,
                            i32::try_from(a.quantity.get()).unwrap_or(i32::MAX)
                        ),
                        bind(&mut values, p.wish.map(ChildWishId::get)),
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO pledges (donor_account_id, school_id, wishlist_item_id, isbn, \
                 quantity, child_wish_id, status, created_at, updated_at, ship_by, extended) \
                 VALUES {rows} \
                 RETURNING id, donor_account_id, wishlist_item_id, quantity"
            );
            // Neither database promises RETURNING's row order, so ids are matched to rows by
            // what the rows hold; rows that hold the same are the same pledge but for the id.
            let mut returned: HashMap<(i64, i64, i32), Vec<i64>> = HashMap::new();
            for r in txn.query_all_raw(self.stmt(&sql, values)).await? {
                returned
                    .entry((
                        r.try_get("", "donor_account_id")?,
                        r.try_get("", "wishlist_item_id")?,
                        r.try_get("", "quantity")?,
                    ))
                    .or_default()
                    .push(r.try_get("", "id")?);
            }
            for (p, a) in chunk {
                let key = (
                    p.donor.get(),
                    a.item.get(),
                    i32::try_from(a.quantity.get()).unwrap_or(i32::MAX),
                );
                let id = returned.get_mut(&key).and_then(Vec::pop).ok_or_else(|| {
                    super::StoreError::Corrupt("a pledge row was not returned".into())
                })?;
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Each new pledge's first event (made by its donor).
    async fn insert_first_events(
        &self,
        txn: &DatabaseTransaction,
        made: &[Pledge],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for chunk in made.chunks(ROWS_PER_STATEMENT * 2) {
            let mut values = Vec::with_capacity(chunk.len() * 2 + 2);
            let to = bind(&mut values, PledgeStatus::Pledged.as_str());
            let at = bind(&mut values, now);
            let rows = chunk
                .iter()
                .map(|p| {
                    format!(
                        "({}, {}, {to}, {at})",
                        bind(&mut values, p.id.get()),
                        bind(&mut values, p.donor_id.get())
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO pledge_events (pledge_id, actor_account_id, to_status, created_at) \
                 VALUES {rows}"
            );
            txn.execute_raw(self.stmt(&sql, values)).await?;
        }
        Ok(())
    }

    /// Whom a new pledge tells ([`NewNotice::for_move`] to "pledged"), for every new pledge.
    async fn insert_first_notices(
        &self,
        txn: &DatabaseTransaction,
        made: &[Pledge],
        owners: &HashMap<SchoolId, i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let notices = NewNotice::for_move(PledgeStatus::Pledged);
        let rows: Vec<(i64, &Pledge, &NewNotice)> = made
            .iter()
            .flat_map(|p| notices.iter().map(move |n| (p, n)))
            .map(|(p, n)| {
                let account = match n.to {
                    Recipient::Donor => Some(p.donor_id.get()),
                    Recipient::School => owners.get(&p.school_id).copied(),
                };
                account
                    .map(|a| (a, p, n))
                    .ok_or_else(|| super::StoreError::Corrupt("a school without owner".into()))
            })
            .collect::<StoreResult<_>>()?;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5 + 2);
            let at = bind(&mut values, now);
            let pending = bind(&mut values, Delivery::Pending.as_str());
            let sql_rows = chunk
                .iter()
                .map(|(account, p, n)| {
                    format!(
                        "({}, {}, {}, {}, {}, {at}, {pending}, 0)",
                        bind(&mut values, *account),
                        bind(&mut values, n.kind.as_str()),
                        bind(&mut values, p.id.get()),
                        bind(&mut values, n.detail.clone()),
                        bind(&mut values, n.dedupe_key.clone()),
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO notifications (account_id, kind, pledge_id, detail, dedupe_key, \
                 created_at, delivery, attempts) VALUES {sql_rows} \
                 ON CONFLICT (dedupe_key) DO NOTHING"
            );
            txn.execute_raw(self.stmt(&sql, values)).await?;
        }
        Ok(())
    }
}

/// Sums copies per id, in the order ids first appear.
fn sum_by(pairs: impl Iterator<Item = (i64, u32)>) -> Vec<(i64, i64)> {
    let mut order: Vec<(i64, i64)> = Vec::new();
    let mut at: HashMap<i64, usize> = HashMap::new();
    for (id, copies) in pairs {
        let i = *at.entry(id).or_insert_with(|| {
            order.push((id, 0));
            order.len() - 1
        });
        order[i].1 += i64::from(copies);
    }
    order
}

/// `CASE id WHEN $a THEN $b … END`: each id's copies, bound once and used wherever the
/// statement names the case.
fn case_by_id(values: &mut Vec<Value>, per_id: &[(i64, i64)]) -> String {
    let arms: String = per_id
        .iter()
        .map(|(id, copies)| format!(" WHEN {} THEN {}", bind(values, *id), bind(values, *copies)))
        .collect();
    format!("(CASE id{arms} END)")
}

/// The ids as an `IN (…)` list.
fn id_list(values: &mut Vec<Value>, per_id: &[(i64, i64)]) -> String {
    per_id
        .iter()
        .map(|(id, _)| bind(values, *id))
        .collect::<Vec<_>>()
        .join(", ")
}
