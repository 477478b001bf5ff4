//! Children's wishes: written down with their own one-copy item, claimed with a conditional
//! UPDATE on the wish's status (so exactly one donor wins, on SQLite and Postgres), and
//! emptied of the child's details on withdrawal or when their time is up.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, Value};

use super::books::ensure_book;
use super::pledge_rows::{insert_pledge, NewPledgeRow};
use super::{
    audit, bind, bind_all, changed_one, convert, notices, stmt, Store, StoreError, StoreResult,
};
use crate::domain::audit::AuditEntry;
use crate::domain::child_wishes::{
    ChildName, ChildWish, ClassCounts, Grade, PhotoKind, WishEvent, WishStatus,
};
use crate::domain::ids::{AccountId, BookListId, ChildWishId, PledgeId, SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{ItemStatus, Pledge};
use crate::domain::notices::NewNotice;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::wishlists::ItemKind;

/// A checked wish, ready to be written.
#[derive(Debug, Clone)]
pub struct NewChildWish<'a> {
    /// The school.
    pub school: SchoolId,
    /// The book.
    pub isbn: &'a Isbn,
    /// The child's grade.
    pub grade: Grade,
    /// The curated list it was chosen from.
    pub booklist: Option<BookListId>,
    /// Given name or nickname.
    pub child_name: &'a ChildName,
    /// The child's sentence.
    pub sentence: &'a str,
    /// Who recorded the guardian's consent, when it was given with the wish.
    pub consent_by: Option<AccountId>,
    /// Who wrote it down.
    pub created_by: AccountId,
    /// The photo of the card, if any: its name and its bytes (kept in the same transaction).
    pub photo: Option<(&'a str, &'a [u8])>,
}

/// Which wishes to list.
#[derive(Debug, Clone, Default)]
pub struct WishFilter {
    /// Only in these statuses (all when empty).
    pub statuses: Vec<WishStatus>,
    /// Only at this school.
    pub school: Option<SchoolId>,
    /// Only in this grade.
    pub grade: Option<Grade>,
    /// Only for this book.
    pub isbn: Option<Isbn>,
    /// Only at schools in this province (as stored).
    pub province: Option<String>,
    /// Only at verified schools.
    pub verified_only: bool,
    /// Those waiting longest first (else newest first).
    pub oldest_first: bool,
    /// Page size.
    pub limit: u64,
    /// Rows to skip.
    pub offset: u64,
}

const WISH_COLUMNS: &str = "c.id, c.school_id, c.wishlist_item_id, c.isbn, CAST(c.grade AS BIGINT) AS grade, \
     c.booklist_id, c.child_name, c.sentence, c.photo, c.status, c.consent_by, c.consent_at, c.thanks, \
     c.thanks_photo, c.thanked_at, c.delivered_at, c.details_removed_at, c.created_at, \
     s.owner_account_id, s.name AS school_name, s.province, s.county, s.verified AS school_verified, \
     b.title, a.id AS pledge_id, a.donor_account_id AS donor_id";

