//! WeChat sign-in, binding and subscribe messages, against a stand-in for WeChat's API on
//! loopback (wiremock) that answers as WeChat documents: `jscode2session`, `stable_token`
//! and `message/subscribe/send`, with their error codes.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use bookbridge::app::ManualClock;
use bookbridge::domain::ids::AccountId;
use bookbridge::domain::notices::Delivery;
use bookbridge::mail::SmtpSender;
use bookbridge::store::NoticeDelivery;
use rocket::figment::Figment;
use rocket::http::Status;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::{spawn_app, spawn_app_with_clock, TestApp, TestEnv, User, GOODNIGHT_MOON};

const SHIPPED: &str = "T-shipped-8xQ2";
const DELIVERED: &str = "T-delivered-3kP9";
const LONG_TITLE: &str = "Goodnight Moon: the complete picture book collection";

/// What the stand-in has been asked and how it should answer.
#[derive(Default)]
struct WeChatState {
    /// Tokens handed out, in order (`TOKEN-1`, `TOKEN-2`…).
    tokens: Vec<String>,
    /// `force_refresh` of each `stable_token` call.
    forced: Vec<bool>,
    /// Tokens WeChat no longer takes (answers 40001).
    revoked: BTreeSet<String>,
    /// Users who have not subscribed (43101) whatever the service believes.
    unsubscribed: BTreeSet<String>,
    /// Answer every send with HTTP 500.
    send_down: bool,
    /// Subscribe messages taken.
    sent: Vec<Value>,
    /// Codes exchanged.
    codes: Vec<String>,
}

/// The stand-in: one responder for every path, sharing [`WeChatState`].
#[derive(Clone)]
struct StandIn(Arc<Mutex<WeChatState>>);

impl StandIn {
    fn state(&self) -> std::sync::MutexGuard<'_, WeChatState> {
        self.0.lock().unwrap()
    }
}

fn query(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

impl Respond for StandIn {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state();
        let errcode = |code: i64| {
            ResponseTemplate::new(200).set_body_json(json!({"errcode": code, "errmsg": "stand-in"}))
        };
        match request.url.path() {
            "/sns/jscode2session" => {
                assert_eq!(query(request, "appid").as_deref(), Some("wx-test-appid"));
                assert_eq!(query(request, "secret").as_deref(), Some("stand-in-secret"));
                assert_eq!(
                    query(request, "grant_type").as_deref(),
                    Some("authorization_code")
                );
                let code = query(request, "js_code").unwrap_or_default();
                state.codes.push(code.clone());
                match code.as_str() {
                    "bad" => errcode(40029),
                    "busy" => errcode(45011),
                    "blocked" => errcode(40226),
                    "down" => ResponseTemplate::new(502),
                    // A person's codes are `<who>.<n>`: each is new, the person the same.
                    _ => {
                        let who = code.split('.').next().unwrap_or_default();
                        ResponseTemplate::new(200).set_body_json(json!({
                            "openid": format!("o-{who}"),
                            "session_key": "never-leaves-the-server",
                        }))
                    }
                }
            }
            "/cgi-bin/stable_token" => {
                let body: Value = serde_json::from_slice(&request.body).unwrap();
                assert_eq!(body["grant_type"], "client_credential");
                assert_eq!(body["appid"], "wx-test-appid");
                assert_eq!(body["secret"], "stand-in-secret");
                state
                    .forced
                    .push(body["force_refresh"].as_bool().unwrap_or(false));
                let token = format!("TOKEN-{}", state.tokens.len() + 1);
                state.tokens.push(token.clone());
                ResponseTemplate::new(200)
                    .set_body_json(json!({"access_token": token, "expires_in": 7200}))
            }
            "/cgi-bin/message/subscribe/send" => {
                if state.send_down {
                    return ResponseTemplate::new(500);
                }
                let token = query(request, "access_token").unwrap_or_default();
                if state.revoked.contains(&token) || !state.tokens.contains(&token) {
                    return errcode(40001);
                }
                let body: Value = serde_json::from_slice(&request.body).unwrap();
                let to = body["touser"].as_str().unwrap_or_default().to_owned();
                if state.unsubscribed.contains(&to) {
                    return errcode(43101);
                }
                state.sent.push(body);
                errcode(0)
            }
            other => panic!("the stand-in has no {other}"),
        }
    }
}

