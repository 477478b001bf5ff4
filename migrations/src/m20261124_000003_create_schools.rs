use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("schools")
                    .col(big_pk_auto("id"))
                    // One school per school account.
                    .col(big_integer_uniq("owner_account_id"))
                    .col(string_len("name", 200))
                    .col(string_len("province", 100))
                    .col(string_len("county", 100))
                    .col(string_len("address", 500))
                    .col(string_len("contact_phone", 40))
                    .col(integer("student_count"))
                    .col(timestamp_with_time_zone("created_at"))
                    .check(Expr::cust("student_count > 0"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("schools", "owner_account_id")
                            .to("accounts", "id"),
                    )
                    .to_owned(),
            )
            .await
    }
}
