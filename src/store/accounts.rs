//! Accounts and their login sessions.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::entity::{accounts, schools, sessions};
use super::{audit, changed_one, Store, StoreError, StoreResult};
use crate::domain::audit::AuditEntry;
use crate::domain::ids::{AccountId, SchoolId, SessionId};
use crate::domain::language::Language;
use crate::domain::model::{Account, Actor};
use crate::domain::notices::NoticeKind;
use crate::domain::role::Role;
use crate::domain::vetting::AccountStatus;

/// An account's login secret and standing, for checking a sign-in.
pub struct Credentials {
    /// Who.
    pub account: AccountId,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// Pending, active or suspended.
    pub status: AccountStatus,
    /// Failed sign-ins since the last good one.
    pub failed_logins: u32,
    /// Until when sign-ins are refused after too many failures.
    pub locked_until: Option<DateTime<Utc>>,
}

impl Store {
    /// Creates an account; `Duplicate` when the email is taken.
    pub async fn insert_account(
        &self,
        role: Role,
        status: AccountStatus,
        name: &str,
        email: &str,
        password_hash: &str,
        (language, now): (Language, DateTime<Utc>),
    ) -> StoreResult<Account> {
        let row = new_account(role, status, (name, email, password_hash), (language, now))
            .insert(&self.db)
            .await
            .map_err(StoreError::from_write)?;
        self.account_from(row).await
    }

