//! Donors racing for the last copies: the database decides, and never lets both win.

use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, GOODNIGHT_MOON, GRUFFALO};

async fn fire(
    app: &crate::helpers::TestApp,
    tokens: Vec<String>,
    bodies: Vec<serde_json::Value>,
) -> Vec<Status> {
    let mut tasks = tokio::task::JoinSet::new();
    for (token, body) in tokens.into_iter().zip(bodies) {
        let client = app.client.clone();
        tasks.spawn(async move {
            client
                .post("/api/v1/pledges")
                .header(ContentType::JSON)
                .header(Header::new("Authorization", format!("Bearer {token}")))
                .body(body.to_string())
                .dispatch()
                .await
                .status()
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("task"));
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_racing_pledges_commit_exactly_the_five_copies_needed() {
    let app = spawn_app().await;
    let (owner, school) = app.school(50).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 5).await;
    let mut donors = Vec::new();
    for _ in 0..10 {
        donors.push(app.user("donor").await.token);
    }
    let tokens: Vec<String> = (0..50).map(|i| donors[i % donors.len()].clone()).collect();
    let bodies = (0..50)
        .map(|_| json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school_id": school}))
        .collect();

    let statuses = fire(&app, tokens, bodies).await;

    let won = statuses.iter().filter(|s| **s == Status::Created).count();
    let refused = statuses.iter().filter(|s| **s == Status::Conflict).count();
    assert_eq!((won, refused), (5, 45), "{statuses:?}");
    let listed = app.item(school, item).await;
    assert_eq!(listed["committed"], 5);
    assert_eq!(listed["pledged"], 5);
    assert_eq!(listed["outstanding"], 0);
    app.assert_no_drift().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_split_pledges_never_over_commit_any_school() {
    let app = spawn_app().await;
    let (a_owner, a) = app.school(30).await;
    let (b_owner, b) = app.school(60).await;
    let item_a = app.wish(&a_owner, a, GOODNIGHT_MOON, 5).await;
    let item_b = app.wish(&b_owner, b, GOODNIGHT_MOON, 4).await;
    let donor = app.user("donor").await.token;
    // 30 pledges of 2 copies with no school named: 9 copies exist, so at most 4 succeed.
    let statuses = fire(
        &app,
        vec![donor.clone(); 30],
        (0..30)
            .map(|_| json!({"isbn": GOODNIGHT_MOON, "quantity": 2}))
            .collect(),
    )
    .await;
    let won = statuses.iter().filter(|s| **s == Status::Created).count();
    assert!(
        statuses
            .iter()
            .all(|s| *s == Status::Created || *s == Status::Conflict),
        "{statuses:?}"
    );
    assert_eq!(won, 4, "{statuses:?}");
    let (ca, cb) = (app.item(a, item_a).await, app.item(b, item_b).await);
    assert_eq!(
        ca["committed"].as_i64().unwrap() + cb["committed"].as_i64().unwrap(),
        8
    );
    assert!(ca["committed"].as_i64().unwrap() <= 5 && cb["committed"].as_i64().unwrap() <= 4);
    let (_, mine) = app.get("/api/v1/pledges?limit=500", Some(&donor)).await;
    let copies: i64 = mine["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["quantity"].as_i64().unwrap())
        .sum();
    assert_eq!(copies, 8, "no half-written pledge");
    // Cancel two: the schools' committed copies (which matching weighs) follow.
    for pledge in mine["pledges"].as_array().unwrap().iter().take(2) {
        let id = pledge["id"].as_i64().unwrap();
        let (status, _) = app
            .post(
                &format!("/api/v1/pledges/{id}/cancel"),
                Some(&donor),
                json!({}),
            )
            .await;
        assert_eq!(status, Status::Ok);
    }
    app.assert_no_drift().await;
}

/// A rush of pledges naming no school goes through one writer in batches. The split must be
/// the one-by-one split (each pledge planned against what the ones before it took), and
/// every pledge must be whole: its first event and its school's notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rush_written_together_splits_as_one_by_one_and_leaves_every_pledge_whole() {
    use bookbridge::domain::ids::{AccountId, PledgeId, SchoolId, WishlistItemId};
    use bookbridge::domain::matching::{allocate, Candidate};
    use bookbridge::domain::notices::NoticeKind;
    use bookbridge::domain::quantity::Quantity;

    let app = spawn_app().await;
    let mut schools = Vec::new();
    for students in [20, 50, 90] {
        let (owner, school) = app.school(students).await;
        let moon = app.wish(&owner, school, GOODNIGHT_MOON, 20).await;
        let gruffalo = app.wish(&owner, school, GRUFFALO, 3).await;
        schools.push((owner, school, students, moon, gruffalo));
    }
    let mut donors = Vec::new();
    for _ in 0..8 {
        donors.push(app.user("donor").await.token);
    }
    let tokens = |n: usize| (0..n).map(|i| donors[i % donors.len()].clone()).collect();
    // 30 one-copy Goodnight Moons at once, where 60 are needed: all are written.
    let statuses = fire(
        &app,
        tokens(30),
        (0..30)
            .map(|_| json!({"isbn": GOODNIGHT_MOON, "quantity": 1}))
            .collect(),
    )
    .await;
    assert!(
        statuses.iter().all(|s| *s == Status::Created),
        "{statuses:?}"
    );
    // Then 12 Gruffalos where 9 are needed.
    let statuses = fire(
        &app,
        tokens(12),
        (0..12)
            .map(|_| json!({"isbn": GRUFFALO, "quantity": 1}))
            .collect(),
    )
    .await;
    let won = statuses.iter().filter(|s| **s == Status::Created).count();
    let refused = statuses.iter().filter(|s| **s == Status::Conflict).count();
    assert_eq!((won, refused), (9, 3), "{statuses:?}");

    // One copy at a time to the least helped school is what allocate does for 30 copies at
    // once, so that is the split 30 one-by-one pledges make, whatever their order; a batch
    // planned against one stale read would pile them on one school.
    let moon: Vec<Candidate> = schools
        .iter()
        .map(|(_, school, students, moon, _)| Candidate {
            item: WishlistItemId(*moon),
            school: SchoolId(*school),
            outstanding: 20,
            school_committed: 0,
            student_count: *students as u32,
        })
        .collect();
    let split = allocate(&moon, Quantity::new(30).unwrap()).unwrap();
    assert_eq!(split.len(), 3, "{split:?}");
    for (owner, school, _, moon_item, gruffalo_item) in &schools {
        let moons = split
            .iter()
            .find(|a| a.item == WishlistItemId(*moon_item))
            .map_or(0, |a| a.quantity.get());
        assert_eq!(app.item(*school, *moon_item).await["committed"], moons);
        assert_eq!(app.item(*school, *gruffalo_item).await["committed"], 3);
        // Every pledge to this school has its first event and told the school once.
        let (status, body) = app
            .get(
                &format!("/api/v1/pledges?school_id={school}&limit=500"),
                Some(&owner.token),
            )
            .await;
        assert_eq!(status, Status::Ok);
        let pledges = body["pledges"].as_array().unwrap().clone();
        assert_eq!(pledges.len() as u32, moons + 3, "one copy each");
        let notices = app
            .service()
            .store()
            .notices_for(AccountId(owner.id), 500)
            .await
            .unwrap();
        for pledge in &pledges {
            let id = pledge["id"].as_i64().unwrap();
            let (status, events) = app
                .get(&format!("/api/v1/pledges/{id}/events"), Some(&owner.token))
                .await;
            assert_eq!(status, Status::Ok);
            let events = events["events"].as_array().unwrap();
            assert_eq!(events.len(), 1, "{events:?}");
            assert_eq!(events[0]["to"], "pledged");
            assert_eq!(events[0]["from"], Value::Null);
            assert_eq!(events[0]["actor_id"], pledge["donor_id"]);
            assert_eq!(pledge["status"], "pledged");
            let told = notices
                .iter()
                .filter(|n| n.pledge_id == Some(PledgeId(id)) && n.kind == NoticeKind::PledgeMade)
                .count();
            assert_eq!(told, 1, "pledge {id}");
        }
    }
    app.assert_no_drift().await;
}

/// The batch writer's guard: a plan that gives an item more copies than it needs (as a
/// plan made from a stale read would) writes nothing at all.
#[tokio::test]
async fn a_batch_planned_past_the_need_writes_nothing() {
    use bookbridge::domain::ids::AccountId;
    use bookbridge::domain::isbn::Isbn;
    use bookbridge::domain::matching::Allocation;
    use bookbridge::domain::quantity::Quantity;
    use bookbridge::store::{BatchAsked, PlannedPledge};

    let app = spawn_app().await;
    let (owner, school) = app.school(30).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    let moon = Isbn::parse(GOODNIGHT_MOON).unwrap();
    let now = app.service().now();
    let store = app.service().store();
    let asked = BatchAsked {
        books: vec![moon],
        ..BatchAsked::default()
    };
    let written = store
        .commit_pledge_batch(&asked, (now, now), |state| {
            let candidates = state.candidates;
            assert_eq!(candidates.len(), 1, "the batch reads the open need");
            let (isbn, candidate) = &candidates[0];
            let part = |n| Allocation {
                item: candidate.item,
                school: candidate.school,
                quantity: Quantity::new(n).unwrap(),
            };
            // Two pledges of two: each fits, together they are one too many.
            (0..2)
                .map(|_| PlannedPledge {
                    donor: AccountId(donor.id),
                    isbn: isbn.clone(),
                    parts: vec![part(2)],
                    wish: None,
                })
                .collect()
        })
        .await
        .unwrap();
    assert!(written.is_none());
    assert_eq!(app.item(school, item).await["committed"], 0);
    let (_, mine) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert_eq!(mine["pledges"].as_array().unwrap().len(), 0);
    app.assert_no_drift().await;
}

/// A rush on one school's page: pledges naming it, pledges naming no school and children's
/// wishes claimed, all at once through the batch writer. The named school's item is filled and
/// never past its need, every unnamed pledge finds room, each wish has exactly one winner, and
/// every refusal is that request's own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rush_on_one_school_names_it_claims_its_wishes_and_never_over_commits() {
    rush_on_one_school(spawn_app().await).await;
}

/// The same rush one by one (group commit off): each pledge and claim its own transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_rush_one_by_one_keeps_the_same_rules() {
    rush_on_one_school(spawn_app_with(|f| f.merge(("pledge_group_commit", false))).await).await;
}

async fn rush_on_one_school(app: crate::helpers::TestApp) {
    let (owner, school) = app.school(40).await;
    let named_item = app.wish(&owner, school, GOODNIGHT_MOON, 10).await;
    let (other_owner, other_school) = app.school(10).await;
    let other_item = app
        .wish(&other_owner, other_school, GOODNIGHT_MOON, 10)
        .await;
    let mut wishes = Vec::new();
    for name in ["小明", "小红", "阿依", "小兰", "小军"] {
        let (status, body) = app
            .post(
                &format!("/api/v1/schools/{school}/wishes"),
                Some(&owner.token),
                json!({"child_name": name, "grade": 3, "isbn": GRUFFALO,
                       "sentence": "我想读这本书", "guardian_consent": true}),
            )
            .await;
        assert_eq!(status, Status::Created, "{body}");
        wishes.push(body["id"].as_i64().unwrap());
    }
    let mut donors = Vec::new();
    for _ in 0..12 {
        donors.push(app.user("donor").await.token);
    }
    // 20 pledges naming the school, 10 naming none, 25 claims (five donors per wish),
    // interleaved so every batch holds all three kinds.
    let mut requests = Vec::new();
    for i in 0..25 {
        requests.push((
            "wish",
            format!("/api/v1/wishes/{}/claim", wishes[i % wishes.len()]),
            String::new(),
        ));
        if i < 20 {
            let body = json!({"isbn": GOODNIGHT_MOON, "quantity": 1, "school_id": school});
            requests.push(("named", "/api/v1/pledges".into(), body.to_string()));
        }
        if i < 10 {
            let body = json!({"isbn": GOODNIGHT_MOON, "quantity": 1});
            requests.push(("unnamed", "/api/v1/pledges".into(), body.to_string()));
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (kind, path, body)) in requests.into_iter().enumerate() {
        let client = app.client.clone();
        let token = donors[i % donors.len()].clone();
        tasks.spawn(async move {
            let mut request = client
                .post(path)
                .header(Header::new("Authorization", format!("Bearer {token}")));
            if !body.is_empty() {
                request = request.header(ContentType::JSON).body(body);
            }
            let response = request.dispatch().await;
            let status = response.status();
            let text = response.into_string().await.unwrap_or_default();
            (
                kind,
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
            )
        });
    }
    let mut created: std::collections::HashMap<&str, Vec<Value>> = Default::default();
    while let Some(done) = tasks.join_next().await {
        let (kind, status, body) = done.unwrap();
        match status {
            Status::Created => created.entry(kind).or_default().push(body),
            Status::Conflict => {
                let code = if kind == "wish" {
                    "wish_taken"
                } else {
                    "insufficient_need"
                };
                assert_eq!(body["error"]["code"], code, "{kind}: {body}");
            }
            other => panic!("{kind}: unexpected {other}: {body}"),
        }
    }
    let made = |kind: &str| created.get(kind).map_or(0, Vec::len);
    // Each wish exactly once, each winner's pledge the wish's.
    assert_eq!(made("wish"), wishes.len(), "{created:?}");
    let mut claimed: Vec<i64> = created["wish"]
        .iter()
        .map(|b| b["pledges"][0]["child_wish_id"].as_i64().unwrap())
        .collect();
    claimed.sort_unstable();
    assert_eq!(claimed, wishes);
    for wish in &wishes {
        let (_, seen) = app.get(&format!("/api/v1/wishes/{wish}"), None).await;
        assert_eq!(seen["status"], "claimed");
    }
    // Room for every unnamed pledge (the other school alone has ten); the named school's ten
    // copies taken, by named and unnamed pledges together, and not one more.
    assert_eq!(made("unnamed"), 10);
    let to_named_school = |b: &Value| {
        b["pledges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["school_id"] == school)
            .map(|p| p["quantity"].as_i64().unwrap())
            .sum::<i64>()
    };
    // Which of the two kinds fills the named school first is a matter of arrival: unnamed
    // pledges may take all ten before any named one is read (then every named one is
    // refused, `insufficient_need`, above).
    let of_kind = |kind: &str| created.get(kind).map(Vec::as_slice).unwrap_or_default();
    let unnamed_there: i64 = of_kind("unnamed").iter().map(to_named_school).sum();
    assert!(of_kind("named").iter().all(|b| to_named_school(b) == 1));
    assert_eq!(made("named") as i64 + unnamed_there, 10);
    let named = app.item(school, named_item).await;
    assert_eq!(
        (named["committed"].as_i64(), named["pledged"].as_i64()),
        (Some(10), Some(10))
    );
    let other = app.item(other_school, other_item).await;
    assert_eq!(other["committed"].as_i64(), Some(10 - unnamed_there));
    // Every pledge whole: its first event, made by its donor.
    let (_, all) = app
        .get(
            &format!("/api/v1/pledges?school_id={school}&limit=500"),
            Some(&owner.token),
        )
        .await;
    let all = all["pledges"].as_array().unwrap();
    assert_eq!(
        all.len(),
        10 + wishes.len(),
        "ten one-copy pledges and the wishes'"
    );
    for pledge in all {
        let id = pledge["id"].as_i64().unwrap();
        let (_, events) = app
            .get(&format!("/api/v1/pledges/{id}/events"), Some(&owner.token))
            .await;
        let events = events["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["actor_id"], pledge["donor_id"]);
    }
    app.assert_no_drift().await;
}

/// Through the batch writer a named school that is missing or not yet verified, and a wish
/// that does not exist or is not yet published, are refused as one by one.
#[tokio::test]
async fn the_batch_refuses_what_one_by_one_refuses() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let unverified = app.user("school").await;
    let (status, pending) = app
        .post(
            "/api/v1/schools",
            Some(&unverified.token),
            json!({"name": "新学校", "province": "云南", "county": "沧源", "student_count": 20,
                   "address": "勐董镇", "contact_phone": "13800000000"}),
        )
        .await;
    assert_eq!(status, Status::Created, "{pending}");
    let pending = pending["id"].as_i64().unwrap();
    let (status, unconsented) = app
        .post(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
            json!({"child_name": "小明", "grade": 3, "isbn": GRUFFALO,
                   "sentence": "我想读这本书", "guardian_consent": false}),
        )
        .await;
    assert_eq!(status, Status::Created, "{unconsented}");
    let unconsented = unconsented["id"].as_i64().unwrap();
    let donor = app.user("donor").await;
    let pledge = |school: i64, quantity: i64| json!({"isbn": GOODNIGHT_MOON, "quantity": quantity, "school_id": school});
    let cases = [
        (
            "/api/v1/pledges",
            pledge(999_999, 1),
            Status::NotFound,
            "not_found",
        ),
        (
            "/api/v1/pledges",
            pledge(pending, 1),
            Status::Conflict,
            "school_not_verified",
        ),
        (
            "/api/v1/pledges",
            pledge(school, 4),
            Status::Conflict,
            "insufficient_need",
        ),
        (
            "/api/v1/wishes/999999/claim",
            Value::Null,
            Status::NotFound,
            "not_found",
        ),
        (
            &*format!("/api/v1/wishes/{unconsented}/claim"),
            Value::Null,
            Status::NotFound,
            "not_found",
        ),
    ];
    for (path, body, status, code) in cases {
        let (got, answer) = if body.is_null() {
            app.request(rocket::http::Method::Post, path, Some(&donor.token), None)
                .await
        } else {
            app.post(path, Some(&donor.token), body).await
        };
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{path}: {answer}"
        );
    }
    assert_eq!(app.item_outstanding(school, GOODNIGHT_MOON).await, 3);
    let (_, mine) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert!(mine["pledges"].as_array().unwrap().is_empty());
    app.assert_no_drift().await;
}
