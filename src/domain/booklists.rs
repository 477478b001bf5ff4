//! Curated book lists (优选书目): named shelves of catalogue books, each suited to an age
//! band or some grades, that children and teachers choose wishes from. Coordinators and
//! admins keep them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::actor::Actor;
use super::child_wishes::Grade;
use super::error::Invalid;
use super::ids::BookListId;
use super::isbn::Isbn;
use super::search::AgeBand;

/// Longest list name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest reason given for a book on a list ("one line").
pub const MAX_REASON_CHARS: usize = 100;
/// Most books one list holds.
pub const MAX_BOOKS: usize = 500;

/// A new list, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBookList {
    /// E.g. "Grades 1-2, 2026 spring".
    pub name: String,
    /// The age band it suits, if given.
    pub age_band: Option<AgeBand>,
    /// The lowest and highest grade it suits, if given.
    pub grades: Option<(Grade, Grade)>,
}

impl NewBookList {
    /// Checks a name, an optional age band and optional grades (each 1-9; kept as the range
    /// from the lowest to the highest).
    pub fn parse(name: &str, age_band: Option<&str>, grades: &[i64]) -> Result<Self, Invalid> {
        let name = super::text::required("name", name, MAX_NAME_CHARS)?;
        let age_band = match age_band.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(AgeBand::parse(raw).ok_or_else(|| {
                Invalid::new(
                    "age_band",
                    "`age_band` must be early, primary, teen or adult",
                )
            })?),
        };
        if grades.len() > usize::from(Grade::LAST) {
            return Err(Invalid::new("grades", "`grades` lists at most 9 grades"));
        }
        let grades = grades
            .iter()
            .map(|g| {
                Grade::new(*g)
                    .map_err(|_| Invalid::new("grades", "`grades` must each be from 1 to 9"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let grades = match (grades.iter().min(), grades.iter().max()) {
            (Some(lo), Some(hi)) => Some((*lo, *hi)),
            _ => None,
        };
        Ok(NewBookList {
            name,
            age_band,
            grades,
        })
    }
}

/// Whether `actor` may create lists and change what they hold: active coordinators and admins.
pub fn may_curate(actor: &Actor) -> bool {
    actor.is_vetter()
}

/// A list as everyone sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookList {
    /// Its id.
    pub id: BookListId,
    /// Its name.
    pub name: String,
    /// `early`, `primary`, `teen` or `adult`, when given.
    pub age_band: Option<String>,
    /// The grades it suits (1-9), lowest to highest; empty when not given.
    #[schema(value_type = Vec<u8>)]
    pub grades: Vec<Grade>,
    /// How many books it holds.
    pub book_count: u32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// One book on a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookListEntry {
    /// The book.
    pub isbn: Isbn,
    /// Its title, when known.
    pub title: Option<String>,
    /// Its authors, when known.
    pub authors: Option<String>,
    /// Its cover, when known.
    pub cover_url: Option<String>,
    /// Why it is on the list, in one line.
    pub reason: Option<String>,
}

/// A list with its books.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookListWithBooks {
    /// The list.
    #[serde(flatten)]
    pub list: BookList,
    /// Its books, in the order they were added.
    pub books: Vec<BookListEntry>,
}

/// Checks the reason given for a book.
pub fn reason(raw: Option<&str>) -> Result<Option<String>, Invalid> {
    super::text::optional("reason", raw, MAX_REASON_CHARS)
}

/// Reads a book list file: `isbn[,reason]` per row, a header row recognised and skipped,
/// in UTF-8 or GBK; bad rows go into `report` by line. At most the bytes of any book-list
/// file ([`super::uploads::MAX_BOOK_LIST_BYTES`]).
pub fn read_booklist(
    bytes: &[u8],
    report: &mut super::import::ImportReport,
) -> Result<Vec<(Isbn, Option<String>)>, super::error::DomainError> {
    use super::import::RowProblem;
    use super::uploads::{OverLimit, MAX_BOOK_LIST_BYTES};
    if bytes.len() as u64 > MAX_BOOK_LIST_BYTES {
        return Err(super::error::DomainError::OverLimit {
            field: "file",
            refusal: OverLimit::Bytes {
                max_bytes: MAX_BOOK_LIST_BYTES,
            },
        });
    }
    let text = super::import::utf8_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_ref());
    let mut rows: Vec<(Isbn, Option<String>)> = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i as u64 + 1;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                report.reject(line, RowProblem::Unreadable, format!("unreadable row: {e}"));
                continue;
            }
        };
        let first = row.get(0).unwrap_or_default();
        if (i == 0 && first.eq_ignore_ascii_case("isbn")) || row.iter().all(str::is_empty) {
            continue;
        }
        let isbn = match Isbn::parse(first) {
            Ok(isbn) => isbn,
            Err(e) => {
                let code = if e.is_check_digit() {
                    RowProblem::CheckDigit
                } else {
                    RowProblem::InvalidIsbn
                };
                report.reject(line, code, e.to_string());
                continue;
            }
        };
        match reason(row.get(1)) {
            Ok(why) => {
                rows.retain(|(kept, _)| *kept != isbn);
                rows.push((isbn, why));
            }
            Err(e) => report.reject(line, RowProblem::BadField, e.message),
        }
        if rows.len() > MAX_BOOKS {
            return Err(
                Invalid::new("file", format!("a list holds at most {MAX_BOOKS} books")).into(),
            );
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_list_file_is_read_row_by_row() {
        let mut report = super::super::import::ImportReport::default();
        let rows = read_booklist(
            "isbn,reason\n9780060775858,A calm first book\n9780060775859,typo\n\n978-0-06-077585-8,Again\n".as_bytes(),
            &mut report,
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].1.as_deref(), Some("Again"));
        assert_eq!(report.rejected_total, 1);
        assert_eq!(report.rejected[0].line, 3);
    }

    #[test]
    fn a_list_has_a_name_and_may_have_a_band_and_grades() {
        let list =
            NewBookList::parse(" Grades 1-2, 2026 spring ", Some("primary"), &[2, 1]).unwrap();
        assert_eq!(list.name, "Grades 1-2, 2026 spring");
        assert_eq!(list.age_band, Some(AgeBand::Primary));
        let (lo, hi) = list.grades.unwrap();
        assert_eq!((lo.get(), hi.get()), (1, 2));
        assert_eq!(NewBookList::parse("", None, &[]).unwrap_err().field, "name");
        assert_eq!(
            NewBookList::parse("x", Some("baby"), &[])
                .unwrap_err()
                .field,
            "age_band"
        );
        assert_eq!(
            NewBookList::parse("x", None, &[10]).unwrap_err().field,
            "grades"
        );
        assert!(reason(Some(&"a".repeat(101))).is_err());
        assert_eq!(reason(Some("  ")).unwrap(), None);
    }
}
