//! Webhook receivers (admins): a charity's own systems get each notice as signed JSON.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::webhooks::NewWebhook;
use crate::domain::webhooks::Webhook;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![register]
}

/// A receiver to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WebhookBody {
    /// Where deliveries are POSTed: an absolute http:// or https:// address.
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
    let hook =
        NewWebhook::new(&b.url, &b.secret, b.events.as_deref()).map_err(DomainError::from)?;
    Ok((
        Status::Created,
        Json(service.register_webhook(&caller.0, hook).await?),
    ))
}
