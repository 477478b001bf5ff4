//! Works: a copy of another edition (another printing, a paperback) counts against a
//! school's wish for its work, unless the school wants only the edition it listed.

use rocket::http::Status;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, User, GOODNIGHT_MOON};

/// The paperback of Goodnight Moon: another edition of the same work.
const PAPERBACK: &str = "9780064430173";

async fn one_work(app: &TestApp) {
    app.add_books(&[
        (
            GOODNIGHT_MOON,
            "Goodnight Moon",
            "Margaret Wise Brown",
            "en",
        ),
        (PAPERBACK, "Goodnight Moon", "Margaret Wise Brown", "en"),
    ])
    .await;
    let editor = app.user("admin").await;
    for isbn in [GOODNIGHT_MOON, PAPERBACK] {
        let (status, book) = app
            .patch(
                &format!("/api/v1/books/{isbn}"),
                Some(&editor.token),
                json!({"work": "BB7W"}),
            )
            .await;
        assert_eq!(status, Status::Ok, "{book}");
        assert_eq!(book["work"], "BB7W");
    }
}

async fn wish(app: &TestApp, owner: &User, school: i64, body: Value) -> Value {
    let (status, item) = app
        .post(
            &format!("/api/v1/schools/{school}/wishlist"),
            Some(&owner.token),
            body,
        )
        .await;
    assert_eq!(status, Status::Created, "{item}");
    item
}

#[rocket::async_test]
async fn a_copy_of_another_edition_counts_against_the_items_of_its_work() {
    let app = spawn_app().await;
    one_work(&app).await;
    // A takes any edition (the default); B wants only the hardback it listed.
    let (a_owner, a) = app.school(100).await;
    let any = wish(
        &app,
        &a_owner,
        a,
        json!({"isbn": GOODNIGHT_MOON, "quantity": 2}),
    )
    .await;
    assert_eq!(any["any_edition"], true);
    let (b_owner, b) = app.school(10).await;
    let only = wish(
        &app,
        &b_owner,
        b,
        json!({"isbn": GOODNIGHT_MOON, "quantity": 2, "any_edition": false}),
    )
    .await;
    assert_eq!(only["any_edition"], false);

    // Search and the book's page count A's need for the paperback, not B's.
    app.settle_index().await;
    let (status, book) = app.get(&format!("/api/v1/books/{PAPERBACK}"), None).await;
    assert_eq!(status, Status::Ok);
    let needing: Vec<i64> = book["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["school_id"].as_i64().unwrap())
        .collect();
    assert_eq!(needing, [a], "{book}");
    let found = app.search(&format!("q={PAPERBACK}")).await;
    assert_eq!(found["hits"][0]["isbn"], PAPERBACK, "{found}");
    assert_eq!(found["hits"][0]["outstanding"], 2, "{found}");

    // The donor's paperback fills A's item; the pledge says which edition travels.
    let donor = app.user("donor").await;
    let (status, made) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": PAPERBACK, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Created, "{made}");
    let pledge = &made["pledges"][0];
    assert_eq!(pledge["isbn"], PAPERBACK);
    assert_eq!(pledge["school_id"], a);
    assert_eq!(pledge["wishlist_item_id"], any["id"]);
    assert_eq!(app.item_outstanding(a, GOODNIGHT_MOON).await, 1);
    assert_eq!(app.item_outstanding(b, GOODNIGHT_MOON).await, 2);

    // Two more paperbacks: only one place takes a paperback; nothing is written.
    let (status, refused) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": PAPERBACK, "quantity": 2}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{refused}");
    assert_eq!(refused["error"]["code"], "insufficient_need");
    assert_eq!(refused["error"]["outstanding"], 1);
    // Nor can it be named for B.
    let (status, refused) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": PAPERBACK, "quantity": 1, "school_id": b}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{refused}");
    assert_eq!(app.item_outstanding(b, GOODNIGHT_MOON).await, 2);

    // The index follows: the paperback's need is A's last copy, the hardback's A's and B's.
    app.settle_index().await;
    let found = app.search(&format!("q={PAPERBACK}")).await;
    assert_eq!(found["hits"][0]["outstanding"], 1, "{found}");
    let found = app.search(&format!("q={GOODNIGHT_MOON}")).await;
    assert_eq!(found["hits"][0]["outstanding"], 3, "{found}");
    app.assert_no_drift().await;
}

#[rocket::async_test]
async fn a_school_can_turn_other_editions_off_and_on_for_an_item() {
    let app = spawn_app().await;
    one_work(&app).await;
    let (owner, school) = app.school(100).await;
    wish(
        &app,
        &owner,
        school,
        json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "any_edition": false}),
    )
    .await;
    let donor = app.user("donor").await;
    let paperback = json!({"isbn": PAPERBACK, "quantity": 1});
    let (status, _) = app
        .post("/api/v1/pledges", Some(&donor.token), paperback.clone())
        .await;
    assert_eq!(status, Status::Conflict);
    // Adding copies without saying keeps the choice; saying true turns it on.
    let item = wish(
        &app,
        &owner,
        school,
        json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
    )
    .await;
    assert_eq!(item["any_edition"], false);
    let item = wish(
        &app,
        &owner,
        school,
        json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "any_edition": true}),
    )
    .await;
    assert_eq!(item["any_edition"], true);
    assert_eq!(item["requested"], 3);
    let (status, made) = app
        .post("/api/v1/pledges", Some(&donor.token), paperback)
        .await;
    assert_eq!(status, Status::Created, "{made}");
    assert_eq!(made["pledges"][0]["wishlist_item_id"], item["id"]);
}

#[rocket::async_test]
async fn a_childs_wish_is_claimed_with_another_edition_of_its_book() {
    // The demo's 小明 at Nuofu wishes for 草房子 (9787535347411); 人民文学's edition
    // (9787020078400) is the same work.
    let app = crate::helpers::spawn_app_with(|f| f.merge(("seed_demo", true))).await;
    let (_, wall) = app.get("/api/v1/wishes", None).await;
    let wish = wall["wishes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["isbn"] == "9787535347411")
        .unwrap_or_else(|| panic!("{wall}"))["id"]
        .as_i64()
        .unwrap();
    let donor = app.user("donor").await;
    let claim =
        |isbn: &str| json!({"wish_ids": [wish], "editions": [{"wish_id": wish, "isbn": isbn}]});
    // Goodnight Moon is not an edition of 草房子: refused, the wish still open.
    let (status, refused) = app
        .post(
            "/api/v1/wish-claims",
            Some(&donor.token),
            claim(GOODNIGHT_MOON),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{refused}");
    assert_eq!(refused["error"]["field"], "editions");
    let (status, made) = app
        .post(
            "/api/v1/wish-claims",
            Some(&donor.token),
            claim("9787020078400"),
        )
        .await;
    assert_eq!(status, Status::Created, "{made}");
    assert_eq!(made["pledges"][0]["isbn"], "9787020078400");
    let (status, _) = app
        .post(
            "/api/v1/wish-claims",
            Some(&donor.token),
            claim("9787020078400"),
        )
        .await;
    assert_eq!(status, Status::Conflict, "one winner per wish");
}
