//! Registration, sign-in and sessions: with a bounded hashing pool, locks after failed
//! sign-ins (per account, in the database, on the service's clock) and limits per client
//! address; every sign-in, failure and lock is in the audit log.

use std::net::IpAddr;

/// What `address_events` counts: failed sign-ins, registrations.
pub(super) const FAILED_SIGN_IN: &str = "signin_failed";
const REGISTRATION: &str = "registration";

/// An address as the limits key it (`unknown` when the connection had none).
pub(super) fn address_key(client: Option<IpAddr>) -> String {
    client.map_or("unknown".into(), |ip| ip.to_string())
}

use super::Bookbridge;
use crate::domain::accounts::{parse_email, NewSession, Registration};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::credentials;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ids::AccountId;
use crate::domain::model::{Account, Actor};
use crate::domain::vetting::AccountStatus;
use crate::store::StoreError;

impl Bookbridge {
    /// Creates an account for an operator (the seed, `bookbridge create-admin`): no limit
    /// per address.
    pub async fn register(&self, registration: Registration) -> DomainResult<Account> {
        let Registration {
            role,
            name,
            email,
            password,
            language,
        } = registration;
        let hash = self.hash_password(password).await?;
        let status = AccountStatus::on_registration(role);
        match self
            .store
            .insert_account(role, status, &name, &email, &hash, (language, self.now()))
            .await
        {
            Err(StoreError::Duplicate) => Err(DomainError::EmailTaken),
            other => Ok(other?),
        }
    }

    /// Someone registers from the API or the register page: at most
    /// `registrations_per_hour_per_address` an hour from one client address. Volunteers and
    /// schools start pending.
    pub async fn sign_up(
        &self,
        registration: Registration,
        client: Option<IpAddr>,
    ) -> DomainResult<Account> {
        self.count_registration(client).await?;
        let account = self.register(registration).await?;
        self.audit(
            AuditEntry::from_client(
                Some(account.id),
                AuditAction::Registered,
                format!("account:{}", account.id),
                client,
            )
            .detail(format!("{} {}", account.role, account.status)),
        )
        .await;
        Ok(account)
    }

    /// Counts a registration from `client`, refused with `TooManyAttempts` once the address
    /// made `registrations_per_hour_per_address` in the last hour (however it registers).
    pub(super) async fn count_registration(&self, client: Option<IpAddr>) -> DomainResult<()> {
        let limit = (
            self.policies.registrations_per_hour,
            chrono::Duration::hours(1),
        );
        if let Some(seconds) = self.address_wait(client, REGISTRATION, limit).await? {
            return Err(DomainError::TooManyAttempts {
                retry_after_seconds: seconds,
            });
        }
        if limit.0 > 0 {
            self.store
                .record_address_event(&address_key(client), REGISTRATION, self.now())
                .await?;
        }
        Ok(())
    }

