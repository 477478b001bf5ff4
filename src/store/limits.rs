//! Per-address limits (failed sign-ins, registrations) counted in the database, over a
//! sliding window, so every server sharing it counts the same events.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

use super::{Store, StoreResult};

/// What an address's events in a window come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCount {
    /// Events in the window.
    pub count: u64,
    /// The oldest of them (it leaves the window first).
    pub oldest: Option<DateTime<Utc>>,
}

impl Store {
    /// Events of `kind` from `address` in the `window` before `now`.
    pub async fn address_events(
        &self,
        address: &str,
        kind: &str,
        window: Duration,
        now: DateTime<Utc>,
    ) -> StoreResult<WindowCount> {
        let values = || {
            vec![
                address.to_owned().into(),
                kind.to_owned().into(),
                (now - window).into(),
            ]
        };
        let count = self
            .count(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM address_events \
                 WHERE address = $1 AND kind = $2 AND at > $3",
                values(),
            )
            .await?;
        if count == 0 {
            return Ok(WindowCount {
                count,
                oldest: None,
            });
        }
        let oldest = self
            .db
            .query_one_raw(self.stmt(
                "SELECT at FROM address_events WHERE address = $1 AND kind = $2 AND at > $3 \
                 ORDER BY at LIMIT 1",
                values(),
            ))
            .await?
            .map(|r| r.try_get::<DateTime<Utc>>("", "at"))
            .transpose()?;
        Ok(WindowCount { count, oldest })
    }

    /// Records one event of `kind` from `address` at `now`.
    pub async fn record_address_event(
        &self,
        address: &str,
        kind: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "INSERT INTO address_events (address, kind, at) VALUES ($1, $2, $3)",
                vec![
                    address.to_owned().into(),
                    kind.to_owned().into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// Removes events older than `before` (housekeeping); how many.
    pub async fn prune_address_events(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(self
            .db
            .execute_raw(self.stmt(
                "DELETE FROM address_events WHERE at < $1",
                vec![before.into()],
            ))
            .await?
            .rows_affected())
    }
}
