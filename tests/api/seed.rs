//! The demo data: loaded on first start, never twice.

use rocket::http::Status;
use serde_json::json;

use crate::helpers::{spawn_app_with, GOODNIGHT_MOON};

#[rocket::async_test]
async fn demo_data_is_loaded_once_and_usable() {
    let app = spawn_app_with(|f| f.merge(("seed_demo", true))).await;

    let (_, schools) = app.get("/api/v1/schools", None).await;
    let schools = schools["schools"].as_array().unwrap().clone();
    assert_eq!(schools.len(), 5);
    assert!(schools
        .iter()
        .all(|s| s["books_needed"].as_u64().unwrap() > 0));

    // Real catalogue records, English and Chinese.
    let (status, book) = app.get("/api/v1/books/9780060775858", None).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(book["title"], "Goodnight Moon");
    assert!(book["needs"].as_array().unwrap().len() >= 2);
    let (_, chinese) = app.get("/api/v1/books/9787020031566", None).await;
    assert_eq!(chinese["title"], "小王子");
    assert_eq!(chinese["language"], "zh");

    // The demo donor can sign in and pledge.
    let (status, session) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "donor@demo.bookbridge.org", "password": "demo-password"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let token = session["token"].as_str().unwrap();
    let (status, _) = app
        .post(
            "/api/v1/pledges",
            Some(token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Created);

    // Seeding again (as a restart would) adds nothing.
    let service = app.service().clone();
    bookbridge::seed::seed_once(&service, std::path::Path::new("seed"))
        .await
        .unwrap();
    let (_, again) = app.get("/api/v1/schools", None).await;
    assert_eq!(again["schools"].as_array().unwrap().len(), 5);
}
