//! Donors racing for the last copies: the database decides, and never lets both win.

use rocket::http::{ContentType, Header, Status};
use serde_json::json;

use crate::helpers::{spawn_app, GOODNIGHT_MOON};

async fn fire(
    app: &crate::helpers::TestApp,
    tokens: Vec<String>,
    bodies: Vec<serde_json::Value>,
) -> Vec<Status> {
    let mut tasks = tokio::task::JoinSet::new();
    for (token, body) in tokens.into_iter().zip(bodies) {
        let client = app.client.clone();
        tasks.spawn(async move {
            client
                .post("/api/v1/pledges")
                .header(ContentType::JSON)
                .header(Header::new("Authorization", format!("Bearer {token}")))
                .body(body.to_string())
                .dispatch()
                .await
                .status()
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("task"));
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_racing_pledges_commit_exactly_the_five_copies_needed() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let mut donors = Vec::new();
    for _ in 0..10 {
        donors.push(app.user("donor").await.token);
    }
    let tokens: Vec<String> = (0..50).map(|i| donors[i % donors.len()].clone()).collect();
    let bodies = (0..50)
        .map(|_| json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school_id": school}))
        .collect();

    let statuses = fire(&app, tokens, bodies).await;

    let won = statuses.iter().filter(|s| **s == Status::Created).count();
    let refused = statuses.iter().filter(|s| **s == Status::Conflict).count();
    assert_eq!((won, refused), (5, 45), "{statuses:?}");
    let listed = app.item(school, item).await;
    assert_eq!(listed["committed"], 5);
    assert_eq!(listed["pledged"], 5);
    assert_eq!(listed["outstanding"], 0);
    let drift = app
        .service()
        .store()
        .committed_copies_drift()
        .await
        .unwrap();
    assert!(
        drift.is_empty(),
        "schools' committed_copies drifted: {drift:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_split_pledges_never_over_commit_any_school() {
    let app = spawn_app().await;
    let (a_owner, a) = app.school(30).await;
    let (b_owner, b) = app.school(60).await;
    let item_a = app.wish(&a_owner, a, GOODNIGHT_MOON, 5).await;
    let item_b = app.wish(&b_owner, b, GOODNIGHT_MOON, 4).await;
    let donor = app.user("donor").await.token;
    // 30 pledges of 2 copies with no school named: 9 copies exist, so at most 4 succeed.
    let statuses = fire(
        &app,
        vec![donor.clone(); 30],
        (0..30)
            .map(|_| json!({"isbn": GOODNIGHT_MOON, "quantity": 2}))
            .collect(),
    )
    .await;
    let won = statuses.iter().filter(|s| **s == Status::Created).count();
    assert!(
        statuses
            .iter()
            .all(|s| *s == Status::Created || *s == Status::Conflict),
        "{statuses:?}"
    );
    assert_eq!(won, 4, "{statuses:?}");
    let (ca, cb) = (app.item(a, item_a).await, app.item(b, item_b).await);
    assert_eq!(
        ca["committed"].as_i64().unwrap() + cb["committed"].as_i64().unwrap(),
        8
    );
    assert!(ca["committed"].as_i64().unwrap() <= 5 && cb["committed"].as_i64().unwrap() <= 4);
    let (_, mine) = app.get("/api/v1/pledges?limit=500", Some(&donor)).await;
    let copies: i64 = mine["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["quantity"].as_i64().unwrap())
        .sum();
    assert_eq!(copies, 8, "no half-written pledge");
    // Cancel two: the schools' committed copies (which matching weighs) follow.
    for pledge in mine["pledges"].as_array().unwrap().iter().take(2) {
        let id = pledge["id"].as_i64().unwrap();
        let (status, _) = app
            .post(
                &format!("/api/v1/pledges/{id}/cancel"),
                Some(&donor),
                json!({}),
            )
            .await;
        assert_eq!(status, Status::Ok);
    }
    let drift = app
        .service()
        .store()
        .committed_copies_drift()
        .await
        .unwrap();
    assert!(
        drift.is_empty(),
        "schools' committed_copies drifted: {drift:?}"
    );
}
