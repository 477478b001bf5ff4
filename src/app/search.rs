//! Catalogue search (the query rules are in `domain::search`, the engine in `index/`).

use std::sync::Arc;

use index::{Catalogue, SearchRequest, SearchResults};

use super::Bookbridge;
use crate::domain::error::{DomainError, DomainResult};

impl Bookbridge {
    /// Searches the catalogue. At most one search per core runs at once and the rest wait
    /// their turn in order: in a rush, fifty searches each on a thread of its own would
    /// share two cores fifty ways, so every search, and every pledge and page beside them,
    /// would take fifty times as long, and each would hold its working memory meanwhile.
    pub async fn search(&self, request: SearchRequest) -> DomainResult<SearchResults> {
        let _turn = self
            .search_turns
            .acquire()
            .await
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        let catalogue: Arc<Catalogue> = self.catalogue.clone();
        super::blocking(move || catalogue.search(&request))
            .await?
            .map_err(|e| DomainError::Internal(format!("search index: {e}")))
    }
}
