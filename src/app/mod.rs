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
pub mod boxes;
pub mod child_wishes;
pub mod clock;
pub mod deadlines;
pub mod hasher;
pub mod housekeeping;
pub mod import;
pub mod indexing;
pub mod metadata;
pub mod notify;
pub mod parcels;
mod pledge_queue;
pub mod pledges;
pub mod schools;
pub mod search;
pub mod shelves;
mod signed_in;
pub mod throttle;
pub mod vetting;
pub mod webhooks;
pub mod wechat;
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

/// What happened, as a use case tells the background work: never which job should run.
/// Each job lists what it follows (`Job::FOLLOWS` in `crate::jobs`); one event may wake
/// several jobs, and a new job needs no change here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happened {
    /// Books, needs or schools changed: the search change log has new rows.
    CatalogueChanged,
    /// A book arrived that has no metadata yet.
    BookAdded,
    /// Notices were recorded for people.
    NoticesRecorded,
    /// The service's clock moved (deadlines, retention and pruning may be due early).
    ClockMoved,
}

/// The jobs' wake signals, each under the events its job follows.
#[derive(Debug, Default)]
struct Listeners(std::sync::RwLock<Vec<(&'static [Happened], Arc<Notify>)>>);

impl Listeners {
    /// A new signal, fired whenever one of `events` happens.
    fn add(&self, events: &'static [Happened]) -> Arc<Notify> {
        let signal = Arc::new(Notify::new());
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((events, signal.clone()));
        signal
    }

    /// Fires the signal of everyone following `event`.
    fn tell(&self, event: Happened) {
        let listeners = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (events, signal) in listeners.iter() {
            if events.contains(&event) {
                signal.notify_one();
            }
        }
    }
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
    listeners: Listeners,
    policies: Policies,
    throttle: Throttle,
    pledge_queue: pledge_queue::PledgeQueue,
    /// Searches running at once (one per core; see [`Bookbridge::search`]).
    search_turns: tokio::sync::Semaphore,
    /// Answers to searches without words, by index commit.
    wordless: search::WordlessAnswers,
    /// Who tokens belong to, kept for a few seconds.
    signed_in: signed_in::SignedIn,
    /// Turns at the index writer, and what imports staged in it.
    index_turn: indexing::IndexTurn,
    /// WeChat's API, when WeChat is on (set at start).
    wechat: std::sync::OnceLock<crate::wechat::WeChat>,
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
        let signed_in = signed_in::SignedIn::new(policies.signed_in_seconds);
        Bookbridge(Arc::new(Inner {
            store,
            catalogue: Arc::new(catalogue),
            photos,
            clock,
            listeners: Listeners::default(),
            throttle: Throttle::new(&policies),
            policies,
            pledge_queue: pledge_queue::PledgeQueue::default(),
            wordless: search::WordlessAnswers::default(),
            signed_in,
            index_turn: indexing::IndexTurn::default(),
            wechat: std::sync::OnceLock::new(),
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

    /// A signal that fires whenever one of `events` happens (a job waits on it).
    pub fn listen(&self, events: &'static [Happened]) -> Arc<Notify> {
        self.listeners.add(events)
    }

    /// Tells the background work that `event` happened: every job that follows it runs
    /// now rather than at its next poll.
    pub fn happened(&self, event: Happened) {
        self.listeners.tell(event);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `signal` was fired since it was last waited on.
    async fn fired(signal: &Notify) -> bool {
        tokio::time::timeout(std::time::Duration::ZERO, signal.notified())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn an_event_wakes_every_job_that_follows_it_and_no_other() {
        let listeners = Listeners::default();
        let index = listeners.add(&[Happened::CatalogueChanged]);
        let email = listeners.add(&[Happened::NoticesRecorded]);
        let webhooks = listeners.add(&[Happened::NoticesRecorded]);
        let deadlines = listeners.add(&[Happened::ClockMoved, Happened::NoticesRecorded]);
        listeners.tell(Happened::NoticesRecorded);
        assert!(fired(&email).await && fired(&webhooks).await && fired(&deadlines).await);
        assert!(!fired(&index).await, "the indexer follows no notices");
        listeners.tell(Happened::BookAdded);
        for signal in [&index, &email, &webhooks, &deadlines] {
            assert!(!fired(signal).await, "nobody here follows a new book");
        }
    }
}
