//! Catalogue search (the query rules are in `domain::search`, the engine in `index/`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use index::{Catalogue, SearchRequest, SearchResults};

use super::Bookbridge;
use crate::domain::error::{DomainError, DomainResult};

impl Bookbridge {
    /// Searches the catalogue. At most one search per core runs at once and the rest wait
    /// their turn in order: in a rush, fifty searches each on a thread of its own would
    /// share two cores fifty ways, so every search, and every pledge and page beside them,
    /// would take fifty times as long, and each would hold its working memory meanwhile.
    pub async fn search(&self, request: SearchRequest) -> DomainResult<SearchResults> {
        // Read before searching: an answer is kept under the commit it may be older than,
        // never under a newer one.
        let commit = self.index_commit();
        let keep = self.policies.wordless_search_cache && request.text.trim().is_empty();
        if keep {
            if let Some(answer) = commit.and_then(|at| self.wordless.answer(&request, at)) {
                return Ok(answer);
            }
        }
        let _turn = self
            .search_turns
            .acquire()
            .await
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        let catalogue: Arc<Catalogue> = self.catalogue.clone();
        let asked = keep.then(|| request.clone());
        let answer = super::blocking(move || catalogue.search(&request))
            .await?
            .map_err(|e| DomainError::Internal(format!("search index: {e}")))?;
        if let (Some(request), Some(at)) = (asked, commit) {
            self.wordless.keep(request, at, &answer);
        }
        Ok(answer)
    }

    /// The change-log position the search index reflects (what a search would read now);
    /// `None` while the index was never built.
    pub fn index_commit(&self) -> Option<i64> {
        self.catalogue.applied_seq().ok().flatten()
    }
}

/// Most wordless questions kept (a filter's values times pages: a few dozen in practice).
const MOST_WORDLESS: usize = 256;

/// The last answer to each search without words, with the index commit it was read at.
/// Without words a search ranks and counts every book (87 ms at 1,000,000 books), and the
/// answer changes only when the index does: a rush on the home page costs one search per
/// commit. Each node keeps its own, keyed by its own index's commit.
#[derive(Debug, Default)]
pub(crate) struct WordlessAnswers(Mutex<HashMap<SearchRequest, (i64, SearchResults)>>);

impl WordlessAnswers {
    /// The kept answer, if it was read at `commit`.
    fn answer(&self, request: &SearchRequest, commit: i64) -> Option<SearchResults> {
        let kept = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get(request)
            .filter(|(at, _)| *at == commit)
            .map(|(_, answer)| answer.clone())
    }

    /// Keeps an answer read at `commit`; when full, starts again (the questions are few).
    fn keep(&self, request: SearchRequest, commit: i64, answer: &SearchResults) {
        let mut kept = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= MOST_WORDLESS && !kept.contains_key(&request) {
            kept.clear();
        }
        kept.insert(request, (commit, answer.clone()));
    }
}
