//! Donors' boxes: the need a box can fill, the plan kept until it is confirmed, and the
//! confirmation that turns it into pledges grouped by parcel.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::pledge_rows::{insert_pledge, take_copies, NewPledgeRow};
use super::{changed_one, convert, outbox, Store, StoreError, StoreResult};
use crate::domain::boxes::Helped;
use crate::domain::ids::{AccountId, BoxId, ParcelId, SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::Pledge;

/// An open item a box's book could fill, with its school.
#[derive(Debug, Clone)]
pub struct BoxOpening {
    pub isbn: Isbn,
    pub item: WishlistItemId,
    pub school: SchoolId,
    pub outstanding: u32,
    pub helped: Helped,
    pub school_name: String,
    pub province: String,
}

/// A stored box: who made it, what was asked (JSON) and the plan proposed (JSON).
#[derive(Debug, Clone)]
pub struct StoredBox {
    pub donor: AccountId,
    pub request: String,
    pub plan: String,
    pub confirmed: bool,
}

/// Copies of one book for one item, in a parcel being confirmed.
#[derive(Debug, Clone)]
pub struct BoxPart {
    pub school: SchoolId,
    pub item: WishlistItemId,
    pub isbn: Isbn,
    pub quantity: u32,
}

impl Store {
    /// Open items at verified schools that still need copies of any of `isbns`.
    pub async fn box_openings(&self, isbns: &[Isbn]) -> StoreResult<Vec<BoxOpening>> {
        if isbns.is_empty() {
            return Ok(Vec::new());
        }
        let mut values = Vec::with_capacity(isbns.len() + 3);
        let list = super::bind_all(&mut values, isbns.iter().map(Isbn::as_str));
        let wanted = super::editions::open_items_wanting(&mut values, &format!("IN ({list})"));
        // `asked` is the box's edition; the item may be for another edition of its work.
        let sql = format!(
            "SELECT a.asked AS isbn, w.id, w.school_id, \
             CAST(w.requested - w.committed AS BIGINT) AS outstanding, \
             CAST(s.student_count AS BIGINT) AS student_count, \
             CAST(s.committed_copies AS BIGINT) AS school_committed, s.name, s.province \
             {wanted} ORDER BY w.id"
        );
        let rows = self.db.query_all_raw(self.stmt(&sql, values)).await?;
        rows.iter()
            .map(|r| {
                let isbn: String = r.try_get("", "isbn")?;
                Ok(BoxOpening {
                    isbn: convert::isbn(&isbn)?,
                    item: WishlistItemId(r.try_get("", "id")?),
                    school: SchoolId(r.try_get("", "school_id")?),
                    outstanding: convert::count(r.try_get::<i64>("", "outstanding")?)?,
                    helped: Helped {
                        committed: u64::try_from(r.try_get::<i64>("", "school_committed")?)
                            .unwrap_or(0),
                        students: convert::count(r.try_get::<i64>("", "student_count")?)?,
                    },
                    school_name: r.try_get("", "name")?,
                    province: r.try_get("", "province")?,
                })
            })
            .collect()
    }

    /// Keeps a box and its proposed plan; returns its id.
    pub async fn save_box(
        &self,
        donor: AccountId,
        request: &str,
        plan: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<BoxId> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "INSERT INTO boxes (donor_account_id, books, plan, confirmed, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                vec![
                    donor.get().into(),
                    request.into(),
                    plan.into(),
                    false.into(),
                    now.into(),
                ],
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("insert returned no id".into()))?;
        Ok(BoxId(row.try_get("", "id")?))
    }

    /// Puts a plan (an updated one) on a stored box.
    pub async fn replan_box(&self, id: BoxId, plan: &str) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "UPDATE boxes SET plan = $1 WHERE id = $2 AND confirmed = $3",
                vec![plan.into(), id.get().into(), false.into()],
            ))
            .await?;
        Ok(())
    }

    /// A stored box.
    pub async fn stored_box(&self, id: BoxId) -> StoreResult<Option<StoredBox>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT donor_account_id, books, plan, confirmed FROM boxes WHERE id = $1",
                vec![id.get().into()],
            ))
            .await?;
        row.map(|r| {
            Ok(StoredBox {
                donor: AccountId(r.try_get("", "donor_account_id")?),
                request: r.try_get("", "books")?,
                plan: r.try_get("", "plan")?,
                confirmed: r.try_get("", "confirmed")?,
            })
        })
        .transpose()
    }

    /// Confirms a box: every part takes its copies with a conditional update that holds only
    /// while its item still needs them, and becomes a pledge in its parcel (the parcel's id is
    /// its first pledge's), all in one transaction. `None` when any part's need is gone or
    /// the box was confirmed meanwhile: then nothing is written.
    pub async fn confirm_box(
        &self,
        id: BoxId,
        donor: AccountId,
        parcels: &[Vec<BoxPart>],
        dates: (DateTime<Utc>, DateTime<Utc>),
    ) -> StoreResult<Option<Vec<Vec<Pledge>>>> {
        let (now, _) = dates;
        let txn = self.begin_write().await?;
        let first_confirmation = changed_one(
            &txn,
            self.stmt(
                "UPDATE boxes SET confirmed = $1 WHERE id = $2 AND confirmed = $3",
                vec![true.into(), id.get().into(), false.into()],
            ),
        )
        .await?;
        if !first_confirmation {
            txn.rollback().await?;
            return Ok(None);
        }
        let mut made = Vec::with_capacity(parcels.len());
        let mut books: Vec<&str> = Vec::new();
        for parts in parcels {
            let mut parcel: Vec<Pledge> = Vec::with_capacity(parts.len());
            for part in parts {
                let copies = i64::from(part.quantity);
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
                        isbn: &part.isbn,
                        quantity: part.quantity,
                        dates,
                        wish: None,
                        parcel: parcel.first().map(|p: &Pledge| ParcelId(p.id.get())),
                    },
                )
                .await?;
                parcel.push(pledge);
                books.push(part.isbn.as_str());
            }
            made.push(parcel);
        }
        outbox::record(&txn, books, now).await?;
        txn.commit().await?;
        Ok(Some(made))
    }
}
