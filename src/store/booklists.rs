//! Curated book lists and the books on them.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::books::ensure_book;
use super::{audit, Store, StoreError, StoreResult};
use crate::domain::audit::AuditEntry;
use crate::domain::booklists::{BookList, BookListEntry, NewBookList, MAX_BOOKS};
use crate::domain::child_wishes::Grade;
use crate::domain::ids::{AccountId, BookListId};
use crate::domain::isbn::Isbn;

/// What became of adding a book to a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookAdded {
    /// On the list now (its reason replaced when it was already there).
    Added,
    /// No such list.
    NoList,
    /// The list holds [`MAX_BOOKS`] already.
    Full,
}

const LIST_COLUMNS: &str = "l.id, l.name, l.age_band, CAST(l.grade_from AS BIGINT) AS grade_from, \
     CAST(l.grade_to AS BIGINT) AS grade_to, l.created_at, \
     CAST((SELECT COUNT(*) FROM booklist_books b WHERE b.booklist_id = l.id) AS BIGINT) AS book_count";

impl Store {
    /// Makes a list.
    pub async fn create_booklist(
        &self,
        list: &NewBookList,
        by: AccountId,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<BookListId> {
        let txn = self.begin_write().await?;
        let row = txn
            .query_one_raw(self.stmt(
                "INSERT INTO booklists (name, age_band, grade_from, grade_to, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    list.name.clone().into(),
                    list.age_band.map(|b| b.as_str().to_owned()).into(),
                    list.grades.map(|(lo, _)| i16::from(lo.get())).into(),
                    list.grades.map(|(_, hi)| i16::from(hi.get())).into(),
                    by.get().into(),
                    now.into(),
                ],
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("insert returned no id".into()))?;
        let id = BookListId(row.try_get("", "id")?);
        audit::record(&txn, &entry.clone().detail(format!("created {id}")), now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Puts a book on a list (adding it to the catalogue when it is new there).
    pub async fn add_to_booklist(
        &self,
        list: BookListId,
        isbn: &Isbn,
        reason: Option<&str>,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<BookAdded> {
        let txn = self.begin_write().await?;
        let count = txn
            .query_one_raw(self.stmt(
                "SELECT CAST((SELECT COUNT(*) FROM booklist_books WHERE booklist_id = $1) AS BIGINT) AS n, \
                 CAST((SELECT COUNT(*) FROM booklists WHERE id = $1) AS BIGINT) AS lists",
                vec![list.get().into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("count returned no row".into()))?;
        if count.try_get::<i64>("", "lists")? == 0 {
            txn.rollback().await?;
            return Ok(BookAdded::NoList);
        }
        if count.try_get::<i64>("", "n")? >= i64::try_from(MAX_BOOKS).unwrap_or(i64::MAX) {
            txn.rollback().await?;
            return Ok(BookAdded::Full);
        }
        ensure_book(&txn, isbn, now).await?;
        txn.execute_raw(self.stmt(
            "INSERT INTO booklist_books (booklist_id, isbn, reason, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (booklist_id, isbn) DO UPDATE SET reason = excluded.reason",
            vec![
                list.get().into(),
                isbn.as_str().into(),
                reason.map(str::to_owned).into(),
                now.into(),
            ],
        ))
        .await?;
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(BookAdded::Added)
    }

    /// Every list, newest first.
    pub async fn booklists(&self) -> StoreResult<Vec<BookList>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                &format!("SELECT {LIST_COLUMNS} FROM booklists l ORDER BY l.id DESC"),
                vec![],
            ))
            .await?;
        rows.iter().map(list_from).collect()
    }

    /// One list.
    pub async fn booklist(&self, id: BookListId) -> StoreResult<Option<BookList>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                &format!("SELECT {LIST_COLUMNS} FROM booklists l WHERE l.id = $1"),
                vec![id.get().into()],
            ))
            .await?;
        row.as_ref().map(list_from).transpose()
    }

    /// A list's books in the order they were added, with what the catalogue knows of them.
    pub async fn booklist_books(&self, id: BookListId) -> StoreResult<Vec<BookListEntry>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT e.isbn, e.reason, b.title, b.authors, b.cover_url FROM booklist_books e \
                 JOIN books b ON b.isbn = e.isbn WHERE e.booklist_id = $1 ORDER BY e.added_at, e.isbn",
                vec![id.get().into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(BookListEntry {
                    isbn: super::convert::isbn(&r.try_get::<String>("", "isbn")?)?,
                    title: r.try_get("", "title")?,
                    authors: r.try_get("", "authors")?,
                    cover_url: r.try_get("", "cover_url")?,
                    reason: r.try_get("", "reason")?,
                })
            })
            .collect()
    }
}

fn list_from(r: &sea_orm::QueryResult) -> StoreResult<BookList> {
    let grade = |col: &str| -> StoreResult<Option<Grade>> {
        r.try_get::<Option<i64>>("", col)?
            .map(|g| Grade::new(g).map_err(|e| StoreError::Corrupt(e.message)))
            .transpose()
    };
    let grades = match (grade("grade_from")?, grade("grade_to")?) {
        (Some(lo), Some(hi)) => Grade::all().filter(|g| *g >= lo && *g <= hi).collect(),
        _ => Vec::new(),
    };
    Ok(BookList {
        id: BookListId(r.try_get("", "id")?),
        name: r.try_get("", "name")?,
        age_band: r.try_get("", "age_band")?,
        grades,
        book_count: super::convert::count(r.try_get::<i64>("", "book_count")?)?,
        created_at: r.try_get("", "created_at")?,
    })
}
