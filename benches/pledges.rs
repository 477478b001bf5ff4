//! Pledge benchmark: `cargo bench --bench pledges`.
//!
//! Pledges per second and p50/p99 latency over HTTP against the real service (the release
//! binary serving as its own process, as deployed; the clients run in this process and share
//! the machine's two cores with it), at concurrency 1, 16 and 64, for pledges spread over
//! many books, for one hot book every client wants, for one hot book at one school every
//! client names (a rush on a school's page), and for children's wishes claimed (each client
//! claims open wishes, one at a time); beside the raw rate of the same
//! writes through the store (in this process: sea-orm, one transaction each, no HTTP), which
//! is the limit, and the same service with group commit off at c=64 (the baseline). On
//! SQLite (a fresh file) and, when `BENCH_DATABASE_URL` names a Postgres server
//! (`postgres://postgres@127.0.0.1:5432/test`), on a fresh database there. `BENCH_PLEDGES`
//! (default 3,000) sets how many pledges each row makes. Prints one table and the server's
//! memory. A measurement, not a test: it asserts nothing but that no pledge failed and none
//! was over-pledged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bookbridge::app::Bookbridge;
use bookbridge::domain::accounts::Registration;
use bookbridge::domain::audit::{AuditAction, AuditEntry};
use bookbridge::domain::books::BookDetails;
use bookbridge::domain::child_wishes::{ChildName, Grade};
use bookbridge::domain::ids::{AccountId, SchoolId};
use bookbridge::domain::isbn::Isbn;
use bookbridge::domain::matching::Allocation;
use bookbridge::domain::pledge_status::PledgeStatus;
use bookbridge::domain::quantity::Quantity;
use bookbridge::domain::role::Role;
use bookbridge::domain::schools::NewSchool;
use bookbridge::store::{NewBook, NewChildWish};
use sea_orm::{ConnectionTrait, Database};

#[path = "common/server.rs"]
mod server;
use server::Server;

/// Schools asking for every book.
const SCHOOLS: usize = 20;
/// Books in the "many books" rows.
const BOOKS: usize = 1_000;
/// Donor accounts (one session each; clients share them round-robin).
const DONORS: usize = 64;
const CONCURRENCY: [usize; 3] = [1, 16, 64];

/// What a row's clients send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Pledges naming no school, spread over many books.
    Spread,
    /// Pledges naming no school, all of one book.
    Hot,
    /// Pledges of one book all naming one school.
    Named,
    /// Claims of children's wishes, each a different open wish.
    Claims,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Spread, Kind::Hot, Kind::Named, Kind::Claims];

    fn label(self) -> &'static str {
        match self {
            Kind::Spread => "many books",
            Kind::Hot => "one hot book",
            Kind::Named => "one hot book, school named",
            Kind::Claims => "children's wishes claimed",
        }
    }
}

/// The book the named-school rows pledge: asked for by every school, pledged by no other row.
fn named_book() -> Isbn {
    isbn(BOOKS + 1)
}

/// What `prepare` made: the donors, the school each run names, and each run's open wishes.
struct Prepared {
    donors: Vec<AccountId>,
    /// (group commit on, off): a school of its own each, so each run starts from a full need.
    named: [SchoolId; 2],
    /// (group commit on, off): wishes enough for every claim row of that run.
    wishes: [Vec<i64>; 2],
}

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

