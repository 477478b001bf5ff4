//! The catalogue: reading books with their needs, and correcting metadata by hand.

use std::collections::HashMap;

use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::books::{BookDetails, BookWithNeeds};
use crate::domain::error::{DomainError, DomainResult, Invalid};
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
        if !actor.is_staff() {
            return Err(if actor.role.is_staff() {
                DomainError::AccountPending
            } else {
                DomainError::Forbidden("only volunteers and admins edit book metadata")
            });
        }
        // Every visitor's browser loads a book's cover: a volunteer may only point it at the
        // configured cover source (admins may use any http(s) address).
        if let Some(url) = &details.cover_url {
            if !actor.is_admin() && !url.starts_with(&self.policies.cover_source) {
                return Err(Invalid::new(
                    "cover_url",
                    format!("`cover_url` must start with {}", self.policies.cover_source),
                )
                .into());
            }
        }
        let changed = self
            .store
            .write_book_details(isbn, &details, MetadataStatus::Manual, self.now())
            .await?;
        if !changed {
            return Err(DomainError::not_found("book", isbn));
        }
        self.happened(Happened::CatalogueChanged);
        self.audit(AuditEntry::by(
            actor,
            AuditAction::BookEdited,
            format!("book:{isbn}"),
        ))
        .await;
        self.book(isbn).await
    }
}
