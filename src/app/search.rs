//! Catalogue search (the query rules are in `domain::search`, the engine in `index/`).

use std::sync::Arc;

use index::{Catalogue, SearchRequest, SearchResults};

use super::Bookbridge;
use crate::domain::error::{DomainError, DomainResult};

impl Bookbridge {
    /// Searches the catalogue.
    pub async fn search(&self, request: SearchRequest) -> DomainResult<SearchResults> {
        let catalogue: Arc<Catalogue> = self.catalogue.clone();
        super::blocking(move || catalogue.search(&request))
            .await?
            .map_err(|e| DomainError::Internal(format!("search index: {e}")))
    }
}
