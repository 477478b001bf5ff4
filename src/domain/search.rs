//! Catalogue search: what a donor may ask, and how a book becomes a search document.

use index::{BookDoc, SearchRequest};

use super::books::NewBook;
use super::error::Invalid;
use super::isbn::Isbn;
use super::model::BookNeed;

/// Largest page of search results.
pub const MAX_LIMIT: usize = 100;
/// Deepest a client may page: beyond this, refine the query instead.
pub const MAX_OFFSET: usize = 10_000;
/// Characters of query text that are read; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Who a book is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBand {
    /// 0-5: picture books, first readers.
    Early,
    /// 6-11.
    Primary,
    /// 12-17.
    Teen,
    /// Grown-ups (teachers' own shelves).
    Adult,
}

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 4] = [
        AgeBand::Early,
        AgeBand::Primary,
        AgeBand::Teen,
        AgeBand::Adult,
    ];

    /// Reads a band name.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "early" => Some(AgeBand::Early),
            "primary" => Some(AgeBand::Primary),
            "teen" => Some(AgeBand::Teen),
            "adult" => Some(AgeBand::Adult),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Early => "early",
            AgeBand::Primary => "primary",
            AgeBand::Teen => "teen",
            AgeBand::Adult => "adult",
        }
    }
}

/// One code per language however the catalogue spelled it: `eng`, `en-US`, `en-GB` are all
/// `en`; `chi`, `zho`, `zh-CN` are `zh`. Unknown codes keep their first part, lower-cased.
pub fn normalize_language(raw: &str) -> Option<String> {
    let base = raw.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let code = match base.as_str() {
        "" => return None,
        "eng" | "en" => "en",
        "chi" | "zho" | "zh" | "cmn" => "zh",
        "spa" | "es" => "es",
        "fre" | "fra" | "fr" => "fr",
        "ger" | "deu" | "de" => "de",
        "ara" | "ar" => "ar",
        "jpn" | "ja" => "ja",
        "ita" | "it" => "it",
        "por" | "pt" => "pt",
        "rus" | "ru" => "ru",
        other if other.len() <= 8 && other.chars().all(|c| c.is_ascii_alphabetic()) => other,
        _ => return None,
    };
    Some(code.to_owned())
}

/// A book as the search index holds it.
pub fn search_document(record: &BookNeed) -> BookDoc {
    let book = &record.book;
    BookDoc {
        isbn: book.isbn.as_str().to_owned(),
        // A book known only by ISBN is still findable by it.
        title: book.title.clone().unwrap_or_default(),
        subtitle: book.subtitle.clone(),
        authors: book.authors.clone(),
        subjects: book.subjects.clone(),
        publisher: book.publisher.clone(),
        description: book.description.clone(),
        language: book.language.as_deref().and_then(normalize_language),
        age_band: indexed_age_band(book.age_band.as_deref()),
        year: book.publication_year.map(i64::from),
        outstanding: record.outstanding,
        schools_needing: record.schools_needing,
    }
}

/// A book new to the catalogue as the search index holds it, from its imported record: no
/// school asks for it yet (a book of a known work may be wanted already: not for this).
pub fn fresh_document(record: &NewBook) -> BookDoc {
    let book = &record.details;
    BookDoc {
        isbn: record.isbn.as_str().to_owned(),
        title: book.title.clone().unwrap_or_default(),
        subtitle: book.subtitle.clone(),
        authors: book.authors.clone(),
        subjects: book.subjects.clone(),
        publisher: book.publisher.clone(),
        description: book.description.clone(),
        language: book.language.as_deref().and_then(normalize_language),
        age_band: indexed_age_band(book.age_band.as_deref()),
        year: book.publication_year.map(i64::from),
        outstanding: 0,
        schools_needing: 0,
    }
}

/// An age band as the index holds it (a band's own name), when it is one.
fn indexed_age_band(raw: Option<&str>) -> Option<String> {
    raw.and_then(AgeBand::parse).map(|b| b.as_str().to_owned())
}

/// How far the search index is behind the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct IndexLag {
    /// Change-log rows not yet in this server's index.
    pub rows: u64,
    /// Age of the oldest of them, in seconds (0 when none).
    pub oldest_seconds: u64,
}

/// A search as a donor sent it, before checking.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery<'a> {
    /// `q`
    pub text: Option<&'a str>,
    /// `needed`
    pub needed: Option<&'a str>,
    /// `lang`
    pub language: Option<&'a str>,
    /// `age`
    pub age: Option<&'a str>,
    /// `limit`
    pub limit: Option<&'a str>,
    /// `offset`
    pub offset: Option<&'a str>,
}

