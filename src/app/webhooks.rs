//! Webhooks: admins register a charity's receivers; each notice is POSTed to each receiver
//! that wants it as signed JSON, retried with back-off until taken, never blocking a request.

use std::future::Future;

use super::Bookbridge;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::model::Actor;
use crate::domain::notices::{after_failure, Delivery};
use crate::domain::webhooks::Webhook;
use crate::domain::webhooks::{signature, NewWebhook, EVENT_HEADER, SIGNATURE_HEADER};

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
    /// Registers a receiver (admins).
    pub async fn register_webhook(&self, actor: &Actor, hook: NewWebhook) -> DomainResult<Webhook> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins register webhooks"));
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
