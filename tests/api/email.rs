//! Notices by email, against a real SMTP server (aiosmtpd, `.ci/smtp-sink`): who gets what,
//! in which language, with the link; a server that is down is tried again later.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use chrono::Duration;
use rocket::http::Status;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with_clock, TestApp, User, GOODNIGHT_MOON};

/// A Python that has aiosmtpd: `SMTP_SINK_PYTHON`, CI's virtualenv, or `python3`.
fn python() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ci-venv/bin/python");
    let candidates = std::env::var_os("SMTP_SINK_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv, PathBuf::from("python3")]);
    for candidate in candidates {
        let works = Command::new(&candidate)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if works {
            return Some(candidate);
        }
    }
    None
}

/// The SMTP server, killed when dropped.
struct Sink {
    child: Child,
    file: PathBuf,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    fn start(python: &PathBuf, port: u16, file: PathBuf) -> Sink {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/smtp-sink");
        let mut child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(&file)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the SMTP sink starts");
        let mut ready = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready");
        Sink { child, file }
    }

    /// The messages received so far.
    fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits (briefly) until `n` messages arrived: sending happens in the background.
    async fn until(&self, n: usize) -> Vec<Value> {
        self.within(n, 500).await
    }

    /// Like `until`, looking `tries` times 20 ms apart.
    async fn within(&self, n: usize, tries: u32) -> Vec<Value> {
        for _ in 0..tries {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.messages()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Skips on a developer's machine without aiosmtpd; under `CI=true` its absence fails.
fn python_or_skip() -> Option<PathBuf> {
    let found = python();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no Python with aiosmtpd: .ci/run installs it"
        );
        eprintln!("skipped: no Python with aiosmtpd (pip install aiosmtpd)");
    }
    found
}

/// A running SMTP server and a service sending to it, configured further by `configure`;
/// the folder holds the server's messages while the test runs.
async fn mailing(
    python: &PathBuf,
    configure: impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment,
) -> (
    Sink,
    TestApp,
    std::sync::Arc<bookbridge::app::ManualClock>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let sink = Sink::start(python, port, dir.path().join("mail.jsonl"));
    let (app, clock) = spawn_app_with_clock(|f| {
        configure(f.merge(("smtp_url", format!("smtp://127.0.0.1:{port}"))))
    })
    .await;
    (sink, app, clock, dir)
}

async fn chinese_donor(app: &TestApp) -> User {
    let (status, body) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "donor", "name": "王芳", "email": "wangfang@example.org",
                   "password": "books for all", "language": "zh"}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    let (_, session) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "wangfang@example.org", "password": "books for all"}),
        )
        .await;
    User {
        id: body["id"].as_i64().unwrap(),
        token: session["token"].as_str().unwrap().to_owned(),
    }
}

fn to(messages: &[Value], address: &str) -> Vec<Value> {
    messages
        .iter()
        .filter(|m| m["to"][0] == address)
        .cloned()
        .collect()
}

#[rocket::async_test]
async fn the_whole_loop_sends_each_person_their_emails_in_their_language() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let (sink, app, _clock, _dir) = mailing(&python, |f| {
        f.merge(("public_url", "https://bookbridge.example.org"))
            .merge((
                "mail_from",
                "书桥 bookbridge <noreply@bookbridge.example.org>",
            ))
    })
    .await;
    let (owner, school) = app.school(30).await;
    app.add_books(&[(
        GOODNIGHT_MOON,
        "Goodnight Moon",
        "Margaret Wise Brown",
        "eng",
    )])
    .await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = chinese_donor(&app).await;
    let volunteer = app.user("volunteer").await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    for (who, status) in [(&volunteer, "shipped"), (&owner, "delivered")] {
        let (answer, body) = app
            .post(
                &format!("/api/v1/pledges/{pledge}/status"),
                Some(&who.token),
                json!({"status": status, "tracking_number": "EMS42"}),
            )
            .await;
        assert_eq!(answer, Status::Ok, "{body}");
    }
    // Made → school; shipped → school and donor; delivered → donor.
    let got = sink.until(4).await;
    assert_eq!(got.len(), 4, "{got:#?}");
    let (_, me) = app.get("/api/v1/me", Some(&owner.token)).await;
    let school_mail = to(&got, me["email"].as_str().unwrap());
    let subjects: Vec<&str> = school_mail
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "A donor pledged books to your school",
            "Books are on their way"
        ]
    );
    let donor_mail = to(&got, "wangfang@example.org");
    let subjects: Vec<&str> = donor_mail
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        ["您捐的书已经寄出", "您捐的书已经送到，学校向您致谢"]
    );
    // Worded for the one who gave: nothing to confirm on a school's page.
    let posted = donor_mail[0]["text"].as_str().unwrap();
    assert!(
        posted.contains("学校确认收到后") && !posted.contains("请在学校页面"),
        "{posted}"
    );
    let thanks = &donor_mail[1];
    assert!(
        thanks["text"]
            .as_str()
            .unwrap()
            .contains("《Goodnight Moon》"),
        "{thanks}"
    );
    assert!(thanks["text"]
        .as_str()
        .unwrap()
        .contains("https://bookbridge.example.org/notices"));
    assert!(thanks["html"]
        .as_str()
        .unwrap()
        .contains("href=\"https://bookbridge.example.org/notices\""));
    assert_eq!(thanks["from"], "noreply@bookbridge.example.org");
    // Each once: a later round sends nothing again.
    app.service()
        .happened(bookbridge::app::Happened::NoticesRecorded);
    assert_eq!(sink.within(5, 50).await.len(), 4);
}

