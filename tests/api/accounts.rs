use rocket::http::Status;
use serde_json::json;

use crate::helpers::spawn_app;

#[rocket::async_test]
async fn registration_returns_the_account_without_secrets() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "donor", "name": "Li Wei", "email": "Li.Wei@Example.org", "password": "long password"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    assert!(body["id"].as_i64().unwrap() > 0);
    assert_eq!(body["role"], "donor");
    assert_eq!(body["email"], "li.wei@example.org");
    assert!(body.get("password").is_none() && body.get("password_hash").is_none());
}

#[rocket::async_test]
async fn a_second_account_with_the_same_email_is_refused() {
    let app = spawn_app().await;
    let form = json!({"role": "donor", "name": "A", "email": "a@example.org", "password": "long password"});
    assert_eq!(
        app.post("/api/v1/accounts", None, form.clone()).await.0,
        Status::Created
    );
    let mut again = form;
    again["email"] = json!("A@EXAMPLE.ORG");
    let (status, body) = app.post("/api/v1/accounts", None, again).await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(body["error"]["code"], "email_taken");
    assert_eq!(body["error"]["field"], "email");
}

#[rocket::async_test]
async fn nobody_can_register_as_admin_or_with_bad_fields() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"role": "admin", "name": "E", "email": "e@example.org", "password": "long password"}),
            "role",
        ),
        (
            json!({"role": "pirate", "name": "E", "email": "e@example.org", "password": "long password"}),
            "role",
        ),
        (
            json!({"role": "donor", "name": "  ", "email": "e@example.org", "password": "long password"}),
            "name",
        ),
        (
            json!({"role": "donor", "name": "E", "email": "not-an-email", "password": "long password"}),
            "email",
        ),
        (
            json!({"role": "donor", "name": "E", "email": "e@example.org", "password": "short"}),
            "password",
        ),
        (
            json!({"role": "donor", "name": "E", "email": "e@example.org"}),
            "password",
        ),
    ];
    for (form, field) in cases {
        let (status, body) = app.post("/api/v1/accounts", None, form.clone()).await;
        assert_eq!(status, Status::UnprocessableEntity, "{form}");
        assert_eq!(body["error"]["field"], field, "{form}: {body}");
    }
    // Nothing was created by any of them.
    let (status, _) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "e@example.org", "password": "long password"}),
        )
        .await;
    assert_eq!(status, Status::Unauthorized);
}

#[rocket::async_test]
async fn login_gives_a_token_that_identifies_the_caller() {
    let app = spawn_app().await;
    let user = app.user("volunteer").await;
    let (status, me) = app.get("/api/v1/me", Some(&user.token)).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(me["id"].as_i64(), Some(user.id));
    assert_eq!(me["role"], "volunteer");

    let (_, session) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": me["email"], "password": "long password"}),
        )
        .await;
    assert!(session["expires_at"].as_str().unwrap().starts_with("20"));
}

#[rocket::async_test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let user = app.user("donor").await;
    let (_, me) = app.get("/api/v1/me", Some(&user.token)).await;
    let (s1, b1) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": me["email"], "password": "wrong password"}),
        )
        .await;
    let (s2, b2) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "nobody@example.org", "password": "wrong password"}),
        )
        .await;
    assert_eq!((s1, s2), (Status::Unauthorized, Status::Unauthorized));
    assert_eq!(b1["error"]["code"], "invalid_credentials");
    assert_eq!(b1, b2);
}

#[rocket::async_test]
async fn logout_revokes_the_token() {
    let app = spawn_app().await;
    let user = app.user("donor").await;
    let (status, _) = app
        .delete("/api/v1/sessions/current", Some(&user.token))
        .await;
    assert_eq!(status, Status::NoContent);
    let (status, body) = app.get("/api/v1/me", Some(&user.token)).await;
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[rocket::async_test]
async fn expired_tokens_do_not_work() {
    let app = crate::helpers::spawn_app_with(|f| f.merge(("session_ttl_seconds", 1))).await;
    let user = app.user("donor").await;
    assert_eq!(app.get("/api/v1/me", Some(&user.token)).await.0, Status::Ok);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, body) = app.get("/api/v1/me", Some(&user.token)).await;
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[rocket::async_test]
async fn requests_without_or_with_a_bad_token_are_401_json() {
    let app = spawn_app().await;
    for header in [None, Some("not-a-real-token")] {
        let (status, body) = app.get("/api/v1/me", header).await;
        assert_eq!(status, Status::Unauthorized);
        assert_eq!(body["error"]["code"], "unauthenticated");
    }
    let response = app
        .client
        .get("/api/v1/me")
        .header(rocket::http::Header::new("Authorization", "Basic abc"))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Unauthorized);
    assert_eq!(
        response.headers().get_one("WWW-Authenticate"),
        Some("Bearer")
    );
}

#[rocket::async_test]
async fn an_account_reads_notices_in_the_language_it_chose_or_its_browsers() {
    let app = crate::helpers::spawn_app().await;
    let form = |email: &str, language: Option<&str>| {
        let mut body = serde_json::json!({"role": "donor", "name": "Li Na", "email": email,
                                          "password": "books for all"});
        if let Some(language) = language {
            body["language"] = serde_json::json!(language);
        }
        body.to_string()
    };
    let (status, body) = app
        .post_raw("/api/v1/accounts", None, &form("a@example.org", Some("en")))
        .await;
    assert_eq!(status, rocket::http::Status::Created, "{body}");
    assert_eq!(body["language"], "en");
    assert_eq!(body["email_notices"], true);

    let answer = app
        .client
        .post("/api/v1/accounts")
        .header(rocket::http::ContentType::JSON)
        .header(rocket::http::Header::new(
            "Accept-Language",
            "zh-CN,zh;q=0.9",
        ))
        .body(form("b@example.org", None))
        .dispatch()
        .await;
    let body: serde_json::Value =
        serde_json::from_str(&answer.into_string().await.unwrap()).unwrap();
    assert_eq!(body["language"], "zh");

    let (status, body) = app
        .post_raw("/api/v1/accounts", None, &form("c@example.org", Some("fr")))
        .await;
    assert_eq!(status, rocket::http::Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "language");
}
