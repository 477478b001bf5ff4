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

fn default_true() -> bool {
    true
}

fn default_seed_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/seed").to_owned()
}

impl Config {
    /// Session lifetime as a duration.
    pub fn session_ttl(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.session_ttl_seconds.max(1)))
    }
}
