use rocket::http::Status;
use serde_json::json;

use crate::helpers::{spawn_app, GOODNIGHT_MOON, GRUFFALO};

#[rocket::async_test]
async fn a_pledge_to_a_named_school_commits_copies() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": "0060775858", "quantity": 3, "school_id": school}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let parts = body["pledges"].as_array().unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["school_id"].as_i64(), Some(school));
    assert_eq!(parts[0]["isbn"], GOODNIGHT_MOON);
    assert_eq!(parts[0]["quantity"], 3);
    assert_eq!(parts[0]["status"], "pledged");
    assert!(parts[0]["id"].as_i64().is_some());
    assert_eq!(app.item(school, item).await["outstanding"], 2);
}

#[rocket::async_test]
async fn asking_for_more_than_is_needed_is_409_and_changes_nothing() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 2).await;
    for body in [
        json!({"isbn": GOODNIGHT_MOON, "quantity": 4, "school_id": school}),
        json!({"isbn": GOODNIGHT_MOON, "quantity": 4}),
    ] {
        let (status, err) = app.post("/api/v1/pledges", Some(&donor.token), body).await;
        assert_eq!(status, Status::Conflict);
        assert_eq!(err["error"]["code"], "insufficient_need");
        assert_eq!(err["error"]["outstanding"], 3);
    }
    assert_eq!(app.item(school, item).await["committed"], 2);
    let (_, mine) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert_eq!(mine["pledges"].as_array().unwrap().len(), 1);

    // A book nobody needs, and a school that does not exist.
    let (status, err) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GRUFFALO, "quantity": 1}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["outstanding"].as_i64()),
        (Status::Conflict, Some(0))
    );
    let (status, _) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GRUFFALO, "quantity": 1, "school_id": 999}),
        )
        .await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn without_a_school_the_least_helped_school_per_student_comes_first() {
    let app = spawn_app().await;
    // Big school: 2 copies already committed for 200 students (0.01 per student).
    // Small school: nothing yet for 20 students (0.0) -> first in line.
    let (big_owner, big) = app.school(200).await;
    let (small_owner, small) = app.school(20).await;
    app.wish(&big_owner, big, GRUFFALO, 2).await;
    let big_item = app.wish(&big_owner, big, GOODNIGHT_MOON, 10).await;
    let small_item = app.wish(&small_owner, small, GOODNIGHT_MOON, 10).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, big, GRUFFALO, 2).await;

    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Created);
    assert_eq!(body["pledges"][0]["school_id"].as_i64(), Some(small));

    // 1 copy per 20 students (0.05) is now more than 2 per 200 (0.01): the next copies go
    // to the big school until it catches up, then they alternate. 8 copies: the big school
    // reaches 10/200 = 0.05 after 8 copies, so all 8 go there.
    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 8}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let parts = body["pledges"].as_array().unwrap();
    assert_eq!(parts.len(), 1, "{body}");
    assert_eq!(parts[0]["school_id"].as_i64(), Some(big));
    assert_eq!(parts[0]["quantity"], 8);

    // 11 more copies exist in need (2 big + 9 small): a pledge of 11 splits and fills both.
    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 11}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let parts = body["pledges"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(app.item(big, big_item).await["outstanding"], 0);
    assert_eq!(app.item(small, small_item).await["outstanding"], 0);
}

