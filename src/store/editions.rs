//! Which wish-list items a donor's copy can count against: the items for its own ISBN, and
//! those for another edition of its work (another printing, a paperback) whose school takes
//! any edition. Books without a work match by ISBN alone. Every read of the need goes
//! through here: pledges one by one and in batches, boxes, a book's schools and search.

use sea_orm::Value;

use super::bind;
use crate::domain::model::ItemStatus;

/// A derived table of `(asked, item_id)` pairs for the ISBNs that satisfy `asked` (an SQL
/// condition on an ISBN column, such as `IN ($3, $4)`, or `IS NOT NULL` for every book).
/// An item appears once per asked edition that can fill it.
pub(super) fn items_wanting(values: &mut Vec<Value>, asked: &str) -> String {
    let any = bind(values, true);
    format!(
        "(SELECT w0.isbn AS asked, w0.id AS item_id FROM wishlist_items w0 WHERE w0.isbn {asked} \
         UNION ALL \
         SELECT mine.isbn AS asked, w1.id AS item_id FROM books mine \
         JOIN books other ON other.work = mine.work AND other.isbn <> mine.isbn \
         JOIN wishlist_items w1 ON w1.isbn = other.isbn \
         WHERE mine.isbn {asked} AND w1.any_edition = {any})"
    )
}

/// `FROM ... WHERE ...` for the open items with need at verified schools that the asked
/// ISBNs can fill, as `a` (the pairs), `w` (the item) and `s` (its school).
pub(super) fn open_items_wanting(values: &mut Vec<Value>, asked: &str) -> String {
    let wanting = items_wanting(values, asked);
    let open = bind(values, ItemStatus::Open.as_str());
    let verified = bind(values, true);
    // Only verified schools' needs count: the others cannot receive pledges yet.
    format!(
        "FROM {wanting} a JOIN wishlist_items w ON w.id = a.item_id \
         JOIN schools s ON s.id = w.school_id \
         WHERE w.status = {open} AND w.requested > w.committed AND s.verified = {verified}"
    )
}
