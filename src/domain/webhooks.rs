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
    /// Checks a registration: an absolute http(s) URL without credentials whose host, when it
    /// is an address, is a public one (unless `allow_private`); a secret of 16 to 200
    /// characters; known event kinds. A host name is resolved and checked by the use case.
    pub fn new(
        url: &str,
        secret: &str,
        events: Option<&[String]>,
        allow_private: bool,
    ) -> Result<Self, Invalid> {
        let url = url.trim();
        if url.len() > 2_000 || url.chars().any(char::is_whitespace) {
            return Err(Destination::NotHttp.into());
        }
        let target = Target::parse(url)?;
        if let Some(ip) = target.address() {
            check_address(ip, allow_private)?;
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

/// Why a receiver's address is refused: the service posts only outward, to the public
/// internet, so a webhook can never be used to reach the machine itself or its network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Destination {
    /// Not an absolute http:// or https:// URL.
    #[error("`url` must be an absolute http:// or https:// address")]
    NotHttp,
    /// A user name or password in the URL.
    #[error("`url` must not carry a user name or password")]
    Credentials,
    /// The host is (or resolves to) an address that is not on the public internet.
    #[error("`url` must reach a public internet address; {0} addresses are refused")]
    NotPublic(AddressKind),
    /// The host name does not resolve.
    #[error("`url`'s host name does not resolve to any address")]
    Unresolved,
}

impl From<Destination> for Invalid {
    fn from(refused: Destination) -> Self {
        Invalid::new("url", refused.to_string())
    }
}

/// A receiver's URL, parsed as a browser would (so `0177.0.0.1` and `2130706433` are the
/// loopback address they spell).
#[derive(Debug, Clone)]
pub struct Target(url::Url);

impl Target {
    /// Parses and checks the scheme and credentials.
    pub fn parse(raw: &str) -> Result<Self, Destination> {
        let url = url::Url::parse(raw).map_err(|_| Destination::NotHttp)?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(Destination::NotHttp);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Destination::Credentials);
        }
        Ok(Target(url))
    }

    /// The host when it is an address (an IPv4-mapped IPv6 address as the IPv4 one).
    pub fn address(&self) -> Option<std::net::IpAddr> {
        match self.0.host()? {
            url::Host::Ipv4(v4) => Some(v4.into()),
            url::Host::Ipv6(v6) => Some(
                v6.to_ipv4_mapped()
                    .map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4),
            ),
            url::Host::Domain(_) => None,
        }
    }

    /// The host name, when it is a name.
    pub fn name(&self) -> Option<&str> {
        match self.0.host()? {
            url::Host::Domain(name) => Some(name),
            _ => None,
        }
    }

    /// The port, the scheme's default when none is written.
    pub fn port(&self) -> u16 {
        self.0.port_or_known_default().unwrap_or(80)
    }
}

/// What kind of address a refused one is, named in the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16.
    Private,
    /// 169.254/16, fe80::/10.
    LinkLocal,
    /// fc00::/7.
    UniqueLocal,
    /// 100.64/10, carrier-grade NAT.
    SharedCgnat,
    /// 224/4, ff00::/8.
    Multicast,
    /// 0.0.0.0/8, ::.
    Unspecified,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32.
    Documentation,
    /// Anything else not routed on the internet: 192.0.0/24, benchmarking 198.18/15,
    /// 240/4 and broadcast, 6to4 relays, NAT64 and other IPv6 special ranges.
    Reserved,
}

impl std::fmt::Display for AddressKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AddressKind::Loopback => "loopback",
            AddressKind::Private => "private",
            AddressKind::LinkLocal => "link-local",
            AddressKind::UniqueLocal => "unique-local",
            AddressKind::SharedCgnat => "shared (CGNAT)",
            AddressKind::Multicast => "multicast",
            AddressKind::Unspecified => "unspecified",
            AddressKind::Documentation => "documentation",
            AddressKind::Reserved => "reserved",
        })
    }
}

