//! Import benchmark: `cargo bench --bench import` (BENCH_ROWS=… to change the size).
//!
//! Writes a CSV catalogue of 1,000,000 rows (the real seed records plus deterministic
//! variants), then imports it exactly as `bookbridge import books FILE` does, into a fresh
//! SQLite database, and brings the search index up to date. Reports rows/s end to end,
//! and its two halves. Then, as the baseline that shows where the time goes, the same file
//! into another fresh database with the index left to another process (the database half
//! alone). A measurement, not a test.

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

    drop(service);

    // The database half alone: the same import where another process owns the index.
    let config: bookbridge::config::Config = bookbridge::config::figment()
        .merge((
            "database_url",
            format!("sqlite://{}/alone.db?mode=rwc", work.path().display()),
        ))
        .merge((
            "index_dir",
            work.path().join("index-alone").display().to_string(),
        ))
        .merge(("seed_demo", false))
        .extract()?;
    let alone = bookbridge::open_service(&config).await?;
    alone.leave_index_to_its_owner();
    let t = Instant::now();
    alone
        .import_catalogue_unchecked(std::fs::read(&csv_path)?, |_| {})
        .await?;
    let database_alone = t.elapsed();

    // The index half alone: the same file parsed into documents and indexed, no database.
    let bytes = std::fs::read(&csv_path)?;
    let index = index::Catalogue::open(&work.path().join("index-only"))?;
    let t = Instant::now();
    {
        let _merges = index.hold_merges()?;
        let mut report = bookbridge::domain::import::ImportReport::default();
        bookbridge::domain::import::read_catalogue(&bytes, &mut report, |batch| {
            let docs: Vec<_> = batch
                .iter()
                .map(bookbridge::domain::search::fresh_document)
                .collect();
            index
                .add_unchecked(&docs)
                .map_err(|e| bookbridge::domain::error::DomainError::Internal(e.to_string()))
        })?;
        index.commit(1)?;
    }
    let index_alone = t.elapsed();

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
    println!(
        "| baseline: parse + write to SQLite alone (the index left to another process) | {:.1} | {:.0} |",
        database_alone.as_secs_f64(),
        rate(database_alone)
    );
    println!(
        "| baseline: parse + index alone (no database) | {:.1} | {:.0} |",
        index_alone.as_secs_f64(),
        rate(index_alone)
    );
    println!();
    println!(
        "imported {} rows, rejected {}, {} books searchable",
        report.imported, report.rejected_total, indexed
    );
    Ok(())
}
