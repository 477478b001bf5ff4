//! `kill -9` of the server process in a rush on one school's page: donors pledging to the
//! school by name and claiming its children's wishes, all through the batch writer. Whatever
//! a donor was told was pledged is stored, nothing is pledged past the need, and each wish has
//! exactly one winner, on SQLite and on Postgres; the server starts again on the same database.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rocket::http::Status;
use serde_json::{json, Value};

use crate::helpers::{TestEnv, GOODNIGHT_MOON, GRUFFALO};

/// The bookbridge binary on the test's database, as a process of its own.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(env: &TestEnv, client: &reqwest::Client) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = env.dir.path();
        let child = Command::new(env!("CARGO_BIN_EXE_bookbridge"))
            .arg("serve")
            .env("ROCKET_DATABASE_URL", &env.database_url)
            // Its own index folder: the index is rebuilt from the database's change log.
            .env("ROCKET_INDEX_DIR", dir.join("process-index"))
            .env("ROCKET_PHOTO_DIR", dir.join("photos"))
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_LOG_LEVEL", "critical")
            .env("ROCKET_SEED_DEMO", "false")
            .env("ROCKET_METADATA_ENABLED", "false")
            .env("ROCKET_OPENLIBRARY_URL", "http://127.0.0.1:9")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary runs");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let health = client
                .get(format!("{}/api/v1/health", server.base))
                .send()
                .await;
            if health.is_ok_and(|h| h.status().is_success()) {
                return server;
            }
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// What the donors were told.
#[derive(Default)]
struct Told {
    /// Pledge ids answered 201.
    pledges: Vec<i64>,
    /// Wishes answered 201, with the pledge's id.
    claims: Vec<(i64, i64)>,
    /// Answers other than 201 that the server gave (refusals), by status.
    refusals: Vec<u16>,
}

/// Donors rush the school until `acknowledged` pledges are told, then the server is killed
/// with SIGKILL while they are still sending.
async fn rush_and_kill(
    server: Server,
    tokens: &[String],
    school: i64,
    wishes: &[i64],
    acknowledged: usize,
    told: &Arc<Mutex<Told>>,
) {
    let client = reqwest::Client::new();
    let start = told.lock().unwrap().pledges.len();
    let mut tasks = tokio::task::JoinSet::new();
    for (k, token) in tokens.iter().enumerate() {
        let (client, token, base) = (client.clone(), token.clone(), server.base.clone());
        let (told, wishes) = (told.clone(), wishes.to_vec());
        tasks.spawn(async move {
            for round in 0.. {
                let claim = (k + round) % 2 == 0;
                let request = if claim {
                    let wish = wishes[(k * 7 + round) % wishes.len()];
                    client.post(format!("{base}/api/v1/wishes/{wish}/claim"))
                } else {
                    let body = json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school_id": school});
                    client
                        .post(format!("{base}/api/v1/pledges"))
                        .header("Content-Type", "application/json")
                        .body(body.to_string())
                };
                let Ok(answer) = request.bearer_auth(&token).send().await else {
                    return; // the server is gone
                };
                let status = answer.status().as_u16();
                let Ok(text) = answer.text().await else {
                    return;
                };
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let mut told = told.lock().unwrap();
                if status == 201 {
                    let pledge = body["pledges"][0]["id"].as_i64().expect("a pledge id");
                    told.pledges.push(pledge);
                    if claim {
                        told.claims.push((
                            body["pledges"][0]["child_wish_id"].as_i64().unwrap(),
                            pledge,
                        ));
                    }
                } else {
                    assert!(status < 500, "{status}: {text}");
                    told.refusals.push(status);
                }
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while told.lock().unwrap().pledges.len() < start + acknowledged {
        assert!(Instant::now() < deadline, "the rush made too few pledges");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    drop(server); // SIGKILL: no shutdown, no flush
    while let Some(done) = tasks.join_next().await {
        done.expect("a donor's task");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_in_a_rush_of_named_pledges_and_claims_keeps_every_acknowledged_one() {
    const COPIES: i64 = 400;
    const NAMES: [&str; 5] = ["小明", "小红", "阿依", "小兰", "小军"];
    let env = TestEnv::new().await;
    let (owner, school, item, wishes, tokens) = {
        let app = env.start().await;
        let (owner, school) = app.school(60).await;
        let item = app.wish(&owner, school, GOODNIGHT_MOON, COPIES).await;
        let mut wishes = Vec::new();
        for k in 0..40 {
            let (status, body) = app
                .post(
                    &format!("/api/v1/schools/{school}/wishes"),
                    Some(&owner.token),
                    json!({"child_name": NAMES[k % NAMES.len()], "grade": 2, "isbn": GRUFFALO,
                           "sentence": "我想读这本书", "guardian_consent": true}),
                )
                .await;
            assert_eq!(status, Status::Created, "{body}");
            wishes.push(body["id"].as_i64().unwrap());
        }
        let mut tokens = Vec::new();
        for _ in 0..24 {
            tokens.push(app.user("donor").await.token);
        }
        (owner, school, item, wishes, tokens)
    };

    // Killed twice: early in the rush, and again after the restart.
    let client = reqwest::Client::new();
    let told = Arc::new(Mutex::new(Told::default()));
    for acknowledged in [30, 60] {
        let server = Server::start(&env, &client).await;
        rush_and_kill(server, &tokens, school, &wishes, acknowledged, &told).await;
    }
    // The server starts again on what the kills left and answers.
    let server = Server::start(&env, &client).await;
    drop(server);

    let app = env.start().await;
    let told = std::mem::take(&mut *told.lock().unwrap());
    assert!(
        told.pledges.len() >= 90,
        "{} acknowledged",
        told.pledges.len()
    );
    let (status, stored) = app
        .get(
            &format!("/api/v1/pledges?school_id={school}&limit=500"),
            Some(&owner.token),
        )
        .await;
    assert_eq!(status, Status::Ok);
    let stored = stored["pledges"].as_array().unwrap();
    assert!(stored.len() < 500, "one page holds them all");
    let ids: std::collections::HashSet<i64> =
        stored.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    let lost: Vec<&i64> = told.pledges.iter().filter(|id| !ids.contains(id)).collect();
    assert!(lost.is_empty(), "acknowledged and lost: {lost:?}");
    // Never past the need: the item's count is its pledges' copies.
    let listed = app.item(school, item).await;
    let copies = stored
        .iter()
        .filter(|p| p["wishlist_item_id"] == item)
        .count() as i64;
    assert_eq!(listed["committed"].as_i64(), Some(copies));
    assert!(copies <= COPIES);
    // Each wish claimed at most once, and a claimed wish has exactly its one pledge.
    for wish in &wishes {
        let answering: Vec<&Value> = stored
            .iter()
            .filter(|p| p["child_wish_id"].as_i64() == Some(*wish))
            .collect();
        let (_, seen) = app.get(&format!("/api/v1/wishes/{wish}"), None).await;
        match seen["status"].as_str() {
            Some("claimed") => assert_eq!(answering.len(), 1, "wish {wish}: {answering:?}"),
            Some("open") => assert!(answering.is_empty(), "wish {wish}: {answering:?}"),
            other => panic!("wish {wish} is {other:?}"),
        }
    }
    for (wish, pledge) in &told.claims {
        assert!(
            stored
                .iter()
                .any(|p| p["id"] == *pledge && p["child_wish_id"] == *wish),
            "the claim of wish {wish} was told and is not stored"
        );
    }
    assert!(
        told.refusals.iter().all(|s| *s == 409),
        "{:?}",
        told.refusals
    );
    app.assert_no_drift().await;
}
