//! Catalogue search for bookbridge: the only crate that touches tantivy.
//!
//! The index is a projection of the database. [`Catalogue::apply`] upserts documents and
//! commits, recording in the commit payload the last change-log sequence it reflects, so a
//! restart resumes from [`Catalogue::applied_seq`]; [`Catalogue::rebuild`] starts over.
//! One `Catalogue` per process owns the one `IndexWriter`; searches take a cheap searcher
//! from the shared reader.

mod collect;
mod query;
mod schema;
mod spelling;
pub mod tokenizer;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use tantivy::merge_policy::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::{Schema, TantivyDocument, Value};
use tantivy::{doc, DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use collect::FirstMatches;
pub use query::{Facets, SearchHit, SearchRequest, SearchResults};
use schema::Fields;

/// What can go wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed (I/O, corruption, lock held by another process).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The folder holds an index with another schema (an older version of bookbridge).
    #[error("the index at {0} was built with another schema; rebuild it")]
    SchemaChanged(String),
    /// Reading or creating the folder failed.
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    /// Another process holds the index's writer lock.
    #[error("the index at {0} is in use by another bookbridge process")]
    Busy(String),
    /// The writer's lock was poisoned by a panic in another thread.
    #[error("the index writer is unusable after a panic")]
    Poisoned,
}

/// Result of an index operation.
pub type IndexResult<T> = Result<T, IndexError>;

/// One book as search sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BookDoc {
    /// ISBN-13, the document's key.
    pub isbn: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors as one string.
    pub authors: Option<String>,
    /// Subjects / tags, free text.
    pub subjects: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Normalised language code (`en`, `zh`, …).
    pub language: Option<String>,
    /// Age band (`early`, `primary`, `teen`, `adult`).
    pub age_band: Option<String>,
    /// Year first published.
    pub year: Option<i64>,
    /// Copies still needed across schools.
    pub outstanding: u64,
    /// Schools with an open need.
    pub schools_needing: u64,
}

/// The search index and its single writer.
pub struct Catalogue {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// The change-log sequence searches can see: set after the reader reloads, so "caught
    /// up" never runs ahead of what a search returns. `NEVER_BUILT` before the first commit.
    visible_seq: AtomicI64,
    /// Matches a search counts before it says "more than" (see [`collect`]).
    count_bound: u64,
}

const NEVER_BUILT: i64 = i64::MIN;

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue").finish_non_exhaustive()
    }
}

/// Memory the writer may buffer before flushing a segment.
const WRITER_BUDGET: usize = 64 * 1024 * 1024;
/// Attempts to merge every segment while the writer's own merges may hold some.
const COMPACT_TRIES: usize = 50;

impl Catalogue {
    /// Opens the index in `dir`, creating it when absent; when the folder holds an index
    /// that cannot be used (another schema, damaged files), it is wiped and started afresh,
    /// since the database can always rebuild it. A lock held by another process is an error,
    /// never a reason to wipe.
    pub fn open_or_reset(dir: &Path) -> IndexResult<Self> {
        match Self::open(dir) {
            Ok(catalogue) => Ok(catalogue),
            Err(IndexError::Tantivy(tantivy::TantivyError::LockFailure(..))) => {
                Err(IndexError::Busy(dir.display().to_string()))
            }
            Err(_) => {
                std::fs::remove_dir_all(dir)?;
                Self::open(dir)
            }
        }
    }

