use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("pledge_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("pledge_id"))
                    .col(big_integer("actor_account_id"))
                    // Null for the event that created the pledge.
                    .col(string_len_null("from_status", 16))
                    .col(string_len("to_status", 16))
                    .col(text_null("note"))
                    .col(string_len_null("carrier", 100))
                    .col(string_len_null("tracking_number", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("pledge_events", "pledge_id")
                            .to("pledges", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("pledge_events", "actor_account_id")
                            .to("accounts", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pledge_events_pledge")
                    .table("pledge_events")
                    .col("pledge_id")
                    .to_owned(),
            )
            .await
    }
}
