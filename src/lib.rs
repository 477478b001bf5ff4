//! bookbridge: matches donated books to rural schools.
//!
//! [`rocket_from`] builds the whole service from a configuration figment, so the binary and
//! the tests build exactly the same thing.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod metadata;
pub mod metrics;
pub mod photos;
pub mod seed;
pub mod store;
pub mod web;
pub mod wechat;

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::figment::Figment;
use rocket::{Build, Rocket};

use index::Catalogue;

use crate::app::{Bookbridge, Clock, SystemClock};
use crate::config::Config;
use crate::store::Store;

/// Connects, migrates and (on first start, if configured) seeds the database, and opens
/// the search index, building it from the database when it is new.
pub async fn open_service(config: &Config) -> anyhow::Result<Bookbridge> {
    open_service_with_clock(config, Arc::new(SystemClock)).await
}

/// [`open_service`] telling time by `clock` (a settable one in tests).
pub async fn open_service_with_clock(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Bookbridge> {
    let catalogue = open_catalogue(std::path::PathBuf::from(&config.index_dir)).await?;
    let fresh_index = catalogue.applied_seq()?.is_none();
    let service = open_with(config, catalogue, clock).await?;
    if fresh_index {
        let books = service.rebuild_index().await?;
        log::info!("built the search index from the database: {books} books");
    }
    Ok(service)
}

/// Like [`open_service`] but without the search index folder, for commands that only change
/// the database (`seed`, `create-admin`): a running server owns the index and picks their
/// changes up from the change log.
pub async fn open_service_offline(config: &Config) -> anyhow::Result<Bookbridge> {
    let scratch = Catalogue::in_memory(16 * 1024 * 1024, 1)?;
    let service = open_with(config, scratch, Arc::new(SystemClock)).await?;
    service.leave_index_to_its_owner();
    Ok(service)
}

async fn open_with(
    config: &Config,
    catalogue: Catalogue,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Bookbridge> {
    let store = Store::connect(&config.database_url).await?;
    // Several servers starting at once on one Postgres database: one at a time through
    // the migrations and the demo data, so every one comes up and the data loads once.
    let startup = Store::startup_lock(&config.database_url).await?;
    store.migrate().await?;
    let service = Bookbridge::new(
        store,
        catalogue,
        photos::Photos::default(),
        config.policies(),
        clock,
    );
    if config.seed_demo {
        seed::seed_once(&service, std::path::Path::new(&config.seed_dir)).await?;
    }
    startup.release().await?;
    // Photos live in the database now; a folder an older version kept them in is moved in.
    let taken = service
        .take_in_photo_folder(std::path::Path::new(&config.photo_dir))
        .await?;
    if taken > 0 {
        log::info!(
            "moved {taken} photos from {} into the database",
            config.photo_dir
        );
    }
    Ok(service)
}

/// Opens the search index, waiting a while if a previous process (a server that is
/// shutting down) still holds its writer.
async fn open_catalogue(dir: std::path::PathBuf) -> anyhow::Result<Catalogue> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let attempt = dir.clone();
        match tokio::task::spawn_blocking(move || Catalogue::open_or_reset(&attempt)).await? {
            Err(index::IndexError::Busy(_)) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => return Ok(other?),
        }
    }
}

/// The service as a Rocket, ready to launch or to test.
pub fn rocket_from(figment: Figment) -> Rocket<Build> {
    rocket_with_clock(figment, Arc::new(SystemClock))
}

/// [`rocket_from`] telling time by `clock`: tests pass a [`app::ManualClock`] and move it.
pub fn rocket_with_clock(figment: Figment, clock: Arc<dyn Clock>) -> Rocket<Build> {
    // Rocket would take the client's address from `X-Real-IP`, sent by anyone: off. The
    // client is decided in `api::client`, from `trusted_proxies`.
    let figment = figment.merge(("ip_header", false));
    rocket::custom(figment)
        .attach(AdHoc::try_on_ignite(
            "bookbridge database",
            move |rocket| async move {
                let config: Config = match rocket.figment().extract() {
                    Ok(config) => config,
                    Err(err) => {
                        log::error!("bad configuration: {err}");
                        return Err(rocket);
                    }
                };
                let proxies = match api::client::TrustedProxies::parse(&config.trusted_proxies) {
                    Ok(proxies) => proxies,
                    Err(err) => {
                        log::error!("bad configuration: {err}");
                        return Err(rocket);
                    }
                };
                let metrics_access = match metrics::MetricsAccess::parse(
                    &config.metrics_from,
                    &config.metrics_token,
                ) {
                    Ok(access) => access,
                    Err(err) => {
                        log::error!("bad configuration: {err}");
                        return Err(rocket);
                    }
                };
                let wechat = match config
                    .wechat()
                    .and_then(|settings| settings.map(wechat::WeChat::new).transpose())
                {
                    Ok(wechat) => wechat,
                    Err(err) => {
                        log::error!("bad configuration: {err}");
                        return Err(rocket);
                    }
                };
                match open_service_with_clock(&config, clock).await {
                    Ok(service) => {
                        if let Some(wechat) = wechat {
                            service.use_wechat(wechat);
                        }
                        jobs::start(&service, &config);
                        Ok(rocket
                            .manage(service)
                            .manage(proxies)
                            .manage(metrics_access)
                            .manage(web::Site::new(&config.public_url))
                            .manage(web::KeptPages::new(config.public_page_cache)))
                    }
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
        .attach(metrics::RequestMetrics)
        .attach(web::headers::SecurityHeaders)
        .attach(web::compression::Compression)
        .attach(api::query::RepeatedParams)
        .mount("/api/v1", api::routes())
        .mount("/", web::routes())
        .mount("/", metrics::routes())
        .register("/api", rocket::catchers![error::json_catcher])
        .register("/", rocket::catchers![web::html_catcher])
}

/// The production Rocket: `Rocket.toml` and `ROCKET_*` variables.
pub fn rocket() -> Rocket<Build> {
    rocket_from(config::figment())
}
