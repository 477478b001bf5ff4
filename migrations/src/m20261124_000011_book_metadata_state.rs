use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Where a book's metadata stands: `complete` (from the seed or an import), `pending`
        // (to fetch), `fetched` (from Open Library), `not_found`, `failed` (with the reason,
        // retried later) or `manual` (edited by hand: never overwritten by a fetch).
        let columns = [
            string_len("metadata_status", 16)
                .default("complete")
                .to_owned(),
            text_null("metadata_error"),
            integer("metadata_attempts").default(0).to_owned(),
            timestamp_with_time_zone_null("metadata_next_attempt_at"),
            timestamp_with_time_zone_null("metadata_fetched_at"),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table("books")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_books_metadata_due")
                    .table("books")
                    .col("metadata_status")
                    .col("metadata_next_attempt_at")
                    .to_owned(),
            )
            .await
    }
}
