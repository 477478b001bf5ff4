//! The pages finished for real users (issue 12): choosing where a gift goes, the school
//! directory, a teacher's book list from search, paging, and messages in the page's language.

use rocket::http::Status;
use serde_json::json;

use crate::helpers::{TestApp, User, GOODNIGHT_MOON, GRUFFALO};
use crate::web::{setup, Browser, CSRF};

fn chinese() -> Vec<(String, String)> {
    vec![("bb_lang".to_owned(), "zh".to_owned())]
}

/// A school with its own name and province; verified unless `verified` is false.
async fn school_named(app: &TestApp, name: &str, province: &str, verified: bool) -> (User, i64) {
    let owner = app.user("school").await;
    let (status, body) = app
        .post(
            "/api/v1/schools",
            Some(&owner.token),
            json!({"name": name, "province": province, "county": "Lancang",
                   "address": "1 School Road", "contact_phone": "0879-555-0101",
                   "student_count": 30}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    let id = body["id"].as_i64().unwrap();
    if verified {
        app.service()
            .verify_school_unchecked(bookbridge::domain::ids::SchoolId(id), "2153000123")
            .await
            .unwrap();
    }
    (owner, id)
}

async fn my_pledges(app: &TestApp, donor: &User) -> Vec<serde_json::Value> {
    let (_, list) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    list["pledges"].as_array().unwrap().clone()
}

#[rocket::async_test]
async fn a_split_is_shown_before_it_happens_and_one_school_can_be_chosen() {
    let (_env, app) = setup().await;
    let (a_owner, a) = school_named(&app, "Nuofu Primary", "Yunnan", true).await;
    let (b_owner, b) = school_named(&app, "Baiyun Primary", "Gansu", true).await;
    app.wish(&a_owner, a, GOODNIGHT_MOON, 1).await;
    app.wish(&b_owner, b, GOODNIGHT_MOON, 2).await;
    let donor = app.user("donor").await;
    let browser = Browser::of(&app, Some(&donor));
    let pledge = [("csrf", CSRF), ("isbn", GOODNIGHT_MOON), ("quantity", "2")];

    // Two copies would go one to each school: the donor is asked first, and nothing is made.
    let preview = browser.post("/pledge", &pledge).await;
    assert_eq!(preview.status, Status::Ok);
    assert!(preview.body.contains("several schools"), "{}", preview.body);
    assert!(preview.body.contains("Nuofu Primary") && preview.body.contains("Baiyun Primary"));
    assert!(preview.body.contains("name=\"split_ok\" value=\"true\""));
    assert!(
        my_pledges(&app, &donor).await.is_empty(),
        "nothing pledged yet"
    );

    // Choosing one school sends both copies there.
    let b_id = b.to_string();
    let chosen = browser
        .post(
            "/pledge",
            &[
                ("csrf", CSRF),
                ("isbn", GOODNIGHT_MOON),
                ("quantity", "2"),
                ("school_id", &b_id),
            ],
        )
        .await;
    let made = my_pledges(&app, &donor).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["school_id"], b);
    assert_eq!(made[0]["quantity"], 2);
    assert_eq!(
        chosen.location,
        Some(format!("/my/pledges/{}", made[0]["id"]))
    );

    // A second donor agrees to the split as shown (one copy left, at one school: no question).
    let (c_owner, c) = school_named(&app, "Hetao Primary", "Sichuan", true).await;
    app.wish(&c_owner, c, GOODNIGHT_MOON, 1).await;
    let other = app.user("donor").await;
    let other_browser = Browser::of(&app, Some(&other));
    let agreed = other_browser
        .post(
            "/pledge",
            &[
                ("csrf", CSRF),
                ("isbn", GOODNIGHT_MOON),
                ("quantity", "2"),
                ("split_ok", "true"),
            ],
        )
        .await;
    assert_eq!(agreed.location.as_deref(), Some("/my/pledges"));
    let split = my_pledges(&app, &other).await;
    let mut schools: Vec<i64> = split
        .iter()
        .map(|p| p["school_id"].as_i64().unwrap())
        .collect();
    schools.sort_unstable();
    assert_eq!(schools, {
        let mut both = vec![a, c];
        both.sort_unstable();
        both
    });

    // The donor's list has dates; each pledge's page has the timeline and the post-by date.
    let list = other_browser.get("/my/pledges", &[], &[]).await;
    assert!(list.body.contains("Pledged on") && list.body.contains("Please post by"));
    let page = other_browser
        .get(&format!("/my/pledges/{}", split[0]["id"]), &chinese(), &[])
        .await;
    assert!(
        page.body.contains("接下来") && page.body.contains("时间记录"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<time datetime="));
    // Someone else's pledge page is not there for this donor.
    let theirs = other_browser
        .get(&format!("/my/pledges/{}", made[0]["id"]), &[], &[])
        .await;
    assert!(
        theirs.status == Status::Forbidden || theirs.status == Status::NotFound,
        "{}",
        theirs.status
    );
}

#[rocket::async_test]
async fn the_directory_lists_verified_schools_by_province_in_the_readers_language() {
    let (_env, app) = setup().await;
    let (a_owner, a) = school_named(&app, "Nuofu Primary", "yunnan province", true).await;
    let (_, b) = school_named(&app, "Baiyun Primary", "甘肃", true).await;
    let (_, c) = school_named(&app, "Unchecked Primary", "Yunnan", false).await;
    app.wish(&a_owner, a, GOODNIGHT_MOON, 4).await;
    let visitor = Browser::of(&app, None);

    let all = visitor.get("/schools", &[], &[]).await;
    assert_eq!(all.status, Status::Ok);
    assert!(all.body.contains(&format!("href=\"/schools/{a}\"")));
    assert!(all.body.contains(&format!("href=\"/schools/{b}\"")));
    assert!(
        !all.body.contains(&format!("href=\"/schools/{c}\"")),
        "only verified schools"
    );
    assert!(all.body.contains("4 books still needed"));
    // The neediest first.
    assert!(all.body.find("Nuofu").unwrap() < all.body.find("Baiyun").unwrap());

    let zh = visitor.get("/schools", &chinese(), &[]).await;
    assert!(
        zh.body.contains("云南省") && zh.body.contains("甘肃省"),
        "Chinese names"
    );
    assert!(!zh.body.contains(">Yunnan"));

    // Any spelling of a province filters to it.
    for province in ["%E4%BA%91%E5%8D%97", "Yunnan"] {
        let one = visitor
            .get(&format!("/schools?province={province}"), &[], &[])
            .await;
        assert!(one.body.contains("Nuofu Primary") && !one.body.contains("Baiyun Primary"));
    }
    let gansu = visitor.get("/schools?province=Gansu", &[], &[]).await;
    assert!(gansu.body.contains("Baiyun Primary") && !gansu.body.contains("Nuofu Primary"));

    // A page that is not one is refused in the page's language.
    let bad = visitor.get("/schools?page=0", &chinese(), &[]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("页码不正确"), "{}", bad.body);

    // The school's own shared page names its province in Chinese too.
    let shared = visitor.get(&format!("/schools/{b}"), &chinese(), &[]).await;
    assert!(shared.body.contains("甘肃省"));
}

#[rocket::async_test]
async fn a_teacher_builds_the_book_list_from_search_and_edits_it_on_the_page() {
    let (_env, app) = setup().await;
    app.settle_index().await;
    let (owner, school) = school_named(&app, "Nuofu Primary", "Yunnan", true).await;
    let teacher = Browser::of(&app, Some(&owner));

    let found = teacher.get("/?q=goodnight", &[], &[]).await;
    assert!(
        found.body.contains("Add to our book list"),
        "{}",
        found.body
    );
    let added = teacher
        .post(
            "/my/school/wishlist",
            &[
                ("csrf", CSRF),
                ("isbn", GOODNIGHT_MOON),
                ("quantity", "3"),
                ("back", "/?q=goodnight"),
            ],
        )
        .await;
    assert_eq!(
        added.location.as_deref(),
        Some("/?q=goodnight"),
        "back to the results"
    );
    // A `back` off this site is never followed.
    let elsewhere = teacher
        .post(
            "/my/school/wishlist",
            &[
                ("csrf", CSRF),
                ("isbn", "9787020031566"),
                ("quantity", "1"),
                ("back", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(elsewhere.location.as_deref(), Some("/my/school"));

    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["isbn"] == GOODNIGHT_MOON)
        .unwrap()
        .clone();
    assert_eq!(item["requested"], 3);
    let id = item["id"].as_i64().unwrap();

    let page = teacher.get("/my/school", &[], &[]).await;
    assert!(page
        .body
        .contains(&format!("action=\"/my/school/wishlist/{id}/quantity\"")));
    assert!(page
        .body
        .contains(&format!("action=\"/my/school/wishlist/{id}/close\"")));

    let changed = teacher
        .post(
            &format!("/my/school/wishlist/{id}/quantity"),
            &[("csrf", CSRF), ("quantity", "5")],
        )
        .await;
    assert_eq!(changed.location.as_deref(), Some("/my/school"));
    let requested = async |app: &TestApp| {
        let path = format!("/api/v1/schools/{school}/wishlist?status=all");
        let (_, list) = app.get(&path, None).await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| (i["requested"].clone(), i["status"].clone()))
            .unwrap()
    };
    assert_eq!(requested(&app).await, (json!(5), json!("open")));

    // A bad number changes nothing and says why, in Chinese on a Chinese page.
    let refused = teacher
        .post_with(
            &format!("/my/school/wishlist/{id}/quantity"),
            &[("csrf", CSRF), ("quantity", "0")],
            &chinese(),
        )
        .await;
    let flash: Vec<(String, String)> = refused
        .cookies
        .into_iter()
        .filter(|(k, _)| k == "_flash")
        .collect();
    let mut with_flash = flash.clone();
    with_flash.extend(chinese());
    let shown = teacher.get("/my/school", &with_flash, &[]).await;
    assert!(
        shown.body.contains("数量须在 1 到 10000 之间"),
        "{}",
        shown.body
    );
    assert_eq!(requested(&app).await, (json!(5), json!("open")));

    // Another school's teacher cannot touch this item.
    let (stranger, _) = school_named(&app, "Baiyun Primary", "Gansu", true).await;
    Browser::of(&app, Some(&stranger))
        .post(
            &format!("/my/school/wishlist/{id}/close"),
            &[("csrf", CSRF)],
        )
        .await;
    assert_eq!(requested(&app).await, (json!(5), json!("open")));

    let closed = teacher
        .post(
            &format!("/my/school/wishlist/{id}/close"),
            &[("csrf", CSRF)],
        )
        .await;
    assert_eq!(closed.location.as_deref(), Some("/my/school"));
    assert_eq!(requested(&app).await, (json!(5), json!("closed")));
}

/// The school's page in Chinese as it shows after `answer`, with the message it carried.
async fn school_page_after(
    teacher: &Browser<'_>,
    answer: crate::web::Answer,
) -> crate::web::Answer {
    let mut with_flash: Vec<(String, String)> = answer
        .cookies
        .into_iter()
        .filter(|(k, _)| k == "_flash")
        .collect();
    with_flash.extend(chinese());
    teacher.get("/my/school", &with_flash, &[]).await
}

#[rocket::async_test]
async fn the_blank_book_list_uploads_and_bad_rows_are_explained_in_chinese() {
    let (_env, app) = setup().await;
    let (owner, school) = school_named(&app, "Nuofu Primary", "Yunnan", true).await;
    let teacher = Browser::of(&app, Some(&owner));
    let template = teacher
        .get("/my/school/book-list-template.csv", &[], &[])
        .await;
    assert_eq!(template.status, Status::Ok);
    assert!(
        template.body.starts_with('\u{feff}'),
        "a BOM, so Excel reads UTF-8"
    );

    assert_eq!(
        template.body.lines().count(),
        1,
        "only the header: an example row would be imported as a request"
    );
    let uploaded = teacher
        .upload(
            "/my/school/wishlist/upload",
            "book-list.csv",
            template.body.as_bytes(),
            &[],
        )
        .await;
    assert_eq!(uploaded.location.as_deref(), Some("/my/school"));
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert!(list["items"].as_array().unwrap().is_empty(), "{list}");

    // The file says how many copies the list asks for: the same file twice is one request,
    // and the page says what changed.
    let filled = format!("{}9787020031566,3,四年级\r\n", template.body);
    let mut said = Vec::new();
    for _ in 0..2 {
        let answer = teacher
            .upload(
                "/my/school/wishlist/upload",
                "book-list.csv",
                filled.as_bytes(),
                &chinese(),
            )
            .await;
        said.push(school_page_after(&teacher, answer).await.body);
    }
    assert!(said[0].contains("新加入书单：1 本书。"), "{}", said[0]);
    assert!(
        said[1].contains("与文件相同、没有改动：1 本书。"),
        "{}",
        said[1]
    );
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][0]["isbn"], "9787020031566");
    assert_eq!(list["items"][0]["requested"], 3, "not 6: {list}");
    assert_eq!(list["items"][0]["note"], "四年级");
    // A new number in the file is the new number; copies to add are said so.
    let fewer = format!("{}9787020031566,2\r\n", template.body);
    teacher
        .upload(
            "/my/school/wishlist/upload",
            "book-list.csv",
            fewer.as_bytes(),
            &[],
        )
        .await;
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][0]["requested"], 2);
    teacher
        .multipart(
            "/my/school/wishlist/upload",
            &[("list_mode", "add")],
            ("file", "book-list.csv", fewer.as_bytes()),
            &[],
        )
        .await;
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(
        list["items"][0]["requested"], 4,
        "added on top when asked to"
    );

    // GBK, as WPS saves it, with one good row and one mistyped ISBN.
    let (gbk, _, _) = encoding_rs::GBK
        .encode("isbn,数量,备注\r\n9780060775858,1,一年级\r\n9780060775859,2,二年级\r\n");
    let answer = teacher
        .upload("/my/school/wishlist/upload", "书单.csv", &gbk, &chinese())
        .await;
    let shown = school_page_after(&teacher, answer).await;
    assert!(
        shown.body.contains("第 3 行") && shown.body.contains("校验码"),
        "{}",
        shown.body
    );
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        2,
        "the good row is in"
    );
}

