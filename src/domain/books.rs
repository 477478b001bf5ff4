//! What is known of a book, and who needs it.

use serde::Serialize;

use super::error::Invalid;
use super::isbn::Isbn;
use super::model::{Book, OpenNeed};
use super::text;

/// A book with its open needs across schools.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BookWithNeeds {
    /// The catalogue record.
    #[serde(flatten)]
    pub book: Book,
    /// Copies still needed across all schools.
    pub outstanding: u64,
    /// Which schools need it, neediest first.
    pub needs: Vec<OpenNeed>,
}

/// Book fields as given — typed by hand, read from a catalogue file, or fetched from Open
/// Library — before they are checked. Numbers arrive as text (`1997`, or `1997.0` from a
/// spreadsheet). [`BookDetails::parse`] is the one place that checks them, so the edit
/// endpoint, the importer and the metadata fetcher cannot disagree about a limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookFields {
    /// Title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors, comma-separated.
    pub authors: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Year first published, as a whole number.
    pub publication_year: Option<String>,
    /// Language code in any common spelling (`eng`, `en-US`, `zh`).
    pub language: Option<String>,
    /// Pages, as a whole number.
    pub page_count: Option<String>,
    /// Subjects, "; "-separated.
    pub subjects: Option<String>,
    /// `early`, `primary`, `teen` or `adult`.
    pub age_band: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Cover image, an http(s) URL.
    pub cover_url: Option<String>,
    /// The work it is an edition of: `OL45804W` (or `/works/OL45804W`), or the catalogue's `BB12W`.
    pub work: Option<String>,
}

/// Longest title or subtitle, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest authors list.
pub const MAX_AUTHORS_CHARS: usize = 1_000;
/// Longest publisher name.
pub const MAX_PUBLISHER_CHARS: usize = 300;
/// Longest subjects list.
pub const MAX_SUBJECTS_CHARS: usize = 2_000;
/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Longest cover URL.
pub const MAX_COVER_URL_CHARS: usize = 500;
/// Earliest and latest publication years accepted.
pub const YEARS: std::ops::RangeInclusive<i64> = -3000..=2100;
/// Fewest and most pages accepted.
pub const PAGES: std::ops::RangeInclusive<i64> = 1..=100_000;

/// Catalogue fields as checked; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookDetails {
    /// Title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors.
    pub authors: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Year first published.
    pub publication_year: Option<i32>,
    /// Language code.
    pub language: Option<String>,
    /// Pages.
    pub page_count: Option<i32>,
    /// Subjects, "; "-separated.
    pub subjects: Option<String>,
    /// Age band.
    pub age_band: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Cover image URL.
    pub cover_url: Option<String>,
    /// The work it is an edition of (`OL45804W`, or the catalogue's own `BB12W`).
    pub work: Option<String>,
}

/// A work key, kept bare: Open Library's as it writes it (`/works/OL45804W`) or bare
/// (`OL45804W`), or, for a work Open Library does not have (most Chinese editions), the
/// catalogue's own (`BB12W`), which an editor or a catalogue file gives the editions it groups.
pub fn work_key(raw: &str) -> Result<String, Invalid> {
    let bare = raw.trim().trim_start_matches("/works/");
    let digits = bare
        .strip_prefix("OL")
        .or_else(|| bare.strip_prefix("BB"))
        .and_then(|rest| rest.strip_suffix('W'))
        .unwrap_or_default();
    if !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(bare.to_owned())
    } else {
        Err(Invalid::new(
            "work",
            "`work` must be a work key: Open Library's such as OL45804W, or the catalogue's own such as BB12W",
        ))
    }
}

/// A whole number written as `1997` or `1997.0` (spreadsheets write the latter).
fn whole_number(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().or_else(|| {
        raw.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15)
            .map(|n| n as i64)
    })
}

fn present(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn number_in(
    field: &'static str,
    raw: &Option<String>,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
) -> Result<Option<i32>, Invalid> {
    present(raw)
        .map(|raw| {
            whole_number(raw)
                .filter(|n| range.contains(n))
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| Invalid::new(field, format!("`{field}` must be {what}")))
        })
        .transpose()
}

