//! Registration, login and sessions.

use chrono::{DateTime, Utc};

use super::credentials::{self, check_password_rules};
use super::error::{DomainError, DomainResult, Invalid};
use super::model::{Account, Actor};
use super::role::Role;
use super::text;
use super::Bookbridge;
use crate::store::StoreError;

/// A checked registration.
#[derive(Debug, Clone)]
pub struct Registration {
    role: Role,
    name: String,
    email: String,
    password: String,
}

impl Registration {
    /// Checks a registration form. `admin` cannot be chosen here: admins are made by the CLI.
    pub fn new(role: &str, name: &str, email: &str, password: &str) -> Result<Self, Invalid> {
        let role = match role.parse::<Role>() {
            Ok(Role::Admin) | Err(_) => {
                return Err(Invalid::new(
                    "role",
                    "`role` must be one of `school`, `donor`, `volunteer`",
                ))
            }
            Ok(role) => role,
        };
        Self::with_role(role, name, email, password)
    }

    /// Checks a registration for any role, admin included (for `create-admin`).
    pub fn with_role(role: Role, name: &str, email: &str, password: &str) -> Result<Self, Invalid> {
        Ok(Registration {
            role,
            name: text::required("name", name, 200)?,
            email: parse_email(email)?,
            password: {
                check_password_rules(password)?;
                password.to_owned()
            },
        })
    }
}

/// Lower-cases and checks an email address's shape. Deliverability is not our business;
/// a typo'd address only hurts its owner.
pub fn parse_email(email: &str) -> Result<String, Invalid> {
    let email = email.trim().to_lowercase();
    let bad = || Invalid::new("email", "`email` must look like name@example.org");
    if email.chars().count() > 254 || email.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.is_empty() || domain.contains('@') || !domain.contains('.') {
        return Err(bad());
    }
    if domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad());
    }
    Ok(email)
}

/// A fresh bearer token, shown to the client once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NewSession {
    /// The bearer token.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

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
            .insert_account(role, &name, &email, &hash, Self::now())
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
        let now = Self::now();
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
            .actor_for_token(&hash, Self::now())
            .await?
            .ok_or(DomainError::Unauthenticated(
                "the token is unknown, expired or signed out",
            ))
    }

    /// Ends the caller's session.
    pub async fn logout(&self, actor: &Actor) -> DomainResult<()> {
        self.store
            .revoke_session(actor.session, Self::now())
            .await?;
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
    tokio::task::spawn_blocking(move || credentials::hash_password(&password))
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            parse_email(" Wang.Li@Example.ORG ").unwrap(),
            "wang.li@example.org"
        );
        for bad in [
            "",
            "no-at-sign",
            "@example.org",
            "a@",
            "a@b",
            "a b@example.org",
            "a@@b.org",
            "a@.org",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn admin_cannot_self_register() {
        let err = Registration::new("admin", "Eve", "eve@example.org", "long enough").unwrap_err();
        assert_eq!(err.field, "role");
        assert!(Registration::new("donor", "Ann", "ann@example.org", "long enough").is_ok());
    }

    #[test]
    fn registration_names_the_bad_field() {
        assert_eq!(
            Registration::new("donor", " ", "a@b.org", "long enough")
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            Registration::new("donor", "A", "a@b.org", "short")
                .unwrap_err()
                .field,
            "password"
        );
    }
}
