//! Trust and safety: vetting of volunteers and schools, who sees an address, suspension,
//! and sign-ins that hold under a flood of wrong passwords.

use rocket::http::{ContentType, Status};
use serde_json::{json, Value};

use bookbridge::app::Clock;
use bookbridge::domain::ids::AccountId;

use crate::helpers::{
    spawn_app, spawn_app_with, spawn_app_with_clock, TestApp, User, GOODNIGHT_MOON,
};

/// An admin's vetting decision that must succeed; returns the account.
async fn decide(app: &TestApp, admin: &User, account: i64, decision: &str, note: &str) -> Value {
    let (status, body) = app
        .post(
            &format!("/api/v1/accounts/{account}/{decision}"),
            Some(&admin.token),
            json!({"note": note}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{decision} {account}: {body}");
    body
}

/// Registers `role` without vetting and signs in.
async fn pending(app: &TestApp, role: &str, email: &str) -> User {
    let user = app.newcomer(role, email).await;
    let (_, me) = app.get("/api/v1/me", Some(&user.token)).await;
    assert_eq!(me["status"], "pending", "{me}");
    user
}

async fn audit_actions(app: &TestApp, admin: &User) -> Vec<(String, String)> {
    let (status, body) = app.get("/api/v1/audit?limit=500", Some(&admin.token)).await;
    assert_eq!(status, Status::Ok, "{body}");
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[rocket::async_test]
async fn volunteers_and_schools_start_pending_and_donors_active() {
    let app = spawn_app().await;
    for (role, status) in [
        ("donor", "active"),
        ("volunteer", "pending"),
        ("school", "pending"),
    ] {
        let (code, body) = app
            .post(
                "/api/v1/accounts",
                None,
                json!({"role": role, "name": "N", "email": format!("{role}@new.example.org"), "password": "long password"}),
            )
            .await;
        assert_eq!(code, Status::Created);
        assert_eq!(body["status"], status, "{role}");
        assert_eq!(body["coordinator"], false);
    }
}

#[rocket::async_test]
async fn a_pending_volunteer_sees_no_address_and_moves_nothing_until_approved() {
    let app = spawn_app().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let admin = app.user("admin").await;
    let newcomer = pending(&app, "volunteer", "newcomer@example.org").await;

    let (_, me) = app.get("/api/v1/me", Some(&newcomer.token)).await;
    assert_eq!(me["status"], "pending");
    let (status, body) = app.get("/api/v1/pledges", Some(&newcomer.token)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (Status::Forbidden, Some("account_pending"))
    );
    let (status, _) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&newcomer.token))
        .await;
    assert_eq!(status, Status::NotFound, "a pledge is not even visible");
    let (_, view) = app
        .get(&format!("/api/v1/schools/{school}"), Some(&newcomer.token))
        .await;
    assert!(view.get("address").is_none());
    let (status, _) = app.move_pledge(&newcomer, pledge, "shipped").await;
    assert_eq!(status, Status::NotFound);
    let (status, _, _) = app
        .get_text("/api/v1/pledges.csv", Some(&newcomer.token))
        .await;
    assert_eq!(status, Status::Forbidden);
    let (status, _) = app
        .patch(
            &format!("/api/v1/books/{GOODNIGHT_MOON}"),
            Some(&newcomer.token),
            json!({"title": "Vandalised"}),
        )
        .await;
    assert_eq!(status, Status::Forbidden);
    // The volunteer page says why, in the page's words, and shows no queue.
    let page = app
        .client
        .get("/volunteer")
        .cookie(rocket::http::Cookie::new(
            "bb_session",
            newcomer.token.clone(),
        ))
        .dispatch()
        .await;
    assert_eq!(page.status(), Status::Forbidden);
    let body = page.into_string().await.unwrap_or_default();
    assert!(
        body.contains("waiting for a coordinator to approve")
            && !body.contains("class=\"card queued\""),
        "a pending volunteer is told why, and shown no queue: {body}"
    );

    // Approved, the same volunteer ships.
    let body = decide(&app, &admin, newcomer.id, "approve", "met in person").await;
    assert_eq!(body["status"], "active");
    let (_, view) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&newcomer.token))
        .await;
    assert_eq!(view["ship_to"]["address"], "1 School Road");
    let (status, body) = app.move_pledge(&newcomer, pledge, "shipped").await;
    assert_eq!(status, Status::Ok, "{body}");
    let actions = audit_actions(&app, &admin).await;
    assert!(actions.contains(&("account.approve".into(), format!("account:{}", newcomer.id))));
    assert!(
        actions.contains(&("pledge.move".into(), format!("pledge:{pledge}"))),
        "the move is in the audit log"
    );
}