impl SearchQuery<'_> {
    /// Checks every parameter, naming the first that is wrong.
    pub fn check(&self) -> Result<SearchRequest, Invalid> {
        let text: String = self
            .text
            .unwrap_or_default()
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        // Exactly the document's boolean: `true` or `false` (the page's checkbox sends `true`).
        let needed_only = match self.needed {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(Invalid::new("needed", "`needed` must be true or false")),
        };
        let language = match self.language.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(normalize_language(raw).ok_or_else(|| {
                Invalid::new("lang", "`lang` must be a language code such as en or zh")
            })?),
        };
        // Exactly as the API document says (`^(early|primary|teen|adult)?$`): empty is any.
        let age_band = match self.age {
            None | Some("") => None,
            Some(raw) => Some(
                AgeBand::parse(raw)
                    .filter(|band| band.as_str() == raw)
                    .ok_or_else(|| {
                        Invalid::new("age", "`age` must be early, primary, teen or adult")
                    })?
                    .as_str()
                    .to_owned(),
            ),
        };
        let limit = bounded("limit", self.limit, 20, 1, MAX_LIMIT)?;
        let offset = bounded("offset", self.offset, 0, 0, MAX_OFFSET)?;
        // A query that is an ISBN in any written form means exactly that book.
        let isbn = Isbn::parse(&text).ok().map(|i| i.as_str().to_owned());
        Ok(SearchRequest {
            text,
            isbn,
            needed_only,
            language,
            age_band,
            limit,
            offset,
        })
    }
}

fn bounded(
    field: &'static str,
    raw: Option<&str>,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, Invalid> {
    // A present value must be the number itself: `?limit=` is not a page size.
    match raw {
        None => Ok(default),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                Invalid::new(
                    field,
                    format!("`{field}` must be a whole number from {min} to {max}"),
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_record_is_indexed_as_the_stored_book_would_be() {
        use super::super::books::BookDetails;
        use super::super::model::{Book, MetadataState, MetadataStatus};
        let isbn = Isbn::parse("9780241003008").unwrap();
        let some = |s: &str| Some(s.to_owned());
        let details = BookDetails {
            title: some("The Very Hungry Caterpillar"),
            subtitle: some("Board book"),
            authors: some("Eric Carle"),
            publisher: some("Puffin"),
            publication_year: Some(1969),
            language: some("eng"),
            page_count: Some(26),
            subjects: some("picture book"),
            age_band: some("early"),
            description: some("A caterpillar eats."),
            cover_url: None,
            work: None,
        };
        let stored = BookNeed {
            book: Book {
                isbn: isbn.clone(),
                isbn10: isbn.to_isbn10(),
                title: details.title.clone(),
                authors: details.authors.clone(),
                publication_year: details.publication_year,
                language: details.language.clone(),
                subtitle: details.subtitle.clone(),
                publisher: details.publisher.clone(),
                page_count: details.page_count,
                subjects: details.subjects.clone(),
                age_band: details.age_band.clone(),
                description: details.description.clone(),
                cover_url: None,
                work: None,
                metadata: MetadataState {
                    status: MetadataStatus::Complete,
                    error: None,
                    attempts: 0,
                    fetched_at: None,
                    next_attempt_at: None,
                },
            },
            outstanding: 0,
            schools_needing: 0,
        };
        let fresh = fresh_document(&NewBook::with_details(isbn, details));
        assert_eq!(fresh, search_document(&stored));
        assert_eq!(fresh.language.as_deref(), Some("en"));
        assert_eq!(fresh.age_band.as_deref(), Some("early"));
    }

    #[test]
    fn languages_are_normalised() {
        for (raw, code) in [
            ("eng", "en"),
            ("en-US", "en"),
            ("en-GB", "en"),
            ("zh", "zh"),
            ("chi", "zh"),
            ("fre", "fr"),
            ("spa", "es"),
        ] {
            assert_eq!(normalize_language(raw).as_deref(), Some(code), "{raw}");
        }
        assert_eq!(normalize_language(""), None);
        assert_eq!(normalize_language("e n"), None);
    }

    #[test]
    fn search_parameters_are_checked() {
        let ok = SearchQuery {
            text: Some("0-06-077585-8"),
            needed: Some("true"),
            language: Some("eng"),
            age: Some("early"),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(ok.isbn.as_deref(), Some("9780060775858"));
        assert!(ok.needed_only);
        assert_eq!(ok.language.as_deref(), Some("en"));
        assert_eq!(ok.age_band.as_deref(), Some("early"));
        assert_eq!((ok.limit, ok.offset), (20, 0));

        for (query, field) in [
            (
                SearchQuery {
                    needed: Some("maybe"),
                    ..Default::default()
                },
                "needed",
            ),
            (
                SearchQuery {
                    age: Some("Early"),
                    ..Default::default()
                },
                "age",
            ),
            (
                SearchQuery {
                    age: Some("toddler"),
                    ..Default::default()
                },
                "age",
            ),
            (
                SearchQuery {
                    limit: Some("101"),
                    ..Default::default()
                },
                "limit",
            ),
            (
                SearchQuery {
                    limit: Some("0"),
                    ..Default::default()
                },
                "limit",
            ),
            (
                SearchQuery {
                    offset: Some("-1"),
                    ..Default::default()
                },
                "offset",
            ),
            (
                SearchQuery {
                    language: Some("!!"),
                    ..Default::default()
                },
                "lang",
            ),
        ] {
            assert_eq!(query.check().unwrap_err().field, field);
        }
    }

    #[test]
    fn very_long_text_is_cut_not_refused() {
        let long = "moon ".repeat(5_000);
        let request = SearchQuery {
            text: Some(&long),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(request.text.chars().count(), MAX_QUERY_CHARS);
    }
}
