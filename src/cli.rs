//! Command-line interface.

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::accounts::Registration;
use crate::domain::role::Role;
use crate::store::Store;

/// bookbridge: matches donated books to rural schools.
///
/// Settings come from Rocket.toml and ROCKET_* variables (e.g. ROCKET_DATABASE_URL, ROCKET_PORT).
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Load the demo schools, wish lists and books (once), then exit.
    Seed,
    /// Import a catalogue or a school's wish list from a file.
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// Write a consistent copy of the live database (SQLite) to FILE, while the server
    /// runs; restore by putting the copy where `database_url` points, with the server
    /// stopped (its search index is rebuilt from it). Postgres: `pg_dump` (see the README).
    Backup {
        /// Where the copy goes (must not exist yet).
        file: std::path::PathBuf,
    },
    /// Print the API's OpenAPI document (what `GET /api/v1/openapi.json` serves), for
    /// client generators and the mini program's tests; needs no database.
    Openapi,
    /// Create an admin account.
    CreateAdmin {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "Admin")]
        name: String,
        /// Password; read from BOOKBRIDGE_ADMIN_PASSWORD when not given.
        #[arg(long, env = "BOOKBRIDGE_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

/// What `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// Books: CSV with a header row (isbn, title, authors, year, language, publisher,
    /// page_count, subjects, age_band, description, cover_url, subtitle) or JSON lines.
    /// Upserts by ISBN; bad rows are reported with their line number.
    Books {
        /// The file.
        file: std::path::PathBuf,
    },
    /// A school's wish list: CSV rows of `isbn,quantity[,note]`; duplicates add up.
    Wishlist {
        /// The school's id.
        #[arg(long)]
        school: i64,
        /// The file.
        file: std::path::PathBuf,
    },
}

fn print_report(report: &crate::domain::import::ImportReport) {
    println!("imported: {}", report.imported);
    println!("rejected: {}", report.rejected_total);
    for r in &report.rejected {
        println!("  line {}: {}", r.line, r.reason);
    }
    if report.rejected_total > report.rejected.len() as u64 {
        println!(
            "  … and {} more",
            report.rejected_total - report.rejected.len() as u64
        );
    }
}

/// Imports at least this large end with the search index merged into one segment.
const COMPACT_AFTER_ROWS: u64 = 100_000;

async fn import(kind: ImportKind) -> anyhow::Result<()> {
    let config = Config {
        seed_demo: false,
        ..config()?
    };
    match kind {
        ImportKind::Books { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            // Index the books here unless a running server owns the index (then it will).
            let (service, owns_index) = match crate::open_service(&config).await {
                Ok(service) => (service, true),
                Err(err) if matches!(err.downcast_ref(), Some(index::IndexError::Busy(_))) => {
                    (crate::open_service_offline(&config).await?, false)
                }
                Err(err) => return Err(err),
            };
            let bar = indicatif::ProgressBar::new(lines);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} rows {per_sec} {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let report = service
                .import_catalogue_unchecked(bytes, |written| bar.set_position(written))
                .await?;
            bar.finish_and_clear();
            if owns_index {
                service.catch_up_index().await?;
                if report.imported >= COMPACT_AFTER_ROWS {
                    // Only makes searches faster: the import stands without it.
                    match service.compact_index().await {
                        Ok(segments) => {
                            println!("search index merged from {segments} segments into one")
                        }
                        Err(err) => eprintln!("the search index was not merged: {err}"),
                    }
                }
                println!("search index updated");
            } else {
                println!("a running server is indexing the imported books");
            }
            print_report(&report);
        }
        ImportKind::Wishlist { school, file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let service = crate::open_service_offline(&config).await?;
            let report = service
                .import_wishlist_unchecked(
                    crate::domain::ids::SchoolId(school),
                    &bytes,
                    crate::domain::import::ListMode::Add,
                )
                .await?;
            print_report(&report);
        }
    }
    Ok(())
}

fn config() -> anyhow::Result<Config> {
    crate::config::figment()
        .extract()
        .context("reading configuration (Rocket.toml, ROCKET_*)")
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            raise_open_file_limit();
            let _rocket = crate::rocket().launch().await?;
            Ok(())
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(crate::api::openapi::spec())?
            );
            Ok(())
        }
        Command::Migrate => {
            let config = config()?;
            let store = Store::connect(&config.database_url).await?;
            let startup = Store::startup_lock(&config.database_url).await?;
            store.migrate().await?;
            startup.release().await?;
            println!("database at {} is up to date", config.database_url);
            Ok(())
        }
        Command::Seed => {
            let config = Config {
                seed_demo: true,
                ..config()?
            };
            let service = crate::open_service_offline(&config).await?;
            println!(
                "demo data present in {} ({} engine)",
                config.database_url,
                service.store().engine()
            );
            Ok(())
        }
        Command::Import { what } => import(what).await,
        Command::Backup { file } => {
            let config = config()?;
            if file.exists() {
                anyhow::bail!("{} exists already; name a new file", file.display());
            }
            let store = Store::connect(&config.database_url).await?;
            let started = std::time::Instant::now();
            store
                .backup_to(&file)
                .await
                .with_context(|| format!("backing up {}", config.database_url))?;
            let bytes = std::fs::metadata(&file)
                .with_context(|| format!("reading {}", file.display()))?
                .len();
            println!(
                "backed up {} to {}: {:.1} MB in {:.1} s",
                config.database_url,
                file.display(),
                bytes as f64 / 1_000_000.0,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Reindex => {
            let config = Config {
                seed_demo: false,
                ..config()?
            };
            let service = crate::open_service(&config).await?;
            let books = service.rebuild_index().await?;
            println!(
                "search index at {} rebuilt: {books} books",
                config.index_dir
            );
            Ok(())
        }
        Command::CreateAdmin {
            email,
            name,
            password,
        } => {
            let config = Config {
                seed_demo: false,
                ..config()?
            };
            let service = crate::open_service_offline(&config).await?;
            let registration = Registration::with_role(Role::Admin, &name, &email, &password)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
            let account = service.register(registration).await?;
            println!("created admin account {} <{}>", account.id, account.email);
            Ok(())
        }
    }
}

/// Raises the soft limit on open files to the hard limit: each connection is a file, and the
/// usual soft limit of 1,024 is a thousand idle sockets from being locked out. (Idle and
/// half-sent connections are the reverse proxy's to cut: see the README.)
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => log::info!("open files: up to {limit}"),
        Err(err) => log::warn!("could not raise the open-file limit: {err}"),
    }
}
