//! Book metadata from Open Library, against a local mock that replays real answers and
//! misbehaves. Nothing here reaches the internet.

use std::time::{Duration, Instant};

use rocket::http::Status;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use bookbridge::app::{Clock, Happened};
use bookbridge::jobs::metadata::FetchMetadata;
use bookbridge::metadata::{ClientSettings, OpenLibrary};

use crate::helpers::{spawn_app_with, spawn_app_with_clock, TestApp};

const WEAPONS: &str = "9780316030571";
const SLOW_READING: &str = "9780980200447";

fn fixture(isbn: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/api/fixtures/api_books_jscmd_data_ISBN{isbn}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).expect("fixture")
}

async fn app_against(mock: &MockServer) -> TestApp {
    let uri = mock.uri();
    spawn_app_with(move |f| {
        f.merge(("openlibrary_url", uri))
            .merge(("metadata_timeout_seconds", 1))
            .merge(("metadata_max_attempts", 3))
    })
    .await
}

fn books_api(isbn: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/books"))
        .and(query_param("bibkeys", format!("ISBN:{isbn}")))
        .and(query_param("format", "json"))
        .and(query_param("jscmd", "data"))
}

/// How many Books API lookups `mock` answered (each found book is followed by one request
/// for its edition record, which these counts leave out).
async fn lookups(mock: &MockServer) -> usize {
    mock.received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/api/books")
        .count()
}

/// A school asks for `isbn`; the request must not wait for the network.
async fn ask_for(app: &TestApp, isbn: &str) -> i64 {
    let (owner, school) = app.school(30).await;
    let started = Instant::now();
    let (status, item) = app
        .post(
            &format!("/api/v1/schools/{school}/wishlist"),
            Some(&owner.token),
            json!({"isbn": isbn, "quantity": 3}),
        )
        .await;
    assert_eq!(status, Status::Created, "{item}");
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "the request waited on the network"
    );
    school
}

/// The book once its metadata left `pending`.
async fn settled(app: &TestApp, isbn: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, book) = app.get(&format!("/api/v1/books/{isbn}"), None).await;
        assert_eq!(status, Status::Ok);
        if book["metadata"]["status"] != "pending" {
            return book;
        }
        assert!(Instant::now() < deadline, "metadata never settled: {book}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[rocket::async_test]
async fn an_unknown_isbn_is_filled_in_from_open_library_and_indexed() {
    let mock = MockServer::start().await;
    // Open Library takes 700 ms to answer: the school's request must not wait for it.
    books_api(WEAPONS)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture(WEAPONS), "application/json")
                .set_delay(Duration::from_millis(700)),
        )
        .expect(1)
        .mount(&mock)
        .await;
    let app = app_against(&mock).await;
    let school = ask_for(&app, WEAPONS).await;
    let (_, early) = app.get(&format!("/api/v1/books/{WEAPONS}"), None).await;
    assert_eq!(early["metadata"]["status"], "pending");
    assert_eq!(early["title"], Value::Null);

    let book = settled(&app, WEAPONS).await;
    assert_eq!(book["metadata"]["status"], "fetched");
    assert_eq!(book["title"], "Use of Weapons");
    // The stand-in has no edition record for it: fetched all the same, without a work.
    assert_eq!(book["work"], Value::Null);
    assert_eq!(book["authors"], "Iain M. Banks");
    assert_eq!(book["publisher"], "Orbit");
    assert_eq!(book["page_count"], 480);
    assert!(book["metadata"]["fetched_at"].is_string());

    app.settle_index().await;
    let hits = app.search("q=weapons").await;
    assert_eq!(hits["hits"][0]["isbn"], WEAPONS);
    assert_eq!(hits["hits"][0]["outstanding"], 3);
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][0]["title"], "Use of Weapons");

    let requests = mock.received_requests().await.unwrap();
    let agent = requests[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(agent.starts_with("bookbridge/"), "{agent}");
}

