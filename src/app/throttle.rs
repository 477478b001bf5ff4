//! What keeps sign-in and registration standing under attack: a bounded pool for password
//! hashing, and limits on failed sign-ins and registrations per client address.
//!
//! Per-account locks live in the database (they must hold across servers and restarts, and
//! tests move the service's clock past them); per-address limits live here, in memory, with
//! `governor`: a flood from one address is a property of this server's traffic.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::hasher::Hasher;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// The limits, from the configuration.
#[derive(Debug, Clone)]
pub struct Policies {
    /// How long a sign-in token lasts.
    pub session_ttl: chrono::Duration,
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
    /// Pledges naming no school are written in batches (group commit).
    pub group_commit: bool,
    /// Webhook receivers may be at loopback or private addresses.
    pub webhooks_allow_private: bool,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            session_ttl: chrono::Duration::days(30),
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

/// Per-address limiters and the hashing pool.
#[derive(Debug)]
pub struct Throttle {
    failures: Option<DefaultKeyedRateLimiter<Option<IpAddr>>>,
    registrations: Option<DefaultKeyedRateLimiter<Option<IpAddr>>>,
    /// Addresses waiting out a failure limit, and until when.
    blocked: Mutex<HashMap<Option<IpAddr>, Instant>>,
    hasher: Hasher,
}

/// A keyed limiter of `count` events per `per`, refusing the event after `burst` in a row;
/// `count` 0 turns the limit off.
fn limiter(
    per: Duration,
    count: u32,
    burst: u32,
) -> Option<DefaultKeyedRateLimiter<Option<IpAddr>>> {
    let count = NonZeroU32::new(count)?;
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    let quota = Quota::with_period(per / count.get())?.allow_burst(burst);
    Some(governor::RateLimiter::keyed(quota))
}

impl Throttle {
    /// The limiters for `policies`.
    pub fn new(policies: &Policies) -> Self {
        Throttle {
            // "At most N failures" means the N-th failure starts the wait: governor cannot
            // peek at what is left, it only refuses the event after the last cell, so the
            // burst is one smaller than the count.
            failures: limiter(
                Duration::from_secs(60),
                policies.address_failures_per_minute,
                policies.address_failures_per_minute.saturating_sub(1),
            ),
            registrations: limiter(
                Duration::from_secs(3600),
                policies.registrations_per_hour,
                policies.registrations_per_hour,
            ),
            blocked: Mutex::new(HashMap::new()),
            hasher: Hasher::start(policies.hashing_slots),
        }
    }

    /// Seconds until `client` may try to sign in again, while its failures have used up
    /// the limit. Looking costs nothing.
    pub fn address_locked(&self, client: Option<IpAddr>) -> Option<u64> {
        let now = Instant::now();
        let blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        blocked
            .get(&client)
            .filter(|until| **until > now)
            .map(|until| seconds_until(*until - now))
    }

    /// Counts a failed sign-in from `client`; true when this failure used up its limit (the
    /// address then waits until the limiter would take another failure).
    pub fn failed_from(&self, client: Option<IpAddr>) -> bool {
        let Some(limiter) = self.failures.as_ref() else {
            return false;
        };
        let Err(not_until) = limiter.check_key(&client) else {
            return false;
        };
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let mut blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if blocked.len() > 10_000 {
            blocked.retain(|_, until| *until > now);
        }
        blocked.insert(client, now + wait.max(Duration::from_secs(1)));
        true
    }

    /// Counts a registration from `client`; the seconds to wait when over the limit.
    pub fn registration_from(&self, client: Option<IpAddr>) -> Option<u64> {
        let limiter = self.registrations.as_ref()?;
        limiter
            .check_key(&client)
            .err()
            .map(|not_until| seconds_until(not_until.wait_time_from(DefaultClock::default().now())))
    }

    /// The threads password hashing runs on: at most one hash per slot at a time, each in
    /// memory it keeps, so a flood of sign-ins queues instead of holding memory.
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }
}

fn seconds_until(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}
