//! Housekeeping and the figures health reports: what each server's index has applied, the
//! change log below what all of them have, old notices, and the backlogs.

use super::Bookbridge;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::search::IndexLag;

/// What one round of housekeeping removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Dead sessions.
    pub sessions: u64,
    /// Change-log rows every index has applied.
    pub change_log: u64,
    /// Notices handled more than `notification_keep_days` ago.
    pub notices: u64,
    /// Per-address events (failed sign-ins, registrations) older than a day.
    pub address_events: u64,
}

/// Backlogs, for `/health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlogs {
    /// This server's index behind the change log.
    pub index_lag: IndexLag,
    /// Notices waiting to be sent.
    pub notifications_pending: u64,
}

/// What an operator watches, read afresh (for `/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// The index and the notices (as `/health` has them).
    pub backlogs: Backlogs,
    /// Webhook deliveries waiting to be taken.
    pub deliveries_pending: u64,
    /// Pledges queued for the batch writer and not yet answered, on this server.
    pub pledges_waiting: u64,
    /// Database connections of this server's pool: open, and idle.
    pub pool: (u32, u32),
}

impl Bookbridge {
    /// Records, under this server's `instance` name, how far its index has applied the
    /// change log (pruning never goes past it).
    pub async fn record_index_progress(&self, instance: &str) -> DomainResult<()> {
        let applied = self
            .catalogue
            .applied_seq()
            .map_err(|e| DomainError::Internal(format!("search index: {e}")))?
            .unwrap_or(0);
        Ok(self
            .store
            .record_index_applied(instance, applied, self.now())
            .await?)
    }

    /// One round of pruning.
    pub async fn housekeep(&self) -> DomainResult<Pruned> {
        let now = self.now();
        Ok(Pruned {
            sessions: self.prune_sessions().await?,
            change_log: self.store.prune_change_log().await?,
            notices: self
                .store
                .prune_notices(now - self.policies.notification_keep)
                .await?,
            // Longer ago than any window they are counted over.
            address_events: self
                .store
                .prune_address_events(now - chrono::Duration::days(1))
                .await?,
        })
    }

    /// The backlogs, the pledge queue and the pool, for the operator's figures.
    pub async fn workload(&self) -> DomainResult<Workload> {
        Ok(Workload {
            backlogs: self.backlogs().await?,
            deliveries_pending: self.store.deliveries_pending().await?,
            pledges_waiting: self.pledges_waiting(),
            pool: self.store.pool_use(),
        })
    }

    /// How far behind the index and the notices are.
    pub async fn backlogs(&self) -> DomainResult<Backlogs> {
        let applied = self
            .catalogue
            .applied_seq()
            .map_err(|e| DomainError::Internal(format!("search index: {e}")))?
            .unwrap_or(0);
        Ok(Backlogs {
            index_lag: self.store.index_lag(applied, self.now()).await?,
            notifications_pending: self.store.notices_pending().await?,
        })
    }
}
