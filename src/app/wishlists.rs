//! A school's wish list: adding, changing and closing items.

use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::Invalid;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ids::{SchoolId, WishlistItemId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{Actor, ItemStatus, WishlistItem};
use crate::domain::quantity::Quantity;
use crate::domain::wishlists::{WishAdded, WishTerms};
use crate::store::RequestedChange;

impl Bookbridge {
    /// Asks for copies of a book; adds to the open item for that ISBN when there is one. A
    /// title on the school's shelf is refused unless `again` says another copy is wanted; `terms`
    /// also say whether another edition of the work will do.
    pub async fn add_wish(
        &self,
        actor: &Actor,
        school: SchoolId,
        isbn: &Isbn,
        quantity: Quantity,
        note: Option<&str>,
        terms: WishTerms,
    ) -> DomainResult<WishlistItem> {
        self.managed_school(actor, school).await?;
        self.not_on_shelf(school, isbn, terms.again).await?;
        let id = match self
            .store
            .add_wish_editions(
                school,
                isbn,
                quantity,
                (note, terms.any_edition),
                self.now(),
            )
            .await?
        {
            WishAdded::Item(id) => id,
            WishAdded::OverLimit(requested) => return Err(over_limit(requested)),
        };
        self.happened(Happened::CatalogueChanged);
        self.happened(Happened::BookAdded);
        self.audit(
            AuditEntry::by(
                actor,
                AuditAction::WishlistChanged,
                format!("school:{school}"),
            )
            .detail(format!("add {isbn} x{}", quantity.get())),
        )
        .await;
        self.item(id).await
    }

    /// A school's wish list, open items only unless `status` says otherwise.
    pub async fn wishlist(
        &self,
        school: SchoolId,
        status: Option<ItemStatus>,
    ) -> DomainResult<Vec<WishlistItem>> {
        if self.store.school(school).await?.is_none() {
            return Err(DomainError::not_found("school", school));
        }
        Ok(self.store.wishlist(school, status).await?)
    }

    /// Changes how many copies an item asks for; never below the copies already pledged.
    pub async fn set_requested(
        &self,
        actor: &Actor,
        id: WishlistItemId,
        quantity: Quantity,
    ) -> DomainResult<WishlistItem> {
        let item = self.item(id).await?;
        self.managed_school(actor, item.school_id).await?;
        match self.store.set_requested(id, quantity, self.now()).await? {
            RequestedChange::Changed => {
                self.happened(Happened::CatalogueChanged);
                self.audit(
                    AuditEntry::by(actor, AuditAction::WishlistChanged, format!("item:{id}"))
                        .detail(format!("requested {}", quantity.get())),
                )
                .await;
                self.item(id).await
            }
            RequestedChange::Closed => Err(DomainError::ItemClosed(id.get())),
            RequestedChange::BelowCommitted(committed) => {
                Err(DomainError::BelowCommitted { committed })
            }
            RequestedChange::Missing => Err(DomainError::not_found("wish-list item", id)),
        }
    }

    /// Closes an item; pledges already made carry on. Closing a closed item changes nothing.
    pub async fn close_item(
        &self,
        actor: &Actor,
        id: WishlistItemId,
    ) -> DomainResult<WishlistItem> {
        let item = self.item(id).await?;
        self.managed_school(actor, item.school_id).await?;
        if self.store.close_item(id, self.now()).await? {
            self.happened(Happened::CatalogueChanged);
            self.audit(
                AuditEntry::by(actor, AuditAction::WishlistChanged, format!("item:{id}"))
                    .detail("closed"),
            )
            .await;
        }
        self.item(id).await
    }

    async fn item(&self, id: WishlistItemId) -> DomainResult<WishlistItem> {
        self.store
            .wishlist_item(id)
            .await?
            .ok_or_else(|| DomainError::not_found("wish-list item", id))
    }
}

/// The refusal for copies that would take an item past the most one item may ask for.
pub(super) fn over_limit(requested: u32) -> DomainError {
    Invalid::new(
        "quantity",
        format!(
            "one book may be asked for at most {} copies in all; the list already asks for {requested}",
            Quantity::MAX
        ),
    )
    .into()
}
