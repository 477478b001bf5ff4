//! WeChat: signing in from the mini program, binding WeChat to an account, and recording the
//! subscribe messages a person accepted. Every route answers 404 while WeChat is off
//! (`wechat_appid` or `wechat_secret` empty).

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::accounts::AcceptLanguage;
use super::auth::{Caller, ClientIp};
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors, ErrorBody};
use crate::app::wechat::{WeChatSignIn, WeChatStanding};
use crate::app::Bookbridge;
use crate::domain::error::{DomainError, Invalid};
use crate::domain::language::Language;
use crate::domain::model::Account;
use crate::domain::notices::NoticeKind;
use crate::error::{ApiError, GuardFailure};

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![sign_in, standing, bind, subscribe]
}

/// WeChat is on for this service; otherwise the route answers 404, as if it were not there.
/// Listed before the caller's guard, so a service without WeChat says 404, not 401.
pub(super) struct WeChatOn;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for WeChatOn {
    type Error = ApiError;

    async fn from_request(request: &'r rocket::Request<'_>) -> Outcome<Self, Self::Error> {
        let on = request
            .rocket()
            .state::<Bookbridge>()
            .is_some_and(|service| service.wechat().is_some());
        if on {
            return Outcome::Success(WeChatOn);
        }
        let error = ApiError::for_status(Status::NotFound);
        GuardFailure::record(request, error.clone());
        Outcome::Error((Status::NotFound, error))
    }
}

/// A code from `wx.login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WeChatSignInBody {
    /// The code `wx.login` gave (used once, valid five minutes).
    #[schema(
        example = "0c3Ab2ll2mZPhe4Nwoml2v0Hwx3Ab2lM",
        min_length = 1,
        max_length = 128,
        pattern = "^[!-~]+$"
    )]
    code: String,
    /// The name a new account gets (default "微信用户" / "WeChat user"); an existing account
    /// keeps its own.
    #[schema(
        example = "李娜",
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    #[serde(default)]
    name: Option<String>,
    /// `zh` or `en`, for a new account (default: the request's `Accept-Language`, else
    /// Chinese).
    #[schema(example = "zh", pattern = "^(zh|en)$")]
    #[serde(default)]
    language: Option<String>,
}

/// A WeChat sign-in: a bearer token, whose account it is, and whether it was made now.
#[derive(Serialize, ToSchema)]
pub(super) struct WeChatSessionBody {
    /// The bearer token, for `Authorization: Bearer <token>`.
    token: String,
    /// When it stops working.
    expires_at: chrono::DateTime<chrono::Utc>,
    /// The account signed in.
    account: Account,
    /// True when this sign-in made the account (a donor with no email or password).
    new: bool,
}

/// A code from `wx.login`, to bind that WeChat user to the caller's account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WeChatBindBody {
    /// The code `wx.login` gave.
    #[schema(
        example = "0c3Ab2ll2mZPhe4Nwoml2v0Hwx3Ab2lM",
        min_length = 1,
        max_length = 128,
        pattern = "^[!-~]+$"
    )]
    code: String,
}

/// The templates the person accepted in `wx.requestSubscribeMessage`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SubscriptionsBody {
    /// Template ids from `GET /me/wechat`, each accepted once (one message each).
    #[schema(example = json!(["T-shipped-8xQ2"]), min_items = 1, max_items = 10)]
    template_ids: Vec<String>,
}

/// A notice kind that goes to WeChat, and the caller's credits for it.
#[derive(Serialize, ToSchema)]
pub(super) struct SubscriptionBody {
    /// The notice kind.
    kind: NoticeKind,
    /// The template to ask for in `wx.requestSubscribeMessage`.
    template_id: String,
    /// Messages accepted and not yet sent: while above 0, this kind comes as a WeChat
    /// message instead of email.
    credits: u32,
}

/// Where the caller stands with WeChat.
#[derive(Serialize, ToSchema)]
pub(super) struct WeChatStandingBody {
    /// Whether WeChat is bound to the caller's account.
    bound: bool,
    /// Every notice kind that goes to WeChat, with the caller's credits.
    subscriptions: Vec<SubscriptionBody>,
}

impl From<WeChatStanding> for WeChatStandingBody {
    fn from(standing: WeChatStanding) -> Self {
        WeChatStandingBody {
            bound: standing.bound,
            subscriptions: standing
                .subscriptions
                .into_iter()
                .map(|s| SubscriptionBody {
                    kind: s.kind,
                    template_id: s.template_id,
                    credits: s.credits,
                })
                .collect(),
        }
    }
}

