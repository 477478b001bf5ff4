//! A donor's box of books: planned into parcels, confirmed into pledges, posted with a
//! tracking number, confirmed by each school and shelved there.

use rocket::http::Status;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, User, GOODNIGHT_MOON, GRUFFALO, MATILDA};

/// A real ISBN the catalogue knows and no school asks for.
const UNWANTED: &str = "9780140449136";
/// A valid ISBN the catalogue has never heard of.
const UNKNOWN: &str = "9787020002207";

pub(crate) async fn catalogue(app: &TestApp) {
    app.add_books(&[
        (
            GOODNIGHT_MOON,
            "Goodnight Moon",
            "Margaret Wise Brown",
            "en",
        ),
        (GRUFFALO, "The Gruffalo", "Julia Donaldson", "en"),
        (MATILDA, "Matilda", "Roald Dahl", "en"),
        (UNWANTED, "The Odyssey", "Homer", "en"),
    ])
    .await;
}

async fn plan(app: &TestApp, donor: &User, isbns: &[&str]) -> (Status, Value) {
    app.post(
        "/api/v1/boxes",
        Some(&donor.token),
        json!({ "isbns": isbns }),
    )
    .await
}

fn schools_of(plan: &Value) -> Vec<i64> {
    plan["parcels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["school"]["id"].as_i64().unwrap())
        .collect()
}

#[rocket::async_test]
async fn a_box_becomes_the_fewest_parcels_and_each_is_posted_confirmed_and_shelved() {
    let app = spawn_app().await;
    catalogue(&app).await;
    // School A wants two of the box's titles; B wants the third; C wants one of A's too but
    // sending it there would be a third parcel.
    let (a_owner, a) = app.school(300).await;
    app.wish(&a_owner, a, GOODNIGHT_MOON, 2).await;
    app.wish(&a_owner, a, GRUFFALO, 1).await;
    let (b_owner, b) = app.school(40).await;
    app.wish(&b_owner, b, MATILDA, 1).await;
    let (c_owner, c) = app.school(20).await;
    app.wish(&c_owner, c, GRUFFALO, 1).await;
    let donor = app.user("donor").await;

    let (status, proposed) = plan(
        &app,
        &donor,
        &[
            GOODNIGHT_MOON,
            GRUFFALO,
            MATILDA,
            "0-06-077585-8",
            UNWANTED,
            UNKNOWN,
            MATILDA,
        ],
    )
    .await;
    assert_eq!(status, Status::Created, "{proposed}");
    let mut schools = schools_of(&proposed);
    schools.sort();
    assert_eq!(schools, [a, b], "two parcels, not three: {proposed}");
    let a_parcel = &proposed["parcels"][0];
    assert_eq!(a_parcel["school"]["id"], a, "most books first");
    assert_eq!(a_parcel["books"].as_array().unwrap().len(), 3);
    assert_eq!(a_parcel["school"]["province"], "Yunnan");
    let unplaced: Vec<(String, String)> = proposed["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["isbn"].as_str().unwrap().to_owned(),
                u["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(unplaced.len(), 3, "{unplaced:?}");
    assert!(unplaced.contains(&(UNWANTED.into(), "not_wanted".into())));
    assert!(unplaced.contains(&(UNKNOWN.into(), "unknown_isbn".into())));
    assert!(unplaced.contains(&(MATILDA.into(), "more_than_wanted".into())));
    // A plan pledges nothing.
    assert_eq!(app.item_outstanding(a, GOODNIGHT_MOON).await, 2);

    let id = proposed["id"].as_i64().unwrap();
    let (status, confirmed) = app
        .post(
            &format!("/api/v1/boxes/{id}/confirm"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Created, "{confirmed}");
    let parcels = confirmed["parcels"].as_array().unwrap();
    assert_eq!(parcels.len(), 2);
    for parcel in parcels {
        assert!(parcel["ship_to"]["address"].is_string(), "{parcel}");
        assert!(parcel["ship_by"].is_string(), "{parcel}");
    }
    let a_parcel = parcels.iter().find(|p| p["school_id"] == a).unwrap();
    assert_eq!(
        a_parcel["pledges"].as_array().unwrap().len(),
        2,
        "Moon ×2 and the Gruffalo"
    );
    assert_eq!(app.item_outstanding(a, GOODNIGHT_MOON).await, 0);
    app.assert_no_drift().await;
    let (status, _) = app
        .post(
            &format!("/api/v1/boxes/{id}/confirm"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "a box is confirmed once");

    // The donor posts each parcel with its tracking number, and corrects one.
    for parcel in parcels {
        let parcel_id = parcel["id"].as_i64().unwrap();
        let (status, posted) = app
            .post(
                &format!("/api/v1/parcels/{parcel_id}/shipped"),
                Some(&donor.token),
                json!({"carrier": "China Post", "tracking_number": "EMS1000CN"}),
            )
            .await;
        assert_eq!(status, Status::Ok, "{posted}");
        assert!(posted["pledges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["status"] == "shipped" && p["tracking_number"] == "EMS1000CN"));
    }
    let a_id = a_parcel["id"].as_i64().unwrap();
    let other = app.user("donor").await;
    let (status, _) = app
        .post(
            &format!("/api/v1/parcels/{a_id}/tracking"),
            Some(&other.token),
            json!({"tracking_number": "EMS999CN"}),
        )
        .await;
    assert_eq!(
        status,
        Status::NotFound,
        "another donor does not see the parcel"
    );
    let (status, corrected) = app
        .post(
            &format!("/api/v1/parcels/{a_id}/tracking"),
            Some(&donor.token),
            json!({"tracking_number": "EMS1001CN"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{corrected}");
    assert_eq!(corrected["tracking_number"], "EMS1001CN");

    // Only the school confirms; then its books are on its shelf and not asked for again.
    let (status, _) = app
        .post(
            &format!("/api/v1/parcels/{a_id}/delivered"),
            Some(&donor.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Forbidden);
    let (status, arrived) = app
        .post(
            &format!("/api/v1/parcels/{a_id}/delivered"),
            Some(&a_owner.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{arrived}");
    assert!(arrived["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "delivered"));
    let (_, shelf) = app.get(&format!("/api/v1/schools/{a}/shelf"), None).await;
    let shelved: Vec<&str> = shelf["books"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["isbn"].as_str().unwrap())
        .collect();
    assert!(
        shelved.contains(&GOODNIGHT_MOON) && shelved.contains(&GRUFFALO),
        "{shelf}"
    );
    let (status, refused) = app
        .post(
            &format!("/api/v1/schools/{a}/wishlist"),
            Some(&a_owner.token),
            json!({"isbn": GRUFFALO, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(refused["error"]["code"], "already_on_shelf");
    let (status, _) = app
        .post(
            &format!("/api/v1/schools/{a}/wishlist"),
            Some(&a_owner.token),
            json!({"isbn": GRUFFALO, "quantity": 1, "again": true}),
        )
        .await;
    assert_eq!(status, Status::Created);
}

#[rocket::async_test]
async fn a_plan_overtaken_by_another_donor_is_refused_with_a_fresh_one() {
    let app = spawn_app().await;
    catalogue(&app).await;
    let (owner, school) = app.school(50).await;
    app.wish(&owner, school, MATILDA, 1).await;
    app.wish(&owner, school, GRUFFALO, 1).await;
    let (first, second) = (app.user("donor").await, app.user("donor").await);

    let (_, one) = plan(&app, &first, &[MATILDA, GRUFFALO]).await;
    let (_, two) = plan(&app, &second, &[MATILDA, GRUFFALO]).await;
    let confirm = |user: &User, plan: &Value| {
        let path = format!("/api/v1/boxes/{}/confirm", plan["id"]);
        let token = user.token.clone();
        let app = &app;
        async move { app.post(&path, Some(&token), json!({})).await }
    };
    let ((s1, b1), (s2, b2)) = tokio::join!(confirm(&first, &one), confirm(&second, &two));
    let statuses = [s1, s2];
    assert!(statuses.contains(&Status::Created), "{b1} {b2}");
    assert!(statuses.contains(&Status::Conflict), "{b1} {b2}");
    let stale = if s1 == Status::Conflict { &b1 } else { &b2 };
    assert_eq!(stale["error"]["code"], "plan_stale", "{stale}");
    // The fresh plan fits what is left: nothing.
    assert!(
        stale["error"]["plan"]["parcels"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{stale}"
    );
    assert_eq!(
        stale["error"]["plan"]["unplaced"].as_array().unwrap().len(),
        2
    );
    assert_eq!(app.item_outstanding(school, MATILDA).await, 0);
    app.assert_no_drift().await;
}

#[rocket::async_test]
async fn a_box_is_for_donors_and_holds_real_isbns() {
    let app = spawn_app().await;
    let (owner, _) = app.school(50).await;
    let (status, _) = plan(&app, &owner, &[MATILDA]).await;
    assert_eq!(status, Status::Forbidden);
    let donor = app.user("donor").await;
    let (status, refused) = plan(&app, &donor, &[MATILDA, "9780060775859"]).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(refused["error"]["field"], "isbns");
    let (status, _) = plan(&app, &donor, &[]).await;
    assert_eq!(status, Status::UnprocessableEntity);
    let (status, refused) = app
        .post(
            "/api/v1/boxes",
            Some(&donor.token),
            json!({"isbns": [MATILDA], "province": "x".repeat(101)}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{refused}");
    assert_eq!(refused["error"]["field"], "province");
    let too_many = vec![MATILDA; 201];
    let (status, _) = plan(&app, &donor, &too_many).await;
    assert_eq!(status, Status::UnprocessableEntity);
    let (status, _) = app
        .post("/api/v1/boxes/999/confirm", Some(&donor.token), json!({}))
        .await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn a_donor_plans_a_box_on_the_pages_confirms_it_and_enters_the_tracking_number() {
    use crate::web::{Browser, CSRF};
    let app = spawn_app().await;
    catalogue(&app).await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 2).await;
    app.wish(&owner, school, MATILDA, 1).await;
    let donor = app.user("donor").await;
    let browser = Browser::of(&app, Some(&donor));
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];

    let form = browser.get("/my/box", &zh, &[]).await;
    assert_eq!(form.status, Status::Ok);
    assert!(
        form.body.contains("一箱书") && form.body.contains("<textarea"),
        "{}",
        form.body
    );

    // A mistyped ISBN brings the list back as typed, the field marked.
    let typed = format!("{GOODNIGHT_MOON}\n9780060775859\n");
    let refused = browser
        .post_with("/my/box", &[("csrf", CSRF), ("isbns", &typed)], &zh)
        .await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("9780060775859") && refused.body.contains("aria-invalid"));

    // Scanned one a line: two copies of one book, one more, one nobody wants.
    let scanned = format!("{GOODNIGHT_MOON}\n{GOODNIGHT_MOON}\n{MATILDA}\n{UNWANTED}\n");
    let planned = browser
        .post_with("/my/box", &[("csrf", CSRF), ("isbns", &scanned)], &zh)
        .await;
    assert_eq!(planned.status, Status::Ok, "{}", planned.body);
    assert!(
        planned.body.contains("3 本书，分 1 个包裹"),
        "{}",
        planned.body
    );
    assert!(planned.body.contains("data-reason=\"not_wanted\""));
    assert_eq!(
        app.item_outstanding(school, GOODNIGHT_MOON).await,
        2,
        "a plan pledges nothing"
    );
    let confirm = planned
        .body
        .split("action=\"/my/box/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a confirm form")
        .to_owned();

    let confirmed = browser
        .post_with(
            &format!("/my/box/{confirm}"),
            &[("csrf", CSRF), ("isbns", &scanned)],
            &zh,
        )
        .await;
    assert_eq!(confirmed.status, Status::Created, "{}", confirmed.body);
    assert!(
        confirmed.body.contains("1 School Road"),
        "the address is shown"
    );
    assert_eq!(app.item_outstanding(school, GOODNIGHT_MOON).await, 0);
    let parcel = confirmed
        .body
        .split("action=\"/my/parcels/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a tracking form")
        .to_owned();

    let posted = browser
        .post_with(
            &format!("/my/parcels/{parcel}/shipped"),
            &[
                ("csrf", CSRF),
                ("carrier", "中国邮政"),
                ("tracking_number", "EMS42CN"),
            ],
            &zh,
        )
        .await;
    assert_eq!(posted.location.as_deref(), Some("/my/pledges"));
    let (_, view) = app
        .get(&format!("/api/v1/parcels/{parcel}"), Some(&donor.token))
        .await;
    assert_eq!(view["tracking_number"], "EMS42CN", "{view}");
    assert!(view["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "shipped"));

    // The volunteer's queue shows the box's parcel as one card, with who gives it.
    let volunteer = app.user("volunteer").await;
    let queue = Browser::of(&app, Some(&volunteer))
        .get("/volunteer", &zh, &[])
        .await;
    assert_eq!(queue.status, Status::Ok);
    let card = queue
        .body
        .split("class=\"card queued\"")
        .find(|c| c.contains(&format!("data-parcel=\"{parcel}\"")))
        .expect("the parcel's card");
    assert_eq!(
        queue
            .body
            .matches(&format!("data-parcel=\"{parcel}\""))
            .count(),
        1,
        "one card for the parcel's two pledges"
    );
    assert!(card.contains("捐书人: donor "), "{card}");
    assert!(card.contains(&format!("action=\"/volunteer/parcels/{parcel}/tracking\"")));
    // A school is not told the donor's name.
    let teacher = Browser::of(&app, Some(&owner));
    let mine = teacher.get("/my/school?task=in_transit", &zh, &[]).await;
    assert!(!mine.body.contains("捐书人: "), "{}", mine.body);

    // Another school's account cannot confirm it; its own school confirms the whole parcel
    // in one answer.
    let (stranger, _) = app.school(10).await;
    let refused = Browser::of(&app, Some(&stranger))
        .post_with(
            &format!("/my/school/parcels/{parcel}/delivered"),
            &[("csrf", CSRF)],
            &zh,
        )
        .await;
    assert_eq!(refused.status, Status::SeeOther);
    let statuses = |view: &Value| -> Vec<String> {
        view["pledges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, view) = app
        .get(&format!("/api/v1/parcels/{parcel}"), Some(&donor.token))
        .await;
    assert_eq!(statuses(&view), ["shipped", "shipped"]);
    assert!(
        mine.body
            .contains(&format!("action=\"/my/school/parcels/{parcel}/delivered\"")),
        "{}",
        mine.body
    );
    let arrived = teacher
        .post_with(
            &format!("/my/school/parcels/{parcel}/delivered"),
            &[("csrf", CSRF), ("back", "/my/school?task=in_transit")],
            &zh,
        )
        .await;
    assert_eq!(arrived.status, Status::SeeOther);
    assert_eq!(
        arrived.location.as_deref(),
        Some("/my/school?task=in_transit")
    );
    let (_, view) = app
        .get(&format!("/api/v1/parcels/{parcel}"), Some(&donor.token))
        .await;
    assert_eq!(statuses(&view), ["delivered", "delivered"]);
}

/// Signs in a demo account; its token.
async fn demo_token(app: &TestApp, email: &str) -> String {
    let (status, session) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": email, "password": "demo-password"}),
        )
        .await;
    assert_eq!(status, Status::Created, "{session}");
    session["token"].as_str().unwrap().to_owned()
}

#[rocket::async_test]
async fn the_demo_donors_box_of_30_goes_in_four_parcels_and_ends_on_four_shelves() {
    let app = crate::helpers::spawn_app_with(|f| f.merge(("seed_demo", true))).await;
    let demo: Value = serde_json::from_slice(
        &std::fs::read(format!("{}/seed/demo.json", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    let isbns: Vec<&str> = demo["box"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(isbns.len(), 30);
    let (_, schools) = app.get("/api/v1/schools", None).await;
    let school_id = |prefix: &str| {
        schools["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"].as_str().unwrap().starts_with(prefix))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (nuofu, dongxiang, zhaojue) = (
        school_id("Nuofu"),
        school_id("Dongxiang"),
        school_id("Zhaojue"),
    );
    // Goodnight Moon and 小王子 are wanted by two schools each; 草房子 (another edition of
    // Nuofu's) and 夏洛的网 (another of Dongxiang's) are wanted by no school as such.
    for (isbn, wanted_by) in [
        ("9780060775858", 2),
        ("9787020031566", 2),
        ("9787020078400", 1),
    ] {
        let (_, book) = app.get(&format!("/api/v1/books/{isbn}"), None).await;
        assert_eq!(book["needs"].as_array().unwrap().len(), wanted_by, "{book}");
    }
    let donor = demo_token(&app, "donor@demo.bookbridge.org").await;
    let (status, proposed) = app
        .post("/api/v1/boxes", Some(&donor), json!({ "isbns": isbns }))
        .await;
    assert_eq!(status, Status::Created, "{proposed}");

    // Four parcels: each of the four schools is the only one wanting some book in its
    // parcel, so no plan has fewer; Zhaojue's Goodnight Moon goes with Nuofu's copies.
    let parcels = proposed["parcels"].as_array().unwrap();
    assert_eq!(parcels.len(), 4, "{proposed}");
    assert!(!schools_of(&proposed).contains(&zhaojue), "{proposed}");
    for parcel in parcels {
        let mut only_here = false;
        for book in parcel["books"].as_array().unwrap() {
            let (_, found) = app
                .get(
                    &format!("/api/v1/books/{}", book["isbn"].as_str().unwrap()),
                    None,
                )
                .await;
            only_here |= found["needs"].as_array().unwrap().len() == 1;
        }
        assert!(only_here, "a parcel the plan could do without: {parcel}");
    }
    let placed: usize = parcels
        .iter()
        .map(|p| p["books"].as_array().unwrap().len())
        .sum();
    assert_eq!(placed, 29);
    assert_eq!(
        proposed["unplaced"],
        json!([{"isbn": "9787532167289", "reason": "not_wanted"}])
    );
    let parcel_of = |school: i64| {
        parcels
            .iter()
            .find(|p| p["school"]["id"] == school)
            .unwrap()
    };
    let holds = |school: i64, isbn: &str| {
        parcel_of(school)["books"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["isbn"] == isbn)
            .count()
    };
    assert_eq!(holds(nuofu, "9787020078400"), 2, "the other 草房子 edition");
    assert_eq!(
        holds(dongxiang, "9787532466092"),
        1,
        "the other 夏洛的网 edition"
    );

    let id = proposed["id"].as_i64().unwrap();
    let (status, confirmed) = app
        .post(
            &format!("/api/v1/boxes/{id}/confirm"),
            Some(&donor),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Created, "{confirmed}");
    assert_eq!(app.item_outstanding(nuofu, "9787535347411").await, 15 - 2);
    app.assert_no_drift().await;

    // Each parcel posted by the donor and confirmed by its school's teacher.
    let teacher_of = |school: i64| {
        let name = schools["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == school)
            .unwrap()["name"]
            .clone();
        demo["schools"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()["account"]["email"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut shelved_at = Vec::new();
    for (n, parcel) in confirmed["parcels"].as_array().unwrap().iter().enumerate() {
        let parcel_id = parcel["id"].as_i64().unwrap();
        let school = parcel["school_id"].as_i64().unwrap();
        let (status, posted) = app
            .post(
                &format!("/api/v1/parcels/{parcel_id}/shipped"),
                Some(&donor),
                json!({"carrier": "China Post", "tracking_number": format!("EMS20{n}CN")}),
            )
            .await;
        assert_eq!(status, Status::Ok, "{posted}");
        let teacher = demo_token(&app, &teacher_of(school)).await;
        let (status, arrived) = app
            .post(
                &format!("/api/v1/parcels/{parcel_id}/delivered"),
                Some(&teacher),
                json!({}),
            )
            .await;
        assert_eq!(status, Status::Ok, "{arrived}");
        let (_, shelf) = app
            .get(&format!("/api/v1/schools/{school}/shelf"), None)
            .await;
        let on_shelf: Vec<&str> = shelf["books"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["isbn"].as_str().unwrap())
            .collect();
        for pledge in arrived["pledges"].as_array().unwrap() {
            assert!(
                on_shelf.contains(&pledge["isbn"].as_str().unwrap()),
                "{shelf}"
            );
        }
        shelved_at.push((school, teacher));
    }
    assert_eq!(shelved_at.len(), 4);

    // Nuofu has 草房子 now (the other edition): asking for its own edition again is refused
    // unless another copy is wanted.
    let teacher = &shelved_at.iter().find(|(s, _)| *s == nuofu).unwrap().1;
    let ask = |again: bool| json!({"isbn": "9787535347411", "quantity": 1, "again": again});
    let (status, refused) = app
        .post(
            &format!("/api/v1/schools/{nuofu}/wishlist"),
            Some(teacher),
            ask(false),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{refused}");
    assert_eq!(refused["error"]["code"], "already_on_shelf");
    let (status, _) = app
        .post(
            &format!("/api/v1/schools/{nuofu}/wishlist"),
            Some(teacher),
            ask(true),
        )
        .await;
    assert_eq!(status, Status::Created);
}
