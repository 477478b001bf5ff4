//! Campaign-day rush against the release binary: `cargo bench --bench rush`.
//!
//! Imports a catalogue of 1,000,000 books (`BENCH_BOOKS`) with `bookbridge import books`
//! into a fresh SQLite database, starts `bookbridge serve` on it with the demo data (its own
//! process, so its memory is the server's alone), lets three demo schools ask for ten books
//! in bulk, then sends the mixed load of a rush from this process: 50 clients for 60 s
//! (`BENCH_SECONDS`), 70 % searches, 20 % pages, 10 % pledges, first with nothing kept
//! (`wordless_search_cache = false`, `public_page_cache = false`: every home page searches and
//! every page renders), then, after a restart, as deployed (answers kept per index commit,
//! public pages per version of what they show); then a pledge rush, 64
//! clients pledging one copy each for 20 s (`BENCH_RUSH_SECONDS`). Prints one table of
//! latencies and one of the server's resident memory (VmRSS), sampled every 50 ms. A
//! measurement, not a test: it asserts only that no request failed.

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[path = "common/catalogue.rs"]
mod catalogue;
#[path = "common/server.rs"]
mod server;
use server::{status_kb, Server};

/// Clients in the mixed load (the measurement) and in the pledge rush.
const MIXED_CLIENTS: usize = 50;
const RUSH_CLIENTS: usize = 64;

/// Demo schools that ask for the pledged books, and the books (real seed ISBNs).
const SCHOOLS: [&str; 3] = [
    "nuofu@demo.bookbridge.org",
    "dongxiang@demo.bookbridge.org",
    "zhaojue@demo.bookbridge.org",
];
const PASSWORD: &str = "demo-password";

/// The search mix: words, several words, ISBNs, typos, Chinese, filters.
const QUERIES: [&str; 24] = [
    "q=moon",
    "q=harry",
    "q=dinosaur",
    "q=science",
    "q=history",
    "q=little+prince",
    "q=hungry+caterpillar",
    "q=charlotte+web",
    "q=where+wild+things",
    "q=9780060775858",
    "q=9780141301068",
    "q=9780333710937",
    "q=dinosuar",
    "q=caterpiller",
    "q=hary+poter",
    "q=%E5%B0%8F%E7%8E%8B%E5%AD%90",
    "q=%E5%AE%89%E5%BE%92%E7%94%9F%E7%AB%A5%E8%AF%9D",
    "q=%E8%A5%BF%E6%B8%B8%E8%AE%B0",
    "q=%E6%81%90%E9%BE%99",
    "q=moon&needed=true",
    "q=story&lang=zh",
    "q=animals&age=primary",
    "q=edition+12",
    "q=collected&needed=true&lang=en",
];

/// The page mix: what donors and teachers open in a rush (anonymous, in Chinese).
const PAGES: [&str; 7] = [
    "/",
    "/?q=moon",
    "/?q=%E5%B0%8F%E7%8E%8B%E5%AD%90",
    "/schools",
    "/schools/1",
    "/wishes",
    "/booklists",
];

fn main() -> anyhow::Result<()> {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let books = number("BENCH_BOOKS", 1_000_000);
    let mixed = Duration::from_secs(number("BENCH_SECONDS", 60));
    let rush = Duration::from_secs(number("BENCH_RUSH_SECONDS", 20));
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(books as usize, mixed, rush))
}

/// The server's resident memory now, in kB.
fn rss_kb(pid: u32) -> u64 {
    status_kb(pid, "VmRSS:")
}

/// Each search and page of the mixes alone (the median of three), slowest first.
async fn one_at_a_time(client: &reqwest::Client, base: &str) -> Vec<(String, f64)> {
    let mut timed = Vec::new();
    let paths = QUERIES
        .iter()
        .map(|q| format!("/api/v1/search?{q}"))
        .chain(PAGES.iter().map(|p| (*p).to_owned()));
    for path in paths {
        let mut took = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            if let Ok(answer) = client.get(format!("{base}{path}")).send().await {
                let _ = answer.bytes().await;
            }
            took.push(started.elapsed().as_secs_f64() * 1e3);
        }
        took.sort_by(f64::total_cmp);
        timed.push((path, took[1]));
    }
    timed.sort_by(|a, b| b.1.total_cmp(&a.1));
    timed
}

