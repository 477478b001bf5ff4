//! A school's shelf: what it already has is not asked for again by mistake.

use rocket::http::{ContentType, Status};
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

#[rocket::async_test]
async fn a_school_sends_its_shelf_as_a_file_saved_in_gbk() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 1).await;
    // As a school library's spreadsheet saves it in China: a header, copies, a title.
    let text = "ISBN,册数,书名\r\n9787020031566,3,小王子\r\n978-7-5353-4741-1,1,草房子\r\n\
                9787020031566,1,小王子\r\n9787020031567,1,错\r\n";
    let (file, _, _) = encoding_rs::GBK.encode(text);
    let path = format!("/api/v1/schools/{school}/shelf/import");
    let (status, _) = app.post_file(&path, None, &file, ContentType::CSV).await;
    assert_eq!(status, Status::Unauthorized);
    let stranger = app.school(10).await.0;
    let (status, _) = app
        .post_file(&path, Some(&stranger.token), &file, ContentType::CSV)
        .await;
    assert_eq!(status, Status::Forbidden);
    let (_, shelf) = app
        .get(&format!("/api/v1/schools/{school}/shelf"), None)
        .await;
    assert_eq!(
        shelf["books"].as_array().unwrap().len(),
        0,
        "a refusal shelves nothing"
    );

    let (status, report) = app
        .post_file(&path, Some(&owner.token), &file, ContentType::CSV)
        .await;
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["imported"], 2);
    assert_eq!(report["added"], 2);
    assert_eq!(report["rejected_total"], 1);
    assert_eq!(report["rejected"][0]["line"], 5);
    let (status, again) = app
        .post_file(&path, Some(&owner.token), &file, ContentType::CSV)
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(
        (again["added"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    let (_, shelf) = app
        .get(&format!("/api/v1/schools/{school}/shelf"), None)
        .await;
    let mut on_shelf: Vec<&str> = shelf["books"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["isbn"].as_str().unwrap())
        .collect();
    on_shelf.sort();
    assert_eq!(on_shelf, ["9787020031566", "9787535347411"]);
    let (status, refused) = app
        .post(
            &format!("/api/v1/schools/{school}/wishlist"),
            Some(&owner.token),
            json!({"isbn": "9787020031566", "quantity": 2}),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(refused["error"]["code"], "already_on_shelf");

    // An empty file changes nothing and says so.
    let (status, empty) = app
        .post_file(&path, Some(&owner.token), b"  \n", ContentType::CSV)
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{empty}");
}
