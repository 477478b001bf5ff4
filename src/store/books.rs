//! The catalogue of books.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entity::books;
use super::{bind, bind_all, convert, outbox, stmt, Store, StoreError, StoreResult};
pub use crate::domain::books::NewBook;
use crate::domain::ids::{SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{Book, BookNeed, MetadataStatus, OpenNeed};
use sea_orm::Value;

/// Books per multi-row INSERT. Measured (`cargo bench --bench import`): with sqlx's SQLite
/// driver the cost per row grows with the parameters in a statement, and about 250
/// parameters (20 books of 15 values) is fastest: 5x faster than 1 book per statement and
/// 7x faster than 500.
const BOOKS_PER_STATEMENT: usize = 20;

/// Copies still needed and schools needing, per ISBN satisfying `asked` (an SQL condition
/// on an ISBN), open items at verified schools only: an edition's need includes the items
/// for other editions of its work that take any edition.
fn need_by_isbn_sql(values: &mut Vec<Value>, asked: &str) -> String {
    let wanted = super::editions::open_items_wanting(values, asked);
    format!(
        "SELECT a.asked AS isbn, CAST(SUM(w.requested - w.committed) AS BIGINT) AS outstanding, \
         CAST(COUNT(DISTINCT w.school_id) AS BIGINT) AS schools {wanted} GROUP BY a.asked"
    )
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

    /// Whether two ISBNs are editions of one work (both in the catalogue with the same work).
    pub async fn same_work(&self, a: &Isbn, b: &Isbn) -> StoreResult<bool> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT 1 AS same FROM books x JOIN books y ON y.work = x.work \
                 WHERE x.isbn = $1 AND y.isbn = $2",
                vec![a.as_str().into(), b.as_str().into()],
            ))
            .await?;
        Ok(row.is_some())
    }

    /// Schools with open need for a book, neediest first.
    pub async fn open_needs(&self, isbn: &Isbn) -> StoreResult<Vec<OpenNeed>> {
        let mut values = Vec::with_capacity(4);
        let asked = format!("= {}", bind(&mut values, isbn.as_str()));
        let wanted = super::editions::open_items_wanting(&mut values, &asked);
        let rows = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT w.id, w.school_id, s.name, \
                     CAST(w.requested - w.committed AS BIGINT) AS outstanding {wanted} \
                     ORDER BY outstanding DESC, w.id"
                ),
                values,
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
        let txn = self.begin_write().await?;
        let mut added: Vec<String> = Vec::new();
        for chunk in new.iter().collect::<Vec<_>>().chunks(BOOKS_PER_STATEMENT) {
            let (mut sql, values) = insert_values(chunk.iter().copied(), now);
            sql.push_str(" ON CONFLICT (isbn) DO NOTHING RETURNING isbn");
            for row in txn.query_all_raw(self.stmt(&sql, values)).await? {
                added.push(row.try_get("", "isbn")?);
            }
        }
        outbox::record(&txn, added.iter().map(String::as_str), now).await?;
        txn.commit().await?;
        Ok(added.len() as u64)
    }

    /// Inserts or updates catalogue records by ISBN, in one transaction with their change-log
    /// rows. Given fields replace stored ones; absent fields keep theirs; hand-edited books
    /// are left alone. Of several records for one ISBN the last counts.
    pub async fn upsert_books(
        &self,
        records: &[NewBook],
        now: DateTime<Utc>,
    ) -> StoreResult<Upserted> {
        // Postgres refuses to touch one row twice in a statement: the last record wins.
        let mut latest: HashMap<&str, usize> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            latest.insert(r.isbn.as_str(), i);
        }
        let unique: Vec<&NewBook> = records
            .iter()
            .enumerate()
            .filter(|(i, r)| latest.get(r.isbn.as_str()) == Some(i))
            .map(|(_, r)| r)
            .collect();
        let txn = self.begin_write().await?;
        // The rows a plain insert takes are exactly the books the catalogue lacked; the rest
        // are updated (nothing more to do when every book is new, as in a first import).
        let inserted = insert_missing(&txn, &unique, now).await?;
        let existing: Vec<&NewBook> = unique
            .iter()
            .copied()
            .filter(|r| !inserted.contains(r.isbn.as_str()))
            .collect();
        let mut updated: Vec<String> = Vec::new();
        for chunk in existing.chunks(BOOKS_PER_STATEMENT) {
            let (mut sql, mut values) = insert_values(chunk.iter().copied(), now);
            let awaiting = bind_all(
                &mut values,
                MetadataStatus::AWAITING.map(MetadataStatus::as_str),
            );
            let complete = bind(&mut values, MetadataStatus::Complete.as_str());
            let manual = bind(&mut values, MetadataStatus::Manual.as_str());
            sql.push_str(&format!(
                " ON CONFLICT (isbn) DO UPDATE SET \
                 title = COALESCE(excluded.title, books.title), \
                 authors = COALESCE(excluded.authors, books.authors), \
                 publication_year = COALESCE(excluded.publication_year, books.publication_year), \
                 language = COALESCE(excluded.language, books.language), \
                 subtitle = COALESCE(excluded.subtitle, books.subtitle), \
                 publisher = COALESCE(excluded.publisher, books.publisher), \
                 page_count = COALESCE(excluded.page_count, books.page_count), \
                 subjects = COALESCE(excluded.subjects, books.subjects), \
                 age_band = COALESCE(excluded.age_band, books.age_band), \
                 description = COALESCE(excluded.description, books.description), \
                 cover_url = COALESCE(excluded.cover_url, books.cover_url), \
                 work = COALESCE(excluded.work, books.work), \
                 metadata_status = CASE WHEN excluded.title IS NOT NULL \
                     AND books.metadata_status IN ({awaiting}) \
                     THEN {complete} ELSE books.metadata_status END, \
                 updated_at = excluded.updated_at \
                 WHERE books.metadata_status <> {manual} RETURNING isbn",
            ));
            for row in txn.query_all_raw(self.stmt(&sql, values)).await? {
                updated.push(row.try_get("", "isbn")?);
            }
        }
        // A new edition of a work some school asks for (any edition) is already wanted: its
        // document needs the database's answer, so only books without a work count as fresh.
        let (fresh, of_a_work): (Vec<&NewBook>, Vec<&NewBook>) = unique
            .iter()
            .copied()
            .filter(|r| inserted.contains(r.isbn.as_str()))
            .partition(|r| r.details.work.is_none());
        let fresh: Vec<String> = fresh.iter().map(|r| r.isbn.as_str().to_owned()).collect();
        updated.extend(of_a_work.iter().map(|r| r.isbn.as_str().to_owned()));
        let seqs = outbox::record_numbered(&txn, fresh.iter().map(String::as_str), now).await?;
        outbox::record(&txn, updated.iter().map(String::as_str), now).await?;
        txn.commit().await?;
        Ok(Upserted {
            written: (fresh.len() + updated.len()) as u64,
            fresh: seqs.into_iter().zip(fresh).collect(),
        })
    }

    /// The catalogue records among `isbns`; ISBNs the catalogue lacks are left out.
    pub async fn books(&self, isbns: &[Isbn]) -> StoreResult<Vec<Book>> {
        let mut out = Vec::with_capacity(isbns.len());
        for chunk in isbns.chunks(IN_LIST) {
            for row in self.book_rows(&keys_of(chunk)).await? {
                out.push(convert::book(row)?);
            }
        }
        Ok(out)
    }

    async fn book_rows(&self, keys: &[String]) -> StoreResult<Vec<books::Model>> {
        Ok(books::Entity::find()
            .filter(books::Column::Isbn.is_in(keys.to_vec()))
            .all(&self.db)
            .await?)
    }

    /// A page of the whole catalogue with needs, in ISBN order after `after`; `needs` is
    /// [`Store::all_needs`], read once per rebuild.
    pub async fn book_needs_page(
        &self,
        after: Option<&str>,
        limit: u64,
        needs: &HashMap<String, (u64, u64)>,
    ) -> StoreResult<Vec<BookNeed>> {
        let mut query = books::Entity::find()
            .order_by_asc(books::Column::Isbn)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(books::Column::Isbn.gt(after));
        }
        with_needs(query.all(&self.db).await?, needs)
    }

    /// Need per ISBN for every book some school needs.
    pub async fn all_needs(&self) -> StoreResult<HashMap<String, (u64, u64)>> {
        let mut values = Vec::with_capacity(4);
        let need = need_by_isbn_sql(&mut values, "IS NOT NULL");
        self.need_by_isbn(&need, values).await
    }

    async fn need_by_isbn(
        &self,
        sql: &str,
        values: Vec<sea_orm::Value>,
    ) -> StoreResult<HashMap<String, (u64, u64)>> {
        let rows = self.db.query_all_raw(self.stmt(sql, values)).await?;
        rows.into_iter()
            .map(|r| {
                let outstanding: i64 = r.try_get("", "outstanding")?;
                let schools: i64 = r.try_get("", "schools")?;
                Ok((
                    r.try_get::<String>("", "isbn")?,
                    (
                        u64::try_from(outstanding).unwrap_or(0),
                        u64::try_from(schools).unwrap_or(0),
                    ),
                ))
            })
            .collect()
    }
}

