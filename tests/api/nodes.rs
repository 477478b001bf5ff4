//! Several servers on one database: each photo served by every one of them, photos an older
//! version kept on a node's disk moved into the database, and servers starting together on
//! an empty Postgres database all coming up with the demo data loaded once.

use rocket::http::{ContentType, Status};
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;

use crate::helpers::{TestApp, TestEnv, User, GOODNIGHT_MOON};

/// Another server on `env`'s database, with an index folder of its own.
async fn another_node(env: &TestEnv, name: &str) -> TestApp {
    let index = env.dir.path().join(format!("index-{name}"));
    env.start_with(|f| {
        f.merge(("index_dir", index.display().to_string()))
            .merge(("index_instance", name.to_owned()))
    })
    .await
}

fn small_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_pixel(64, 48, image::Rgb([30, 160, 90]));
    let mut out = Vec::new();
    picture
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut out))
        .unwrap();
    out
}

async fn open_wish(app: &TestApp) -> (User, i64) {
    let (owner, school) = app.school(40).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
            json!({"child_name": "小明", "grade": 3, "isbn": GOODNIGHT_MOON,
                   "sentence": "我想听月亮的故事", "guardian_consent": true}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    (owner, body["id"].as_i64().unwrap())
}

#[rocket::async_test]
async fn a_photo_uploaded_through_one_server_is_served_by_another() {
    let env = TestEnv::new().await;
    let a = env.start().await;
    let b = another_node(&env, "b").await;
    let (owner, wish) = open_wish(&a).await;
    let path = format!("/api/v1/wishes/{wish}/photo");
    assert_eq!(a.put_photo(&owner, &path, small_jpeg()).await.0, Status::Ok);
    let (status, from_a) = a.get_bytes(&path, Some(&owner)).await;
    assert_eq!(status, Status::Ok);
    let (status, from_b) = b.get_bytes(&path, Some(&owner)).await;
    assert_eq!(status, Status::Ok, "the other server has it too");
    assert_eq!(from_a, from_b);
    assert!(image::load_from_memory(&from_b).is_ok());
    // Replaced: the old one is gone from the database, not left behind.
    assert_eq!(b.put_photo(&owner, &path, small_jpeg()).await.0, Status::Ok);
    assert_eq!(b.photos_kept().await, 1);
}

#[rocket::async_test]
async fn photos_an_older_version_kept_on_disk_are_moved_into_the_database() {
    let env = TestEnv::new().await;
    let (owner, wish, name) = {
        let app = env.start().await;
        let (owner, wish) = open_wish(&app).await;
        (owner, wish, "0123456789abcdef0123456789abcdef.jpg")
    };
    // As an older version left it: the wish names a file in `photo_dir`, the database
    // has no bytes for it.
    let folder = env.dir.path().join("photos");
    std::fs::create_dir_all(&folder).unwrap();
    let bytes = small_jpeg();
    std::fs::write(folder.join(name), &bytes).unwrap();
    std::fs::write(
        folder.join("ffffffffffffffffffffffffffffffff.jpg"),
        b"unnamed",
    )
    .unwrap();
    let db = Database::connect(env.database_url.as_str()).await.unwrap();
    db.execute_unprepared(&format!(
        "UPDATE child_wishes SET photo = '{name}' WHERE id = {wish}"
    ))
    .await
    .unwrap();
    db.close().await.unwrap();

    let app = env.start().await;
    let (status, served) = app
        .get_bytes(&format!("/api/v1/wishes/{wish}/photo"), Some(&owner))
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(served, bytes, "moved in as it was");
    assert_eq!(
        app.photos_kept().await,
        1,
        "a file no wish names is not taken in"
    );
    assert!(!folder.join(name).exists(), "the file taken in is gone");
    assert!(
        folder.join("ffffffffffffffffffffffffffffffff.jpg").exists(),
        "a file no wish names is left alone"
    );
}

#[rocket::async_test]
async fn three_servers_starting_at_once_on_an_empty_database_all_come_up() {
    let env = TestEnv::new().await;
    if env.database_url.starts_with("sqlite") {
        // SQLite is one file with one writer; the start-up lock is Postgres's (CI runs this
        // suite on Postgres too).
        eprintln!("skipped: the start-up lock is for Postgres (TEST_DATABASE_URL)");
        return;
    }
    let start = |name: &'static str| {
        let index = env.dir.path().join(format!("index-{name}"));
        let url = env.database_url.clone();
        async move {
            let figment = bookbridge::config::figment()
                .merge(("database_url", url))
                .merge(("index_dir", index.display().to_string()))
                .merge(("index_instance", name))
                .merge(("seed_demo", true))
                .merge(("metadata_enabled", false))
                .merge(("log_level", "off"));
            rocket::local::asynchronous::Client::untracked(bookbridge::rocket_from(figment))
                .await
                .map_err(|e| format!("{name}: {e}"))
        }
    };
    let (a, b, c) = tokio::join!(start("a"), start("b"), start("c"));
    let nodes = [a.unwrap(), b.unwrap(), c.unwrap()];
    for node in &nodes {
        let health = node.get("/api/v1/health").dispatch().await;
        assert_eq!(health.status(), Status::Ok);
    }
    // The demo data went in once: one demo donor, and one set of demo schools.
    let db = Database::connect(env.database_url.as_str()).await.unwrap();
    let count = |sql: &'static str| {
        let db = &db;
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM accounts WHERE email = 'donor@demo.bookbridge.org'").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM schools").await,
        5,
        "five demo schools"
    );
}

