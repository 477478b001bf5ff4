//! The typed configuration, read from `Rocket.toml` and `ROCKET_*` variables. Every default
//! is written once, in [`Config::default`]; the keys stay flat (`metadata_timeout_seconds`,
//! not a `[metadata]` table) because deployments set them as `ROCKET_METADATA_*` variables.

use std::time::Duration;

use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};
use serde::Deserialize;

use crate::app::Policies;
use crate::domain::notices::NoticeKind;
use crate::metadata::ClientSettings;
use crate::wechat::WeChatSettings;

/// The request body limits this service is built for: JSON requests, a catalogue import (the
/// file is the body), web forms, and a web upload (a photo or a book list in a form).
const BODY_LIMITS: [(&str, u64); 4] = [
    ("json", 64 << 10),
    ("file", 64 << 20),
    ("form", 64 << 10),
    ("data-form", 8 << 20),
];

/// Where the settings come from, later ones winning: Rocket's defaults, this service's body
/// limits ([`BODY_LIMITS`]: Rocket's own would cap a teacher's photo at 1 MiB on a server
/// with no `Rocket.toml` beside it, as `deploy/` runs it), then `Rocket.toml` (or the file
/// `ROCKET_CONFIG` names), then `ROCKET_*` variables. Profiles as Rocket selects them.
pub fn figment() -> Figment {
    figment_from(&Env::var_or("ROCKET_CONFIG", "Rocket.toml"))
}

/// [`figment`] with the settings file at `file`.
fn figment_from(file: &str) -> Figment {
    let limits: std::collections::BTreeMap<&str, u64> = BODY_LIMITS.into_iter().collect();
    Figment::from(rocket::Config::default())
        .merge(Serialized::default("limits", limits))
        .merge(Toml::file(file).nested())
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .select(Profile::from_env_or(
            "ROCKET_PROFILE",
            rocket::Config::DEFAULT_PROFILE,
        ))
}

