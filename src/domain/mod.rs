//! bookbridge's rules: what a school, a wish list and a pledge are, who may do what, and
//! how a pledge is matched and moved. No Rocket and no sea-orm types appear here; storage
//! is reached through [`Store`], whose functions speak these types.

pub mod accounts;
pub mod books;
pub mod credentials;
pub mod error;
pub mod ids;
pub mod import;
pub mod indexer;
pub mod isbn;
pub mod matching;
pub mod metadata;
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
/// Cheap to clone; background workers hold a [`WeakService`] so they stop with the server.
#[derive(Debug, Clone)]
pub struct Bookbridge(Arc<Inner>);

/// What the service holds.
#[derive(Debug)]
pub struct Inner {
    store: Store,
    catalogue: Arc<Catalogue>,
    index_changed: Arc<Notify>,
    metadata_wanted: Arc<Notify>,
    session_ttl: chrono::Duration,
}

impl std::ops::Deref for Bookbridge {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// A handle that does not keep the service alive.
#[derive(Debug, Clone)]
pub struct WeakService(std::sync::Weak<Inner>);

impl WeakService {
    /// The service, while anything else still holds it.
    pub fn upgrade(&self) -> Option<Bookbridge> {
        self.0.upgrade().map(Bookbridge)
    }
}

impl Bookbridge {
    /// Wraps a connected, migrated store and an open index.
    pub fn new(store: Store, catalogue: Catalogue, session_ttl: chrono::Duration) -> Self {
        Bookbridge(Arc::new(Inner {
            store,
            catalogue: Arc::new(catalogue),
            index_changed: Arc::new(Notify::new()),
            metadata_wanted: Arc::new(Notify::new()),
            session_ttl,
        }))
    }

    /// A handle for background workers.
    pub fn downgrade(&self) -> WeakService {
        WeakService(Arc::downgrade(&self.0))
    }

    /// The store, for start-up tasks (seeding) and health checks.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now() -> DateTime<Utc> {
        Utc::now()
    }
}
