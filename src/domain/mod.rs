//! bookbridge's rules: what a school, a wish list and a pledge are, who may do what, and
//! how a pledge is matched and moved. No Rocket and no sea-orm types appear here; storage
//! is reached through [`Store`], whose functions speak these types.

pub mod accounts;
pub mod books;
pub mod credentials;
pub mod error;
pub mod ids;
pub mod indexer;
pub mod isbn;
pub mod matching;
pub mod model;
pub mod pledge_status;
pub mod pledges;
pub mod quantity;
pub mod role;
pub mod schools;
pub mod search;
pub mod text;
pub mod wishlists;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use index::Catalogue;
use tokio::sync::Notify;

use crate::store::Store;

/// The service: every operation the API offers, over one store and one search index.
#[derive(Debug, Clone)]
pub struct Bookbridge {
    store: Store,
    catalogue: Arc<Catalogue>,
    index_changed: Arc<Notify>,
    session_ttl: chrono::Duration,
}

impl Bookbridge {
    /// Wraps a connected, migrated store and an open index.
    pub fn new(store: Store, catalogue: Catalogue, session_ttl: chrono::Duration) -> Self {
        Bookbridge {
            store,
            catalogue: Arc::new(catalogue),
            index_changed: Arc::new(Notify::new()),
            session_ttl,
        }
    }

    /// The store, for start-up tasks (seeding) and health checks.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now() -> DateTime<Utc> {
        Utc::now()
    }
}