/// Schools asking for `copies` of each of `books` (and the hot book), the named book at every
/// school, open wishes at two schools, donors signed in.
async fn prepare(service: &Bookbridge, copies: u32, total: usize) -> anyhow::Result<Prepared> {
    let store = service.store();
    let now = chrono::Utc::now();
    let books: Vec<NewBook> = (0..=BOOKS + 1)
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
    let mut schools = Vec::new();
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
        store
            .add_wish(school.id, &named_book(), Quantity::new(10_000)?, None, now)
            .await?;
        schools.push((owner.id, school.id));
    }
    anyhow::ensure!(
        total * CONCURRENCY.len() <= 10_000,
        "BENCH_PLEDGES above 3,333 would run the named school's need out"
    );
    let mut wishes = [Vec::new(), Vec::new()];
    let child = ChildName::parse("小明")?;
    for (run, wishes) in wishes.iter_mut().enumerate() {
        let (owner, school) = schools[3 + run];
        let rows = if run == 0 { CONCURRENCY.len() } else { 1 };
        for _ in 0..total * rows {
            let wish = NewChildWish {
                school,
                isbn: &named_book(),
                grade: Grade::new(3)?,
                booklist: None,
                child_name: &child,
                sentence: "我想读这本书",
                consent_by: Some(owner),
                created_by: owner,
                photo: None,
            };
            let entry = AuditEntry::by_system(AuditAction::ChildWishChanged, "bench");
            wishes.push(store.create_child_wish(&wish, &entry, now).await?.get());
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
    Ok(Prepared {
        donors,
        named: [schools[1].1, schools[2].1],
        wishes,
    })
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

/// What one row's clients send.
struct Load {
    kind: Kind,
    /// The school the named rows name.
    named: SchoolId,
    /// The open wishes the claim rows take, each once.
    wishes: Arc<Vec<i64>>,
    /// The next wish to claim.
    next_wish: Arc<std::sync::atomic::AtomicUsize>,
}

/// `total` pledges of one copy (or claims) over HTTP by `concurrency` clients.
async fn over_http(
    client: &reqwest::Client,
    base: &str,
    tokens: &Arc<Vec<String>>,
    concurrency: usize,
    total: usize,
    load: &Load,
    offset: usize,
) -> anyhow::Result<(Vec<Duration>, Duration, usize)> {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let (client, base, tokens) = (client.clone(), base.to_owned(), tokens.clone());
        let (kind, named, wishes, next_wish) = (
            load.kind,
            load.named,
            load.wishes.clone(),
            load.next_wish.clone(),
        );
        let share = total / concurrency + usize::from(worker < total % concurrency);
        tasks.spawn(async move {
            let mut lat = Vec::with_capacity(share);
            let mut failed = 0;
            for k in 0..share {
                let token = &tokens[(worker + k) % tokens.len()];
                let request = match kind {
                    Kind::Claims => {
                        let at = next_wish.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let wish = wishes
                            .get(at)
                            .ok_or_else(|| anyhow::anyhow!("no open wish left"))?;
                        client.post(format!("{base}/wishes/{wish}/claim"))
                    }
                    _ => {
                        let body = match kind {
                            Kind::Spread => {
                                let book = isbn(1 + (offset + worker * 7919 + k * 104_729) % BOOKS);
                                format!(r#"{{"isbn": "{}", "quantity": 1}}"#, book.as_str())
                            }
                            Kind::Hot => {
                                format!(r#"{{"isbn": "{}", "quantity": 1}}"#, isbn(0).as_str())
                            }
                            _ => format!(
                                r#"{{"isbn": "{}", "quantity": 1, "school_id": {}}}"#,
                                named_book().as_str(),
                                named.get()
                            ),
                        };
                        client
                            .post(format!("{base}/pledges"))
                            .header("Content-Type", "application/json")
                            .body(body)
                    }
                };
                let at = Instant::now();
                let answer = request.bearer_auth(token).send().await?;
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
            .commit_pledges(
                donors[k % donors.len()],
                &book,
                &plan,
                (now, now + chrono::Duration::days(14)),
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("raced with nobody, yet lost"))?;
        lat.push(at.elapsed());
    }
    Ok((lat, started.elapsed()))
}

/// The server's memory after a run: (resident now, most ever), in MB.
struct ServerMemory {
    database: &'static str,
    how: &'static str,
    rss: f64,
    peak: f64,
}

async fn bench(
    database_name: &'static str,
    url: String,
    total: usize,
) -> anyhow::Result<(Vec<Row>, Vec<ServerMemory>)> {
    let work = tempfile::tempdir()?;
    // Setting up and the raw rows run in this process, straight through the store.
    let config: bookbridge::config::Config = bookbridge::config::figment()
        .merge(("database_url", url.clone()))
        .merge((
            "index_dir",
            work.path().join("setup-index").display().to_string(),
        ))
        .merge(("seed_demo", false))
        .merge(("metadata_enabled", false))
        .extract()?;
    let service = bookbridge::open_service(&config).await?;
    // Enough copies that no row runs out: every row's pledges could land on one school.
    let copies = u32::try_from(total * 8).unwrap_or(10_000).min(10_000);
    let setup = Instant::now();
    let prepared = prepare(&service, copies, total).await?;
    if url.starts_with("postgres") {
        // As autovacuum would have by the time a deployment has this much data (this
        // machine's Postgres runs without it): plans made from an empty table's figures
        // nest loops over every item.
        let db = Database::connect(url.as_str()).await?;
        db.execute_unprepared("ANALYZE").await?;
        db.close().await?;
    }
    let donors = &prepared.donors;
    eprintln!(
        "{database_name}: {SCHOOLS} schools x {} books and {} wishes ready in {:.1?}",
        BOOKS + 2,
        prepared.wishes[0].len() + prepared.wishes[1].len(),
        setup.elapsed()
    );
    let mut rows = Vec::new();
    for hot in [false, true] {
        let (lat, took) = raw(&service, donors, total, hot).await?;
        let kind = if hot { Kind::Hot } else { Kind::Spread };
        rows.push(row(
            database_name,
            kind.label(),
            "raw store, c=1".into(),
            lat,
            took,
            0,
        ));
    }
    drop(service);

    // The HTTP rows against the release binary serving as its own process, as deployed;
    // then the same with group commit off, same database, same run: the baseline.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()?;
    let mut memory = Vec::new();
    let mut offset = 0;
    for (run, (group_commit, how, levels)) in [
        (true, "group commit on", &CONCURRENCY[..]),
        (false, "group commit off", &[64][..]),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = work.path().join(how.replace(' ', "-"));
        let server = Server::start(
            |port| {
                let mut command = server::command(&url, &dir, port);
                command.env("ROCKET_PLEDGE_GROUP_COMMIT", group_commit.to_string());
                command
            },
            &client,
        )
        .await?;
        let base = format!("{}/api/v1", server.base);
        let tokens = Arc::new(tokens(&client, &base).await?);
        let wishes = Arc::new(prepared.wishes[run].clone());
        for kind in Kind::ALL {
            let load = Load {
                kind,
                named: prepared.named[run],
                wishes: wishes.clone(),
                next_wish: Arc::default(),
            };
            for &c in levels {
                let (lat, took, failed) =
                    over_http(&client, &base, &tokens, c, total, &load, offset).await?;
                offset += total;
                let how = if group_commit {
                    format!("HTTP, c={c}")
                } else {
                    format!("HTTP, c={c}, group commit off")
                };
                rows.push(row(database_name, kind.label(), how, lat, took, failed));
            }
        }
        let mb = |field| server::status_kb(server.pid(), field) as f64 / 1024.0;
        memory.push(ServerMemory {
            database: database_name,
            how,
            rss: mb("VmRSS:"),
            peak: mb("VmHWM:"),
        });
    }
    no_over_pledge(&url).await?;
    // Each kind together: the raw row, then the HTTP rows.
    rows.sort_by_key(|r| Kind::ALL.iter().position(|k| k.label() == r.books));
    Ok((rows, memory))
}

/// Every copy pledged is one a school asked for and counted, and none beyond.
async fn no_over_pledge(url: &str) -> anyhow::Result<()> {
    let db = Database::connect(url).await?;
    let figure = |sql: String| {
        let db = &db;
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    sql.clone(),
                ))
                .await?
                .ok_or_else(|| anyhow::anyhow!("no answer to {sql}"))?;
            anyhow::Ok(row.try_get::<Option<i64>>("", "n")?.unwrap_or(0))
        }
    };
    let over = figure(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM wishlist_items WHERE committed > requested"
            .into(),
    )
    .await?;
    let holding: Vec<String> = PledgeStatus::ALL
        .into_iter()
        .filter(|s| s.holds_copies())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let pledged = figure(format!(
        "SELECT CAST(SUM(quantity) AS BIGINT) AS n FROM pledges WHERE status IN ({})",
        holding.join(", ")
    ))
    .await?;
    let committed =
        figure("SELECT CAST(SUM(committed) AS BIGINT) AS n FROM wishlist_items".into()).await?;
    anyhow::ensure!(over == 0, "{over} wish-list items over-pledged");
    anyhow::ensure!(
        pledged == committed,
        "{pledged} copies pledged but {committed} counted against wishes"
    );
    db.close().await?;
    Ok(())
}

async fn run() -> anyhow::Result<()> {
    let total: usize = std::env::var("BENCH_PLEDGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3_000);
    let sqlite_dir = tempfile::tempdir()?;
    let (mut rows, mut memory) =
        bench("sqlite", database(sqlite_dir.path(), None).await?, total).await?;
    if let Ok(pg) = std::env::var("BENCH_DATABASE_URL") {
        if !pg.is_empty() {
            let (more, more_memory) = bench(
                "postgres",
                database(sqlite_dir.path(), Some(&pg)).await?,
                total,
            )
            .await?;
            rows.extend(more);
            memory.extend(more_memory);
        }
    }
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!();
    println!("Pledges of one copy, {total} per row, {SCHOOLS} schools, {cores} cores (the clients in this process, the server in its own: they share the cores)");
    println!();
    println!("| database | what | how | pledges/s | p50 ms | p99 ms | max ms | refused |");
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
    println!();
    println!("| server | RSS after its rows (MB) | peak (MB) |");
    println!("|---|---:|---:|");
    for m in &memory {
        println!(
            "| {}, {} | {:.0} | {:.0} |",
            m.database, m.how, m.rss, m.peak
        );
    }
    Ok(())
}
