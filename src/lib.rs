//! bookbridge: matches donated books to rural schools.
//!
//! [`rocket_from`] builds the whole service from a configuration figment, so the binary and
//! the tests build exactly the same thing.

pub mod api;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod seed;
pub mod store;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::{Build, Rocket};

use crate::config::Config;
use crate::domain::Bookbridge;
use crate::store::Store;

/// Connects, migrates and (on first start, if configured) seeds the database.
pub async fn open_service(config: &Config) -> anyhow::Result<Bookbridge> {
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    let service = Bookbridge::new(store, config.session_ttl());
    if config.seed_demo {
        seed::seed_once(&service, std::path::Path::new(&config.seed_dir)).await?;
    }
    Ok(service)
}

/// The service as a Rocket, ready to launch or to test.
pub fn rocket_from(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        .attach(AdHoc::try_on_ignite(
            "bookbridge database",
            |rocket| async {
                let config: Config = match rocket.figment().extract() {
                    Ok(config) => config,
                    Err(err) => {
                        log::error!("bad configuration: {err}");
                        return Err(rocket);
                    }
                };
                match open_service(&config).await {
                    Ok(service) => Ok(rocket.manage(service)),
                    Err(err) => {
                        log::error!(
                            "cannot open the database at {}: {err:#}",
                            config.database_url
                        );
                        Err(rocket)
                    }
                }
            },
        ))
        .mount("/api/v1", api::routes())
        .register("/", rocket::catchers![error::json_catcher])
}

/// The production Rocket: `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    rocket_from(rocket::Config::figment())
}
