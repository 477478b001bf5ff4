//! Email over SMTP (lettre, rustls): the notices' sender. `smtp_url` says where:
//! `smtp://host:25` (plain, for a relay on the same network), `smtp://host:587?tls=required`
//! (STARTTLS) or `smtps://user:password@host:465`.

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maud::html;

use crate::app::notify::NoticeSender;
use crate::domain::notices::Words;

/// Sends notices through one SMTP server.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("from", &self.from)
            .finish()
    }
}

impl SmtpSender {
    /// A sender for `smtp_url`, writing as `mail_from` (`Name <address>`).
    pub fn new(smtp_url: &str, mail_from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("smtp_url: {e}"))?
            .build();
        let from = mail_from
            .parse::<Mailbox>()
            .map_err(|e| format!("mail_from: {e}"))?;
        Ok(SmtpSender { transport, from })
    }
}

impl NoticeSender for SmtpSender {
    async fn send(&self, to: &str, words: &Words, link: &str) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|e| format!("address: {e}"))?;
        let text = format!("{}\n\n{link}\n", words.body);
        let page = html! {
            p { (words.body) }
            p { a href=(link) { (link) } }
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(words.subject.clone())
            .multipart(MultiPart::alternative_plain_html(text, page.into_string()))
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
}
