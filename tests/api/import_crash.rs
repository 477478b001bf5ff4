//! `kill -9` of `bookbridge import books` at several points. The import adds the documents
//! of new books to the search index as it writes them, without reading them back; whatever
//! point it dies at, the next run leaves an index holding exactly the catalogue: every book
//! once, with its title, and nothing else. On SQLite and, under `TEST_DATABASE_URL`, Postgres.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bookbridge::store::Store;
use index::{Catalogue, SearchRequest};

use crate::helpers::TestEnv;

/// Rows per file: three write batches (5,000 rows each) with a change-log commit between.
const ROWS: usize = 12_000;

/// A valid ISBN-13 of the 979-0 range (never a seed book's), number `i`.
fn isbn(i: usize) -> String {
    let body = format!("9790{i:08}");
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(k, b)| u32::from(b - b'0') * if k % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The catalogue file of round `round`: its own books, and the previous round's first
/// hundred again with new titles (books the catalogue has: updated, not new).
fn catalogue_file(dir: &Path, round: usize) -> std::path::PathBuf {
    let mut csv = String::from("isbn,title,authors,language\n");
    let own = round * ROWS..(round + 1) * ROWS;
    let again = round
        .checked_sub(1)
        .map_or(0..0, |r| r * ROWS..r * ROWS + 100);
    for i in own.chain(again) {
        csv.push_str(&format!(
            "{},Kite {i} round {round},Author {i},en\n",
            isbn(i)
        ));
    }
    let path = dir.join(format!("catalogue-{round}.csv"));
    std::fs::write(&path, csv).expect("the file is written");
    path
}

fn import(env: &TestEnv, file: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bookbridge"))
        .args(["import", "books"])
        .arg(file)
        .env("ROCKET_DATABASE_URL", &env.database_url)
        .env("ROCKET_INDEX_DIR", env.index_dir())
        .env("ROCKET_PHOTO_DIR", env.dir.path().join("photos"))
        .env("ROCKET_SEED_DEMO", "false")
        .env("ROCKET_LOG_LEVEL", "critical")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bookbridge binary runs")
}

/// Change-log entries written so far (0 before the database is made).
async fn written(store: &Store) -> i64 {
    store.outbox_head().await.unwrap_or(0)
}

/// Every book in the database, ISBN to title.
async fn catalogue_in_database(url: &str) -> HashMap<String, String> {
    let store = Store::connect(url).await.expect("the database opens");
    let needs = HashMap::new();
    let mut out = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .book_needs_page(after.as_deref(), 1_000, &needs)
            .await
            .expect("the catalogue reads");
        let Some(last) = page.last() else { break };
        after = Some(last.book.isbn.as_str().to_owned());
        for b in page {
            out.insert(
                b.book.isbn.as_str().to_owned(),
                b.book.title.unwrap_or_default(),
            );
        }
    }
    out
}

/// The index holds every book of the database exactly once, with its title, and no other.
fn assert_index_is_the_catalogue(index_dir: &Path, books: &HashMap<String, String>, when: &str) {
    let catalogue = Catalogue::open(index_dir).expect("the index opens");
    assert_eq!(catalogue.len(), books.len() as u64, "{when}: documents");
    for (isbn, title) in books {
        let found = catalogue
            .search(&SearchRequest {
                text: isbn.clone(),
                isbn: Some(isbn.clone()),
                limit: 5,
                ..Default::default()
            })
            .expect("the search runs");
        assert_eq!(found.hits.len(), 1, "{when}: {isbn} once");
        assert_eq!(&found.hits[0].title, title, "{when}: {isbn}'s title");
    }
}

#[tokio::test]
async fn an_import_killed_anywhere_leaves_an_index_that_catches_up_exactly() {
    let env = TestEnv::new().await;
    let store = Store::connect(&env.database_url)
        .await
        .expect("the database opens");
    // Killed once a quarter of its rows are written (after the first batch), once three
    // quarters are (after the second), and once all are (in the index's last commit).
    for (round, share) in [(0, 0.25), (1, 0.75), (2, 1.0)] {
        let file = catalogue_file(env.dir.path(), round);
        let before = written(&store).await;
        let mut child = import(&env, &file);
        let goal = before + (ROWS as f64 * share) as i64;
        let deadline = Instant::now() + Duration::from_secs(120);
        let killed = loop {
            if child.try_wait().expect("the import runs").is_some() {
                break false;
            }
            if written(&store).await >= goal {
                child.kill().expect("kill -9");
                break true;
            }
            assert!(Instant::now() < deadline, "the import stalled");
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        child.wait().expect("the import ends");
        assert!(
            killed || share >= 1.0,
            "round {round} ended before it could be killed"
        );
        // Whatever the kill left, the index never holds a book twice or one the
        // database lacks.
        let books = catalogue_in_database(&env.database_url).await;
        {
            let catalogue = Catalogue::open(&env.index_dir()).expect("the index opens");
            assert!(
                catalogue.len() <= books.len() as u64,
                "round {round}: extra documents"
            );
        }
        // The same import again, to its end.
        let status = import(&env, &file).wait().expect("the import runs");
        assert!(status.success(), "round {round}: the second run succeeds");
        let books = catalogue_in_database(&env.database_url).await;
        assert_eq!(books.len(), (round + 1) * ROWS, "round {round}: books");
        assert_index_is_the_catalogue(&env.index_dir(), &books, &format!("round {round}"));
    }
}
