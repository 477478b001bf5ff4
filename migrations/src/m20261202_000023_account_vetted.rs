use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Whether an account was ever approved (or needed no approval), so that reinstating
        // an account suspended while it still waited returns it to waiting, not to active.
        manager
            .alter_table(
                Table::alter()
                    .table("accounts")
                    .add_column(boolean("vetted").default(false).to_owned())
                    .to_owned(),
            )
            .await?;
        // Accounts as they stand on the day of this migration (the names are those stored
        // then): active ones, donors and admins (never vetted by anyone), and suspended ones
        // that the audit log shows were approved.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE accounts SET vetted = TRUE WHERE status = 'active' \
                 OR role IN ('donor', 'admin') \
                 OR EXISTS (SELECT 1 FROM audit_log WHERE audit_log.action = 'account.approve' \
                            AND audit_log.subject = 'account:' || CAST(accounts.id AS TEXT))",
            )
            .await?;
        Ok(())
    }
}
