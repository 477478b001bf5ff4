use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The matching rule weighs each candidate school by the copies committed across all
        // its items: with this index that sum reads one school's index entries, not the table.
        manager
            .create_index(
                Index::create()
                    .name("idx_wishlist_items_school_committed")
                    .table("wishlist_items")
                    .col("school_id")
                    .col("committed")
                    .to_owned(),
            )
            .await
    }
}
