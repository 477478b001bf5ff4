//! Accounts and sessions.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::Deserialize;

use super::auth::Caller;
use super::body::JsonBody;
use crate::domain::accounts::{NewSession, Registration};
use crate::domain::error::DomainError;
use crate::domain::model::Account;
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![register, login, logout, me]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterBody {
    role: String,
    name: String,
    email: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    email: String,
    password: String,
}

#[rocket::post("/accounts", data = "<body>")]
async fn register(
    service: &rocket::State<Bookbridge>,
    body: JsonBody<RegisterBody>,
) -> Result<(Status, Json<Account>), ApiError> {
    let b = body.0;
    let registration =
        Registration::new(&b.role, &b.name, &b.email, &b.password).map_err(DomainError::from)?;
    Ok((Status::Created, Json(service.register(registration).await?)))
}

#[rocket::post("/sessions", data = "<body>")]
async fn login(
    service: &rocket::State<Bookbridge>,
    body: JsonBody<LoginBody>,
) -> Result<(Status, Json<NewSession>), ApiError> {
    let session = service.login(&body.0.email, &body.0.password).await?;
    Ok((Status::Created, Json(session)))
}

#[rocket::delete("/sessions/current")]
async fn logout(service: &rocket::State<Bookbridge>, caller: Caller) -> Result<Status, ApiError> {
    service.logout(&caller.0).await?;
    Ok(Status::NoContent)
}

#[rocket::get("/me")]
async fn me(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(service.me(&caller.0).await?))
}
