//! Webhooks against a local receiver (wiremock on loopback) that fails the first time: the
//! delivery comes again once its retry is due, signed as the README says.

use chrono::Duration;
use rocket::http::Status;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{spawn_app_with_clock, GOODNIGHT_MOON};
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
    app.service().wake(bookbridge::app::Wake::Webhooks);
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
