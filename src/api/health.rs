//! Liveness with a database check.

use rocket::http::Status;
use rocket::serde::json::{json, Value};

use crate::domain::Bookbridge;

/// The service is up.
#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "describes the JSON `health` answers")]
pub(super) struct Health {
    /// `ok`.
    status: String,
    /// `sqlite` or `postgres`.
    database: String,
}

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![health]
}

/// Liveness, with a check that the database answers.
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, description = "`{status: \"ok\", database: \"sqlite\" | \"postgres\"}`", body = Health),
        (status = 503, description = "The database does not answer (`database_unavailable`)", body = super::openapi::ErrorBody)))]
#[rocket::get("/health")]
pub(super) async fn health(service: &rocket::State<Bookbridge>) -> (Status, Value) {
    let engine = service.store().engine();
    match service.store().ping().await {
        Ok(()) => (Status::Ok, json!({ "status": "ok", "database": engine })),
        Err(err) => {
            log::error!("health check failed: {err}");
            (
                Status::ServiceUnavailable,
                json!({ "error": { "code": "database_unavailable", "message": "the database does not answer" }, "status": "unavailable", "database": engine }),
            )
        }
    }
}
