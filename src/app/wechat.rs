//! WeChat: signing in with a `wx.login` code (under the same address limits and audit as a
//! password), binding WeChat to an account, recording the subscribe messages a person
//! accepted, and sending a notice as one. The access token is shared by every server through
//! the database, refreshed before it expires and forced once when WeChat calls it invalid.

use std::net::IpAddr;

use super::accounts::{address_key, FAILED_SIGN_IN};
use super::Bookbridge;
use crate::domain::accounts::NewSession;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::credentials;
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::AccountId;
use crate::domain::language::Language;
use crate::domain::model::{Account, Actor};
use crate::domain::notices::NoticeKind;
use crate::domain::text;
use crate::domain::vetting::AccountStatus;
use crate::domain::wechat::{
    self as rules, Meaning, SubscribeMessage, WeChatFailure, WeChatRefusal, WeChatUser,
};
use crate::store::{StoreError, StoredToken};
use crate::wechat::WeChat;

/// A WeChat sign-in as the mini program asks for it.
#[derive(Debug, Clone)]
pub struct WeChatSignIn {
    /// The code from `wx.login`.
    pub code: String,
    /// The name a new account gets (default: "微信用户" / "WeChat user").
    pub name: Option<String>,
    /// The language a new account reads.
    pub language: Language,
}

/// A WeChat sign-in's outcome.
#[derive(Debug, Clone)]
pub struct WeChatSession {
    /// The bearer token.
    pub session: NewSession,
    /// Whose.
    pub account: Account,
    /// Whether the account was made by this sign-in.
    pub new: bool,
}

/// One notice kind that goes to WeChat, and the caller's credits for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The notice kind.
    pub kind: NoticeKind,
    /// Its template (what `wx.requestSubscribeMessage` asks for).
    pub template_id: String,
    /// Messages the person has accepted and not yet received.
    pub credits: u32,
}

/// Where the caller stands with WeChat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeChatStanding {
    /// Whether WeChat is bound to the account.
    pub bound: bool,
    /// Every kind that goes to WeChat, with the caller's credits.
    pub subscriptions: Vec<Subscription>,
}

/// How sending one subscribe message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WeChatSend {
    /// WeChat took it.
    Sent,
    /// 43101: the person has not accepted this template.
    NotSubscribed,
    /// Anything else; tried again later.
    Failed(String),
}

impl Bookbridge {
    /// Turns WeChat on for this service (at start, when its settings are given).
    pub fn use_wechat(&self, wechat: WeChat) {
        if self.wechat.set(wechat).is_err() {
            log::warn!("WeChat was already set up");
        }
    }

    /// The WeChat client, when WeChat is on.
    pub fn wechat(&self) -> Option<&WeChat> {
        self.wechat.get()
    }

    /// The WeChat client, or "nothing here" when WeChat is off.
    fn wechat_on(&self) -> DomainResult<&WeChat> {
        self.wechat()
            .ok_or_else(|| DomainError::not_found("page", "wechat"))
    }

    /// Asks WeChat who a sign-in code belongs to. An invalid code counts as a failed
    /// sign-in against the client's address (and is audited), as a wrong password does; while
    /// the address waits out its failures no code is sent to WeChat (guessing codes must not
    /// use up the charity's WeChat quota), whether signing in or binding.
    async fn wechat_user(&self, code: &str, client: Option<IpAddr>) -> DomainResult<WeChatUser> {
        let wechat = self.wechat_on()?;
        let code = rules::parse_code(code)?;
        if let Some(seconds) = self
            .address_wait(client, FAILED_SIGN_IN, self.failure_limit())
            .await?
        {
            self.audit(
                AuditEntry::from_client(
                    None,
                    AuditAction::SignInThrottled,
                    format!("address:{}", address_key(client)),
                    client,
                )
                .detail("wechat"),
            )
            .await;
            return Err(DomainError::TooManyAttempts {
                retry_after_seconds: seconds,
            });
        }
        match wechat.code_to_session(&code).await {
            Ok(user) => Ok(user),
            Err(failure) => {
                let refusal = WeChatRefusal::from_sign_in(&failure);
                match refusal {
                    WeChatRefusal::InvalidCode => {
                        self.failed_sign_in("wechat", None, client, self.now())
                            .await;
                    }
                    WeChatRefusal::Blocked => {
                        self.audit(
                            AuditEntry::from_client(
                                None,
                                AuditAction::SignInFailed,
                                "wechat",
                                client,
                            )
                            .detail("blocked by WeChat"),
                        )
                        .await;
                    }
                    _ => log::warn!("WeChat sign-in: {failure}"),
                }
                Err(refusal.into())
            }
        }
    }

