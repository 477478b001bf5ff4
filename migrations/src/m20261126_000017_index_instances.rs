use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Each server's search index and the last change-log sequence it applied, so that
        // several servers sharing one database prune the change log only below what every
        // one of them has applied.
        manager
            .create_table(
                Table::create()
                    .table("index_instances")
                    .col(string_len("name", 100).primary_key())
                    .col(big_integer("applied_seq"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await
    }
}