#[rocket::async_test]
async fn a_backup_taken_during_a_pledge_rush_restores_to_the_same_counts() {
    let env = TestEnv::new().await;
    if !env.database_url.starts_with("sqlite") {
        eprintln!("skipped: `bookbridge backup` copies SQLite; Postgres uses pg_dump");
        return;
    }
    let app = env.start().await;
    let (owner, wish) = open_wish(&app).await;
    let photo = format!("/api/v1/wishes/{wish}/photo");
    assert_eq!(
        app.put_photo(&owner, &photo, small_jpeg()).await.0,
        Status::Ok
    );
    let (school_owner, school) = app.school(30).await;
    app.wish(&school_owner, school, GOODNIGHT_MOON, 500).await;
    let mut donors = Vec::new();
    for _ in 0..4 {
        donors.push(app.user("donor").await);
    }
    // Pledges go on while the copy is made.
    let file = env.dir.path().join("backup.db");
    let rush = async {
        let mut made = 0;
        for _ in 0..10 {
            for donor in &donors {
                let (status, _) = app
                    .post(
                        "/api/v1/pledges",
                        Some(&donor.token),
                        json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school_id": school}),
                    )
                    .await;
                assert_eq!(status, Status::Created);
                made += 1;
            }
        }
        made
    };
    let (made, copied) = tokio::join!(rush, app.service().store().backup_to(&file));
    copied.unwrap();
    let in_copy = {
        let db = Database::connect(format!("sqlite://{}", file.display()).as_str())
            .await
            .unwrap();
        let n = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pledges",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        db.close().await.unwrap();
        n
    };
    assert!((0..=made).contains(&in_copy), "{in_copy} of {made}");

    // A fresh server on the copy, with a new search index built from it.
    let restored = format!("sqlite://{}?mode=rwc", file.display());
    let index = env.dir.path().join("restored-index").display().to_string();
    let fresh = env
        .start_with(|f| {
            f.merge(("database_url", restored))
                .merge(("index_dir", index))
        })
        .await;
    let (status, list) = fresh
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(status, Status::Ok);
    let pledged = list
        .as_array()
        .or_else(|| list["items"].as_array())
        .unwrap()
        .iter()
        .map(|item| item["pledged"].as_i64().unwrap())
        .sum::<i64>();
    assert_eq!(pledged, in_copy, "the same pledges: {list}");
    let (status, _) = fresh.get(&format!("/api/v1/wishes/{wish}"), None).await;
    assert_eq!(status, Status::Ok, "the same wish");
    let (status, bytes) = fresh.get_bytes(&photo, Some(&owner)).await;
    assert_eq!(status, Status::Ok, "the photo came along");
    assert!(image::load_from_memory(&bytes).is_ok());
    fresh.settle_index().await;
    let found = fresh.search(&format!("q={GOODNIGHT_MOON}")).await;
    assert_eq!(
        found["total"], 1,
        "the index was rebuilt from the copy: {found}"
    );
}

