//! Search through the API: the index answers what the database says.

use rocket::http::Status;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, TestEnv};

const BOOKS: &[(&str, &str, &str, &str)] = &[
    (
        "9780241003008",
        "The Very Hungry Caterpillar",
        "Eric Carle",
        "eng",
    ),
    (
        "9780060775858",
        "Goodnight Moon",
        "Margaret Wise Brown, Clement Hurd",
        "en-US",
    ),
    (
        "9780156012195",
        "The Little Prince",
        "Antoine de Saint-Exupéry",
        "eng",
    ),
    ("9787020031566", "小王子", "圣埃克苏佩里", "zh"),
    ("9787547432075", "小王子", "安托万·德·圣埃克苏佩里", "zh"),
    ("9787532757848", "夏洛的网", "E·B·怀特", "zh"),
    ("9780064410939", "Charlotte's Web", "E.B. White", "eng"),
    (
        "9780439554930",
        "Harry Potter and the Sorcerer's Stone",
        "J.K. Rowling",
        "eng",
    ),
    (
        "9780439358071",
        "Harry Potter and the Order of the Phoenix",
        "J.K. Rowling",
        "eng",
    ),
];

async fn catalogue_app() -> TestApp {
    let app = spawn_app().await;
    app.add_books(BOOKS).await;
    app.settle_index().await;
    app
}

fn isbns(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["isbn"].as_str().unwrap().to_owned())
        .collect()
}

#[rocket::async_test]
async fn an_isbn_in_any_form_finds_exactly_that_book() {
    let app = catalogue_app().await;
    for form in [
        "9780064410939",
        "978-0-06-441093-9",
        "0064410935",
        "0-06-441093-5",
        "978%200%2006%20441093%209",
    ] {
        let body = app.search(&format!("q={form}")).await;
        assert_eq!(isbns(&body), ["9780064410939"], "{form}");
        assert_eq!(body["hits"][0]["title"], "Charlotte's Web");
    }
}

#[rocket::async_test]
async fn english_chinese_and_mixed_queries() {
    let app = catalogue_app().await;
    assert_eq!(
        isbns(&app.search("q=hungry%20caterpillar").await),
        ["9780241003008"]
    );
    assert_eq!(
        isbns(&app.search("q=Eric%20Carle").await),
        ["9780241003008"]
    );
    for q in ["小王子", "王子"] {
        let body = app.search(&format!("q={}", urlencode(q))).await;
        let mut found = isbns(&body);
        found.sort();
        assert_eq!(found, ["9787020031566", "9787547432075"], "{q}");
    }
    // Chinese and English together: both editions of the Little Prince in either language.
    let body = app
        .search(&format!("q={}", urlencode("小王子 little prince")))
        .await;
    let found = isbns(&body);
    assert!(
        found.contains(&"9780156012195".to_owned()) && found.contains(&"9787020031566".to_owned()),
        "{found:?}"
    );
}

#[rocket::async_test]
async fn typos_are_forgiven() {
    let app = catalogue_app().await;
    assert_eq!(
        isbns(&app.search("q=hungry%20catterpiller").await),
        ["9780241003008"]
    );
    assert_eq!(
        isbns(&app.search("q=goodnite%20moon").await),
        ["9780060775858"]
    );
}

#[rocket::async_test]
async fn needed_books_come_first_and_filters_narrow() {
    let app = catalogue_app().await;
    let (owner, school) = app.school(40).await;
    app.wish(&owner, school, "9780439358071", 3).await;
    app.settle_index().await;

    let body = app.search("q=harry%20potter").await;
    assert_eq!(isbns(&body)[0], "9780439358071", "the needed book first");
    assert_eq!(body["hits"][0]["outstanding"], 3);
    assert_eq!(body["hits"][0]["schools_needing"], 1);
    assert_eq!(body["hits"][1]["outstanding"], 0);

    assert_eq!(
        isbns(&app.search("q=harry%20potter&needed=true").await),
        ["9780439358071"]
    );
    let zh = app.search("lang=zh&limit=100").await;
    assert_eq!(zh["total"], 3);
    let en = app.search("lang=en-GB&limit=100").await;
    assert_eq!(en["total"], 6, "every English spelling counts as en");
    let all = app.search("limit=100").await;
    assert_eq!(all["facets"]["language"], json!({"en": 6, "zh": 3}));
    assert_eq!(
        all["hits"][0]["isbn"], "9780439358071",
        "with no words, need orders the list"
    );
}

