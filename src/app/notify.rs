//! Sending notices: each one once, in the reader's language, with retries and back-off. A
//! notice whose kind has a WeChat template goes as a subscribe message while the person has
//! a credit for it; otherwise by email, or it is kept on the person's page without sending
//! when no mail server is set up, they turned email off, or they have no mailbox (a WeChat
//! account). How a message travels (SMTP, WeChat's API) is the senders' business.

use std::future::Future;

use super::wechat::WeChatSend;
use super::Bookbridge;
use crate::domain::error::DomainResult;
use crate::domain::notices::{after_failure, Outgoing, SentVia, Words};
use crate::domain::wechat::{has_mailbox, subscribe_message};

/// Notices sent per round; a full round asks for another at once.
const ROUND: u64 = 50;

/// Something that delivers an email.
pub trait NoticeSender: Send + Sync {
    /// Sends `words` to `to`, with `link` to the person's notice page. `Err` says why not.
    fn send(
        &self,
        to: &str,
        words: &Words,
        link: &str,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

/// What one round of sending did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendRound {
    /// Notices sent (by email or WeChat).
    pub sent: usize,
    /// Of those, sent as WeChat subscribe messages.
    pub by_wechat: usize,
    /// Notices kept on the page without email.
    pub kept: usize,
    /// Failed tries (to be tried again, or given up).
    pub failed: usize,
    /// Whether more may be waiting.
    pub more: bool,
}

impl Bookbridge {
    /// Sends the notices that are due, through `sender` (none: keep them on the page).
    /// `link` is the notice page's address, put in every email.
    pub async fn send_notices<S: NoticeSender>(
        &self,
        sender: Option<&S>,
        link: &str,
    ) -> DomainResult<SendRound> {
        let now = self.now();
        let due = self.store.notices_to_send(now, ROUND).await?;
        let mut round = SendRound {
            more: due.len() as u64 == ROUND,
            ..SendRound::default()
        };
        let mut kept = Vec::new();
        for outgoing in due {
            let id = outgoing.notice.id;
            let tried = match self.send_to_wechat(&outgoing).await? {
                Some(WeChatSend::Sent) => Ok(SentVia::WeChat),
                Some(WeChatSend::Failed(error)) => Err(error),
                // No template, no binding, no credit, or WeChat says not subscribed: as before.
                None | Some(WeChatSend::NotSubscribed) => {
                    let Some(sender) =
                        sender.filter(|_| outgoing.email_notices && has_mailbox(&outgoing.email))
                    else {
                        kept.push(id);
                        continue;
                    };
                    let words = outgoing.notice.words(outgoing.language.is_chinese());
                    sender
                        .send(&outgoing.email, &words, link)
                        .await
                        .map(|()| SentVia::Email)
                }
            };
            match tried {
                Ok(via) => {
                    self.store.notice_sent(id, via, now).await?;
                    round.sent += 1;
                    round.by_wechat += usize::from(via == SentVia::WeChat);
                }
                Err(error) => {
                    let attempts = outgoing.attempts + 1;
                    let (outcome, retry_at) = after_failure(attempts, now);
                    log::warn!("notice {id} not sent (try {attempts}): {error}");
                    self.store
                        .notice_tried(id, outcome, (retry_at, Some(&error)), now)
                        .await?;
                    round.failed += 1;
                }
            }
        }
        self.store.notices_kept(&kept).await?;
        round.kept = kept.len();
        Ok(round)
    }

    /// Sends a notice as a WeChat subscribe message when its kind has a template and the
    /// person has WeChat and a credit for it (taken first, so two servers never spend one
    /// credit twice; given back when the message did not go). `None`: not for WeChat.
    async fn send_to_wechat(&self, outgoing: &Outgoing) -> DomainResult<Option<WeChatSend>> {
        let (Some(wechat), Some(openid)) = (self.wechat(), outgoing.openid.as_deref()) else {
            return Ok(None);
        };
        let Some(template) = wechat.template_for(outgoing.notice.kind) else {
            return Ok(None);
        };
        let account = outgoing.notice.account_id;
        if !self.store.take_wechat_credit(account, template).await? {
            return Ok(None);
        }
        let message = subscribe_message(&outgoing.notice, outgoing.language.is_chinese(), template);
        let sent = self.send_by_wechat(wechat, openid, &message).await?;
        if sent != WeChatSend::Sent {
            self.store.return_wechat_credit(account, template).await?;
        }
        Ok(Some(sent))
    }
}
