//! Registration, sign-in and sessions.

use super::Bookbridge;
use crate::domain::accounts::{parse_email, NewSession, Registration};
use crate::domain::credentials;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::model::{Account, Actor};
use crate::store::StoreError;

impl Bookbridge {
    /// Creates an account.
    pub async fn register(&self, registration: Registration) -> DomainResult<Account> {
        let Registration {
            role,
            name,
            email,
            password,
        } = registration;
        let hash = hash_off_thread(password).await?;
        match self
            .store
            .insert_account(role, &name, &email, &hash, self.now())
            .await
        {
            Err(StoreError::Duplicate) => Err(DomainError::EmailTaken),
            other => Ok(other?),
        }
    }

    /// Checks an email and password and opens a session.
    pub async fn login(&self, email: &str, password: &str) -> DomainResult<NewSession> {
        // An unparseable email cannot belong to an account; answer as for a wrong password.
        let email = parse_email(email).unwrap_or_default();
        let credentials = self.store.credentials(&email).await?;
        let (account, stored_hash) = match credentials {
            Some(c) => (Some(c.account), c.password_hash),
            None => (None, credentials::decoy_hash().to_owned()),
        };
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            credentials::verify_password(&password, &stored_hash)
        })
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?;
        let Some(account) = account.filter(|_| matches) else {
            return Err(DomainError::BadCredentials);
        };
        let (token, token_hash) = credentials::new_token();
        let now = self.now();
        let expires_at = now + self.session_ttl;
        self.store
            .insert_session(account, &token_hash, now, expires_at)
            .await?;
        Ok(NewSession { token, expires_at })
    }

    /// Who a bearer token belongs to.
    pub async fn authenticate(&self, token: &str) -> DomainResult<Actor> {
        let hash = credentials::token_hash(token);
        self.store
            .actor_for_token(&hash, self.now())
            .await?
            .ok_or(DomainError::Unauthenticated(
                "the token is unknown, expired or signed out",
            ))
    }

    /// Ends the caller's session.
    pub async fn logout(&self, actor: &Actor) -> DomainResult<()> {
        self.store.revoke_session(actor.session, self.now()).await?;
        Ok(())
    }

    /// The caller's own account.
    pub async fn me(&self, actor: &Actor) -> DomainResult<Account> {
        self.store
            .account(actor.account)
            .await?
            .ok_or_else(|| DomainError::not_found("account", actor.account))
    }
}

async fn hash_off_thread(password: String) -> DomainResult<String> {
    // argon2 is deliberately slow; keep it off the async workers.
    super::blocking(move || credentials::hash_password(&password)).await?
}
