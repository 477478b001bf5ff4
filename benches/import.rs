//! Import benchmark: `cargo bench --bench import` (BENCH_ROWS=… to change the size).
//!
//! Writes a CSV catalogue of 1,000,000 rows (the real seed records plus deterministic
//! variants), then imports it exactly as `bookbridge import books FILE` does, into a fresh
//! SQLite database, and brings the search index up to date. Reports rows/s end to end,
//! and its two halves. A measurement, not a test.

use std::time::{Duration, Instant};

#[path = "common/catalogue.rs"]
mod catalogue;
use catalogue::write_csv;

fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(rows))
}

async fn run(rows: usize) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let csv_path = work.path().join("catalogue.csv");
    let bytes = write_csv(&csv_path, rows)?;
    println!(
        "bookbridge import benchmark: {rows} rows, {:.1} MB of CSV",
        bytes as f64 / 1e6
    );

    let config: bookbridge::config::Config = bookbridge::config::figment()
        .merge((
            "database_url",
            format!("sqlite://{}/bench.db?mode=rwc", work.path().display()),
        ))
        .merge(("index_dir", work.path().join("index").display().to_string()))
        .merge(("seed_demo", false))
        .extract()?;
    let service = bookbridge::open_service(&config).await?;

    let started = Instant::now();
    let file = std::fs::read(&csv_path)?;
    let report = service.import_catalogue_unchecked(file, |_| {}).await?;
    let written = started.elapsed();
    service.catch_up_index().await?;
    let total = started.elapsed();
    let indexed = service.catalogue().len();
    // Then, as the command does after a large import, the index merged into one segment.
    let segments = service.compact_index().await?;
    let compacted = started.elapsed();

    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    println!();
    println!("| stage | time (s) | rows/s |");
    println!("|---|---:|---:|");
    println!(
        "| parse + write to SQLite (with change log) | {:.1} | {:.0} |",
        written.as_secs_f64(),
        rate(written)
    );
    println!(
        "| search index caught up | {:.1} | |",
        (total - written).as_secs_f64()
    );
    println!(
        "| **end to end** | {:.1} | **{:.0}** |",
        total.as_secs_f64(),
        rate(total)
    );
    println!(
        "| index merged from {segments} segments into one (searches faster) | {:.1} | |",
        (compacted - total).as_secs_f64()
    );
    println!(
        "| end to end with the merge | {:.1} | {:.0} |",
        compacted.as_secs_f64(),
        rate(compacted)
    );
    println!();
    println!(
        "imported {} rows, rejected {}, {} books searchable",
        report.imported, report.rejected_total, indexed
    );
    Ok(())
}
