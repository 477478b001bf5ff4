//! What is known of a book, and who needs it.

use serde::Serialize;

use super::error::{DomainError, DomainResult};
use super::isbn::Isbn;
use super::model::{Book, OpenNeed};
use super::Bookbridge;

/// A book with its open needs across schools.
#[derive(Debug, Clone, Serialize)]
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
