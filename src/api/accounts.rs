//! Accounts and sessions.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::{Caller, ClientIp};
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors, ErrorBody};
use crate::app::Bookbridge;
use crate::domain::accounts::{NewSession, Registration};
use crate::domain::error::{DomainError, Invalid};
use crate::domain::language::Language;
use crate::domain::model::Account;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![register, login, logout, logout_everywhere, me, update_me]
}

/// A new account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RegisterBody {
    /// `school`, `donor` or `volunteer` (admins come from `bookbridge create-admin`).
    #[schema(example = "donor", pattern = "^(school|donor|volunteer)$")]
    role: String,
    /// Display name, 1 to 200 characters.
    #[schema(
        example = "Li Na",
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    name: String,
    /// Login email; stored lower-cased.
    #[schema(example = "lina@example.org", format = Email, max_length = 254)]
    email: String,
    /// 8 to 256 characters.
    #[schema(example = "books for all", min_length = 8, max_length = 256)]
    password: String,
    /// `zh` or `en`: the language notices and emails are written in (default: the request's
    /// `Accept-Language`, else English).
    #[schema(example = "zh", pattern = "^(zh|en)$")]
    #[serde(default)]
    language: Option<String>,
}

/// The request's `Accept-Language` header, if any.
pub(super) struct AcceptLanguage<'r>(pub(super) Option<&'r str>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for AcceptLanguage<'r> {
    type Error = std::convert::Infallible;

    async fn from_request(
        request: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(AcceptLanguage(
            request.headers().get_one("Accept-Language"),
        ))
    }
}

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginBody {
    /// Login email, any case.
    #[schema(example = "lina@example.org")]
    email: String,
    /// Password.
    #[schema(example = "books for all")]
    password: String,
}

/// Registers a school, donor or volunteer account.
#[utoipa::path(post, operation_id = "registerAccount", path = "/accounts", tag = "accounts", request_body = RegisterBody,
    responses((status = 201, description = "The new account", body = Account),
        (status = 409, description = "`email_taken`: an account has that email", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: too many registrations from this address", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        BodyErrors))]
#[rocket::post("/accounts", data = "<body>")]
pub(super) async fn register(
    service: &rocket::State<Bookbridge>,
    client: ClientIp,
    accept: AcceptLanguage<'_>,
    body: JsonBody<RegisterBody>,
) -> Result<(Status, Json<Account>), ApiError> {
    let b = body.0;
    let language = match b.language.as_deref() {
        None => Language::choose(None, accept.0),
        Some(chosen) => Language::parse(chosen).ok_or_else(|| {
            DomainError::from(Invalid::new("language", "`language` must be zh or en"))
        })?,
    };
    let registration = Registration::new(&b.role, &b.name, &b.email, &b.password)
        .map_err(DomainError::from)?
        .in_language(language);
    let account = service.sign_up(registration, client.0).await?;
    Ok((Status::Created, Json(account)))
}

/// Signs in: answers a bearer token for `Authorization: Bearer <token>`.
#[utoipa::path(post, operation_id = "signIn", path = "/sessions", tag = "accounts", request_body = LoginBody,
    responses((status = 201, description = "A new session", body = NewSession),
        (status = 401, description = "`invalid_credentials`: wrong email or password; `unauthenticated`: the account is suspended", body = ErrorBody),
        (status = 429, description = "`too_many_attempts` (with `retry_after`, and a `Retry-After` header): \
            the account or this address failed too often and waits", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        BodyErrors))]
#[rocket::post("/sessions", data = "<body>")]
pub(super) async fn login(
    service: &rocket::State<Bookbridge>,
    client: ClientIp,
    body: JsonBody<LoginBody>,
) -> Result<(Status, Json<NewSession>), ApiError> {
    let session = service
        .login(&body.0.email, &body.0.password, client.0)
        .await?;
    Ok((Status::Created, Json(session)))
}

/// Signs out: the token stops working.
#[utoipa::path(delete, operation_id = "signOut", path = "/sessions/current", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), AuthErrors))]
#[rocket::delete("/sessions/current")]
pub(super) async fn logout(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Status, ApiError> {
    service.logout(&caller.0).await?;
    Ok(Status::NoContent)
}

/// Signs out everywhere: every token of the caller's account stops working.
#[utoipa::path(delete, operation_id = "signOutEverywhere", path = "/sessions", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "Every session ended"), AuthErrors))]
#[rocket::delete("/sessions")]
pub(super) async fn logout_everywhere(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Status, ApiError> {
    service.logout_everywhere(&caller.0).await?;
    Ok(Status::NoContent)
}

/// How the caller is told things.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PreferencesBody {
    /// `zh` or `en`: the language notices and emails are written in.
    #[schema(example = "en", pattern = "^(zh|en)$")]
    #[serde(default)]
    language: Option<String>,
    /// Whether notices also come by email (they always show on the notice page).
    #[schema(example = false)]
    #[serde(default)]
    email_notices: Option<bool>,
}

/// Changes the caller's language and whether notices also come by email.
#[utoipa::path(patch, operation_id = "updateMe", path = "/me", tag = "accounts", security(("bearer" = [])),
    request_body = PreferencesBody,
    responses((status = 200, description = "The caller's account, changed", body = Account), AuthErrors, BodyErrors))]
#[rocket::patch("/me", data = "<body>")]
pub(super) async fn update_me(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<PreferencesBody>,
) -> Result<Json<Account>, ApiError> {
    let b = body.0;
    let language = b
        .language
        .as_deref()
        .map(|l| {
            Language::parse(l).ok_or_else(|| {
                DomainError::from(Invalid::new("language", "`language` must be zh or en"))
            })
        })
        .transpose()?;
    Ok(Json(
        service
            .set_preferences(&caller.0, language, b.email_notices)
            .await?,
    ))
}

/// The caller's account, with `school_id` for school accounts that have registered one.
#[utoipa::path(get, operation_id = "getMe", path = "/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The caller's account", body = Account), AuthErrors))]
#[rocket::get("/me")]
pub(super) async fn me(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(service.me(&caller.0).await?))
}
