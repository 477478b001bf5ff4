//! Pledging copies, and moving pledges through shipping to delivery.

use std::collections::hash_map::Entry;

use serde::Serialize;

use super::error::{DomainError, DomainResult};
use super::ids::{AccountId, PledgeId, SchoolId};
use super::isbn::Isbn;
use super::matching;
use super::model::{Actor, MoveDetails, Pledge, PledgeEvent, School};
use super::pledge_status::PledgeStatus;
use super::quantity::Quantity;
use super::role::Role;
use super::Bookbridge;
use crate::store::{PledgeFilter, PledgeMove};

/// How often a pledge is re-planned when other donors keep taking the need first.
const MATCH_ATTEMPTS: usize = 20;

/// Where to send a pledge's books.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShipTo {
    /// The school.
    pub school_id: SchoolId,
    /// Its name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Contact phone.
    pub contact_phone: String,
}

impl From<School> for ShipTo {
    fn from(school: School) -> Self {
        ShipTo {
            school_id: school.id,
            name: school.name,
            address: school.address,
            contact_phone: school.contact_phone,
        }
    }
}

/// A pledge, with its destination for those who ship it or receive it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeView {
    /// The pledge.
    #[serde(flatten)]
    pub pledge: Pledge,
    /// Where to send it; absent for callers who need not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<ShipTo>,
}

/// Who may move a pledge to `to`: volunteers and admins run shipping (and losses and
/// returns); the receiving school confirms delivery (admins may too); the donor cancels
/// (admins may too).
pub fn may_move(actor: &Actor, pledge: &Pledge, school_owner: AccountId, to: PledgeStatus) -> bool {
    match to {
        PledgeStatus::Shipped | PledgeStatus::Lost | PledgeStatus::Returned => {
            actor.role.is_staff()
        }
        PledgeStatus::Delivered => {
            actor.role == Role::Admin
                || (actor.role == Role::School && actor.account == school_owner)
        }
        PledgeStatus::Cancelled => {
            actor.role == Role::Admin
                || (actor.role == Role::Donor && actor.account == pledge.donor_id)
        }
        // Nothing moves back to `pledged`; the lifecycle will say so with a 409.
        PledgeStatus::Pledged => true,
    }
}

/// Whether a caller may see a pledge at all: its donor, its school, volunteers and admins.
fn may_see(actor: &Actor, pledge: &Pledge, school_owner: AccountId) -> bool {
    actor.role.is_staff()
        || (actor.role == Role::Donor && actor.account == pledge.donor_id)
        || (actor.role == Role::School && actor.account == school_owner)
}

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
        if let Some(id) = school {
            if self.store.school(id).await?.is_none() {
                return Err(DomainError::not_found("school", id));
            }
        }
        for _ in 0..MATCH_ATTEMPTS {
            let candidates = self.store.pledge_candidates(isbn, school).await?;
            let plan = matching::allocate(&candidates, quantity)
                .map_err(|outstanding| DomainError::InsufficientNeed { outstanding })?;
            if let Some(pledges) = self
                .store
                .commit_pledges(actor.account, isbn, &plan, Self::now())
                .await?
            {
                self.index_soon();
                return Ok(pledges);
            }
            // Another donor took some of the need between our read and our write: look again.
            tokio::task::yield_now().await;
        }
        Err(DomainError::Conflict(
            "many donors are pledging this book right now; please try again",
        ))
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
            Role::Volunteer | Role::Admin => {}
        }
        Ok(self.store.pledges(&filter).await?)
    }

    /// One pledge, with where to send it.
    pub async fn pledge_view(&self, actor: &Actor, id: PledgeId) -> DomainResult<PledgeView> {
        let (pledge, school) = self.visible_pledge(actor, id).await?;
        Ok(PledgeView {
            pledge,
            ship_to: Some(ShipTo::from(school)),
        })
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
                _ => "only volunteers and admins move pledges through shipping",
            }));
        }
        pledge.status.transition(to)?;
        let moved = self
            .store
            .move_pledge(PledgeMove {
                pledge: &pledge,
                to,
                actor: actor.account,
                details: &details,
                now: Self::now(),
            })
            .await?;
        match moved {
            Some(pledge) => {
                self.index_soon();
                Ok(PledgeView {
                    pledge,
                    ship_to: Some(ShipTo::from(school)),
                })
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

/// One line of the volunteers' pledge sheet.
#[derive(Debug, Clone)]
pub struct SheetLine {
    /// The pledge.
    pub pledge: Pledge,
    /// The book's title, when known.
    pub title: Option<String>,
    /// Where it goes.
    pub ship_to: ShipTo,
}

/// Most pledges one sheet lists.
const SHEET_ROWS: u64 = 100_000;

impl Bookbridge {
    /// Every pledge (optionally in one status) with its destination: volunteers and admins.
    pub async fn pledge_sheet(
        &self,
        actor: &Actor,
        status: Option<PledgeStatus>,
    ) -> DomainResult<Vec<SheetLine>> {
        if !actor.role.is_staff() {
            return Err(DomainError::Forbidden(
                "only volunteers and admins export pledges",
            ));
        }
        let pledges = self
            .store
            .pledges(&PledgeFilter {
                status,
                limit: SHEET_ROWS,
                ..Default::default()
            })
            .await?;
        let mut schools: std::collections::HashMap<SchoolId, ShipTo> =
            std::collections::HashMap::new();
        let mut titles: std::collections::HashMap<Isbn, Option<String>> =
            std::collections::HashMap::new();
        let mut lines = Vec::with_capacity(pledges.len());
        for pledge in pledges {
            if let Entry::Vacant(slot) = schools.entry(pledge.school_id) {
                let school = self
                    .store
                    .school(pledge.school_id)
                    .await?
                    .ok_or_else(|| DomainError::not_found("school", pledge.school_id))?;
                slot.insert(ShipTo::from(school));
            }
            if let Entry::Vacant(slot) = titles.entry(pledge.isbn.clone()) {
                slot.insert(self.store.book(&pledge.isbn).await?.and_then(|b| b.title));
            }
            lines.push(SheetLine {
                title: titles.get(&pledge.isbn).cloned().flatten(),
                ship_to: schools[&pledge.school_id].clone(),
                pledge,
            });
        }
        Ok(lines)
    }
}