#[rocket::async_test]
async fn a_500_then_a_200_is_retried_to_success() {
    let mock = MockServer::start().await;
    books_api(SLOW_READING)
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&mock)
        .await;
    books_api(SLOW_READING)
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture(SLOW_READING), "application/json"),
        )
        .mount(&mock)
        .await;
    let app = app_against(&mock).await;
    ask_for(&app, SLOW_READING).await;
    let book = settled(&app, SLOW_READING).await;
    assert_eq!(book["metadata"]["status"], "fetched", "{book}");
    assert_eq!(book["title"], "Slow reading");
    assert_eq!(lookups(&mock).await, 2);
}

#[rocket::async_test]
async fn a_429_is_retried_after_the_time_it_asks_for() {
    let mock = MockServer::start().await;
    books_api(WEAPONS)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&mock)
        .await;
    books_api(WEAPONS)
        .respond_with(ResponseTemplate::new(200).set_body_raw(fixture(WEAPONS), "application/json"))
        .mount(&mock)
        .await;
    let app = app_against(&mock).await;
    let started = Instant::now();
    ask_for(&app, WEAPONS).await;
    let book = settled(&app, WEAPONS).await;
    assert_eq!(book["metadata"]["status"], "fetched", "{book}");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was not honoured"
    );
}

#[rocket::async_test]
async fn failures_are_recorded_with_their_reason_and_the_request_stands() {
    let huge = vec![b' '; 50 * 1024 * 1024];
    let cases: Vec<(&str, ResponseTemplate, &str, &str)> = vec![
        (
            "9780141301068",
            ResponseTemplate::new(404),
            "not_found",
            "does not know",
        ),
        (
            "9780064410939",
            ResponseTemplate::new(200).set_body_string("{}"),
            "not_found",
            "does not know",
        ),
        (
            "9780060775858",
            ResponseTemplate::new(200).set_body_raw(
                &b"{\"ISBN:9780060775858\": {\"title\": \"Goodn"[..],
                "application/json",
            ),
            "failed",
            "not valid JSON",
        ),
        (
            "9780241003008",
            ResponseTemplate::new(200).set_body_raw(huge, "application/json"),
            "failed",
            "larger than",
        ),
        (
            "9780333710937",
            ResponseTemplate::new(200).set_body_raw(fixture(WEAPONS), "application/json"),
            "failed",
            "not ISBN:9780333710937",
        ),
        (
            "9780439554930",
            ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
            "failed",
            "in time",
        ),
        ("9780156012195", ResponseTemplate::new(503), "failed", "503"),
    ];
    let mock = MockServer::start().await;
    for (isbn, response, _, _) in &cases {
        books_api(isbn)
            .respond_with(response.clone())
            .mount(&mock)
            .await;
    }
    let app = app_against(&mock).await;
    for (isbn, _, _, _) in &cases {
        ask_for(&app, isbn).await;
    }
    for (isbn, _, status, reason) in &cases {
        let book = settled(&app, isbn).await;
        assert_eq!(book["metadata"]["status"], *status, "{isbn}: {book}");
        let error = book["metadata"]["error"].as_str().unwrap_or_default();
        assert!(error.contains(reason), "{isbn}: {error}");
        assert!(
            book["metadata"]["next_attempt_at"].is_string(),
            "{isbn} is retried later"
        );
        assert_eq!(book["title"], Value::Null);
        assert_eq!(
            book["outstanding"], 3,
            "{isbn}: the school's request stands"
        );
    }
    // The service is fine afterwards.
    assert_eq!(app.get("/api/v1/health", None).await.0, Status::Ok);
}

#[rocket::async_test]
async fn an_unreachable_open_library_is_a_recorded_failure() {
    // The default test configuration points at a closed loopback port.
    let app = crate::helpers::spawn_app().await;
    ask_for(&app, WEAPONS).await;
    let book = settled(&app, WEAPONS).await;
    assert_eq!(book["metadata"]["status"], "failed");
    assert!(
        book["metadata"]["error"]
            .as_str()
            .unwrap()
            .contains("connect"),
        "{book}"
    );
    assert_eq!(book["metadata"]["attempts"], 1);
}