impl BookDetails {
    /// Checks every field, naming the first bad one. Blank fields are absent.
    pub fn parse(fields: &BookFields) -> Result<Self, Invalid> {
        let publication_year = number_in(
            "publication_year",
            &fields.publication_year,
            YEARS,
            "a year up to 2100",
        )?;
        let page_count = number_in(
            "page_count",
            &fields.page_count,
            PAGES,
            "a whole number between 1 and 100000",
        )?;
        let language = present(&fields.language)
            .map(|raw| {
                super::search::normalize_language(raw)
                    .map(|_| raw.to_owned())
                    .ok_or_else(|| {
                        Invalid::new(
                            "language",
                            "`language` must be a language code such as en or zh",
                        )
                    })
            })
            .transpose()?;
        let age_band = present(&fields.age_band)
            .map(|raw| {
                super::search::AgeBand::parse(raw)
                    .map(|band| band.as_str().to_owned())
                    .ok_or_else(|| {
                        Invalid::new(
                            "age_band",
                            "`age_band` must be early, primary, teen or adult",
                        )
                    })
            })
            .transpose()?;
        let cover_url = text::optional(
            "cover_url",
            fields.cover_url.as_deref(),
            MAX_COVER_URL_CHARS,
        )?;
        if let Some(url) = &cover_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Invalid::new(
                    "cover_url",
                    "`cover_url` must be an http(s) URL",
                ));
            }
        }
        let work = present(&fields.work).map(work_key).transpose()?;
        let optional =
            |field, value: &Option<String>, max| text::optional(field, value.as_deref(), max);
        Ok(BookDetails {
            title: optional("title", &fields.title, MAX_TITLE_CHARS)?,
            subtitle: optional("subtitle", &fields.subtitle, MAX_TITLE_CHARS)?,
            authors: optional("authors", &fields.authors, MAX_AUTHORS_CHARS)?,
            publisher: optional("publisher", &fields.publisher, MAX_PUBLISHER_CHARS)?,
            publication_year,
            language,
            page_count,
            subjects: optional("subjects", &fields.subjects, MAX_SUBJECTS_CHARS)?,
            age_band,
            description: optional("description", &fields.description, MAX_DESCRIPTION_CHARS)?,
            cover_url,
            work,
        })
    }

    /// Checks a hand edit: as [`BookDetails::parse`], and at least one field must be given.
    pub fn checked(fields: &BookFields) -> Result<Self, Invalid> {
        let details = Self::parse(fields)?;
        if details == BookDetails::default() {
            return Err(Invalid::new("title", "send at least one field to change"));
        }
        Ok(details)
    }
}

/// A catalogue record to write: an ISBN and what is known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBook {
    /// ISBN-13.
    pub isbn: Isbn,
    /// What is known; absent fields are left as stored (or empty for a new book).
    pub details: BookDetails,
}

impl NewBook {
    /// A record with nothing known but the ISBN.
    pub fn new(isbn: Isbn) -> Self {
        Self::with_details(isbn, BookDetails::default())
    }

    /// A record of checked details.
    pub fn with_details(isbn: Isbn, details: BookDetails) -> Self {
        NewBook { isbn, details }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn spreadsheet_numbers_and_language_spellings_are_read() {
        let details = BookDetails::parse(&BookFields {
            title: some(" Matilda "),
            publication_year: some("1988.0"),
            page_count: some("240"),
            language: some("en-US"),
            age_band: some("Primary"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(details.title.as_deref(), Some("Matilda"));
        assert_eq!(details.publication_year, Some(1988));
        assert_eq!(details.page_count, Some(240));
        assert_eq!(details.age_band.as_deref(), Some("primary"));
    }

    #[test]
    fn every_limit_names_its_field() {
        let long = |n| Some("x".repeat(n));
        for (fields, field) in [
            (
                BookFields {
                    publication_year: some("nineteen"),
                    ..Default::default()
                },
                "publication_year",
            ),
            (
                BookFields {
                    publication_year: some("2101"),
                    ..Default::default()
                },
                "publication_year",
            ),
            (
                BookFields {
                    page_count: some("0"),
                    ..Default::default()
                },
                "page_count",
            ),
            (
                BookFields {
                    page_count: some("12.5"),
                    ..Default::default()
                },
                "page_count",
            ),
            (
                BookFields {
                    language: some("!!"),
                    ..Default::default()
                },
                "language",
            ),
            (
                BookFields {
                    age_band: some("toddler"),
                    ..Default::default()
                },
                "age_band",
            ),
            (
                BookFields {
                    cover_url: some("javascript:alert(1)"),
                    ..Default::default()
                },
                "cover_url",
            ),
            (
                BookFields {
                    cover_url: Some(format!("https://{}", "x".repeat(500))),
                    ..Default::default()
                },
                "cover_url",
            ),
            (
                BookFields {
                    title: long(501),
                    ..Default::default()
                },
                "title",
            ),
            (
                BookFields {
                    description: long(10_001),
                    ..Default::default()
                },
                "description",
            ),
        ] {
            assert_eq!(BookDetails::parse(&fields).unwrap_err().field, field);
        }
    }

    #[test]
    fn an_edit_must_change_something() {
        assert!(BookDetails::checked(&BookFields::default()).is_err());
        assert!(BookDetails::parse(&BookFields::default()).is_ok());
    }
}

#[cfg(test)]
mod work_keys {
    use super::work_key;

    #[test]
    fn a_work_key_is_open_librarys_or_the_catalogues_own() {
        assert_eq!(work_key("/works/OL45804W").unwrap(), "OL45804W");
        assert_eq!(work_key(" OL45804W ").unwrap(), "OL45804W");
        assert_eq!(work_key("BB12W").unwrap(), "BB12W");
        for bad in [
            "OLW",
            "OL45804",
            "XX1W",
            "OL4580412345678W",
            "BB1x2W",
            "bb12w",
            "",
        ] {
            assert!(work_key(bad).is_err(), "{bad}");
        }
    }
}
