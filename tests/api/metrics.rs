//! `/metrics`: Prometheus's text format, counting requests by route template; answered to
//! loopback (or a token) only, and absent from the public API document.

use std::io::BufRead;
use std::net::SocketAddr;

use rocket::http::{Header, Status};

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

async fn scrape_from(app: &TestApp, peer: &str, token: Option<&str>) -> (Status, String) {
    let mut request = app
        .client
        .get("/metrics")
        .remote(peer.parse::<SocketAddr>().unwrap());
    if let Some(token) = token {
        request = request.header(Header::new("Authorization", format!("Bearer {token}")));
    }
    let response = request.dispatch().await;
    let status = response.status();
    (status, response.into_string().await.unwrap_or_default())
}

fn parse(text: &str) -> prometheus_parse::Scrape {
    let lines = std::io::Cursor::new(text.as_bytes().to_vec()).lines();
    prometheus_parse::Scrape::parse(lines).expect("Prometheus text format")
}

/// The requests counted for `route` (a template), all methods and statuses.
fn requests_to(scrape: &prometheus_parse::Scrape, route: &str) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == "bookbridge_http_requests_total")
        .filter(|s| s.labels.get("route") == Some(route))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v) | prometheus_parse::Value::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

#[rocket::async_test]
async fn metrics_count_requests_by_route_template_for_loopback_only() {
    let app = spawn_app().await;
    let (status, before) = scrape_from(&app, "127.0.0.1:9100", None).await;
    assert_eq!(status, Status::Ok);
    let before = requests_to(&parse(&before), "/api/v1/health");
    for _ in 0..3 {
        let (status, _) = app.get("/api/v1/health", None).await;
        assert_eq!(status, Status::Ok);
    }
    let (status, _) = app.get("/api/v1/schools/987654", None).await;
    assert_eq!(status, Status::NotFound);
    let (_, text) = scrape_from(&app, "127.0.0.1:9100", None).await;
    let scrape = parse(&text);
    assert!(
        requests_to(&scrape, "/api/v1/health") >= before + 3.0,
        "{text}"
    );
    // The route's template, never the path a client made up.
    assert!(
        requests_to(&scrape, "/api/v1/schools/<id>") >= 1.0,
        "{text}"
    );
    assert!(!text.contains("987654"), "a raw path leaked into a label");
    // Latency, the jobs and the backlogs are there too.
    for name in [
        "bookbridge_http_request_duration_seconds",
        "bookbridge_job_rounds_total",
        "bookbridge_notices_pending",
        "bookbridge_webhook_deliveries_pending",
        "bookbridge_index_lag_changes",
        "bookbridge_pledge_queue_depth",
        "bookbridge_db_pool_connections",
    ] {
        assert!(
            scrape.samples.iter().any(|s| s.metric.starts_with(name)),
            "{name} missing"
        );
    }
    // Refused to anyone else, and not in the public API document.
    let (status, _) = scrape_from(&app, "203.0.113.7:9100", None).await;
    assert_eq!(status, Status::Forbidden);
    let (_, document) = app.get("/api/v1/openapi.json", None).await;
    assert!(!document.to_string().contains("/metrics"));
}

#[rocket::async_test]
async fn a_token_opens_metrics_to_another_address() {
    let app = spawn_app_with(|f| f.merge(("metrics_token", "scrape-secret-0123"))).await;
    let (status, _) = scrape_from(&app, "203.0.113.7:9100", None).await;
    assert_eq!(status, Status::Forbidden);
    let (status, _) = scrape_from(&app, "203.0.113.7:9100", Some("wrong")).await;
    assert_eq!(status, Status::Forbidden);
    let (status, text) = scrape_from(&app, "203.0.113.7:9100", Some("scrape-secret-0123")).await;
    assert_eq!(status, Status::Ok);
    parse(&text);
}