#[rocket::async_test]
async fn a_mail_server_that_is_down_gets_the_email_when_tried_again() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (app, clock) =
        spawn_app_with_clock(|f| f.merge(("smtp_url", format!("smtp://127.0.0.1:{port}")))).await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    // Nobody listens yet: the try fails and waits a minute.
    let round = app
        .service()
        .send_notices(
            Some(
                &bookbridge::mail::SmtpSender::new(
                    &format!("smtp://127.0.0.1:{port}"),
                    "bookbridge <noreply@bookbridge.invalid>",
                )
                .unwrap(),
            ),
            "http://127.0.0.1:8000/notices",
        )
        .await
        .unwrap();
    assert!(round.failed + round.sent <= 1);
    let sink = Sink::start(&python, port, dir.path().join("mail.jsonl"));
    // Not due yet: nothing is sent before the minute is up.
    app.service()
        .happened(bookbridge::app::Happened::NoticesRecorded);
    assert_eq!(sink.within(1, 50).await.len(), 0);
    clock.advance(Duration::minutes(2));
    app.service()
        .happened(bookbridge::app::Happened::NoticesRecorded);
    let got = sink.until(1).await;
    assert_eq!(got.len(), 1, "sent on the second try");
    assert_eq!(got[0]["subject"], "A donor pledged books to your school");
}

#[rocket::async_test]
async fn a_donor_is_emailed_the_reminders_and_the_expiry() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let (sink, app, clock, _dir) =
        mailing(&python, |f| f.merge(("session_ttl_seconds", 90 * 86_400))).await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = chinese_donor(&app).await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    for days in [14, 5, 2] {
        clock.advance(Duration::days(days));
        app.service().enforce_deadlines().await.unwrap();
    }
    // To the school: pledge made, then expired; to the donor: two reminders, then expired.
    let got = sink.until(5).await;
    let donor_mail = to(&got, "wangfang@example.org");
    let subjects: Vec<&str> = donor_mail
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        [
            "请寄出您认捐的书：还剩 7 天",
            "请寄出您认捐的书：还剩 2 天",
            "一份认捐已过期"
        ],
        "{got:#?}"
    );
}

#[rocket::async_test]
async fn a_person_who_turned_email_off_gets_none_and_still_sees_the_notice() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let (sink, app, _clock, _dir) = mailing(&python, |f| f).await;
    let (owner, school) = app.school(30).await;
    let (status, me) = app
        .request(
            rocket::http::Method::Patch,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"email_notices": false, "language": "zh"}).to_string()),
        )
        .await;
    assert_eq!(status, Status::Ok, "{me}");
    assert_eq!(
        (me["email_notices"].clone(), me["language"].clone()),
        (json!(false), json!("zh"))
    );
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = chinese_donor(&app).await;
    let volunteer = app.user("volunteer").await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/pledges/{pledge}/status"),
        Some(&volunteer.token),
        json!({"status": "shipped", "tracking_number": "EMS7"}),
    )
    .await;
    let got = sink.until(1).await;
    // Only the donor's "shipped"; the school's two notices were kept on its page.
    assert_eq!(sink.within(2, 50).await.len(), 1, "{got:#?}");
    assert_eq!(got[0]["to"][0], "wangfang@example.org");
    let told = app
        .service()
        .store()
        .notices_for(bookbridge::domain::ids::AccountId(owner.id), 10)
        .await
        .unwrap();
    assert_eq!(told.len(), 2, "made and shipped, on the school's page");
    let (status, _) = app
        .request(
            rocket::http::Method::Patch,
            "/api/v1/me",
            Some(&owner.token),
            Some(json!({"language": "fr"}).to_string()),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
}