    /// The names of these accounts (one query, however many).
    pub async fn account_names(
        &self,
        ids: impl IntoIterator<Item = AccountId>,
    ) -> StoreResult<std::collections::HashMap<AccountId, String>> {
        let mut ids: Vec<i64> = ids.into_iter().map(AccountId::get).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(accounts::Entity::find()
            .select_only()
            .column(accounts::Column::Id)
            .column(accounts::Column::Name)
            .filter(accounts::Column::Id.is_in(ids))
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, name)| (AccountId(id), name))
            .collect())
    }

    /// The account with this id.
    pub async fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
        match accounts::Entity::find_by_id(id.get()).one(&self.db).await? {
            Some(row) => self.account_from(row).await.map(Some),
            None => Ok(None),
        }
    }

    /// The password hash for an email, if such an account exists.
    pub async fn credentials(&self, email: &str) -> StoreResult<Option<Credentials>> {
        let row = accounts::Entity::find()
            .filter(accounts::Column::Email.eq(email))
            .one(&self.db)
            .await?;
        row.map(|r| {
            Ok(Credentials {
                account: AccountId(r.id),
                status: account_status(&r.status)?,
                failed_logins: u32::try_from(r.failed_logins).unwrap_or(0),
                locked_until: r.locked_until,
                password_hash: r.password_hash,
            })
        })
        .transpose()
    }

    /// Records a new session under the hash of its token.
    pub async fn insert_session(
        &self,
        account: AccountId,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<SessionId> {
        let row = sessions::ActiveModel {
            account_id: Set(account.get()),
            token_hash: Set(token_hash.to_owned()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(SessionId(row.id))
    }

    /// Who holds a live session with this token, read in one statement, and when the session
    /// ends.
    pub async fn actor_for_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(Actor, DateTime<Utc>)>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT s.id AS session_id, s.expires_at, a.id AS account_id, a.role, a.status, \
                 a.coordinator FROM sessions s JOIN accounts a ON a.id = s.account_id \
                 WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
                vec![token_hash.into(), now.into()],
            ))
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role = row
            .try_get::<String>("", "role")?
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let actor = Actor {
            account: AccountId(row.try_get("", "account_id")?),
            role,
            status: account_status(&row.try_get::<String>("", "status")?)?,
            coordinator: row.try_get("", "coordinator")?,
            session: SessionId(row.try_get("", "session_id")?),
            client: None,
        };
        Ok(Some((actor, row.try_get("", "expires_at")?)))
    }

    /// Revokes a session; false when it was already revoked.
    pub async fn revoke_session(
        &self,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        changed_one(
            &self.db,
            self.stmt(
                "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                vec![now.into(), session.get().into()],
            ),
        )
        .await
    }

    /// Ends every live session of an account ("sign out everywhere"). Returns how many.
    pub async fn revoke_all_sessions(
        &self,
        account: AccountId,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let txn = self.begin_write().await?;
        let ended = txn
            .execute_raw(self.stmt(
                "UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
                vec![now.into(), account.get().into()],
            ))
            .await?
            .rows_affected();
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(ended)
    }

    /// How many sessions of an account are stored (live or not yet pruned).
    pub async fn sessions_of(&self, account: AccountId) -> StoreResult<u64> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM sessions WHERE account_id = $1",
                vec![account.get().into()],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }

    /// Deletes sessions that expired before `before` (or were revoked before it).
    pub async fn prune_sessions(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(self
            .db
            .execute_raw(self.stmt(
                "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
                vec![before.into()],
            ))
            .await?
            .rows_affected())
    }

    /// Whether the account was ever approved (or needed no approval); false for an account
    /// that does not exist.
    pub async fn account_vetted(&self, account: AccountId) -> StoreResult<bool> {
        let row = accounts::Entity::find_by_id(account.get())
            .one(&self.db)
            .await?;
        Ok(row.is_some_and(|r| r.vetted))
    }

    /// Moves an account from `from` to `to` (a vetting decision), with its audit entry, in
    /// one transaction. False when the account was not in `from` any more.
    pub async fn set_account_status(
        &self,
        account: AccountId,
        (from, to): (AccountStatus, AccountStatus),
        entry: &AuditEntry,
        notice: Option<NoticeKind>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        // An account once made active stays vetted through later suspensions.
        let change = self.stmt(
            "UPDATE accounts SET status = $1, vetted = (vetted OR $4) WHERE id = $2 AND status = $3",
            vec![
                to.as_str().into(),
                account.get().into(),
                from.as_str().into(),
                (to == AccountStatus::Active).into(),
            ],
        );
        if !super::changed_one(&txn, change).await? {
            txn.rollback().await?;
            return Ok(false);
        }
        if to == AccountStatus::Suspended {
            // Every token and page session ends with the suspension, in its transaction: a
            // later reinstatement does not bring them back.
            txn.execute_raw(self.stmt(
                "UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
                vec![now.into(), account.get().into()],
            ))
            .await?;
        }
        super::audit::record(&txn, entry, now).await?;
        if let Some(kind) = notice {
            super::notices::record_for_account(&txn, account, kind, now).await?;
        }
        txn.commit().await?;
        Ok(true)
    }

    /// Sets an account's language and whether it wants email.
    pub async fn set_preferences(
        &self,
        account: AccountId,
        language: Language,
        email_notices: bool,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "UPDATE accounts SET language = $1, email_notices = $2 WHERE id = $3",
                vec![
                    language.as_str().into(),
                    email_notices.into(),
                    account.get().into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// Makes a volunteer a coordinator, or not, with its audit entry.
    pub async fn set_coordinator(
        &self,
        account: AccountId,
        coordinator: bool,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let change = self.stmt(
            "UPDATE accounts SET coordinator = $1 WHERE id = $2 AND role = $3",
            vec![
                coordinator.into(),
                account.get().into(),
                Role::Volunteer.as_str().into(),
            ],
        );
        self.audited_change(change, entry, now).await
    }

    /// Counts a failed sign-in. When the count reaches `lock_after`, the account waits until
    /// `now + delay(failures)`; returns that time when this failure set a lock.
    pub async fn record_failed_login(
        &self,
        account: AccountId,
        lock_after: u32,
        delay: impl Fn(u32) -> chrono::Duration,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let txn = self.begin_write().await?;
        let row = txn
            .query_one_raw(self.stmt(
                "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = $1 \
                 RETURNING failed_logins",
                vec![account.get().into()],
            ))
            .await?;
        let failures = match row {
            Some(row) => u32::try_from(row.try_get::<i32>("", "failed_logins")?).unwrap_or(0),
            None => 0,
        };
        // 0 turns account locks off.
        let locked_until =
            (lock_after > 0 && failures >= lock_after).then(|| now + delay(failures));
        if let Some(until) = locked_until {
            txn.execute_raw(self.stmt(
                "UPDATE accounts SET locked_until = $1 WHERE id = $2",
                vec![until.into(), account.get().into()],
            ))
            .await?;
        }
        txn.commit().await?;
        Ok(locked_until)
    }

    /// A good sign-in: the failure count starts again.
    pub async fn clear_failed_logins(&self, account: AccountId) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "UPDATE accounts SET failed_logins = 0, locked_until = NULL \
                 WHERE id = $1 AND (failed_logins > 0 OR locked_until IS NOT NULL)",
                vec![account.get().into()],
            ))
            .await?;
        Ok(())
    }

    /// Accounts, optionally in one standing, oldest first.
    pub async fn accounts(
        &self,
        status: Option<AccountStatus>,
        limit: u64,
        offset: u64,
    ) -> StoreResult<Vec<Account>> {
        let mut query = accounts::Entity::find();
        if let Some(status) = status {
            query = query.filter(accounts::Column::Status.eq(status.as_str()));
        }
        let rows = query
            .order_by_asc(accounts::Column::Id)
            .limit(limit)
            .offset(offset)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.account_from(row).await?);
        }
        Ok(out)
    }

    pub(super) async fn account_from(&self, row: accounts::Model) -> StoreResult<Account> {
        let role = row
            .role
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let school_id = if role == Role::School {
            schools::Entity::find()
                .filter(schools::Column::OwnerAccountId.eq(row.id))
                .one(&self.db)
                .await?
                .map(|s| SchoolId(s.id))
        } else {
            None
        };
        Ok(Account {
            id: AccountId(row.id),
            role,
            status: account_status(&row.status)?,
            coordinator: row.coordinator,
            name: row.name,
            email: row.email,
            school_id,
            created_at: row.created_at,
            language: Language::parse(&row.language).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown language `{}`", row.language))
            })?,
            email_notices: row.email_notices,
        })
    }
}

/// A new account's row: not a coordinator, no failed sign-ins, email notices on, vetted when
/// it starts active.
pub(super) fn new_account(
    role: Role,
    status: AccountStatus,
    (name, email, password_hash): (&str, &str, &str),
    (language, now): (Language, DateTime<Utc>),
) -> accounts::ActiveModel {
    accounts::ActiveModel {
        language: Set(language.as_str().to_owned()),
        email_notices: Set(true),
        role: Set(role.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        vetted: Set(status == AccountStatus::Active),
        coordinator: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        name: Set(name.to_owned()),
        email: Set(email.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
}

fn account_status(stored: &str) -> StoreResult<AccountStatus> {
    AccountStatus::parse(stored)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown account status `{stored}`")))
}