#[rocket::async_test]
async fn two_servers_allow_one_address_what_one_server_allows() {
    let env = TestEnv::new().await;
    let a = env.start().await;
    let b = another_node(&env, "b").await;
    for n in 0..32 {
        let node = if n % 2 == 0 { &a } else { &b };
        let status = node
            .client
            .post("/api/v1/sessions")
            .remote("198.51.100.40:5000".parse().unwrap())
            .header(ContentType::JSON)
            .body(
                json!({"email": format!("nobody{n}@example.org"), "password": "wrong guess"})
                    .to_string(),
            )
            .dispatch()
            .await
            .status();
        // The address's 30 a minute are counted across both servers.
        let expected = if n < 30 {
            Status::Unauthorized
        } else {
            Status::TooManyRequests
        };
        assert_eq!(status, expected, "failure {n}");
    }
}

#[rocket::async_test]
async fn two_servers_claiming_notices_at_once_never_take_the_same_one() {
    use bookbridge::domain::accounts::Registration;
    use bookbridge::domain::role::Role;
    use bookbridge::domain::vetting::Vetting;
    let env = TestEnv::new().await;
    // Two services on one database without their background jobs (as `bookbridge seed`
    // opens one), so only this test's rounds take notices.
    let config = bookbridge::config::Config {
        database_url: env.database_url.clone(),
        seed_demo: false,
        photo_dir: env.dir.path().join("photos").display().to_string(),
        ..Default::default()
    };
    let a = bookbridge::open_service_offline(&config).await.unwrap();
    let b = bookbridge::open_service_offline(&config).await.unwrap();
    a.register(
        Registration::with_role(Role::Admin, "Admin", "admin@example.org", "long password")
            .unwrap(),
    )
    .await
    .unwrap();
    let session = a
        .login("admin@example.org", "long password", None)
        .await
        .unwrap();
    let admin = a.authenticate(&session.token).await.unwrap();
    // Forty approvals: forty notices waiting to be sent.
    for n in 0..40 {
        let volunteer = a
            .register(
                Registration::with_role(
                    Role::Volunteer,
                    "V",
                    &format!("v{n}@example.org"),
                    "long password",
                )
                .unwrap(),
            )
            .await
            .unwrap();
        a.decide(&admin, volunteer.id, Vetting::Approve, None)
            .await
            .unwrap();
    }
    let take_all = |service: &bookbridge::app::Bookbridge| {
        let store = service.store().clone();
        let now = service.now();
        async move {
            let mut taken = Vec::new();
            loop {
                let round = store.notices_to_send(now, 3).await.unwrap();
                if round.is_empty() {
                    return taken;
                }
                taken.extend(round.into_iter().map(|n| n.notice.id));
                tokio::task::yield_now().await;
            }
        }
    };
    let (from_a, from_b) = tokio::join!(take_all(&a), take_all(&b));
    let mut all: Vec<i64> = from_a.iter().chain(&from_b).copied().collect();
    all.sort_unstable();
    let count = all.len();
    all.dedup();
    assert_eq!(
        all.len(),
        count,
        "a notice claimed twice: {from_a:?} {from_b:?}"
    );
    assert_eq!(count, 40, "every notice claimed once");
}

