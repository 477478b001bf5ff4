//! Wish-list items and their progress.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::books::ensure_book;
use super::entity::{books, wishlist_items};
use super::{convert, outbox, Store, StoreError, StoreResult};
use crate::domain::ids::{SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{ItemStatus, WishlistItem};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::quantity::Quantity;
use crate::domain::wishlists::{may_add, ItemKind};
pub use crate::domain::wishlists::{RequestedChange, WishAdded};

impl Store {
    /// Adds copies of a book to a school's wish list: to its open item for the ISBN if it has
    /// one, else as a new item. Returns the item's id.
    pub async fn add_wish(
        &self,
        school: SchoolId,
        isbn: &Isbn,
        quantity: Quantity,
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<WishAdded> {
        self.add_wish_editions(school, isbn, quantity, (note, None), now)
            .await
    }

    /// As [`Store::add_wish`], also saying whether any edition of the book's work will do
    /// (`None`: a new item takes any, an existing one keeps its choice).
    pub async fn add_wish_editions(
        &self,
        school: SchoolId,
        isbn: &Isbn,
        quantity: Quantity,
        (note, any_edition): (Option<&str>, Option<bool>),
        now: DateTime<Utc>,
    ) -> StoreResult<WishAdded> {
        // Two first requests for the same ISBN can race on Postgres; the partial unique
        // index lets one insert win and the other retries as an addition.
        for _ in 0..3 {
            match self
                .try_add_wish(school, isbn, quantity, (note, any_edition), now)
                .await
            {
                Err(StoreError::Duplicate) => continue,
                other => return other,
            }
        }
        self.try_add_wish(school, isbn, quantity, (note, any_edition), now)
            .await
    }

    async fn try_add_wish(
        &self,
        school: SchoolId,
        isbn: &Isbn,
        quantity: Quantity,
        (note, any_edition): (Option<&str>, Option<bool>),
        now: DateTime<Utc>,
    ) -> StoreResult<WishAdded> {
        let txn = self.begin_write().await?;
        // The write lock is held (SQLite: IMMEDIATE; Postgres: FOR UPDATE), so the check and
        // the addition below see the same row.
        let lock = if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let current = txn
            .query_one_raw(self.stmt(
                &format!(
                    "SELECT CAST(requested AS BIGINT) AS requested FROM wishlist_items \
                     WHERE school_id = $1 AND isbn = $2 AND status = $3{lock}"
                ),
                vec![
                    school.get().into(),
                    isbn.as_str().into(),
                    ItemStatus::Open.as_str().into(),
                ],
            ))
            .await?;
        if let Some(row) = current {
            let requested = convert::count(row.try_get::<i64>("", "requested")?)?;
            if !may_add(requested, quantity.get()) {
                txn.rollback().await?;
                return Ok(WishAdded::OverLimit(requested));
            }
        }
        let existing = txn
            .query_one_raw(self.stmt(
                "UPDATE wishlist_items SET requested = requested + $1, note = COALESCE($2, note), \
                 any_edition = COALESCE($7, any_edition), updated_at = $3 \
                 WHERE school_id = $4 AND isbn = $5 AND status = $6 RETURNING id",
                vec![
                    i64::from(quantity.get()).into(),
                    note.map(str::to_owned).into(),
                    now.into(),
                    school.get().into(),
                    isbn.as_str().into(),
                    ItemStatus::Open.as_str().into(),
                    any_edition.into(),
                ],
            ))
            .await?;
        let id = match existing {
            Some(row) => row.try_get::<i64>("", "id")?,
            None => {
                ensure_book(&txn, isbn, now).await?;
                let row = txn
                    .query_one_raw(self.stmt(
                        "INSERT INTO wishlist_items (school_id, isbn, requested, committed, note, status, \
                         created_at, updated_at, any_edition) \
                         VALUES ($1, $2, $3, 0, $4, $6, $5, $5, $7) RETURNING id",
                        vec![
                            school.get().into(),
                            isbn.as_str().into(),
                            i64::from(quantity.get()).into(),
                            note.map(str::to_owned).into(),
                            now.into(),
                            ItemStatus::Open.as_str().into(),
                            any_edition.unwrap_or(true).into(),
                        ],
                    ))
                    .await
                    .map_err(StoreError::from_write)?
                    .ok_or_else(|| StoreError::Corrupt("insert returned no id".into()))?;
                row.try_get::<i64>("", "id")?
            }
        };
        outbox::record(&txn, [isbn.as_str()], now).await?;
        txn.commit().await?;
        Ok(WishAdded::Item(WishlistItemId(id)))
    }

    /// One item with its progress.
    pub async fn wishlist_item(&self, id: WishlistItemId) -> StoreResult<Option<WishlistItem>> {
        let Some(row) = wishlist_items::Entity::find_by_id(id.get())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(self.with_progress(vec![row]).await?.pop())
    }

    /// A school's items (optionally only those in one status), oldest first.
    pub async fn wishlist(
        &self,
        school: SchoolId,
        status: Option<ItemStatus>,
    ) -> StoreResult<Vec<WishlistItem>> {
        let mut query = wishlist_items::Entity::find()
            .filter(wishlist_items::Column::SchoolId.eq(school.get()))
            // A child's wish card has its own one-copy item; it is not a line of the list.
            .filter(wishlist_items::Column::Kind.eq(ItemKind::List.as_str()))
            .order_by_asc(wishlist_items::Column::Id);
        if let Some(status) = status {
            query = query.filter(wishlist_items::Column::Status.eq(status.as_str()));
        }
        let rows = query.all(&self.db).await?;
        self.with_progress(rows).await
    }

    /// Sets an open item's requested copies, never below what active pledges hold.
    pub async fn set_requested(
        &self,
        id: WishlistItemId,
        quantity: Quantity,
        now: DateTime<Utc>,
    ) -> StoreResult<RequestedChange> {
        let txn = self.begin_write().await?;
        let changed = txn
            .query_one_raw(self.stmt(
                "UPDATE wishlist_items SET requested = $1, updated_at = $2 \
                 WHERE id = $3 AND status = $4 AND committed <= $1 RETURNING isbn",
                vec![
                    i64::from(quantity.get()).into(),
                    now.into(),
                    id.get().into(),
                    ItemStatus::Open.as_str().into(),
                ],
            ))
            .await?;
        if let Some(row) = changed {
            let isbn: String = row.try_get("", "isbn")?;
            outbox::record(&txn, [isbn.as_str()], now).await?;
            txn.commit().await?;
            return Ok(RequestedChange::Changed);
        }
        txn.rollback().await?;
        let Some(row) = wishlist_items::Entity::find_by_id(id.get())
            .one(&self.db)
            .await?
        else {
            return Ok(RequestedChange::Missing);
        };
        if convert::item_status(&row.status)? == ItemStatus::Closed {
            return Ok(RequestedChange::Closed);
        }
        Ok(RequestedChange::BelowCommitted(convert::count(
            row.committed,
        )?))
    }

    /// Closes an item: it takes no more pledges; pledges already made carry on.
    pub async fn close_item(&self, id: WishlistItemId, now: DateTime<Utc>) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let closed = txn
            .query_one_raw(self.stmt(
                "UPDATE wishlist_items SET status = $3, updated_at = $1 \
                 WHERE id = $2 AND status = $4 RETURNING isbn",
                vec![
                    now.into(),
                    id.get().into(),
                    ItemStatus::Closed.as_str().into(),
                    ItemStatus::Open.as_str().into(),
                ],
            ))
            .await?;
        let Some(row) = closed else {
            txn.rollback().await?;
            return Ok(false);
        };
        let isbn: String = row.try_get("", "isbn")?;
        outbox::record(&txn, [isbn.as_str()], now).await?;
        txn.commit().await?;
        Ok(true)
    }

    async fn with_progress(
        &self,
        rows: Vec<wishlist_items::Model>,
    ) -> StoreResult<Vec<WishlistItem>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let isbns: Vec<String> = rows.iter().map(|r| r.isbn.clone()).collect();

        let titles: HashMap<String, Option<String>> = books::Entity::find()
            .filter(books::Column::Isbn.is_in(isbns))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|b| (b.isbn, b.title))
            .collect();

        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sums = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT wishlist_item_id, status, CAST(SUM(quantity) AS BIGINT) AS copies \
                     FROM pledges WHERE wishlist_item_id IN ({}) GROUP BY wishlist_item_id, status",
                    placeholders.join(", ")
                ),
                ids.iter().map(|&id| id.into()).collect(),
            ))
            .await?;
        let mut by_status: HashMap<(i64, String), u32> = HashMap::new();
        for row in sums {
            let item: i64 = row.try_get("", "wishlist_item_id")?;
            let status: String = row.try_get("", "status")?;
            let copies = convert::count(row.try_get::<i64>("", "copies")?)?;
            by_status.insert((item, status), copies);
        }
        let copies = |item: i64, status: PledgeStatus| {
            by_status
                .get(&(item, status.as_str().to_owned()))
                .copied()
                .unwrap_or(0)
        };

        rows.into_iter()
            .map(|row| {
                let outstanding = convert::outstanding(&row)?;
                Ok(WishlistItem {
                    id: WishlistItemId(row.id),
                    school_id: SchoolId(row.school_id),
                    isbn: convert::isbn(&row.isbn)?,
                    title: titles.get(&row.isbn).cloned().flatten(),
                    requested: convert::count(row.requested)?,
                    pledged: copies(row.id, PledgeStatus::Pledged),
                    shipped: copies(row.id, PledgeStatus::Shipped),
                    delivered: copies(row.id, PledgeStatus::Delivered),
                    committed: convert::count(row.committed)?,
                    outstanding,
                    note: row.note,
                    any_edition: row.any_edition,
                    status: convert::item_status(&row.status)?,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                })
            })
            .collect()
    }
}