/// bookbridge's own settings (Rocket's own — address, port, limits — sit beside them).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://…?mode=rwc` or `postgres://…`.
    pub database_url: String,
    /// How long a login token lasts, in seconds.
    pub session_ttl_seconds: u32,
    /// How long a server keeps who a token belongs to without reading it again, in seconds
    /// (5 by default; 0: read on every request). A sign-out or suspension takes effect at
    /// once on the server that handled it and within this time on the others.
    pub signed_in_seconds: u32,
    /// Load the demo schools and books on first start.
    pub seed_demo: bool,
    /// Folder of the search index (never in git; rebuilt from the database when missing).
    pub index_dir: String,
    /// Open Library (or a mirror); metadata for unknown ISBNs is fetched from here.
    pub openlibrary_url: String,
    /// Fetch metadata in the background at all.
    pub metadata_enabled: bool,
    /// Seconds allowed for one Open Library request, body included.
    pub metadata_timeout_seconds: u64,
    /// Requests per minute to Open Library.
    pub metadata_per_minute: u32,
    /// Requests to Open Library in flight at once.
    pub metadata_max_concurrent: usize,
    /// Largest Open Library answer read, in bytes.
    pub metadata_max_body_bytes: usize,
    /// Tries per lookup before the book is marked failed and retried later.
    pub metadata_max_attempts: u32,
    /// First retry backoff in milliseconds (doubles, with jitter).
    pub metadata_backoff_ms: u64,
    /// Hours before an ISBN Open Library did not know is asked about again.
    pub metadata_not_found_retry_hours: u32,
    /// Failed sign-ins after which an account waits (0: never).
    pub login_lock_after_failures: u32,
    /// Minutes the first lock lasts; each further failure doubles it, up to a day.
    pub login_lock_minutes: u32,
    /// Failed sign-ins one client address may make per minute (0: no limit).
    pub login_failures_per_minute_per_address: u32,
    /// Registrations one client address may make per hour (0: no limit).
    pub registrations_per_hour_per_address: u32,
    /// Password hashes computed at once (0: one per core).
    pub password_hashing_slots: usize,
    /// Where cover images may come from when a volunteer edits a book (a URL prefix).
    pub cover_source: String,
    /// Where people reach the site (`https://…` in production): every absolute link and QR
    /// code is built from it, and over https cookies are `Secure` and HSTS is sent.
    pub public_url: String,
    /// Days a donor has to post a pledge's books before it expires.
    pub pledge_ship_days: u32,
    /// Days one extension adds (a donor may extend once).
    pub pledge_extend_days: u32,
    /// Days before the date to post by on which the donor is reminded.
    pub pledge_reminder_days: Vec<u32>,
    /// Days after shipping when a school that has not confirmed the parcel is reminded
    /// (a parcel is never marked delivered for it).
    pub delivery_confirm_days: u32,
    /// Days handled notices (sent, or kept on the page) are kept before housekeeping
    /// removes them.
    pub notification_keep_days: u32,
    /// This server's name among those sharing the database (its index's progress is
    /// recorded under it); empty: a name kept in the index folder, made on first start.
    pub index_instance: String,
    /// The mail server notices are sent through (`smtp://host:25`, `smtp://host:587?tls=required`,
    /// `smtps://user:password@host:465`); empty: notices are kept on people's pages, not sent.
    pub smtp_url: String,
    /// Who emails come from.
    pub mail_from: String,
    /// Retired: the folder an older version kept the photos of wish and thanks cards in.
    /// Photos now live in the database; any found here are moved in at start.
    pub photo_dir: String,
    /// Days a delivered wish keeps the child's details (name, sentence, photos, thanks);
    /// 0: until the end of the school year it was delivered in (31 July, China time).
    pub child_details_keep_days: u32,
    /// Write pledges and wish claims in batches, one transaction for all that wait (group
    /// commit; on by default). Off: one transaction per pledge, to compare.
    pub pledge_group_commit: bool,
    /// Answer searches without words (the home page's list by need, a filter alone) from
    /// the answer read at the index's current commit: one search per commit, however many
    /// visitors ask meanwhile (on by default). Off: every request searches, to compare.
    pub wordless_search_cache: bool,
    /// Keep the public pages (the home page without words, a school's shared and class pages,
    /// the directory) as rendered for visitors not signed in, each with the version of what
    /// it shows, so a rush costs one render per change (on by default). Off: every visit
    /// renders, to compare.
    pub public_page_cache: bool,
    /// Reverse proxies whose `X-Forwarded-For` / `X-Real-IP` name the client (addresses or
    /// CIDR ranges, e.g. `["127.0.0.1", "10.0.0.0/8"]`); empty: the peer is the client,
    /// whatever those headers say.
    pub trusted_proxies: Vec<String>,
    /// Webhook receivers may be at loopback or private addresses (tests, on-premise
    /// receivers); off: only public internet addresses are posted to.
    pub webhooks_allow_private: bool,
    /// Who may read `GET /metrics` without a token: addresses or CIDR ranges (the client as
    /// `trusted_proxies` decides it). Default: loopback.
    pub metrics_from: Vec<String>,
    /// A bearer token that also lets a caller read `/metrics` (empty: none).
    pub metrics_token: String,
    /// The WeChat mini program's appid; with `wechat_secret`, turns WeChat sign-in and
    /// subscribe messages on (either empty: WeChat is off and its endpoints answer 404).
    pub wechat_appid: String,
    /// The mini program's secret (kept on the server; never shown).
    pub wechat_secret: String,
    /// WeChat's server API (tests point it at a stand-in on loopback).
    pub wechat_api_url: String,
    /// The subscribe-message template each notice kind goes out with, e.g.
    /// `{pledge_shipped="…", pledge_delivered="…"}`; kinds not named go as before.
    pub wechat_templates: std::collections::BTreeMap<String, String>,
    /// Which version of the mini program a message opens: `formal`, `trial` or `developer`.
    pub wechat_miniprogram_state: String,
    /// Folder holding the demo data files, relative to the working directory (the
    /// repository's `seed/` when run with `cargo run`).
    pub seed_dir: String,
}

