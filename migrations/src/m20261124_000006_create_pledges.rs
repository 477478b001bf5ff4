use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("pledges")
                    .col(big_pk_auto("id"))
                    .col(big_integer("donor_account_id"))
                    .col(big_integer("school_id"))
                    .col(big_integer("wishlist_item_id"))
                    .col(string_len("isbn", 13))
                    .col(integer("quantity"))
                    .col(string_len("status", 16))
                    .col(string_len_null("carrier", 100))
                    .col(string_len_null("tracking_number", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .check(Expr::cust("quantity > 0"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("pledges", "donor_account_id")
                            .to("accounts", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("pledges", "school_id")
                            .to("schools", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("pledges", "wishlist_item_id")
                            .to("wishlist_items", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_pledges_donor", "donor_account_id"),
            ("idx_pledges_school", "school_id"),
            ("idx_pledges_item", "wishlist_item_id"),
            ("idx_pledges_status", "status"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("pledges")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
