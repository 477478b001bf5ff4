//! Liveness with a database check.

use rocket::serde::json::Json;
use serde::Serialize;

use crate::app::Bookbridge;
use crate::error::ApiError;

/// The service is up and its database answers.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Health {
    /// `ok`.
    #[schema(example = "ok")]
    status: &'static str,
    /// `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    database: &'static str,
    /// How far this server's search index is behind the change log.
    index_lag: crate::domain::search::IndexLag,
    /// Notices waiting to be sent.
    #[schema(example = 0)]
    notifications_pending: u64,
}

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![health]
}

/// Liveness, with a check that the database answers.
#[utoipa::path(get, operation_id = "getHealth", path = "/health", tag = "meta",
    responses((status = 200, description = "Up", body = Health),
        (status = 503, description = "The database does not answer (`database_unavailable`)", body = super::responses::ErrorBody)))]
#[rocket::get("/health")]
pub(super) async fn health(service: &rocket::State<Bookbridge>) -> Result<Json<Health>, ApiError> {
    let database = service.health().await?;
    let backlogs = service.backlogs().await?;
    Ok(Json(Health {
        status: "ok",
        database,
        index_lag: backlogs.index_lag,
        notifications_pending: backlogs.notifications_pending,
    }))
}
