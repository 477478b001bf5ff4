//! Webhooks: a charity's own systems receiving notices as signed JSON. A receiver checks
//! `X-Bookbridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
//! secret>` (and that `t` is recent) before trusting a delivery.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::Invalid;
use super::notices::NoticeKind;

/// The header naming the notice kind.
pub const EVENT_HEADER: &str = "X-Bookbridge-Event";
/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Bookbridge-Signature";

/// A receiver to register, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    /// Where deliveries are POSTed (http or https).
    pub url: String,
    /// Shared with the receiver; signs every delivery.
    pub secret: String,
    /// The kinds wanted; `None`: all.
    pub events: Option<Vec<NoticeKind>>,
}

impl NewWebhook {
    /// Checks a registration: an absolute http(s) URL, a secret of 16 to 200 characters,
    /// known event kinds.
    pub fn new(url: &str, secret: &str, events: Option<&[String]>) -> Result<Self, Invalid> {
        let url = url.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        let host_ok = url.split("://").nth(1).is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
        });
        if !scheme_ok || !host_ok || url.len() > 2_000 || url.chars().any(char::is_whitespace) {
            return Err(Invalid::new(
                "url",
                "`url` must be an absolute http:// or https:// address",
            ));
        }
        let length = secret.chars().count();
        if !(16..=200).contains(&length) {
            return Err(Invalid::new(
                "secret",
                "`secret` must be 16 to 200 characters",
            ));
        }
        let events = match events {
            None => None,
            Some(names) => Some(
                names
                    .iter()
                    .map(|name| {
                        NoticeKind::parse(name).ok_or_else(|| {
                            Invalid::new("events", format!("`{name}` is not a notice kind"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(NewWebhook {
            url: url.to_owned(),
            secret: secret.to_owned(),
            events,
        })
    }
}

/// A registered receiver, as answered (never with its secret).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Webhook {
    /// Its id.
    pub id: i64,
    /// Where deliveries go.
    pub url: String,
    /// Notice kinds it receives; none: all.
    pub events: Option<Vec<String>>,
    /// When it was registered.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The signature header's value for `body` sent at `unix_seconds`.
pub fn signature(secret: &str, unix_seconds: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{unix_seconds}.{body}").as_bytes());
    format!(
        "t={unix_seconds},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // The expected value was computed independently, with Python's hmac module:
        // hmac.new(b'whsec_0123456789abcdef', b'1700000000.{"a":1}', hashlib.sha256)
        let got = signature("whsec_0123456789abcdef", 1_700_000_000, r#"{"a":1}"#);
        assert_eq!(
            got,
            "t=1700000000,v1=9f5e37cdc7ea587c7c02062d93283cad000d66a831b2a1676418696db47ed6c2"
        );
        assert_ne!(
            got,
            signature("another secret!!", 1_700_000_000, r#"{"a":1}"#)
        );
        assert_ne!(
            got,
            signature("whsec_0123456789abcdef", 1_700_000_001, r#"{"a":1}"#)
        );
    }

    #[test]
    fn registrations_are_checked() {
        let ok = NewWebhook::new(
            " https://sms.example.org/hook ",
            "0123456789abcdef",
            Some(&["pledge_shipped".to_owned()]),
        )
        .unwrap();
        assert_eq!(ok.url, "https://sms.example.org/hook");
        assert_eq!(ok.events, Some(vec![NoticeKind::PledgeShipped]));
        for (url, secret, field) in [
            ("ftp://x.org", "0123456789abcdef", "url"),
            ("https://", "0123456789abcdef", "url"),
            ("https://x.org/a b", "0123456789abcdef", "url"),
            ("https://x.org", "short", "secret"),
        ] {
            assert_eq!(NewWebhook::new(url, secret, None).unwrap_err().field, field);
        }
        let bad = NewWebhook::new("https://x.org", "0123456789abcdef", Some(&["nope".into()]));
        assert_eq!(bad.unwrap_err().field, "events");
    }
}
