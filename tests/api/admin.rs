//! The admin console: its figures match the database counted by hand, and failed notices
//! can be sent again.

use rocket::http::Status;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use crate::helpers::{TestEnv, GOODNIGHT_MOON, GRUFFALO};
use crate::web::{Browser, CSRF};

async fn sql_sum(url: &str, sql: &str) -> i64 {
    let db = Database::connect(url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let total: Option<i64> = row.try_get("", "n").unwrap();
    db.close().await.ok();
    total.unwrap_or(0)
}

#[rocket::async_test]
async fn the_dashboard_figures_match_a_count_in_sql() {
    let env = TestEnv::new().await;
    let app = env.start().await;
    let (a_owner, a) = app.school(30).await;
    let b_owner = app.user("school").await;
    let (_, b) = app
        .post(
            "/api/v1/schools",
            Some(&b_owner.token),
            json!({"name": "Baiyun", "province": "甘肃", "county": "Linxia", "address": "9 Hill Road",
                   "contact_phone": "0930-555-0100", "student_count": 50}),
        )
        .await;
    let b = b["id"].as_i64().unwrap();
    app.service()
        .verify_school_unchecked(bookbridge::domain::ids::SchoolId(b), "6200000001")
        .await
        .unwrap();
    app.wish(&a_owner, a, GOODNIGHT_MOON, 5).await;
    app.wish(&b_owner, b, GRUFFALO, 3).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let first = app.pledge(&donor, a, GOODNIGHT_MOON, 2).await["id"]
        .as_i64()
        .unwrap();
    app.pledge(&donor, b, GRUFFALO, 1).await;
    for (who, to) in [(&volunteer, "shipped"), (&a_owner, "delivered")] {
        let (status, _) = app
            .post(
                &format!("/api/v1/pledges/{first}/status"),
                Some(&who.token),
                json!({"status": to, "tracking_number": "EMS9"}),
            )
            .await;
        assert_eq!(status, Status::Ok);
    }
    let admin = app.user("admin").await;
    let (status, _) = app.get("/api/v1/admin/figures", Some(&donor.token)).await;
    assert_eq!(status, Status::Forbidden);
    let (status, figures) = app.get("/api/v1/admin/figures", Some(&admin.token)).await;
    assert_eq!(status, Status::Ok, "{figures}");

    let url = &env.database_url;
    let requested = sql_sum(
        url,
        "SELECT CAST(SUM(requested) AS BIGINT) AS n FROM wishlist_items",
    )
    .await;
    let pledged = sql_sum(
        url,
        "SELECT CAST(SUM(quantity) AS BIGINT) AS n FROM pledges",
    )
    .await;
    let moved = |to: &str| {
        format!(
            "SELECT CAST(SUM(p.quantity) AS BIGINT) AS n FROM pledge_events e \
             JOIN pledges p ON p.id = e.pledge_id WHERE e.to_status = '{to}'"
        )
    };
    let shipped = sql_sum(url, &moved("shipped")).await;
    let delivered = sql_sum(url, &moved("delivered")).await;
    let gansu = sql_sum(
        url,
        "SELECT CAST(SUM(p.quantity) AS BIGINT) AS n FROM pledges p \
         JOIN schools s ON s.id = p.school_id WHERE s.province = 'Gansu'",
    )
    .await;
    assert_eq!(
        (requested, pledged, shipped, delivered),
        (8, 3, 2, 2),
        "the story above"
    );
    assert_eq!(figures["total"]["requested"], requested);
    assert_eq!(figures["total"]["pledged"], pledged);
    assert_eq!(figures["total"]["shipped"], shipped);
    assert_eq!(figures["total"]["delivered"], delivered);
    assert_eq!(figures["by_province"]["Gansu"]["pledged"], gansu);
    let months = figures["by_month"].as_object().unwrap();
    let summed: i64 = months
        .values()
        .map(|c| c["pledged"].as_i64().unwrap())
        .sum();
    assert_eq!(summed, pledged);

    // The page draws them, and the spreadsheet has a row per month and province.
    let console = Browser::of(&app, Some(&admin));
    let page = console.get("/admin", &[], &[]).await;
    assert!(page.body.contains("<svg") && page.body.contains("class=\"chart\""));
    let totals =
        format!("<td>{requested}</td><td>{pledged}</td><td>{shipped}</td><td>{delivered}</td>");
    assert!(page.body.contains(&totals), "the totals row: {totals}");
    let csv = console.get("/admin/figures.csv", &[], &[]).await;
    assert!(csv
        .body
        .starts_with("by,key,requested,pledged,shipped,delivered"));
    assert!(csv.body.contains("province,Gansu,3,1,0,0"), "{}", csv.body);
    let refused = Browser::of(&app, Some(&donor))
        .get("/admin", &[], &[])
        .await;
    assert_eq!(refused.status, Status::Forbidden);
    assert!(
        refused
            .body
            .contains("This page is for another kind of account."),
        "the page says why: {}",
        refused.body
    );

    // A notice whose email failed for good is listed and can be sent again. The notice job
    // first handles the story's notices (it keeps them on the pages: no mail server here), so
    // that marking them failed below is not overwritten by a round that read them before.
    let pending =
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM notifications WHERE delivery = 'pending'";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sql_sum(url, pending).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the notice job never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let db = Database::connect(url.as_str()).await.unwrap();
    db.execute_unprepared("UPDATE notifications SET delivery = 'failed', attempts = 5")
        .await
        .unwrap();
    let page = console.get("/admin", &[], &[]).await;
    let id = app.service().store().failed_notices(10).await.unwrap()[0].id;
    assert!(page.body.contains(&format!("/admin/notices/{id}/resend")));
    let sent = console
        .post(&format!("/admin/notices/{id}/resend"), &[("csrf", CSRF)])
        .await;
    assert_eq!(sent.location.as_deref(), Some("/admin"));
    assert!(app
        .service()
        .store()
        .failed_notices(10)
        .await
        .unwrap()
        .iter()
        .all(|n| n.id != id));
}
