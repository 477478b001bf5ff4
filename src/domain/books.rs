//! What is known of a book, and who needs it.

use std::collections::HashMap;

use serde::Serialize;

use super::error::{DomainError, DomainResult, Invalid};
use super::isbn::Isbn;
use super::model::{Actor, Book, MetadataStatus, OpenNeed};
use super::text;
use super::Bookbridge;

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

impl Bookbridge {
    /// The catalogue records among `isbns`, read in a few queries rather than one per book,
    /// for pages that list many books or pledges.
    pub async fn books(&self, isbns: &[Isbn]) -> DomainResult<HashMap<Isbn, Book>> {
        Ok(self
            .store
            .books(isbns)
            .await?
            .into_iter()
            .map(|book| (book.isbn.clone(), book))
            .collect())
    }

    /// A book and its open needs; 404 when neither the catalogue nor any wish list knows it.
    pub async fn book(&self, isbn: &Isbn) -> DomainResult<BookWithNeeds> {
        let book = self
            .store
            .book(isbn)
            .await?
            .ok_or_else(|| DomainError::not_found("book", isbn))?;
        let needs = self.store.open_needs(isbn).await?;
        let outstanding = needs.iter().map(|n| u64::from(n.outstanding)).sum();
        Ok(BookWithNeeds {
            book,
            outstanding,
            needs,
        })
    }
}

/// Catalogue fields as given by hand or by Open Library; `None` leaves a field as it is.
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
}

impl BookDetails {
    /// Checks a hand edit, naming the first bad field.
    #[expect(clippy::too_many_arguments, reason = "one argument per editable field")]
    pub fn checked(
        title: Option<&str>,
        subtitle: Option<&str>,
        authors: Option<&str>,
        publisher: Option<&str>,
        publication_year: Option<i64>,
        language: Option<&str>,
        page_count: Option<i64>,
        subjects: Option<&str>,
        age_band: Option<&str>,
        description: Option<&str>,
        cover_url: Option<&str>,
    ) -> Result<Self, Invalid> {
        let year = publication_year
            .map(|y| {
                i32::try_from(y)
                    .ok()
                    .filter(|y| (-3000..=2100).contains(y))
                    .ok_or_else(|| {
                        Invalid::new(
                            "publication_year",
                            "`publication_year` must be a year up to 2100",
                        )
                    })
            })
            .transpose()?;
        let pages = page_count
            .map(|n| {
                i32::try_from(n)
                    .ok()
                    .filter(|n| (1..=100_000).contains(n))
                    .ok_or_else(|| {
                        Invalid::new("page_count", "`page_count` must be between 1 and 100000")
                    })
            })
            .transpose()?;
        let language = match language.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(
                super::search::normalize_language(raw)
                    .map(|_| raw.to_owned())
                    .ok_or_else(|| {
                        Invalid::new(
                            "language",
                            "`language` must be a language code such as en or zh",
                        )
                    })?,
            ),
        };
        let age_band = match age_band.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(
                super::search::AgeBand::parse(raw)
                    .ok_or_else(|| {
                        Invalid::new(
                            "age_band",
                            "`age_band` must be early, primary, teen or adult",
                        )
                    })?
                    .as_str()
                    .to_owned(),
            ),
        };
        let cover_url = text::optional("cover_url", cover_url, 500)?;
        if let Some(url) = &cover_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Invalid::new(
                    "cover_url",
                    "`cover_url` must be an http(s) URL",
                ));
            }
        }
        let details = BookDetails {
            title: text::optional("title", title, 500)?,
            subtitle: text::optional("subtitle", subtitle, 500)?,
            authors: text::optional("authors", authors, 1000)?,
            publisher: text::optional("publisher", publisher, 300)?,
            publication_year: year,
            language,
            page_count: pages,
            subjects: text::optional("subjects", subjects, 2000)?,
            age_band,
            description: text::optional("description", description, 10_000)?,
            cover_url,
        };
        if details == BookDetails::default() {
            return Err(Invalid::new("title", "send at least one field to change"));
        }
        Ok(details)
    }
}

impl Bookbridge {
    /// A volunteer or admin corrects a book's metadata by hand; later fetches never
    /// overwrite it.
    pub async fn edit_book(
        &self,
        actor: &Actor,
        isbn: &Isbn,
        details: BookDetails,
    ) -> DomainResult<BookWithNeeds> {
        if !actor.role.is_staff() {
            return Err(DomainError::Forbidden(
                "only volunteers and admins edit book metadata",
            ));
        }
        let changed = self
            .store
            .write_book_details(isbn, &details, MetadataStatus::Manual, Self::now())
            .await?;
        if !changed {
            return Err(DomainError::not_found("book", isbn));
        }
        self.index_soon();
        self.book(isbn).await
    }
}
