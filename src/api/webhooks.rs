//! Webhook receivers (admins): a charity's own systems get each notice as signed JSON.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors, PathErrors};
use crate::app::Bookbridge;
use crate::domain::webhooks::Webhook;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![register, list, remove]
}

/// A receiver to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WebhookBody {
    /// Where deliveries are POSTed: an absolute http:// or https:// address on the public
    /// internet (a host that is, or resolves to, a loopback, private, link-local,
    /// unique-local, CGNAT, multicast, unspecified or documentation address is refused, as
    /// is a user name or password in the URL).
    #[schema(
        example = "https://sms.example.org/bookbridge",
        max_length = 2000,
        pattern = "^https?://[^\\s/?#]+[^\\s]*$"
    )]
    url: String,
    /// Shared secret, 16 to 200 characters: every delivery is signed with it.
    #[schema(example = "whsec_0123456789abcdef", min_length = 16, max_length = 200)]
    secret: String,
    /// Notice kinds to receive (default: all): `pledge_made`, `pledge_shipped`,
    /// `pledge_delivered`, `ship_reminder`, `pledge_expired`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<crate::domain::notices::NoticeKind>>, example = json!(["pledge_shipped", "pledge_delivered"]))]
    events: Option<Vec<String>>,
}

/// Registers a receiver (admins). Each delivery is a JSON POST with `X-Bookbridge-Event`
/// (the notice kind) and `X-Bookbridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
/// "<t>.<body>" with the secret>`; anything but 2xx is tried again later (1, 2, 4, 8 minutes).
#[utoipa::path(post, operation_id = "registerWebhook", path = "/webhooks", tag = "meta", security(("bearer" = [])),
    request_body = WebhookBody,
    responses((status = 201, description = "The receiver (its secret is never shown again)", body = Webhook),
        AuthErrors, BodyErrors))]
#[rocket::post("/webhooks", data = "<body>")]
pub(super) async fn register(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<WebhookBody>,
) -> Result<(Status, Json<Webhook>), ApiError> {
    let b = body.0;
    let made = service
        .register_webhook(&caller.0, &b.url, &b.secret, b.events.as_deref())
        .await?;
    Ok((Status::Created, Json(made)))
}

/// Every registered receiver (admins), oldest first; never their secrets.
#[utoipa::path(get, operation_id = "listWebhooks", path = "/webhooks", tag = "meta", security(("bearer" = [])),
    responses((status = 200, description = "The receivers", body = Vec<Webhook>,
        example = json!([{"id": 3, "url": "https://sms.example.org/bookbridge",
            "events": ["pledge_shipped", "pledge_delivered"], "created_at": "2026-11-26T08:00:00Z"}])),
        AuthErrors))]
#[rocket::get("/webhooks")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Json<Vec<Webhook>>, ApiError> {
    Ok(Json(service.webhooks(&caller.0).await?))
}

/// Removes a receiver and its deliveries not yet made (admins).
#[utoipa::path(delete, operation_id = "removeWebhook", path = "/webhooks/{id}", tag = "meta", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The receiver's id")),
    responses((status = 204, description = "Removed"), AuthErrors, PathErrors))]
#[rocket::delete("/webhooks/<id>")]
pub(super) async fn remove(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: i64,
) -> Result<Status, ApiError> {
    service.remove_webhook(&caller.0, id).await?;
    Ok(Status::NoContent)
}
