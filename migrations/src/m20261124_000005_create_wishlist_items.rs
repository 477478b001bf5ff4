use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("wishlist_items")
                    .col(big_pk_auto("id"))
                    .col(big_integer("school_id"))
                    .col(string_len("isbn", 13))
                    .col(integer("requested"))
                    // Copies held by pledged, shipped or delivered pledges. Kept here so that
                    // "never over-pledged" is one conditional UPDATE on one row.
                    .col(integer("committed").default(0))
                    .col(text_null("note"))
                    .col(string_len("status", 8).default("open"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .check(Expr::cust("committed >= 0 AND committed <= requested"))
                    .check(Expr::cust("status IN ('open', 'closed')"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("wishlist_items", "school_id")
                            .to("schools", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("wishlist_items", "isbn")
                            .to("books", "isbn"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_wishlist_items_isbn_status")
                    .table("wishlist_items")
                    .col("isbn")
                    .col("status")
                    .to_owned(),
            )
            .await?;
        // At most one open item per school and ISBN, even when two requests race.
        // Partial unique indexes read the same on SQLite and Postgres.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_wishlist_items_open_isbn \
                 ON wishlist_items (school_id, isbn) WHERE status = 'open'",
            )
            .await?;
        Ok(())
    }
}