#[rocket::async_test]
async fn the_address_follows_one_rule_for_every_role_and_pledge_status() {
    let app = spawn_app().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 20).await;
    let donor = app.user("donor").await;
    let other_donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let admin = app.user("admin").await;
    let (other_school, _) = app.school(10).await;
    let waiting = pending(&app, "volunteer", "waiting@example.org").await;

    // One pledge in each status.
    let mut by_status = Vec::new();
    for (status, moves) in [
        ("pledged", &[][..]),
        ("shipped", &["shipped"][..]),
        ("delivered", &["shipped", "delivered"][..]),
        ("cancelled", &["cancelled"][..]),
        ("lost", &["shipped", "lost"][..]),
        ("returned", &["shipped", "returned"][..]),
    ] {
        let id = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
            .as_i64()
            .unwrap();
        for to in moves {
            let mover = match *to {
                "delivered" => &owner,
                "cancelled" => &donor,
                _ => &volunteer,
            };
            let (code, body) = app.move_pledge(mover, id, to).await;
            assert_eq!(code, Status::Ok, "{status}: {body}");
        }
        by_status.push((status, id));
    }
    let under_way = |status: &str| status == "pledged" || status == "shipped";
    // (who, sees the pledge at all, sees the address) for a pledge in `status`.
    type Expect = fn(&str) -> (bool, bool);
    let who: [(&str, &User, Expect); 6] = [
        ("its donor", &donor, |s| {
            (true, s == "pledged" || s == "shipped")
        }),
        ("another donor", &other_donor, |_| (false, false)),
        ("an approved volunteer", &volunteer, |s| {
            (true, s == "pledged" || s == "shipped")
        }),
        ("a pending volunteer", &waiting, |_| (false, false)),
        ("an admin", &admin, |_| (true, true)),
        ("the school", &owner, |_| (true, true)),
    ];
    for (status, id) in &by_status {
        for (name, user, expect) in &who {
            let (code, body) = app
                .get(&format!("/api/v1/pledges/{id}"), Some(&user.token))
                .await;
            let (visible, address) = expect(status);
            assert_eq!(
                code == Status::Ok,
                visible,
                "{name} on a {status} pledge: {body}"
            );
            if visible {
                assert_eq!(
                    body.get("ship_to").is_some(),
                    address,
                    "{name} on a {status} pledge: {body}"
                );
            }
        }
        let (code, _) = app
            .get(&format!("/api/v1/pledges/{id}"), Some(&other_school.token))
            .await;
        assert_eq!(
            code,
            Status::NotFound,
            "another school on a {status} pledge"
        );
    }
    // The packing list follows the same rule: ended pledges carry no address.
    let (_, _, csv) = app
        .get_text("/api/v1/pledges.csv", Some(&volunteer.token))
        .await;
    for (status, id) in &by_status {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        assert_eq!(
            line.contains("1 School Road"),
            under_way(status),
            "{status}: {line}"
        );
    }
    // The donor's own pledge list too.
    let (_, list) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert_eq!(list["pledges"].as_array().unwrap().len(), 6);
}

#[rocket::async_test]
async fn a_suspended_account_is_refused_at_its_next_request_and_can_be_reinstated() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let volunteer = app.user("volunteer").await;
    assert_eq!(
        app.get("/api/v1/me", Some(&volunteer.token)).await.0,
        Status::Ok
    );

    let (status, body) = app
        .post(
            &format!("/api/v1/accounts/{}/suspend", volunteer.id),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (Status::Ok, Some("suspended"))
    );
    let (status, body) = app.get("/api/v1/me", Some(&volunteer.token)).await;
    assert_eq!(
        status,
        Status::Unauthorized,
        "the token stopped working: {body}"
    );
    let (status, _) = app
        .post("/api/v1/sessions", None, json!({"email": format!("volunteer{}@example.org", volunteer.id), "password": "long password"}))
        .await;
    assert!(status == Status::Unauthorized || status == Status::Created);

    // Suspending twice is an illegal move; reinstating works once.
    let (status, body) = app
        .post(
            &format!("/api/v1/accounts/{}/suspend", volunteer.id),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (Status::Conflict, Some("invalid_transition"))
    );
    let body = decide(&app, &admin, volunteer.id, "reinstate", "explained").await;
    assert_eq!(body["status"], "active");
    let actions = audit_actions(&app, &admin).await;
    for action in ["account.suspend", "account.reinstate"] {
        assert!(
            actions.contains(&(action.into(), format!("account:{}", volunteer.id))),
            "{action}"
        );
    }
}

