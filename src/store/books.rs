//! The catalogue of books.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::entity::books;
use super::{convert, Store, StoreResult};
use crate::domain::ids::{SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{Book, OpenNeed};

/// A catalogue record to add.
#[derive(Debug, Clone)]
pub struct NewBook {
    /// ISBN-13.
    pub isbn: Isbn,
    /// Title.
    pub title: Option<String>,
    /// Authors.
    pub authors: Option<String>,
    /// Year first published.
    pub publication_year: Option<i32>,
    /// Language code.
    pub language: Option<String>,
}

impl Store {
    /// What the catalogue knows of a book.
    pub async fn book(&self, isbn: &Isbn) -> StoreResult<Option<Book>> {
        books::Entity::find_by_id(isbn.as_str().to_owned())
            .one(&self.db)
            .await?
            .map(convert::book)
            .transpose()
    }

    /// Schools with open need for a book, neediest first.
    pub async fn open_needs(&self, isbn: &Isbn) -> StoreResult<Vec<OpenNeed>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT w.id, w.school_id, s.name, CAST(w.requested - w.committed AS BIGINT) AS outstanding \
                 FROM wishlist_items w JOIN schools s ON s.id = w.school_id \
                 WHERE w.isbn = $1 AND w.status = 'open' AND w.requested > w.committed \
                 ORDER BY outstanding DESC, w.id",
                vec![isbn.as_str().into()],
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(OpenNeed {
                    school_id: SchoolId(r.try_get("", "school_id")?),
                    school_name: r.try_get("", "name")?,
                    wishlist_item_id: WishlistItemId(r.try_get("", "id")?),
                    outstanding: convert::count(r.try_get::<i64>("", "outstanding")?)?,
                })
            })
            .collect()
    }

    /// Adds books the catalogue lacks; existing records are left as they are.
    /// Returns how many were new.
    pub async fn insert_books(&self, new: &[NewBook], now: DateTime<Utc>) -> StoreResult<u64> {
        // Multi-row INSERTs: one statement per few hundred books keeps a 10,000-book seed
        // well under a second, and both engines bound parameters well above 8 * 500.
        const ROWS_PER_STATEMENT: usize = 500;
        let txn = self.begin_write().await?;
        let mut added = 0;
        for chunk in new.chunks(ROWS_PER_STATEMENT) {
            let mut sql = String::from(
                "INSERT INTO books (isbn, isbn10, title, authors, publication_year, language, created_at, updated_at) VALUES ",
            );
            let mut values = Vec::with_capacity(chunk.len() * 7);
            for (i, book) in chunk.iter().enumerate() {
                let p = i * 7;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 7
                ));
                values.extend([
                    book.isbn.as_str().into(),
                    book.isbn.to_isbn10().into(),
                    book.title.clone().into(),
                    book.authors.clone().into(),
                    book.publication_year.into(),
                    book.language.clone().into(),
                    now.into(),
                ]);
            }
            sql.push_str(" ON CONFLICT (isbn) DO NOTHING");
            added += txn
                .execute_raw(self.stmt(&sql, values))
                .await?
                .rows_affected();
        }
        txn.commit().await?;
        Ok(added)
    }
}

/// Makes sure a book row exists for an ISBN a school asked for, so the wish list can point
/// at it; what is known of it is filled in elsewhere.
pub(super) async fn ensure_book(
    conn: &impl ConnectionTrait,
    isbn: &Isbn,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute_raw(super::stmt(
        conn.get_database_backend(),
        "INSERT INTO books (isbn, isbn10, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (isbn) DO NOTHING",
        vec![isbn.as_str().into(), isbn.to_isbn10().into(), now.into()],
    ))
    .await?;
    Ok(())
}
