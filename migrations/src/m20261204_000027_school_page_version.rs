use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows a school's shared page, its class pages and the directory show, each
/// row naming its school by `school_id`.
const SHOWN: [&str; 3] = ["pledges", "wishlist_items", "child_wishes"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A school's page version: one more whenever anything its pages show changes, on any
        // server, so a page kept by a server is known to be current by one small read. Kept by
        // the database itself (triggers), so no write path can forget it. A later migration
        // that rebuilds one of these tables on SQLite (copy, drop, rename) must create its
        // triggers again.
        manager
            .alter_table(
                Table::alter()
                    .table("schools")
                    .add_column(
                        ColumnDef::new("page_version")
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                let mut sql = String::new();
                for table in SHOWN {
                    for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                        sql.push_str(&format!(
                            "CREATE TRIGGER {table}_page_{event} AFTER {event} ON {table} \
                             BEGIN UPDATE schools SET page_version = page_version + 1 \
                             WHERE id = {row}.school_id; END;\n",
                            event = event.to_lowercase(),
                        ));
                    }
                }
                // The school's own row; the WHEN keeps the trigger's own update from counting.
                sql.push_str(
                    "CREATE TRIGGER schools_page_update AFTER UPDATE ON schools \
                     WHEN NEW.page_version = OLD.page_version \
                     BEGIN UPDATE schools SET page_version = page_version + 1 \
                     WHERE id = NEW.id; END;\n",
                );
                db.execute_unprepared(&sql).await?;
            }
            DbBackend::Postgres => {
                // One update per statement (a batch of pledges is one bump per school).
                let mut sql = String::from(
                    "CREATE OR REPLACE FUNCTION bookbridge_school_page_new() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     UPDATE schools SET page_version = page_version + 1 \
                     WHERE id IN (SELECT DISTINCT school_id FROM changed_rows); \
                     RETURN NULL; END $$;\n\
                     CREATE OR REPLACE FUNCTION bookbridge_school_page_own() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     NEW.page_version := OLD.page_version + 1; RETURN NEW; END $$;\n",
                );
                for table in SHOWN {
                    for (event, which) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")]
                    {
                        sql.push_str(&format!(
                            "CREATE TRIGGER {table}_page_{lower} AFTER {event} ON {table} \
                             REFERENCING {which} TABLE AS changed_rows FOR EACH STATEMENT \
                             EXECUTE FUNCTION bookbridge_school_page_new();\n",
                            lower = event.to_lowercase(),
                        ));
                    }
                }
                sql.push_str(
                    "CREATE TRIGGER schools_page_update BEFORE UPDATE ON schools \
                     FOR EACH ROW EXECUTE FUNCTION bookbridge_school_page_own();\n",
                );
                db.execute_unprepared(&sql).await?;
            }
            _ => {}
        }
        Ok(())
    }
}