#[rocket::async_test]
async fn an_account_suspended_while_it_waited_is_reinstated_to_waiting_not_approved() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let teacher = pending(&app, "school", "waiting@baiyun.example.org").await;
    assert_eq!(
        decide(&app, &admin, teacher.id, "suspend", "odd details").await["status"],
        "suspended"
    );
    let body = decide(&app, &admin, teacher.id, "reinstate", "a mistake").await;
    assert_eq!(body["status"], "pending", "vetting is not skipped: {body}");
    // It still waits to be approved, and then is active; a later suspension of the approved
    // account is reinstated to active.
    assert_eq!(
        decide(&app, &admin, teacher.id, "approve", "called them").await["status"],
        "active"
    );
    decide(&app, &admin, teacher.id, "suspend", "again").await;
    assert_eq!(
        decide(&app, &admin, teacher.id, "reinstate", "sorted").await["status"],
        "active"
    );
}

#[rocket::async_test]
async fn only_verified_schools_take_pledges_and_count_in_search() {
    let app = spawn_app().await;
    let teacher = pending(&app, "school", "teacher@baiyun.example.org").await;
    let (status, school) = app
        .post(
            "/api/v1/schools",
            Some(&teacher.token),
            json!({"name": "Baiyun", "province": "Yunnan", "county": "Lancang", "address": "2 River Road",
                   "contact_phone": "0879-555-0199", "student_count": 80, "school_code": "5308280001"}),
        )
        .await;
    assert_eq!(
        status,
        Status::Created,
        "a pending school may register its school: {school}"
    );
    assert_eq!(school["verified"], false);
    let id = school["id"].as_i64().unwrap();
    app.wish(&teacher, id, GOODNIGHT_MOON, 4).await;
    app.settle_index().await;
    assert_eq!(
        app.search("needed=true").await["total"],
        0,
        "an unverified need is not searchable"
    );
    let donor = app.user("donor").await;
    let (status, body) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school_id": id}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (Status::Conflict, Some("school_not_verified"))
    );
    let (status, _) = app
        .post(
            "/api/v1/pledges",
            Some(&donor.token),
            json!({"isbn": GOODNIGHT_MOON, "quantity": 1}),
        )
        .await;
    assert_eq!(status, Status::Conflict, "the matching rule skips it too");

    // A coordinator checks the code and verifies it.
    let admin = app.user("admin").await;
    let coordinator = app.user("volunteer").await;
    let (status, _) = app
        .post(
            &format!("/api/v1/accounts/{}/coordinator", coordinator.id),
            Some(&admin.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{id}/verify"),
            Some(&coordinator.token),
            json!({"school_code": "12345"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (Status::UnprocessableEntity, Some("school_code"))
    );
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{id}/verify"),
            Some(&coordinator.token),
            json!({"school_code": "5308280001", "note": "county bureau list"}),
        )
        .await;
    assert_eq!(
        (status, body["verified"].as_bool()),
        (Status::Ok, Some(true)),
        "{body}"
    );
    app.settle_index().await;
    let found = app.search("needed=true").await;
    assert_eq!(found["hits"][0]["isbn"], GOODNIGHT_MOON);
    assert_eq!(found["hits"][0]["outstanding"], 4);
    assert_eq!(
        app.pledge(&donor, id, GOODNIGHT_MOON, 1).await["status"],
        "pledged"
    );
    assert!(audit_actions(&app, &admin)
        .await
        .contains(&("school.verify".into(), format!("school:{id}"))));
}

#[rocket::async_test]
async fn coordinators_vet_others_but_not_admins_coordinators_or_themselves() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let coordinator = app.user("volunteer").await;
    let peer = app.user("volunteer").await;
    for user in [&coordinator, &peer] {
        app.post(
            &format!("/api/v1/accounts/{}/coordinator", user.id),
            Some(&admin.token),
            json!({}),
        )
        .await;
    }
    let newcomer = pending(&app, "school", "new@school.example.org").await;
    let plain = app.user("volunteer").await;

    let (status, body) = app
        .get("/api/v1/accounts?status=pending", Some(&coordinator.token))
        .await;
    assert_eq!(status, Status::Ok);
    let ids: Vec<i64> = body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [newcomer.id]);
    let (status, _) = app
        .get("/api/v1/accounts?status=pending", Some(&plain.token))
        .await;
    assert_eq!(
        status,
        Status::Forbidden,
        "a plain volunteer has no vetting queue"
    );
    let (status, _) = app
        .get("/api/v1/accounts?status=maybe", Some(&coordinator.token))
        .await;
    assert_eq!(status, Status::UnprocessableEntity);

    for (target, allowed) in [
        (newcomer.id, true),
        (admin.id, false),
        (peer.id, false),
        (coordinator.id, false),
    ] {
        let (status, body) = app
            .post(
                &format!("/api/v1/accounts/{target}/suspend"),
                Some(&coordinator.token),
                json!({}),
            )
            .await;
        assert_eq!(status == Status::Ok, allowed, "account {target}: {body}");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/accounts/{}/coordinator", plain.id),
            Some(&coordinator.token),
            json!({}),
        )
        .await;
    assert_eq!(status, Status::Forbidden, "only admins make coordinators");
}

