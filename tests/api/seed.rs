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

    // A curated list drawn from the Chinese children's books, and a class of wish cards at
    // two schools, chosen from it.
    let (_, lists) = app.get("/api/v1/booklists", None).await;
    assert_eq!(lists["booklists"].as_array().unwrap().len(), 1);
    let list = lists["booklists"][0]["id"].as_i64().unwrap();
    let (_, shelf) = app.get(&format!("/api/v1/booklists/{list}"), None).await;
    let on_list: Vec<&str> = shelf["books"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["isbn"].as_str().unwrap())
        .collect();
    assert!(on_list.len() >= 8);
    assert!(shelf["books"][0]["title"].is_string());
    let (_, wishes) = app.get("/api/v1/wishes?limit=100", None).await;
    let wishes = wishes["wishes"].as_array().unwrap();
    assert!(wishes.len() >= 8);
    let mut at: Vec<i64> = wishes
        .iter()
        .map(|w| w["school_id"].as_i64().unwrap())
        .collect();
    at.dedup();
    assert_eq!(at.len(), 2, "two demo schools");
    assert!(wishes
        .iter()
        .all(|w| on_list.contains(&w["isbn"].as_str().unwrap()) && w["booklist_id"] == list));
    // A claim from the demo donor.
    let wish = wishes[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .post(
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(token),
            json!({}),
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
    let (_, lists) = app.get("/api/v1/booklists", None).await;
    assert_eq!(lists["booklists"].as_array().unwrap().len(), 1);
}
