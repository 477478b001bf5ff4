use rocket::http::Status;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp, User, GOODNIGHT_MOON};

const STATUSES: [&str; 6] = [
    "pledged",
    "shipped",
    "delivered",
    "cancelled",
    "lost",
    "returned",
];
const ALLOWED: [(&str, &str); 5] = [
    ("pledged", "shipped"),
    ("pledged", "cancelled"),
    ("shipped", "delivered"),
    ("shipped", "lost"),
    ("shipped", "returned"),
];

/// The moves that bring a fresh pledge to `status`.
fn path_to(status: &str) -> &'static [&'static str] {
    match status {
        "pledged" => &[],
        "shipped" => &["shipped"],
        "delivered" => &["shipped", "delivered"],
        "cancelled" => &["cancelled"],
        "lost" => &["shipped", "lost"],
        "returned" => &["shipped", "returned"],
        other => panic!("unknown status {other}"),
    }
}

async fn pledge_in(app: &TestApp, admin: &User, donor: &User, school: i64, status: &str) -> i64 {
    let id = app.pledge(donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    for step in path_to(status) {
        let (code, body) = app.move_pledge(admin, id, step).await;
        assert_eq!(code, Status::Ok, "{step}: {body}");
    }
    id
}

#[rocket::async_test]
async fn every_allowed_and_forbidden_transition_through_the_api() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 100).await;
    let donor = app.user("donor").await;
    // Admins may make every move, so only the lifecycle decides here.
    let admin = app.user("admin").await;
    for from in STATUSES {
        for to in STATUSES {
            let id = pledge_in(&app, &admin, &donor, school, from).await;
            let (status, body) = app.move_pledge(&admin, id, to).await;
            if ALLOWED.contains(&(from, to)) {
                assert_eq!(status, Status::Ok, "{from} -> {to}: {body}");
                assert_eq!(body["status"], to);
            } else {
                assert_eq!(status, Status::Conflict, "{from} -> {to}: {body}");
                assert_eq!(body["error"]["code"], "invalid_transition");
                assert_eq!(body["error"]["from"], from);
                assert_eq!(body["error"]["to"], to);
                let message = body["error"]["message"].as_str().unwrap();
                assert!(message.contains(from) && message.contains(to), "{message}");
                let (_, after) = app
                    .get(&format!("/api/v1/pledges/{id}"), Some(&admin.token))
                    .await;
                assert_eq!(after["status"], from, "a refused move changed nothing");
            }
        }
    }
}

#[rocket::async_test]
async fn the_whole_loop_with_role_rules_and_events() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let other_donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let (other_school, _) = app.school(10).await;
    let id = app.pledge(&donor, school, GOODNIGHT_MOON, 2).await["id"]
        .as_i64()
        .unwrap();

    // Only staff ship.
    for user in [&donor, &owner] {
        let (status, body) = app.move_pledge(user, id, "shipped").await;
        assert_eq!(status, Status::Forbidden, "{body}");
    }
    let (status, body) = app
        .post(
            &format!("/api/v1/pledges/{id}/status"),
            Some(&volunteer.token),
            json!({"status": "shipped", "carrier": "China Post", "tracking_number": "EMS123", "note": "box 1"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["carrier"], "China Post");
    assert_eq!(body["tracking_number"], "EMS123");
    assert_eq!(app.item(school, item).await["shipped"], 2);

    // Only the receiving school confirms delivery.
    for user in [&volunteer, &donor, &other_school] {
        assert_eq!(app.move_pledge(user, id, "delivered").await.0.code / 100, 4);
    }
    let (status, body) = app.move_pledge(&owner, id, "delivered").await;
    assert_eq!(status, Status::Ok, "{body}");
    let listed = app.item(school, item).await;
    assert_eq!(
        (listed["delivered"].as_i64(), listed["outstanding"].as_i64()),
        (Some(2), Some(3))
    );

    let (status, events) = app
        .get(&format!("/api/v1/pledges/{id}/events"), Some(&donor.token))
        .await;
    assert_eq!(status, Status::Ok);
    let events = events["events"].as_array().unwrap();
    let moves: Vec<(serde_json::Value, serde_json::Value)> = events
        .iter()
        .map(|e| (e["from"].clone(), e["to"].clone()))
        .collect();
    assert_eq!(
        moves,
        vec![
            (json!(null), json!("pledged")),
            (json!("pledged"), json!("shipped")),
            (json!("shipped"), json!("delivered")),
        ]
    );
    assert_eq!(events[0]["actor_id"].as_i64(), Some(donor.id));
    assert_eq!(events[1]["actor_id"].as_i64(), Some(volunteer.id));
    assert_eq!(events[1]["note"], "box 1");
    assert_eq!(events[2]["actor_id"].as_i64(), Some(owner.id));
    assert!(events[2]["at"].as_str().is_some());
    assert_eq!(
        app.get(
            &format!("/api/v1/pledges/{id}/events"),
            Some(&other_donor.token)
        )
        .await
        .0,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn cancelling_releases_the_need_and_only_the_donor_may() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let other = app.user("donor").await;
    let id = app.pledge(&donor, school, GOODNIGHT_MOON, 5).await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.item(school, item).await["outstanding"], 0);

    let cancel = format!("/api/v1/pledges/{id}/cancel");
    assert_eq!(
        app.post(&cancel, Some(&other.token), json!({})).await.0,
        Status::NotFound
    );
    assert_eq!(
        app.post(&cancel, Some(&owner.token), json!({})).await.0,
        Status::Forbidden
    );
    let (status, body) = app.post_raw(&cancel, Some(&donor.token), "").await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["status"], "cancelled");
    assert_eq!(app.item(school, item).await["outstanding"], 5);

    let (status, body) = app.post(&cancel, Some(&donor.token), json!({})).await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "invalid_transition");
}

