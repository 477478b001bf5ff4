//! What a client gets for bad requests: JSON errors with a code, never a 500, never a change.

use rocket::http::{ContentType, Header, Status};
use serde_json::json;

use crate::helpers::{spawn_app, GOODNIGHT_MOON};

#[rocket::async_test]
async fn unknown_paths_are_json_404s() {
    let app = spawn_app().await;
    for path in ["/api/v1/nothing", "/api/v2/schools", "/api"] {
        let (status, body) = app.get(path, None).await;
        assert_eq!(status, Status::NotFound);
        assert_eq!(body["error"]["code"], "not_found");
    }
}

#[rocket::async_test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let donor = app.user("donor").await;
    for raw in [
        "{",
        "not json",
        "{\"isbn\": \"x\",}",
        "{\"isbn\": ",
        "{\"isbn\": \"9780060775858\", \"quantity\": 1} {}",
    ] {
        let (status, body) = app
            .post_raw("/api/v1/pledges", Some(&donor.token), raw)
            .await;
        assert_eq!(status, Status::BadRequest, "{raw}");
        assert_eq!(body["error"]["code"], "malformed_json", "{raw}");
    }
}

#[rocket::async_test]
async fn wrong_shapes_are_422_naming_the_field() {
    let app = spawn_app().await;
    let donor = app.user("donor").await;
    let cases = [
        (json!({"quantity": 1}), "isbn"),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": "one"}),
            "quantity",
        ),
        (json!({"isbn": 9780060775858u64, "quantity": 1}), "isbn"),
        (
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school": 3}),
            "school",
        ),
        (json!([1, 2, 3]), ""),
    ];
    for (body, field) in cases {
        let (status, err) = app
            .post("/api/v1/pledges", Some(&donor.token), body.clone())
            .await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert_eq!(err["error"]["code"], "validation_failed");
        if !field.is_empty() {
            assert_eq!(err["error"]["field"], field, "{body}: {err}");
            assert!(err["error"]["message"].as_str().unwrap().contains(field));
        }
    }
}

#[rocket::async_test]
async fn bodies_over_the_limit_are_413() {
    let app = spawn_app().await;
    let big = json!({"role": "donor", "name": "x".repeat(100_000), "email": "big@example.org", "password": "long password"});
    let (status, body) = app.post("/api/v1/accounts", None, big).await;
    assert_eq!(status, Status::PayloadTooLarge);
    assert_eq!(body["error"]["code"], "body_too_large");
    let (status, _) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "big@example.org", "password": "long password"}),
        )
        .await;
    assert_eq!(status, Status::Unauthorized, "nothing was created");
}

#[rocket::async_test]
async fn hostile_path_values_never_500() {
    let app = spawn_app().await;
    let volunteer = app.user("volunteer").await;
    for path in [
        "/api/v1/schools/99999999999999999999999",
        "/api/v1/schools/-1",
        "/api/v1/pledges/%00",
        "/api/v1/books/%E5%B0%8F%E7%8E%8B%E5%AD%90",
        "/api/v1/books/'%20OR%201=1",
        "/api/v1/schools?limit=abc&offset=-1",
        "/api/v1/pledges?school_id=abc",
    ] {
        let (status, body) = app.get(path, Some(&volunteer.token)).await;
        assert!(status.code >= 400 && status.code < 500, "{path}: {status}");
        assert!(body["error"]["code"].is_string(), "{path}: {body}");
    }
}

#[rocket::async_test]
async fn json_with_a_wrong_content_type_is_still_understood() {
    let app = spawn_app().await;
    let response = app
        .client
        .post("/api/v1/accounts")
        .header(ContentType::Text)
        .body(json!({"role": "donor", "name": "T", "email": "t@example.org", "password": "long password"}).to_string())
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Created);
    let response = app
        .client
        .get("/api/v1/me")
        .header(Header::new("Authorization", "Bearer "))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Unauthorized);
}

#[rocket::async_test]
async fn health_checks_the_database() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/health", None).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["status"], "ok");
    let expected = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => "postgres",
        _ => "sqlite",
    };
    assert_eq!(body["database"], expected);
}

#[rocket::async_test]
async fn a_repeated_query_parameter_is_a_422_naming_it() {
    let app = crate::helpers::spawn_app().await;
    let admin = app.user("admin").await;
    for path in [
        "/api/v1/pledges?status=shipped&status=pledged",
        "/api/v1/search?q=moon&q=sun",
        "/api/v1/schools?limit=5&limit=6",
    ] {
        let (status, body) = app.get(path, Some(&admin.token)).await;
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(
            path.contains(&format!("{}=", body["error"]["field"].as_str().unwrap())),
            "{path}: {body}"
        );
    }
    assert_eq!(app.get("/api/v1/schools?limit=5", None).await.0, Status::Ok);
}

#[rocket::async_test]
async fn a_method_a_path_does_not_take_is_405_with_allow() {
    let app = crate::helpers::spawn_app().await;
    let response = app.client.delete("/api/v1/health").dispatch().await;
    assert_eq!(response.status(), Status::MethodNotAllowed);
    assert_eq!(response.headers().get_one("Allow"), Some("GET"));
    let body: serde_json::Value =
        serde_json::from_str(&response.into_string().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let response = app.client.put("/api/v1/pledges/7/status").dispatch().await;
    assert_eq!(response.status(), Status::MethodNotAllowed);
    assert_eq!(response.headers().get_one("Allow"), Some("POST"));
    let response = app.client.get("/api/v1/no/such/thing").dispatch().await;
    assert_eq!(response.status(), Status::NotFound);
}

#[rocket::async_test]
async fn allow_names_the_methods_of_the_most_literal_path() {
    let app = crate::helpers::spawn_app().await;
    // `/books/import` takes POST; `/books/{isbn}` (GET, PATCH) is another resource.
    let response = app.client.delete("/api/v1/books/import").dispatch().await;
    assert_eq!(response.status(), Status::MethodNotAllowed);
    assert_eq!(response.headers().get_one("Allow"), Some("POST"));
}

#[rocket::async_test]
async fn a_body_must_be_an_object_not_an_array_of_its_fields() {
    let app = crate::helpers::spawn_app().await;
    let donor = app.user("donor").await;
    for body in ["[null, null]", "[\"en\", false]"] {
        let (status, answer) = app
            .request(
                rocket::http::Method::Patch,
                "/api/v1/me",
                Some(&donor.token),
                Some(body.to_owned()),
            )
            .await;
        assert_eq!(
            status,
            rocket::http::Status::UnprocessableEntity,
            "{body}: {answer}"
        );
        assert_eq!(answer["error"]["code"], "validation_failed");
    }
    let (_, me) = app.get("/api/v1/me", Some(&donor.token)).await;
    assert_eq!(me["language"], "en", "nothing changed");
    assert_eq!(me["email_notices"], true);
}