impl Default for Config {
    fn default() -> Self {
        let client = ClientSettings::default();
        let policies = Policies::default();
        Config {
            database_url: "sqlite://data/bookbridge.db?mode=rwc".to_owned(),
            session_ttl_seconds: u32::try_from(policies.session_ttl.num_seconds())
                .unwrap_or(u32::MAX),
            seed_demo: true,
            index_dir: "data/index".to_owned(),
            metadata_enabled: true,
            metadata_timeout_seconds: client.timeout.as_secs(),
            metadata_per_minute: client.per_minute,
            metadata_max_concurrent: client.max_concurrent,
            metadata_max_body_bytes: client.max_body_bytes,
            metadata_max_attempts: client.max_attempts,
            metadata_backoff_ms: u64::try_from(client.backoff.as_millis()).unwrap_or(u64::MAX),
            openlibrary_url: client.base_url,
            metadata_not_found_retry_hours: 24 * 7,
            seed_dir: "seed".to_owned(),
            wechat_appid: String::new(),
            wechat_secret: String::new(),
            wechat_api_url: "https://api.weixin.qq.com".to_owned(),
            wechat_templates: std::collections::BTreeMap::new(),
            wechat_miniprogram_state: "formal".to_owned(),
            trusted_proxies: Vec::new(),
            metrics_from: vec!["127.0.0.0/8".to_owned(), "::1/128".to_owned()],
            metrics_token: String::new(),
            webhooks_allow_private: false,
            photo_dir: "data/photos".to_owned(),
            child_details_keep_days: 0,
            pledge_group_commit: true,
            wordless_search_cache: true,
            public_page_cache: true,
            signed_in_seconds: policies.signed_in_seconds,
            public_url: "http://127.0.0.1:8000".to_owned(),
            login_lock_after_failures: policies.lock_after_failures,
            login_lock_minutes: u32::try_from(policies.first_lock.num_minutes()).unwrap_or(1),
            login_failures_per_minute_per_address: policies.address_failures_per_minute,
            registrations_per_hour_per_address: policies.registrations_per_hour,
            password_hashing_slots: 0,
            cover_source: policies.cover_source,
            smtp_url: String::new(),
            notification_keep_days: u32::try_from(policies.notification_keep.num_days())
                .unwrap_or(90),
            index_instance: String::new(),
            mail_from: "bookbridge <noreply@bookbridge.invalid>".to_owned(),
            pledge_ship_days: policies.ship.ship_days,
            pledge_extend_days: policies.ship.extend_days,
            delivery_confirm_days: policies.ship.confirm_days,
            pledge_reminder_days: policies.ship.reminder_days,
        }
    }
}

impl Config {
    /// The Open Library client's settings.
    pub fn openlibrary(&self) -> ClientSettings {
        ClientSettings {
            base_url: self.openlibrary_url.clone(),
            timeout: Duration::from_secs(self.metadata_timeout_seconds.max(1)),
            max_concurrent: self.metadata_max_concurrent.max(1),
            per_minute: self.metadata_per_minute.max(1),
            max_body_bytes: self.metadata_max_body_bytes,
            max_attempts: self.metadata_max_attempts.max(1),
            backoff: Duration::from_millis(self.metadata_backoff_ms),
            ..ClientSettings::default()
        }
    }

    /// WeChat's settings, or `None` when WeChat is off (no appid or no secret). `Err` names
    /// a notice kind in `wechat_templates` that does not exist.
    pub fn wechat(&self) -> Result<Option<WeChatSettings>, String> {
        let (appid, secret) = (self.wechat_appid.trim(), self.wechat_secret.trim());
        if appid.is_empty() || secret.is_empty() {
            return Ok(None);
        }
        let state = self.wechat_miniprogram_state.trim();
        if !["formal", "trial", "developer"].contains(&state) {
            return Err(format!(
                "wechat_miniprogram_state: `{state}` is not formal, trial or developer"
            ));
        }
        let mut templates = std::collections::BTreeMap::new();
        for (kind, template) in &self.wechat_templates {
            let kind = NoticeKind::parse(kind)
                .ok_or_else(|| format!("wechat_templates: `{kind}` is not a notice kind"))?;
            let template = template.trim();
            if !template.is_empty() {
                templates.insert(kind, template.to_owned());
            }
        }
        Ok(Some(WeChatSettings {
            appid: appid.to_owned(),
            secret: secret.to_owned(),
            api_url: self.wechat_api_url.trim_end_matches('/').to_owned(),
            templates,
            miniprogram_state: state.to_owned(),
        }))
    }

