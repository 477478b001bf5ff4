//! Pledge benchmark: `cargo bench --bench pledges`.
//!
//! Pledges per second and p50/p99 latency over HTTP against the real service (in this
//! process, on this machine: the clients share its cores), at concurrency 1, 16 and 64,
//! for pledges spread over many books and for one hot book every client wants; beside the
//! raw rate of the same writes through the store (sea-orm, one transaction each, no HTTP),
//! which is the limit. On SQLite (a fresh file) and, when `BENCH_DATABASE_URL` names a
//! Postgres server (`postgres://postgres@127.0.0.1:5432/test`), on a fresh database there.
//! `BENCH_PLEDGES` (default 3,000) sets how many pledges each row makes. Prints one table
//! and the process's peak memory. A measurement, not a test: it asserts nothing but that
//! no pledge failed and none was over-pledged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bookbridge::app::Bookbridge;
use bookbridge::domain::accounts::Registration;
use bookbridge::domain::books::BookDetails;
use bookbridge::domain::ids::AccountId;
use bookbridge::domain::isbn::Isbn;
use bookbridge::domain::matching::Allocation;
use bookbridge::domain::quantity::Quantity;
use bookbridge::domain::role::Role;
use bookbridge::domain::schools::NewSchool;
use bookbridge::store::NewBook;
use sea_orm::{ConnectionTrait, Database};

/// Schools asking for every book.
const SCHOOLS: usize = 20;
/// Books in the "many books" rows.
const BOOKS: usize = 1_000;
/// Donor accounts (one session each; clients share them round-robin).
const DONORS: usize = 64;
const CONCURRENCY: [usize; 3] = [1, 16, 64];

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

fn isbn(i: usize) -> Isbn {
    let body = format!("9790{:08}", 50_000_000 + i);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(k, b)| u32::from(b - b'0') * if k % 2 == 0 { 1 } else { 3 })
        .sum();
    Isbn::parse(&format!("{body}{}", (10 - sum % 10) % 10)).expect("a valid ISBN")
}

