//! Pledging copies, and moving pledges through shipping to delivery.

use std::collections::HashMap;

use super::pledge_queue::{Answer, Wanted};
use super::{Bookbridge, Happened};
use crate::domain::access::may_see_donor_name;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::{PledgeId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::matching;
use crate::domain::model::{Actor, MoveDetails, Pledge, PledgeEvent, School};
use crate::domain::notices::NewNotice;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::{
    may_move, may_see, may_see_address, PledgeLine, PledgePlan, PledgeView, SchoolChoice,
};
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::store::{PledgeFilter, PledgeMove};

/// How often a pledge is re-planned when other donors keep taking the need first.
const MATCH_ATTEMPTS: usize = 20;

/// Most schools a pledge plan lists to choose from.
const PLAN_SCHOOLS: usize = 20;

/// Most pledges one sheet lists.
const SHEET_ROWS: u64 = 100_000;

impl Bookbridge {
    /// A donor pledges copies of a book: to one school's open item when `school` is given,
    /// else split over the neediest schools by [`matching::allocate`].
    pub async fn pledge(
        &self,
        actor: &Actor,
        isbn: &Isbn,
        quantity: Quantity,
        school: Option<SchoolId>,
    ) -> DomainResult<Vec<Pledge>> {
        if actor.role != Role::Donor {
            return Err(DomainError::Forbidden(
                "only donor accounts can pledge books",
            ));
        }
        if self.policies.group_commit {
            let wanted = Wanted::Copies {
                isbn: isbn.clone(),
                quantity,
                school,
            };
            match self.pledge_queued(actor.account, wanted).await {
                Answer::Made(pledges) => return Ok(pledges),
                Answer::Refused(refusal) => return Err(refusal),
                Answer::OneByOne => {}
            }
        }
        if let Some(id) = school {
            match self.store.school(id).await? {
                None => return Err(DomainError::not_found("school", id)),
                Some(found) if !found.verified => return Err(DomainError::SchoolNotVerified),
                Some(_) => {}
            }
        }
        for _ in 0..MATCH_ATTEMPTS {
            let candidates = self.store.pledge_candidates(isbn, school).await?;
            let plan = matching::allocate(&candidates, quantity)
                .map_err(|outstanding| DomainError::InsufficientNeed { outstanding })?;
            let now = self.now();
            let dates = (now, self.policies.ship.first_date(now));
            if let Some(pledges) = self
                .store
                .commit_pledges(actor.account, isbn, &plan, dates)
                .await?
            {
                self.happened(Happened::CatalogueChanged);
                self.happened(Happened::NoticesRecorded);
                return Ok(pledges);
            }
            // Another donor took some of the need between our read and our write: look again.
            tokio::task::yield_now().await;
        }
        Err(DomainError::Conflict(
            "many donors are pledging this book right now; please try again",
        ))
    }

    /// Where a donor's pledge of `quantity` copies would go if made now, and which other
    /// schools need the book: shown before a pledge that would be split, so the donor agrees
    /// to the split or chooses one school. Changes nothing.
    pub async fn pledge_plan(
        &self,
        actor: &Actor,
        isbn: &Isbn,
        quantity: Quantity,
    ) -> DomainResult<PledgePlan> {
        if actor.role != Role::Donor {
            return Err(DomainError::Forbidden(
                "only donor accounts can pledge books",
            ));
        }
        let candidates = self.store.pledge_candidates(isbn, None).await?;
        let plan = matching::allocate(&candidates, quantity)
            .map_err(|outstanding| DomainError::InsufficientNeed { outstanding })?;
        let mut order: Vec<SchoolId> = plan.iter().map(|a| a.school).collect();
        order.extend(candidates.iter().map(|c| c.school));
        let mut seen = std::collections::HashSet::new();
        order.retain(|id| seen.insert(*id));
        order.truncate(PLAN_SCHOOLS);
        let mut schools = Vec::with_capacity(order.len());
        for id in order {
            let Some(school) = self.store.school(id).await? else {
                continue;
            };
            let sum = |n: &mut dyn Iterator<Item = u32>| n.sum::<u32>();
            schools.push(SchoolChoice {
                id,
                name: school.name,
                province: school.province,
                county: school.county,
                outstanding: sum(&mut candidates
                    .iter()
                    .filter(|c| c.school == id)
                    .map(|c| c.outstanding)),
                planned: sum(&mut plan
                    .iter()
                    .filter(|a| a.school == id)
                    .map(|a| a.quantity.get())),
            });
        }
        Ok(PledgePlan { schools })
    }

    /// Pledges the caller may see: a donor's own, a school's incoming, everything for staff.
    pub async fn pledges(
        &self,
        actor: &Actor,
        mut filter: PledgeFilter,
    ) -> DomainResult<Vec<Pledge>> {
        match actor.role {
            Role::Donor => filter.donor = Some(actor.account),
            Role::School => {
                let own = self.store.school_of(actor.account).await?;
                match (own, filter.school) {
                    (None, _) => return Ok(Vec::new()),
                    (Some(own), Some(asked)) if own != asked => {
                        return Err(DomainError::Forbidden(
                            "a school account sees only pledges to its own school",
                        ))
                    }
                    (Some(own), _) => filter.school = Some(own),
                }
            }
            Role::Volunteer | Role::Admin if !actor.is_staff() => {
                return Err(DomainError::AccountPending)
            }
            Role::Volunteer | Role::Admin => {}
        }
        let pledges = self
            .store
            .pledges(&filter)
            .await?
            .into_iter()
            .map(|p| self.dated(p))
            .collect();
        self.with_wishes(Some(actor), pledges).await
    }

    /// One pledge, with where to send it.
    pub async fn pledge_view(&self, actor: &Actor, id: PledgeId) -> DomainResult<PledgeView> {
        let (pledge, school) = self.visible_pledge(actor, id).await?;
        self.view(actor, pledge, school).await
    }

    /// A pledge's recorded moves.
    pub async fn pledge_events(
        &self,
        actor: &Actor,
        id: PledgeId,
    ) -> DomainResult<Vec<PledgeEvent>> {
        self.visible_pledge(actor, id).await?;
        Ok(self.store.pledge_events(id).await?)
    }

    /// Moves a pledge to `to` if the caller may and the lifecycle allows.
    pub async fn move_pledge(
        &self,
        actor: &Actor,
        id: PledgeId,
        to: PledgeStatus,
        details: MoveDetails,
    ) -> DomainResult<PledgeView> {
        let (pledge, school) = self.visible_pledge(actor, id).await?;
        if !may_move(actor, &pledge, school.owner_account_id, to) {
            return Err(DomainError::Forbidden(match to {
                PledgeStatus::Delivered => "only the receiving school confirms delivery",
                PledgeStatus::Cancelled => "only the donor can cancel a pledge",
                PledgeStatus::Expired => "pledges expire on their own when not posted in time",
                _ => "only volunteers and admins move pledges through shipping",
            }));
        }
        pledge.status.transition(to)?;
        let moved = self
            .store
            .move_pledge(PledgeMove {
                pledge: &pledge,
                to,
                actor: Some(actor.account),
                details: &details,
                now: self.now(),
                audit: &AuditEntry::by(actor, AuditAction::PledgeMoved, format!("pledge:{id}"))
                    .detail(format!("{} -> {to}", pledge.status)),
                notices: &NewNotice::for_move(to),
            })
            .await?;
        match moved {
            Some(moved) => {
                self.happened(Happened::CatalogueChanged);
                self.happened(Happened::NoticesRecorded);
                self.view(actor, moved, school).await
            }
            None => {
                // Someone moved it first; report against where it is now.
                let current = self
                    .store
                    .pledge(id)
                    .await?
                    .ok_or_else(|| DomainError::not_found("pledge", id))?;
                current.status.transition(to)?;
                Err(DomainError::Conflict(
                    "the pledge changed meanwhile; please try again",
                ))
            }
        }
    }

    /// Corrects the carrier and tracking number of a parcel on its way (volunteers and
    /// admins: a number mistyped when it was marked shipped). The old number is kept in the
    /// audit log.
    pub async fn correct_tracking(
        &self,
        actor: &Actor,
        id: PledgeId,
        details: MoveDetails,
    ) -> DomainResult<PledgeView> {
        let (pledge, school) = self.visible_pledge(actor, id).await?;
        if !actor.is_staff() {
            return Err(DomainError::Forbidden(
                "only volunteers and admins correct a tracking number",
            ));
        }
        let Some(tracking) = details.tracking_number.as_deref() else {
            return Err(Invalid::new("tracking_number", "`tracking_number` is required").into());
        };
        if pledge.status != PledgeStatus::Shipped {
            return Err(DomainError::Conflict(
                "only a parcel on its way has a tracking number to correct",
            ));
        }
        let audit = AuditEntry::by(actor, AuditAction::PledgeMoved, format!("pledge:{id}")).detail(
            format!(
                "tracking {} -> {tracking}",
                pledge.tracking_number.as_deref().unwrap_or("-")
            ),
        );
        if !self
            .store
            .correct_tracking(id, &details, &audit, self.now())
            .await?
        {
            return Err(DomainError::Conflict(
                "the pledge changed meanwhile; please try again",
            ));
        }
        let corrected = self
            .store
            .pledge(id)
            .await?
            .ok_or_else(|| DomainError::not_found("pledge", id))?;
        self.view(actor, corrected, school).await
    }

    /// Gives a pledge its one extension (`pledge_extend_days` more to post it): its donor,
    /// or an admin, while it waits to be posted.
    pub async fn extend_pledge(&self, actor: &Actor, id: PledgeId) -> DomainResult<PledgeView> {
        let (pledge, school) = self.visible_pledge(actor, id).await?;
        let own = actor.role == Role::Donor && actor.account == pledge.donor_id;
        if !(actor.is_admin() || (own && actor.is_active())) {
            return Err(DomainError::Forbidden(
                "only the donor can give a pledge more time",
            ));
        }
        let date = self.policies.ship.extend(&pledge)?;
        let audit = AuditEntry::by(actor, AuditAction::PledgeMoved, format!("pledge:{id}"))
            .detail(format!("extended to {}", date.format("%Y-%m-%d")));
        match self
            .store
            .extend_pledge(&pledge, date, &audit, self.now())
            .await?
        {
            Some(extended) => self.view(actor, extended, school).await,
            None => {
                // Posted, expired or extended meanwhile: say which.
                let current = self
                    .store
                    .pledge(id)
                    .await?
                    .ok_or_else(|| DomainError::not_found("pledge", id))?;
                self.policies.ship.extend(&current)?;
                Err(DomainError::Conflict(
                    "the pledge changed meanwhile; please try again",
                ))
            }
        }
    }

    /// A pledge as `actor` sees it: dated, with its wish and (when allowed) its destination.
    async fn view(
        &self,
        actor: &Actor,
        pledge: Pledge,
        school: School,
    ) -> DomainResult<PledgeView> {
        let pledge = self
            .with_wishes(Some(actor), vec![self.dated(pledge)])
            .await?;
        let pledge = pledge
            .into_iter()
            .next()
            .ok_or_else(|| DomainError::Internal("a pledge went missing".into()))?;
        Ok(PledgeView::new(actor, pledge, school))
    }

    /// A pledge with its date to post by filled in (pledges made before dates were recorded
    /// count from when they were made).
    pub(super) fn dated(&self, mut pledge: Pledge) -> Pledge {
        let date = self.policies.ship.post_by(&pledge);
        pledge.ship_by = Some(date);
        pledge
    }

    async fn visible_pledge(&self, actor: &Actor, id: PledgeId) -> DomainResult<(Pledge, School)> {
        let pledge = self
            .store
            .pledge(id)
            .await?
            .ok_or_else(|| DomainError::not_found("pledge", id))?;
        let school = self
            .store
            .school(pledge.school_id)
            .await?
            .ok_or_else(|| DomainError::not_found("school", pledge.school_id))?;
        if !may_see(actor, &pledge, school.owner_account_id) {
            // Not 403: whether a pledge exists is nobody else's business.
            return Err(DomainError::not_found("pledge", id));
        }
        Ok((pledge, school))
    }
}

impl Bookbridge {
    /// Pledges the caller may see, each with its book's title and, when the caller may know
    /// it, where it goes. Read in a fixed number of queries however long the list (the
    /// pledges, then their books, then their schools): `GET /pledges`, the CSV export and the
    /// donor, school and volunteer pages all list pledges through this.
    pub async fn pledge_lines(
        &self,
        actor: &Actor,
        filter: PledgeFilter,
    ) -> DomainResult<Vec<PledgeLine>> {
        let pledges = self.pledges(actor, filter).await?;
        let mut isbns: Vec<Isbn> = pledges.iter().map(|p| p.isbn.clone()).collect();
        isbns.sort();
        isbns.dedup();
        let mut school_ids: Vec<SchoolId> = pledges.iter().map(|p| p.school_id).collect();
        school_ids.sort();
        school_ids.dedup();
        let titles: HashMap<Isbn, String> = self
            .store
            .books(&isbns)
            .await?
            .into_iter()
            .filter_map(|book| Some((book.isbn, book.title?)))
            .collect();
        let destinations = self.store.destinations(&school_ids).await?;
        let donors = if may_see_donor_name(actor) {
            self.store
                .account_names(pledges.iter().map(|p| p.donor_id))
                .await?
        } else {
            HashMap::new()
        };
        Ok(pledges
            .into_iter()
            .map(|pledge| {
                let ship_to = destinations
                    .get(&pledge.school_id)
                    .filter(|(owner, _)| may_see_address(actor, &pledge, *owner))
                    .map(|(_, ship_to)| ship_to.clone());
                PledgeLine {
                    title: titles.get(&pledge.isbn).cloned(),
                    donor_name: donors.get(&pledge.donor_id).cloned(),
                    ship_to,
                    pledge,
                }
            })
            .collect())
    }

    /// Every pledge (optionally in one status) with its destination, for packing lists:
    /// volunteers and admins.
    pub async fn pledge_sheet(
        &self,
        actor: &Actor,
        status: Option<PledgeStatus>,
    ) -> DomainResult<Vec<PledgeLine>> {
        if !actor.is_staff() {
            return Err(if actor.role.is_staff() {
                DomainError::AccountPending
            } else {
                DomainError::Forbidden("only volunteers and admins export pledges")
            });
        }
        self.audit(
            AuditEntry::by(actor, AuditAction::Exported, "pledges.csv")
                .detail(status.map_or("all", PledgeStatus::as_str)),
        )
        .await;
        self.pledge_lines(
            actor,
            PledgeFilter {
                status,
                limit: SHEET_ROWS,
                ..Default::default()
            },
        )
        .await
    }
}