#[rocket::async_test]
async fn a_flood_of_wrong_passwords_locks_the_account_until_the_clock_passes_the_lock() {
    let (app, clock) =
        spawn_app_with_clock(|f| f.merge(("login_failures_per_minute_per_address", 0))).await;
    let victim = app.user("donor").await;
    let admin = app.user("admin").await;
    let email = format!("donor{}@example.org", victim.id);
    let _ = email;
    let (_, me) = app.get("/api/v1/me", Some(&victim.token)).await;
    let email = me["email"].as_str().unwrap().to_owned();
    let attempt = |password: &'static str| {
        let email = email.clone();
        let app = &app;
        async move {
            let response = app
                .client
                .post("/api/v1/sessions")
                .header(ContentType::JSON)
                .body(json!({"email": email, "password": password}).to_string())
                .dispatch()
                .await;
            let status = response.status();
            let retry = response.headers().get_one("Retry-After").map(str::to_owned);
            let body: Value =
                serde_json::from_str(&response.into_string().await.unwrap_or_default())
                    .unwrap_or(Value::Null);
            (status, retry, body)
        }
    };
    for n in 1..=10 {
        let (status, _, body) = attempt("wrong guess").await;
        assert_eq!(status, Status::Unauthorized, "failure {n}: {body}");
    }
    // Locked: wrong and right passwords alike get 429 with Retry-After.
    for password in ["wrong guess", "long password"] {
        let (status, retry, body) = attempt(password).await;
        assert_eq!(status, Status::TooManyRequests, "{password}: {body}");
        assert_eq!(body["error"]["code"], "too_many_attempts");
        let seconds: u64 = retry.expect("Retry-After").parse().unwrap();
        assert!((1..=60).contains(&seconds), "{seconds}");
    }
    let actions = audit_actions(&app, &admin).await;
    let on_victim = |action: &str| {
        actions
            .iter()
            .filter(|(a, s)| a == action && *s == format!("account:{}", victim.id))
            .count()
    };
    assert_eq!(on_victim("signin.failed"), 10);
    assert_eq!(on_victim("account.lock"), 1);
    assert_eq!(on_victim("signin.throttled"), 2);

    // A minute later (by the service's clock) the right password works, and the count starts again.
    clock.advance(chrono::Duration::seconds(61));
    let (status, _, body) = attempt("long password").await;
    assert_eq!(status, Status::Created, "{body}");
    let _ = clock.now();
}

