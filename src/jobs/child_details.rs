//! Removes the child's details (name, sentence, photos, thanks) from delivered wishes once
//! their time is up (`child_details_keep_days`; by default the end of the school year), and
//! keeps the wishes as counts (see `app::child_wishes`).
//!
//! Every server sharing the database runs it, harmlessly: a round erases details (and
//! photos) of wishes past their date in one transaction, which a second server finds done.

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;

/// Looks every hour.
#[derive(Debug, Clone, Copy)]
pub struct RemoveChildDetails;

impl Job for RemoveChildDetails {
    const NAME: &'static str = "child details";
    const FOLLOWS: &'static [Happened] = &[Happened::ClockMoved];

    fn from_config(_config: &Config) -> anyhow::Result<Option<Self>> {
        Ok(Some(RemoveChildDetails))
    }

    fn poll(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        let removed = app.remove_expired_child_details().await?;
        if removed > 0 {
            log::info!("removed the child's details of {removed} delivered wishes");
        }
        Ok(Round::Idle)
    }
}
