//! Children's wishes: written down with a guardian's consent, claimed by exactly one donor,
//! answered with thanks, and emptied of the child's details when withdrawn or when their
//! time is up.

use chrono::Duration;
use rocket::http::{Header, Status};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with_clock, TestApp, User, GOODNIGHT_MOON, GRUFFALO};
use bookbridge::domain::ids::AccountId;
use bookbridge::domain::notices::NoticeKind;

/// A verified school's wish card for `isbn`; returns the card.
async fn card(app: &TestApp, owner: &User, school: i64, body: Value) -> (Status, Value) {
    app.post(
        &format!("/api/v1/schools/{school}/wishes"),
        Some(&owner.token),
        body,
    )
    .await
}

fn wish_body(name: &str, consent: bool) -> Value {
    json!({"child_name": name, "grade": 3, "isbn": GOODNIGHT_MOON,
           "sentence": "我想听月亮的故事", "guardian_consent": consent})
}

async fn open_wish(app: &TestApp) -> (User, i64, i64) {
    let (owner, school) = app.school(40).await;
    let (status, body) = card(app, &owner, school, wish_body("小明", true)).await;
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(body["status"], "open");
    (owner, school, body["id"].as_i64().unwrap())
}

/// A JPEG as a phone writes it: the picture and an EXIF block naming where it was taken.
fn phone_photo() -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(64, 48, image::Rgb([90, 160, 220]));
    let mut plain = Vec::new();
    picture
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut plain))
        .unwrap();
    let payload = b"Exif\0\0MM\0*GPS 22.56N 99.93E Baiyun Village";
    let mut file = plain[..2].to_vec();
    file.extend_from_slice(&[0xFF, 0xE1]);
    file.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    file.extend_from_slice(payload);
    file.extend_from_slice(&plain[2..]);
    file
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_donors_race_for_one_wish_and_exactly_one_wins() {
    let app = spawn_app().await;
    let (owner, school, wish) = open_wish(&app).await;
    let mut donors = Vec::new();
    for _ in 0..50 {
        donors.push(app.user("donor").await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for donor in &donors {
        let client = app.client.clone();
        let token = donor.token.clone();
        tasks.spawn(async move {
            let response = client
                .post(format!("/api/v1/wishes/{wish}/claim"))
                .header(Header::new("Authorization", format!("Bearer {token}")))
                .dispatch()
                .await;
            let status = response.status();
            let body: Value =
                serde_json::from_str(&response.into_string().await.unwrap_or_default())
                    .unwrap_or(Value::Null);
            (status, body)
        });
    }
    let mut won = Vec::new();
    let mut taken = 0;
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.unwrap();
        match status {
            Status::Created => won.push(body),
            Status::Conflict => {
                assert_eq!(body["error"]["code"], "wish_taken", "{body}");
                taken += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((won.len(), taken), (1, 49));
    app.assert_no_drift().await;
    let pledge = &won[0]["pledges"][0];
    assert_eq!(pledge["quantity"], 1);
    assert_eq!(pledge["child_wish_id"], wish);
    assert_eq!(pledge["wish"]["child_name"], "小明");
    // One pledge exists for the wish, at the child's school, and the wish is claimed.
    let (_, all) = app
        .get(
            &format!("/api/v1/pledges?school_id={school}"),
            Some(&owner.token),
        )
        .await;
    assert_eq!(all["pledges"].as_array().unwrap().len(), 1);
    let (_, seen) = app.get(&format!("/api/v1/wishes/{wish}"), None).await;
    assert_eq!(seen["status"], "claimed");
    // A claimed wish is no longer listed for donors, and its child is no longer public.
    let (_, open) = app.get("/api/v1/wishes", None).await;
    assert!(open["wishes"].as_array().unwrap().is_empty());
    assert_eq!(seen["child_name"], Value::Null);
    // The book-list need is untouched: a child's wish is not a line of the school's list.
    let (_, list) = app
        .get(
            &format!("/api/v1/schools/{school}/wishlist?status=all"),
            None,
        )
        .await;
    assert!(list["items"].as_array().unwrap().is_empty(), "{list}");
}

#[rocket::async_test]
async fn an_unconsented_wish_is_never_visible_until_consent_is_recorded() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let (status, body) = card(&app, &owner, school, wish_body("小红", false)).await;
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(body["status"], "awaiting_consent");
    let wish = body["id"].as_i64().unwrap();
    app.put_photo(
        &owner,
        &format!("/api/v1/wishes/{wish}/photo"),
        phone_photo(),
    )
    .await;

    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let (other_school, _) = app.school(10).await;
    let outsiders = [None, Some(&donor), Some(&volunteer), Some(&other_school)];
    for who in outsiders {
        let token = who.map(|u| u.token.as_str());
        let (_, list) = app.get("/api/v1/wishes", token).await;
        assert!(list["wishes"].as_array().unwrap().is_empty(), "{list}");
        let (status, _) = app.get(&format!("/api/v1/wishes/{wish}"), token).await;
        assert_eq!(status, Status::NotFound);
        let (status, _) = app
            .get_bytes(&format!("/api/v1/wishes/{wish}/photo"), who)
            .await;
        assert_eq!(status, Status::NotFound);
        let (status, _) = app
            .get(&format!("/api/v1/schools/{school}/wishes"), token)
            .await;
        assert!(
            status == Status::Unauthorized || status == Status::Forbidden,
            "{status}"
        );
    }
    let (status, body) = app
        .post(
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::NotFound, "{body}");
    let (_, classes) = app
        .get(&format!("/api/v1/schools/{school}/classes"), None)
        .await;
    assert!(
        classes["classes"].as_array().unwrap().is_empty(),
        "{classes}"
    );
    // The page of open wishes does not show it either.
    let page = app
        .client
        .get("/wishes")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(!page.contains("小红"));

    // The school sees its own card, and publishes it once the guardian agreed.
    let (_, own) = app
        .get(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
        )
        .await;
    assert_eq!(own["wishes"][0]["child_name"], "小红");
    let (status, published) = app
        .post(
            &format!("/api/v1/wishes/{wish}/consent"),
            Some(&owner.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{published}");
    assert_eq!(published["status"], "open");
    assert!(published["consent_at"].is_string());
    let (_, list) = app.get("/api/v1/wishes", None).await;
    assert_eq!(list["wishes"][0]["child_name"], "小红");
    assert_eq!(list["wishes"][0].get("consent_at"), None);
    // Who ticked the consent is kept, in the audit log too.
    let lines = app.service().store().audit_log(50, 0).await.unwrap();
    assert!(lines.iter().any(|l| l.subject == format!("wish:{wish}")
        && l.actor_id == Some(AccountId(owner.id))
        && l.detail.as_deref() == Some("guardian's consent recorded")));
}

#[rocket::async_test]
async fn a_full_name_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    for (name, why) in [
        ("王小明", "two Chinese"),
        ("Li Ming", "one word"),
        ("", "empty"),
    ] {
        let (status, body) = card(&app, &owner, school, wish_body(name, true)).await;
        assert_eq!(status, Status::UnprocessableEntity, "{name}: {body}");
        assert_eq!(body["error"]["field"], "child_name");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(why),
            "{body}"
        );
    }
    let long = json!({"child_name": "小明", "grade": 3, "isbn": GOODNIGHT_MOON,
                      "sentence": "书".repeat(61), "guardian_consent": true});
    let (status, body) = card(&app, &owner, school, long).await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (Status::UnprocessableEntity, json!("sentence"))
    );
    let (status, _) = card(
        &app,
        &owner,
        school,
        json!({"child_name": "小明", "grade": 10,
        "isbn": GOODNIGHT_MOON, "sentence": "想看", "guardian_consent": true}),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    let (_, own) = app
        .get(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
        )
        .await;
    assert!(own["wishes"].as_array().unwrap().is_empty());
    // Only the school's own account writes wishes; a donor cannot.
    let donor = app.user("donor").await;
    let (status, _) = card(&app, &donor, school, wish_body("小明", true)).await;
    assert_eq!(status, Status::Forbidden);
}

#[rocket::async_test]
async fn a_photo_comes_back_without_exif_and_only_to_those_who_may_see_the_child() {
    let app = spawn_app().await;
    let (owner, _school, wish) = open_wish(&app).await;
    let upload = phone_photo();
    assert!(contains(&upload, b"Exif") && contains(&upload, b"Baiyun"));
    let path = format!("/api/v1/wishes/{wish}/photo");
    let (status, body) = app.put_photo(&owner, &path, upload).await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["has_photo"], true);

    let (status, kept) = app.get_bytes(&path, None).await;
    assert_eq!(status, Status::Ok);
    assert!(!contains(&kept, b"Exif"));
    assert!(!contains(&kept, b"Baiyun"));
    let back = image::load_from_memory(&kept).expect("a picture");
    assert_eq!((back.width(), back.height()), (64, 48));

    // Not a picture: refused, in JSON, and the kept photo stays.
    let (status, body) = app
        .put_photo(&owner, &path, b"%PDF-1.7 not a photo".to_vec())
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "photo");
    assert_eq!(app.get_bytes(&path, None).await.0, Status::Ok);

    // Once a donor answers the wish, only that donor (and the school) still see it.
    let donor = app.user("donor").await;
    let other = app.user("donor").await;
    let (status, _) = app
        .post(
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Created);
    assert_eq!(app.get_bytes(&path, None).await.0, Status::NotFound);
    assert_eq!(app.get_bytes(&path, Some(&other)).await.0, Status::NotFound);
    assert_eq!(app.get_bytes(&path, Some(&donor)).await.0, Status::Ok);
    assert_eq!(app.get_bytes(&path, Some(&owner)).await.0, Status::Ok);
    // And the card can no longer be changed.
    let (status, _) = app.put_photo(&owner, &path, phone_photo()).await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(
        app.photos_kept().await,
        1,
        "refused uploads leave no photo behind"
    );
}

/// Claim, ship, deliver and thank: the whole answer to one wish.
async fn answered_wish(app: &TestApp) -> (User, User, i64, i64, i64) {
    let (owner, school, wish) = open_wish(app).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let (status, claimed) = app
        .post(
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Created, "{claimed}");
    let pledge = claimed["pledges"][0]["id"].as_i64().unwrap();
    // The volunteer ships the book without learning the child's name.
    let (_, seen) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&volunteer.token))
        .await;
    assert_eq!(seen["wish"]["child_name"], Value::Null);
    assert_eq!(seen["wish"]["grade"], 3);
    assert_eq!(
        app.move_pledge(&volunteer, pledge, "shipped").await.0,
        Status::Ok
    );
    // No thanks before the book arrived.
    let (status, _) = app
        .post(
            &format!("/api/v1/wishes/{wish}/thanks"),
            Some(&owner.token),
            json!({"sentence": "谢谢"}),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(
        app.move_pledge(&owner, pledge, "delivered").await.0,
        Status::Ok
    );
    let (status, body) = app
        .post(
            &format!("/api/v1/wishes/{wish}/thanks"),
            Some(&owner.token),
            json!({"sentence": "谢谢您！我每天都读一页。"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    (owner, donor, school, wish, pledge)
}

#[rocket::async_test]
async fn the_donor_sees_the_childs_thanks_on_the_pledge_and_is_told() {
    let app = spawn_app().await;
    let (_owner, donor, _school, wish, pledge) = answered_wish(&app).await;
    let (_, one) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(one["status"], "delivered");
    assert_eq!(one["wish"]["id"], wish);
    assert_eq!(one["wish"]["status"], "delivered");
    assert_eq!(one["wish"]["thanks"], "谢谢您！我每天都读一页。");
    let (_, list) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert_eq!(
        list["pledges"][0]["wish"]["thanks"],
        "谢谢您！我每天都读一页。"
    );
    let notices = app
        .service()
        .store()
        .notices_for(AccountId(donor.id), 20)
        .await
        .unwrap();
    let thanked = notices
        .iter()
        .find(|n| n.kind == NoticeKind::WishThanked)
        .expect("the donor is told of the thanks");
    assert!(thanked
        .words(true)
        .body
        .contains("谢谢您！我每天都读一页。"));
    // The pages show it too.
    let page = crate::web::Browser::of(&app, Some(&donor))
        .get(&format!("/my/pledges/{pledge}"), &[], &[])
        .await
        .body;
    assert!(page.contains("谢谢您！我每天都读一页。"), "{page}");
}

#[rocket::async_test]
async fn retention_removes_the_childs_details_and_keeps_the_counts() {
    let (app, clock) =
        spawn_app_with_clock(|f| f.merge(("session_ttl_seconds", 3 * 365 * 86_400))).await;
    let (owner, donor, school, wish, pledge) = answered_wish(&app).await;
    app.put_photo(
        &owner,
        &format!("/api/v1/wishes/{wish}/thanks-photo"),
        phone_photo(),
    )
    .await;
    assert_eq!(app.photos_kept().await, 1);
    let service = app.service();

    // Still within the school year: kept.
    assert_eq!(service.remove_expired_child_details().await.unwrap(), 0);
    let (_, one) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(one["wish"]["child_name"], "小明");

    // A year on, the school year it was delivered in has certainly ended.
    clock.advance(Duration::days(366));
    assert_eq!(service.remove_expired_child_details().await.unwrap(), 1);
    assert_eq!(service.remove_expired_child_details().await.unwrap(), 0);
    let (_, one) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(one["wish"]["child_name"], Value::Null);
    assert_eq!(one["wish"]["sentence"], Value::Null);
    assert_eq!(one["wish"]["thanks"], Value::Null);
    assert_eq!(one["wish"]["details_removed"], true);
    let (_, own) = app
        .get(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
        )
        .await;
    assert_eq!(own["wishes"][0]["child_name"], Value::Null);
    assert_eq!(own["wishes"][0]["status"], "delivered");
    assert_eq!(app.photos_kept().await, 0, "photos deleted");
    // What is left is counts.
    let (_, classes) = app
        .get(&format!("/api/v1/schools/{school}/classes"), None)
        .await;
    assert_eq!(
        classes["classes"][0],
        json!({"grade": 3, "wishes": 1, "answered": 1, "delivered": 1})
    );
}

#[rocket::async_test]
async fn retention_can_be_a_number_of_days() {
    let (app, clock) = spawn_app_with_clock(|f| f.merge(("child_details_keep_days", 10))).await;
    let (_owner, donor, _school, _wish, pledge) = answered_wish(&app).await;
    clock.advance(Duration::days(9));
    assert_eq!(
        app.service().remove_expired_child_details().await.unwrap(),
        0
    );
    clock.advance(Duration::days(2));
    assert_eq!(
        app.service().remove_expired_child_details().await.unwrap(),
        1
    );
    let (_, one) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(one["wish"]["details_removed"], true);
}

#[rocket::async_test]
async fn withdrawing_a_wish_erases_the_child_and_a_claim_that_expires_opens_it_again() {
    let (app, clock) = spawn_app_with_clock(|f| f).await;
    let (owner, school, wish) = open_wish(&app).await;
    let donor = app.user("donor").await;
    let (status, _) = app
        .post(
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Created);
    // Not posted in time: the pledge expires and the wish waits for a donor again.
    clock.advance(Duration::days(22));
    let done = app.service().enforce_deadlines().await.unwrap();
    assert_eq!(done.expired, 1);
    let (_, seen) = app.get(&format!("/api/v1/wishes/{wish}"), None).await;
    assert_eq!(seen["status"], "open");
    assert_eq!(seen["child_name"], "小明");
    let again = app.user("donor").await;
    let (status, _) = app
        .post(
            &format!("/api/v1/wishes/{wish}/claim"),
            Some(&again.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Created);

    // A second card, withdrawn while open: gone from everyone but its school, details erased.
    let (_, second) = card(
        &app,
        &owner,
        school,
        json!({"child_name": "Lily", "grade": 3,
        "isbn": GRUFFALO, "sentence": "I like monsters", "guardian_consent": true}),
    )
    .await;
    let second = second["id"].as_i64().unwrap();
    app.put_photo(
        &owner,
        &format!("/api/v1/wishes/{second}/photo"),
        phone_photo(),
    )
    .await;
    let (status, left) = app
        .delete(&format!("/api/v1/wishes/{second}"), Some(&owner.token))
        .await;
    assert_eq!(status, Status::Ok, "{left}");
    assert_eq!(left["status"], "withdrawn");
    assert_eq!(left["child_name"], Value::Null);
    assert_eq!(
        app.get(&format!("/api/v1/wishes/{second}"), None).await.0,
        Status::NotFound
    );
    let (status, _) = app
        .delete(&format!("/api/v1/wishes/{second}"), Some(&owner.token))
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(app.photos_kept().await, 0);
    // Someone else's school cannot withdraw it.
    let (stranger, _) = app.school(5).await;
    assert_eq!(
        app.delete(&format!("/api/v1/wishes/{wish}"), Some(&stranger.token))
            .await
            .0,
        Status::Forbidden
    );
}

#[rocket::async_test]
async fn coordinators_keep_curated_lists_and_a_wish_from_a_list_must_be_on_it() {
    let app = spawn_app().await;
    let coordinator = app.user("volunteer").await;
    app.service()
        .make_coordinator_unchecked(AccountId(coordinator.id))
        .await
        .unwrap();
    let donor = app.user("donor").await;
    let body = json!({"name": "Grades 1-2, 2026 spring", "age_band": "primary", "grades": [2, 1]});
    assert_eq!(
        app.post("/api/v1/booklists", Some(&donor.token), body.clone())
            .await
            .0,
        Status::Forbidden
    );
    let (status, list) = app
        .post("/api/v1/booklists", Some(&coordinator.token), body)
        .await;
    assert_eq!(status, Status::Created, "{list}");
    assert_eq!(list["grades"], json!([1, 2]));
    let id = list["id"].as_i64().unwrap();
    let (status, list) = app
        .post(
            &format!("/api/v1/booklists/{id}/books"),
            Some(&coordinator.token),
            json!({"isbn": GOODNIGHT_MOON, "reason": "A calm first book"}),
        )
        .await;
    assert_eq!(status, Status::Created, "{list}");
    assert_eq!(list["books"][0]["reason"], "A calm first book");
    let (status, _) = app
        .post(
            &format!("/api/v1/booklists/{id}/books"),
            Some(&coordinator.token),
            json!({"isbn": "9780060775859"}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    let (_, all) = app.get("/api/v1/booklists", None).await;
    assert_eq!(all["booklists"][0]["book_count"], 1);
    assert_eq!(
        app.get("/api/v1/booklists/999", None).await.0,
        Status::NotFound
    );

    let (owner, school) = app.school(40).await;
    let mut off_list = wish_body("小明", true);
    off_list["isbn"] = json!(GRUFFALO);
    off_list["booklist_id"] = json!(id);
    let (status, body) = card(&app, &owner, school, off_list).await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(body["error"]["field"], "isbn");
    let mut on_list = wish_body("小明", true);
    on_list["booklist_id"] = json!(id);
    let (status, body) = card(&app, &owner, school, on_list).await;
    assert_eq!(status, Status::Created, "{body}");
    assert_eq!(body["booklist_id"], id);
    // Filters on the public list.
    let (_, found) = app
        .get(
            "/api/v1/wishes?province=%E4%BA%91%E5%8D%97&grade=3&sort=waiting",
            None,
        )
        .await;
    assert_eq!(found["wishes"].as_array().unwrap().len(), 1);
    let (_, none) = app.get("/api/v1/wishes?province=Hebei", None).await;
    assert!(none["wishes"].as_array().unwrap().is_empty());
    let (_, none) = app.get("/api/v1/wishes?grade=4", None).await;
    assert!(none["wishes"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get("/api/v1/wishes?grade=0", None).await.0,
        Status::UnprocessableEntity
    );
    assert_eq!(
        app.get("/api/v1/wishes?sort=random", None).await.0,
        Status::UnprocessableEntity
    );
}

#[rocket::async_test]
async fn the_wish_card_form_refuses_a_full_name_in_the_pages_language_and_writes_nothing() {
    use crate::web::{Browser, CSRF};
    let (_env, app) = crate::web::setup().await;
    let (owner, school) = app.school(40).await;
    let browser = Browser::of(&app, Some(&owner));
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let fields = |name: &'static str| {
        [
            ("csrf", CSRF),
            ("isbn_typed", GOODNIGHT_MOON),
            ("child_name", name),
            ("grade", "3"),
            ("sentence", "我想听月亮的故事"),
            ("consent", "yes"),
        ]
    };
    let refused = browser
        .post_with("/my/school/wishes", &fields("王小明"), &zh)
        .await;
    // The form comes back as it was sent: the sentence, the book, the grade and the consent
    // tick kept, the name marked with the rule beside it, in Chinese.
    assert_eq!(refused.status, Status::UnprocessableEntity);
    let shown = refused.body;
    assert!(shown.contains("不要写姓"), "{shown}");
    assert!(
        shown.contains(">我想听月亮的故事</textarea>"),
        "the sentence is kept"
    );
    assert!(
        shown.contains(&format!("value=\"{GOODNIGHT_MOON}\"")),
        "the ISBN is kept"
    );
    assert!(
        shown.contains("value=\"王小明\""),
        "the name is kept to be mended"
    );
    assert!(shown.contains("value=\"3\" selected"), "the grade is kept");
    assert!(
        shown.contains("name=\"consent\" value=\"yes\" checked"),
        "the consent tick is kept"
    );
    let name = shown
        .split("id=\"child_name\"")
        .nth(1)
        .expect("the name field");
    assert!(name
        .split('>')
        .next()
        .unwrap()
        .contains("aria-invalid=\"true\""));
    let (_, own) = app
        .get(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
        )
        .await;
    assert!(own["wishes"].as_array().unwrap().is_empty());

    // A given name goes through the same use case and is published with the consent.
    let saved = browser
        .post_with("/my/school/wishes", &fields("小明"), &zh)
        .await;
    assert_eq!(saved.status, Status::SeeOther);
    let (_, open) = app.get("/api/v1/wishes", None).await;
    assert_eq!(open["wishes"][0]["child_name"], "小明");
    let wall = Browser::of(&app, None).get("/wishes", &zh, &[]).await;
    assert!(wall.body.contains("小明") && wall.body.contains("三年级"));
    assert!(!wall.body.contains("1 School Road"), "never the address");
}

#[rocket::async_test]
async fn a_donor_claims_several_wishes_at_once_and_stops_at_one_already_taken() {
    let app = spawn_app().await;
    let (owner, school, first) = open_wish(&app).await;
    let (_, second) = card(&app, &owner, school, wish_body("小红", true)).await;
    let second = second["id"].as_i64().unwrap();
    let (_, third) = card(&app, &owner, school, wish_body("阿依", true)).await;
    let third = third["id"].as_i64().unwrap();
    let donor = app.user("donor").await;
    let (status, body) = app
        .post(
            "/api/v1/wish-claims",
            Some(&donor.token),
            json!({"wish_ids": [first, second]}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    let pledges = body["pledges"].as_array().unwrap();
    assert_eq!(pledges.len(), 2);
    assert!(pledges
        .iter()
        .all(|p| p["quantity"] == 1 && p["school_id"] == school));
    // Another donor: the third is still open, the first is not; claims stop there.
    let other = app.user("donor").await;
    let (status, body) = app
        .post(
            "/api/v1/wish-claims",
            Some(&other.token),
            json!({"wish_ids": [third, first]}),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "wish_taken");
    let (_, mine) = app.get("/api/v1/pledges", Some(&other.token)).await;
    assert_eq!(
        mine["pledges"].as_array().unwrap().len(),
        1,
        "the claim before it is kept"
    );
    let (status, _) = app
        .post(
            "/api/v1/wish-claims",
            Some(&other.token),
            json!({"wish_ids": []}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
}
