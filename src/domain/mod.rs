//! bookbridge's rules: what a school, a wish list and a pledge are, who may do what, and
//! how a pledge is matched and moved. No Rocket and no sea-orm types appear here; storage
//! is reached through [`Store`], whose functions speak these types.

pub mod accounts;
pub mod books;
pub mod credentials;
pub mod error;
pub mod ids;
pub mod isbn;
pub mod matching;
pub mod model;
pub mod pledge_status;
pub mod pledges;
pub mod quantity;
pub mod role;
pub mod schools;
pub mod text;
pub mod wishlists;

use chrono::{DateTime, Utc};

use crate::store::Store;

/// The service: every operation the API offers, over one store.
#[derive(Debug, Clone)]
pub struct Bookbridge {
    store: Store,
    session_ttl: chrono::Duration,
}

impl Bookbridge {
    /// Wraps a connected, migrated store.
    pub fn new(store: Store, session_ttl: chrono::Duration) -> Self {
        Bookbridge { store, session_ttl }
    }

    /// The store, for start-up tasks (seeding) and health checks.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now() -> DateTime<Utc> {
        Utc::now()
    }
}
