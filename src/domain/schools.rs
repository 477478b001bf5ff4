//! Schools: who may create one and who may see its address.

use serde::Serialize;

use super::error::{DomainError, DomainResult, Invalid};
use super::ids::SchoolId;
use super::model::{Actor, School, SchoolSummary};
use super::role::Role;
use super::text;
use super::Bookbridge;
use crate::store::StoreError;

/// Most students any one school is plausibly registered with.
pub const MAX_STUDENTS: i64 = 100_000;

/// A checked school registration.
#[derive(Debug, Clone)]
pub struct NewSchool {
    /// Name.
    pub name: String,
    /// Province.
    pub province: String,
    /// County.
    pub county: String,
    /// Postal address.
    pub address: String,
    /// Contact phone.
    pub contact_phone: String,
    /// Students, 1 to [`MAX_STUDENTS`].
    pub student_count: u32,
}

impl NewSchool {
    /// Checks each field, naming the first that is wrong.
    pub fn new(
        name: &str,
        province: &str,
        county: &str,
        address: &str,
        contact_phone: &str,
        student_count: i64,
    ) -> Result<Self, Invalid> {
        if !(1..=MAX_STUDENTS).contains(&student_count) {
            return Err(Invalid::new(
                "student_count",
                format!("`student_count` must be between 1 and {MAX_STUDENTS}"),
            ));
        }
        let phone = text::required("contact_phone", contact_phone, 40)?;
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
            || !phone.chars().any(|c| c.is_ascii_digit())
        {
            return Err(Invalid::new(
                "contact_phone",
                "`contact_phone` may hold only digits, spaces and + - ( )",
            ));
        }
        Ok(NewSchool {
            name: text::required("name", name, 200)?,
            province: text::required("province", province, 100)?,
            county: text::required("county", county, 100)?,
            address: text::required("address", address, 500)?,
            contact_phone: phone,
            student_count: u32::try_from(student_count).unwrap_or(1),
        })
    }
}

/// A school as a particular caller may see it: the address and phone only for those who
/// need them to send books or run the school.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchoolView {
    /// Public fields.
    #[serde(flatten)]
    pub summary: SchoolSummary,
    /// Postal address, for those allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Contact phone, for those allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
}

impl SchoolView {
    fn new(school: School, show_private: bool) -> Self {
        let summary = SchoolSummary {
            id: school.id,
            name: school.name,
            province: school.province,
            county: school.county,
            student_count: school.student_count,
            books_needed: school.books_needed,
        };
        if show_private {
            SchoolView {
                summary,
                address: Some(school.address),
                contact_phone: Some(school.contact_phone),
            }
        } else {
            SchoolView {
                summary,
                address: None,
                contact_phone: None,
            }
        }
    }
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
            .insert_school(actor.account, &school, Self::now())
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
        let show_private = match actor {
            None => false,
            Some(a) if a.role.is_staff() => true,
            Some(a) if a.role == Role::School => a.account == school.owner_account_id,
            Some(a) if a.role == Role::Donor => self.store.has_active_pledge(a.account, id).await?,
            Some(_) => false,
        };
        Ok(SchoolView::new(school, show_private))
    }

    /// Loads a school the caller may manage: its own account, or an admin.
    pub(super) async fn managed_school(&self, actor: &Actor, id: SchoolId) -> DomainResult<School> {
        let school = self
            .store
            .school(id)
            .await?
            .ok_or_else(|| DomainError::not_found("school", id))?;
        let allowed = actor.role == Role::Admin
            || (actor.role == Role::School && actor.account == school.owner_account_id);
        if !allowed {
            return Err(DomainError::Forbidden(
                "only this school's own account can change it",
            ));
        }
        Ok(school)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_fields_are_checked() {
        let ok = NewSchool::new(
            "Hope Primary",
            "Yunnan",
            "Lancang",
            "1 Main St",
            "+86 138-0000-0000",
            120,
        );
        assert!(ok.is_ok());
        let cases = [
            (NewSchool::new("", "Y", "L", "A", "123", 1), "name"),
            (NewSchool::new("N", " ", "L", "A", "123", 1), "province"),
            (
                NewSchool::new("N", "Y", "L", "A", "123", 0),
                "student_count",
            ),
            (
                NewSchool::new("N", "Y", "L", "A", "123", 100_001),
                "student_count",
            ),
            (
                NewSchool::new("N", "Y", "L", "A", "call me", 10),
                "contact_phone",
            ),
        ];
        for (result, field) in cases {
            assert_eq!(result.unwrap_err().field, field);
        }
    }
}
