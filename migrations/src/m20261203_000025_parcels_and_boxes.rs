use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The parcel a pledge travels in: the id of the parcel's first pledge. Empty for a
        // pledge that is a parcel of its own, as every pledge made before boxes is: its
        // parcel's id is its own id.
        manager
            .alter_table(
                Table::alter()
                    .table("pledges")
                    .add_column(big_integer_null("parcel_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledges_by_parcel")
                    .table("pledges")
                    .col("parcel_id")
                    .to_owned(),
            )
            .await?;
        // A donor's box of books and the plan proposed for it (JSON), until confirmed.
        manager
            .create_table(
                Table::create()
                    .table("boxes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("donor_account_id"))
                    .col(text("books"))
                    .col(text("plan"))
                    .col(boolean("confirmed").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("boxes", "donor_account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }
}