#[rocket::async_test]
async fn an_address_that_keeps_failing_waits_but_good_sign_ins_pass() {
    let app = spawn_app_with(|f| f.merge(("login_failures_per_minute_per_address", 5))).await;
    let admin = app.user("admin").await;
    let teacher = app.user("donor").await;
    let (_, me) = app.get("/api/v1/me", Some(&teacher.token)).await;
    let email = me["email"].as_str().unwrap().to_owned();
    let from = |ip: &str, email: &str, password: &str| {
        app.client
            .post("/api/v1/sessions")
            .remote(format!("{ip}:40000").parse().unwrap())
            .header(ContentType::JSON)
            .body(json!({"email": email, "password": password}).to_string())
    };
    for n in 0..5 {
        let status = from(
            "203.0.113.9",
            &format!("nobody{n}@example.org"),
            "wrong guess",
        )
        .dispatch()
        .await
        .status();
        assert_eq!(status, Status::Unauthorized);
    }
    let blocked = from("203.0.113.9", &email, "another wrong guess")
        .dispatch()
        .await;
    assert_eq!(blocked.status(), Status::TooManyRequests);
    assert!(blocked.headers().get_one("Retry-After").is_some());
    // The right password is never refused for its address (its account is not locked).
    let right = from("203.0.113.9", &email, "long password")
        .dispatch()
        .await;
    assert_eq!(
        right.status(),
        Status::Created,
        "the right password gets in"
    );
    let elsewhere = from("198.51.100.7", &email, "long password")
        .dispatch()
        .await;
    assert_eq!(
        elsewhere.status(),
        Status::Created,
        "another address is not affected"
    );
    let actions = audit_actions(&app, &admin).await;
    assert!(
        actions.contains(&("address.lock".into(), "address:203.0.113.9".into())),
        "{actions:?}"
    );
}

#[rocket::async_test]
async fn common_passwords_and_floods_of_registrations_are_refused() {
    let app = spawn_app_with(|f| f.merge(("registrations_per_hour_per_address", 3))).await;
    for password in ["12345678", "password", "iloveyou"] {
        let (status, body) = app
            .post("/api/v1/accounts", None, json!({"role": "donor", "name": "A", "email": "a@example.org", "password": password}))
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (Status::UnprocessableEntity, Some("password")),
            "{password}"
        );
    }
    let mut statuses = Vec::new();
    for n in 0..4 {
        let (status, _) = app
            .post("/api/v1/accounts", None, json!({"role": "donor", "name": "A", "email": format!("d{n}@example.org"), "password": "long password"}))
            .await;
        statuses.push(status);
    }
    assert_eq!(
        statuses,
        [
            Status::Created,
            Status::Created,
            Status::Created,
            Status::TooManyRequests
        ]
    );
}

#[rocket::async_test]
async fn signing_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    let donor = app.user("donor").await;
    let (_, me) = app.get("/api/v1/me", Some(&donor.token)).await;
    let (_, second) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": me["email"], "password": "long password"}),
        )
        .await;
    let second = second["token"].as_str().unwrap().to_owned();
    let (status, _) = app.delete("/api/v1/sessions", Some(&donor.token)).await;
    assert_eq!(status, Status::NoContent);
    assert_eq!(
        app.get("/api/v1/me", Some(&donor.token)).await.0,
        Status::Unauthorized
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&second)).await.0,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn only_admins_read_the_audit_log() {
    let app = spawn_app().await;
    let volunteer = app.user("volunteer").await;
    let admin = app.user("admin").await;
    assert_eq!(
        app.get("/api/v1/audit", Some(&volunteer.token)).await.0,
        Status::Forbidden
    );
    let (status, content_type, csv) = app.get_text("/api/v1/audit.csv", Some(&admin.token)).await;
    assert_eq!(status, Status::Ok);
    assert!(content_type.unwrap_or_default().starts_with("text/csv"));
    assert!(csv.starts_with("id,at,actor_id,action,subject,detail,client"));
    assert!(csv.contains(",signin,"), "{csv}");
    let _ = AccountId(admin.id);
}

#[rocket::async_test]
async fn dead_sessions_are_pruned_once_the_clock_passes_their_expiry() {
    use bookbridge::jobs::{housekeeping::Housekeeping, Job};
    let (app, clock) = spawn_app_with_clock(|f| f.merge(("session_ttl_seconds", 3600))).await;
    let donor = app.user("donor").await;
    let store = app.service().store();
    let sessions = || store.sessions_of(AccountId(donor.id));
    assert_eq!(sessions().await.unwrap(), 1);

    Housekeeping.run(app.service()).await.unwrap();
    assert_eq!(sessions().await.unwrap(), 1, "a live session stays");

    clock.advance(chrono::Duration::seconds(3601));
    assert_eq!(
        app.get("/api/v1/me", Some(&donor.token)).await.0,
        Status::Unauthorized
    );
    Housekeeping.run(app.service()).await.unwrap();
    assert_eq!(sessions().await.unwrap(), 0, "the expired session is gone");
}

