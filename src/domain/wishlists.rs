//! A wish list's arithmetic: what an item still needs, and why a change can be refused.

use super::model::ItemStatus;

/// Copies an item still needs: what was asked less what active pledges hold; nothing once
/// the item is closed.
pub fn outstanding(status: ItemStatus, requested: u32, committed: u32) -> u32 {
    match status {
        ItemStatus::Open => requested.saturating_sub(committed),
        ItemStatus::Closed => 0,
    }
}

/// What a school says with a request beyond the book, the copies and the note.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WishTerms {
    /// Another copy is wanted although the title is on the school's shelf.
    pub again: bool,
    /// Whether any edition of the book's work will do (`None`: a new item takes any, an
    /// item already on the list keeps its choice).
    pub any_edition: Option<bool>,
}

/// What a wish-list item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A line of the school's own book list: any donor may pledge copies.
    List,
    /// The one copy a child's wish card asks for: answered only by claiming the card, so it
    /// is kept closed to book-list pledges and out of search's need.
    Wish,
}

impl ItemKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::List => "list",
            ItemKind::Wish => "wish",
        }
    }
}

/// What became of adding copies to a wish list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WishAdded {
    /// Added to (or as) this item.
    Item(super::ids::WishlistItemId),
    /// The open item already asks for this many: more would pass the most one item may ask
    /// for ([`super::quantity::Quantity::MAX`]).
    OverLimit(u32),
}

/// Whether an item asking for `requested` copies may take `more`.
pub fn may_add(requested: u32, more: u32) -> bool {
    requested.saturating_add(more) <= super::quantity::Quantity::MAX
}

/// What became of a change to an item's requested quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestedChange {
    /// Done.
    Changed,
    /// The item is closed.
    Closed,
    /// Active pledges hold more copies than the new quantity.
    BelowCommitted(u32),
    /// No such item.
    Missing,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_item_needs_what_is_not_committed_and_a_closed_one_nothing() {
        assert_eq!(outstanding(ItemStatus::Open, 10, 3), 7);
        assert_eq!(outstanding(ItemStatus::Open, 3, 3), 0);
        assert_eq!(outstanding(ItemStatus::Closed, 10, 3), 0);
    }
}
