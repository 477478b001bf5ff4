use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A charity's own systems (an SMS gateway, a WeChat service account) receive notices
        // as signed JSON POSTs. `events` lists the notice kinds wanted (comma-separated;
        // null: all).
        manager
            .create_table(
                Table::create()
                    .table("webhooks")
                    .col(big_pk_auto("id"))
                    .col(text("url"))
                    .col(text("secret"))
                    .col(text_null("events"))
                    .col(big_integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        // One row per notice per receiver, made by the sender job; each is tried until it
        // is taken (2xx) or given up.
        manager
            .create_table(
                Table::create()
                    .table("webhook_deliveries")
                    .col(big_pk_auto("id"))
                    .col(big_integer("webhook_id"))
                    .col(big_integer("notification_id"))
                    .col(string_len("delivery", 16))
                    .col(integer("attempts").default(0).to_owned())
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_once")
                    .table("webhook_deliveries")
                    .col("webhook_id")
                    .col("notification_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Whether a notice has been handed to every receiver.
        manager
            .alter_table(
                Table::alter()
                    .table("notifications")
                    .add_column(boolean("fanned_out").default(false).to_owned())
                    .to_owned(),
            )
            .await
    }
}