#[rocket::async_test]
async fn only_donors_pledge() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let body = json!({"isbn": GOODNIGHT_MOON, "quantity": 1});
    for user in [
        owner.clone(),
        app.user("volunteer").await,
        app.user("admin").await,
    ] {
        let (status, err) = app
            .post("/api/v1/pledges", Some(&user.token), body.clone())
            .await;
        assert_eq!(status, Status::Forbidden);
        assert_eq!(err["error"]["code"], "forbidden");
    }
    assert_eq!(
        app.post("/api/v1/pledges", None, body).await.0,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn who_sees_which_pledges() {
    let app = spawn_app().await;
    let (owner_a, a) = app.school(50).await;
    let (owner_b, b) = app.school(50).await;
    app.wish(&owner_a, a, GOODNIGHT_MOON, 5).await;
    app.wish(&owner_b, b, GOODNIGHT_MOON, 5).await;
    let donor1 = app.user("donor").await;
    let donor2 = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let p1 = app.pledge(&donor1, a, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let p2 = app.pledge(&donor2, b, GOODNIGHT_MOON, 2).await["id"]
        .as_i64()
        .unwrap();
    app.move_pledge(&volunteer, p2, "shipped").await;

    let ids = |body: serde_json::Value| -> Vec<i64> {
        body["pledges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(app.get("/api/v1/pledges", Some(&donor1.token)).await.1),
        vec![p1]
    );
    assert_eq!(
        ids(app.get("/api/v1/pledges", Some(&volunteer.token)).await.1),
        vec![p2, p1]
    );
    assert_eq!(
        ids(app
            .get("/api/v1/pledges?status=shipped", Some(&volunteer.token))
            .await
            .1),
        vec![p2]
    );
    assert_eq!(
        ids(app
            .get(
                &format!("/api/v1/pledges?school_id={a}"),
                Some(&volunteer.token)
            )
            .await
            .1),
        vec![p1]
    );
    assert_eq!(
        ids(app.get("/api/v1/pledges", Some(&owner_b.token)).await.1),
        vec![p2]
    );
    let (status, _) = app
        .get(
            &format!("/api/v1/pledges?school_id={a}"),
            Some(&owner_b.token),
        )
        .await;
    assert_eq!(status, Status::Forbidden);
    let (status, body) = app
        .get("/api/v1/pledges?status=flying", Some(&volunteer.token))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (Status::UnprocessableEntity, Some("status"))
    );
    assert_eq!(
        app.get("/api/v1/pledges", None).await.0,
        Status::Unauthorized
    );

    // One pledge: its donor sees where to send it; another donor learns nothing.
    let (status, view) = app
        .get(&format!("/api/v1/pledges/{p1}"), Some(&donor1.token))
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(view["ship_to"]["address"], "1 School Road");
    assert_eq!(view["ship_to"]["school_id"].as_i64(), Some(a));
    assert_eq!(
        app.get(&format!("/api/v1/pledges/{p1}"), Some(&donor2.token))
            .await
            .0,
        Status::NotFound
    );
    assert_eq!(
        app.get(&format!("/api/v1/pledges/{p1}"), Some(&owner_b.token))
            .await
            .0,
        Status::NotFound
    );
    assert_eq!(
        app.get(&format!("/api/v1/pledges/{p1}"), Some(&owner_a.token))
            .await
            .0,
        Status::Ok
    );
    assert_eq!(
        app.get("/api/v1/pledges/424242", Some(&volunteer.token))
            .await
            .0,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn pledges_are_listed_for_one_book_by_any_form_of_its_isbn() {
    let app = crate::helpers::spawn_app().await;
    let story = app.one_pledge().await;
    let (status, body) = app
        .get(
            "/api/v1/pledges?isbn=ISBN%20978-0-06-077585-8",
            Some(&story.volunteer.token),
        )
        .await;
    assert_eq!(status, rocket::http::Status::Ok, "{body}");
    let ids: Vec<i64> = body["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [story.pledge]);
    let (_, none) = app
        .get(
            "/api/v1/pledges?isbn=9787020031566",
            Some(&story.volunteer.token),
        )
        .await;
    assert_eq!(none["pledges"], serde_json::json!([]));
    let (status, body) = app
        .get(
            "/api/v1/pledges?isbn=9780060775859",
            Some(&story.volunteer.token),
        )
        .await;
    assert_eq!(status, rocket::http::Status::UnprocessableEntity);
    assert_eq!(body["error"]["code"], "invalid_isbn");
}