/// What kind of non-public address `ip` is; `None` for a public one.
pub fn special_kind(ip: std::net::IpAddr) -> Option<AddressKind> {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Some(match (a, b, c) {
                (0, ..) => AddressKind::Unspecified,
                (127, ..) => AddressKind::Loopback,
                (10, ..) | (192, 168, _) => AddressKind::Private,
                (172, b, _) if (16..32).contains(&b) => AddressKind::Private,
                (169, 254, _) => AddressKind::LinkLocal,
                (100, b, _) if (64..128).contains(&b) => AddressKind::SharedCgnat,
                (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressKind::Documentation,
                (224..=239, ..) => AddressKind::Multicast,
                (192, 0, 0) | (192, 88, 99) => AddressKind::Reserved,
                (198, 18 | 19, _) => AddressKind::Reserved,
                (240..=255, ..) => AddressKind::Reserved,
                _ => return None,
            })
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return special_kind(IpAddr::V4(v4));
            }
            let segments = v6.segments();
            Some(match segments {
                [0, 0, 0, 0, 0, 0, 0, 0] => AddressKind::Unspecified,
                [0, 0, 0, 0, 0, 0, 0, 1] => AddressKind::Loopback,
                [s, ..] if s & 0xffc0 == 0xfe80 => AddressKind::LinkLocal,
                [s, ..] if s & 0xfe00 == 0xfc00 => AddressKind::UniqueLocal,
                [s, ..] if s & 0xff00 == 0xff00 => AddressKind::Multicast,
                [0x2001, 0x0db8, ..] => AddressKind::Documentation,
                // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and 64:ff9b:1::/48),
                // 6to4 (2002::/16, which embeds an IPv4 address), Teredo and other
                // 2001::/23 assignments, discard-only (100::/64), site-local (fec0::/10).
                [0, 0, 0, 0, 0, 0, ..]
                | [0x64, 0xff9b, ..]
                | [0x2002, ..]
                | [0x0100, 0, 0, 0, ..] => AddressKind::Reserved,
                [0x2001, s, ..] if s < 0x0200 => AddressKind::Reserved,
                [s, ..] if s & 0xffc0 == 0xfec0 => AddressKind::Reserved,
                _ => return None,
            })
        }
    }
}

/// Whether the service may post to `ip`.
pub fn check_address(ip: std::net::IpAddr, allow_private: bool) -> Result<(), Destination> {
    match special_kind(ip) {
        Some(kind) if !allow_private => Err(Destination::NotPublic(kind)),
        _ => Ok(()),
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
            false,
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
            assert_eq!(
                NewWebhook::new(url, secret, None, false).unwrap_err().field,
                field
            );
        }
        let bad = NewWebhook::new(
            "https://x.org",
            "0123456789abcdef",
            Some(&["nope".into()]),
            false,
        );
        assert_eq!(bad.unwrap_err().field, "events");
    }

    #[test]
    fn every_inward_form_of_an_address_is_refused() {
        for (url, kind) in [
            ("http://127.0.0.1:5432/", "loopback"),
            ("http://0177.0.0.1/", "loopback"),
            ("http://2130706433/", "loopback"),
            ("http://0x7f.1/", "loopback"),
            ("http://[::1]/", "loopback"),
            ("http://[::ffff:127.0.0.1]/", "loopback"),
            ("http://[::ffff:7f00:1]/", "loopback"),
            ("http://10.1.2.3/", "private"),
            ("http://172.20.0.1/", "private"),
            ("http://192.168.1.1/", "private"),
            ("http://169.254.169.254/latest/meta-data", "link-local"),
            ("http://[fe80::1]/", "link-local"),
            ("http://[fd12:3456::1]/", "unique-local"),
            ("http://100.64.0.1/", "CGNAT"),
            ("http://224.0.0.1/", "multicast"),
            ("http://0.0.0.0/", "unspecified"),
            ("http://[::]/", "unspecified"),
            ("http://192.0.2.10/", "documentation"),
            ("http://[2001:db8::1]/", "documentation"),
            ("http://255.255.255.255/", "reserved"),
            ("http://[64:ff9b::7f00:1]/", "reserved"),
            ("http://[2002:7f00:1::]/", "reserved"),
        ] {
            let err = NewWebhook::new(url, "0123456789abcdef", None, false).unwrap_err();
            assert_eq!(err.field, "url", "{url}");
            assert!(err.message.contains(kind), "{url}: {}", err.message);
            // The setting for tests and on-premise receivers lets them through.
            assert!(
                NewWebhook::new(url, "0123456789abcdef", None, true).is_ok(),
                "{url}"
            );
        }
        for url in [
            "https://user:pw@hooks.example.org/",
            "https://user@hooks.example.org/",
        ] {
            let err = NewWebhook::new(url, "0123456789abcdef", None, true).unwrap_err();
            assert!(err.message.contains("user name"), "{url}");
        }
        for url in [
            "file:///etc/passwd",
            "gopher://x.org/",
            "javascript:alert(1)",
        ] {
            assert!(
                NewWebhook::new(url, "0123456789abcdef", None, true).is_err(),
                "{url}"
            );
        }
        // Public addresses pass.
        for url in [
            "http://93.184.215.14/",
            "https://[2606:4700::1111]/",
            "https://8.8.8.8:8443/x",
        ] {
            assert!(
                NewWebhook::new(url, "0123456789abcdef", None, false).is_ok(),
                "{url}"
            );
        }
    }
}
