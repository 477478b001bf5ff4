//! Reminds donors before a pledge's date to post by and expires pledges after it (see
//! `app::deadlines`). Time comes from the service's clock, so tests move it instead of
//! waiting; a moved clock wakes this job (`Happened::ClockMoved`).
//!
//! Every server sharing the database runs it, harmlessly: an expiry is a conditional move
//! (`pledged` -> `expired`, which only one server's statement makes), and a reminder is a
//! notice with a dedupe key (`ON CONFLICT DO NOTHING`), so two rounds at once remind once.

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;

/// Looks at pledge deadlines every few minutes.
#[derive(Debug, Clone, Copy)]
pub struct EnforceDeadlines;

impl Job for EnforceDeadlines {
    const NAME: &'static str = "pledge deadlines";
    const FOLLOWS: &'static [Happened] = &[Happened::ClockMoved];

    fn from_config(_config: &Config) -> anyhow::Result<Option<Self>> {
        Ok(Some(EnforceDeadlines))
    }

    fn poll(&self) -> Duration {
        Duration::from_secs(5 * 60)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        let round = app.enforce_deadlines().await?;
        if round.expired > 0 || round.reminded > 0 {
            log::info!(
                "pledge deadlines: {} reminded, {} expired",
                round.reminded,
                round.expired
            );
        }
        Ok(if round.more { Round::More } else { Round::Idle })
    }
}