#[rocket::async_test]
async fn pages_split_the_results_without_overlap() {
    let app = catalogue_app().await;
    let mut seen = Vec::new();
    for offset in [0, 4, 8] {
        let body = app.search(&format!("limit=4&offset={offset}")).await;
        assert_eq!(body["total"], 9);
        seen.extend(isbns(&body));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 9);
    let (status, body) = app.get("/api/v1/search?limit=101", None).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (Status::UnprocessableEntity, Some("limit"))
    );
}

#[rocket::async_test]
async fn hostile_query_strings_never_fail() {
    let app = catalogue_app().await;
    let long = "a".repeat(10 * 1024);
    for q in [
        "%22",
        "title%3Amoon",
        "(((",
        "%5B%5D",
        "-",
        "AND",
        "moon%20AND%20OR%20NOT",
        "*",
        "%5C",
        "%3A%3A%3A",
        &long,
    ] {
        let (status, body) = app.get(&format!("/api/v1/search?q={q}"), None).await;
        assert_eq!(status, Status::Ok, "{q:.30}: {body}");
        assert!(body["total"].as_u64().unwrap() <= 9);
    }
    assert_eq!(
        isbns(&app.search("q=title%3Amoon").await),
        ["9780060775858"]
    );
    for (query, field) in [
        ("needed=perhaps", "needed"),
        ("age=baby", "age"),
        ("offset=x", "offset"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/search?{query}"), None).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert_eq!(body["error"]["field"], field);
    }
}

#[rocket::async_test]
async fn a_hit_has_what_a_pledge_needs() {
    let app = catalogue_app().await;
    let (owner, school) = app.school(40).await;
    app.wish(&owner, school, "9780241003008", 2).await;
    app.settle_index().await;
    let hit = app.search("q=caterpillar&needed=true").await["hits"][0].clone();
    let donor = app.user("donor").await;
    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": hit["isbn"], "quantity": hit["outstanding"]}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
}

/// Outstanding need for one book, as search reports it.
async fn searched_need(app: &TestApp, isbn: &str) -> (u64, u64) {
    app.settle_index().await;
    let body = app.search(&format!("q={isbn}")).await;
    let hit = &body["hits"][0];
    (
        hit["outstanding"].as_u64().unwrap(),
        hit["schools_needing"].as_u64().unwrap(),
    )
}

#[rocket::async_test]
async fn the_index_follows_pledges_cancels_losses_and_closes() {
    let app = catalogue_app().await;
    let moon = "9780060775858";
    let (a_owner, a) = app.school(40).await;
    let (b_owner, b) = app.school(40).await;
    let a_item = app.wish(&a_owner, a, moon, 5).await;
    app.wish(&b_owner, b, moon, 2).await;
    assert_eq!(searched_need(&app, moon).await, (7, 2));

    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let p1 = app.pledge(&donor, b, moon, 2).await["id"].as_i64().unwrap();
    assert_eq!(searched_need(&app, moon).await, (5, 1));

    app.post(
        &format!("/api/v1/pledges/{p1}/cancel"),
        Some(&donor.token),
        json!({}),
    )
    .await;
    assert_eq!(searched_need(&app, moon).await, (7, 2));

    let p2 = app.pledge(&donor, a, moon, 3).await["id"].as_i64().unwrap();
    app.move_pledge(&volunteer, p2, "shipped").await;
    assert_eq!(searched_need(&app, moon).await, (4, 2));
    app.move_pledge(&volunteer, p2, "lost").await;
    assert_eq!(searched_need(&app, moon).await, (7, 2));

    app.patch(
        &format!("/api/v1/wishlist/{a_item}"),
        Some(&a_owner.token),
        json!({"quantity": 1}),
    )
    .await;
    assert_eq!(searched_need(&app, moon).await, (3, 2));
    app.delete(&format!("/api/v1/wishlist/{a_item}"), Some(&a_owner.token))
        .await;
    assert_eq!(searched_need(&app, moon).await, (2, 1));
}

#[rocket::async_test]
async fn the_index_catches_up_after_a_restart_and_rebuilds_when_deleted() {
    let env = TestEnv::new().await;
    let moon = "9780060775858";
    {
        let app = env.start().await;
        app.add_books(BOOKS).await;
        let (owner, school) = app.school(40).await;
        app.wish(&owner, school, moon, 4).await;
        app.settle_index().await;
        assert_eq!(searched_need(&app, moon).await, (4, 1));
    }

    // Changes made while no server runs (another instance, a script) reach the index at
    // the next start, from the change log.
    {
        let config: bookbridge::config::Config = bookbridge::config::figment()
            .merge(("database_url", env.database_url.clone()))
            .merge((
                "index_dir",
                env.dir.path().join("other-index").display().to_string(),
            ))
            .merge(("seed_demo", false))
            .extract()
            .unwrap();
        let offline = bookbridge::open_service(&config).await.unwrap();
        offline
            .store()
            .add_wish(
                bookbridge::domain::ids::SchoolId(1),
                &bookbridge::domain::isbn::Isbn::parse(moon).unwrap(),
                bookbridge::domain::quantity::Quantity::new(6).unwrap(),
                None,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
    }
    {
        let app = env.start().await;
        assert_eq!(searched_need(&app, moon).await, (10, 1));
        assert_eq!(app.search("limit=100").await["total"], 9);
    }

    // A deleted index folder is rebuilt from the database.
    std::fs::remove_dir_all(env.index_dir()).unwrap();
    let app = env.start().await;
    assert_eq!(searched_need(&app, moon).await, (10, 1));
    assert_eq!(app.search("limit=100").await["total"], 9);
    assert_eq!(
        app.search(&format!("q={}", urlencode("王子"))).await["total"],
        2
    );
}

/// A stretch of the change log may name a book several times, and a book an operator took
/// out of the catalogue: the catch-up reads the stretch with its books in one go, indexes
/// each book once with its need, and drops the one that is gone.
#[rocket::async_test]
async fn a_catch_up_drops_a_book_gone_from_the_catalogue_and_keeps_the_need_of_the_rest() {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let env = TestEnv::new().await;
    let app = env.start().await;
    app.add_books(BOOKS).await;
    let (owner, school) = app.school(40).await;
    let (moon, phoenix) = ("9780060775858", "9780439358071");
    app.wish(&owner, school, moon, 4).await;
    app.settle_index().await;
    assert_eq!(app.search(&format!("q={phoenix}")).await["total"], 1);
    assert_eq!(app.search("limit=100").await["total"], 9);

    // A script removes a book nobody asked for and notes it in the change log, twice, with
    // the wished-for book in between.
    let db = Database::connect(env.database_url.as_str()).await.unwrap();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "DELETE FROM books WHERE isbn = $1",
        [phoenix.into()],
    ))
    .await
    .unwrap();
    for isbn in [phoenix, moon, phoenix] {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO search_outbox (isbn, created_at) VALUES ($1, $2)",
            [isbn.into(), chrono::Utc::now().into()],
        ))
        .await
        .unwrap();
    }
    db.close().await.unwrap();

    app.settle_index().await;
    assert_eq!(app.search(&format!("q={phoenix}")).await["total"], 0);
    assert_eq!(app.search("limit=100").await["total"], 8);
    assert_eq!(searched_need(&app, moon).await, (4, 1));
    let progress = app.service().index_progress().await.unwrap();
    assert_eq!(progress.applied_seq, progress.head_seq);
}