#[rocket::async_test]
async fn search_pages_through_results_and_helps_with_a_mistyped_check_digit() {
    let (_env, app) = setup().await;
    // 25 more books, so results run to two pages of 20.
    let isbns: Vec<String> = (0..25)
        .map(|n| isbn13(&format!("978000000{n:03}")))
        .collect();
    let titles: Vec<String> = (0..25).map(|n| format!("Moon book {n}")).collect();
    let books: Vec<(&str, &str, &str, &str)> = isbns
        .iter()
        .zip(&titles)
        .map(|(i, t)| (i.as_str(), t.as_str(), "A. Writer", "eng"))
        .collect();
    app.add_books(&books).await;
    app.settle_index().await;
    let visitor = Browser::of(&app, None);

    let first = visitor.get("/?q=moon", &[], &[]).await;
    assert!(
        first.body.contains("1 / 2")
            && first
                .body
                .contains("rel=\"next\" href=\"/?q=moon&amp;page=2\""),
        "{}",
        first.body
    );
    let second = visitor.get("/?q=moon&page=2", &[], &[]).await;
    assert!(second.body.contains("2 / 2") && second.body.contains("rel=\"prev\""));
    let cards = |body: &str| body.matches("class=\"card result\"").count();
    assert_eq!(cards(&first.body), 20);
    assert_eq!(cards(&second.body), 6, "26 moon books in all");
    let beyond = visitor.get("/?q=moon&page=0", &chinese(), &[]).await;
    assert!(beyond.body.contains("没有这一页"), "{}", beyond.body);

    // Goodnight Moon's ISBN with the last digit wrong: said so, and the book offered.
    let typo = visitor.get("/?q=978-0-06-077585-9", &[], &[]).await;
    assert!(typo.body.contains("last digit of this ISBN does not match"));
    assert!(
        typo.body
            .contains(&format!("href=\"/?q={GOODNIGHT_MOON}\"")),
        "{}",
        typo.body
    );
}

