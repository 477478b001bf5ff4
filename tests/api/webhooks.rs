//! Webhooks against a local receiver (wiremock on loopback) that fails the first time: the
//! delivery comes again once its retry is due, signed as the README says.

use chrono::Duration;
use rocket::http::Status;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{spawn_app_with_clock, GOODNIGHT_MOON};
use bookbridge::app::webhooks::WebhookPoster;
use bookbridge::domain::webhooks::signature;

const SECRET: &str = "whsec_0123456789abcdef";

async fn received(server: &MockServer, n: usize) -> Vec<wiremock::Request> {
    for _ in 0..500 {
        let got = server.received_requests().await.unwrap_or_default();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server.received_requests().await.unwrap_or_default()
}

#[rocket::async_test]
async fn a_receiver_that_fails_once_gets_the_delivery_again_signed() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&receiver)
        .await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&receiver)
        .await;
    let (app, clock) = spawn_app_with_clock(|f| f.merge(("webhooks_allow_private", true))).await;
    let admin = app.user("admin").await;
    let donor = app.user("donor").await;

    // Only admins register receivers, and a bad one is refused.
    let hook = json!({"url": format!("{}/hook", receiver.uri()), "secret": SECRET,
                      "events": ["pledge_made"]});
    let (status, _) = app
        .post("/api/v1/webhooks", Some(&donor.token), hook.clone())
        .await;
    assert_eq!(status, Status::Forbidden);
    let (status, body) = app
        .post(
            "/api/v1/webhooks",
            Some(&admin.token),
            json!({"url": "ftp://x.org", "secret": SECRET}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "url");
    let (status, body) = app.post("/api/v1/webhooks", Some(&admin.token), hook).await;
    assert_eq!(status, Status::Created, "{body}");
    assert!(
        body.get("secret").is_none(),
        "the secret is never shown again"
    );

    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();

    // The first try is refused (500) …
    assert_eq!(received(&receiver, 1).await.len(), 1);
    // … and not tried again before its retry is due.
    let poster = bookbridge::jobs::webhooks::HttpPoster::new(true).unwrap();
    let round = app.service().send_webhooks(&poster).await.unwrap();
    assert_eq!((round.sent, round.failed), (0, 0));
    assert_eq!(receiver.received_requests().await.unwrap().len(), 1);
    clock.advance(Duration::minutes(2));
    app.service()
        .happened(bookbridge::app::Happened::NoticesRecorded);
    let got = received(&receiver, 2).await;
    assert_eq!(got.len(), 2, "delivered on the retry");

    let retry = &got[1];
    let header = |name: &str| {
        retry
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(header("x-bookbridge-event"), "pledge_made");
    let body = String::from_utf8(retry.body.clone()).unwrap();
    let sent = header("x-bookbridge-signature");
    let t: i64 = sent
        .strip_prefix("t=")
        .and_then(|rest| rest.split(',').next())
        .and_then(|t| t.parse().ok())
        .expect("t=<unix seconds>");
    assert_eq!(sent, signature(SECRET, t, &body), "signed over t.body");
    assert_ne!(sent, signature("some other secret", t, &body));
    let payload: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(payload["event"], "pledge_made");
    assert_eq!(payload["pledge_id"], pledge);
    assert_eq!(payload["account_id"], owner.id);
    assert!(payload["subject"].as_str().is_some_and(|s| !s.is_empty()));
}

#[rocket::async_test]
async fn a_delivery_given_up_on_is_shown_to_admins_and_can_be_sent_again() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&receiver)
        .await;
    let (app, clock) = spawn_app_with_clock(|f| f.merge(("webhooks_allow_private", true))).await;
    let admin = app.user("admin").await;
    let (status, _) = app
        .post(
            "/api/v1/webhooks",
            Some(&admin.token),
            json!({"url": format!("{}/down", receiver.uri()), "secret": SECRET}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    let poster = bookbridge::jobs::webhooks::HttpPoster::new(true).unwrap();
    let service = app.service();
    for _ in 0..8 {
        service.send_webhooks(&poster).await.unwrap();
        clock.advance(Duration::minutes(20));
    }
    let failed = service
        .failed_deliveries(&bookbridge_admin(&app, &admin).await)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1, "given up after its tries");
    let id = failed[0].0;

    let console = crate::web::Browser::of(&app, Some(&admin));
    let page = console.get("/admin", &[], &[]).await;
    assert!(page
        .body
        .contains(&format!("/admin/deliveries/{id}/resend")));
    receiver.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let again = console
        .post(
            &format!("/admin/deliveries/{id}/resend"),
            &[("csrf", crate::web::CSRF)],
        )
        .await;
    assert_eq!(again.location.as_deref(), Some("/admin"));
    let round = service.send_webhooks(&poster).await.unwrap();
    assert!(round.sent >= 1 || !received(&receiver, 1).await.is_empty());
    assert!(service
        .failed_deliveries(&bookbridge_admin(&app, &admin).await)
        .await
        .unwrap()
        .is_empty());
}

/// The admin as the service sees them (for calling use cases directly).
async fn bookbridge_admin(
    app: &crate::helpers::TestApp,
    admin: &crate::helpers::User,
) -> bookbridge::domain::model::Actor {
    app.service().authenticate(&admin.token).await.unwrap()
}