    /// Signs in with a `wx.login` code: the account bound to that WeChat user, or a new
    /// donor account for them (no email, no password). A new account counts as a
    /// registration from the client's address.
    pub async fn wechat_sign_in(
        &self,
        sign_in: WeChatSignIn,
        client: Option<IpAddr>,
    ) -> DomainResult<WeChatSession> {
        self.wechat_on()?;
        let name = match sign_in.name.as_deref() {
            Some(name) => text::required("name", name, 200)?,
            None => rules::default_name(sign_in.language.is_chinese()).to_owned(),
        };
        let user = self.wechat_user(&sign_in.code, client).await?;
        if let Some(account) = self.store.wechat_account(&user.openid).await? {
            return self.wechat_session(account, client, false).await;
        }
        self.count_registration(client).await?;
        let (random, _) = credentials::new_token();
        let email = rules::placeholder_email(&random[..24]);
        let made = self
            .store
            .insert_wechat_donor(&user, (&name, &email), (sign_in.language, self.now()))
            .await;
        match made {
            Ok(account) => {
                self.audit(
                    AuditEntry::from_client(
                        Some(account.id),
                        AuditAction::Registered,
                        format!("account:{}", account.id),
                        client,
                    )
                    .detail(format!("{} {} wechat", account.role, account.status)),
                )
                .await;
                self.wechat_session(account.id, client, true).await
            }
            // The same person signed in twice at once: the other request made the account.
            Err(StoreError::Duplicate) => match self.store.wechat_account(&user.openid).await? {
                Some(account) => self.wechat_session(account, client, false).await,
                None => Err(DomainError::Conflict(
                    "signing in at the same moment; try again",
                )),
            },
            Err(other) => Err(other.into()),
        }
    }

    /// Opens a session for a WeChat user's account.
    async fn wechat_session(
        &self,
        account: AccountId,
        client: Option<IpAddr>,
        new: bool,
    ) -> DomainResult<WeChatSession> {
        let account = self
            .store
            .account(account)
            .await?
            .ok_or_else(|| DomainError::not_found("account", account))?;
        if account.status == AccountStatus::Suspended {
            return Err(DomainError::Unauthenticated("this account is suspended"));
        }
        let now = self.now();
        let (token, token_hash) = credentials::new_token();
        let expires_at = now + self.policies.session_ttl;
        self.store
            .insert_session(account.id, &token_hash, now, expires_at)
            .await?;
        self.audit(
            AuditEntry::from_client(
                Some(account.id),
                AuditAction::SignIn,
                format!("account:{}", account.id),
                client,
            )
            .detail("wechat"),
        )
        .await;
        Ok(WeChatSession {
            session: NewSession { token, expires_at },
            account,
            new,
        })
    }

    /// Binds the WeChat user of `code` to the caller's account (a teacher or volunteer keeps
    /// their role and vetting). Binding the same user again changes nothing. A WeChat user
    /// the mini program already made a spare account for (no mailbox, no pledge: someone who
    /// opened the mini program before linking the account they registered on the web) moves
    /// to the caller's account, with their credits; the spare account's sessions end. A
    /// WeChat user of any other account stays where they are.
    pub async fn bind_wechat(&self, actor: &Actor, code: &str) -> DomainResult<WeChatStanding> {
        let user = self.wechat_user(code, actor.client).await?;
        let from = match self.store.wechat_account(&user.openid).await? {
            Some(bound) if bound == actor.account => return self.standing(bound, true).await,
            Some(bound) => Some(bound),
            None => None,
        };
        if let Some(spare) = from {
            let use_of = self.store.mailbox_and_pledges(spare).await?;
            let is_spare = use_of
                .as_ref()
                .is_some_and(|(email, pledges)| !rules::has_mailbox(email) && *pledges == 0);
            if !is_spare {
                return Err(WeChatRefusal::BoundElsewhere.into());
            }
        }
        if self.store.wechat_of(actor.account).await?.is_some() {
            return Err(WeChatRefusal::AccountHasWeChat.into());
        }
        let now = self.now();
        let bound = match from {
            Some(spare) => self
                .store
                .move_wechat(&user.openid, spare, actor.account, now)
                .await
                .map(|moved| {
                    if moved {
                        Ok(())
                    } else {
                        Err(WeChatRefusal::BoundElsewhere)
                    }
                }),
            None => self
                .store
                .bind_wechat(actor.account, &user, now)
                .await
                .map(Ok),
        };
        match bound {
            Ok(Ok(())) => {}
            Ok(Err(refusal)) => return Err(refusal.into()),
            Err(StoreError::Duplicate) => return Err(WeChatRefusal::BoundElsewhere.into()),
            Err(other) => return Err(other.into()),
        }
        if let Some(spare) = from {
            self.signed_in.forget(spare);
        }
        let entry = AuditEntry::by(
            actor,
            AuditAction::WeChatBound,
            format!("account:{}", actor.account),
        );
        self.audit(match from {
            Some(spare) => entry.detail(format!("from account:{spare}")),
            None => entry,
        })
        .await;
        self.standing(actor.account, true).await
    }

    /// Whether the caller's account has WeChat, and their credits for each kind that goes
    /// there.
    pub async fn wechat_standing(&self, actor: &Actor) -> DomainResult<WeChatStanding> {
        self.wechat_on()?;
        let bound = self.store.wechat_of(actor.account).await?.is_some();
        self.standing(actor.account, bound).await
    }

