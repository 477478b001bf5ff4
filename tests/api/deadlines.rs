//! Pledges that are never posted: reminders, one extension, expiry. Time moves by the
//! service's clock, never by sleeping.

use chrono::Duration;
use rocket::http::Status;

use crate::helpers::{spawn_app_with_clock, GOODNIGHT_MOON};
use bookbridge::domain::ids::AccountId;
use bookbridge::domain::notices::NoticeKind;

async fn kinds(app: &crate::helpers::TestApp, account: i64) -> Vec<(NoticeKind, Option<String>)> {
    app.service()
        .store()
        .notices_for(AccountId(account), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|n| (n.kind, n.detail))
        .collect()
}

#[rocket::async_test]
async fn a_pledge_left_alone_is_reminded_then_expires_and_its_copies_are_needed_again() {
    let (app, clock) = spawn_app_with_clock(|f| f).await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 2).await;
    let id = pledge["id"].as_i64().unwrap();
    // The date to post by is in the answer: 21 days on (the default).
    let made =
        chrono::DateTime::parse_from_rfc3339(pledge["created_at"].as_str().unwrap()).unwrap();
    let ship_by =
        chrono::DateTime::parse_from_rfc3339(pledge["ship_by"].as_str().unwrap()).unwrap();
    assert_eq!(ship_by - made, Duration::days(21));
    assert_eq!(pledge["extended"], false);
    // The school was told at once.
    assert_eq!(
        kinds(&app, owner.id).await,
        [(NoticeKind::PledgeMade, None)]
    );

    let service = app.service();
    clock.advance(Duration::days(13));
    assert_eq!(service.enforce_deadlines().await.unwrap().reminded, 0);
    clock.advance(Duration::days(1));
    service.enforce_deadlines().await.unwrap();
    service.enforce_deadlines().await.unwrap(); // a second look reminds no one twice
    assert_eq!(
        kinds(&app, donor.id).await,
        [(NoticeKind::ShipReminder, Some("7".into()))]
    );
    clock.advance(Duration::days(5));
    service.enforce_deadlines().await.unwrap();
    let donor_told = kinds(&app, donor.id).await;
    assert_eq!(donor_told.len(), 2);
    assert_eq!(donor_told[0], (NoticeKind::ShipReminder, Some("2".into())));

    // Still within its time: nothing expires.
    assert_eq!(service.enforce_deadlines().await.unwrap().expired, 0);
    clock.advance(Duration::days(2));
    // The job does it when woken (a moved clock, say), not only when called.
    service.happened(bookbridge::app::Happened::ClockMoved);
    let mut status = String::new();
    for _ in 0..200 {
        let (_, body) = app
            .get(&format!("/api/v1/pledges/{id}"), Some(&donor.token))
            .await;
        status = body["status"].as_str().unwrap_or_default().to_owned();
        if status == "expired" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(status, "expired");

    // The copies are needed again, in the wish list and in search.
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][0]["outstanding"], 3);
    app.settle_index().await;
    let (_, found) = app
        .get(
            &format!("/api/v1/search?q={GOODNIGHT_MOON}&needed=true"),
            None,
        )
        .await;
    assert_eq!(found["hits"][0]["outstanding"], 3, "{found}");
    // The system recorded it, with no account behind it; both sides were told.
    let (_, events) = app
        .get(&format!("/api/v1/pledges/{id}/events"), Some(&donor.token))
        .await;
    let last = events["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to"], "expired");
    assert_eq!(last["actor_id"], serde_json::Value::Null);
    assert_eq!(kinds(&app, donor.id).await[0].0, NoticeKind::PledgeExpired);
    assert_eq!(kinds(&app, owner.id).await[0].0, NoticeKind::PledgeExpired);
    // Nobody can move it on, and nobody can expire a pledge by hand.
    let (status, body) = app
        .post(
            &format!("/api/v1/pledges/{id}/extend"),
            Some(&donor.token),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(body["error"]["code"], "cannot_extend");
}