#[rocket::async_test]
async fn a_hand_edit_is_never_overwritten_by_a_fetch() {
    let mock = MockServer::start().await;
    books_api(WEAPONS)
        .respond_with(ResponseTemplate::new(500))
        .mount(&mock)
        .await;
    let app = app_against(&mock).await;
    ask_for(&app, WEAPONS).await;
    settled(&app, WEAPONS).await;

    let volunteer = app.user("volunteer").await;
    let (status, book) = app
        .patch(
            &format!("/api/v1/books/{WEAPONS}"),
            Some(&volunteer.token),
            json!({"title": "Use of Weapons (school copy)", "age_band": "teen", "page_count": 480}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{book}");
    assert_eq!(book["metadata"]["status"], "manual");
    assert_eq!(book["title"], "Use of Weapons (school copy)");

    // A fetch that lands afterwards changes nothing.
    let fetched = bookbridge::domain::books::BookDetails {
        title: Some("Use of Weapons".into()),
        ..Default::default()
    };
    let isbn = bookbridge::domain::isbn::Isbn::parse(WEAPONS).unwrap();
    let store = app.service().store();
    let changed = store
        .write_book_details(
            &isbn,
            &fetched,
            bookbridge::domain::model::MetadataStatus::Fetched,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    assert!(!changed);
    let due = store
        .metadata_due(chrono::Utc::now() + chrono::Duration::days(30), 100)
        .await
        .unwrap();
    assert!(
        due.iter().all(|d| d.isbn != isbn),
        "a hand-edited book is never fetched again"
    );
    let (_, book) = app.get(&format!("/api/v1/books/{WEAPONS}"), None).await;
    assert_eq!(book["title"], "Use of Weapons (school copy)");
    app.settle_index().await;
    assert_eq!(
        app.search("q=school%20copy").await["hits"][0]["isbn"],
        WEAPONS
    );
}

#[rocket::async_test]
async fn only_volunteers_and_admins_edit_metadata_and_edits_are_checked() {
    let app = crate::helpers::spawn_app().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, WEAPONS, 1).await;
    let path = format!("/api/v1/books/{WEAPONS}");
    let donor = app.user("donor").await;
    assert_eq!(
        app.patch(&path, Some(&donor.token), json!({"title": "x"}))
            .await
            .0,
        Status::Forbidden
    );
    assert_eq!(
        app.patch(&path, Some(&owner.token), json!({"title": "x"}))
            .await
            .0,
        Status::Forbidden
    );
    assert_eq!(
        app.patch(&path, None, json!({"title": "x"})).await.0,
        Status::Unauthorized
    );
    let admin = app.user("admin").await;
    for (body, field) in [
        (json!({"publication_year": 3000}), "publication_year"),
        (json!({"page_count": 0}), "page_count"),
        (json!({"age_band": "infant"}), "age_band"),
        (json!({"cover_url": "javascript:alert(1)"}), "cover_url"),
        (json!({"colour": "blue"}), "colour"),
        (json!({}), "title"),
    ] {
        let (status, err) = app.patch(&path, Some(&admin.token), body.clone()).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert_eq!(err["error"]["field"], field, "{body}");
    }
    let (status, _) = app
        .patch(
            "/api/v1/books/9780141301068",
            Some(&admin.token),
            json!({"title": "Matilda"}),
        )
        .await;
    assert_eq!(status, Status::NotFound);
    assert_eq!(
        app.patch(&path, Some(&admin.token), json!({"title": "Fixed"}))
            .await
            .0,
        Status::Ok
    );
}

/// A mock Open Library that answers 500 the first time it is asked about `isbn`, then the
/// real record.
async fn fails_once_then_answers(isbn: &str) -> MockServer {
    let mock = MockServer::start().await;
    books_api(isbn)
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&mock)
        .await;
    books_api(isbn)
        .respond_with(ResponseTemplate::new(200).set_body_raw(fixture(isbn), "application/json"))
        .mount(&mock)
        .await;
    mock
}

/// The metadata job against `mock`, giving up on a lookup after one try.
fn fetch_job(mock: &MockServer) -> FetchMetadata {
    let client = OpenLibrary::new(ClientSettings {
        base_url: mock.uri(),
        max_attempts: 1,
        per_minute: 60_000,
        ..ClientSettings::default()
    })
    .expect("client");
    FetchMetadata::with_client(std::sync::Arc::new(client), chrono::Duration::days(7))
}

#[rocket::async_test]
async fn a_failed_lookup_is_tried_again_only_once_the_clock_reaches_its_retry_time() {
    let mock = fails_once_then_answers(WEAPONS).await;
    // No background fetcher: this test runs the job's rounds itself.
    let (app, clock) = spawn_app_with_clock(|f| f.merge(("metadata_enabled", false))).await;
    let job = fetch_job(&mock);
    ask_for(&app, WEAPONS).await;

    assert_eq!(job.fetch_due(app.service()).await.unwrap(), 1);
    let (_, book) = app.get(&format!("/api/v1/books/{WEAPONS}"), None).await;
    assert_eq!(book["metadata"]["status"], "failed", "{book}");
    let retry_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(book["metadata"]["next_attempt_at"].clone()).unwrap();
    assert_eq!(retry_at, clock.now() + chrono::Duration::minutes(1));

    // Not due yet: the clock has not moved, so the round looks up nothing.
    assert_eq!(job.fetch_due(app.service()).await.unwrap(), 0);
    clock.advance(chrono::Duration::seconds(59));
    assert_eq!(job.fetch_due(app.service()).await.unwrap(), 0);

    // A minute after the failure the retry is due, and this time Open Library answers.
    clock.advance(chrono::Duration::seconds(1));
    assert_eq!(job.fetch_due(app.service()).await.unwrap(), 1);
    let (_, book) = app.get(&format!("/api/v1/books/{WEAPONS}"), None).await;
    assert_eq!(book["metadata"]["status"], "fetched", "{book}");
    assert_eq!(book["metadata"]["attempts"], 2);
    assert!(
        book["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{book}"
    );
    assert_eq!(lookups(&mock).await, 2);
}

#[rocket::async_test]
async fn the_background_fetcher_retries_when_the_clock_moves_past_the_retry_time() {
    let mock = fails_once_then_answers(WEAPONS).await;
    let uri = mock.uri();
    let (app, clock) = spawn_app_with_clock(move |f| {
        f.merge(("openlibrary_url", uri))
            .merge(("metadata_max_attempts", 1))
    })
    .await;
    ask_for(&app, WEAPONS).await;
    let book = settled(&app, WEAPONS).await;
    assert_eq!(book["metadata"]["status"], "failed", "{book}");

    // The runner's job acts once the clock says the retry is due; no rule waits on real time.
    clock.advance(chrono::Duration::minutes(2));
    app.service().happened(Happened::BookAdded);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, book) = app.get(&format!("/api/v1/books/{WEAPONS}"), None).await;
        if book["metadata"]["status"] == "fetched" {
            break;
        }
        assert!(Instant::now() < deadline, "the retry never ran: {book}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[rocket::async_test]
async fn the_edition_record_names_the_work_a_book_belongs_to() {
    const GATSBY: &str = "9780743273565";
    let mock = MockServer::start().await;
    books_api(GATSBY)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            format!("ISBN:{GATSBY}"): {"title": "The Great Gatsby",
                "identifiers": {"isbn_13": [GATSBY]}}
        })))
        .mount(&mock)
        .await;
    let edition = std::fs::read(format!(
        "{}/tests/api/fixtures/isbn_9780743273565_edition_OL23109860M.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    Mock::given(method("GET"))
        .and(path(format!("/isbn/{GATSBY}.json")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(edition, "application/json"))
        .expect(1)
        .mount(&mock)
        .await;
    let app = app_against(&mock).await;
    ask_for(&app, GATSBY).await;
    let book = settled(&app, GATSBY).await;
    assert_eq!(book["metadata"]["status"], "fetched", "{book}");
    assert_eq!(book["work"], "OL468431W", "{book}");
}