/// `prefix` (12 digits) with its ISBN-13 check digit.
fn isbn13(prefix: &str) -> String {
    let sum: u32 = prefix
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{prefix}{}", (10 - sum % 10) % 10)
}

#[rocket::async_test]
async fn a_donors_long_list_and_the_queue_come_in_pages() {
    let (_env, app) = setup().await;
    let (owner, school) = school_named(&app, "Nuofu Primary", "Yunnan", true).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 60).await;
    let donor = app.user("donor").await;
    for _ in 0..51 {
        app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    }
    let cards = |body: &str| body.matches("class=\"card pledge\"").count();
    let browser = Browser::of(&app, Some(&donor));
    let first = browser.get("/my/pledges", &[], &[]).await;
    assert_eq!(cards(&first.body), 50);
    assert!(first
        .body
        .contains("rel=\"next\" href=\"/my/pledges?page=2\""));
    let second = browser.get("/my/pledges?page=2", &[], &[]).await;
    assert_eq!(cards(&second.body), 1);
    assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
    let bad = browser.get("/my/pledges?page=x", &[], &[]).await;
    assert_eq!(bad.location.as_deref(), Some("/my/pledges"));

    // The volunteer's queue pages the same way, and a scan keeps its book across pages.
    let volunteer = app.user("volunteer").await;
    let queue = Browser::of(&app, Some(&volunteer));
    let first = queue
        .get(&format!("/volunteer?isbn={GOODNIGHT_MOON}"), &[], &[])
        .await;
    assert_eq!(first.body.matches("class=\"card queued\"").count(), 50);
    let next = format!("rel=\"next\" href=\"/volunteer?page=2&amp;isbn={GOODNIGHT_MOON}\"");
    assert!(first.body.contains(&next), "{}", first.body);
    let second = queue
        .get(
            &format!("/volunteer?page=2&isbn={GOODNIGHT_MOON}"),
            &[],
            &[],
        )
        .await;
    assert_eq!(second.body.matches("class=\"card queued\"").count(), 1);
}