struct Row {
    database: &'static str,
    books: &'static str,
    concurrency: String,
    rate: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    failed: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn row(
    database: &'static str,
    books: &'static str,
    concurrency: String,
    mut lat: Vec<Duration>,
    took: Duration,
    failed: usize,
) -> Row {
    lat.sort_unstable();
    Row {
        database,
        books,
        concurrency,
        rate: lat.len() as f64 / took.as_secs_f64(),
        p50: percentile(&lat, 0.50),
        p99: percentile(&lat, 0.99),
        max: lat.last().copied().unwrap_or_default(),
        failed,
    }
}

/// A fresh database: a SQLite file in `dir`, or a new database on the Postgres server.
async fn database(dir: &std::path::Path, postgres: Option<&str>) -> anyhow::Result<String> {
    match postgres {
        None => Ok(format!("sqlite://{}/bench.db?mode=rwc", dir.display())),
        Some(base) => {
            let name = format!("bookbridge_bench_{}", std::process::id());
            let admin = Database::connect(base).await?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let (server, _) = base
                .rsplit_once('/')
                .ok_or_else(|| anyhow::anyhow!("BENCH_DATABASE_URL has no database name"))?;
            Ok(format!("{server}/{name}"))
        }
    }
}

/// Schools asking for `copies` of each of `books` (and the hot book), donors signed in.
async fn prepare(service: &Bookbridge, copies: u32) -> anyhow::Result<Vec<AccountId>> {
    let store = service.store();
    let now = chrono::Utc::now();
    let books: Vec<NewBook> = (0..=BOOKS)
        .map(|i| {
            NewBook::with_details(
                isbn(i),
                BookDetails {
                    title: Some(format!("Bench book {i}")),
                    ..BookDetails::default()
                },
            )
        })
        .collect();
    store.insert_books(&books, now).await?;
    for s in 0..SCHOOLS {
        let owner = service
            .register(Registration::with_role(
                Role::School,
                "Bench school",
                &format!("school{s}@bench.example.org"),
                "bench password 1",
            )?)
            .await?;
        service.approve_unchecked(owner.id).await?;
        let school = NewSchool::new(
            &format!("Bench School {s}"),
            "Yunnan",
            "Lancang",
            "1 Bench Road",
            "0879-555-0100",
            50 + s as i64,
        )?;
        let school = store.insert_school(owner.id, &school, now).await?;
        service
            .verify_school_unchecked(school.id, &format!("99{s:08}"))
            .await?;
        for i in 0..=BOOKS {
            store
                .add_wish(
                    school.id,
                    &isbn(i),
                    Quantity::new(i64::from(copies))?,
                    None,
                    now,
                )
                .await?;
        }
    }
    let mut donors = Vec::new();
    for d in 0..DONORS {
        let donor = service
            .register(Registration::with_role(
                Role::Donor,
                "Bench donor",
                &format!("donor{d}@bench.example.org"),
                "bench password 1",
            )?)
            .await?;
        donors.push(donor.id);
    }
    Ok(donors)
}

async fn tokens(client: &reqwest::Client, base: &str) -> anyhow::Result<Vec<String>> {
    let mut tokens = Vec::new();
    for d in 0..DONORS {
        let body = serde_json::json!({"email": format!("donor{d}@bench.example.org"), "password": "bench password 1"});
        let answer = client
            .post(format!("{base}/sessions"))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let answer: serde_json::Value = serde_json::from_slice(&answer)?;
        tokens.push(
            answer["token"]
                .as_str()
                .ok_or_else(|| anyhow::anyhow!("no token"))?
                .to_owned(),
        );
    }
    Ok(tokens)
}

/// `total` pledges of one copy over HTTP by `concurrency` clients; `hot`: all of the hot
/// book, else spread over the many books.
async fn over_http(
    client: &reqwest::Client,
    base: &str,
    tokens: &Arc<Vec<String>>,
    concurrency: usize,
    total: usize,
    hot: bool,
    offset: usize,
) -> anyhow::Result<(Vec<Duration>, Duration, usize)> {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let (client, base, tokens) = (client.clone(), base.to_owned(), tokens.clone());
        let share = total / concurrency + usize::from(worker < total % concurrency);
        tasks.spawn(async move {
            let mut lat = Vec::with_capacity(share);
            let mut failed = 0;
            for k in 0..share {
                let book = if hot {
                    isbn(0)
                } else {
                    isbn(1 + (offset + worker * 7919 + k * 104_729) % BOOKS)
                };
                let token = &tokens[(worker + k) % tokens.len()];
                let at = Instant::now();
                let answer = client
                    .post(format!("{base}/pledges"))
                    .bearer_auth(token)
                    .header("Content-Type", "application/json")
                    .body(format!(r#"{{"isbn": "{}", "quantity": 1}}"#, book.as_str()))
                    .send()
                    .await?;
                let ok = answer.status() == reqwest::StatusCode::CREATED;
                answer.bytes().await?;
                if ok {
                    lat.push(at.elapsed());
                } else {
                    failed += 1;
                }
            }
            anyhow::Ok((lat, failed))
        });
    }
    let mut lat = Vec::new();
    let mut failed = 0;
    while let Some(done) = tasks.join_next().await {
        let (l, f) = done??;
        lat.extend(l);
        failed += f;
    }
    Ok((lat, started.elapsed(), failed))
}

/// The same writes straight through the store: one transaction per pledge, no HTTP, no
/// sign-in check, no matching (the limit of the write path).
async fn raw(
    service: &Bookbridge,
    donors: &[AccountId],
    total: usize,
    hot: bool,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let store = service.store();
    let mut lat = Vec::with_capacity(total);
    let started = Instant::now();
    for k in 0..total {
        let book = if hot {
            isbn(0)
        } else {
            isbn(1 + (k * 104_729) % BOOKS)
        };
        let candidates = store.pledge_candidates(&book, None).await?;
        let first = candidates
            .first()
            .ok_or_else(|| anyhow::anyhow!("no need left"))?;
        let plan = [Allocation {
            item: first.item,
            school: first.school,
            quantity: Quantity::new(1)?,
        }];
        let now = chrono::Utc::now();
        let at = Instant::now();
        store
            .commit_pledges(donors[k % donors.len()], &book, &plan, (now, now))
            .await?
            .ok_or_else(|| anyhow::anyhow!("raced with nobody, yet lost"))?;
        lat.push(at.elapsed());
    }
    Ok((lat, started.elapsed()))
}

async fn bench(database_name: &'static str, url: String, total: usize) -> anyhow::Result<Vec<Row>> {
    let work = tempfile::tempdir()?;
    let port = 19_000 + (std::process::id() % 1000) as u16 + u16::from(database_name == "postgres");
    let url_again = url.clone();
    let figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("database_url", url))
        .merge(("index_dir", work.path().join("index").display().to_string()))
        .merge((
            "photo_dir",
            work.path().join("photos").display().to_string(),
        ))
        .merge(("seed_demo", false))
        .merge(("metadata_enabled", false))
        .merge(("log_level", "off"));
    let rocket = bookbridge::rocket_from(figment).ignite().await?;
    let service = rocket.state::<Bookbridge>().expect("the service").clone();
    let server = tokio::spawn(rocket.launch());
    // Enough copies that no row runs out: every row's pledges could land on one school.
    let copies = u32::try_from(total * 8).unwrap_or(10_000).min(10_000);
    let setup = Instant::now();
    let donors = prepare(&service, copies).await?;
    eprintln!(
        "{database_name}: {SCHOOLS} schools x {} books ready in {:.1?}",
        BOOKS + 1,
        setup.elapsed()
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()?;
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let tokens = Arc::new(tokens(&client, &base).await?);
    let mut rows = Vec::new();
    for hot in [false, true] {
        let books = if hot { "one hot book" } else { "many books" };
        let (lat, took) = raw(&service, &donors, total, hot).await?;
        rows.push(row(
            database_name,
            books,
            "raw store, c=1".into(),
            lat,
            took,
            0,
        ));
        for (n, c) in CONCURRENCY.into_iter().enumerate() {
            let (lat, took, failed) =
                over_http(&client, &base, &tokens, c, total, hot, n * total).await?;
            rows.push(row(
                database_name,
                books,
                format!("HTTP, c={c}"),
                lat,
                took,
                failed,
            ));
        }
    }
    server.abort();

    // The same service with group commit off, same database, same run: the baseline.
    let figment = rocket::Config::figment()
        .merge(("port", port + 2))
        .merge(("database_url", url_again))
        .merge((
            "index_dir",
            work.path().join("index-2").display().to_string(),
        ))
        .merge((
            "photo_dir",
            work.path().join("photos").display().to_string(),
        ))
        .merge(("seed_demo", false))
        .merge(("metadata_enabled", false))
        .merge(("pledge_group_commit", false))
        .merge(("log_level", "off"));
    let server = tokio::spawn(bookbridge::rocket_from(figment).launch());
    let base = format!("http://127.0.0.1:{}/api/v1", port + 2);
    wait_until_up(&client, &base).await?;
    for hot in [false, true] {
        let books = if hot { "one hot book" } else { "many books" };
        let c = 64;
        let (lat, took, failed) = over_http(
            &client,
            &base,
            &tokens,
            c,
            total,
            hot,
            (CONCURRENCY.len() + usize::from(hot)) * total,
        )
        .await?;
        rows.push(row(
            database_name,
            books,
            format!("HTTP, c={c}, group commit off"),
            lat,
            took,
            failed,
        ));
    }
    server.abort();
    Ok(rows)
}

async fn wait_until_up(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    for _ in 0..600 {
        if client.get(format!("{base}/health")).send().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the second server did not start")
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

async fn run() -> anyhow::Result<()> {
    let total: usize = std::env::var("BENCH_PLEDGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000);
    let sqlite_dir = tempfile::tempdir()?;
    let mut rows = bench("sqlite", database(sqlite_dir.path(), None).await?, total).await?;
    if let Ok(pg) = std::env::var("BENCH_DATABASE_URL") {
        if !pg.is_empty() {
            rows.extend(
                bench(
                    "postgres",
                    database(sqlite_dir.path(), Some(&pg)).await?,
                    total,
                )
                .await?,
            );
        }
    }
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!();
    println!("Pledges of one copy, {total} per row, {SCHOOLS} schools, {cores} cores (client and server share them)");
    println!();
    println!("| database | books | how | pledges/s | p50 ms | p99 ms | max ms | refused |");
    println!("|---|---|---|---:|---:|---:|---:|---:|");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} | {} |",
            r.database,
            r.books,
            r.concurrency,
            r.rate,
            ms(r.p50),
            ms(r.p99),
            ms(r.max),
            r.failed
        );
    }
    if let Some(mb) = peak_rss_mb() {
        println!();
        println!("peak memory of this process (server, clients and setup): {mb:.0} MB");
    }
    Ok(())
}
