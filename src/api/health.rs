//! Liveness with a database check.

use rocket::http::Status;
use rocket::serde::json::{json, Value};

use crate::domain::Bookbridge;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![health]
}

#[rocket::get("/health")]
async fn health(service: &rocket::State<Bookbridge>) -> (Status, Value) {
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
