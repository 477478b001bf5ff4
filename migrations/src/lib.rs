//! bookbridge's database schema. Each change is a file of its own, forward-only once landed;
//! the same code builds the schema on SQLite and on Postgres.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_accounts;
mod m20261124_000002_create_sessions;
mod m20261124_000003_create_schools;
mod m20261124_000004_create_books;
mod m20261124_000005_create_wishlist_items;
mod m20261124_000006_create_pledges;
mod m20261124_000007_create_pledge_events;
mod m20261124_000008_create_app_state;
mod m20261124_000009_extend_books;
mod m20261124_000010_create_search_outbox;
mod m20261124_000011_book_metadata_state;
mod m20261126_000012_vetting;
mod m20261126_000013_create_audit_log;
mod m20261126_000014_pledge_deadlines_and_notifications;
mod m20261126_000015_account_language;
mod m20261126_000016_webhooks;
mod m20261126_000017_index_instances;
mod m20261126_000018_child_wishes;
mod m20261126_000019_wishlist_school_index;
mod m20261126_000020_school_committed;
mod m20261202_000021_photos;
mod m20261202_000022_address_events;
mod m20261202_000023_account_vetted;
mod m20261203_000024_shelves;
mod m20261203_000025_parcels_and_boxes;
mod m20261203_000026_any_edition;
mod m20261204_000027_school_page_version;
mod m20261204_000028_wechat;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_accounts::Migration),
            Box::new(m20261124_000002_create_sessions::Migration),
            Box::new(m20261124_000003_create_schools::Migration),
            Box::new(m20261124_000004_create_books::Migration),
            Box::new(m20261124_000005_create_wishlist_items::Migration),
            Box::new(m20261124_000006_create_pledges::Migration),
            Box::new(m20261124_000007_create_pledge_events::Migration),
            Box::new(m20261124_000008_create_app_state::Migration),
            Box::new(m20261124_000009_extend_books::Migration),
            Box::new(m20261124_000010_create_search_outbox::Migration),
            Box::new(m20261124_000011_book_metadata_state::Migration),
            Box::new(m20261126_000012_vetting::Migration),
            Box::new(m20261126_000013_create_audit_log::Migration),
            Box::new(m20261126_000014_pledge_deadlines_and_notifications::Migration),
            Box::new(m20261126_000015_account_language::Migration),
            Box::new(m20261126_000016_webhooks::Migration),
            Box::new(m20261126_000017_index_instances::Migration),
            Box::new(m20261126_000018_child_wishes::Migration),
            Box::new(m20261126_000019_wishlist_school_index::Migration),
            Box::new(m20261126_000020_school_committed::Migration),
            Box::new(m20261202_000021_photos::Migration),
            Box::new(m20261202_000022_address_events::Migration),
            Box::new(m20261202_000023_account_vetted::Migration),
            Box::new(m20261203_000024_shelves::Migration),
            Box::new(m20261203_000025_parcels_and_boxes::Migration),
            Box::new(m20261203_000026_any_edition::Migration),
            Box::new(m20261204_000027_school_page_version::Migration),
            Box::new(m20261204_000028_wechat::Migration),
        ]
    }
}
