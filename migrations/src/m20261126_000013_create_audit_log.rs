use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Who did what to which record, when and from where: sign-ins (and failures and
        // locks), approvals and suspensions, school verification, book edits, exports,
        // wish-list changes and pledge moves. Written in the same transaction as the change
        // where there is one. Never updated or deleted by the service.
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer_null("actor_id"))
                    .col(string_len("action", 64))
                    .col(string_len("subject", 64))
                    .col(text_null("detail"))
                    .col(string_len_null("client", 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_at")
                    .table("audit_log")
                    .col("at")
                    .to_owned(),
            )
            .await
    }
}
