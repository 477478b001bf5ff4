//! Search benchmark: `cargo bench --bench search` (BENCH_BOOKS=… to change the size).
//!
//! Builds a catalogue of 1,000,000 books from the real seed records plus deterministic
//! variants, then runs a fixed mix of 210 queries (single words, several words, ISBNs,
//! typos, Chinese, filters) in-process and over HTTP against the real service at
//! concurrency 1 and 32, and the same mix on SQLite FTS5 over the same books, same run,
//! as the baseline. Prints one table. A measurement, not a test: it asserts nothing.
//! The index is merged into one segment after it is built, as a large import leaves it.
//! `BENCH_IN_PROCESS_ONLY=1` stops after the in-process figures (for ten million books).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bookbridge::domain::search::{normalize_language, AgeBand, SearchQuery};
use bookbridge::seed::{read_age_bands, read_chinese, read_goodbooks};
use index::tokenizer::{index_terms, query_terms};
use index::{BookDoc, Catalogue, SearchRequest};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sea_orm::sqlx::{self, Row, SqlitePool};

const VARIANT_WORDS: [&str; 12] = [
    "Illustrated",
    "Anniversary Edition",
    "Collected",
    "Abridged",
    "Annotated",
    "Large Print",
    "School Edition",
    "Revised",
    "Pocket",
    "Classroom Set",
    "Bilingual",
    "Deluxe",
];

