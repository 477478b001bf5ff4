//! The use cases: every operation the API and the pages offer, one file per aggregate.
//!
//! A use case checks who asks, opens the transaction (through the store), applies the domain
//! rule, saves, and records the event and the change-log row; then it wakes the background
//! job that follows up. Routes and pages call these and nothing else. "Now" always comes from
//! the service's [`Clock`].

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod booklists;
pub mod books;
pub mod child_wishes;
pub mod clock;
pub mod deadlines;
pub mod hasher;
pub mod housekeeping;
pub mod import;
pub mod indexing;
pub mod metadata;
pub mod notify;
mod pledge_queue;
pub mod pledges;
pub mod schools;
pub mod search;
pub mod throttle;
pub mod vetting;
pub mod webhooks;
pub mod wishlists;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use index::Catalogue;
use tokio::sync::Notify;

pub use clock::{Clock, ManualClock, SystemClock};
pub use throttle::Policies;

use throttle::Throttle;

use crate::domain::error::{DomainError, DomainResult};
use crate::photos::Photos;
use crate::store::Store;

/// Background work a use case can ask for; each job listens for one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The search change log has new rows.
    SearchIndex,
    /// A book is waiting for its metadata.
    Metadata,
    /// Housekeeping (pruning) is due.
    Housekeeping,
    /// Pledge deadlines may have come (the clock moved, or a pledge was made).
    Deadlines,
    /// Notices were recorded and may be sent.
    Notices,
    /// Notices were recorded and may go to webhooks.
    Webhooks,
    /// Delivered wishes may have kept the child's details long enough.
    ChildDetails,
}

/// The service: the store, the search index and the clock, shared by every request and job.
/// Cheap to clone; background jobs hold a [`WeakService`] so they stop with the server.
#[derive(Debug, Clone)]
pub struct Bookbridge(Arc<Inner>);

/// What the service holds.
#[derive(Debug)]
pub struct Inner {
    store: Store,
    catalogue: Arc<Catalogue>,
    photos: Photos,
    clock: Arc<dyn Clock>,
    index_wanted: Arc<Notify>,
    metadata_wanted: Arc<Notify>,
    housekeeping_wanted: Arc<Notify>,
    deadlines_wanted: Arc<Notify>,
    notices_wanted: Arc<Notify>,
    webhooks_wanted: Arc<Notify>,
    child_details_wanted: Arc<Notify>,
    policies: Policies,
    throttle: Throttle,
    pledge_queue: pledge_queue::PledgeQueue,
    /// Searches running at once (one per core; see [`Bookbridge::search`]).
    search_turns: tokio::sync::Semaphore,
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
    /// Wraps a connected, migrated store and an open index, telling time by `clock`.
    pub fn new(
        store: Store,
        catalogue: Catalogue,
        photos: Photos,
        policies: Policies,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Bookbridge(Arc::new(Inner {
            store,
            catalogue: Arc::new(catalogue),
            photos,
            clock,
            index_wanted: Arc::new(Notify::new()),
            metadata_wanted: Arc::new(Notify::new()),
            housekeeping_wanted: Arc::new(Notify::new()),
            deadlines_wanted: Arc::new(Notify::new()),
            notices_wanted: Arc::new(Notify::new()),
            webhooks_wanted: Arc::new(Notify::new()),
            child_details_wanted: Arc::new(Notify::new()),
            throttle: Throttle::new(&policies),
            policies,
            pledge_queue: pledge_queue::PledgeQueue::default(),
            search_turns: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            ),
        }))
    }

    /// A handle for background jobs.
    pub fn downgrade(&self) -> WeakService {
        WeakService(Arc::downgrade(&self.0))
    }

    /// The store, for start-up tasks (seeding) and health checks.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current time by the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The signal a job of `kind` waits on.
    pub fn waker(&self, kind: Wake) -> Arc<Notify> {
        match kind {
            Wake::SearchIndex => self.index_wanted.clone(),
            Wake::Metadata => self.metadata_wanted.clone(),
            Wake::Housekeeping => self.housekeeping_wanted.clone(),
            Wake::Deadlines => self.deadlines_wanted.clone(),
            Wake::Notices => self.notices_wanted.clone(),
            Wake::Webhooks => self.webhooks_wanted.clone(),
            Wake::ChildDetails => self.child_details_wanted.clone(),
        }
    }

    /// Wakes the job that handles `kind` now rather than at its next poll.
    pub fn wake(&self, kind: Wake) {
        self.waker(kind).notify_one();
    }

    /// Pokes the indexer after a change.
    pub(crate) fn index_soon(&self) {
        self.wake(Wake::SearchIndex);
    }

    /// Pokes the notice sender after notices were recorded.
    pub(crate) fn notify_soon(&self) {
        self.wake(Wake::Notices);
        self.wake(Wake::Webhooks);
    }

    /// Pokes the metadata fetcher after a book was added that needs metadata.
    pub(crate) fn fetch_metadata_soon(&self) {
        self.wake(Wake::Metadata);
    }
}

impl Bookbridge {
    /// Whether the service can serve: the database answers. Returns the engine's name.
    pub async fn health(&self) -> DomainResult<&'static str> {
        match self.store.ping().await {
            Ok(()) => Ok(self.store.engine()),
            Err(err) => {
                log::error!("health check failed: {err}");
                Err(DomainError::Unavailable("the database does not answer"))
            }
        }
    }
}

/// Runs blocking work (password hashing, index writes) off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> DomainResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))
}
