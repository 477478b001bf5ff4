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

#[rocket::async_test]
async fn a_teacher_scans_the_shelf_on_its_page_and_sees_have_it_where_books_are_chosen() {
    use crate::web::{Browser, CSRF};
    use bookbridge::domain::audit::{AuditAction, AuditEntry};
    use bookbridge::domain::booklists::NewBookList;
    use bookbridge::domain::isbn::Isbn;

    let app = spawn_app().await;
    crate::boxes::catalogue(&app).await;
    let (owner, school) = app.school(60).await;
    let teacher = Browser::of(&app, Some(&owner));
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let page = teacher.get("/my/school/shelf", &zh, &[]).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("我们已有的书") && page.body.contains("书架上还没有书"));

    // A mistyped line shelves nothing and says which line.
    let typed = format!("{GOODNIGHT_MOON}\n9780141301069\n");
    let refused = teacher
        .post_with(
            "/my/school/shelf",
            &[("csrf", CSRF), ("isbns", &typed)],
            &zh,
        )
        .await;
    assert_eq!(refused.location.as_deref(), Some("/my/school/shelf"));
    let shelf_of = || async {
        let (_, shelf) = app
            .get(&format!("/api/v1/schools/{school}/shelf"), None)
            .await;
        shelf["books"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["isbn"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(shelf_of().await.is_empty());
    // Scanned one a line (a scanner's Enter ends each), the same book twice.
    let scanned = format!("{GOODNIGHT_MOON}\n{GRUFFALO}\n{GOODNIGHT_MOON}\n");
    let shelved = teacher
        .post_with(
            "/my/school/shelf",
            &[("csrf", CSRF), ("isbns", &scanned)],
            &zh,
        )
        .await;
    assert_eq!(shelved.location.as_deref(), Some("/my/school/shelf"));
    let mut on_shelf = shelf_of().await;
    on_shelf.sort();
    assert_eq!(on_shelf, [GOODNIGHT_MOON, GRUFFALO]);
    let page = teacher.get("/my/school/shelf", &zh, &[]).await;
    assert!(page.body.contains("The Gruffalo") && page.body.contains("学校登记"));

    // A curated list of three: the two the school has are marked 已有, with "another copy".
    let curator = app.user("volunteer").await;
    let store = app.service().store();
    let entry = AuditEntry::by_operator(AuditAction::BookListChanged, "booklist");
    let list = NewBookList::parse("三年级", Some("primary"), &[3]).unwrap();
    let list = store
        .create_booklist(
            &list,
            bookbridge::domain::ids::AccountId(curator.id),
            &entry,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    for isbn in [GOODNIGHT_MOON, GRUFFALO, MATILDA] {
        store
            .add_to_booklist(
                list,
                &Isbn::parse(isbn).unwrap(),
                None,
                &entry,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
    }
    let shown = teacher.get(&format!("/booklists/{list}"), &zh, &[]).await;
    assert_eq!(shown.status, Status::Ok);
    let card = |isbn: &str| {
        shown
            .body
            .split("class=\"card book\"")
            .find(|c| c.contains(&format!("data-isbn=\"{isbn}\"")))
            .unwrap()
            .split("</form>")
            .next()
            .unwrap()
            .to_owned()
    };
    for isbn in [GOODNIGHT_MOON, GRUFFALO] {
        let card = card(isbn);
        assert!(
            card.contains("已有") && card.contains("name=\"again\""),
            "{card}"
        );
    }
    let matilda = card(MATILDA);
    assert!(
        !matilda.contains("已有") && !matilda.contains("name=\"again\""),
        "{matilda}"
    );
    assert!(
        matilda.contains("action=\"/my/school/wishlist\""),
        "{matilda}"
    );
    // A donor sees no marks.
    let donor = app.user("donor").await;
    let seen = Browser::of(&app, Some(&donor))
        .get(&format!("/booklists/{list}"), &zh, &[])
        .await;
    assert!(!seen.body.contains("已有"));

    // Search results mark them too.
    app.settle_index().await;
    let found = teacher.get(&format!("/?q={GRUFFALO}"), &zh, &[]).await;
    assert!(found.body.contains("已有"), "{}", found.body);
}
