//! The admin console's use cases: the charity's figures, notices that could not be sent
//! (and sending them again), and pledges close to or past their date.

use super::{Bookbridge, Happened};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::figures::Figures;
use crate::domain::model::{Actor, Pledge};
use crate::domain::notices::{Channel, Notice};

/// Most rows a console list shows.
const LISTED: u64 = 100;

fn admins_only(actor: &Actor) -> DomainResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(DomainError::Forbidden("only admins see the console"))
    }
}

impl Bookbridge {
    /// Copies requested, pledged, shipped and delivered, by month and by province (admins).
    pub async fn figures(&self, actor: &Actor) -> DomainResult<Figures> {
        admins_only(actor)?;
        Ok(self.store.figures().await?)
    }

    /// Notices whose email was given up on (admins).
    pub async fn failed_notices(&self, actor: &Actor) -> DomainResult<Vec<Notice>> {
        admins_only(actor)?;
        Ok(self.store.failed_notices(LISTED).await?)
    }

    /// Sends an email or a webhook delivery that was given up on again, from its first try
    /// (admins).
    pub async fn send_again(&self, actor: &Actor, channel: Channel, id: i64) -> DomainResult<()> {
        admins_only(actor)?;
        if !self.store.send_again(channel, id).await? {
            return Err(DomainError::not_found(
                match channel {
                    Channel::Email => "failed notice",
                    Channel::Webhook => "failed delivery",
                },
                id,
            ));
        }
        self.happened(Happened::NoticesRecorded);
        Ok(())
    }

    /// Webhook deliveries given up on: `(delivery id, receiver, notice)` (admins).
    pub async fn failed_deliveries(
        &self,
        actor: &Actor,
    ) -> DomainResult<Vec<(i64, String, Notice)>> {
        admins_only(actor)?;
        Ok(self.store.failed_deliveries(LISTED).await?)
    }

    /// Pledges not yet posted whose date is within two days or past (admins): the ones a
    /// coordinator may want to chase before they expire.
    pub async fn stale_pledges(&self, actor: &Actor) -> DomainResult<Vec<Pledge>> {
        admins_only(actor)?;
        let rules = &self.policies.ship;
        let soon = self.now() + chrono::Duration::days(2);
        Ok(self
            .store
            .pledges_due_by(soon, rules.made_by_for(soon), LISTED)
            .await?
            .into_iter()
            .map(|p| self.dated(p))
            .collect())
    }
}
