use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Curated book lists (优选书目) that children and teachers choose from.
        manager
            .create_table(
                Table::create()
                    .table("booklists")
                    .col(big_pk_auto("id"))
                    .col(string_len("name", 100))
                    .col(string_len_null("age_band", 16))
                    // Lowest and highest grade it suits (1-9), when given.
                    .col(small_integer_null("grade_from"))
                    .col(small_integer_null("grade_to"))
                    .col(big_integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("booklists", "created_by")
                            .to("accounts", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("booklist_books")
                    .col(big_integer("booklist_id"))
                    .col(string_len("isbn", 13))
                    .col(string_len_null("reason", 200))
                    .col(timestamp_with_time_zone("added_at"))
                    .primary_key(Index::create().col("booklist_id").col("isbn"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("booklist_books", "booklist_id")
                            .to("booklists", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("booklist_books", "isbn")
                            .to("books", "isbn"),
                    )
                    .to_owned(),
            )
            .await?;
        // A wish-list item is either a line of the school's own book list or the one copy
        // a child's wish card asks for; the latter is answered only through its card.
        manager
            .alter_table(
                Table::alter()
                    .table("wishlist_items")
                    .add_column(string_len("kind", 8).default("list"))
                    .to_owned(),
            )
            .await?;
        // One child's wish. The child's details (name, sentence, photos, thanks) are
        // nullable because retention and withdrawal remove them and keep the rest as counts.
        manager
            .create_table(
                Table::create()
                    .table("child_wishes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("school_id"))
                    .col(big_integer("wishlist_item_id"))
                    .col(string_len("isbn", 13))
                    .col(small_integer("grade"))
                    .col(big_integer_null("booklist_id"))
                    .col(string_len_null("child_name", 40))
                    .col(string_len_null("sentence", 200))
                    .col(string_len_null("photo", 64))
                    .col(string_len("status", 16))
                    .col(big_integer("created_by"))
                    .col(big_integer_null("consent_by"))
                    .col(timestamp_with_time_zone_null("consent_at"))
                    .col(string_len_null("thanks", 200))
                    .col(string_len_null("thanks_photo", 64))
                    .col(timestamp_with_time_zone_null("thanked_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(timestamp_with_time_zone_null("details_removed_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("child_wishes", "school_id")
                            .to("schools", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("child_wishes", "wishlist_item_id")
                            .to("wishlist_items", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_child_wishes_status", &["status", "id"][..]),
            ("idx_child_wishes_school_grade", &["school_id", "grade"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("child_wishes");
            for col in cols {
                index.col(*col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // A claim is a pledge of one copy tied to the wish it answers.
        manager
            .alter_table(
                Table::alter()
                    .table("pledges")
                    .add_column(big_integer_null("child_wish_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_pledges_child_wish")
                    .table("pledges")
                    .col("child_wish_id")
                    .to_owned(),
            )
            .await
    }
}