    /// Opens the index in `dir`, creating it when absent.
    pub fn open(dir: &Path) -> IndexResult<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let index = if dir.join("meta.json").exists() {
            let index = Index::open_in_dir(dir)?;
            if !same_schema(&index.schema(), &schema) {
                return Err(IndexError::SchemaChanged(dir.display().to_string()));
            }
            index
        } else {
            Index::create_in_dir(dir, schema)?
        };
        Self::from_index(index, fields, WRITER_BUDGET, None)
    }

    /// Opens (or creates) the index in `dir` with a writer sized for bulk loads.
    pub fn open_for_bulk(dir: &Path, writer_budget: usize, threads: usize) -> IndexResult<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        Self::from_index(index, fields, writer_budget, Some(threads))
    }

    /// An index in memory (benchmarks and tests), with a writer sized for bulk loads.
    pub fn in_memory(writer_budget: usize, threads: usize) -> IndexResult<Self> {
        let (schema, fields) = schema::build();
        Self::from_index(
            Index::create_in_ram(schema),
            fields,
            writer_budget,
            Some(threads),
        )
    }

    fn from_index(
        index: Index,
        fields: Fields,
        budget: usize,
        threads: Option<usize>,
    ) -> IndexResult<Self> {
        index
            .tokenizers()
            .register(tokenizer::INDEX_ANALYZER, tokenizer::index_analyzer());
        let writer = match threads {
            Some(n) => index.writer_with_num_threads(n, budget)?,
            None => index.writer(budget)?,
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let visible = index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok())
            .unwrap_or(NEVER_BUILT);
        Ok(Catalogue {
            reader,
            writer: Mutex::new(writer),
            fields,
            visible_seq: AtomicI64::new(visible),
            count_bound: collect::COUNT_BOUND,
        })
    }

    /// The same index counting at most `bound` matches per search (tests use a small one).
    pub fn with_count_bound(mut self, bound: u64) -> Self {
        self.count_bound = bound.max(1);
        self
    }

    /// The change-log sequence that searches reflect; `None` for a never-built index.
    pub fn applied_seq(&self) -> IndexResult<Option<i64>> {
        let seq = self.visible_seq.load(Ordering::Acquire);
        Ok((seq != NEVER_BUILT).then_some(seq))
    }

    /// Makes the last commit visible to searches, then records its sequence.
    fn publish(&self, seq: i64) -> IndexResult<()> {
        self.reader.reload()?;
        self.visible_seq.store(seq, Ordering::Release);
        Ok(())
    }

    /// Upserts `docs` (delete by ISBN, then add), removes `deleted` ISBNs, and commits with
    /// `seq` as the payload, then makes the result visible to searches.
    pub fn apply(&self, docs: &[BookDoc], deleted: &[String], seq: i64) -> IndexResult<()> {
        self.stage(docs, deleted)?;
        self.commit(seq)
    }

    /// Upserts `docs` and removes `deleted` without committing: a long catch-up stages many
    /// batches and commits once in a while ([`Catalogue::commit`]); until then a crash
    /// loses only work the change log still holds (upserts are idempotent).
    pub fn stage(&self, docs: &[BookDoc], deleted: &[String]) -> IndexResult<()> {
        let writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        for isbn in deleted {
            writer.delete_term(Term::from_field_text(self.fields.isbn, isbn));
        }
        for book in docs {
            writer.delete_term(Term::from_field_text(self.fields.isbn, &book.isbn));
            writer.add_document(self.document(book))?;
        }
        Ok(())
    }

    /// Replaces the whole index with `docs`, committed with payload `seq`.
    pub fn rebuild(&self, docs: impl IntoIterator<Item = BookDoc>, seq: i64) -> IndexResult<u64> {
        let mut writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        writer.delete_all_documents()?;
        let mut n = 0;
        for book in docs {
            writer.add_document(self.document(&book))?;
            n += 1;
        }
        commit(&mut writer, seq)?;
        drop(writer);
        self.publish(seq)?;
        Ok(n)
    }

    /// Deletes every document (uncommitted: a crash before [`Catalogue::commit`] keeps the
    /// old index).
    pub fn clear(&self) -> IndexResult<()> {
        let writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Adds documents without committing (bulk loads; call [`Catalogue::commit`] after).
    pub fn add_unchecked(&self, docs: &[BookDoc]) -> IndexResult<()> {
        let writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        for book in docs {
            writer.add_document(self.document(book))?;
        }
        Ok(())
    }

    /// Commits what was added, with payload `seq`.
    pub fn commit(&self, seq: i64) -> IndexResult<()> {
        let mut writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        commit(&mut writer, seq)?;
        drop(writer);
        self.publish(seq)?;
        Ok(())
    }

    /// Holds the writer's segment merges off until the guard is dropped: a bulk load would
    /// otherwise merge its fresh segments again and again while it writes; it merges once,
    /// after ([`Catalogue::compact`]).
    pub fn hold_merges(&self) -> IndexResult<MergesHeld<'_>> {
        let writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        Ok(MergesHeld(self))
    }

    /// Merges every segment into one and waits, then shows the result to searches. After a
    /// bulk load the index holds a score of segments, and every search (typo search above
    /// all, which walks each segment's term dictionary) pays for each one. Returns how many
    /// segments there were.
    pub fn compact(&self) -> IndexResult<usize> {
        let mut writer = self.writer.lock().map_err(|_| IndexError::Poisoned)?;
        let before = writer.index().searchable_segment_ids()?.len();
        // The writer's own merge policy may be merging some of the segments right now; such
        // a merge ends in a moment, and then the rest can be merged.
        for _ in 0..COMPACT_TRIES {
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() <= 1 {
                break;
            }
            match writer.merge(&segments).wait() {
                Ok(_) => break,
                Err(tantivy::TantivyError::InvalidArgument(_)) => {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                Err(err) => return Err(err.into()),
            }
        }
        drop(writer);
        self.reader.reload()?;
        Ok(before)
    }

    /// Number of books in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no books.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Size of the index's files in bytes.
    pub fn size_bytes(&self) -> IndexResult<u64> {
        let searcher = self.reader.searcher();
        let mut total = 0;
        for segment in searcher.segment_readers() {
            total += segment.space_usage()?.total().get_bytes();
        }
        Ok(total)
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> IndexResult<SearchResults> {
        let searcher = self.reader.searcher();

        // The strict plan (every word, exactly) is used when it finds enough; otherwise
        // the looser plans in turn (typos forgiven, then any word), keeping the one that
        // found the most. Each plan runs once, collecting everything it needs.
        let mut best: Option<collect::Found> = None;
        for strictness in query::STRICTNESS {
            let Some(plan) = query::plan(&self.fields, &searcher, request, strictness) else {
                break;
            };
            let found = self.run_plan(&searcher, plan, request, strictness.need_weight())?;
            let enough = found.seen >= query::ENOUGH_HITS;
            if best.as_ref().is_none_or(|b| found.seen > b.seen) {
                best = Some(found);
            }
            if enough {
                break;
            }
        }
        let Some(found) = best else {
            return Ok(SearchResults::default());
        };
        let hits = found
            .best
            .into_iter()
            .skip(request.offset)
            .map(|(score, address)| self.hit(&searcher, address, score))
            .collect::<IndexResult<Vec<_>>>()?;
        Ok(SearchResults {
            total: found.seen,
            total_exact: found.complete,
            hits,
            facets: Facets {
                language: found.languages,
                age: found.ages,
            },
        })
    }

    /// Runs one plan: its first matches up to the bound, counted and ranked; when there are
    /// more, the needed books among all of them ranked again, so none is missed (see
    /// [`collect`]).
    fn run_plan(
        &self,
        searcher: &tantivy::Searcher,
        plan: Box<dyn tantivy::query::Query>,
        request: &SearchRequest,
        need_weight: f32,
    ) -> IndexResult<collect::Found> {
        let keep = request.offset + request.limit.max(1);
        let first = FirstMatches::new(keep, self.count_bound, need_weight);
        let mut found = searcher.search(plan.as_ref(), &first)?;
        if !found.complete {
            let needed = if request.needed_only {
                plan
            } else {
                query::with_needed(&self.fields, plan)
            };
            let ranked = searcher.search(
                needed.as_ref(),
                &FirstMatches::ranking_only(keep, need_weight),
            )?;
            found.best = collect::merge_best(found.best, ranked.best, keep);
        }
        Ok(found)
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
    ) -> IndexResult<SearchHit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        Ok(SearchHit {
            isbn: text(self.fields.isbn).unwrap_or_default(),
            title: text(self.fields.title).unwrap_or_default(),
            authors: text(self.fields.authors),
            year: doc.get_first(self.fields.year).and_then(|v| v.as_i64()),
            language: text(self.fields.language),
            age_band: text(self.fields.age_band),
            outstanding: number(self.fields.outstanding),
            schools_needing: number(self.fields.schools_needing),
            score,
        })
    }

    fn document(&self, book: &BookDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut document = doc!(
            f.isbn => book.isbn.as_str(),
            f.title => book.title.as_str(),
            f.outstanding => book.outstanding,
            f.schools_needing => book.schools_needing,
        );
        let optional = [
            (f.subtitle, &book.subtitle),
            (f.authors, &book.authors),
            (f.subjects, &book.subjects),
            (f.publisher, &book.publisher),
            (f.description, &book.description),
            (f.language, &book.language),
            (f.age_band, &book.age_band),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                document.add_text(field, value);
            }
        }
        if book.outstanding > 0 {
            document.add_text(f.needed, query::NEEDED);
        }
        if let Some(year) = book.year {
            document.add_i64(f.year, year);
        }
        let spelled = [Some(&book.title), book.authors.as_ref()]
            .into_iter()
            .flatten()
            .map(|text| spelling::pinyin_words(text))
            .filter(|words| !words.is_empty())
            .collect::<Vec<_>>();
        if !spelled.is_empty() {
            document.add_text(f.pinyin, spelled.join(" "));
        }
        document
    }
}

/// Segment merges held off (see [`Catalogue::hold_merges`]); dropping it lets them run again.
#[derive(Debug)]
pub struct MergesHeld<'a>(&'a Catalogue);

impl Drop for MergesHeld<'_> {
    fn drop(&mut self) {
        if let Ok(writer) = self.0.writer.lock() {
            writer.set_merge_policy(Box::<LogMergePolicy>::default());
        }
    }
}

fn commit(writer: &mut IndexWriter, seq: i64) -> IndexResult<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&seq.to_string());
    prepared.commit()?;
    Ok(())
}

fn same_schema(a: &Schema, b: &Schema) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}

#[cfg(test)]
mod tests;