/// Each server keeps who a token belongs to for `signed_in_seconds` (5): a sign-out or a
/// suspension takes effect at once on the server that made it and, on another server that
/// had the token in hand, once that time has passed (moved on a clock, never slept).
#[rocket::async_test]
async fn a_sign_out_or_suspension_reaches_the_other_server_within_its_stated_lifetime() {
    use bookbridge::app::ManualClock;
    use std::sync::Arc;

    let env = TestEnv::new().await;
    let clock = Arc::new(ManualClock::starting_now());
    let a = env.start_with_clock(clock.clone(), |f| f).await;
    let index = env.dir.path().join("index-b");
    let b = env
        .start_with_clock(clock.clone(), |f| {
            f.merge(("index_dir", index.display().to_string()))
                .merge(("index_instance", "b"))
        })
        .await;
    let admin = a.user("admin").await;
    let leaving = a.user("donor").await;
    let suspended = a.user("donor").await;
    for user in [&leaving, &suspended] {
        assert_eq!(
            b.get("/api/v1/pledges", Some(&user.token)).await.0,
            Status::Ok
        );
        assert_eq!(
            a.get("/api/v1/pledges", Some(&user.token)).await.0,
            Status::Ok
        );
    }

    // Signed out through A: A refuses the token at once.
    assert_eq!(
        a.delete("/api/v1/sessions/current", Some(&leaving.token))
            .await
            .0,
        Status::NoContent
    );
    // Suspended through A: A refuses at once.
    let (status, body) = a
        .post(
            &format!("/api/v1/accounts/{}/suspend", suspended.id),
            Some(&admin.token),
            json!({"note": "checking"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    for user in [&leaving, &suspended] {
        assert_eq!(
            a.get("/api/v1/pledges", Some(&user.token)).await.0,
            Status::Unauthorized
        );
    }
    // B read both a moment ago and still has them in hand, for less than five seconds.
    clock.advance(chrono::Duration::seconds(4));
    for user in [&leaving, &suspended] {
        assert_eq!(
            b.get("/api/v1/pledges", Some(&user.token)).await.0,
            Status::Ok
        );
    }
    clock.advance(chrono::Duration::seconds(1));
    for user in [&leaving, &suspended] {
        assert_eq!(
            b.get("/api/v1/pledges", Some(&user.token)).await.0,
            Status::Unauthorized
        );
    }
    // A token B never saw is read at once.
    let (status, _) = b.get("/api/v1/pledges", Some("not-a-token")).await;
    assert_eq!(status, Status::Unauthorized);

    // A volunteer waiting for approval is read at every request, so an approval made through
    // A lets them work through B at once (no waiting out the lifetime).
    let waiting = a.newcomer("volunteer", "waiting@example.org").await;
    assert_eq!(
        b.get("/api/v1/pledges", Some(&waiting.token)).await.0,
        Status::Forbidden
    );
    let (status, body) = a
        .post(
            &format!("/api/v1/accounts/{}/approve", waiting.id),
            Some(&admin.token),
            json!({"note": "met them"}),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(
        b.get("/api/v1/pledges", Some(&waiting.token)).await.0,
        Status::Ok
    );
}

/// With `signed_in_seconds = 0` every request reads the session: another server's sign-out
/// is seen at the next request.
#[rocket::async_test]
async fn with_no_lifetime_every_request_reads_the_session() {
    let env = TestEnv::new().await;
    let a = env.start_with(|f| f.merge(("signed_in_seconds", 0))).await;
    let b = env
        .start_with(|f| {
            f.merge(("signed_in_seconds", 0))
                .merge((
                    "index_dir",
                    env.dir.path().join("index-b").display().to_string(),
                ))
                .merge(("index_instance", "b"))
        })
        .await;
    let donor = a.user("donor").await;
    assert_eq!(
        b.get("/api/v1/pledges", Some(&donor.token)).await.0,
        Status::Ok
    );
    assert_eq!(
        a.delete("/api/v1/sessions/current", Some(&donor.token))
            .await
            .0,
        Status::NoContent
    );
    assert_eq!(
        b.get("/api/v1/pledges", Some(&donor.token)).await.0,
        Status::Unauthorized
    );
}
