use rocket::http::Status;
use serde_json::json;

use crate::helpers::{spawn_app, GOODNIGHT_MOON};

fn school_form() -> serde_json::Value {
    json!({
        "name": "Nuofu Central Primary", "province": "Yunnan", "county": "Lancang",
        "address": "1 School Road", "contact_phone": "0879-555-0101", "student_count": 146
    })
}

#[rocket::async_test]
async fn a_school_account_registers_its_school_once() {
    let app = spawn_app().await;
    let owner = app.user("school").await;
    let (status, body) = app
        .post("/api/v1/schools", Some(&owner.token), school_form())
        .await;
    assert_eq!(status, Status::Created);
    assert_eq!(body["name"], "Nuofu Central Primary");
    assert_eq!(body["address"], "1 School Road");
    assert_eq!(body["books_needed"], 0);
    let (_, me) = app.get("/api/v1/me", Some(&owner.token)).await;
    assert_eq!(me["school_id"], body["id"]);

    let (status, body) = app
        .post("/api/v1/schools", Some(&owner.token), school_form())
        .await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "school_exists");
}

#[rocket::async_test]
async fn only_school_accounts_register_schools() {
    let app = spawn_app().await;
    for role in ["donor", "volunteer", "admin"] {
        let user = app.user(role).await;
        let (status, body) = app
            .post("/api/v1/schools", Some(&user.token), school_form())
            .await;
        assert_eq!(status, Status::Forbidden, "{role}");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let (status, _) = app.post("/api/v1/schools", None, school_form()).await;
    assert_eq!(status, Status::Unauthorized);
    let (_, list) = app.get("/api/v1/schools", None).await;
    assert_eq!(list["schools"].as_array().unwrap().len(), 0);
}

#[rocket::async_test]
async fn school_fields_are_validated_by_name() {
    let app = spawn_app().await;
    let owner = app.user("school").await;
    for (field, value) in [
        ("student_count", json!(0)),
        ("student_count", json!(-5)),
        ("student_count", json!(10_000_000)),
        ("name", json!("")),
        ("contact_phone", json!("ring the bell")),
        ("address", json!("x".repeat(501))),
    ] {
        let mut form = school_form();
        form[field] = value;
        let (status, body) = app.post("/api/v1/schools", Some(&owner.token), form).await;
        assert_eq!(status, Status::UnprocessableEntity, "{field}");
        assert_eq!(body["error"]["field"], field);
    }
    assert_eq!(
        app.get("/api/v1/me", Some(&owner.token)).await.1["school_id"],
        json!(null)
    );
}

#[rocket::async_test]
async fn the_public_list_shows_need_but_no_private_fields() {
    let app = spawn_app().await;
    let (owner, school) = app.school(100).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 7).await;
    let (status, body) = app.get("/api/v1/schools", None).await;
    assert_eq!(status, Status::Ok);
    let listed = &body["schools"][0];
    assert_eq!(listed["id"].as_i64(), Some(school));
    assert_eq!(listed["books_needed"], 7);
    assert_eq!(listed["student_count"], 100);
    assert!(listed.get("address").is_none() && listed.get("contact_phone").is_none());

    let (status, body) = app.get("/api/v1/schools?limit=0", None).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "limit");
}

#[rocket::async_test]
async fn the_address_is_shown_only_to_those_who_need_it() {
    let app = spawn_app().await;
    let (owner, school) = app.school(100).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let path = format!("/api/v1/schools/{school}");
    let other_school = app.school(10).await.0;
    let volunteer = app.user("volunteer").await;
    let admin = app.user("admin").await;
    let donor = app.user("donor").await;

    let sees = |body: &serde_json::Value| {
        body.get("address").is_some() && body.get("contact_phone").is_some()
    };
    assert!(!sees(&app.get(&path, None).await.1), "anonymous");
    assert!(sees(&app.get(&path, Some(&owner.token)).await.1), "owner");
    assert!(
        !sees(&app.get(&path, Some(&other_school.token)).await.1),
        "another school"
    );
    assert!(
        !sees(&app.get(&path, Some(&volunteer.token)).await.1),
        "a volunteer sees addresses only on the pledges they act on"
    );
    assert!(sees(&app.get(&path, Some(&admin.token)).await.1), "admin");
    assert!(
        !sees(&app.get(&path, Some(&donor.token)).await.1),
        "donor before pledging"
    );

    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    assert!(
        sees(&app.get(&path, Some(&donor.token)).await.1),
        "donor with an active pledge"
    );
    let id = pledge["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/pledges/{id}/cancel"),
        Some(&donor.token),
        json!({}),
    )
    .await;
    assert!(
        !sees(&app.get(&path, Some(&donor.token)).await.1),
        "donor after cancelling"
    );
}

#[rocket::async_test]
async fn an_unknown_school_is_404() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/schools/999", None).await;
    assert_eq!(status, Status::NotFound);
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(app.get("/api/v1/schools/abc", None).await.0.code / 100, 4);
}

#[rocket::async_test]
async fn schools_are_listed_by_province_however_it_is_spelt() {
    let app = spawn_app().await;
    for (province, name) in [("云南省", "Nuofu"), ("Gansu Province", "Baiyun")] {
        let owner = app.user("school").await;
        let mut form = school_form();
        form["province"] = json!(province);
        form["name"] = json!(name);
        let (status, body) = app.post("/api/v1/schools", Some(&owner.token), form).await;
        assert_eq!(status, Status::Created, "{body}");
        // One stored spelling per province, whatever was typed.
        assert!(
            body["province"] == "Yunnan" || body["province"] == "Gansu",
            "{body}"
        );
    }
    for (asked, expected) in [
        ("Yunnan", vec!["Nuofu"]),
        ("%E4%BA%91%E5%8D%97", vec!["Nuofu"]),
        ("gansu", vec!["Baiyun"]),
        ("Atlantis", vec![]),
    ] {
        let (status, body) = app
            .get(&format!("/api/v1/schools?province={asked}"), None)
            .await;
        assert_eq!(status, Status::Ok);
        let names: Vec<&str> = body["schools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, expected, "{asked}");
    }
    let (_, all) = app.get("/api/v1/schools", None).await;
    assert_eq!(all["schools"].as_array().unwrap().len(), 2);
}

#[rocket::async_test]
async fn a_province_longer_than_any_is_refused() {
    let app = spawn_app().await;
    let long = "x".repeat(101);
    let (status, body) = app
        .get(&format!("/api/v1/schools?province={long}"), None)
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "province");
}
