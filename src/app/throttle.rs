//! What keeps sign-in and registration standing under attack: the limits (policies) and a
//! bounded pool for password hashing.
//!
//! Per-account locks and per-address limits both live in the database (`accounts`,
//! `address_events`): they hold across servers and restarts, whichever server answers, and
//! tests move the service's clock past them. `app::accounts` applies them.

use super::hasher::Hasher;

/// The limits, from the configuration.
#[derive(Debug, Clone)]
pub struct Policies {
    /// How long a sign-in token lasts.
    pub session_ttl: chrono::Duration,
    /// Seconds a server keeps who a token belongs to (see `app::signed_in`).
    pub signed_in_seconds: u32,
    /// Failed sign-ins after which an account waits.
    pub lock_after_failures: u32,
    /// The first wait; it doubles with each further failure, up to a day.
    pub first_lock: chrono::Duration,
    /// Failed sign-ins one client address may make per minute.
    pub address_failures_per_minute: u32,
    /// Registrations one client address may make per hour.
    pub registrations_per_hour: u32,
    /// Password hashes computed at once (argon2 takes ~19 MiB each).
    pub hashing_slots: usize,
    /// Where cover images may come from when a volunteer edits a book (a URL prefix).
    pub cover_source: String,
    /// How long a donor has to post a pledge, its one extension and the reminders.
    pub ship: crate::domain::deadlines::ShipRules,
    /// How long handled notices are kept.
    pub notification_keep: chrono::Duration,
    /// How long a delivered wish keeps the child's details.
    pub child_details: crate::domain::child_wishes::Retention,
    /// Pledges and wish claims are written in batches (group commit).
    pub group_commit: bool,
    /// Searches without words are answered from the answer at the index's commit.
    pub wordless_search_cache: bool,
    /// Webhook receivers may be at loopback or private addresses.
    pub webhooks_allow_private: bool,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            session_ttl: chrono::Duration::days(30),
            signed_in_seconds: 5,
            lock_after_failures: 10,
            first_lock: chrono::Duration::minutes(1),
            address_failures_per_minute: 30,
            registrations_per_hour: 100,
            hashing_slots: std::thread::available_parallelism().map_or(2, usize::from),
            cover_source: "https://covers.openlibrary.org/".to_owned(),
            ship: crate::domain::deadlines::ShipRules::default(),
            notification_keep: chrono::Duration::days(90),
            child_details: crate::domain::child_wishes::Retention::default(),
            group_commit: true,
            wordless_search_cache: true,
            webhooks_allow_private: false,
        }
    }
}

impl Policies {
    /// How long an account waits after `failures` failed sign-ins in a row (from the
    /// threshold on): the first lock, doubling with each further failure, at most a day.
    pub fn lock_for(&self, failures: u32) -> chrono::Duration {
        let extra = failures.saturating_sub(self.lock_after_failures).min(16);
        (self.first_lock * 2i32.pow(extra)).min(chrono::Duration::days(1))
    }
}

/// The hashing pool.
#[derive(Debug)]
pub struct Throttle {
    hasher: Hasher,
}

impl Throttle {
    /// The pool for `policies`.
    pub fn new(policies: &Policies) -> Self {
        Throttle {
            hasher: Hasher::start(policies.hashing_slots),
        }
    }

    /// The threads password hashing runs on: at most one hash per slot at a time, each in
    /// memory it keeps, so a flood of sign-ins queues instead of holding memory.
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }
}
