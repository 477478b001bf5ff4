//! Sends notices by email (see `app::notify`): each once, retried with back-off, kept on the
//! person's page when no mail server is set up (`smtp_url` empty, the default).

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;
use crate::mail::SmtpSender;

/// Delivers due notices.
#[derive(Debug, Clone)]
pub struct SendNotices {
    /// The mail server; `None`: notices are kept, not sent.
    pub sender: Option<SmtpSender>,
    /// The notice page's address, in every email.
    pub link: String,
}

impl Job for SendNotices {
    const NAME: &'static str = "notices";
    const FOLLOWS: &'static [Happened] = &[Happened::NoticesRecorded];

    fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        // No mail server, or one that cannot be used: notices stay on people's pages.
        let sender = match config.smtp_url.trim() {
            "" => None,
            url => match SmtpSender::new(url, &config.mail_from) {
                Ok(sender) => Some(sender),
                Err(err) => {
                    log::error!("email is off: {err}");
                    None
                }
            },
        };
        let link = format!("{}/notices", config.public_url.trim_end_matches('/'));
        Ok(Some(SendNotices { sender, link }))
    }

    fn gather(&self) -> Duration {
        // an email a fifth of a second later is no later for anyone.
        Duration::from_millis(200)
    }

    fn poll(&self) -> Duration {
        // Retries come due without anyone waking the job.
        Duration::from_secs(30)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        let round = app.send_notices(self.sender.as_ref(), &self.link).await?;
        if round.sent + round.failed > 0 {
            log::info!(
                "notices: {} sent ({} by WeChat), {} failed",
                round.sent,
                round.by_wechat,
                round.failed
            );
        }
        for (outcome, count) in [
            ("email", round.sent - round.by_wechat),
            ("wechat", round.by_wechat),
            ("kept", round.kept),
            ("failed", round.failed),
        ] {
            metrics::counter!("bookbridge_notices_total", "outcome" => outcome)
                .increment(count as u64);
        }
        Ok(if round.more { Round::More } else { Round::Idle })
    }
}