#[rocket::async_test]
async fn receivers_inside_are_refused_at_registration_naming_the_rule() {
    // These addresses are only ever refused, never contacted: registration refuses them
    // before any lookup or connection, this app keeps `webhooks_allow_private` off (so a
    // delivery would refuse them too), and no notice is made here, so nothing is posted.
    // The private (10/8, 192.168/16) and link-local ranges are classified by
    // `domain::webhooks`'s own unit test, with no server at all.
    let app = crate::helpers::spawn_app().await;
    let admin = app.user("admin").await;
    for (url, rule) in [
        ("http://127.0.0.1:5432/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://localhost:8080/hook", "loopback"),
        ("http://[fd00::1]/", "unique-local"),
        ("http://100.64.1.1/", "CGNAT"),
        ("https://user:secret@hooks.example.org/", "user name"),
        ("ftp://hooks.example.org/", "http"),
    ] {
        let (status, body) = app
            .post(
                "/api/v1/webhooks",
                Some(&admin.token),
                json!({"url": url, "secret": SECRET}),
            )
            .await;
        assert_eq!(status, Status::UnprocessableEntity, "{url}: {body}");
        assert_eq!(body["error"]["field"], "url", "{url}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(rule)),
            "{url}: {body}"
        );
    }
    let (_, listed) = app.get("/api/v1/webhooks", Some(&admin.token)).await;
    assert_eq!(listed, json!([]), "none was kept");
}

#[rocket::async_test]
async fn deliveries_go_only_outward_and_redirects_are_not_followed() {
    let inside = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("postgres banner"))
        .mount(&inside)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&inside)
        .await;
    let redirecting = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/inside", inside.uri()).as_str())
                .set_body_string("secret answer body"),
        )
        .mount(&redirecting)
        .await;
    let headers = [("X-Bookbridge-Event", "pledge_made".to_owned())];

    // Allowed to loopback (as tests are): a 302 is a failure of its own, not followed.
    let poster = bookbridge::jobs::webhooks::HttpPoster::new(true).unwrap();
    let error = poster
        .post(
            &format!("{}/hook", redirecting.uri()),
            &headers,
            "{}".into(),
        )
        .await
        .unwrap_err();
    assert_eq!(error, "answered HTTP 302 (redirects are not followed)");
    assert!(!error.contains("secret answer body"));
    assert!(
        inside.received_requests().await.unwrap().is_empty(),
        "not followed"
    );

    // Not allowed: an address in the URL, and a name that resolves to loopback, are refused
    // before any connection.
    let outward = bookbridge::jobs::webhooks::HttpPoster::new(false).unwrap();
    let port = inside.address().port();
    for url in [
        format!("http://127.0.0.1:{port}/hook"),
        format!("http://localhost:{port}/hook"),
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
    ] {
        let error = outward.post(&url, &headers, "{}".into()).await.unwrap_err();
        assert!(error.starts_with("destination refused"), "{url}: {error}");
        assert!(error.contains("loopback"), "{url}: {error}");
    }
    assert!(inside.received_requests().await.unwrap().is_empty());
}

#[rocket::async_test]
async fn receivers_are_listed_without_secrets_and_removed_with_their_deliveries() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&receiver)
        .await;
    let (app, _clock) = spawn_app_with_clock(|f| f.merge(("webhooks_allow_private", true))).await;
    let admin = app.user("admin").await;
    let donor = app.user("donor").await;
    let (status, made) = app
        .post(
            "/api/v1/webhooks",
            Some(&admin.token),
            json!({"url": format!("{}/hook", receiver.uri()), "secret": SECRET}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let id = made["id"].as_i64().unwrap();
    let (status, _) = app.get("/api/v1/webhooks", Some(&donor.token)).await;
    assert_eq!(status, Status::Forbidden);
    let (status, listed) = app.get("/api/v1/webhooks", Some(&admin.token)).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(listed[0]["id"], id);
    assert!(!listed.to_string().contains(SECRET), "never the secret");
    // A notice makes a delivery that keeps failing …
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    received(&receiver, 1).await;
    // … until the receiver is removed, from the admin page, which asks first.
    let console = crate::web::Browser::of(&app, Some(&admin));
    let page = console.get("/admin", &[], &[]).await;
    assert!(page.body.contains(&format!("/admin/webhooks/{id}/remove")));
    assert!(page.body.contains("Remove it?"), "asks first");
    let (status, _) = app
        .delete(&format!("/api/v1/webhooks/{id}"), Some(&donor.token))
        .await;
    assert_eq!(status, Status::Forbidden);
    let removed = console
        .post(
            &format!("/admin/webhooks/{id}/remove"),
            &[("csrf", crate::web::CSRF)],
        )
        .await;
    assert_eq!(removed.location.as_deref(), Some("/admin"));
    let (_, listed) = app.get("/api/v1/webhooks", Some(&admin.token)).await;
    assert_eq!(listed, json!([]));
    let (status, _) = app
        .delete(&format!("/api/v1/webhooks/{id}"), Some(&admin.token))
        .await;
    assert_eq!(status, Status::NotFound);
    // Nothing is left to try.
    let poster = bookbridge::jobs::webhooks::HttpPoster::new(true).unwrap();
    let round = app.service().send_webhooks(&poster).await.unwrap();
    assert_eq!((round.sent, round.failed), (0, 0));
}
