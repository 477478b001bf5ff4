//! WeChat: which account each WeChat user is, their subscribe-message credits, and the
//! mini program's access token shared by every server.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait};

use super::{stmt, Store, StoreError, StoreResult};
use crate::domain::ids::AccountId;
use crate::domain::language::Language;
use crate::domain::model::Account;
use crate::domain::role::Role;
use crate::domain::vetting::AccountStatus;
use crate::domain::wechat::WeChatUser;

/// The shared access token as stored.
#[derive(Debug, Clone)]
pub struct StoredToken {
    /// The token.
    pub access_token: String,
    /// When WeChat said it expires.
    pub expires_at: DateTime<Utc>,
    /// The day (China time) `forced_count` counts.
    pub forced_day: String,
    /// Forced refreshes on that day.
    pub forced_count: i32,
}

/// Binding inserts name the WeChat user's columns once.
const BIND: &str =
    "INSERT INTO wechat_accounts (account_id, openid, unionid, created_at) VALUES ($1, $2, $3, $4)";

impl Store {
    /// The account a WeChat user is bound to.
    pub async fn wechat_account(&self, openid: &str) -> StoreResult<Option<AccountId>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT account_id FROM wechat_accounts WHERE openid = $1",
                vec![openid.into()],
            ))
            .await?;
        row.map(|r| r.try_get("", "account_id").map(AccountId))
            .transpose()
            .map_err(Into::into)
    }

    /// The WeChat user (openid) bound to an account.
    pub async fn wechat_of(&self, account: AccountId) -> StoreResult<Option<String>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT openid FROM wechat_accounts WHERE account_id = $1",
                vec![account.get().into()],
            ))
            .await?;
        row.map(|r| r.try_get("", "openid"))
            .transpose()
            .map_err(Into::into)
    }

    /// Binds a WeChat user to an existing account; `Duplicate` when either is bound already.
    pub async fn bind_wechat(
        &self,
        account: AccountId,
        user: &WeChatUser,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                BIND,
                vec![
                    account.get().into(),
                    user.openid.clone().into(),
                    user.unionid.clone().into(),
                    now.into(),
                ],
            ))
            .await
            .map_err(StoreError::from_write)?;
        Ok(())
    }

    /// An account's login email and how many pledges it ever made (whether it is a spare
    /// account the mini program made and nobody used).
    pub async fn mailbox_and_pledges(
        &self,
        account: AccountId,
    ) -> StoreResult<Option<(String, i64)>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT a.email, (SELECT COUNT(*) FROM pledges p WHERE p.donor_account_id = a.id) AS pledges \
                 FROM accounts a WHERE a.id = $1",
                vec![account.get().into()],
            ))
            .await?;
        row.map(|r| Ok((r.try_get("", "email")?, r.try_get("", "pledges")?)))
            .transpose()
    }

    /// Moves a WeChat user, and their credits, from a spare account to `to`, and ends the
    /// spare account's sessions, in one transaction. False (nothing changed) when the user
    /// was no longer bound to `from`; `Duplicate` when `to` has a WeChat user already.
    pub async fn move_wechat(
        &self,
        openid: &str,
        from: AccountId,
        to: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let backend = txn.get_database_backend();
        let moved = txn
            .execute_raw(stmt(
                backend,
                "UPDATE wechat_accounts SET account_id = $1 WHERE openid = $2 AND account_id = $3",
                vec![to.get().into(), openid.into(), from.get().into()],
            ))
            .await
            .map_err(StoreError::from_write)?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        txn.execute_raw(stmt(
            backend,
            "UPDATE wechat_credits SET account_id = $1 WHERE account_id = $2",
            vec![to.get().into(), from.get().into()],
        ))
        .await
        .map_err(StoreError::from_write)?;
        txn.execute_raw(stmt(
            backend,
            "UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
            vec![now.into(), from.get().into()],
        ))
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Makes an active donor account for a WeChat user and binds it, in one transaction:
    /// `Duplicate` (and no account) when the user was bound meanwhile.
    pub async fn insert_wechat_donor(
        &self,
        user: &WeChatUser,
        (name, placeholder_email): (&str, &str),
        (language, now): (Language, DateTime<Utc>),
    ) -> StoreResult<Account> {
        let txn = self.begin_write().await?;
        // No password: nothing verifies against an empty hash.
        let row = super::accounts::new_account(
            Role::Donor,
            AccountStatus::Active,
            (name, placeholder_email, ""),
            (language, now),
        )
        .insert(&txn)
        .await
        .map_err(StoreError::from_write)?;
        txn.execute_raw(stmt(
            txn.get_database_backend(),
            BIND,
            vec![
                row.id.into(),
                user.openid.clone().into(),
                user.unionid.clone().into(),
                now.into(),
            ],
        ))
        .await
        .map_err(StoreError::from_write)?;
        txn.commit().await?;
        self.account_from(row).await
    }

    /// Adds one credit for each template (an acceptance in the mini program), up to `cap`.
    pub async fn add_wechat_credits(
        &self,
        account: AccountId,
        templates: &[String],
        cap: i32,
    ) -> StoreResult<()> {
        for template in templates {
            self.writer
                .execute_raw(self.stmt(
                    "INSERT INTO wechat_credits (account_id, template_id, credits) \
                     VALUES ($1, $2, 1) ON CONFLICT (account_id, template_id) DO UPDATE \
                     SET credits = CASE WHEN wechat_credits.credits < $3 \
                     THEN wechat_credits.credits + 1 ELSE wechat_credits.credits END",
                    vec![account.get().into(), template.clone().into(), cap.into()],
                ))
                .await?;
        }
        Ok(())
    }

    /// An account's credits, by template.
    pub async fn wechat_credits(
        &self,
        account: AccountId,
    ) -> StoreResult<std::collections::BTreeMap<String, i32>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT template_id, credits FROM wechat_credits WHERE account_id = $1",
                vec![account.get().into()],
            ))
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("", "template_id")?, r.try_get("", "credits")?)))
            .collect()
    }

    /// Takes one credit for a template, if the account has one (one statement: two servers
    /// never spend the same credit).
    pub async fn take_wechat_credit(
        &self,
        account: AccountId,
        template: &str,
    ) -> StoreResult<bool> {
        let done = self
            .writer
            .execute_raw(self.stmt(
                "UPDATE wechat_credits SET credits = credits - 1 \
                 WHERE account_id = $1 AND template_id = $2 AND credits > 0",
                vec![account.get().into(), template.into()],
            ))
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives back a credit taken for a message that did not go.
    pub async fn return_wechat_credit(
        &self,
        account: AccountId,
        template: &str,
    ) -> StoreResult<()> {
        self.writer
            .execute_raw(self.stmt(
                "UPDATE wechat_credits SET credits = credits + 1 \
                 WHERE account_id = $1 AND template_id = $2",
                vec![account.get().into(), template.into()],
            ))
            .await?;
        Ok(())
    }

    /// The shared access token of `appid`, if one was ever fetched.
    pub async fn wechat_token(&self, appid: &str) -> StoreResult<Option<StoredToken>> {
        let row = self
            .writer
            .query_one_raw(self.stmt(
                "SELECT access_token, expires_at, forced_day, forced_count FROM wechat_tokens \
                 WHERE appid = $1",
                vec![appid.into()],
            ))
            .await?;
        row.map(|r| {
            Ok(StoredToken {
                access_token: r.try_get("", "access_token")?,
                expires_at: r.try_get("", "expires_at")?,
                forced_day: r.try_get("", "forced_day")?,
                forced_count: r.try_get("", "forced_count")?,
            })
        })
        .transpose()
    }

    /// Keeps a fresh access token for every server.
    pub async fn save_wechat_token(&self, appid: &str, token: &StoredToken) -> StoreResult<()> {
        self.writer
            .execute_raw(self.stmt(
                "INSERT INTO wechat_tokens (appid, access_token, expires_at, forced_day, \
                 forced_count) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (appid) DO UPDATE \
                 SET access_token = $2, expires_at = $3, forced_day = $4, forced_count = $5",
                vec![
                    appid.into(),
                    token.access_token.clone().into(),
                    token.expires_at.into(),
                    token.forced_day.clone().into(),
                    token.forced_count.into(),
                ],
            ))
            .await?;
        Ok(())
    }
}
