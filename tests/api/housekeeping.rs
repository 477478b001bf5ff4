//! Housekeeping with two servers on one database: the change log is pruned only below what
//! both indexes have applied, so a server that was away catches up from where it stopped.

use crate::helpers::{TestApp, TestEnv, GOODNIGHT_MOON, GRUFFALO};

async fn applied(app: &TestApp, name: &str) -> Option<i64> {
    app.service().store().index_applied(name).await.unwrap()
}

/// Waits until `app`'s index has applied everything and recorded it under `name`; answers
/// what it recorded. (The servers' own housekeeping may prune the log meanwhile, so the
/// head read first is a floor, not the exact value.)
async fn settled(app: &TestApp, name: &str) -> i64 {
    app.settle_index().await;
    let head = app.service().store().outbox_head().await.unwrap();
    for _ in 0..500 {
        if let Some(seq) = applied(app, name).await.filter(|seq| *seq >= head) {
            return seq;
        }
        app.service()
            .happened(bookbridge::app::Happened::CatalogueChanged);
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!(
        "{name} never recorded {head} (has {:?})",
        applied(app, name).await
    );
}

#[rocket::async_test]
async fn two_servers_prune_the_change_log_only_below_what_both_applied() {
    let env = TestEnv::new().await;
    let second_index = env.dir.path().join("index-b").display().to_string();
    let start_b = || {
        let dir = second_index.clone();
        env.start_with(move |f| f.merge(("index_dir", dir)).merge(("index_instance", "b")))
    };
    let a = env.start_with(|f| f.merge(("index_instance", "a"))).await;
    let b = start_b().await;
    let (owner, school) = a.school(30).await;
    a.wish(&owner, school, GOODNIGHT_MOON, 2).await;
    let first = settled(&a, "a").await;
    assert!(settled(&b, "b").await >= first);

    // b goes away; a carries on.
    drop(b);
    a.wish(&owner, school, GRUFFALO, 4).await;
    let second = settled(&a, "a").await;
    assert!(second > first);
    // (The servers' own hourly housekeeping also runs once at start: either may prune.)
    a.service().housekeep().await.unwrap();
    let store = a.service().store();
    let left = store.outbox_after(0, 1_000).await.unwrap();
    assert!(
        !left.is_empty(),
        "b has not applied the new rows: they stay"
    );
    assert!(
        left.iter().all(|c| c.seq > first),
        "rows both had applied are gone, nothing b needs was pruned: {left:?}"
    );
    assert_eq!(left.last().map(|c| c.seq), Some(second));

    // b comes back, catches up from where it stopped, and finds the new need.
    let b = start_b().await;
    assert!(settled(&b, "b").await >= second);
    let (_, found) = b
        .get(&format!("/api/v1/search?q={GRUFFALO}&needed=true"), None)
        .await;
    assert_eq!(found["hits"][0]["outstanding"], 4, "{found}");
    a.service().housekeep().await.unwrap();
    assert!(a
        .service()
        .store()
        .outbox_after(0, 10)
        .await
        .unwrap()
        .is_empty());

    // Health reports the lag and the notices waiting.
    let (_, health) = a.get("/api/v1/health", None).await;
    assert_eq!(health["index_lag"]["rows"], 0);
    assert!(
        health["notifications_pending"].as_u64().is_some(),
        "{health}"
    );
}

#[rocket::async_test]
async fn handled_notices_are_pruned_after_the_days_they_are_kept() {
    let (app, clock) =
        crate::helpers::spawn_app_with_clock(|f| f.merge(("notification_keep_days", 30))).await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, GOODNIGHT_MOON, 1).await;
    // No mail server: the notice is kept on the page (handled), not sent.
    let service = app.service();
    service
        .send_notices::<bookbridge::mail::SmtpSender>(None, "http://127.0.0.1:8000/notices")
        .await
        .unwrap();
    let owner_id = bookbridge::domain::ids::AccountId(owner.id);
    assert_eq!(
        service
            .store()
            .notices_for(owner_id, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    clock.advance(chrono::Duration::days(29));
    assert_eq!(service.housekeep().await.unwrap().notices, 0);
    clock.advance(chrono::Duration::days(2));
    assert_eq!(service.housekeep().await.unwrap().notices, 1);
    assert!(service
        .store()
        .notices_for(owner_id, 10)
        .await
        .unwrap()
        .is_empty());
}
