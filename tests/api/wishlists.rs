use rocket::http::Status;
use serde_json::json;

use crate::helpers::{spawn_app, GOODNIGHT_MOON, GRUFFALO};

#[rocket::async_test]
async fn adding_an_isbn_already_open_adds_to_that_item() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let first = app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    // The same book as an ISBN-10 with hyphens.
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{school}/wishlist"),
            Some(&owner.token),
            json!({"isbn": "0-06-077585-8", "quantity": 2, "note": "grade 1"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    assert_eq!(body["id"].as_i64(), Some(first));
    assert_eq!(body["requested"], 5);
    assert_eq!(body["outstanding"], 5);
    assert_eq!(body["note"], "grade 1");

    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["isbn"], GOODNIGHT_MOON);
}

#[rocket::async_test]
async fn the_list_shows_progress_per_item() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GRUFFALO, 10).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    app.pledge(&donor, school, GRUFFALO, 2).await;
    let b = app.pledge(&donor, school, GRUFFALO, 3).await["id"]
        .as_i64()
        .unwrap();
    let c = app.pledge(&donor, school, GRUFFALO, 1).await["id"]
        .as_i64()
        .unwrap();
    app.move_pledge(&volunteer, b, "shipped").await;
    app.move_pledge(&volunteer, c, "shipped").await;
    app.move_pledge(&owner, c, "delivered").await;

    let listed = app.item(school, item).await;
    assert_eq!(listed["requested"], 10);
    assert_eq!(listed["pledged"], 2);
    assert_eq!(listed["shipped"], 3);
    assert_eq!(listed["delivered"], 1);
    assert_eq!(listed["committed"], 6);
    assert_eq!(listed["outstanding"], 4);
}

#[rocket::async_test]
async fn a_book_missing_from_the_catalogue_is_still_accepted() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    // A valid ISBN no catalogue row has.
    let item = app.wish(&owner, school, "9787020031566", 4).await;
    let listed = app.item(school, item).await;
    assert_eq!(listed["title"], json!(null));
    let (status, book) = app.get("/api/v1/books/9787020031566", None).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(book["outstanding"], 4);
}

#[rocket::async_test]
async fn bad_isbns_and_quantities_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let path = format!("/api/v1/schools/{school}/wishlist");
    let cases = [
        (
            json!({"isbn": "9780060775859", "quantity": 1}),
            "invalid_isbn",
            "isbn",
        ),
        (
            json!({"isbn": "12345", "quantity": 1}),
            "invalid_isbn",
            "isbn",
        ),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": 0}),
            "validation_failed",
            "quantity",
        ),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": -1}),
            "validation_failed",
            "quantity",
        ),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1_000_000}),
            "validation_failed",
            "quantity",
        ),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1.5}),
            "validation_failed",
            "quantity",
        ),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "colour": "red"}),
            "validation_failed",
            "colour",
        ),
    ];
    for (form, code, field) in cases {
        let (status, body) = app.post(&path, Some(&owner.token), form.clone()).await;
        assert_eq!(status, Status::UnprocessableEntity, "{form}");
        assert_eq!(body["error"]["code"], code, "{form}");
        assert_eq!(body["error"]["field"], field, "{form}");
    }
    let (_, list) = app.get(&path, None).await;
    assert!(list["items"].as_array().unwrap().is_empty());
}

#[rocket::async_test]
async fn only_the_school_itself_or_an_admin_manages_its_wish_list() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let path = format!("/api/v1/schools/{school}/wishlist");
    let form = json!({"isbn": GRUFFALO, "quantity": 1});
    let other = app.school(10).await.0;
    for role_user in [other, app.user("donor").await, app.user("volunteer").await] {
        assert_eq!(
            app.post(&path, Some(&role_user.token), form.clone())
                .await
                .0,
            Status::Forbidden
        );
        assert_eq!(
            app.patch(
                &format!("/api/v1/wishlist/{item}"),
                Some(&role_user.token),
                json!({"quantity": 9})
            )
            .await
            .0,
            Status::Forbidden
        );
        assert_eq!(
            app.delete(&format!("/api/v1/wishlist/{item}"), Some(&role_user.token))
                .await
                .0,
            Status::Forbidden
        );
    }
    assert_eq!(
        app.post(&path, None, form.clone()).await.0,
        Status::Unauthorized
    );
    assert_eq!(app.item(school, item).await["requested"], 3);

    let admin = app.user("admin").await;
    assert_eq!(
        app.post(&path, Some(&admin.token), form).await.0,
        Status::Created
    );
}

#[rocket::async_test]
async fn quantity_can_change_but_never_below_what_is_committed() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 10).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 4).await;
    let path = format!("/api/v1/wishlist/{item}");

    let (status, body) = app
        .patch(&path, Some(&owner.token), json!({"quantity": 3}))
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "quantity_below_committed");
    assert_eq!(body["error"]["committed"], 4);
    assert_eq!(app.item(school, item).await["requested"], 10);

    let (status, body) = app
        .patch(&path, Some(&owner.token), json!({"quantity": 4}))
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["requested"], 4);
    assert_eq!(body["outstanding"], 0);

    let (status, _) = app
        .patch(
            "/api/v1/wishlist/9999",
            Some(&owner.token),
            json!({"quantity": 4}),
        )
        .await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn closing_an_item_stops_new_pledges_but_keeps_old_ones() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 10).await;
    let donor = app.user("donor").await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 2).await["id"]
        .as_i64()
        .unwrap();

    let (status, body) = app
        .delete(&format!("/api/v1/wishlist/{item}"), Some(&owner.token))
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["status"], "closed");
    assert_eq!(body["outstanding"], 0);

    let (_, open) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert!(open["items"].as_array().unwrap().is_empty());
    let (_, closed) = app
        .get(
            &format!("/api/v1/schools/{school}/wishlist?status=closed"),
            None,
        )
        .await;
    assert_eq!(closed["items"][0]["pledged"], 2);

    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["outstanding"], 0);
    let (status, _) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(status, Status::Ok);

    let (status, body) = app
        .patch(
            &format!("/api/v1/wishlist/{item}"),
            Some(&owner.token),
            json!({"quantity": 20}),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "wishlist_item_closed");

    // Asking again opens a fresh item.
    let again = app.wish(&owner, school, GOODNIGHT_MOON, 1).await;
    assert_ne!(again, item);
    let (status, _) = app
        .get(
            &format!("/api/v1/schools/{school}/wishlist?status=everything"),
            None,
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn an_item_never_asks_for_more_than_ten_thousand_copies_in_all() {
    let app = spawn_app().await;
    let (owner, school) = app.school(30).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 10_000).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{school}/wishlist"),
            Some(&owner.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(body["error"]["field"], "quantity");
    assert_eq!(
        app.item(school, item).await["requested"],
        10_000,
        "nothing changed"
    );

    // JSON Schema's integers: 2.0 is 2, 2.5 is refused.
    let (status, body) = app
        .patch(
            &format!("/api/v1/wishlist/{item}"),
            Some(&owner.token),
            json!({"quantity": 2.0}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["requested"], 2);
    let (status, _) = app
        .patch(
            &format!("/api/v1/wishlist/{item}"),
            Some(&owner.token),
            json!({"quantity": 2.5}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
}