/// Inserts the records the catalogue lacks and leaves the others; returns the ISBNs inserted.
/// On SQLite the records go as one JSON text per few thousand books (`jsonb_each`, whose
/// values are read without parsing them again as text): sqlx's SQLite driver pays for every
/// bound value, and a million books carry fifteen million.
async fn insert_missing(
    conn: &impl ConnectionTrait,
    records: &[&NewBook],
    now: DateTime<Utc>,
) -> StoreResult<HashSet<String>> {
    let backend = conn.get_database_backend();
    let mut inserted = HashSet::with_capacity(records.len());
    if backend == DbBackend::Sqlite {
        let columns: Vec<String> = (0..BOOK_COLUMNS)
            .map(|k| format!("j.value ->> {k}"))
            .collect();
        let sql = format!(
            "INSERT INTO books ({BOOK_COLUMN_NAMES}, created_at, updated_at) \
             SELECT {}, $2, $2 FROM jsonb_each($1) AS j WHERE true \
             ON CONFLICT (isbn) DO NOTHING RETURNING isbn",
            columns.join(", ")
        );
        for chunk in records.chunks(BOOKS_PER_JSON) {
            let rows: Vec<BookRow> = chunk.iter().map(|b| BookRow::from(*b)).collect();
            let json = serde_json::to_string(&rows)
                .map_err(|e| StoreError::Corrupt(format!("a book as JSON: {e}")))?;
            for row in conn
                .query_all_raw(stmt(backend, &sql, vec![json.into(), now.into()]))
                .await?
            {
                inserted.insert(row.try_get("", "isbn")?);
            }
        }
        return Ok(inserted);
    }
    for chunk in records.chunks(BOOKS_PER_STATEMENT) {
        let (mut sql, values) = insert_values(chunk.iter().copied(), now);
        sql.push_str(" ON CONFLICT (isbn) DO NOTHING RETURNING isbn");
        for row in conn.query_all_raw(stmt(backend, &sql, values)).await? {
            inserted.insert(row.try_get("", "isbn")?);
        }
    }
    Ok(inserted)
}

