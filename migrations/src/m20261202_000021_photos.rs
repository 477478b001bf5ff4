use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Photos of children's wish and thanks cards, as bytes, written in the wish's own
        // transaction: any server sharing the database serves any photo, and a backup of
        // the database is a backup of them too. `name` is what `child_wishes.photo` and
        // `thanks_photo` hold.
        manager
            .create_table(
                Table::create()
                    .table("photos")
                    .col(string_len("name", 64).primary_key())
                    .col(blob("bytes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }
}
