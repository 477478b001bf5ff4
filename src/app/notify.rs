//! Sending notices by email: each one once, in the reader's language, with retries and
//! back-off; kept on the person's page without sending when no mail server is set up or
//! they turned email off. How a message travels (SMTP) is the sender's business.

use std::future::Future;

use super::Bookbridge;
use crate::domain::error::DomainResult;
use crate::domain::notices::{after_failure, Delivery, Words};

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
    /// Emails sent.
    pub sent: usize,
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
            let Some(sender) = sender.filter(|_| outgoing.email_notices) else {
                kept.push(id);
                continue;
            };
            let words = outgoing.notice.words(outgoing.language.is_chinese());
            match sender.send(&outgoing.email, &words, link).await {
                Ok(()) => {
                    self.store
                        .notice_tried(id, Delivery::Sent, (None, None), now)
                        .await?;
                    round.sent += 1;
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
}
