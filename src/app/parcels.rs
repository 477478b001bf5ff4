//! Parcels: posting one with its tracking number, correcting that, and the school's
//! confirmation of all it held.

use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::ParcelId;
use crate::domain::model::{Actor, MoveDetails, Pledge, School};
use crate::domain::notices::NewNotice;
use crate::domain::parcels::{may_correct_tracking, may_post, ParcelView};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::{may_move, may_see, ShipTo};
use crate::store::PledgeMove;

impl Bookbridge {
    /// A parcel, for its donor, its school and staff.
    pub async fn parcel(&self, actor: &Actor, id: ParcelId) -> DomainResult<ParcelView> {
        let (pledges, school) = self.visible_parcel(actor, id).await?;
        self.parcel_view(actor, pledges, school)
    }

    /// Records a parcel as posted with its carrier and tracking number: every pledge in it
    /// still waiting to be posted moves to `shipped`, in one transaction.
    pub async fn post_parcel(
        &self,
        actor: &Actor,
        id: ParcelId,
        details: MoveDetails,
    ) -> DomainResult<ParcelView> {
        let (pledges, _) = self.visible_parcel(actor, id).await?;
        if !may_post(actor, pledges[0].donor_id) {
            return Err(DomainError::Forbidden(
                "only the parcel's donor, volunteers and admins record it as posted",
            ));
        }
        if details.tracking_number.is_none() {
            return Err(Invalid::new("tracking_number", "`tracking_number` is required").into());
        }
        self.move_parcel(actor, &pledges, PledgeStatus::Shipped, &details)
            .await?;
        self.parcel(actor, id).await
    }

    /// The school confirms a parcel arrived: every pledge in it on its way moves to
    /// `delivered` (and its books onto the school's shelf), in one transaction.
    pub async fn confirm_parcel(&self, actor: &Actor, id: ParcelId) -> DomainResult<ParcelView> {
        let (pledges, school) = self.visible_parcel(actor, id).await?;
        if !may_move(
            actor,
            &pledges[0],
            school.owner_account_id,
            PledgeStatus::Delivered,
        ) {
            return Err(DomainError::Forbidden(
                "only the receiving school confirms delivery",
            ));
        }
        self.move_parcel(
            actor,
            &pledges,
            PledgeStatus::Delivered,
            &MoveDetails::default(),
        )
        .await?;
        self.parcel(actor, id).await
    }

    /// Corrects a parcel's tracking number while it is on its way: whoever entered it, or
    /// staff.
    pub async fn correct_parcel_tracking(
        &self,
        actor: &Actor,
        id: ParcelId,
        details: MoveDetails,
    ) -> DomainResult<ParcelView> {
        let (pledges, _) = self.visible_parcel(actor, id).await?;
        let Some(tracking) = details.tracking_number.as_deref() else {
            return Err(Invalid::new("tracking_number", "`tracking_number` is required").into());
        };
        let on_the_way: Vec<&Pledge> = pledges
            .iter()
            .filter(|p| p.status == PledgeStatus::Shipped)
            .collect();
        let Some(first) = on_the_way.first() else {
            return Err(DomainError::Conflict(
                "only a parcel on its way has a tracking number to correct",
            ));
        };
        let entered_by = self
            .store
            .pledge_events(first.id)
            .await?
            .into_iter()
            .rev()
            .find(|e| e.to == PledgeStatus::Shipped)
            .and_then(|e| e.actor_id);
        if !may_correct_tracking(actor, entered_by) {
            return Err(DomainError::Forbidden(
                "only whoever entered the tracking number, volunteers and admins correct it",
            ));
        }
        for pledge in on_the_way {
            let audit = AuditEntry::by(
                actor,
                AuditAction::PledgeMoved,
                format!("pledge:{}", pledge.id),
            )
            .detail(format!(
                "tracking {} -> {tracking}",
                pledge.tracking_number.as_deref().unwrap_or("-")
            ));
            self.store
                .correct_tracking(pledge.id, &details, &audit, self.now())
                .await?;
        }
        self.parcel(actor, id).await
    }

    /// Moves every pledge of the parcel that can make the move, all or none.
    async fn move_parcel(
        &self,
        actor: &Actor,
        pledges: &[Pledge],
        to: PledgeStatus,
        details: &MoveDetails,
    ) -> DomainResult<()> {
        let moving: Vec<&Pledge> = pledges
            .iter()
            .filter(|p| p.status.transition(to).is_ok())
            .collect();
        if moving.is_empty() {
            // Nothing in it can move so: say why, as for one pledge.
            pledges[0].status.transition(to)?;
        }
        let now = self.now();
        let audits: Vec<AuditEntry> = moving
            .iter()
            .map(|p| {
                AuditEntry::by(actor, AuditAction::PledgeMoved, format!("pledge:{}", p.id))
                    .detail(format!("{} -> {to}", p.status))
            })
            .collect();
        let notices = NewNotice::for_move(to);
        let changes: Vec<PledgeMove<'_>> = moving
            .iter()
            .zip(&audits)
            .map(|(pledge, audit)| PledgeMove {
                pledge,
                to,
                actor: Some(actor.account),
                details,
                now,
                audit,
                notices: &notices,
            })
            .collect();
        if !self.store.move_parcel(&changes).await? {
            return Err(DomainError::Conflict(
                "the parcel changed meanwhile; please try again",
            ));
        }
        self.happened(Happened::CatalogueChanged);
        self.happened(Happened::NoticesRecorded);
        Ok(())
    }

    /// A parcel's pledges and school, when the caller may see it (else: not found).
    async fn visible_parcel(
        &self,
        actor: &Actor,
        id: ParcelId,
    ) -> DomainResult<(Vec<Pledge>, School)> {
        let pledges = self.store.parcel(id).await?;
        let not_found = || DomainError::not_found("parcel", id);
        let first = pledges.first().ok_or_else(not_found)?;
        let school = self
            .store
            .school(first.school_id)
            .await?
            .ok_or_else(not_found)?;
        if !may_see(actor, first, school.owner_account_id) {
            return Err(not_found());
        }
        Ok((pledges, school))
    }

    fn parcel_view(
        &self,
        actor: &Actor,
        pledges: Vec<Pledge>,
        school: School,
    ) -> DomainResult<ParcelView> {
        let ship_to = pledges
            .iter()
            .any(|p| crate::domain::access::may_see_address(actor, p, school.owner_account_id))
            .then(|| ShipTo::from(school));
        let pledges = pledges.into_iter().map(|p| self.dated(p)).collect();
        ParcelView::new(pledges, ship_to)
            .ok_or_else(|| DomainError::Internal("a parcel without pledges".into()))
    }
}