#[rocket::async_test]
async fn lost_and_returned_release_the_need_delivered_does_not() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let mut made = Vec::new();
    for _ in 0..3 {
        let id = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
            .as_i64()
            .unwrap();
        app.move_pledge(&volunteer, id, "shipped").await;
        made.push(id);
    }
    assert_eq!(app.item(school, item).await["outstanding"], 0);
    assert_eq!(
        app.move_pledge(&volunteer, made[0], "lost").await.0,
        Status::Ok
    );
    assert_eq!(
        app.move_pledge(&volunteer, made[1], "returned").await.0,
        Status::Ok
    );
    assert_eq!(
        app.move_pledge(&owner, made[2], "delivered").await.0,
        Status::Ok
    );
    let listed = app.item(school, item).await;
    assert_eq!(listed["outstanding"], 2);
    assert_eq!(listed["delivered"], 1);
    assert_eq!(listed["shipped"], 0);
}

#[rocket::async_test]
async fn an_unknown_status_names_the_field() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let id = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let (status, body) = app.move_pledge(&volunteer, id, "teleported").await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "status");
    let (status, body) = app
        .post(
            &format!("/api/v1/pledges/{id}/status"),
            Some(&volunteer.token),
            json!({"status": "shipped", "carrier": "x".repeat(101)}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "carrier");
    assert_eq!(
        app.move_pledge(&volunteer, 999_999, "shipped").await.0,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn a_cancel_with_a_bad_body_is_refused_not_ignored() {
    let app = crate::helpers::spawn_app().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, crate::helpers::GOODNIGHT_MOON, 3)
        .await;
    let donor = app.user("donor").await;
    let pledge = app
        .pledge(&donor, school, crate::helpers::GOODNIGHT_MOON, 1)
        .await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/pledges/{pledge}/cancel");
    let (status, body) = app
        .post(
            &path,
            Some(&donor.token),
            serde_json::json!({"reason": "typo"}),
        )
        .await;
    assert_eq!(status, rocket::http::Status::UnprocessableEntity, "{body}");
    let (_, stored) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(stored["status"], "pledged", "nothing changed");
    let (status, body) = app
        .post(
            &path,
            Some(&donor.token),
            serde_json::json!({"note": "changed my mind"}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (rocket::http::Status::Ok, Some("cancelled"))
    );
}

#[rocket::async_test]
async fn a_mistyped_tracking_number_is_corrected_while_the_parcel_is_on_its_way() {
    let app = crate::helpers::spawn_app().await;
    let one = app.one_pledge().await;
    let path = format!("/api/v1/pledges/{}/tracking", one.pledge);
    let fix = json!({"tracking_number": "EMS222222222CN"});
    // Not shipped yet: nothing to correct.
    let (status, _) = app
        .post(&path, Some(&one.volunteer.token), fix.clone())
        .await;
    assert_eq!(status, Status::Conflict);
    let (status, _) = app
        .post(
            &format!("/api/v1/pledges/{}/status", one.pledge),
            Some(&one.volunteer.token),
            json!({"status": "shipped", "carrier": "China Post", "tracking_number": "EMS111111111CN"}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    // Only volunteers and admins correct it; a blank number is no correction.
    let (status, _) = app.post(&path, Some(&one.donor.token), fix.clone()).await;
    assert_eq!(status, Status::Forbidden);
    let (status, body) = app
        .post(
            &path,
            Some(&one.volunteer.token),
            json!({"tracking_number": "  "}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    let (status, fixed) = app.post(&path, Some(&one.volunteer.token), fix).await;
    assert_eq!(status, Status::Ok, "{fixed}");
    assert_eq!(fixed["tracking_number"], "EMS222222222CN");
    assert_eq!(
        fixed["carrier"], "China Post",
        "the carrier is kept when not given"
    );
    assert_eq!(fixed["status"], "shipped");
    let admin = app.user("admin").await;
    let (_, log) = app.get("/api/v1/audit", Some(&admin.token)).await;
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["detail"] == "tracking EMS111111111CN -> EMS222222222CN"),
        "the old number is kept in the audit log: {log}"
    );
}
