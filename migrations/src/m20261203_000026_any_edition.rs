use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Whether an item takes any edition of its book's work (another printing, a
        // paperback) or only the ISBN asked for. Every item made before works takes any.
        manager
            .alter_table(
                Table::alter()
                    .table("wishlist_items")
                    .add_column(boolean("any_edition").default(true))
                    .to_owned(),
            )
            .await
    }
}
