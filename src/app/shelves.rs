//! A school's shelf: the titles it already has, which it is not sent again unless it says
//! another copy is wanted.

use super::Bookbridge;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::SchoolId;
use crate::domain::isbn::Isbn;
use crate::domain::model::Actor;
use crate::domain::shelves::{ShelfBook, ShelfSource, MAX_SHELVED_AT_ONCE};

impl Bookbridge {
    /// A school's shelf, most recent first.
    pub async fn shelf(&self, school: SchoolId) -> DomainResult<Vec<ShelfBook>> {
        if self.store.school(school).await?.is_none() {
            return Err(DomainError::not_found("school", school));
        }
        Ok(self.store.shelf(school).await?)
    }

    /// Puts titles on the caller's school's shelf; says how many were new there.
    pub async fn shelve(
        &self,
        actor: &Actor,
        school: SchoolId,
        isbns: &[Isbn],
    ) -> DomainResult<u64> {
        self.managed_school(actor, school).await?;
        if isbns.is_empty() || isbns.len() > MAX_SHELVED_AT_ONCE {
            return Err(Invalid::new(
                "isbns",
                format!("`isbns` must hold 1 to {MAX_SHELVED_AT_ONCE} ISBNs"),
            )
            .into());
        }
        let added = self
            .store
            .shelve(school, isbns, ShelfSource::School, self.now())
            .await?;
        self.audit(
            AuditEntry::by(actor, AuditAction::ShelfChanged, format!("school:{school}"))
                .detail(format!("{added} new of {}", isbns.len())),
        )
        .await;
        Ok(added)
    }

    /// Refuses a request for a title the school already has, unless another copy is wanted.
    pub(super) async fn not_on_shelf(
        &self,
        school: SchoolId,
        isbn: &Isbn,
        again: bool,
    ) -> DomainResult<()> {
        if again {
            return Ok(());
        }
        match self.store.on_shelf(school, isbn).await? {
            Some(isbn) => Err(DomainError::AlreadyOnShelf { isbn }),
            None => Ok(()),
        }
    }
}
