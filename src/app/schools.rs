//! Schools: registering one, listing them, and who sees an address.

use super::Bookbridge;
use crate::domain::access::may_see_school_address;
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::SchoolId;
use crate::domain::model::{Actor, School, SchoolSummary};
use crate::domain::provinces::Province;
use crate::domain::role::Role;
use crate::domain::schools::{NewSchool, SchoolView};
use crate::store::StoreError;

/// A province as schools are stored with it (see `NewSchool::new`), however it was asked for;
/// `None` for all. Longer than a stored province can be is a mistake, said as one.
pub(super) fn one_spelling(province: Option<&str>) -> DomainResult<Option<String>> {
    let Some(asked) = province.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if asked.chars().count() > MAX_PROVINCE_CHARS {
        return Err(Invalid::new(
            "province",
            format!("`province` is at most {MAX_PROVINCE_CHARS} characters"),
        )
        .into());
    }
    Ok(Some(Province::find(asked).map_or_else(
        || asked.to_owned(),
        |found| found.en.to_owned(),
    )))
}

/// Longest province name stored (as `NewSchool::new` allows).
const MAX_PROVINCE_CHARS: usize = 100;

/// A page of the school directory.
#[derive(Debug, Clone)]
pub struct SchoolDirectory {
    /// This page's schools.
    pub schools: Vec<SchoolSummary>,
    /// Schools matching in all.
    pub total: u64,
    /// Provinces with verified schools, and how many each has.
    pub provinces: Vec<(String, u64)>,
    /// The province shown, as stored (`None`: all).
    pub province: Option<String>,
}

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
    pub async fn list_schools(
        &self,
        province: Option<&str>,
        limit: u64,
        offset: u64,
    ) -> DomainResult<Vec<SchoolSummary>> {
        let province = one_spelling(province)?;
        Ok(self
            .store
            .list_schools(province.as_deref(), limit, offset)
            .await?)
    }

    /// The public directory of verified schools, neediest first, in one province when
    /// `province` names one (any spelling), with the provinces there are to choose from.
    pub async fn school_directory(
        &self,
        province: Option<&str>,
        limit: u64,
        offset: u64,
    ) -> DomainResult<SchoolDirectory> {
        let province = one_spelling(province)?;
        let (schools, total) = self
            .store
            .school_directory(province.as_deref(), limit, offset)
            .await?;
        Ok(SchoolDirectory {
            schools,
            total,
            provinces: self.store.directory_provinces().await?,
            province,
        })
    }

    /// The version of what `school`'s public pages show (see `store::school_page_version`).
    pub async fn school_page_version(&self, school: SchoolId) -> DomainResult<Option<i64>> {
        Ok(self.store.school_page_version(school).await?)
    }

    /// The version of what the directory shows: every school's page version, and how many.
    pub async fn directory_version(&self) -> DomainResult<(i64, i64)> {
        Ok(self.store.directory_version().await?)
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
