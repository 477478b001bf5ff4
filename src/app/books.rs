//! The catalogue: reading books with their needs, and correcting metadata by hand.

use std::collections::HashMap;

use super::Bookbridge;
use crate::domain::books::{BookDetails, BookWithNeeds};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::isbn::Isbn;
use crate::domain::model::{Actor, Book, MetadataStatus};

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
            .write_book_details(isbn, &details, MetadataStatus::Manual, self.now())
            .await?;
        if !changed {
            return Err(DomainError::not_found("book", isbn));
        }
        self.index_soon();
        self.book(isbn).await
    }
}