#[rocket::async_test]
async fn background_workers_let_go_when_the_server_stops() {
    let env = TestEnv::new().await;
    let app = env.start().await;
    let service = app.service().downgrade();
    drop(app);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while service.upgrade().is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "a worker keeps the service (and the index writer) alive"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // So the next start can take the index writer at once.
    let again = env.start().await;
    assert_eq!(again.get("/api/v1/health", None).await.0, Status::Ok);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            b' ' => "%20".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The need-first list without words, as the home page shows it.
async fn by_need(app: &TestApp) -> Vec<(String, u64)> {
    app.settle_index().await;
    let body = app.search("needed=true").await;
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["isbn"].as_str().unwrap().to_owned(),
                h["outstanding"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[rocket::async_test]
async fn the_list_by_need_is_kept_between_index_commits_and_follows_each_one() {
    let app = catalogue_app().await;
    let moon = "9780060775858";
    let gruffalo = "9780333710937";
    let (owner, school) = app.school(40).await;
    app.wish(&owner, school, moon, 5).await;
    assert_eq!(by_need(&app).await, [(moon.to_owned(), 5)]);
    // Asked again with nothing changed: the same answer (kept for this commit).
    assert_eq!(by_need(&app).await, [(moon.to_owned(), 5)]);

    let donor = app.user("donor").await;
    app.pledge(&donor, school, moon, 2).await;
    assert_eq!(by_need(&app).await, [(moon.to_owned(), 3)]);
    app.wish(&owner, school, gruffalo, 9).await;
    assert_eq!(
        by_need(&app).await,
        [(gruffalo.to_owned(), 9), (moon.to_owned(), 3)]
    );
    // Another question without words is kept apart: every book, not only needed ones.
    let all = app.search("").await;
    assert!(all["total"].as_u64().unwrap() > 2, "{all}");
}
