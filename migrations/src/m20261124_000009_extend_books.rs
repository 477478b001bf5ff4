use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            text_null("subtitle"),
            text_null("publisher"),
            integer_null("page_count"),
            // Subjects and tags, separated by "; ".
            text_null("subjects"),
            // early (0-5), primary (6-11), teen (12-17), adult.
            string_len_null("age_band", 16),
            text_null("description"),
            text_null("cover_url"),
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
        Ok(())
    }
}
