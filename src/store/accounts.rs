//! Accounts and their login sessions.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::entity::{accounts, schools, sessions};
use super::{changed_one, Store, StoreError, StoreResult};
use crate::domain::ids::{AccountId, SchoolId, SessionId};
use crate::domain::model::{Account, Actor};
use crate::domain::role::Role;

/// An account's login secret, for checking a password.
pub struct Credentials {
    /// Who.
    pub account: AccountId,
    /// The argon2 PHC string.
    pub password_hash: String,
}

impl Store {
    /// Creates an account; `Duplicate` when the email is taken.
    pub async fn insert_account(
        &self,
        role: Role,
        name: &str,
        email: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Account> {
        let row = accounts::ActiveModel {
            role: Set(role.as_str().to_owned()),
            name: Set(name.to_owned()),
            email: Set(email.to_owned()),
            password_hash: Set(password_hash.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_write)?;
        self.account_from(row).await
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
        Ok(row.map(|r| Credentials {
            account: AccountId(r.id),
            password_hash: r.password_hash,
        }))
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

    /// Who holds a live (unrevoked, unexpired) session with this token hash.
    pub async fn actor_for_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Actor>> {
        let Some(session) = sessions::Entity::find()
            .filter(sessions::Column::TokenHash.eq(token_hash))
            .filter(sessions::Column::RevokedAt.is_null())
            .filter(sessions::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(account) = accounts::Entity::find_by_id(session.account_id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let role = account
            .role
            .parse::<Role>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Some(Actor {
            account: AccountId(account.id),
            role,
            session: SessionId(session.id),
        }))
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

    async fn account_from(&self, row: accounts::Model) -> StoreResult<Account> {
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
            name: row.name,
            email: row.email,
            school_id,
            created_at: row.created_at,
        })
    }
}
