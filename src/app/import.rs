//! Bulk imports: catalogue files and wish-list files (the parsing is in `domain::import`).

use std::collections::HashMap;

use super::{Bookbridge, Happened};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::SchoolId;
use crate::domain::import::{
    read_catalogue, read_wishlist, ImportReport, ListMode, RowProblem, WishRow,
};
use crate::domain::isbn::Isbn;
use crate::domain::model::{Actor, ItemStatus, WishlistItem};
use crate::domain::wishlists::{RequestedChange, WishAdded};
use crate::store::NewBook;

impl Bookbridge {
    /// Imports a catalogue file (admins). Upserts by ISBN; hand-edited books are kept.
    pub async fn import_catalogue(
        &self,
        actor: &Actor,
        bytes: Vec<u8>,
    ) -> DomainResult<ImportReport> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins import catalogues"));
        }
        if !actor.is_active() {
            return Err(DomainError::AccountPending);
        }
        self.import_catalogue_unchecked(bytes, |_| {}).await
    }

    /// Imports a catalogue file for the CLI, calling `progress` with rows written so far.
    /// Parsing (one core) and writing (the other) overlap: batches pass through a short
    /// queue, so memory stays bounded however long the file.
    pub async fn import_catalogue_unchecked(
        &self,
        bytes: Vec<u8>,
        mut progress: impl FnMut(u64),
    ) -> DomainResult<ImportReport> {
        refuse_empty(&bytes)?;
        let (batches, mut incoming) = tokio::sync::mpsc::channel::<Vec<NewBook>>(2);
        let parser = tokio::task::spawn_blocking(move || {
            let mut report = ImportReport::default();
            read_catalogue(&bytes, &mut report, |batch| {
                batches
                    .blocking_send(batch)
                    .map_err(|_| DomainError::Internal("the import stopped writing".into()))
            })?;
            Ok::<_, DomainError>(report)
        });
        let mut imported = 0;
        let _merges = self.hold_index_merges()?;
        while let Some(batch) = incoming.recv().await {
            imported += self.write_imported(&batch).await?;
            progress(imported);
            self.happened(Happened::CatalogueChanged);
        }
        let mut report = parser
            .await
            .map_err(|e| DomainError::Internal(e.to_string()))??;
        report.imported = imported;
        Ok(report)
    }

    /// Imports a school's wish list from a file (the school or an admin). Uploads need
    /// standing: an approved account and a verified school (a school still being vetted adds
    /// its books one by one).
    pub async fn import_wishlist(
        &self,
        actor: &Actor,
        school: SchoolId,
        bytes: &[u8],
        mode: ListMode,
    ) -> DomainResult<ImportReport> {
        let found = self.managed_school(actor, school).await?;
        if !actor.is_active() {
            return Err(DomainError::AccountPending);
        }
        if !found.verified {
            return Err(DomainError::SchoolNotVerified);
        }
        self.import_wishlist_unchecked(school, bytes, mode).await
    }

    /// Imports a wish list without checking who asks (the CLI).
    pub async fn import_wishlist_unchecked(
        &self,
        school: SchoolId,
        bytes: &[u8],
        mode: ListMode,
    ) -> DomainResult<ImportReport> {
        if self.store.school(school).await?.is_none() {
            return Err(DomainError::not_found("school", school));
        }
        refuse_empty(bytes)?;
        // Reading a workbook is CPU work and memory (up to 32 MB of XML): off the async
        // workers, and one file per core at a time, taking turns with photos.
        let _turn = self.photos.turn().await;
        let file = bytes.to_vec();
        let (rows, mut report) = super::blocking(move || {
            let mut report = ImportReport::default();
            read_wishlist(&file, &mut report).map(|rows| (rows, report))
        })
        .await??;
        // What the list asks for now: to tell new books from more of one, and for a file
        // that sets the counts.
        let open: HashMap<Isbn, WishlistItem> = self
            .store
            .wishlist(school, Some(ItemStatus::Open))
            .await?
            .into_iter()
            .map(|item| (item.isbn.clone(), item))
            .collect();
        for row in rows {
            let on_the_list = open.get(&row.isbn);
            if let (ListMode::Set, Some(item)) = (mode, on_the_list) {
                if item.requested == row.quantity.get() {
                    report.unchanged += 1;
                    continue;
                }
                match self
                    .store
                    .set_requested(item.id, row.quantity, self.now())
                    .await?
                {
                    RequestedChange::Changed => {
                        report.imported += 1;
                        report.changed += 1;
                    }
                    RequestedChange::BelowCommitted(committed) => report.reject(
                        row.line,
                        RowProblem::BelowCommitted,
                        format!("donors have already promised {committed} copies"),
                    ),
                    // Closed or gone since it was read: asked for afresh.
                    RequestedChange::Closed | RequestedChange::Missing => {
                        self.add_row(school, &row, false, &mut report).await?;
                    }
                }
                continue;
            }
            self.add_row(school, &row, on_the_list.is_some(), &mut report)
                .await?;
        }
        self.happened(Happened::CatalogueChanged);
        self.happened(Happened::BookAdded);
        Ok(report)
    }
}

impl Bookbridge {
    /// Adds one book list row's copies to the wish list: a new item, or more of the open one
    /// (`on_the_list`).
    async fn add_row(
        &self,
        school: SchoolId,
        row: &WishRow,
        on_the_list: bool,
        report: &mut ImportReport,
    ) -> DomainResult<()> {
        let added = self
            .store
            .add_wish(
                school,
                &row.isbn,
                row.quantity,
                row.note.as_deref(),
                self.now(),
            )
            .await?;
        match added {
            WishAdded::Item(_) => {
                report.imported += 1;
                if on_the_list {
                    report.changed += 1;
                } else {
                    report.added += 1;
                }
            }
            WishAdded::OverLimit(requested) => report.reject(
                row.line,
                RowProblem::TooManyCopies,
                super::wishlists::over_limit(requested).to_string(),
            ),
        }
        Ok(())
    }
}

/// An empty file is a mistake (the wrong file, or none), not an import of nothing.
pub(super) fn refuse_empty(bytes: &[u8]) -> DomainResult<()> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Invalid::new("file", "the file is empty").into());
    }
    Ok(())
}