    /// Checks an email and password and opens a session. Refused with `TooManyAttempts`
    /// while the account waits out a lock, whatever the password, and for a wrong password
    /// while the client address waits out its failure limit.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: Option<IpAddr>,
    ) -> DomainResult<NewSession> {
        let now = self.now();
        let entry = |actor, action, subject: String| {
            AuditEntry::from_client(actor, action, subject, client)
        };
        let address = format!(
            "address:{}",
            client.map_or("unknown".into(), |ip| ip.to_string())
        );
        // An unparseable email cannot belong to an account; answer as for a wrong password.
        let email = parse_email(email).unwrap_or_default();
        // An address over its failure limit is still asked for the password: the right one
        // gets in (the README promises good sign-ins are never limited by others' failures
        // from the same address, a school's shared connection), and a wrong one is counted
        // against the account too, so the account's own lock still stops guessing.
        let address_wait = self
            .address_wait(client, FAILED_SIGN_IN, self.failure_limit())
            .await?;
        let credentials = self.store.credentials(&email).await?;
        if let Some(c) = &credentials {
            if let Some(until) = c.locked_until.filter(|until| *until > now) {
                let subject = format!("account:{}", c.account);
                self.audit(entry(
                    Some(c.account),
                    AuditAction::SignInThrottled,
                    subject,
                ))
                .await;
                return Err(DomainError::TooManyAttempts {
                    retry_after_seconds: u64::try_from((until - now).num_seconds())
                        .unwrap_or(0)
                        .max(1),
                });
            }
        }
        let stored_hash = credentials
            .as_ref()
            .map_or(credentials::decoy_hash().to_owned(), |c| {
                c.password_hash.clone()
            });
        let matches = self
            .verify_password(password.to_owned(), stored_hash)
            .await?;
        let Some(found) = credentials.as_ref().filter(|_| matches) else {
            let account = credentials.map(|c| c.account);
            let failure = self
                .failed_sign_in(&format!("email:{email}"), account, client, now)
                .await;
            if let Some(seconds) = address_wait {
                self.audit(entry(None, AuditAction::SignInThrottled, address).detail(email))
                    .await;
                return Err(DomainError::TooManyAttempts {
                    retry_after_seconds: seconds,
                });
            }
            return Err(failure);
        };
        if found.status == AccountStatus::Suspended {
            return Err(DomainError::Unauthenticated("this account is suspended"));
        }
        let found_account = found.account;
        self.store.clear_failed_logins(found_account).await?;
        let (token, token_hash) = credentials::new_token();
        let expires_at = now + self.policies.session_ttl;
        self.store
            .insert_session(found_account, &token_hash, now, expires_at)
            .await?;
        let subject = format!("account:{found_account}");
        self.audit(entry(Some(found_account), AuditAction::SignIn, subject))
            .await;
        Ok(NewSession { token, expires_at })
    }

    /// Records a failed sign-in against the account (when the email is one) and the address,
    /// locking either when it reaches its limit; every step is audited.
    pub(super) async fn failed_sign_in(
        &self,
        who: &str,
        account: Option<AccountId>,
        client: Option<IpAddr>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> DomainError {
        let subject = account.map_or(who.to_owned(), |id| format!("account:{id}"));
        let mut entries = vec![AuditEntry::from_client(
            account,
            AuditAction::SignInFailed,
            subject.chars().take(64).collect::<String>(),
            client,
        )];
        if let Some(id) = account {
            let policies = &self.policies;
            let locked = self
                .store
                .record_failed_login(
                    id,
                    policies.lock_after_failures,
                    |failures| policies.lock_for(failures),
                    now,
                )
                .await;
            match locked {
                Ok(Some(until)) => entries.push(
                    AuditEntry::from_client(
                        Some(id),
                        AuditAction::AccountLocked,
                        format!("account:{id}"),
                        client,
                    )
                    .detail(format!("until {}", until.to_rfc3339())),
                ),
                Ok(None) => {}
                Err(err) => return err.into(),
            }
        }
        let (limit, window) = self.failure_limit();
        if limit > 0 {
            let key = address_key(client);
            let counted = async {
                self.store
                    .record_address_event(&key, FAILED_SIGN_IN, now)
                    .await?;
                self.store
                    .address_events(&key, FAILED_SIGN_IN, window, now)
                    .await
            };
            match counted.await {
                // The failure that used up the limit locks the address (audited once).
                Ok(counted) if counted.count == u64::from(limit) => {
                    entries.push(AuditEntry::from_client(
                        None,
                        AuditAction::AddressLocked,
                        format!("address:{key}"),
                        client,
                    ));
                }
                Ok(_) => {}
                Err(err) => return err.into(),
            }
        }
        for entry in entries {
            self.audit(entry).await;
        }
        DomainError::BadCredentials
    }

    /// The failed sign-ins an address may make, and over how long.
    pub(super) fn failure_limit(&self) -> (u32, chrono::Duration) {
        (
            self.policies.address_failures_per_minute,
            chrono::Duration::minutes(1),
        )
    }

    /// Seconds until `client` may do `kind` again, while its events in the window have used
    /// up `limit` (0: no limit). Counted in the database, so every server agrees.
    pub(super) async fn address_wait(
        &self,
        client: Option<IpAddr>,
        kind: &str,
        (limit, window): (u32, chrono::Duration),
    ) -> DomainResult<Option<u64>> {
        if limit == 0 {
            return Ok(None);
        }
        let now = self.now();
        let counted = self
            .store
            .address_events(&address_key(client), kind, window, now)
            .await?;
        if counted.count < u64::from(limit) {
            return Ok(None);
        }
        let until = counted.oldest.unwrap_or(now) + window;
        Ok(Some(
            u64::try_from((until - now).num_seconds())
                .unwrap_or(0)
                .max(1),
        ))
    }

    /// Who a bearer token belongs to: kept on this server for `signed_in_seconds` (see
    /// `signed_in`), else read. A suspended account's tokens stop working at the next request
    /// after the suspension on the server that made it, within that time on the others.
    pub async fn authenticate(&self, token: &str) -> DomainResult<Actor> {
        let hash = credentials::token_hash(token);
        let now = self.now();
        let actor = match self.signed_in.get(&hash, now) {
            Some(actor) => actor,
            None => {
                let (actor, expires) = self.store.actor_for_token(&hash, now).await?.ok_or(
                    DomainError::Unauthenticated("the token is unknown, expired or signed out"),
                )?;
                self.signed_in.keep(&hash, &actor, expires, now);
                actor
            }
        };
        if actor.status == AccountStatus::Suspended {
            return Err(DomainError::Unauthenticated("this account is suspended"));
        }
        Ok(actor)
    }

    /// Ends the caller's session.
    pub async fn logout(&self, actor: &Actor) -> DomainResult<()> {
        self.store.revoke_session(actor.session, self.now()).await?;
        self.signed_in.forget(actor.account);
        Ok(())
    }

    /// Ends every session of the caller's account ("sign out everywhere"). Returns how many.
    pub async fn logout_everywhere(&self, actor: &Actor) -> DomainResult<u64> {
        let entry = AuditEntry::by(
            actor,
            AuditAction::SignedOutEverywhere,
            format!("account:{}", actor.account),
        );
        let ended = self
            .store
            .revoke_all_sessions(actor.account, &entry, self.now())
            .await?;
        self.signed_in.forget(actor.account);
        Ok(ended)
    }

    /// Deletes sessions that expired or were signed out before now (by the service's clock).
    pub async fn prune_sessions(&self) -> DomainResult<u64> {
        Ok(self.store.prune_sessions(self.now()).await?)
    }

    /// The caller's own account.
    pub async fn me(&self, actor: &Actor) -> DomainResult<Account> {
        self.store
            .account(actor.account)
            .await?
            .ok_or_else(|| DomainError::not_found("account", actor.account))
    }

    /// Changes the caller's language and whether notices also come by email (unchanged when
    /// `None`). Any account may, pending or not: it is about how they are told.
    pub async fn set_preferences(
        &self,
        actor: &Actor,
        language: Option<crate::domain::language::Language>,
        email_notices: Option<bool>,
    ) -> DomainResult<Account> {
        let now = self.me(actor).await?;
        self.store
            .set_preferences(
                actor.account,
                language.unwrap_or(now.language),
                email_notices.unwrap_or(now.email_notices),
            )
            .await?;
        self.me(actor).await
    }

    /// Hashes a password on the bounded hashing threads.
    async fn hash_password(&self, password: String) -> DomainResult<String> {
        self.throttle.hasher().hash(password).await
    }

    /// Checks a password against a stored hash on the bounded hashing threads.
    async fn verify_password(&self, password: String, stored: String) -> DomainResult<bool> {
        self.throttle.hasher().verify(password, stored).await
    }
}
