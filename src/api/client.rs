//! Who the client is, by address: the peer that connected, unless that peer is one of the
//! `trusted_proxies`; only then is the client read from `X-Forwarded-For` (the right-most
//! address that is not itself a trusted proxy) or `X-Real-IP`. Anyone else may send those
//! headers, so from anyone else they are ignored. Rocket's own `ip_header` is turned off
//! (see `crate::rocket_from`), so nothing else reads them. The per-address limits, the audit
//! log and sessions all take the address from here.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use rocket::http::HeaderMap;
use rocket::Request;

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From the `trusted_proxies` setting (see [`networks`]).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        networks(entries, "trusted_proxies").map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`, given the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap<'_>) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let forwarded: Vec<&str> = headers
            .get("X-Forwarded-For")
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        if !forwarded.is_empty() {
            // Right to left: each hop appends the address it saw. The first one that is not
            // a proxy of ours is the client; what lies left of it, anyone could have written.
            for hop in forwarded.iter().rev() {
                match parse_hop(hop) {
                    Some(ip) if self.trusts(ip) => continue,
                    Some(ip) => return ip,
                    None => break,
                }
            }
            // Every hop is ours (or the nearest foreign one is unreadable): the left-most
            // readable one is as far as can be seen.
            if let Some(ip) = forwarded.iter().find_map(|hop| parse_hop(hop)) {
                if self.trusts(ip) {
                    return ip;
                }
            }
        }
        headers
            .get_one("X-Real-IP")
            .and_then(parse_hop)
            .unwrap_or(peer)
    }
}

/// A setting's list of addresses (`10.0.0.5`, `::1`) or CIDR ranges (`10.0.0.0/8`); an
/// entry that is neither is an error naming `setting`, so a typo cannot silently trust
/// nobody (or everybody).
pub fn networks(entries: &[String], setting: &str) -> Result<Vec<IpNet>, String> {
    entries
        .iter()
        .map(|entry| {
            let entry = entry.trim();
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{entry}` in {setting} is not an address or a CIDR range"))
        })
        .collect()
}

/// An address as a hop writes it: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:80`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// An IPv4 address as itself even when it arrives IPv4-mapped (`::ffff:1.2.3.4`), so one
/// client has one key in the limits.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address for this request (see the module's comment); `None` when the
/// connection has no peer address (a local test client).
pub fn client_address(request: &Request<'_>) -> Option<IpAddr> {
    let peer = request.remote()?.ip();
    Some(match request.rocket().state::<TrustedProxies>() {
        Some(trusted) => trusted.client(peer, request.headers()),
        None => canonical(peer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rocket::http::Header;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap<'static> {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.add(Header::new(*name, *value));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_from_anyone_else_are_ignored() {
        let none = TrustedProxies::default();
        let sent = headers(&[("X-Forwarded-For", "1.2.3.4"), ("X-Real-IP", "5.6.7.8")]);
        assert_eq!(none.client(ip("203.0.113.9"), &sent), ip("203.0.113.9"));
        let proxy = TrustedProxies::parse(&["10.0.0.0/8".into()]).unwrap();
        assert_eq!(proxy.client(ip("203.0.113.9"), &sent), ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_foreign_hop_is_the_client() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into(), "127.0.0.1".into()]).unwrap();
        // The client forged a first hop; our two proxies appended what they saw.
        let sent = headers(&[("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.1.1.1")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &sent), ip("198.51.100.7"));
        // Several header lines count as one list.
        let split = headers(&[
            ("X-Forwarded-For", "6.6.6.6"),
            ("X-Forwarded-For", "198.51.100.7:4433"),
        ]);
        assert_eq!(proxies.client(ip("10.0.0.2"), &split), ip("198.51.100.7"));
        // X-Real-IP when there is no X-Forwarded-For; the peer when neither is there.
        let real = headers(&[("X-Real-IP", "198.51.100.8")]);
        assert_eq!(proxies.client(ip("10.0.0.2"), &real), ip("198.51.100.8"));
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &headers(&[])),
            ip("10.0.0.2")
        );
        // An IPv4-mapped peer is the same proxy.
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &real),
            ip("198.51.100.8")
        );
    }

    #[test]
    fn a_setting_that_is_not_an_address_is_refused() {
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(TrustedProxies::parse(&["proxy.local".into()]).is_err());
        assert!(TrustedProxies::parse(&["::1".into(), "fd00::/8".into()]).is_ok());
    }
}