/// A school's shared page, its class pages and the directory are kept between changes for
/// visitors who are not signed in (a kept visit costs one read: the version), and every change
/// they show is on the next visit, whichever server made it: the database moves the school's
/// page version on a pledge, a shipment and a delivery, a list edit, a wish written and
/// claimed, and the school's own row.
#[rocket::async_test]
async fn kept_public_pages_follow_every_change_they_show_on_any_server() {
    use bookbridge::domain::ids::SchoolId;
    use bookbridge::store::count_queries;

    let env = crate::helpers::TestEnv::new().await;
    let app = env.start().await;
    let other = env
        .start_with(|f| {
            f.merge((
                "index_dir",
                env.dir.path().join("index-b").display().to_string(),
            ))
            .merge(("index_instance", "b"))
        })
        .await;
    let (owner, school) = app.school(40).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let share = format!("/schools/{school}");
    let class = format!("/schools/{school}/classes/3");
    let version = |app: &TestApp| {
        let service = app.service().clone();
        async move {
            service
                .school_page_version(SchoolId(school))
                .await
                .unwrap()
                .unwrap()
        }
    };
    // Seen on the other server, then kept there: the next visit reads only the version.
    let before = Browser::of(&other, None).get(&share, &chinese(), &[]).await;
    assert_eq!(before.status, Status::Ok);
    let (kept, reads) = count_queries(Browser::of(&other, None).get(&share, &chinese(), &[])).await;
    assert_eq!(kept.body, before.body);
    assert_eq!(reads, 1, "a kept page costs the version's read alone");
    // A signed-in visitor's page is their own, rendered for them.
    let (own, reads) =
        count_queries(Browser::of(&other, Some(&donor)).get(&share, &chinese(), &[])).await;
    assert!(own.body.contains("/signout"), "the donor's own header");
    assert!(reads > 1);

    let mut seen = version(&app).await;
    let mut page = before.body;
    // Each change, made through the first server, moves the version and the other server's
    // kept page with it.
    let pledged = app.pledge(&donor, school, GOODNIGHT_MOON, 2).await["id"]
        .as_i64()
        .unwrap();
    let now = version(&app).await;
    assert!(now > seen, "a pledge moves the version");
    seen = now;
    let after = Browser::of(&other, None)
        .get(&share, &chinese(), &[])
        .await
        .body;
    assert_ne!(after, page, "the pledge is on the other server's page");
    page = after;

    let (status, body) = app
        .post(
            &format!("/api/v1/pledges/{pledged}/status"),
            Some(&volunteer.token),
            json!({"status": "shipped", "carrier": "SF", "tracking_number": "SF1234567890"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let now = version(&app).await;
    assert!(now > seen, "a shipment moves the version");
    seen = now;
    assert_eq!(
        app.move_pledge(&owner, pledged, "delivered").await.0,
        Status::Ok
    );
    let now = version(&app).await;
    assert!(now > seen, "a delivery moves the version");
    seen = now;

    let (status, body) = app
        .patch(
            &format!("/api/v1/wishlist/{item}"),
            Some(&owner.token),
            json!({"quantity": 9}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let now = version(&app).await;
    assert!(now > seen, "a list edit moves the version");
    seen = now;
    let after = Browser::of(&other, None)
        .get(&share, &chinese(), &[])
        .await
        .body;
    assert_ne!(after, page, "the new count is on the page");

    // A wish written: on the class page the other server keeps; claimed: off it.
    let empty_class = Browser::of(&other, None).get(&class, &chinese(), &[]).await;
    let (status, wish) = app
        .post(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
            json!({"child_name": "小明", "grade": 3, "isbn": GRUFFALO,
                   "sentence": "我想读这本书", "guardian_consent": true}),
        )
        .await;
    assert_eq!(status, Status::Created, "{wish}");
    let now = version(&app).await;
    assert!(now > seen, "a wish moves the version");
    seen = now;
    let with_wish = Browser::of(&other, None)
        .get(&class, &chinese(), &[])
        .await
        .body;
    assert!(with_wish.contains("小明") && !empty_class.body.contains("小明"));
    let wish = wish["id"].as_i64().unwrap();
    let (status, body) = app
        .request(
            rocket::http::Method::Post,
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(&donor.token),
            None,
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    let now = version(&app).await;
    assert!(now > seen, "a claim moves the version");
    let claimed = Browser::of(&other, None)
        .get(&class, &chinese(), &[])
        .await
        .body;
    assert_ne!(claimed, with_wish, "the claim is on the class page");

    // The directory: a school verified anywhere is listed at the next visit.
    let directory = Browser::of(&other, None)
        .get("/schools", &chinese(), &[])
        .await
        .body;
    let (_, newcomer) = school_named(&app, "新来的小学", "云南", true).await;
    let listed = Browser::of(&other, None)
        .get("/schools", &chinese(), &[])
        .await
        .body;
    assert!(
        listed.contains("新来的小学") && !directory.contains("新来的小学"),
        "{newcomer}"
    );
}
