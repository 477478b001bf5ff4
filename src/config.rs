//! The typed configuration, read from `Rocket.toml` and `ROCKET_*` variables.

use serde::Deserialize;

/// bookbridge's own settings (Rocket's own — address, port, limits — sit beside them).
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// `sqlite://…?mode=rwc` or `postgres://…`.
    pub database_url: String,
    /// How long a login token lasts, in seconds.
    #[serde(default = "default_session_ttl_seconds")]
    pub session_ttl_seconds: u32,
    /// Load the demo schools and books on first start.
    #[serde(default = "default_true")]
    pub seed_demo: bool,
    /// Folder of the search index (never in git; rebuilt from the database when missing).
    #[serde(default = "default_index_dir")]
    pub index_dir: String,
    /// Open Library (or a mirror); metadata for unknown ISBNs is fetched from here.
    #[serde(default = "default_openlibrary_url")]
    pub openlibrary_url: String,
    /// Fetch metadata in the background at all.
    #[serde(default = "default_true")]
    pub metadata_enabled: bool,
    /// Seconds allowed for one Open Library request, body included.
    #[serde(default = "default_metadata_timeout")]
    pub metadata_timeout_seconds: u64,
    /// Requests per minute to Open Library.
    #[serde(default = "default_metadata_per_minute")]
    pub metadata_per_minute: u32,
    /// Requests to Open Library in flight at once.
    #[serde(default = "default_metadata_concurrency")]
    pub metadata_max_concurrent: usize,
    /// Largest Open Library answer read, in bytes.
    #[serde(default = "default_metadata_max_body")]
    pub metadata_max_body_bytes: usize,
    /// Tries per lookup before the book is marked failed and retried later.
    #[serde(default = "default_metadata_attempts")]
    pub metadata_max_attempts: u32,
    /// First retry backoff in milliseconds (doubles, with jitter).
    #[serde(default = "default_metadata_backoff")]
    pub metadata_backoff_ms: u64,
    /// Hours before an ISBN Open Library did not know is asked about again.
    #[serde(default = "default_not_found_retry")]
    pub metadata_not_found_retry_hours: u32,
    /// Folder holding the demo data files.
    #[serde(default = "default_seed_dir")]
    pub seed_dir: String,
}

fn default_session_ttl_seconds() -> u32 {
    30 * 24 * 60 * 60
}

fn default_index_dir() -> String {
    "data/index".to_owned()
}

fn default_openlibrary_url() -> String {
    "https://openlibrary.org".to_owned()
}

fn default_metadata_timeout() -> u64 {
    15
}

fn default_metadata_per_minute() -> u32 {
    150
}

fn default_metadata_concurrency() -> usize {
    4
}

fn default_metadata_max_body() -> usize {
    2 * 1024 * 1024
}

fn default_metadata_attempts() -> u32 {
    3
}

fn default_metadata_backoff() -> u64 {
    500
}

fn default_not_found_retry() -> u32 {
    24 * 7
}

fn default_true() -> bool {
    true
}

fn default_seed_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/seed").to_owned()
}

impl Config {
    /// The Open Library client's settings.
    pub fn openlibrary(&self) -> crate::metadata::ClientSettings {
        crate::metadata::ClientSettings {
            base_url: self.openlibrary_url.clone(),
            timeout: std::time::Duration::from_secs(self.metadata_timeout_seconds.max(1)),
            max_concurrent: self.metadata_max_concurrent.max(1),
            per_minute: self.metadata_per_minute.max(1),
            max_body_bytes: self.metadata_max_body_bytes,
            max_attempts: self.metadata_max_attempts.max(1),
            backoff: std::time::Duration::from_millis(self.metadata_backoff_ms),
            ..Default::default()
        }
    }

    /// How long before a not-found ISBN is asked about again.
    pub fn not_found_retry(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.metadata_not_found_retry_hours))
    }

    /// Session lifetime as a duration.
    pub fn session_ttl(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.session_ttl_seconds.max(1)))
    }
}
