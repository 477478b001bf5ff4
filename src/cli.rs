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
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
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

fn config() -> anyhow::Result<Config> {
    rocket::Config::figment()
        .extract()
        .context("reading configuration (Rocket.toml, ROCKET_*)")
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let _rocket = crate::rocket().launch().await?;
            Ok(())
        }
        Command::Migrate => {
            let config = config()?;
            let store = Store::connect(&config.database_url).await?;
            store.migrate().await?;
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
