use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Failed sign-ins and registrations by client address, counted over a sliding
        // window where every server sharing the database sees them (so three servers allow
        // what one allows). Pruned by housekeeping after a day.
        manager
            .create_table(
                Table::create()
                    .table("address_events")
                    .col(big_pk_auto("id"))
                    .col(string_len("address", 64))
                    .col(string_len("kind", 16))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_address_events_window")
                    .table("address_events")
                    .col("address")
                    .col("kind")
                    .col("at")
                    .to_owned(),
            )
            .await
    }
}
