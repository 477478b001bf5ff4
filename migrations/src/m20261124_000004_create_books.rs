use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("books")
                    // Normalised ISBN-13: the book's identity everywhere.
                    .col(string_len("isbn", 13).primary_key())
                    .col(string_len_null("isbn10", 10))
                    .col(text_null("title"))
                    .col(text_null("authors"))
                    .col(integer_null("publication_year"))
                    .col(string_len_null("language", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await
    }
}
