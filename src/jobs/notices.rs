//! Sends notices by email (see `app::notify`): each once, retried with back-off, kept on the
//! person's page when no mail server is set up (`smtp_url` empty, the default).

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Wake};
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
    const WAKE: Wake = Wake::Notices;

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
            log::info!("notices: {} sent, {} failed", round.sent, round.failed);
        }
        Ok(if round.more { Round::More } else { Round::Idle })
    }
}
