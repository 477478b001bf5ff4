//! POSTs notices to the charity's registered receivers (see `app::webhooks`).

use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::{Job, Round};
use crate::app::webhooks::{resolve_outward, WebhookPoster};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;
use crate::domain::webhooks::{check_address, Destination, Target};

/// Posts over HTTP(S) with reqwest (rustls), only outward: every address a receiver's name
/// resolves to is checked before connecting (and the connection goes to the checked
/// address: the client's resolver is the check), an address written in the URL is checked
/// too, redirects are not followed, and no proxy from the environment is used. What is
/// recorded of a failure is its kind, never the receiver's answer.
#[derive(Debug, Clone)]
pub struct HttpPoster {
    client: reqwest::Client,
    allow_private: bool,
}

impl HttpPoster {
    /// A poster giving each receiver 10 seconds; `allow_private` lets it post to loopback
    /// and private addresses (tests, on-premise receivers).
    pub fn new(allow_private: bool) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .user_agent("bookbridge-webhooks")
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(OutwardOnly { allow_private }))
            .build()?;
        Ok(HttpPoster {
            client,
            allow_private,
        })
    }
}

/// The resolver behind [`HttpPoster`]: names resolve only to addresses it may post to.
#[derive(Debug)]
struct OutwardOnly {
    allow_private: bool,
}

impl Resolve for OutwardOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found = resolve_outward(name.as_str(), 0, allow_private)
                .await
                .map_err(|refused| Box::new(refused) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// What kind of failure an error was, as stored and shown (never the receiver's answer).
fn failure_kind(error: &reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Destination>() {
            return format!("destination refused: {refused}");
        }
        source = cause.source();
    }
    if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        "the connection failed".to_owned()
    }
}

impl WebhookPoster for HttpPoster {
    async fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: String,
    ) -> Result<(), String> {
        let target =
            Target::parse(url).map_err(|refused| format!("destination refused: {refused}"))?;
        if let Some(ip) = target.address() {
            check_address(ip, self.allow_private)
                .map_err(|refused| format!("destination refused: {refused}"))?;
        }
        let mut request = self
            .client
            .post(url)
            .header("Content-Type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let answer = request.send().await.map_err(|e| failure_kind(&e))?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else if status.is_redirection() {
            Err(format!(
                "answered HTTP {} (redirects are not followed)",
                status.as_u16()
            ))
        } else {
            Err(format!("answered HTTP {}", status.as_u16()))
        }
    }
}

/// Delivers notices to webhooks.
#[derive(Debug, Clone)]
pub struct SendWebhooks(pub HttpPoster);

impl SendWebhooks {
    /// With the poster for `allow_private`.
    pub fn new(allow_private: bool) -> anyhow::Result<Self> {
        Ok(SendWebhooks(HttpPoster::new(allow_private)?))
    }
}

impl Job for SendWebhooks {
    const NAME: &'static str = "webhooks";
    const FOLLOWS: &'static [Happened] = &[Happened::NoticesRecorded];

    fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        Ok(Some(SendWebhooks::new(config.webhooks_allow_private)?))
    }

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
