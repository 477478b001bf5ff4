use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The language a person is written to in (`zh` or `en`), chosen at registration and
        // changeable; accounts made before this read Chinese, as most of ours do. And whether
        // they want email at all (notices always show on their own page).
        let accounts = [
            string_len("language", 8).default("zh").to_owned(),
            boolean("email_notices").default(true).to_owned(),
        ];
        for mut column in accounts {
            manager
                .alter_table(
                    Table::alter()
                        .table("accounts")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