fn main() -> anyhow::Result<()> {
    let books: usize = std::env::var("BENCH_BOOKS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(books))
}

/// A synthetic but valid ISBN-13 for variant `i`.
fn synthetic_isbn(i: usize) -> String {
    let body = format!("9790{:08}", i);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(k, b)| u32::from(b - b'0') * if k % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn mix(i: usize) -> u64 {
    // SplitMix64: deterministic pseudo-randomness without a crate.
    let mut z = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn catalogue_docs(n: usize) -> anyhow::Result<Vec<BookDoc>> {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
    let bands = read_age_bands(&seed.join("age_bands.csv"))?;
    let mut base = read_goodbooks(&seed.join("goodbooks_books.csv"))?;
    base.extend(read_chinese(&seed.join("chinese_children_books.csv"))?);
    let mut seen = std::collections::HashSet::new();
    // Real ISBNs are 978 or 979-1..; synthetic ones are 979-0 + 8 digits, so never collide.
    base.retain(|b| seen.insert(b.isbn.clone()) && !b.isbn.as_str().starts_with("9790"));
    let ages = ["early", "primary", "teen", "adult"];
    let docs = (0..n)
        .map(|i| {
            let b = &base[i % base.len()];
            let variant = i / base.len();
            let h = mix(i);
            let title = b.details.title.clone().unwrap_or_default();
            let outstanding = if h.is_multiple_of(20) { 1 + h % 12 } else { 0 };
            BookDoc {
                isbn: if variant == 0 {
                    b.isbn.as_str().to_owned()
                } else {
                    synthetic_isbn(i)
                },
                title: if variant == 0 {
                    title
                } else {
                    format!(
                        "{title} ({} {variant})",
                        VARIANT_WORDS[variant % VARIANT_WORDS.len()]
                    )
                },
                subtitle: None,
                authors: b.details.authors.clone(),
                subjects: b.details.subjects.clone(),
                publisher: b.details.publisher.clone(),
                description: None,
                language: b.details.language.as_deref().and_then(normalize_language),
                age_band: bands
                    .get(b.isbn.as_str())
                    .cloned()
                    .or_else(|| b.details.age_band.clone())
                    .or_else(|| {
                        h.is_multiple_of(3)
                            .then(|| ages[(h / 3 % 4) as usize].to_owned())
                    }),
                year: b.details.publication_year.map(i64::from),
                outstanding,
                schools_needing: if outstanding > 0 { 1 + h % 3 } else { 0 },
            }
        })
        .collect();
    Ok(docs)
}

/// One query of the mix, as URL parameters.
#[derive(Clone, Debug)]
struct Q {
    kind: &'static str,
    params: Vec<(&'static str, String)>,
}

fn query_mix(docs: &[BookDoc]) -> Vec<Q> {
    let english: Vec<&BookDoc> = docs
        .iter()
        .filter(|d| d.language.as_deref() == Some("en"))
        .take(20_000)
        .collect();
    let chinese: Vec<&BookDoc> = docs
        .iter()
        .filter(|d| d.language.as_deref() == Some("zh"))
        .take(2_000)
        .collect();
    let words = |d: &BookDoc| -> Vec<String> {
        d.title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_lowercase)
            .collect()
    };
    let q = |kind, text: String| Q {
        kind,
        params: vec![("q", text)],
    };
    let mut out = Vec::new();
    let mut k = 0;
    while out.iter().filter(|q: &&Q| q.kind == "word").count() < 50 {
        if let Some(w) = words(english[k * 37 % english.len()]).first() {
            out.push(q("word", w.clone()));
        }
        k += 1;
    }
    k = 0;
    while out.iter().filter(|q| q.kind == "words").count() < 50 {
        let w = words(english[k * 53 % english.len()]);
        if w.len() >= 2 {
            out.push(q("words", format!("{} {}", w[0], w[1])));
        }
        k += 1;
    }
    for k in 0..30 {
        let d = docs[mix(k) as usize % docs.len()].isbn.clone();
        let form = if k % 3 == 0 {
            format!("{}-{}-{}", &d[..3], &d[3..12], &d[12..])
        } else {
            d
        };
        out.push(q("isbn", form));
    }
    k = 0;
    while out.iter().filter(|q| q.kind == "typo").count() < 30 {
        if let Some(w) = words(english[k * 71 % english.len()])
            .into_iter()
            .find(|w| w.len() >= 6)
        {
            let mut chars: Vec<char> = w.chars().collect();
            chars.swap(2, 3);
            out.push(q("typo", chars.into_iter().collect()));
        }
        k += 1;
    }
    for k in 0..30 {
        let title: Vec<char> = chinese[k * 29 % chinese.len()]
            .title
            .chars()
            .filter(|c| !c.is_ascii())
            .collect();
        let take = 2 + k % 2;
        if title.len() >= take {
            out.push(q("chinese", title[..take].iter().collect()));
        } else {
            out.push(q("chinese", "王子".into()));
        }
    }
    for k in 0..20 {
        let mut f = q(
            "filter",
            words(english[k * 13 % english.len()])
                .first()
                .cloned()
                .unwrap_or_else(|| "moon".into()),
        );
        match k % 4 {
            0 => f.params.push(("needed", "true".into())),
            1 => f.params.push(("lang", "en".into())),
            2 => f.params.push(("age", "primary".into())),
            _ => {
                f.params = vec![("lang", "zh".into()), ("needed", "true".into())];
            }
        }
        out.push(f);
    }
    out
}

fn request_of(q: &Q) -> SearchRequest {
    let get = |name: &str| {
        q.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    };
    SearchQuery {
        text: get("q"),
        needed: get("needed"),
        language: get("lang"),
        age: get("age"),
        limit: None,
        offset: None,
    }
    .check()
    .expect("the mix is valid")
}

struct Stats {
    p50: Duration,
    p95: Duration,
    p99: Duration,
    qps: f64,
}

fn stats(mut latencies: Vec<Duration>, wall: Duration) -> Stats {
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    Stats {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
        qps: latencies.len() as f64 / wall.as_secs_f64(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

const ROUNDS: usize = 5;

/// Latencies split by query kind (the mix repeats in order each round).
fn per_kind(mix: &[Q], lat: &[Duration]) -> Vec<(&'static str, Stats)> {
    let mut kinds: Vec<&'static str> = mix.iter().map(|q| q.kind).collect();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let own: Vec<Duration> = lat
                .iter()
                .enumerate()
                .filter(|(i, _)| mix[i % mix.len()].kind == kind)
                .map(|(_, d)| *d)
                .collect();
            let total = own.iter().sum();
            (kind, stats(own, total))
        })
        .collect()
}

async fn run(n: usize) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    println!(
        "bookbridge search benchmark: {n} books, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let t = Instant::now();
    let docs = catalogue_docs(n)?;
    println!(
        "generated {} documents in {:.1}s",
        docs.len(),
        t.elapsed().as_secs_f64()
    );
    let mix = query_mix(&docs);

    // --- tantivy: build ---
    let index_dir = work.path().join("index");
    let catalogue = Catalogue::open_for_bulk(&index_dir, 1_000_000_000, 2)?;
    let t = Instant::now();
    for chunk in docs.chunks(10_000) {
        catalogue.add_unchecked(chunk)?;
    }
    catalogue.commit(0)?;
    let build = t.elapsed();
    // Merged into one segment, as `bookbridge import books` leaves a large import.
    let t = Instant::now();
    let segments = catalogue.compact()?;
    let merged = t.elapsed();
    let index_bytes = catalogue.size_bytes()?;

    // --- tantivy: in-process ---
    let requests: Vec<SearchRequest> = mix.iter().map(request_of).collect();
    for r in &requests {
        catalogue.search(r)?;
    }
    let mut lat = Vec::new();
    let t = Instant::now();
    for _ in 0..ROUNDS {
        for r in &requests {
            let s = Instant::now();
            catalogue.search(r)?;
            lat.push(s.elapsed());
        }
    }
    let tantivy_local = stats(lat.clone(), t.elapsed());
    // BENCH_IN_PROCESS_ONLY=1 stops here (at ten million books the rest takes long).
    if std::env::var("BENCH_IN_PROCESS_ONLY").is_ok_and(|v| v == "1") {
        println!(
            "merged {segments} segments into one in {:.1}s",
            merged.as_secs_f64()
        );
        println!("| query kind | in-process p50 / p99 (ms) |");
        println!("|---|---:|");
        for (kind, st) in per_kind(&mix, &lat) {
            println!("| `{kind}` | {} / {} |", ms(st.p50), ms(st.p99));
        }
        println!(
            "| all: p50 / p95 / p99 | {} / {} / {} |",
            ms(tantivy_local.p50),
            ms(tantivy_local.p95),
            ms(tantivy_local.p99)
        );
        return Ok(());
    }
    let by_kind = per_kind(&mix, &lat);
    drop(catalogue);

    let rss_built = status_mb("VmRSS");
    // --- FTS5 baseline (BENCH_FTS5=off skips it: at 10,000,000 books it takes most of an hour) ---
    let fts = match std::env::var("BENCH_FTS5").as_deref() {
        Ok("off") => None,
        _ => Some(fts5(&work.path().join("fts.db"), &docs, &mix).await?),
    };
    // --- Postgres full-text baseline, when a server is named ---
    let postgres = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(postgres_fts(&url, &docs, &mix).await?),
        _ => None,
    };
    drop(docs);

    // --- HTTP, the real service ---
    let port = 18_000 + (std::process::id() % 1000) as u16;
    let figment = bookbridge::config::figment()
        .merge(("port", port))
        .merge((
            "database_url",
            format!("sqlite://{}/service.db?mode=rwc", work.path().display()),
        ))
        .merge(("index_dir", index_dir.display().to_string()))
        .merge(("seed_demo", false))
        .merge(("log_level", "off"));
    let server = tokio::spawn(bookbridge::rocket_from(figment).launch());
    let base = format!("http://127.0.0.1:{port}/api/v1/search");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    for _ in 0..100 {
        if client
            .get(format!("http://127.0.0.1:{port}/api/v1/health"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for q in &mix {
        client
            .get(&base)
            .query(&q.params)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
    }
    let http1 = {
        let mut lat = Vec::new();
        let t = Instant::now();
        for _ in 0..ROUNDS {
            for q in &mix {
                let s = Instant::now();
                client
                    .get(&base)
                    .query(&q.params)
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                lat.push(s.elapsed());
            }
        }
        stats(lat, t.elapsed())
    };
    let http32 = {
        let mix = Arc::new(mix.clone());
        let t = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for worker in 0..32 {
            let (client, base, mix) = (client.clone(), base.clone(), mix.clone());
            tasks.spawn(async move {
                let mut lat = Vec::new();
                for k in 0..mix.len() * 2 {
                    let q = &mix[(k + worker * 7) % mix.len()];
                    let s = Instant::now();
                    client
                        .get(&base)
                        .query(&q.params)
                        .send()
                        .await?
                        .error_for_status()?
                        .bytes()
                        .await?;
                    lat.push(s.elapsed());
                }
                anyhow::Ok(lat)
            });
        }
        let mut lat = Vec::new();
        while let Some(done) = tasks.join_next().await {
            lat.extend(done??);
        }
        stats(lat, t.elapsed())
    };
    server.abort();
    let rss_served = status_mb("VmRSS");

    let kinds: Vec<&str> = {
        let mut k: Vec<&str> = mix.iter().map(|q| q.kind).collect();
        k.dedup();
        k
    };
    println!();
    println!(
        "query mix: {} queries ({}), {ROUNDS} rounds in-process and at concurrency 1",
        mix.len(),
        kinds.join(", ")
    );
    println!();
    // The baseline's cells, or a dash when it was skipped.
    let cell = |f: &dyn Fn(&(Duration, u64, Stats)) -> String| {
        fts.as_ref().map_or_else(|| "—".to_owned(), f)
    };
    println!("| measure | tantivy (bookbridge) | SQLite FTS5 (baseline) | ratio |");
    println!("|---|---:|---:|---:|");
    println!(
        "| build rate (books/s) | {:.0} | {} | {} |",
        n as f64 / build.as_secs_f64(),
        cell(&|(b, _, _)| format!("{:.0}", n as f64 / b.as_secs_f64())),
        cell(&|(b, _, _)| format!("{:.1}x", b.as_secs_f64() / build.as_secs_f64())),
    );
    println!(
        "| build time (s) | {:.1} | {} | |",
        build.as_secs_f64(),
        cell(&|(b, _, _)| format!("{:.1}", b.as_secs_f64())),
    );
    println!(
        "| then merged from {segments} segments into one (s) | {:.1} | | |",
        merged.as_secs_f64()
    );
    println!(
        "| size (MB) | {:.1} | {} | |",
        index_bytes as f64 / 1e6,
        cell(&|(_, bytes, _)| format!("{:.1}", *bytes as f64 / 1e6)),
    );
    println!(
        "| in-process p50 / p95 / p99 (ms) | {} / {} / {} | {} | {} |",
        ms(tantivy_local.p50),
        ms(tantivy_local.p95),
        ms(tantivy_local.p99),
        cell(&|(_, _, f)| format!("{} / {} / {}", ms(f.p50), ms(f.p95), ms(f.p99))),
        cell(&|(_, _, f)| format!(
            "{:.1}x (p50)",
            f.p50.as_secs_f64() / tantivy_local.p50.as_secs_f64()
        )),
    );
    println!(
        "| in-process throughput, 1 thread (queries/s) | {:.0} | {} | {} |",
        tantivy_local.qps,
        cell(&|(_, _, f)| format!("{:.0}", f.qps)),
        cell(&|(_, _, f)| format!("{:.1}x", tantivy_local.qps / f.qps)),
    );
    for (kind, st) in &by_kind {
        println!(
            "| in-process `{kind}` p50 / p99 (ms) | {} / {} | | |",
            ms(st.p50),
            ms(st.p99)
        );
    }
    println!(
        "| HTTP c=1 p50 / p95 / p99 (ms) | {} / {} / {} | | |",
        ms(http1.p50),
        ms(http1.p95),
        ms(http1.p99)
    );
    println!("| HTTP c=1 throughput (queries/s) | {:.0} | | |", http1.qps);
    println!(
        "| HTTP c=32 p50 / p95 / p99 (ms) | {} / {} / {} | | |",
        ms(http32.p50),
        ms(http32.p95),
        ms(http32.p99)
    );
    println!(
        "| HTTP c=32 throughput (queries/s) | {:.0} | | {} |",
        http32.qps,
        cell(&|(_, _, f)| format!("{:.1}x FTS5 in-process", http32.qps / f.qps)),
    );
    println!(
        "| process RSS (MB): index built (documents still in memory) / after HTTP (documents freed) / peak | {:.0} / {:.0} / {:.0} | | |",
        rss_built,
        rss_served,
        status_mb("VmHWM"),
    );
    if let Some((pg_build, pg_bytes, pg, pg_kinds)) = &postgres {
        println!();
        println!("| measure | tantivy (bookbridge) | Postgres FTS + pg_trgm (baseline) | ratio |");
        println!("|---|---:|---:|---:|");
        println!(
            "| build rate (books/s) | {:.0} | {:.0} | {:.1}x |",
            n as f64 / build.as_secs_f64(),
            n as f64 / pg_build.as_secs_f64(),
            pg_build.as_secs_f64() / build.as_secs_f64()
        );
        println!(
            "| size (MB) | {:.1} | {:.1} | |",
            index_bytes as f64 / 1e6,
            *pg_bytes as f64 / 1e6
        );
        println!(
            "| in-process p50 / p95 / p99 (ms) | {} / {} / {} | {} / {} / {} | {:.1}x (p50) |",
            ms(tantivy_local.p50),
            ms(tantivy_local.p95),
            ms(tantivy_local.p99),
            ms(pg.p50),
            ms(pg.p95),
            ms(pg.p99),
            pg.p50.as_secs_f64() / tantivy_local.p50.as_secs_f64()
        );
        println!(
            "| throughput, 1 client (queries/s) | {:.0} | {:.0} | **{:.1}x** |",
            tantivy_local.qps,
            pg.qps,
            tantivy_local.qps / pg.qps
        );
        for ((kind, ours), (_, theirs)) in by_kind.iter().zip(pg_kinds) {
            println!(
                "| `{kind}` p50 / p99 (ms) | {} / {} | {} / {} | |",
                ms(ours.p50),
                ms(ours.p99),
                ms(theirs.p50),
                ms(theirs.p99)
            );
        }
    }
    Ok(())
}

/// The same books and the same query mix on SQLite FTS5, with the same analysis (text is
/// stored as the index's own terms, so Chinese bigrams and stems match the same way).
/// Filter values spliced into SQL are checked values (a normalised language code, an age
/// band from its enum), hence `AssertSqlSafe`.
async fn fts5(path: &Path, docs: &[BookDoc], mix: &[Q]) -> anyhow::Result<(Duration, u64, Stats)> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let pool: SqlitePool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(
        "CREATE VIRTUAL TABLE fts USING fts5(title, authors, subjects, publisher, \
         language UNINDEXED, age_band UNINDEXED, outstanding UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')",
    )
    .execute(&pool)
    .await?;
    sqlx::query("CREATE TABLE books (isbn TEXT PRIMARY KEY, doc INTEGER NOT NULL)")
        .execute(&pool)
        .await?;
    let joined = |text: Option<&str>| text.map(|t| index_terms(t).join(" ")).unwrap_or_default();
    let t = Instant::now();
    for (c, chunk) in docs.chunks(10_000).enumerate() {
        let mut tx = pool.begin().await?;
        for (k, d) in chunk.iter().enumerate() {
            let rowid = (c * 10_000 + k + 1) as i64;
            sqlx::query("INSERT INTO fts (rowid, title, authors, subjects, publisher, language, age_band, outstanding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(rowid)
                .bind(joined(Some(&d.title)))
                .bind(joined(d.authors.as_deref()))
                .bind(joined(d.subjects.as_deref()))
                .bind(joined(d.publisher.as_deref()))
                .bind(d.language.clone())
                .bind(d.age_band.clone())
                .bind(d.outstanding as i64)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO books (isbn, doc) VALUES (?, ?)")
                .bind(&d.isbn)
                .bind(rowid)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    let build = t.elapsed();
    let bytes: i64 = sqlx::query(
        "SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()",
    )
    .fetch_one(&pool)
    .await?
    .get("n");

    let requests: Vec<SearchRequest> = mix.iter().map(request_of).collect();
    let run_one = |r: &SearchRequest| {
        let pool = pool.clone();
        let r = r.clone();
        async move {
            if let Some(isbn) = &r.isbn {
                sqlx::query("SELECT f.rowid, f.title FROM books b JOIN fts f ON f.rowid = b.doc WHERE b.isbn = ?")
                    .bind(isbn)
                    .fetch_all(&pool)
                    .await?;
                return anyhow::Ok(());
            }
            let terms = query_terms(&r.text);
            let mut filter = String::new();
            if r.needed_only {
                filter.push_str(" AND outstanding > 0");
            }
            if let Some(l) = &r.language {
                filter.push_str(&format!(" AND language = '{l}'"));
            }
            if let Some(a) = r.age_band.as_deref().and_then(AgeBand::parse) {
                filter.push_str(&format!(" AND age_band = '{}'", a.as_str()));
            }
            if terms.is_empty() {
                let sql = format!("SELECT rowid, title FROM fts WHERE 1=1{filter} ORDER BY outstanding DESC LIMIT 20");
                sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all(&pool)
                    .await?;
                let sql = format!("SELECT language, age_band, count(*) FROM fts WHERE 1=1{filter} GROUP BY language, age_band");
                sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all(&pool)
                    .await?;
                return Ok(());
            }
            let expr: Vec<String> = terms
                .iter()
                .map(|t| format!("\"{}\"", t.text.replace('"', "")))
                .collect();
            let expr = expr.join(" ");
            let sql = format!(
                "SELECT rowid, title FROM fts WHERE fts MATCH ?{filter} ORDER BY rank LIMIT 20"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&expr)
                .fetch_all(&pool)
                .await?;
            let sql = format!("SELECT language, age_band, count(*) FROM fts WHERE fts MATCH ?{filter} GROUP BY language, age_band");
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&expr)
                .fetch_all(&pool)
                .await?;
            Ok(())
        }
    };
    for r in &requests {
        run_one(r).await?;
    }
    let mut lat = Vec::new();
    let t = Instant::now();
    for _ in 0..ROUNDS {
        for r in &requests {
            let s = Instant::now();
            run_one(r).await?;
            lat.push(s.elapsed());
        }
    }
    Ok((build, bytes as u64, stats(lat, t.elapsed())))
}

/// The same books and the same query mix on Postgres full-text search, as a shop on
/// Postgres would build it: a `tsvector` column (the index's own terms, weighted title A,
/// authors B, subjects and publisher C, with the `simple` configuration so the analysis is
/// the same) with a GIN index, and `pg_trgm` on titles for typos (asked when the exact words
/// find nothing, as tantivy's fuzzy search is). A fresh database on the server named by
/// `BENCH_DATABASE_URL`, dropped afterwards.
async fn postgres_fts(
    base: &str,
    docs: &[BookDoc],
    mix: &[Q],
) -> anyhow::Result<(Duration, u64, Stats, Vec<(&'static str, Stats)>)> {
    use sea_orm::sqlx::postgres::{PgPool, PgPoolOptions};
    let name = format!("bookbridge_search_{}", std::process::id());
    let (server, _) = base
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("BENCH_DATABASE_URL has no database name"))?;
    let admin: PgPool = PgPoolOptions::new()
        .max_connections(1)
        .connect(base)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&admin)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await?;
    let pool: PgPool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&format!("{server}/{name}"))
        .await?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .execute(&pool)
        .await?;
    sqlx::query(
        "CREATE TABLE fts (id BIGINT PRIMARY KEY, isbn TEXT NOT NULL, title TEXT NOT NULL, \
         doc TSVECTOR NOT NULL, language TEXT, age_band TEXT, outstanding INT NOT NULL)",
    )
    .execute(&pool)
    .await?;
    let joined = |text: Option<&str>| text.map(|t| index_terms(t).join(" ")).unwrap_or_default();
    let t = Instant::now();
    for (c, chunk) in docs.chunks(10_000).enumerate() {
        let ids: Vec<i64> = (0..chunk.len()).map(|k| (c * 10_000 + k) as i64).collect();
        let isbns: Vec<String> = chunk.iter().map(|d| d.isbn.clone()).collect();
        let titles: Vec<String> = chunk.iter().map(|d| joined(Some(&d.title))).collect();
        let authors: Vec<String> = chunk.iter().map(|d| joined(d.authors.as_deref())).collect();
        let rest: Vec<String> = chunk
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    joined(d.subjects.as_deref()),
                    joined(d.publisher.as_deref())
                )
            })
            .collect();
        let languages: Vec<Option<String>> = chunk.iter().map(|d| d.language.clone()).collect();
        let ages: Vec<Option<String>> = chunk.iter().map(|d| d.age_band.clone()).collect();
        let needs: Vec<i32> = chunk
            .iter()
            .map(|d| d.outstanding.min(i32::MAX as u64) as i32)
            .collect();
        sqlx::query(
            "INSERT INTO fts (id, isbn, title, doc, language, age_band, outstanding) \
             SELECT id, isbn, title, setweight(to_tsvector('simple', title), 'A') || \
               setweight(to_tsvector('simple', authors), 'B') || setweight(to_tsvector('simple', rest), 'C'), \
               language, age_band, outstanding \
             FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::INT[]) \
               AS u(id, isbn, title, authors, rest, language, age_band, outstanding)",
        )
        .bind(&ids)
        .bind(&isbns)
        .bind(&titles)
        .bind(&authors)
        .bind(&rest)
        .bind(&languages)
        .bind(&ages)
        .bind(&needs)
        .execute(&pool)
        .await?;
    }
    for index in [
        "CREATE INDEX fts_doc ON fts USING GIN (doc)",
        "CREATE INDEX fts_title_trgm ON fts USING GIN (title gin_trgm_ops)",
        "CREATE INDEX fts_isbn ON fts (isbn)",
        "CREATE INDEX fts_outstanding ON fts (outstanding DESC)",
        "ANALYZE fts",
    ] {
        sqlx::query(index).execute(&pool).await?;
    }
    let build = t.elapsed();
    let bytes: i64 = sqlx::query("SELECT pg_total_relation_size('fts') AS n")
        .fetch_one(&pool)
        .await?
        .get("n");

    let requests: Vec<SearchRequest> = mix.iter().map(request_of).collect();
    let run_one = |r: &SearchRequest| {
        let pool = pool.clone();
        let r = r.clone();
        async move {
            if let Some(isbn) = &r.isbn {
                sqlx::query("SELECT id, title FROM fts WHERE isbn = $1")
                    .bind(isbn)
                    .fetch_all(&pool)
                    .await?;
                return anyhow::Ok(());
            }
            let terms = query_terms(&r.text);
            let mut filter = String::new();
            if r.needed_only {
                filter.push_str(" AND outstanding > 0");
            }
            if let Some(l) = &r.language {
                filter.push_str(&format!(" AND language = '{l}'"));
            }
            if let Some(a) = r.age_band.as_deref().and_then(AgeBand::parse) {
                filter.push_str(&format!(" AND age_band = '{}'", a.as_str()));
            }
            if terms.is_empty() {
                let sql = format!("SELECT id, title FROM fts WHERE TRUE{filter} ORDER BY outstanding DESC LIMIT 20");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&pool)
                    .await?;
                let sql = format!("SELECT language, age_band, count(*) FROM fts WHERE TRUE{filter} GROUP BY language, age_band");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&pool)
                    .await?;
                return Ok(());
            }
            let words: Vec<String> = terms
                .iter()
                .map(|t| {
                    t.text.replace(
                        ['\'', '\\', ':', '&', '|', '!', '(', ')', '<', '>', '*'],
                        "",
                    )
                })
                .filter(|w| !w.is_empty())
                .collect();
            let tsquery = words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" & ");
            let sql = format!(
                "SELECT id, title FROM fts WHERE doc @@ to_tsquery('simple', $1){filter} \
                 ORDER BY ts_rank(doc, to_tsquery('simple', $1)) DESC LIMIT 20"
            );
            let found = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&tsquery)
                .fetch_all(&pool)
                .await?;
            if found.is_empty() {
                // Typos: titles whose trigrams are like the words typed.
                let text = words.join(" ");
                let sql = format!(
                    "SELECT id, title FROM fts WHERE title % $1{filter} \
                     ORDER BY similarity(title, $1) DESC LIMIT 20"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&text)
                    .fetch_all(&pool)
                    .await?;
                let sql = format!("SELECT language, age_band, count(*) FROM fts WHERE title % $1{filter} GROUP BY language, age_band");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&text)
                    .fetch_all(&pool)
                    .await?;
            } else {
                let sql = format!("SELECT language, age_band, count(*) FROM fts WHERE doc @@ to_tsquery('simple', $1){filter} GROUP BY language, age_band");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&tsquery)
                    .fetch_all(&pool)
                    .await?;
            }
            Ok(())
        }
    };
    for r in &requests {
        run_one(r).await?;
    }
    let mut lat = Vec::new();
    let t = Instant::now();
    for _ in 0..ROUNDS {
        for r in &requests {
            let s = Instant::now();
            run_one(r).await?;
            lat.push(s.elapsed());
        }
    }
    let overall = stats(lat.clone(), t.elapsed());
    let by_kind = per_kind(mix, &lat);
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&admin)
    .await?;
    Ok((build, bytes as u64, overall, by_kind))
}

/// A figure from this process's `/proc/self/status` (VmRSS, VmHWM), in MB.
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|l| {
                l.strip_prefix(field)?
                    .trim_start_matches(':')
                    .split_whitespace()
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