    /// An account's credits for each kind that goes to WeChat, whether it is `bound` being
    /// known already.
    async fn standing(&self, account: AccountId, bound: bool) -> DomainResult<WeChatStanding> {
        let wechat = self.wechat_on()?;
        let credits = self.store.wechat_credits(account).await?;
        let subscriptions = wechat
            .templates()
            .iter()
            .map(|(kind, template)| Subscription {
                kind: *kind,
                template_id: template.clone(),
                credits: credits
                    .get(template)
                    .map_or(0, |n| u32::try_from(*n).unwrap_or(0)),
            })
            .collect();
        Ok(WeChatStanding {
            bound,
            subscriptions,
        })
    }

    /// Records the templates the caller accepted in `wx.requestSubscribeMessage`: one credit
    /// each (a template named twice counts once), up to [`rules::MAX_CREDITS`].
    pub async fn accept_subscriptions(
        &self,
        actor: &Actor,
        template_ids: &[String],
    ) -> DomainResult<WeChatStanding> {
        let wechat = self.wechat_on()?;
        if template_ids.is_empty() || template_ids.len() > rules::MAX_TEMPLATES_PER_REQUEST {
            return Err(Invalid::new(
                "template_ids",
                format!(
                    "`template_ids` must name 1 to {} templates",
                    rules::MAX_TEMPLATES_PER_REQUEST
                ),
            )
            .into());
        }
        let mut accepted: Vec<String> = Vec::new();
        for id in template_ids {
            if !wechat.templates().values().any(|t| t == id) {
                return Err(Invalid::new(
                    "template_ids",
                    "`template_ids` may only name this service's templates (GET /me/wechat)",
                )
                .into());
            }
            if !accepted.contains(id) {
                accepted.push(id.clone());
            }
        }
        if self.store.wechat_of(actor.account).await?.is_none() {
            return Err(WeChatRefusal::NotBound.into());
        }
        self.store
            .add_wechat_credits(actor.account, &accepted, rules::MAX_CREDITS)
            .await?;
        self.standing(actor.account, true).await
    }

    /// The access token every server shares: the stored one while it has more than five
    /// minutes left, else a fresh one from WeChat, stored for the others. `force` asks WeChat
    /// for a new one even if the current one looks valid (after WeChat called it invalid),
    /// at most 20 times a day; past that an ordinary refresh is asked for.
    async fn access_token(
        &self,
        wechat: &WeChat,
        force: bool,
    ) -> DomainResult<Result<String, WeChatFailure>> {
        let now = self.now();
        let stored = self.store.wechat_token(wechat.appid()).await?;
        if let Some(token) = stored
            .as_ref()
            .filter(|t| !force && !rules::token_stale(t.expires_at, now))
        {
            return Ok(Ok(token.access_token.clone()));
        }
        let today = rules::token_day(now);
        let forced_today = stored
            .as_ref()
            .filter(|t| t.forced_day == today)
            .map_or(0, |t| t.forced_count);
        let force = force && forced_today < rules::FORCED_REFRESHES_PER_DAY;
        let fresh = match wechat.stable_token(force).await {
            Ok(fresh) => fresh,
            Err(failure) => return Ok(Err(failure)),
        };
        let token = StoredToken {
            access_token: fresh.access_token,
            expires_at: now + chrono::Duration::seconds(fresh.expires_in),
            forced_day: today,
            forced_count: forced_today + i32::from(force),
        };
        self.store.save_wechat_token(wechat.appid(), &token).await?;
        Ok(Ok(token.access_token))
    }

    /// Sends one subscribe message, refreshing the token once if WeChat calls it invalid
    /// (unless another server has already stored a newer one, which is used instead).
    pub(super) async fn send_by_wechat(
        &self,
        wechat: &WeChat,
        openid: &str,
        message: &SubscribeMessage,
    ) -> DomainResult<WeChatSend> {
        let token = match self.access_token(wechat, false).await? {
            Ok(token) => token,
            Err(failure) => return Ok(WeChatSend::Failed(failure.to_string())),
        };
        let first = wechat.send(&token, openid, message).await;
        let second = match first {
            Err(failure) if failure.meaning() == Meaning::InvalidToken => {
                let stored = self.store.wechat_token(wechat.appid()).await?;
                let newer = stored
                    .filter(|t| {
                        t.access_token != token && !rules::token_stale(t.expires_at, self.now())
                    })
                    .map(|t| t.access_token);
                let retry = match newer {
                    Some(newer) => Ok(newer),
                    None => self.access_token(wechat, true).await?,
                };
                match retry {
                    Ok(token) => wechat.send(&token, openid, message).await,
                    Err(failure) => Err(failure),
                }
            }
            other => other,
        };
        Ok(match second {
            Ok(()) => WeChatSend::Sent,
            Err(failure) if failure.meaning() == Meaning::NotSubscribed => {
                WeChatSend::NotSubscribed
            }
            Err(failure) => WeChatSend::Failed(failure.to_string()),
        })
    }
}
