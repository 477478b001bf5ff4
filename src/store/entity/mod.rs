//! sea-orm entities: one file per table, mirroring `migrations/`.

pub mod accounts;
pub mod audit_log;
pub mod books;
pub mod notifications;
pub mod pledge_events;
pub mod pledges;
pub mod schools;
pub mod sessions;
pub mod wishlist_items;
