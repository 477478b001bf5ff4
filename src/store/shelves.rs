//! Schools' shelves: the titles each already has.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::books::ensure_book;
use super::{Store, StoreError, StoreResult};
use crate::domain::ids::SchoolId;
use crate::domain::isbn::Isbn;
use crate::domain::shelves::{ShelfBook, ShelfSource};

impl Store {
    /// Puts titles on a school's shelf, in one transaction (those already there stay as they
    /// were); says how many were new. Books new to the catalogue are added to it.
    pub async fn shelve(
        &self,
        school: SchoolId,
        isbns: &[Isbn],
        source: ShelfSource,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let txn = self.begin_write().await?;
        let mut added = 0;
        for isbn in isbns {
            ensure_book(&txn, isbn, now).await?;
            added += shelve_one(&txn, school, isbn, source, now).await?;
        }
        txn.commit().await?;
        Ok(added)
    }

    /// A school's shelf, most recent first.
    pub async fn shelf(&self, school: SchoolId) -> StoreResult<Vec<ShelfBook>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT s.isbn, b.title, b.work, s.source, s.added_at FROM shelf_books s \
                 LEFT JOIN books b ON b.isbn = s.isbn WHERE s.school_id = $1 \
                 ORDER BY s.added_at DESC, s.id DESC",
                vec![school.get().into()],
            ))
            .await?;
        rows.into_iter()
            .map(|row| {
                let isbn: String = row.try_get("", "isbn")?;
                let source: String = row.try_get("", "source")?;
                Ok(ShelfBook {
                    isbn: Isbn::parse(&isbn)
                        .map_err(|_| StoreError::Corrupt(format!("shelf isbn {isbn}")))?,
                    title: row.try_get("", "title")?,
                    work: row.try_get("", "work")?,
                    source: ShelfSource::parse(&source)
                        .ok_or_else(|| StoreError::Corrupt(format!("shelf source {source}")))?,
                    added_at: row.try_get("", "added_at")?,
                })
            })
            .collect()
    }

    /// The title on the school's shelf that is `isbn`, or another edition of its work.
    pub async fn on_shelf(&self, school: SchoolId, isbn: &Isbn) -> StoreResult<Option<Isbn>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT s.isbn FROM shelf_books s LEFT JOIN books b ON b.isbn = s.isbn \
                 WHERE s.school_id = $1 AND (s.isbn = $2 OR b.work = \
                 (SELECT work FROM books WHERE isbn = $2)) \
                 ORDER BY s.isbn = $2 DESC LIMIT 1",
                vec![school.get().into(), isbn.as_str().into()],
            ))
            .await?;
        row.map(|row| {
            let found: String = row.try_get("", "isbn")?;
            Isbn::parse(&found).map_err(|_| StoreError::Corrupt(format!("shelf isbn {found}")))
        })
        .transpose()
    }

    /// Which of `isbns` the school has: the edition itself or another of its work.
    pub async fn shelved_among(
        &self,
        school: SchoolId,
        isbns: &[Isbn],
    ) -> StoreResult<std::collections::HashSet<Isbn>> {
        if isbns.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        let mut values = Vec::with_capacity(isbns.len() + 1);
        let school = super::bind(&mut values, school.get());
        let list = super::bind_all(&mut values, isbns.iter().map(Isbn::as_str));
        let rows = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT b.isbn FROM books b WHERE b.isbn IN ({list}) AND ( \
                     EXISTS (SELECT 1 FROM shelf_books s WHERE s.school_id = {school} \
                       AND s.isbn = b.isbn) \
                     OR EXISTS (SELECT 1 FROM shelf_books s JOIN books e ON e.isbn = s.isbn \
                       WHERE s.school_id = {school} AND e.work = b.work))"
                ),
                values,
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let found: String = row.try_get("", "isbn")?;
                Isbn::parse(&found).map_err(|_| StoreError::Corrupt(format!("book isbn {found}")))
            })
            .collect()
    }
}

/// Puts one title on a shelf unless it is there; 1 when it was new.
pub(super) async fn shelve_one(
    conn: &impl ConnectionTrait,
    school: SchoolId,
    isbn: &Isbn,
    source: ShelfSource,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let done = conn
        .execute_raw(super::stmt(
            conn.get_database_backend(),
            "INSERT INTO shelf_books (school_id, isbn, source, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (school_id, isbn) DO NOTHING",
            vec![
                school.get().into(),
                isbn.as_str().into(),
                source.as_str().into(),
                now.into(),
            ],
        ))
        .await?;
    Ok(done.rows_affected())
}
