//! Webhooks: admins register a charity's receivers; each notice is POSTed to each receiver
//! that wants it as signed JSON, retried with back-off until taken, never blocking a request.

use std::future::Future;

use super::Bookbridge;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::Invalid;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::model::Actor;
use crate::domain::notices::{after_failure, Delivery};
use crate::domain::webhooks::Webhook;
use crate::domain::webhooks::{
    check_address, signature, Destination, NewWebhook, Target, EVENT_HEADER, SIGNATURE_HEADER,
};

/// Notices handed out, and deliveries tried, per round.
const ROUND: u64 = 50;

/// Something that POSTs JSON; `Err` says why a receiver did not take it (not 2xx).
pub trait WebhookPoster: Send + Sync {
    /// POSTs `body` to `url` with `headers`.
    fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: String,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HookRound {
    /// Deliveries taken.
    pub sent: usize,
    /// Deliveries refused or unreachable (tried again later, or given up).
    pub failed: usize,
    /// Whether more may be waiting.
    pub more: bool,
}

impl Bookbridge {
    /// Registers a receiver (admins): only one that is, and resolves to, a public internet
    /// address (unless `webhooks_allow_private`).
    pub async fn register_webhook(
        &self,
        actor: &Actor,
        url: &str,
        secret: &str,
        events: Option<&[String]>,
    ) -> DomainResult<Webhook> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins register webhooks"));
        }
        let allow_private = self.policies.webhooks_allow_private;
        let hook = NewWebhook::new(url, secret, events, allow_private)?;
        let target = Target::parse(&hook.url).map_err(Invalid::from)?;
        if let Some(name) = target.name() {
            resolve_outward(name, target.port(), allow_private)
                .await
                .map_err(Invalid::from)?;
        }
        let made = self
            .store
            .insert_webhook(&hook, actor.account, self.now())
            .await?;
        self.audit(
            AuditEntry::by(
                actor,
                AuditAction::WebhookRegistered,
                format!("webhook:{}", made.id),
            )
            .detail(made.url.clone()),
        )
        .await;
        Ok(made)
    }

    /// Every registered receiver (admins), oldest first; never their secrets.
    pub async fn webhooks(&self, actor: &Actor) -> DomainResult<Vec<Webhook>> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins see webhooks"));
        }
        Ok(self.store.webhooks().await?)
    }

    /// Removes a receiver and its deliveries not yet made (admins).
    pub async fn remove_webhook(&self, actor: &Actor, id: i64) -> DomainResult<()> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins remove webhooks"));
        }
        let entry = AuditEntry::by(actor, AuditAction::WebhookRemoved, format!("webhook:{id}"));
        if self.store.delete_webhook(id, &entry, self.now()).await? {
            Ok(())
        } else {
            Err(DomainError::not_found("webhook", id))
        }
    }

    /// Hands new notices to the receivers that want them and tries the deliveries due.
    pub async fn send_webhooks<P: WebhookPoster>(&self, poster: &P) -> DomainResult<HookRound> {
        let now = self.now();
        let handed = self.store.fan_out(now, ROUND).await?;
        let due = self.store.deliveries_due(now, ROUND).await?;
        let mut round = HookRound {
            more: handed == ROUND || due.len() as u64 == ROUND,
            ..HookRound::default()
        };
        for delivery in due {
            let notice = &delivery.notice;
            let words = notice.words(delivery.language.is_chinese());
            let body = serde_json::json!({
                "id": delivery.id,
                "event": notice.kind.as_str(),
                "notice_id": notice.id,
                "account_id": notice.account_id,
                "pledge_id": notice.pledge_id,
                "language": delivery.language.as_str(),
                "subject": words.subject,
                "text": words.body,
                "created_at": notice.created_at,
            })
            .to_string();
            let headers = [
                (EVENT_HEADER, notice.kind.as_str().to_owned()),
                (
                    SIGNATURE_HEADER,
                    signature(&delivery.secret, self.now().timestamp(), &body),
                ),
            ];
            match poster.post(&delivery.url, &headers, body).await {
                Ok(()) => {
                    self.store
                        .delivery_tried(delivery.id, Delivery::Sent, (None, None), now)
                        .await?;
                    round.sent += 1;
                }
                Err(error) => {
                    let (outcome, retry_at) = after_failure(delivery.attempts + 1, now);
                    log::warn!("webhook delivery {} not taken: {error}", delivery.id);
                    self.store
                        .delivery_tried(delivery.id, outcome, (retry_at, Some(&error)), now)
                        .await?;
                    round.failed += 1;
                }
            }
        }
        Ok(round)
    }
}

/// Resolves a receiver's host name and checks every address it gives: one that is not on the
/// public internet refuses the whole name (unless `allow_private`), so a name cannot pass
/// registration with a public address and be posted to at a private one. The delivery job
/// connects to exactly the addresses this returns (its resolver calls this), never looking
/// the name up again.
pub async fn resolve_outward(
    name: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<std::net::SocketAddr>, Destination> {
    let found: Vec<std::net::SocketAddr> = tokio::net::lookup_host((name, port))
        .await
        .map_err(|_| Destination::Unresolved)?
        .map(|mut addr| {
            // An IPv4-mapped answer is the IPv4 address it carries.
            if let std::net::IpAddr::V6(v6) = addr.ip() {
                if let Some(v4) = v6.to_ipv4_mapped() {
                    addr.set_ip(v4.into());
                }
            }
            addr
        })
        .collect();
    if found.is_empty() {
        return Err(Destination::Unresolved);
    }
    for addr in &found {
        check_address(addr.ip(), allow_private)?;
    }
    Ok(found)
}
