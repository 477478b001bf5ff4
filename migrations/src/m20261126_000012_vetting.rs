use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Vetting. An account is `pending` (new volunteers and schools), `active` or
        // `suspended`; an admin may make an active volunteer a coordinator, who vets others.
        // Failed sign-ins are counted per account, which waits until `locked_until` after
        // too many. Accounts that exist before this migration were already trusted to act,
        // so they stay `active` (the column's default).
        let accounts = [
            string_len("status", 16).default("active").to_owned(),
            boolean("coordinator").default(false).to_owned(),
            integer("failed_logins").default(0).to_owned(),
            timestamp_with_time_zone_null("locked_until"),
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
        // A school is verified once someone checked its national school identification code
        // (学校标识码, 10 digits); the note says how. Only verified schools receive pledges.
        let schools = [
            string_len_null("school_code", 10),
            boolean("verified").default(false).to_owned(),
            timestamp_with_time_zone_null("verified_at"),
            big_integer_null("verified_by"),
            text_null("verification_note"),
        ];
        for mut column in schools {
            manager
                .alter_table(
                    Table::alter()
                        .table("schools")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Schools registered before vetting existed were already receiving books.
        manager
            .get_connection()
            .execute_unprepared("UPDATE schools SET verified = TRUE")
            .await?;
        Ok(())
    }
}
