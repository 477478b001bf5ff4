//! A school's shelf: the titles it already has, which it is not sent again unless it says
//! another copy is wanted.

use super::Bookbridge;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::SchoolId;
use crate::domain::import::{read_shelf, ImportReport};
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

    /// Which of `isbns` the school has on its shelf (the edition or another of its work):
    /// marked "have it" where the school chooses books.
    pub async fn on_shelf_among(
        &self,
        school: SchoolId,
        isbns: &[Isbn],
    ) -> DomainResult<std::collections::HashSet<Isbn>> {
        Ok(self.store.shelved_among(school, isbns).await?)
    }

    /// Puts the titles a file names on the caller's school's shelf (ISBNs read as book lists
    /// are: CSV in UTF-8 or GBK, or a workbook; other columns ignored), in one transaction;
    /// `added` says how many were new there, `unchanged` how many it had already.
    pub async fn import_shelf(
        &self,
        actor: &Actor,
        school: SchoolId,
        bytes: &[u8],
    ) -> DomainResult<ImportReport> {
        self.managed_school(actor, school).await?;
        super::import::refuse_empty(bytes)?;
        // Reading a workbook is CPU work and memory: off the async workers, taking turns.
        let _turn = self.photos.turn().await;
        let file = bytes.to_vec();
        let (isbns, mut report) = super::blocking(move || {
            let mut report = ImportReport::default();
            read_shelf(&file, &mut report).map(|isbns| (isbns, report))
        })
        .await??;
        if isbns.is_empty() {
            return Ok(report);
        }
        let added = self
            .store
            .shelve(school, &isbns, ShelfSource::School, self.now())
            .await?;
        report.imported = isbns.len() as u64;
        report.added = added;
        report.unchanged = report.imported - added;
        self.audit(
            AuditEntry::by(actor, AuditAction::ShelfChanged, format!("school:{school}"))
                .detail(format!("file: {added} new of {}", report.imported)),
        )
        .await;
        Ok(report)
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