/// Books per JSON text on SQLite (a few hundred kilobytes).
const BOOKS_PER_JSON: usize = 2_000;
/// The columns a record fills, in [`book_values`]'s (and [`BookRow`]'s) order.
const BOOK_COLUMNS: usize = 15;
const BOOK_COLUMN_NAMES: &str = "isbn, isbn10, title, authors, publication_year, language, \
    subtitle, publisher, page_count, subjects, age_band, description, cover_url, work, \
    metadata_status";

/// A record's [`book_values`], borrowed, serialised as a JSON array in the same order.
#[derive(serde::Serialize)]
struct BookRow<'a>(
    &'a str,
    Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    Option<i32>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    Option<i32>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'a Option<String>,
    &'static str,
);

impl<'a> From<&'a NewBook> for BookRow<'a> {
    fn from(book: &'a NewBook) -> Self {
        let d = &book.details;
        BookRow(
            book.isbn.as_str(),
            book.isbn.to_isbn10(),
            &d.title,
            &d.authors,
            d.publication_year,
            &d.language,
            &d.subtitle,
            &d.publisher,
            d.page_count,
            &d.subjects,
            &d.age_band,
            &d.description,
            &d.cover_url,
            &d.work,
            metadata_status(book).as_str(),
        )
    }
}

/// `INSERT INTO books (…) VALUES (…), …` for `books`, with its values; the caller adds the
/// conflict clause.
fn insert_values<'a>(
    books: impl Iterator<Item = &'a NewBook>,
    now: DateTime<Utc>,
) -> (String, Vec<sea_orm::Value>) {
    let mut sql =
        format!("INSERT INTO books ({BOOK_COLUMN_NAMES}, created_at, updated_at) VALUES ");
    let mut values = vec![now.into()];
    for (i, book) in books.enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let first = 2 + i * BOOK_COLUMNS;
        let placeholders: Vec<String> = (first..first + BOOK_COLUMNS)
            .map(|n| format!("${n}"))
            .collect();
        sql.push_str(&format!("({}, $1, $1)", placeholders.join(", ")));
        values.extend(book_values(book));
    }
    (sql, values)
}

