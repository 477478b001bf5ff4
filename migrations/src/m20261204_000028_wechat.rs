use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Which WeChat user (their openid in this mini program) an account is: one each way.
        // WeChat's session key is never kept: nothing here needs it.
        manager
            .create_table(
                Table::create()
                    .table("wechat_accounts")
                    .col(big_integer("account_id").primary_key())
                    .col(string_len_uniq("openid", 128))
                    .col(string_len_null("unionid", 128))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("wechat_accounts", "account_id")
                            .to("accounts", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // Subscribe-message credits: each acceptance in the mini program allows one message
        // with that template.
        manager
            .create_table(
                Table::create()
                    .table("wechat_credits")
                    .col(big_integer("account_id"))
                    .col(string_len("template_id", 128))
                    .col(integer("credits"))
                    .primary_key(Index::create().col("account_id").col("template_id"))
                    .to_owned(),
            )
            .await?;
        // The mini program's access token, shared by every server (one row per appid), and
        // the forced refreshes used today (WeChat allows 20 a day).
        manager
            .create_table(
                Table::create()
                    .table("wechat_tokens")
                    .col(string_len("appid", 64).primary_key())
                    .col(text("access_token"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(string_len("forced_day", 10))
                    .col(integer("forced_count"))
                    .to_owned(),
            )
            .await?;
        // How a sent notice went: `email` or `wechat`.
        manager
            .alter_table(
                Table::alter()
                    .table("notifications")
                    .add_column(string_len_null("sent_via", 16))
                    .to_owned(),
            )
            .await
    }
}