    /// How long before a not-found ISBN is asked about again.
    pub fn not_found_retry(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.metadata_not_found_retry_hours))
    }

    /// The limits the use cases enforce.
    pub fn policies(&self) -> Policies {
        let defaults = Policies::default();
        Policies {
            session_ttl: self.session_ttl(),
            signed_in_seconds: self.signed_in_seconds,
            lock_after_failures: self.login_lock_after_failures,
            first_lock: chrono::Duration::minutes(i64::from(self.login_lock_minutes.max(1))),
            address_failures_per_minute: self.login_failures_per_minute_per_address,
            registrations_per_hour: self.registrations_per_hour_per_address,
            hashing_slots: match self.password_hashing_slots {
                0 => defaults.hashing_slots,
                n => n,
            },
            cover_source: self.cover_source.clone(),
            ship: crate::domain::deadlines::ShipRules::new(
                self.pledge_ship_days,
                self.pledge_extend_days,
                self.pledge_reminder_days.clone(),
            )
            .confirm_after(self.delivery_confirm_days),
            notification_keep: chrono::Duration::days(i64::from(
                self.notification_keep_days.max(1),
            )),
            child_details: match self.child_details_keep_days {
                0 => crate::domain::child_wishes::Retention::default(),
                days => crate::domain::child_wishes::Retention::Days(days),
            },
            group_commit: self.pledge_group_commit,
            wordless_search_cache: self.wordless_search_cache,
            webhooks_allow_private: self.webhooks_allow_private,
        }
    }

    /// Session lifetime as a duration.
    pub fn session_ttl(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.session_ttl_seconds.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use rocket::data::ToByteUnit;

    #[test]
    fn wechat_is_on_only_with_appid_and_secret_and_known_kinds() {
        let mut config = super::Config::default();
        assert!(config.wechat().unwrap().is_none(), "off by default");
        config.wechat_appid = "wx123".into();
        assert!(config.wechat().unwrap().is_none(), "no secret: off");
        config.wechat_secret = "s3cret".into();
        config.wechat_templates = [("pledge_shipped".to_owned(), "T1".to_owned())].into();
        let settings = config.wechat().unwrap().unwrap();
        assert_eq!(
            settings
                .templates
                .get(&crate::domain::notices::NoticeKind::PledgeShipped),
            Some(&"T1".to_owned())
        );
        assert!(
            !format!("{settings:?}").contains("s3cret"),
            "the secret is never printed"
        );
        config.wechat_miniprogram_state = "beta".into();
        assert!(config.wechat().unwrap_err().contains("beta"));
        config.wechat_miniprogram_state = "developer".into();
        config.wechat_templates = [("pledge_shiped".to_owned(), "T1".to_owned())].into();
        assert!(config.wechat().unwrap_err().contains("pledge_shiped"));
    }

    #[test]
    fn without_a_settings_file_the_body_limits_are_the_services_not_rockets() {
        let limits: rocket::data::Limits = super::figment_from("no-such-settings-file.toml")
            .extract_inner("limits")
            .unwrap();
        assert_eq!(limits.get("file"), Some(64.mebibytes()));
        assert_eq!(limits.get("data-form"), Some(8.mebibytes()));
        assert_eq!(limits.get("json"), Some(64.kibibytes()));
        // Rocket's own limits this service does not set are still there.
        assert_eq!(limits.get("string"), Some(8.kibibytes()));
    }
}
