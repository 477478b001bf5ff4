//! Figures for the operator's Prometheus at `GET /metrics` (text format): requests by route
//! template (never the raw path), method and status with a latency histogram; each
//! background job's rounds, errors and last success; the outboxes' backlogs, the index's
//! lag, the pledge queue and the database pool, read when scraped. Answered only to
//! addresses in `metrics_from` (default: loopback) or with `metrics_token` as a bearer
//! token; never in the public OpenAPI document, and the deployment kit's nginx keeps it off
//! the public site.

use std::sync::OnceLock;
use std::time::Instant;

use ipnet::IpNet;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{ContentType, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{Data, Request, Response, State};

use crate::app::Bookbridge;

/// Latency buckets, in seconds: from a cached page to a slow import.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The process's one recorder (the `metrics` facade is global; several services in one
/// process, as in tests, share it).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            match metrics::set_global_recorder(recorder) {
                Ok(()) => Some(handle),
                Err(err) => {
                    log::warn!("metrics are off: {err}");
                    None
                }
            }
        })
        .as_ref()
}

/// Who may read the figures.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    from: Vec<IpNet>,
    token: String,
}

impl MetricsAccess {
    /// From the `metrics_from` (addresses or CIDR ranges) and `metrics_token` settings.
    pub fn parse(from: &[String], token: &str) -> Result<Self, String> {
        let from = crate::api::client::networks(from, "metrics_from")?;
        Ok(MetricsAccess {
            from,
            token: token.trim().to_owned(),
        })
    }
}

/// A caller allowed to read the figures.
pub struct MetricsReader;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MetricsReader {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let Some(access) = request.rocket().state::<MetricsAccess>() else {
            return Outcome::Error((Status::NotFound, ()));
        };
        let bearer = request
            .headers()
            .get_one("Authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim);
        if !access.token.is_empty() && bearer == Some(access.token.as_str()) {
            return Outcome::Success(MetricsReader);
        }
        // The client as `api::client` decides it: behind a trusted proxy, the forwarded one.
        match crate::api::client::client_address(request) {
            Some(ip) if access.from.iter().any(|net| net.contains(&ip)) => {
                Outcome::Success(MetricsReader)
            }
            _ => Outcome::Error((Status::Forbidden, ())),
        }
    }
}

/// The figures, in Prometheus's text format.
#[rocket::get("/metrics")]
async fn scrape(_reader: MetricsReader, service: &State<Bookbridge>) -> (ContentType, String) {
    match service.workload().await {
        Ok(work) => {
            let lag = work.backlogs.index_lag;
            metrics::gauge!("bookbridge_index_lag_changes").set(lag.rows as f64);
            metrics::gauge!("bookbridge_index_lag_oldest_seconds").set(lag.oldest_seconds as f64);
            metrics::gauge!("bookbridge_notices_pending")
                .set(work.backlogs.notifications_pending as f64);
            metrics::gauge!("bookbridge_webhook_deliveries_pending")
                .set(work.deliveries_pending as f64);
            metrics::gauge!("bookbridge_pledge_queue_depth").set(work.pledges_waiting as f64);
            metrics::gauge!("bookbridge_db_pool_connections", "state" => "open")
                .set(f64::from(work.pool.0));
            metrics::gauge!("bookbridge_db_pool_connections", "state" => "idle")
                .set(f64::from(work.pool.1));
        }
        Err(err) => log::warn!("metrics: the workload could not be read: {err}"),
    }
    let text = handle().map(PrometheusHandle::render).unwrap_or_default();
    (
        ContentType::new("text", "plain").with_params(("version", "0.0.4")),
        text,
    )
}

/// The route, mounted at `/`.
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![scrape]
}

/// Counts every request by its route's template, method and status, with its duration.
pub struct RequestMetrics;

/// When a request began (kept in the request's local cache).
struct Began(Instant);

#[rocket::async_trait]
impl Fairing for RequestMetrics {
    fn info(&self) -> Info {
        Info {
            name: "request metrics",
            kind: Kind::Request | Kind::Response | Kind::Ignite,
        }
    }

    async fn on_ignite(&self, rocket: rocket::Rocket<rocket::Build>) -> rocket::fairing::Result {
        handle();
        Ok(rocket)
    }

    async fn on_request(&self, request: &mut Request<'_>, _: &mut Data<'_>) {
        request.local_cache(|| Began(Instant::now()));
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        let began = request.local_cache(|| Began(Instant::now())).0;
        // The template (`/api/v1/schools/<id>`), never the path a client made up.
        let route = request
            .route()
            .map_or_else(|| "unmatched".to_owned(), |r| r.uri.to_string());
        let method = request.method().as_str();
        let status = response.status().code.to_string();
        metrics::counter!("bookbridge_http_requests_total",
            "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
        metrics::histogram!("bookbridge_http_request_duration_seconds",
            "route" => route, "method" => method)
        .record(began.elapsed().as_secs_f64());
    }
}
