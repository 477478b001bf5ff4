//! A school's shelf: what it already has is not asked for again by mistake.

use rocket::http::Status;
use serde_json::json;

use crate::helpers::{spawn_app, GOODNIGHT_MOON, GRUFFALO, MATILDA};

#[rocket::async_test]
async fn a_school_lists_what_it_has_and_is_not_sent_it_again_unless_it_asks() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let shelf = format!("/api/v1/schools/{school}/shelf");

    // The same book twice (as ISBN-10 with hyphens and as ISBN-13) is one title.
    let (status, body) = app
        .post(
            &shelf,
            Some(&owner.token),
            json!({"isbns": ["0-06-077585-8", GOODNIGHT_MOON, GRUFFALO]}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(body["added"], 2);
    let (status, listed) = app.get(&shelf, None).await;
    assert_eq!(status, Status::Ok);
    let isbns: Vec<&str> = listed["books"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["isbn"].as_str().unwrap())
        .collect();
    assert_eq!(isbns.len(), 2);
    assert!(isbns.contains(&GOODNIGHT_MOON) && isbns.contains(&GRUFFALO));
    assert!(listed["books"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["source"] == "school"));
    let (_, again) = app
        .post(&shelf, Some(&owner.token), json!({"isbns": [GRUFFALO]}))
        .await;
    assert_eq!(again["added"], 0, "a title already there is skipped");

    // Asking for one of them is refused, naming it; saying another copy is wanted is not.
    let wishlist = format!("/api/v1/schools/{school}/wishlist");
    let (status, refused) = app
        .post(
            &wishlist,
            Some(&owner.token),
            json!({"isbn": GRUFFALO, "quantity": 2}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{refused}");
    assert_eq!(refused["error"]["code"], "already_on_shelf");
    assert_eq!(refused["error"]["on_shelf"], GRUFFALO);
    let (_, list) = app.get(&wishlist, None).await;
    assert!(
        list["items"].as_array().unwrap().is_empty(),
        "nothing written"
    );
    let (status, added) = app
        .post(
            &wishlist,
            Some(&owner.token),
            json!({"isbn": GRUFFALO, "quantity": 2, "again": true}),
        )
        .await;
    assert_eq!(status, Status::Created, "{added}");
    assert_eq!(added["requested"], 2);
    // A title not on the shelf needs no such word.
    app.wish(&owner, school, MATILDA, 1).await;
}

#[rocket::async_test]
async fn only_the_school_puts_books_on_its_shelf_and_bad_isbns_change_nothing() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let (other, _) = app.school(40).await;
    let shelf = format!("/api/v1/schools/{school}/shelf");
    let body = json!({"isbns": [GOODNIGHT_MOON]});

    let (status, _) = app.post(&shelf, None, body.clone()).await;
    assert_eq!(status, Status::Unauthorized);
    let (status, _) = app.post(&shelf, Some(&other.token), body.clone()).await;
    assert_eq!(status, Status::Forbidden);
    let donor = app.user("donor").await;
    let (status, _) = app.post(&shelf, Some(&donor.token), body).await;
    assert_eq!(status, Status::Forbidden);

    let (status, refused) = app
        .post(
            &shelf,
            Some(&owner.token),
            json!({"isbns": [GOODNIGHT_MOON, "9780060775859"]}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{refused}");
    assert_eq!(refused["error"]["field"], "isbns");
    let (status, empty) = app
        .post(&shelf, Some(&owner.token), json!({"isbns": []}))
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{empty}");
    let (_, listed) = app.get(&shelf, None).await;
    assert!(listed["books"].as_array().unwrap().is_empty(), "{listed}");

    let (status, _) = app.get("/api/v1/schools/999999/shelf", None).await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn a_confirmed_parcel_puts_its_book_on_the_shelf() {
    let app = spawn_app().await;
    let story = app.one_pledge().await;
    let (status, body) = app
        .move_pledge(&story.volunteer, story.pledge, "shipped")
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let school = body["school_id"].as_i64().unwrap();
    let shelf = format!("/api/v1/schools/{school}/shelf");
    let (_, before) = app.get(&shelf, None).await;
    assert!(
        before["books"].as_array().unwrap().is_empty(),
        "shipped is not arrived"
    );

    let (status, body) = app
        .move_pledge(&story.owner, story.pledge, "delivered")
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let (_, after) = app.get(&shelf, None).await;
    assert_eq!(after["books"][0]["isbn"], GOODNIGHT_MOON, "{after}");
    assert_eq!(after["books"][0]["source"], "delivered");

    // The list's open item is not touched, but a new request for the title is a question.
    let (status, refused) = app
        .post(
            &format!("/api/v1/schools/{school}/wishlist"),
            Some(&story.owner.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{refused}");
    assert_eq!(refused["error"]["code"], "already_on_shelf");
}
