use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Copies committed across all of a school's items, kept beside the items' own
        // counts in the same transactions: the matching rule weighs every candidate school
        // by it on every pledge, and summing a long list each time was most of a pledge's
        // cost under a rush.
        manager
            .alter_table(
                Table::alter()
                    .table("schools")
                    .add_column(big_integer("committed_copies").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE schools SET committed_copies = (SELECT COALESCE(SUM(w.committed), 0) \
                 FROM wishlist_items w WHERE w.school_id = schools.id)",
            )
            .await?;
        Ok(())
    }
}