#[rocket::async_test]
async fn a_donor_extends_once_and_a_posted_pledge_never_expires() {
    // Sessions outlive the month the clock moves through.
    let (app, clock) = spawn_app_with_clock(|f| {
        f.merge(("pledge_extend_days", 10))
            .merge(("session_ttl_seconds", 90 * 86_400))
    })
    .await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let waiting = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let posted = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app
        .post(
            &format!("/api/v1/pledges/{posted}/status"),
            Some(&volunteer.token),
            serde_json::json!({"status": "shipped", "tracking_number": "EMS1"}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    // Only its donor may ask for more time.
    let other = app.user("donor").await;
    let path = format!("/api/v1/pledges/{waiting}/extend");
    let (status, _) = app
        .post(&path, Some(&other.token), serde_json::json!({}))
        .await;
    assert!(
        status == Status::Forbidden || status == Status::NotFound,
        "{status}"
    );
    let (status, body) = app
        .post(&path, Some(&donor.token), serde_json::json!({}))
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["extended"], true);
    let (status, body) = app
        .post(&path, Some(&donor.token), serde_json::json!({}))
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "cannot_extend");

    // Day 25: past the first date, within the extended one (21 + 10).
    clock.advance(Duration::days(25));
    app.service().enforce_deadlines().await.unwrap();
    let (_, body) = app
        .get(&format!("/api/v1/pledges/{waiting}"), Some(&donor.token))
        .await;
    assert_eq!(body["status"], "pledged");
    clock.advance(Duration::days(6));
    let round = app.service().enforce_deadlines().await.unwrap();
    assert_eq!(round.expired, 1);
    let (_, body) = app
        .get(&format!("/api/v1/pledges/{waiting}"), Some(&donor.token))
        .await;
    assert_eq!(body["status"], "expired", "{body}");
    let (_, body) = app
        .get(&format!("/api/v1/pledges/{posted}"), Some(&donor.token))
        .await;
    assert_eq!(
        body["status"], "shipped",
        "a posted pledge has no date to miss"
    );
    // No one moves a pledge to `expired` by hand.
    let (status, _) = app
        .post(
            &format!("/api/v1/pledges/{posted}/status"),
            Some(&volunteer.token),
            serde_json::json!({"status": "expired"}),
        )
        .await;
    assert!(
        status == Status::Forbidden || status == Status::Conflict,
        "{status}"
    );
}

#[rocket::async_test]
async fn the_notice_page_says_what_needs_doing_in_the_readers_language() {
    let (app, clock) = spawn_app_with_clock(|f| f).await;
    app.add_books(&[(
        GOODNIGHT_MOON,
        "Goodnight Moon",
        "Margaret Wise Brown",
        "eng",
    )])
    .await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    clock.advance(Duration::days(15));
    app.service().enforce_deadlines().await.unwrap();

    let zh = vec![("bb_lang".to_owned(), "zh".to_owned())];
    let teacher = crate::web::Browser::of(&app, Some(&owner));
    let page = teacher.get("/notices", &zh, &[]).await;
    assert!(
        page.body.contains("有捐书人给您的学校认捐了书"),
        "{}",
        page.body
    );
    assert!(page.body.contains("《Goodnight Moon》"));

    let giver = crate::web::Browser::of(&app, Some(&donor));
    let page = giver.get("/notices", &[], &[]).await;
    assert!(page.body.contains("What needs you now"));
    assert!(
        page.body.contains("Please post your books: 7 days left"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("class=\"card todo\""),
        "the pledge to post is listed"
    );
    // Signed out, the page asks to sign in.
    let anonymous = crate::web::Browser::of(&app, None);
    let page = anonymous.get("/notices", &[], &[]).await;
    assert_eq!(page.location.as_deref(), Some("/signin?next=%2Fnotices"));
}

#[rocket::async_test]
async fn a_school_is_reminded_once_to_confirm_a_parcel_and_people_hear_of_vetting() {
    let (app, clock) = spawn_app_with_clock(|f| {
        f.merge(("delivery_confirm_days", 30))
            .merge(("session_ttl_seconds", 90 * 86_400))
    })
    .await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let id = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app
        .post(
            &format!("/api/v1/pledges/{id}/status"),
            Some(&volunteer.token),
            serde_json::json!({"status": "shipped", "tracking_number": "EMS1"}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    let confirm_reminders = |told: Vec<(NoticeKind, Option<String>)>| {
        told.iter()
            .filter(|(k, _)| *k == NoticeKind::ConfirmReminder)
            .count()
    };
    clock.advance(Duration::days(29));
    app.service().enforce_deadlines().await.unwrap();
    assert_eq!(confirm_reminders(kinds(&app, owner.id).await), 0);
    clock.advance(Duration::days(2));
    app.service().enforce_deadlines().await.unwrap();
    app.service().enforce_deadlines().await.unwrap();
    assert_eq!(confirm_reminders(kinds(&app, owner.id).await), 1, "once");
    let (_, pledge) = app
        .get(&format!("/api/v1/pledges/{id}"), Some(&donor.token))
        .await;
    assert_eq!(
        pledge["status"], "shipped",
        "never confirmed on the school's behalf"
    );

    // A coordinator's decision reaches the person it is about.
    let coordinator = app.user("admin").await;
    let (_, newcomer) = app
        .post(
            "/api/v1/accounts",
            None,
            serde_json::json!({"role": "volunteer", "name": "New", "email": "new@example.org",
                               "password": "long password"}),
        )
        .await;
    let newcomer = newcomer["id"].as_i64().unwrap();
    let (status, body) = app
        .post(
            &format!("/api/v1/accounts/{newcomer}/approve"),
            Some(&coordinator.token),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(
        kinds(&app, newcomer).await,
        [(NoticeKind::AccountApproved, None)]
    );
}
