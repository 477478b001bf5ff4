//! Schools: who may create one and who may see its address.

use serde::Serialize;

use super::error::Invalid;
use super::model::{School, SchoolSummary};
use super::text;
use super::vetting::SchoolCode;

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
    /// Its national school identification code, when the school gives it at registration
    /// (a verifier checks it).
    pub school_code: Option<SchoolCode>,
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
        // As typed on a Chinese keyboard (０８７９－５５５０１９９) or not: stored in ASCII.
        let phone = super::typed::plain(&text::required("contact_phone", contact_phone, 40)?);
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
            // One spelling per province, so the directory's filter finds every school in it.
            province: {
                let typed = text::required("province", province, 100)?;
                super::provinces::Province::find(&typed).map_or(typed, |p| p.en.to_owned())
            },
            county: text::required("county", county, 100)?,
            address: text::required("address", address, 500)?,
            contact_phone: phone,
            student_count: u32::try_from(student_count).unwrap_or(1),
            school_code: None,
        })
    }

    /// Adds the identification code the school gave.
    pub fn with_code(mut self, code: Option<&str>) -> Result<Self, Invalid> {
        self.school_code = match code.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(SchoolCode::parse(raw)?),
        };
        Ok(self)
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
    /// The view of `school`, with its private fields when `show_private`.
    pub fn new(school: School, show_private: bool) -> Self {
        let summary = SchoolSummary {
            id: school.id,
            name: school.name,
            province: school.province,
            county: school.county,
            student_count: school.student_count,
            books_needed: school.books_needed,
            verified: school.verified,
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