#[rocket::async_test]
async fn a_phone_and_school_code_typed_on_a_chinese_keyboard_are_taken_and_stored_plain() {
    let app = spawn_app().await;
    let teacher = pending(&app, "school", "fullwidth@baiyun.example.org").await;
    let (status, school) = app
        .post(
            "/api/v1/schools",
            Some(&teacher.token),
            json!({"name": "Baiyun", "province": "Yunnan", "county": "Lancang", "address": "2 River Road",
                   "contact_phone": "０８７９－５５５０１９９", "student_count": 80,
                   "school_code": "５３０８２８－０００１"}),
        )
        .await;
    assert_eq!(status, Status::Created, "{school}");
    assert_eq!(school["contact_phone"], "0879-5550199", "{school}");
    // The code as typed is the code: a coordinator verifying with the plain digits matches.
    let admin = app.user("admin").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{}/verify", school["id"]),
            Some(&admin.token),
            json!({"school_code": "5308280001", "note": "on the county list"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
}

#[rocket::async_test]
async fn the_coordinators_code_box_keeps_a_wrong_code_and_the_audit_page_reads_in_chinese() {
    use crate::web::{Browser, CSRF};
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let teacher = pending(&app, "school", "audit@baiyun.example.org").await;
    let (status, made) = app
        .post(
            "/api/v1/schools",
            Some(&teacher.token),
            json!({"name": "白云村小学", "province": "Yunnan", "county": "澜沧县",
                   "address": "白云村 2 号", "contact_phone": "0879-5550199", "student_count": 80}),
        )
        .await;
    assert_eq!(status, Status::Created, "{made}");
    let school = made["id"].as_i64().unwrap();
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let console = Browser::of(&app, Some(&admin));
    let refused = console
        .post_with(
            &format!("/vetting/schools/{school}/verify"),
            &[
                ("csrf", CSRF),
                ("school_code", "53082"),
                ("note", "县教育局名单"),
            ],
            &zh,
        )
        .await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    let form = refused
        .body
        .split(&format!("action=\"/vetting/schools/{school}/verify\""))
        .nth(1)
        .and_then(|rest| rest.split("</form>").next())
        .expect("the school's form")
        .to_owned();
    assert!(
        form.contains("value=\"53082\""),
        "the code as typed: {form}"
    );
    assert!(form.contains("value=\"县教育局名单\""), "the note as typed");
    assert!(form.contains("aria-invalid=\"true\"") && form.contains("学校标识码是 10 位数字"));

    let verified = console
        .post_with(
            &format!("/vetting/schools/{school}/verify"),
            &[
                ("csrf", CSRF),
                ("school_code", "5308280001"),
                ("note", "县教育局名单"),
            ],
            &zh,
        )
        .await;
    assert_eq!(verified.status, Status::SeeOther);
    // The teacher hears it on the notices page, in Chinese.
    let told = Browser::of(&app, Some(&teacher))
        .get("/notices", &zh, &[])
        .await
        .body;
    assert!(told.contains("您的学校已通过核实"), "{told}");
    let (_, me) = app.get("/api/v1/me", Some(&admin.token)).await;
    let admin_name = me["name"].as_str().unwrap().to_owned();

    let audit = console.get("/vetting/audit", &zh, &[]).await.body;
    let line = audit
        .split("<div class=\"card audit\" data-action=\"school.verify\">")
        .nth(1)
        .expect("the verification is a card");
    let line = line.split("</div></div>").next().unwrap();
    assert!(line.contains("核实了学校"), "the action in Chinese: {line}");
    assert!(line.contains(&admin_name), "who, by name: {line}");
    assert!(
        line.contains(&format!("学校 {school}")),
        "the record in Chinese: {line}"
    );
    assert!(
        audit.contains("北京时间"),
        "the times say they are China time"
    );
    assert!(!audit.contains(">school.verify<"), "no raw action names");
}
