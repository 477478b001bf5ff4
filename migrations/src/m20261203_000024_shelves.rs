use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The work an edition belongs to (an Open Library work key such as `OL45804W`), so
        // that a school which has one edition is not sent another.
        manager
            .alter_table(
                Table::alter()
                    .table("books")
                    .add_column(string_len_null("work", 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("books_by_work")
                    .table("books")
                    .col("work")
                    .to_owned(),
            )
            .await?;
        // The titles a school already has: from a file, scanned, or delivered by a donor.
        manager
            .create_table(
                Table::create()
                    .table("shelf_books")
                    .col(big_pk_auto("id"))
                    .col(big_integer("school_id"))
                    .col(string_len("isbn", 13))
                    .col(string_len("source", 16))
                    .col(timestamp_with_time_zone("added_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("shelf_books", "school_id")
                            .to("schools", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("shelf_books_one_per_title")
                    .table("shelf_books")
                    .col("school_id")
                    .col("isbn")
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