impl Store {
    /// Writes a wish down with its one-copy item; published at once when the guardian's
    /// consent comes with it.
    pub async fn create_child_wish(
        &self,
        wish: &NewChildWish<'_>,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<ChildWishId> {
        let txn = self.begin_write().await?;
        ensure_book(&txn, wish.isbn, now).await?;
        if let Some(photo) = wish.photo {
            super::photos::insert(self, &txn, photo, now).await?;
        }
        // Closed to book-list pledges: the copy is answered only through the card.
        let item = txn
            .query_one_raw(self.stmt(
                "INSERT INTO wishlist_items (school_id, isbn, requested, committed, note, status, kind, created_at, updated_at) \
                 VALUES ($1, $2, 1, 0, NULL, $3, $4, $5, $5) RETURNING id",
                vec![
                    wish.school.get().into(),
                    wish.isbn.as_str().into(),
                    ItemStatus::Closed.as_str().into(),
                    ItemKind::Wish.as_str().into(),
                    now.into(),
                ],
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("insert returned no id".into()))?;
        let status = if wish.consent_by.is_some() {
            WishStatus::Open
        } else {
            WishStatus::AwaitingConsent
        };
        let row = txn
            .query_one_raw(self.stmt(
                "INSERT INTO child_wishes (school_id, wishlist_item_id, isbn, grade, booklist_id, child_name, \
                 sentence, status, created_by, consent_by, consent_at, created_at, updated_at, photo) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id",
                vec![
                    wish.school.get().into(),
                    item.try_get::<i64>("", "id")?.into(),
                    wish.isbn.as_str().into(),
                    i16::from(wish.grade.get()).into(),
                    wish.booklist.map(BookListId::get).into(),
                    wish.child_name.as_str().to_owned().into(),
                    wish.sentence.to_owned().into(),
                    status.as_str().into(),
                    wish.created_by.get().into(),
                    wish.consent_by.map(AccountId::get).into(),
                    wish.consent_by.map(|_| now).into(),
                    now.into(),
                    wish.photo.map(|(name, _)| name.to_owned()).into(),
                ],
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("insert returned no id".into()))?;
        let id = ChildWishId(row.try_get("", "id")?);
        let detail = if wish.consent_by.is_some() {
            "written down with the guardian's consent"
        } else {
            "written down, awaiting the guardian's consent"
        };
        audit::record(
            &txn,
            &AuditEntry {
                subject: format!("wish:{id}"),
                ..entry.clone()
            }
            .detail(detail),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// One wish.
    pub async fn child_wish(&self, id: ChildWishId) -> StoreResult<Option<ChildWish>> {
        let mut values = Vec::new();
        let id_slot = bind(&mut values, id.get());
        let sql = format!("{} WHERE c.id = {id_slot}", select_wishes(&mut values));
        let row = self.db.query_one_raw(self.stmt(&sql, values)).await?;
        row.as_ref().map(wish_from).transpose()
    }

    /// Wishes by id (those that exist), for the pledges that answer them.
    pub async fn child_wishes_by_id(&self, ids: &[ChildWishId]) -> StoreResult<Vec<ChildWish>> {
        wishes_by_id(&self.db, ids).await
    }

    /// Wishes matching a filter.
    pub async fn child_wishes(&self, filter: &WishFilter) -> StoreResult<Vec<ChildWish>> {
        let mut values = Vec::new();
        let mut sql = select_wishes(&mut values);
        sql.push_str(" WHERE 1 = 1");
        if !filter.statuses.is_empty() {
            let slots = bind_all(&mut values, filter.statuses.iter().map(|s| s.as_str()));
            sql.push_str(&format!(" AND c.status IN ({slots})"));
        }
        if let Some(school) = filter.school {
            sql.push_str(&format!(
                " AND c.school_id = {}",
                bind(&mut values, school.get())
            ));
        }
        if let Some(grade) = filter.grade {
            sql.push_str(&format!(
                " AND c.grade = {}",
                bind(&mut values, i16::from(grade.get()))
            ));
        }
        if let Some(isbn) = &filter.isbn {
            sql.push_str(&format!(
                " AND c.isbn = {}",
                bind(&mut values, isbn.as_str())
            ));
        }
        if let Some(province) = &filter.province {
            sql.push_str(&format!(
                " AND s.province = {}",
                bind(&mut values, province.clone())
            ));
        }
        if filter.verified_only {
            sql.push_str(&format!(" AND s.verified = {}", bind(&mut values, true)));
        }
        sql.push_str(if filter.oldest_first {
            " ORDER BY c.created_at, c.id"
        } else {
            " ORDER BY c.id DESC"
        });
        sql.push_str(&format!(
            " LIMIT {} OFFSET {}",
            bind(&mut values, super::to_i64(filter.limit)),
            bind(&mut values, super::to_i64(filter.offset))
        ));
        let rows = self.db.query_all_raw(self.stmt(&sql, values)).await?;
        rows.iter().map(wish_from).collect()
    }

    /// How a school's wishes stand, by grade (every grade with any wish).
    pub async fn class_counts(&self, school: SchoolId) -> StoreResult<Vec<(Grade, ClassCounts)>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT CAST(grade AS BIGINT) AS grade, status, CAST(COUNT(*) AS BIGINT) AS n \
                 FROM child_wishes WHERE school_id = $1 GROUP BY grade, status ORDER BY grade",
                vec![school.get().into()],
            ))
            .await?;
        let mut classes: Vec<(Grade, ClassCounts)> = Vec::new();
        for r in rows {
            let grade = Grade::new(r.try_get::<i64>("", "grade")?)
                .map_err(|e| StoreError::Corrupt(e.message))?;
            let status = wish_status(&r.try_get::<String>("", "status")?)?;
            let n = convert::count(r.try_get::<i64>("", "n")?)?;
            match classes.last_mut() {
                Some((g, counts)) if *g == grade => counts.add(status, n),
                _ => {
                    let mut counts = ClassCounts::default();
                    counts.add(status, n);
                    classes.push((grade, counts));
                }
            }
        }
        Ok(classes)
    }

    /// Records the guardian's consent and publishes the wish. `false` when it was not
    /// waiting for consent (any more).
    pub async fn consent_child_wish(
        &self,
        id: ChildWishId,
        by: AccountId,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let to = WishStatus::AwaitingConsent
            .after(WishEvent::Consent)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.audited_change(
            self.stmt(
                "UPDATE child_wishes SET status = $1, consent_by = $2, consent_at = $3, updated_at = $3 \
                 WHERE id = $4 AND status = $5",
                vec![
                    to.as_str().into(),
                    by.get().into(),
                    now.into(),
                    id.get().into(),
                    WishStatus::AwaitingConsent.as_str().into(),
                ],
            ),
            entry,
            now,
        )
        .await
    }

    /// A donor claims an open wish: the wish moves to claimed only if it is still open (the
    /// conditional UPDATE is the no-double-claim rule), its one copy is committed and the
    /// pledge written, in one transaction. `None`: someone else was faster (or it changed).
    /// `sent` is the edition the donor sends (the wish's own, or another of its work).
    pub async fn claim_child_wish(
        &self,
        donor: AccountId,
        wish: &ChildWish,
        sent: &Isbn,
        dates: (DateTime<Utc>, DateTime<Utc>),
    ) -> StoreResult<Option<Pledge>> {
        let now = dates.0;
        let to = WishStatus::Open
            .after(WishEvent::Claim)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let txn = self.begin_write().await?;
        let claimed = changed_one(
            &txn,
            self.stmt(
                "UPDATE child_wishes SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4 \
                 AND details_removed_at IS NULL \
                 AND EXISTS (SELECT 1 FROM schools s WHERE s.id = child_wishes.school_id AND s.verified = $5)",
                vec![
                    to.as_str().into(),
                    now.into(),
                    wish.id.get().into(),
                    WishStatus::Open.as_str().into(),
                    true.into(),
                ],
            ),
        )
        .await?;
        let took = claimed
            && changed_one(
                &txn,
                self.stmt(
                    "UPDATE wishlist_items SET committed = committed + 1, updated_at = $1 \
                     WHERE id = $2 AND requested - committed >= 1",
                    vec![now.into(), wish.wishlist_item_id.get().into()],
                ),
            )
            .await?;
        if !took {
            txn.rollback().await?;
            return Ok(None);
        }
        super::pledge_rows::add_committed(&txn, wish.school_id, 1).await?;
        let pledge = insert_pledge(
            &txn,
            NewPledgeRow {
                donor,
                school: wish.school_id,
                item: wish.wishlist_item_id,
                isbn: sent,
                quantity: 1,
                dates,
                wish: Some(wish.id),
                parcel: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Some(pledge))
    }

    /// Keeps a wish's photo while the wish may still take one (the card: before it is
    /// answered; the thanks card: once delivered), removing the one it replaces, in one
    /// transaction. `false` when the wish is not in such a status (nothing is kept).
    pub async fn set_wish_photo(
        &self,
        id: ChildWishId,
        kind: PhotoKind,
        (file, bytes): (&str, &[u8]),
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let (column, statuses): (&str, &[WishStatus]) = match kind {
            PhotoKind::Card => ("photo", &[WishStatus::AwaitingConsent, WishStatus::Open]),
            PhotoKind::Thanks => ("thanks_photo", &[WishStatus::Delivered]),
        };
        let txn = self.begin_write().await?;
        let mut values: Vec<Value> = vec![id.get().into()];
        let slots = bind_all(&mut values, statuses.iter().map(|s| s.as_str()));
        let old = txn
            .query_one_raw(self.stmt(
                &format!(
                    "SELECT {column} AS old FROM child_wishes WHERE id = $1 AND status IN ({slots}) \
                     AND details_removed_at IS NULL"
                ),
                values.clone(),
            ))
            .await?;
        let Some(old) = old else {
            txn.rollback().await?;
            return Ok(false);
        };
        let replaced: Option<String> = old.try_get("", "old")?;
        super::photos::insert(self, &txn, (file, bytes), now).await?;
        let file_slot = bind(&mut values, file.to_owned());
        let now_slot = bind(&mut values, now);
        txn.execute_raw(self.stmt(
            &format!(
                "UPDATE child_wishes SET {column} = {file_slot}, updated_at = {now_slot} \
                 WHERE id = $1 AND status IN ({slots})"
            ),
            values,
        ))
        .await?;
        super::photos::delete(self, &txn, &replaced.into_iter().collect::<Vec<_>>()).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Records the child's thanks on a delivered wish and tells the donor. `false` when the
    /// wish is not delivered or its details are gone.
    pub async fn thank_for_wish(
        &self,
        wish: &ChildWish,
        pledge: &Pledge,
        thanks: &str,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let done = changed_one(
            &txn,
            self.stmt(
                "UPDATE child_wishes SET thanks = $1, thanked_at = $2, updated_at = $2 \
                 WHERE id = $3 AND status = $4 AND details_removed_at IS NULL",
                vec![
                    thanks.to_owned().into(),
                    now.into(),
                    wish.id.get().into(),
                    WishStatus::Delivered.as_str().into(),
                ],
            ),
        )
        .await?;
        if !done {
            txn.rollback().await?;
            return Ok(false);
        }
        notices::record(&txn, pledge, &[NewNotice::thanks(pledge.id)], now).await?;
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Withdraws a wish (or, once delivered, removes its details and keeps it counted):
    /// the child's name, sentence, photos and thanks are erased. `false` when it changed
    /// since it was read.
    pub async fn withdraw_child_wish(
        &self,
        wish: &ChildWish,
        to: WishStatus,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let done = changed_one(
            &txn,
            self.stmt(
                &format!(
                    "UPDATE child_wishes SET status = $1, {ERASE}, details_removed_at = $2, updated_at = $2 \
                     WHERE id = $3 AND status = $4"
                ),
                vec![
                    to.as_str().into(),
                    now.into(),
                    wish.id.get().into(),
                    wish.status.as_str().into(),
                ],
            ),
        )
        .await?;
        if !done {
            txn.rollback().await?;
            return Ok(false);
        }
        super::photos::delete(self, &txn, &photos_of(wish)).await?;
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Removes the child's details of up to `limit` wishes delivered at or before
    /// `delivered_by`, keeping the wishes as counts, with their photos. Returns how many.
    pub async fn remove_child_details(
        &self,
        delivered_by: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<u64> {
        let txn = self.begin_write().await?;
        let rows = txn
            .query_all_raw(self.stmt(
                "SELECT id, photo, thanks_photo FROM child_wishes WHERE status = $1 \
                 AND delivered_at <= $2 AND details_removed_at IS NULL ORDER BY id LIMIT $3",
                vec![
                    WishStatus::Delivered.as_str().into(),
                    delivered_by.into(),
                    super::to_i64(limit).into(),
                ],
            ))
            .await?;
        let mut orphans = Vec::new();
        let mut ids: Vec<Value> = Vec::new();
        for r in &rows {
            ids.push(r.try_get::<i64>("", "id")?.into());
            for col in ["photo", "thanks_photo"] {
                if let Some(file) = r.try_get::<Option<String>>("", col)? {
                    orphans.push(file);
                }
            }
        }
        if ids.is_empty() {
            txn.rollback().await?;
            return Ok(0);
        }
        let n = ids.len() as u64;
        let mut values = vec![now.into()];
        let slots = ids
            .into_iter()
            .map(|id| bind(&mut values, id))
            .collect::<Vec<_>>()
            .join(", ");
        txn.execute_raw(self.stmt(
            &format!(
                "UPDATE child_wishes SET {ERASE}, details_removed_at = $1, updated_at = $1 WHERE id IN ({slots})"
            ),
            values,
        ))
        .await?;
        super::photos::delete(self, &txn, &orphans).await?;
        audit::record(
            &txn,
            &AuditEntry::by_system(
                crate::domain::audit::AuditAction::ChildWishChanged,
                "wishes",
            )
            .detail(format!(
                "removed the child's details of {n} delivered wishes"
            )),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(n)
    }

    /// The pledge that answers (or answered) a wish, if any.
    pub async fn pledge_for_wish(&self, wish: &ChildWish) -> StoreResult<Option<Pledge>> {
        match wish.pledge_id {
            Some(id) => self.pledge(id).await,
            None => Ok(None),
        }
    }
}

/// The columns that hold a child's details, emptied.
const ERASE: &str =
    "child_name = NULL, sentence = NULL, photo = NULL, thanks = NULL, thanks_photo = NULL";

/// Moves a wish by `event` on the caller's transaction (a claim's pledge moving), from
/// whichever status allows it; nothing when none does (withdrawn meanwhile).
pub(super) async fn apply_event(
    txn: &DatabaseTransaction,
    wish: ChildWishId,
    event: WishEvent,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for from in WishStatus::ALL {
        let Ok(to) = from.after(event) else { continue };
        txn.execute_raw(stmt(
            txn.get_database_backend(),
            "UPDATE child_wishes SET status = $1, updated_at = $2, \
             delivered_at = CASE WHEN $1 = $3 THEN $2 ELSE delivered_at END \
             WHERE id = $4 AND status = $5",
            vec![
                to.as_str().into(),
                now.into(),
                WishStatus::Delivered.as_str().into(),
                wish.get().into(),
                from.as_str().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// The SELECT over wishes with their school, title and the pledge that answers them;
/// binds what it needs into `values` first.
/// Wishes by id (those that exist), on `conn`: the pool, or a writer's transaction.
pub(super) async fn wishes_by_id(
    conn: &impl ConnectionTrait,
    ids: &[ChildWishId],
) -> StoreResult<Vec<ChildWish>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = Vec::new();
    let head = select_wishes(&mut values);
    let slots = bind_all(&mut values, ids.iter().map(|id| id.get()));
    let sql = format!("{head} WHERE c.id IN ({slots})");
    let rows = conn
        .query_all_raw(super::stmt(conn.get_database_backend(), &sql, values))
        .await?;
    rows.iter().map(wish_from).collect()
}

fn select_wishes(values: &mut Vec<Value>) -> String {
    let holding = bind_all(
        values,
        PledgeStatus::ALL
            .into_iter()
            .filter(|s| s.holds_copies())
            .map(PledgeStatus::as_str),
    );
    let answering = format!(
        "(SELECT p.id FROM pledges p WHERE p.child_wish_id = c.id AND p.status IN ({holding}) \
         ORDER BY p.id DESC LIMIT 1)"
    );
    format!(
        "SELECT {WISH_COLUMNS} FROM child_wishes c JOIN schools s ON s.id = c.school_id \
         LEFT JOIN books b ON b.isbn = c.isbn LEFT JOIN pledges a ON a.id = {answering}"
    )
}

fn wish_status(stored: &str) -> StoreResult<WishStatus> {
    WishStatus::parse(stored)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown wish status `{stored}`")))
}

fn photos_of(wish: &ChildWish) -> Vec<String> {
    [wish.photo.clone(), wish.thanks_photo.clone()]
        .into_iter()
        .flatten()
        .collect()
}

fn wish_from(r: &sea_orm::QueryResult) -> StoreResult<ChildWish> {
    let consent_by: Option<i64> = r.try_get("", "consent_by")?;
    let consent_at: Option<DateTime<Utc>> = r.try_get("", "consent_at")?;
    Ok(ChildWish {
        id: ChildWishId(r.try_get("", "id")?),
        school_id: SchoolId(r.try_get("", "school_id")?),
        school_owner: AccountId(r.try_get("", "owner_account_id")?),
        school_name: r.try_get("", "school_name")?,
        school_verified: r.try_get("", "school_verified")?,
        province: r.try_get("", "province")?,
        county: r.try_get("", "county")?,
        wishlist_item_id: WishlistItemId(r.try_get("", "wishlist_item_id")?),
        isbn: convert::isbn(&r.try_get::<String>("", "isbn")?)?,
        title: r.try_get("", "title")?,
        grade: Grade::new(r.try_get::<i64>("", "grade")?)
            .map_err(|e| StoreError::Corrupt(e.message))?,
        booklist_id: r.try_get::<Option<i64>>("", "booklist_id")?.map(BookListId),
        child_name: r
            .try_get::<Option<String>>("", "child_name")?
            .map(ChildName::from_stored),
        sentence: r.try_get("", "sentence")?,
        photo: r.try_get("", "photo")?,
        status: wish_status(&r.try_get::<String>("", "status")?)?,
        consent: consent_by.map(AccountId).zip(consent_at),
        thanks: r.try_get("", "thanks")?,
        thanks_photo: r.try_get("", "thanks_photo")?,
        thanked_at: r.try_get("", "thanked_at")?,
        delivered_at: r.try_get("", "delivered_at")?,
        details_removed_at: r.try_get("", "details_removed_at")?,
        donor: r.try_get::<Option<i64>>("", "donor_id")?.map(AccountId),
        pledge_id: r.try_get::<Option<i64>>("", "pledge_id")?.map(PledgeId),
        created_at: r.try_get("", "created_at")?,
    })
}