/// Samples the server's RSS every 50 ms; the peak since the last `reset`.
struct Sampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Sampler {
    fn start(pid: u32) -> Self {
        let peak = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss_kb(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Sampler { peak, stop }
    }
    fn take_peak(&self) -> u64 {
        self.peak.swap(0, Ordering::Relaxed)
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn with_json(request: reqwest::RequestBuilder, body: &Value) -> reqwest::RequestBuilder {
    request
        .header("Content-Type", "application/json")
        .body(body.to_string())
}

fn bookbridge(dir: &std::path::Path, port: u16) -> Command {
    server::command(
        &format!("sqlite://{}/rush.db?mode=rwc", dir.display()),
        dir,
        port,
    )
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let answer: Value = serde_json::from_slice(
        &with_json(
            client.post(format!("{base}/api/v1/sessions")),
            &json!({"email": email, "password": PASSWORD}),
        )
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?,
    )?;
    Ok(answer["token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no token for {email}"))?
        .to_owned())
}

/// The ten books the schools ask for in bulk: the first real ISBNs of the catalogue.
fn wanted_books() -> anyhow::Result<Vec<String>> {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
    Ok(
        bookbridge::seed::read_goodbooks(&seed.join("goodbooks_books.csv"))?
            .into_iter()
            .skip(100)
            .take(10)
            .map(|b| b.isbn.as_str().to_owned())
            .collect(),
    )
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Search,
    Page,
    Pledge,
}

struct Sample {
    kind: Kind,
    /// Which of `PAGES`, for a page.
    page: Option<&'static str>,
    took: Duration,
    ok: bool,
}

fn mix(i: u64) -> u64 {
    // SplitMix64: deterministic pseudo-randomness without a crate.
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `clients` clients send requests back to back for `length`; `pick` says what the n-th is.
async fn load(
    client: &reqwest::Client,
    base: &str,
    donor: &str,
    books: &[String],
    clients: usize,
    length: Duration,
    pick: fn(u64) -> Kind,
) -> Vec<Sample> {
    let deadline = Instant::now() + length;
    let counter = Arc::new(AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, base, donor, books, counter) = (
            client.clone(),
            base.to_owned(),
            donor.to_owned(),
            books.to_vec(),
            counter.clone(),
        );
        tasks.spawn(async move {
            let mut samples = Vec::new();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let h = mix(n);
                let kind = pick(n);
                let page = (kind == Kind::Page).then(|| PAGES[(h % PAGES.len() as u64) as usize]);
                let request = match kind {
                    Kind::Search => client.get(format!(
                        "{base}/api/v1/search?{}",
                        QUERIES[(h % QUERIES.len() as u64) as usize]
                    )),
                    Kind::Page => client
                        .get(format!("{base}{}", page.unwrap_or("/")))
                        .header("Accept-Language", "zh-CN,zh;q=0.9"),
                    Kind::Pledge => with_json(
                        client
                            .post(format!("{base}/api/v1/pledges"))
                            .bearer_auth(&donor),
                        &json!({
                            "isbn": books[(h % books.len() as u64) as usize],
                            "quantity": 1
                        }),
                    ),
                };
                let started = Instant::now();
                let ok = match request.send().await {
                    Ok(answer) => {
                        let status = answer.status();
                        let _ = answer.bytes().await;
                        status.is_success()
                    }
                    Err(_) => false,
                };
                samples.push(Sample {
                    kind,
                    page,
                    took: started.elapsed(),
                    ok,
                });
            }
            samples
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done.expect("a client"));
    }
    all
}

fn mixed_pick(n: u64) -> Kind {
    match mix(n ^ 0x5555) % 10 {
        0..=6 => Kind::Search,
        7 | 8 => Kind::Page,
        _ => Kind::Pledge,
    }
}

fn pledge_pick(_: u64) -> Kind {
    Kind::Pledge
}

/// The `p`-th share of sorted latencies, in ms.
fn at(took: &[Duration], p: f64) -> f64 {
    took[((took.len() as f64 * p).ceil() as usize).clamp(1, took.len()) - 1].as_secs_f64() * 1e3
}

/// p50 and p99 of one page's samples, in ms.
fn page_figures(samples: &[Sample], page: &str) -> (usize, f64, f64) {
    let mut took: Vec<Duration> = samples
        .iter()
        .filter(|s| s.page == Some(page))
        .map(|s| s.took)
        .collect();
    if took.is_empty() {
        return (0, 0.0, 0.0);
    }
    took.sort();
    (took.len(), at(&took, 0.50), at(&took, 0.99))
}

/// Each page under the mixed load, nothing kept against kept.
fn report_pages(before: &[Sample], after: &[Sample]) {
    println!("| page | requests (nothing kept / kept) | p50 ms, nothing kept | p50 ms, kept | p99 ms, nothing kept | p99 ms, kept |");
    println!("|---|---:|---:|---:|---:|---:|");
    for page in PAGES {
        let (n0, p50_0, p99_0) = page_figures(before, page);
        let (n1, p50_1, p99_1) = page_figures(after, page);
        println!("| `{page}` | {n0} / {n1} | {p50_0:.2} | {p50_1:.2} | {p99_0:.2} | {p99_1:.2} |");
    }
}

fn report(phase: &str, samples: &[Sample], length: Duration) -> usize {
    let mut failed = 0;
    for kind in [Kind::Search, Kind::Page, Kind::Pledge] {
        let mut took: Vec<Duration> = samples
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.took)
            .collect();
        if took.is_empty() {
            continue;
        }
        let bad = samples.iter().filter(|s| s.kind == kind && !s.ok).count();
        failed += bad;
        took.sort();
        println!(
            "| {phase} | {kind:?} | {} | {bad} | {:.0} | {:.2} | {:.2} | {:.2} |",
            took.len(),
            took.len() as f64 / length.as_secs_f64(),
            at(&took, 0.50),
            at(&took, 0.99),
            at(&took, 1.0),
        );
    }
    failed
}

async fn run(books: usize, mixed: Duration, rush: Duration) -> anyhow::Result<()> {
    let temporary = tempfile::tempdir()?;
    // BENCH_KEEP=1 keeps the database and index to look at afterwards.
    let work = if std::env::var_os("BENCH_KEEP").is_some() {
        let kept = temporary.keep();
        eprintln!("keeping {}", kept.display());
        kept
    } else {
        temporary.path().to_owned()
    };
    let work = work.as_path();
    let csv = work.join("catalogue.csv");
    catalogue::write_csv(&csv, books)?;
    let started = Instant::now();
    let imported = bookbridge(work, 0)
        .env("ROCKET_SEED_DEMO", "false")
        .args(["import", "books"])
        .arg(&csv)
        .status()?;
    anyhow::ensure!(imported.success(), "the import failed");
    let import_took = started.elapsed();
    std::fs::remove_file(&csv)?;

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(RUSH_CLIENTS)
        .timeout(Duration::from_secs(60))
        .build()?;
    let server = Server::start(|port| bookbridge(work, port), &client).await?;
    let base = server.base.clone();
    let wanted = wanted_books()?;
    for school in SCHOOLS {
        let token = sign_in(&client, &base, school).await?;
        let me: Value = serde_json::from_slice(
            &client
                .get(format!("{base}/api/v1/me"))
                .bearer_auth(&token)
                .send()
                .await?
                .bytes()
                .await?,
        )?;
        let id = me["school_id"]
            .as_i64()
            .ok_or_else(|| anyhow::anyhow!("{school} has no school: {me}"))?;
        for isbn in &wanted {
            let answer = with_json(
                client
                    .post(format!("{base}/api/v1/schools/{id}/wishlist"))
                    .bearer_auth(&token),
                &json!({"isbn": isbn, "quantity": 10_000}),
            )
            .send()
            .await?;
            // 409: the demo list asks for it already, which serves as well.
            anyhow::ensure!(
                answer.status().is_success() || answer.status() == reqwest::StatusCode::CONFLICT,
                "{school} could not ask for {isbn}: {}",
                answer.text().await?
            );
        }
    }
    let donor = sign_in(&client, &base, "donor@demo.bookbridge.org").await?;
    // Let the index take the new need in and the server settle before measuring.
    tokio::time::sleep(Duration::from_secs(2)).await;

    // The baseline in the same run: the same mix with every wordless search run again.
    let uncached = {
        drop(server);
        let server = Server::start(
            |port| {
                let mut command = bookbridge(work, port);
                command
                    .env("ROCKET_WORDLESS_SEARCH_CACHE", "false")
                    .env("ROCKET_PUBLIC_PAGE_CACHE", "false");
                command
            },
            &client,
        )
        .await?;
        // Sessions live in the database: the donor's token outlives the restart.
        load(
            &client,
            &server.base,
            &donor,
            &wanted,
            MIXED_CLIENTS,
            mixed,
            mixed_pick,
        )
        .await
    };
    let server = Server::start(|port| bookbridge(work, port), &client).await?;
    let pid = server.pid();
    let base = server.base.clone();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = rss_kb(pid);
    let sampler = Sampler::start(pid);

    let mixed_samples = load(
        &client,
        &base,
        &donor,
        &wanted,
        MIXED_CLIENTS,
        mixed,
        mixed_pick,
    )
    .await;
    let mixed_peak = sampler.take_peak();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_mixed = rss_kb(pid);
    sampler.take_peak();
    let rush_samples = load(
        &client,
        &base,
        &donor,
        &wanted,
        RUSH_CLIENTS,
        rush,
        pledge_pick,
    )
    .await;
    let rush_peak = sampler.take_peak();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_rush = rss_kb(pid);
    let (anon, file) = (status_kb(pid, "RssAnon:"), status_kb(pid, "RssFile:"));
    let alone = one_at_a_time(&client, &base).await;

    println!(
        "bookbridge rush benchmark: {books} books (imported in {:.1} s), release binary on SQLite, \
         {} cores; clients in this process, server in its own",
        import_took.as_secs_f64(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("| phase | kind | requests | failed | per s | p50 ms | p99 ms | max ms |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    let mixed_name = format!("mixed, {MIXED_CLIENTS} clients, {} s", mixed.as_secs());
    let rush_name = format!("pledges, {RUSH_CLIENTS} clients, {} s", rush.as_secs());
    let failed = report(&format!("{mixed_name}, nothing kept"), &uncached, mixed)
        + report(&format!("{mixed_name}, kept"), &mixed_samples, mixed)
        + report(&rush_name, &rush_samples, rush);
    println!();
    report_pages(&uncached, &mixed_samples);
    println!();
    println!("| server RSS (MB) | idle, index open | peak | after |");
    println!("|---|---:|---:|---:|");
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!(
        "| {mixed_name} | {:.0} | {:.0} | {:.0} |",
        mb(idle),
        mb(mixed_peak),
        mb(after_mixed)
    );
    println!(
        "| {rush_name} | | {:.0} | {:.0} |",
        mb(rush_peak),
        mb(after_rush)
    );
    println!(
        "after both: {:.0} MB allocated (RssAnon), {:.0} MB of files mapped in (RssFile)",
        mb(anon),
        mb(file)
    );
    println!();
    println!("each request alone, median of three, slowest first (ms):");
    for (path, ms) in alone.iter().take(10) {
        println!("  {ms:>8.2}  {path}");
    }
    anyhow::ensure!(failed == 0, "{failed} requests failed");
    Ok(())
}
