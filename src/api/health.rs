//! Liveness with a database check.

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use serde::Serialize;

use crate::app::Bookbridge;

/// The service is up and its database answers.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Health {
    /// `ok`.
    #[schema(example = "ok")]
    status: &'static str,
    /// `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    database: &'static str,
}

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![health]
}

/// Liveness, with a check that the database answers.
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, description = "Up", body = Health),
        (status = 503, description = "The database does not answer (`database_unavailable`)", body = super::openapi::ErrorBody)))]
#[rocket::get("/health")]
pub(super) async fn health(
    service: &rocket::State<Bookbridge>,
) -> Result<Json<Health>, (Status, Value)> {
    let engine = service.store().engine();
    match service.store().ping().await {
        Ok(()) => Ok(Json(Health {
            status: "ok",
            database: engine,
        })),
        Err(err) => {
            log::error!("health check failed: {err}");
            Err((
                Status::ServiceUnavailable,
                json!({ "error": { "code": "database_unavailable", "message": "the database does not answer" }, "status": "unavailable", "database": engine }),
            ))
        }
    }
}