/// A record's 15 column values, in the order the INSERTs name them. A record without a
/// title is `pending`: the metadata worker will ask Open Library for it.
fn book_values(book: &NewBook) -> [sea_orm::Value; 15] {
    [
        book.isbn.as_str().into(),
        book.isbn.to_isbn10().into(),
        book.details.title.clone().into(),
        book.details.authors.clone().into(),
        book.details.publication_year.into(),
        book.details.language.clone().into(),
        book.details.subtitle.clone().into(),
        book.details.publisher.clone().into(),
        book.details.page_count.into(),
        book.details.subjects.clone().into(),
        book.details.age_band.clone().into(),
        book.details.description.clone().into(),
        book.details.cover_url.clone().into(),
        book.details.work.clone().into(),
        metadata_status(book).as_str().into(),
    ]
}

/// A new record's metadata status: without a title it is `pending`.
fn metadata_status(book: &NewBook) -> MetadataStatus {
    if book.details.title.is_some() {
        MetadataStatus::Complete
    } else {
        MetadataStatus::Pending
    }
}

/// What [`Store::upsert_books`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Upserted {
    /// Books written, new or updated.
    pub written: u64,
    /// Books new to the catalogue and to every work, with their change-log entry: nothing
    /// but their own record can be said of them yet, so their search documents may be made
    /// from the records.
    pub fresh: Vec<(i64, String)>,
}

/// A stretch of the change log with the books it names as they now stand.
#[derive(Debug, Clone)]
pub struct ChangedBooks {
    /// Each changed book once, with its need.
    pub books: Vec<BookNeed>,
    /// Changed ISBNs the catalogue no longer holds.
    pub gone: Vec<String>,
    /// The stretch's last sequence number.
    pub last_seq: i64,
    /// Change-log entries in the stretch.
    pub entries: u64,
}

