use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The change log search follows: one row per book whose search document may have
        // changed, written in the same transaction as the change. Each service instance
        // keeps its own index and remembers the last `seq` it applied.
        manager
            .create_table(
                Table::create()
                    .table("search_outbox")
                    .col(big_pk_auto("seq"))
                    .col(string_len("isbn", 13))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }
}
