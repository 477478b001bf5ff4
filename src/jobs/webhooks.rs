//! POSTs notices to the charity's registered receivers (see `app::webhooks`).

use std::time::Duration;

use super::{Job, Round};
use crate::app::webhooks::WebhookPoster;
use crate::app::{Bookbridge, Wake};

/// Posts over HTTP(S) with reqwest (rustls).
#[derive(Debug, Clone)]
pub struct HttpPoster(pub reqwest::Client);

impl WebhookPoster for HttpPoster {
    async fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: String,
    ) -> Result<(), String> {
        let mut request = self
            .0
            .post(url)
            .header("Content-Type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let answer = request.send().await.map_err(|e| e.to_string())?;
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered {}", answer.status()))
        }
    }
}

/// Delivers notices to webhooks.
#[derive(Debug, Clone)]
pub struct SendWebhooks(pub HttpPoster);

impl SendWebhooks {
    /// With a client that gives a receiver 10 seconds.
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .user_agent("bookbridge-webhooks")
            .build()?;
        Ok(SendWebhooks(HttpPoster(client)))
    }
}

impl Job for SendWebhooks {
    const NAME: &'static str = "webhooks";
    const WAKE: Wake = Wake::Webhooks;

    fn gather(&self) -> Duration {
        // as for emails.
        Duration::from_millis(200)
    }

    fn poll(&self) -> Duration {
        Duration::from_secs(30)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        let round = app.send_webhooks(&self.0).await?;
        if round.sent + round.failed > 0 {
            log::info!("webhooks: {} taken, {} not", round.sent, round.failed);
        }
        Ok(if round.more { Round::More } else { Round::Idle })
    }
}