impl Store {
    /// Up to `limit` change-log entries after `seq`, with the books they name and those
    /// books' need. Two statements whatever the stretch's size: the log's range joined to
    /// the books, and the need of the books named in that range (reading them by ISBN took
    /// two per 250 books, 80 per catch-up batch).
    pub async fn changed_books(&self, seq: i64, limit: u64) -> StoreResult<Option<ChangedBooks>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT o.seq AS change_seq, o.isbn AS changed_isbn, b.* FROM search_outbox o \
                 LEFT JOIN books b ON b.isbn = o.isbn WHERE o.seq > $1 ORDER BY o.seq LIMIT $2",
                vec![seq.into(), super::to_i64(limit).into()],
            ))
            .await?;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        let last_seq: i64 = last.try_get("", "change_seq")?;
        // A change to one edition's need changes every edition of its work that can fill
        // the same items: they are read again too.
        let editions = self
            .db
            .query_all_raw(self.stmt(
                "SELECT e.* FROM books e WHERE e.work IN (SELECT b.work FROM search_outbox o \
                 JOIN books b ON b.isbn = o.isbn WHERE o.seq > $1 AND o.seq <= $2)",
                vec![seq.into(), last_seq.into()],
            ))
            .await?;
        let mut values = Vec::with_capacity(6);
        let (after, upto) = (bind(&mut values, seq), bind(&mut values, last_seq));
        let asked = format!(
            "IN (SELECT o.isbn FROM search_outbox o WHERE o.seq > {after} AND o.seq <= {upto} \
             UNION SELECT e.isbn FROM search_outbox o JOIN books b ON b.isbn = o.isbn \
             JOIN books e ON e.work = b.work WHERE o.seq > {after} AND o.seq <= {upto})"
        );
        let need = need_by_isbn_sql(&mut values, &asked);
        let needs = self.need_by_isbn(&need, values).await?;
        let mut seen = HashSet::with_capacity(rows.len());
        let (mut present, mut gone) = (Vec::with_capacity(rows.len()), Vec::new());
        for row in &rows {
            let isbn: String = row.try_get("", "changed_isbn")?;
            if !seen.insert(isbn.clone()) {
                continue;
            }
            // The joined book's own key is NULL when the catalogue no longer holds it.
            if row.try_get::<Option<String>>("", "isbn")?.is_some() {
                present.push(books::Model::from_query_result(row, "")?);
            } else {
                gone.push(isbn);
            }
        }
        for row in &editions {
            let edition = books::Model::from_query_result(row, "")?;
            if seen.insert(edition.isbn.clone()) {
                present.push(edition);
            }
        }
        Ok(Some(ChangedBooks {
            books: with_needs(present, &needs)?,
            gone,
            last_seq,
            entries: rows.len() as u64,
        }))
    }
}

/// ISBNs per `IN (...)` list: the SQLite driver slows down with many parameters per statement.
const IN_LIST: usize = 250;

fn keys_of(isbns: &[Isbn]) -> Vec<String> {
    isbns.iter().map(|i| i.as_str().to_owned()).collect()
}

fn with_needs(
    rows: Vec<books::Model>,
    needs: &HashMap<String, (u64, u64)>,
) -> StoreResult<Vec<BookNeed>> {
    rows.into_iter()
        .map(|row| {
            let (outstanding, schools_needing) = needs.get(&row.isbn).copied().unwrap_or((0, 0));
            Ok(BookNeed {
                book: convert::book(row)?,
                outstanding,
                schools_needing,
            })
        })
        .collect()
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
        "INSERT INTO books (isbn, isbn10, created_at, updated_at, metadata_status, metadata_next_attempt_at) \
         VALUES ($1, $2, $3, $3, $4, $3) ON CONFLICT (isbn) DO NOTHING",
        vec![
            isbn.as_str().into(),
            isbn.to_isbn10().into(),
            now.into(),
            MetadataStatus::Pending.as_str().into(),
        ],
    ))
    .await?;
    Ok(())
}
