use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A pledge's date to be posted by, set when it is made (`pledge_ship_days` on) and
        // moved once when the donor extends it. Pledges made before this column read their
        // date from `created_at` and today's setting.
        let pledges = [
            timestamp_with_time_zone_null("ship_by"),
            boolean("extended").default(false).to_owned(),
        ];
        for mut column in pledges {
            manager
                .alter_table(
                    Table::alter()
                        .table("pledges")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // What someone is told: written in the same transaction as the event that causes it,
        // sent later by a job. `dedupe_key` makes a reminder or an expiry notice at most once.
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(big_pk_auto("id"))
                    .col(big_integer("account_id"))
                    .col(string_len("kind", 40))
                    .col(big_integer_null("pledge_id"))
                    .col(text_null("detail"))
                    .col(string_len_null("dedupe_key", 120).unique_key().to_owned())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string_len("delivery", 16))
                    .col(integer("attempts").default(0).to_owned())
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_account")
                    .table("notifications")
                    .col("account_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        // The system (expiring a pledge) moves pledges too: such an event has no account.
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Sqlite {
            // SQLite cannot relax a column in place: copy the table into a relaxed one. One
            // batch on one connection, so no other pooled connection sees a half-done state.
            manager
                .get_connection()
                .execute_unprepared(
                    r#"CREATE TABLE "pledge_events_relaxed" (
                        "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
                        "pledge_id" integer NOT NULL,
                        "actor_account_id" integer NULL,
                        "from_status" varchar(16) NULL,
                        "to_status" varchar(16) NOT NULL,
                        "note" text NULL,
                        "carrier" varchar(100) NULL,
                        "tracking_number" varchar(100) NULL,
                        "created_at" timestamp_with_timezone_text NOT NULL,
                        FOREIGN KEY ("pledge_id") REFERENCES "pledges" ("id"),
                        FOREIGN KEY ("actor_account_id") REFERENCES "accounts" ("id"));
                    INSERT INTO "pledge_events_relaxed" SELECT "id", "pledge_id",
                        "actor_account_id", "from_status", "to_status", "note", "carrier",
                        "tracking_number", "created_at" FROM "pledge_events";
                    DROP TABLE "pledge_events";
                    ALTER TABLE "pledge_events_relaxed" RENAME TO "pledge_events";
                    CREATE INDEX "idx_pledge_events_pledge" ON "pledge_events" ("pledge_id");"#,
                )
                .await?;
        } else {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE pledge_events ALTER COLUMN actor_account_id DROP NOT NULL",
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_pledges_status_ship_by")
                    .table("pledges")
                    .col("status")
                    .col("ship_by")
                    .to_owned(),
            )
            .await
    }
}
