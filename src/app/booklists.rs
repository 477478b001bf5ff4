//! Curated book lists: coordinators and admins make them; everyone browses them.

use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::booklists::{
    may_curate, read_booklist, BookList, BookListWithBooks, NewBookList,
};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::BookListId;
use crate::domain::import::ImportReport;
use crate::domain::isbn::Isbn;
use crate::domain::model::Actor;
use crate::store::BookAdded;

impl Bookbridge {
    /// Makes a list (coordinators, admins).
    pub async fn create_booklist(
        &self,
        actor: &Actor,
        list: NewBookList,
    ) -> DomainResult<BookListWithBooks> {
        curator(actor)?;
        let entry = AuditEntry::by(actor, AuditAction::BookListChanged, "booklist");
        let id = self
            .store
            .create_booklist(&list, actor.account, &entry, self.now())
            .await?;
        self.booklist(id).await
    }

    /// Puts a book on a list, with an optional one-line reason (again: the reason changes).
    pub async fn add_to_booklist(
        &self,
        actor: &Actor,
        id: BookListId,
        isbn: &Isbn,
        reason: Option<&str>,
    ) -> DomainResult<BookListWithBooks> {
        curator(actor)?;
        let entry = AuditEntry::by(
            actor,
            AuditAction::BookListChanged,
            format!("booklist:{id}"),
        )
        .detail(format!("add {isbn}"));
        match self
            .store
            .add_to_booklist(id, isbn, reason, &entry, self.now())
            .await?
        {
            BookAdded::Added => {
                self.happened(Happened::BookAdded);
                self.booklist(id).await
            }
            BookAdded::NoList => Err(DomainError::not_found("book list", id)),
            BookAdded::Full => Err(DomainError::Invalid(Invalid::new(
                "isbn",
                format!(
                    "a list holds at most {} books",
                    crate::domain::booklists::MAX_BOOKS
                ),
            ))),
        }
    }

    /// Puts every book of a file (`isbn[,reason]` rows) on a list; bad rows are reported.
    pub async fn import_booklist(
        &self,
        actor: &Actor,
        id: BookListId,
        bytes: &[u8],
    ) -> DomainResult<ImportReport> {
        curator(actor)?;
        let mut report = ImportReport::default();
        let rows = read_booklist(bytes, &mut report)?;
        for (isbn, why) in rows {
            self.add_to_booklist(actor, id, &isbn, why.as_deref())
                .await?;
            report.imported += 1;
        }
        Ok(report)
    }

    /// Every list, newest first.
    pub async fn booklists(&self) -> DomainResult<Vec<BookList>> {
        Ok(self.store.booklists().await?)
    }

    /// One list with its books.
    pub async fn booklist(&self, id: BookListId) -> DomainResult<BookListWithBooks> {
        let list = self
            .store
            .booklist(id)
            .await?
            .ok_or_else(|| DomainError::not_found("book list", id))?;
        let books = self.store.booklist_books(id).await?;
        Ok(BookListWithBooks { list, books })
    }
}

fn curator(actor: &Actor) -> DomainResult<()> {
    if may_curate(actor) {
        Ok(())
    } else if actor.role.is_staff() && !actor.is_active() {
        Err(DomainError::AccountPending)
    } else {
        Err(DomainError::Forbidden(
            "only coordinators and admins keep the curated book lists",
        ))
    }
}
