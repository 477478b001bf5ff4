//! Pledges that are never posted: reminders before the date, and expiry after it, which
//! releases the copies to the wish list and the search index in the same transaction.

use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::DomainResult;
use crate::domain::model::MoveDetails;
use crate::domain::notices::{confirm_key, NewNotice, Notice};
use crate::domain::pledge_status::PledgeStatus;
use crate::store::PledgeMove;

/// Notices a person's page lists.
const NOTICES_SHOWN: u64 = 50;

/// Pledges looked at per round; a round that fills it asks for another at once.
const ROUND: u64 = 200;

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeadlineRound {
    /// Reminders recorded (a reminder already recorded is not counted again).
    pub reminded: usize,
    /// Pledges expired.
    pub expired: usize,
    /// Whether pledges may be left for another round.
    pub more: bool,
}

impl Bookbridge {
    /// Reminds donors whose date to post by is near and expires the pledges whose date has
    /// passed, as of the service's clock.
    pub async fn enforce_deadlines(&self) -> DomainResult<DeadlineRound> {
        let rules = &self.policies.ship;
        let now = self.now();
        let mut round = DeadlineRound::default();
        let horizon = rules.reminder_horizon(now);
        let near = self
            .store
            .pledges_due_by(horizon, rules.made_by_for(horizon), ROUND)
            .await?;
        round.more = near.len() as u64 == ROUND;
        for pledge in near {
            if rules.is_overdue(&pledge, now) {
                if self.expire(&pledge, now).await? {
                    round.expired += 1;
                }
            } else if let Some(days) = rules.reminder_due(&pledge, now) {
                self.store
                    .record_notices(&pledge, &[NewNotice::reminder(pledge.id, days)], now)
                    .await?;
                round.reminded += 1;
            }
        }
        // Parcels that should have arrived long ago: the school is asked, once each (the
        // dedupe key makes later rounds a no-op; the scan is bounded by the round size).
        for pledge in self
            .store
            .shipped_unreminded(rules.confirm_cutoff(now), confirm_key, ROUND)
            .await?
        {
            self.store
                .record_notices(&pledge, &[NewNotice::confirm_reminder(pledge.id)], now)
                .await?;
            round.reminded += 1;
        }
        if round.expired > 0 {
            self.happened(Happened::CatalogueChanged);
        }
        if round.expired + round.reminded > 0 {
            self.happened(Happened::NoticesRecorded);
        }
        Ok(round)
    }

    /// The caller's own notices, newest first.
    pub async fn notices(&self, actor: &crate::domain::model::Actor) -> DomainResult<Vec<Notice>> {
        Ok(self.store.notices_for(actor.account, NOTICES_SHOWN).await?)
    }

    /// Expires one overdue pledge; `false` when it moved meanwhile (posted at the last
    /// moment, say), which is left as it is.
    async fn expire(
        &self,
        pledge: &crate::domain::model::Pledge,
        now: chrono::DateTime<chrono::Utc>,
    ) -> DomainResult<bool> {
        pledge.status.transition(PledgeStatus::Expired)?;
        let moved = self
            .store
            .move_pledge(PledgeMove {
                pledge,
                to: PledgeStatus::Expired,
                actor: None,
                details: &MoveDetails {
                    note: Some("not posted in time".into()),
                    ..MoveDetails::default()
                },
                now,
                audit: &AuditEntry::by_system(
                    AuditAction::PledgeMoved,
                    format!("pledge:{}", pledge.id),
                )
                .detail("pledged -> expired (not posted in time)"),
                notices: &NewNotice::for_move(PledgeStatus::Expired),
            })
            .await?;
        Ok(moved.is_some())
    }
}