/// Signs in with WeChat: the account bound to the WeChat user of `code`, or a new donor
/// account for them.
#[utoipa::path(post, operation_id = "signInWithWeChat", path = "/wechat/sessions", tag = "wechat",
    request_body = WeChatSignInBody,
    responses((status = 201, description = "Signed in", body = WeChatSessionBody),
        (status = 401, description = "`wechat_code_invalid`: WeChat does not know the code (or it was used); \
            `unauthenticated`: the account is suspended", body = ErrorBody),
        (status = 403, description = "`wechat_user_blocked`: WeChat has blocked this user", body = ErrorBody),
        (status = 404, description = "`not_found`: WeChat is off on this service", body = ErrorBody),
        (status = 409, description = "`conflict`: the same user signed in twice at the same moment; try again", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: this address failed too often, or made too many \
            accounts; `wechat_too_frequent`: WeChat says this user signs in too often", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`wechat_unavailable`: WeChat does not answer", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        BodyErrors))]
#[rocket::post("/wechat/sessions", data = "<body>")]
pub(super) async fn sign_in(
    _on: WeChatOn,
    service: &rocket::State<Bookbridge>,
    client: ClientIp,
    accept: AcceptLanguage<'_>,
    body: JsonBody<WeChatSignInBody>,
) -> Result<(Status, Json<WeChatSessionBody>), ApiError> {
    let b = body.0;
    let language = match b.language.as_deref() {
        // The mini program's people read Chinese first.
        None => Language::choose(None, accept.0.or(Some("zh"))),
        Some(chosen) => Language::parse(chosen).ok_or_else(|| {
            DomainError::from(Invalid::new("language", "`language` must be zh or en"))
        })?,
    };
    let signed_in = service
        .wechat_sign_in(
            WeChatSignIn {
                code: b.code,
                name: b.name,
                language,
            },
            client.0,
        )
        .await?;
    Ok((
        Status::Created,
        Json(WeChatSessionBody {
            token: signed_in.session.token,
            expires_at: signed_in.session.expires_at,
            account: signed_in.account,
            new: signed_in.new,
        }),
    ))
}

/// Whether WeChat is bound to the caller's account, and their subscribe-message credits.
#[utoipa::path(get, operation_id = "getMyWeChat", path = "/me/wechat", tag = "wechat", security(("bearer" = [])),
    responses((status = 200, description = "The caller's WeChat standing", body = WeChatStandingBody),
        (status = 404, description = "`not_found`: WeChat is off on this service", body = ErrorBody),
        AuthErrors))]
#[rocket::get("/me/wechat")]
pub(super) async fn standing(
    _on: WeChatOn,
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Json<WeChatStandingBody>, ApiError> {
    Ok(Json(service.wechat_standing(&caller.0).await?.into()))
}

/// Binds the WeChat user of `code` to the caller's account (any role; role and vetting stay).
#[utoipa::path(post, operation_id = "bindWeChat", path = "/me/wechat", tag = "wechat", security(("bearer" = [])),
    request_body = WeChatBindBody,
    responses((status = 200, description = "Bound (binding the same user again changes nothing)", body = WeChatStandingBody),
        (status = 404, description = "`not_found`: WeChat is off on this service", body = ErrorBody),
        (status = 409, description = "`wechat_bound_elsewhere`: this WeChat user has another account; \
            `account_has_wechat`: this account has another WeChat user", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`: this address sent too many invalid codes; \
            `wechat_too_frequent`: WeChat says this user signs in too often", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`wechat_unavailable`: WeChat does not answer", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        AuthErrors, BodyErrors))]
#[rocket::post("/me/wechat", data = "<body>")]
pub(super) async fn bind(
    _on: WeChatOn,
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<WeChatBindBody>,
) -> Result<Json<WeChatStandingBody>, ApiError> {
    Ok(Json(
        service.bind_wechat(&caller.0, &body.0.code).await?.into(),
    ))
}

/// Records the templates the caller accepted in `wx.requestSubscribeMessage`: one message
/// each.
#[utoipa::path(post, operation_id = "acceptWeChatSubscriptions", path = "/me/wechat/subscriptions", tag = "wechat",
    security(("bearer" = [])), request_body = SubscriptionsBody,
    responses((status = 200, description = "The caller's credits now", body = WeChatStandingBody),
        (status = 404, description = "`not_found`: WeChat is off on this service", body = ErrorBody),
        (status = 409, description = "`wechat_not_bound`: bind WeChat to this account first", body = ErrorBody),
        AuthErrors, BodyErrors))]
#[rocket::post("/me/wechat/subscriptions", data = "<body>")]
pub(super) async fn subscribe(
    _on: WeChatOn,
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<SubscriptionsBody>,
) -> Result<Json<WeChatStandingBody>, ApiError> {
    Ok(Json(
        service
            .accept_subscriptions(&caller.0, &body.0.template_ids)
            .await?
            .into(),
    ))
}
