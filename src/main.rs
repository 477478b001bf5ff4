//! The `bookbridge` command: serve (default), migrate, seed, create-admin.

use clap::Parser;

#[rocket::main]
async fn main() -> std::process::ExitCode {
    let cli = bookbridge::cli::Cli::parse();
    match bookbridge::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
