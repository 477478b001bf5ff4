//! Schools: registering one, listing them, and who sees an address.

use super::Bookbridge;
use crate::domain::access::may_see_school_address;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ids::SchoolId;
use crate::domain::model::{Actor, School, SchoolSummary};
use crate::domain::role::Role;
use crate::domain::schools::{NewSchool, SchoolView};
use crate::store::StoreError;

impl Bookbridge {
    /// A school account registers its school (one per account).
    pub async fn create_school(
        &self,
        actor: &Actor,
        school: NewSchool,
    ) -> DomainResult<SchoolView> {
        if actor.role != Role::School {
            return Err(DomainError::Forbidden(
                "only a school account can register a school",
            ));
        }
        match self
            .store
            .insert_school(actor.account, &school, self.now())
            .await
        {
            Err(StoreError::Duplicate) => Err(DomainError::SchoolExists),
            other => Ok(SchoolView::new(other?, true)),
        }
    }

    /// Every school's public face and need.
    pub async fn list_schools(&self, limit: u64, offset: u64) -> DomainResult<Vec<SchoolSummary>> {
        Ok(self.store.list_schools(limit, offset).await?)
    }

    /// One school, with its address when the caller may see it.
    pub async fn school(&self, actor: Option<&Actor>, id: SchoolId) -> DomainResult<SchoolView> {
        let school = self
            .store
            .school(id)
            .await?
            .ok_or_else(|| DomainError::not_found("school", id))?;
        let donor_pledge_under_way = match actor {
            Some(a) if a.role == Role::Donor && a.is_active() => {
                self.store.has_active_pledge(a.account, id).await?
            }
            _ => false,
        };
        let show_private =
            may_see_school_address(actor, school.owner_account_id, donor_pledge_under_way);
        Ok(SchoolView::new(school, show_private))
    }

    /// Loads a school the caller may manage: its own account, or an admin.
    pub(super) async fn managed_school(&self, actor: &Actor, id: SchoolId) -> DomainResult<School> {
        let school = self
            .store
            .school(id)
            .await?
            .ok_or_else(|| DomainError::not_found("school", id))?;
        // A school's own account may prepare its list while it waits to be verified: an
        // unverified school's needs neither show in search nor take pledges.
        let allowed = actor.is_admin()
            || (actor.role == Role::School && actor.account == school.owner_account_id);
        if !allowed {
            return Err(DomainError::Forbidden(
                "only this school's own account can change it",
            ));
        }
        Ok(school)
    }
}