/// A running stand-in for WeChat on 127.0.0.1.
async fn stand_in() -> (MockServer, StandIn) {
    let server = MockServer::start().await;
    let stand_in = StandIn(Arc::default());
    for (verb, route) in [
        ("GET", "/sns/jscode2session"),
        ("POST", "/cgi-bin/stable_token"),
        ("POST", "/cgi-bin/message/subscribe/send"),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(stand_in.clone())
            .mount(&server)
            .await;
    }
    (server, stand_in)
}

/// The settings that turn WeChat on, pointed at `server`.
fn with_wechat(server: &MockServer) -> impl FnOnce(Figment) -> Figment + '_ {
    move |f: Figment| {
        f.merge(("wechat_appid", "wx-test-appid"))
            .merge(("wechat_secret", "stand-in-secret"))
            .merge(("wechat_api_url", server.uri()))
            .merge((
                "wechat_templates",
                json!({"pledge_shipped": SHIPPED, "pledge_delivered": DELIVERED}),
            ))
    }
}

/// Signs in with a WeChat code; returns the status and body. (Straight through the client:
/// the helpers refuse any 5xx, and WeChat being down is rightly a 503.)
async fn sign_in(app: &TestApp, code: &str) -> (Status, Value) {
    let response = app
        .client
        .post("/api/v1/wechat/sessions")
        .header(rocket::http::ContentType::JSON)
        .body(json!({"code": code}).to_string())
        .dispatch()
        .await;
    let status = response.status();
    let body = response.into_json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Signs in with a WeChat code that must work.
async fn wechat_user(app: &TestApp, code: &str) -> (User, Value) {
    let (status, body) = sign_in(app, code).await;
    assert_eq!(status, Status::Created, "{body}");
    let user = User {
        id: body["account"]["id"].as_i64().unwrap(),
        token: body["token"].as_str().unwrap().to_owned(),
    };
    (user, body)
}

/// Waits until none of the account's notices waits to be sent; returns (delivery, via) of
/// each, newest first.
async fn settled(app: &TestApp, account: i64) -> Vec<(String, Option<String>)> {
    for _ in 0..500 {
        let rows = deliveries(app, account).await;
        if rows.iter().all(|row| row.delivery != Delivery::Pending) {
            return rows
                .into_iter()
                .map(|r| {
                    let via = r.sent_via.map(|v| v.as_str().to_owned());
                    (r.delivery.as_str().to_owned(), via)
                })
                .collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("notices of account {account} are still pending");
}

/// The credits a WeChat standing (`GET /me/wechat`) shows for `template`.
fn credits(standing: &Value, template: &str) -> i64 {
    standing["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["template_id"] == template)
        .map(|s| s["credits"].as_i64().unwrap())
        .unwrap()
}

/// How the account's notices went out, newest first.
async fn deliveries(app: &TestApp, account: i64) -> Vec<NoticeDelivery> {
    app.service()
        .store()
        .notice_deliveries(AccountId(account), 100)
        .await
        .unwrap()
}

/// A verified school wishing for `LONG_TITLE`, and a volunteer.
async fn school_and_volunteer(app: &TestApp) -> (i64, User) {
    app.add_books(&[(GOODNIGHT_MOON, LONG_TITLE, "Margaret Wise Brown", "en")])
        .await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 10).await;
    (school, app.user("volunteer").await)
}

#[rocket::async_test]
async fn with_wechat_off_every_wechat_path_is_not_there() {
    let app = spawn_app().await;
    let donor = app.user("donor").await;
    for (path, token) in [
        ("/api/v1/wechat/sessions", None),
        ("/api/v1/me/wechat", Some(donor.token.as_str())),
        ("/api/v1/me/wechat", None),
        (
            "/api/v1/me/wechat/subscriptions",
            Some(donor.token.as_str()),
        ),
    ] {
        let (status, body) = app
            .post(
                path,
                token,
                json!({"code": "alice.1", "template_ids": [SHIPPED]}),
            )
            .await;
        assert_eq!(status, Status::NotFound, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let (status, _) = app.get("/api/v1/me/wechat", Some(&donor.token)).await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn a_donor_signs_in_subscribes_and_hears_of_one_shipment_by_wechat_then_on_the_page() {
    let (server, wechat) = stand_in().await;
    let (app, _clock) = spawn_app_with_clock(with_wechat(&server)).await;
    let (school, volunteer) = school_and_volunteer(&app).await;

    let (donor, body) = wechat_user(&app, "donor.1").await;
    assert_eq!(body["new"], true);
    assert_eq!(body["account"]["role"], "donor");
    assert_eq!(body["account"]["status"], "active");
    assert_eq!(body["account"]["name"], "微信用户");
    assert!(
        !body.to_string().contains("never-leaves-the-server"),
        "the session key stays on the server"
    );
    // The same person again (a new code): the same account, not a new one.
    let (again, body) = wechat_user(&app, "donor.2").await;
    assert_eq!((again.id, &body["new"]), (donor.id, &json!(false)));

    let (status, standing) = app.get("/api/v1/me/wechat", Some(&donor.token)).await;
    assert_eq!(status, Status::Ok, "{standing}");
    assert_eq!(standing["bound"], true);
    let (status, standing) = app
        .post(
            "/api/v1/me/wechat/subscriptions",
            Some(&donor.token),
            json!({"template_ids": [SHIPPED]}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{standing}");
    assert_eq!(credits(&standing, SHIPPED), 1);
    assert_eq!(credits(&standing, DELIVERED), 0);

    let first = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let (status, body) = app.move_pledge(&volunteer, first, "shipped").await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(
        settled(&app, donor.id).await[0],
        ("sent".into(), Some("wechat".into()))
    );
    {
        let state = wechat.state();
        assert_eq!(state.sent.len(), 1, "exactly one message: {:?}", state.sent);
        let message = &state.sent[0];
        assert_eq!(message["touser"], "o-donor");
        assert_eq!(message["template_id"], SHIPPED);
        assert_eq!(message["page"], format!("pages/pledge/pledge?id={first}"));
        assert_eq!(message["data"]["thing1"]["value"], "Goodnight Moon: the…");
        assert_eq!(message["data"]["phrase2"]["value"], "已寄出");
        assert_eq!(message["lang"], "zh_CN");
        assert_eq!(message["miniprogram_state"], "formal");
        assert_eq!(state.tokens.len(), 1);
    }
    let (_, standing) = app.get("/api/v1/me/wechat", Some(&donor.token)).await;
    assert_eq!(credits(&standing, SHIPPED), 0, "the credit is spent");

    // A second shipment with no credit left: on the notices page, not WeChat.
    let second = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app.move_pledge(&volunteer, second, "shipped").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(settled(&app, donor.id).await[0], ("kept".into(), None));
    assert_eq!(wechat.state().sent.len(), 1, "no second message");
    let told = app
        .service()
        .store()
        .notices_for(AccountId(donor.id), 10)
        .await
        .unwrap();
    assert_eq!(
        told.len(),
        2,
        "both shipments are on the donor's notices page"
    );
}

#[rocket::async_test]
async fn wechats_errors_become_clear_answers_and_count_as_failed_sign_ins() {
    let (server, wechat) = stand_in().await;
    let app = crate::helpers::spawn_app_with(|f| {
        with_wechat(&server)(f).merge(("login_failures_per_minute_per_address", 3))
    })
    .await;
    for (code, status, error) in [
        ("bad", Status::Unauthorized, "wechat_code_invalid"),
        ("busy", Status::TooManyRequests, "wechat_too_frequent"),
        ("blocked", Status::Forbidden, "wechat_user_blocked"),
        ("down", Status::ServiceUnavailable, "wechat_unavailable"),
    ] {
        let (got, body) = sign_in(&app, code).await;
        assert_eq!(got, status, "{code}: {body}");
        assert_eq!(body["error"]["code"], error, "{code}");
    }
    // A code that cannot be one is refused here, and WeChat is not asked.
    let asked = wechat.state().codes.len();
    for code in ["", "has space", "码"] {
        let (status, body) = sign_in(&app, code).await;
        assert_eq!(status, Status::UnprocessableEntity, "{body}");
        assert_eq!(body["error"]["field"], "code");
    }
    assert_eq!(wechat.state().codes.len(), asked);
    // The audit log has the invalid code and the blocked user.
    let admin = app.user("admin").await;
    let (_, audit) = app.get("/api/v1/audit?limit=100", Some(&admin.token)).await;
    let failed = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "signin.failed" && e["subject"] == "wechat")
        .count();
    assert_eq!(failed, 2, "{audit}");
    // Two more invalid codes use up the address's three failures: then even a good code
    // waits, and WeChat is not asked.
    sign_in(&app, "bad").await;
    sign_in(&app, "bad").await;
    let asked = wechat.state().codes.len();
    let (status, body) = sign_in(&app, "alice.1").await;
    assert_eq!(status, Status::TooManyRequests, "{body}");
    assert_eq!(body["error"]["code"], "too_many_attempts");
    // Binding from a signed-in account waits the same way.
    let donor = app.user("donor").await;
    let (status, body) = app
        .post(
            "/api/v1/me/wechat",
            Some(&donor.token),
            json!({"code": "alice.2"}),
        )
        .await;
    assert_eq!(status, Status::TooManyRequests, "{body}");
    assert_eq!(body["error"]["code"], "too_many_attempts");
    assert_eq!(wechat.state().codes.len(), asked);
}

#[rocket::async_test]
async fn a_teacher_who_opened_the_mini_program_first_links_the_web_account_to_wechat() {
    let (server, _wechat) = stand_in().await;
    let app = crate::helpers::spawn_app_with(with_wechat(&server)).await;
    // The mini program made a spare donor account on first use and she allowed a message.
    let (spare, _) = wechat_user(&app, "teacher.1").await;
    let (status, _) = app
        .post(
            "/api/v1/me/wechat/subscriptions",
            Some(&spare.token),
            json!({"template_ids": [SHIPPED]}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    // She signs in with the account she registered on the web and links it.
    let teacher = app.newcomer("school", "wang@example.org").await;
    let (status, body) = app
        .post(
            "/api/v1/me/wechat",
            Some(&teacher.token),
            json!({"code": "teacher.2"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(credits(&body, SHIPPED), 1, "her credit came along: {body}");
    let (signed_in, body) = wechat_user(&app, "teacher.3").await;
    assert_eq!(signed_in.id, teacher.id, "WeChat now opens the web account");
    assert_eq!(body["account"]["role"], "school");
    let (status, _) = app.get("/api/v1/me", Some(&spare.token)).await;
    assert_eq!(
        status,
        Status::Unauthorized,
        "the spare account's session ended"
    );

    // A WeChat account that has pledged is nobody's spare: it keeps its WeChat user.
    let (school, _) = school_and_volunteer(&app).await;
    let (donor, _) = wechat_user(&app, "giver.1").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    let volunteer = app.newcomer("volunteer", "li@example.org").await;
    let (status, body) = app
        .post(
            "/api/v1/me/wechat",
            Some(&volunteer.token),
            json!({"code": "giver.2"}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(body["error"]["code"], "wechat_bound_elsewhere");
}

#[rocket::async_test]
async fn a_suspended_wechat_donor_cannot_sign_in_with_wechat() {
    let (server, _wechat) = stand_in().await;
    let app = crate::helpers::spawn_app_with(with_wechat(&server)).await;
    let (donor, _) = wechat_user(&app, "donor.1").await;
    let admin = app.user("admin").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/accounts/{}/suspend", donor.id),
            Some(&admin.token),
            json!({"note": "reported"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let (status, body) = sign_in(&app, "donor.2").await;
    assert_eq!(status, Status::Unauthorized, "{body}");
    assert_eq!(body["error"]["code"], "unauthenticated");
    let (status, _) = app.get("/api/v1/me", Some(&donor.token)).await;
    assert_eq!(status, Status::Unauthorized, "its old token stops too");
}

#[rocket::async_test]
async fn a_teacher_binds_wechat_and_keeps_role_and_vetting() {
    let (server, _wechat) = stand_in().await;
    let app = crate::helpers::spawn_app_with(with_wechat(&server)).await;
    let teacher = app.newcomer("school", "teacher@example.org").await;
    let (status, body) = app
        .post(
            "/api/v1/me/wechat/subscriptions",
            Some(&teacher.token),
            json!({"template_ids": [SHIPPED]}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(body["error"]["code"], "wechat_not_bound");
    let (status, body) = app
        .post(
            "/api/v1/me/wechat",
            Some(&teacher.token),
            json!({"code": "teacher.1"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["bound"], true);
    // Binding the same person again changes nothing.
    let (status, _) = app
        .post(
            "/api/v1/me/wechat",
            Some(&teacher.token),
            json!({"code": "teacher.2"}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    // Signing in with WeChat now opens the teacher's own account, still a pending school.
    let (signed_in, body) = wechat_user(&app, "teacher.3").await;
    assert_eq!(signed_in.id, teacher.id);
    assert_eq!(body["new"], false);
    assert_eq!(body["account"]["role"], "school");
    assert_eq!(body["account"]["status"], "pending");
    // Another account may not take this WeChat user, nor this account another one.
    let (donor, _) = wechat_user(&app, "donor.1").await;
    let (status, body) = app
        .post(
            "/api/v1/me/wechat",
            Some(&donor.token),
            json!({"code": "teacher.4"}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(body["error"]["code"], "wechat_bound_elsewhere");
    let (status, body) = app
        .post(
            "/api/v1/me/wechat",
            Some(&teacher.token),
            json!({"code": "other.1"}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(body["error"]["code"], "account_has_wechat");
    // Only this service's templates may be accepted.
    let (status, body) = app
        .post(
            "/api/v1/me/wechat/subscriptions",
            Some(&teacher.token),
            json!({"template_ids": ["T-somebody-else"]}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(body["error"]["field"], "template_ids");
    // The binding is in the audit log.
    let admin = app.user("admin").await;
    let (_, audit) = app.get("/api/v1/audit?limit=100", Some(&admin.token)).await;
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "account.wechat_bind"
                && e["subject"] == format!("account:{}", teacher.id)),
        "{audit}"
    );
}

/// A donor signed in with WeChat, with `credits` acceptances of the shipped template, and a
/// pledge of theirs to ship.
async fn subscribed_donor(app: &TestApp, who: &str, credits: usize) -> User {
    let (donor, _) = wechat_user(app, &format!("{who}.1")).await;
    for _ in 0..credits {
        let (status, body) = app
            .post(
                "/api/v1/me/wechat/subscriptions",
                Some(&donor.token),
                json!({"template_ids": [SHIPPED]}),
            )
            .await;
        assert_eq!(status, Status::Ok, "{body}");
    }
    donor
}

/// Pledges one copy as `donor` and ships it; returns the pledge.
async fn ship_one(app: &TestApp, donor: &User, school: i64, volunteer: &User) -> i64 {
    let pledge = app.pledge(donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let (status, body) = app.move_pledge(volunteer, pledge, "shipped").await;
    assert_eq!(status, Status::Ok, "{body}");
    pledge
}

#[rocket::async_test]
async fn the_token_is_kept_refreshed_before_it_expires_and_forced_once_when_refused() {
    let (server, wechat) = stand_in().await;
    let (app, clock) = spawn_app_with_clock(with_wechat(&server)).await;
    let (school, volunteer) = school_and_volunteer(&app).await;
    let donor = subscribed_donor(&app, "donor", 4).await;

    ship_one(&app, &donor, school, &volunteer).await;
    settled(&app, donor.id).await;
    ship_one(&app, &donor, school, &volunteer).await;
    settled(&app, donor.id).await;
    assert_eq!(
        wechat.state().tokens,
        ["TOKEN-1"],
        "one token for both messages"
    );

    // Two hours later the token is past its five-minute margin: a new one (not forced).
    clock.advance(chrono::Duration::seconds(7200 - 299));
    ship_one(&app, &donor, school, &volunteer).await;
    settled(&app, donor.id).await;
    assert_eq!(wechat.state().tokens.len(), 2);
    assert_eq!(wechat.state().forced, [false, false]);

    // WeChat no longer takes the token: forced once, and the message goes.
    let current = wechat.state().tokens[1].clone();
    wechat.state().revoked.insert(current);
    ship_one(&app, &donor, school, &volunteer).await;
    assert_eq!(
        settled(&app, donor.id).await[0],
        ("sent".into(), Some("wechat".into()))
    );
    let state = wechat.state();
    assert_eq!(state.forced, [false, false, true]);
    assert_eq!(state.sent.len(), 4);
    assert_eq!(state.sent[3]["touser"], "o-donor");
}

#[rocket::async_test]
async fn not_subscribed_spends_no_credit_and_a_failed_send_is_tried_again() {
    let (server, wechat) = stand_in().await;
    let (app, clock) = spawn_app_with_clock(with_wechat(&server)).await;
    let (school, volunteer) = school_and_volunteer(&app).await;
    let donor = subscribed_donor(&app, "donor", 1).await;
    let shipped_credits = || async {
        let (_, standing) = app.get("/api/v1/me/wechat", Some(&donor.token)).await;
        credits(&standing, SHIPPED)
    };

    // 43101: WeChat says the person did not subscribe: the notice falls back to the page
    // and the credit stays.
    wechat.state().unsubscribed.insert("o-donor".into());
    ship_one(&app, &donor, school, &volunteer).await;
    assert_eq!(settled(&app, donor.id).await[0], ("kept".into(), None));
    assert_eq!(shipped_credits().await, 1);
    assert!(wechat.state().sent.is_empty());

    // WeChat is down: tried again later, credit kept meanwhile, and sent once it is back.
    wechat.state().unsubscribed.clear();
    wechat.state().send_down = true;
    ship_one(&app, &donor, school, &volunteer).await;
    let mut tried = None;
    for _ in 0..500 {
        let newest = deliveries(&app, donor.id).await.remove(0);
        if newest.attempts > 0 {
            tried = Some(newest);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let tried = tried.expect("the send was tried");
    assert_eq!((tried.delivery.as_str(), tried.attempts), ("pending", 1));
    assert!(tried.last_error.unwrap_or_default().contains("HTTP 500"));
    assert_eq!(
        shipped_credits().await,
        1,
        "a failed send gives its credit back"
    );
    // Not due again before its back-off; due after it.
    wechat.state().send_down = false;
    let round = app
        .service()
        .send_notices(None::<&SmtpSender>, "")
        .await
        .unwrap();
    assert_eq!(round.sent, 0, "not due yet");
    clock.advance(chrono::Duration::minutes(2));
    let round = app
        .service()
        .send_notices(None::<&SmtpSender>, "")
        .await
        .unwrap();
    assert_eq!((round.sent, round.by_wechat), (1, 1));
    assert_eq!(
        settled(&app, donor.id).await[0],
        ("sent".into(), Some("wechat".into()))
    );
    assert_eq!(wechat.state().sent.len(), 1);
    assert_eq!(shipped_credits().await, 0);
}

#[rocket::async_test]
async fn two_nodes_share_one_token() {
    let (server, wechat) = stand_in().await;
    let env = TestEnv::new().await;
    let clock = Arc::new(ManualClock::starting_now());
    let node = |name: &'static str| {
        let index = env.dir.path().join(format!("index-{name}"));
        let server = &server;
        move |f: Figment| {
            with_wechat(server)(f)
                .merge(("index_dir", index.display().to_string()))
                .merge(("index_instance", name))
        }
    };
    let first = env.start_with_clock(clock.clone(), node("one")).await;
    let second = env.start_with_clock(clock.clone(), node("two")).await;
    let (school, volunteer) = school_and_volunteer(&first).await;
    let donor = subscribed_donor(&first, "donor", 2).await;
    // Each shipment is made on a different node, whose notices job it wakes.
    ship_one(&first, &donor, school, &volunteer).await;
    settled(&first, donor.id).await;
    ship_one(&second, &donor, school, &volunteer).await;
    settled(&second, donor.id).await;
    let state = wechat.state();
    assert_eq!(state.sent.len(), 2);
    assert_eq!(
        state.tokens,
        ["TOKEN-1"],
        "the second node used the token the first stored"
    );
}
