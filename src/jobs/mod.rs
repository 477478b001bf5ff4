//! Background work on one runner. A job is a small type with a name, what happened that
//! wakes it (`FOLLOWS`), how it is made from the settings, how often it looks when nobody
//! wakes it, and one `run` that does a round of work. The runner owns the loop: start, wake,
//! back off after failures, log errors, and stop when the service goes away. A new job is a
//! new file here and one line in [`start`].

pub mod child_details;
pub mod deadlines;
pub mod housekeeping;
pub mod indexer;
pub mod metadata;
pub mod notices;
pub mod webhooks;

use std::future::Future;
use std::time::Duration;

use crate::app::{Bookbridge, Happened};
use crate::config::Config;

/// What one round of a job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// There may be more to do at once: run again without waiting.
    More,
    /// Nothing left for now: wait for a wake or the next poll.
    Idle,
}

/// A background job.
pub trait Job: Send + Sync + 'static {
    /// Its name, for logs.
    const NAME: &'static str;
    /// What happened that wakes it early (a use case tells [`Bookbridge::happened`]).
    const FOLLOWS: &'static [Happened];
    /// The job as the settings ask for it; `None`: turned off by them.
    fn from_config(config: &Config) -> anyhow::Result<Option<Self>>
    where
        Self: Sized;
    /// How long it waits between rounds when nobody wakes it (changes made by other
    /// processes sharing the database are found this way).
    fn poll(&self) -> Duration;
    /// How long it lets wakes gather before a round: under a rush (a pledge a millisecond)
    /// many wakes become one round, one index commit, one pass over the outbox.
    fn gather(&self) -> Duration {
        Duration::ZERO
    }
    /// One round of work.
    fn run(&self, app: &Bookbridge) -> impl Future<Output = anyhow::Result<Round>> + Send;
}

/// First wait after a failed round; doubles with each failure in a row.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest wait after failures.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// How long to wait after `failures` failed rounds in a row.
pub fn backoff(failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
    FIRST_BACKOFF.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Runs `job` until the service is dropped. The runner holds the service only during a
/// round; waiting holds just the wake signal, so jobs never keep the server (and the index
/// writer) alive after it stops.
pub fn spawn<J: Job>(app: &Bookbridge, job: J) -> tokio::task::JoinHandle<()> {
    let weak = app.downgrade();
    let woken = app.listen(J::FOLLOWS);
    tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            let round = {
                let Some(app) = weak.upgrade() else {
                    log::debug!("job {} stopped with the service", J::NAME);
                    return;
                };
                job.run(&app).await
            };
            metrics::counter!("bookbridge_job_rounds_total", "job" => J::NAME).increment(1);
            if round.is_ok() {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64());
                metrics::gauge!("bookbridge_job_last_success_seconds", "job" => J::NAME).set(now);
            }
            let wait = match round {
                Ok(Round::More) => {
                    failures = 0;
                    continue;
                }
                Ok(Round::Idle) => {
                    failures = 0;
                    job.poll()
                }
                Err(err) => {
                    metrics::counter!("bookbridge_job_errors_total", "job" => J::NAME).increment(1);
                    failures = failures.saturating_add(1);
                    log::error!("job {} failed ({failures} in a row): {err:#}", J::NAME);
                    backoff(failures).max(job.poll())
                }
            };
            tokio::select! {
                _ = woken.notified() => {
                    if !job.gather().is_zero() {
                        tokio::time::sleep(job.gather()).await;
                    }
                }
                _ = tokio::time::sleep(wait) => {}
            }
        }
    })
}

/// Starts every background job the configuration asks for: the one list of jobs.
pub fn start(app: &Bookbridge, config: &Config) {
    start_job::<indexer::IndexChanges>(app, config);
    start_job::<housekeeping::Housekeeping>(app, config);
    start_job::<child_details::RemoveChildDetails>(app, config);
    start_job::<deadlines::EnforceDeadlines>(app, config);
    start_job::<notices::SendNotices>(app, config);
    start_job::<webhooks::SendWebhooks>(app, config);
    start_job::<metadata::FetchMetadata>(app, config);
}

/// Makes `J` from the settings and runs it; a job that cannot be made is logged and left
/// off, and the service runs without it.
fn start_job<J: Job>(app: &Bookbridge, config: &Config) {
    match J::from_config(config) {
        Ok(Some(job)) => {
            spawn(app, job);
        }
        Ok(None) => log::info!("job {} is off by the settings", J::NAME),
        Err(err) => log::error!("job {} is off: {err:#}", J::NAME),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_doubling_up_to_a_minute() {
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(2), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(2));
        assert_eq!(backoff(100), MAX_BACKOFF);
    }
}
