//! The one error type at the HTTP edge: every failure becomes
//! `{"error": {"code", "message", "field"?, ...}}` with the right status.

use rocket::http::{ContentType, Status};
use rocket::response::{self, Responder};
use rocket::serde::json::serde_json::{self, json, Map, Value};
use rocket::Request;

use crate::domain::error::DomainError;

/// An error as a client sees it.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: Status,
    /// Stable, machine-readable code.
    pub code: &'static str,
    /// For a person.
    pub message: String,
    /// The request field at fault, when there is one.
    pub field: Option<String>,
    /// Extra facts a client can act on (e.g. `outstanding`).
    pub extra: Map<String, Value>,
    /// Headers the answer carries: `Retry-After` (with 429), `Allow` (with 405).
    pub headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// An error with no field.
    pub fn new(status: Status, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            extra: Map::new(),
            headers: Vec::new(),
        }
    }

    /// Names the methods the path takes (`Allow`, with 405).
    pub fn allow(mut self, methods: String) -> Self {
        self.headers.push(("Allow", methods));
        self
    }

    /// Asks the client to wait `seconds` before trying again (`Retry-After`).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.headers
            .push(("Retry-After", seconds.max(1).to_string()));
        self
    }

    /// Names the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds a fact to the error object.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    /// A 422 for a field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::new(Status::UnprocessableEntity, "validation_failed", message).field(field)
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), self.code.into());
        error.insert("message".into(), self.message.clone().into());
        if let Some(field) = &self.field {
            error.insert("field".into(), field.clone().into());
        }
        error.extend(self.extra.clone());
        json!({ "error": error })
    }

    /// The default error for a status no handler explained (unknown path, Rocket's own
    /// checks).
    pub fn for_status(status: Status) -> Self {
        let (code, message) = match status.code {
            400 => ("bad_request", "the request could not be understood"),
            401 => (
                "unauthenticated",
                "sign in first: send `Authorization: Bearer <token>`",
            ),
            403 => ("forbidden", "you may not do this"),
            404 => ("not_found", "there is nothing at this address"),
            405 => (
                "method_not_allowed",
                "this address does not take that method",
            ),
            413 => ("body_too_large", "the request body is too large"),
            415 => (
                "unsupported_media_type",
                "send the body as application/json",
            ),
            422 => (
                "validation_failed",
                "the request body does not have the expected fields",
            ),
            _ if status.code < 500 => ("bad_request", "the request was refused"),
            _ => (
                "internal_error",
                "something went wrong on our side; it has been logged",
            ),
        };
        ApiError::new(status, code, message)
    }
}

/// How the edge reports a WeChat refusal: each has its own stable code.
fn wechat_status(refusal: crate::domain::wechat::WeChatRefusal) -> (Status, &'static str) {
    use crate::domain::wechat::WeChatRefusal as R;
    match refusal {
        R::InvalidCode => (Status::Unauthorized, "wechat_code_invalid"),
        R::TooFrequent => (Status::TooManyRequests, "wechat_too_frequent"),
        R::Blocked => (Status::Forbidden, "wechat_user_blocked"),
        R::Unavailable => (Status::ServiceUnavailable, "wechat_unavailable"),
        R::BoundElsewhere => (Status::Conflict, "wechat_bound_elsewhere"),
        R::AccountHasWeChat => (Status::Conflict, "account_has_wechat"),
        R::NotBound => (Status::Conflict, "wechat_not_bound"),
    }
}

/// The one decision of how the edge reports a domain error: its HTTP status and its stable,
/// machine-readable code. The JSON responder below and the pages' HTML responder
/// (`web::errors`) both ask here, so a page can never answer with a different status.
pub fn classify(err: &DomainError) -> (Status, &'static str) {
    use DomainError as E;
    match err {
        E::Invalid(_) => (Status::UnprocessableEntity, "validation_failed"),
        E::OverLimit { refusal, .. } if refusal.is_about_bytes() => {
            (Status::PayloadTooLarge, "body_too_large")
        }
        E::OverLimit { .. } => (Status::UnprocessableEntity, "file_over_limit"),
        E::InvalidIsbn(..) => (Status::UnprocessableEntity, "invalid_isbn"),
        E::Unauthenticated(_) => (Status::Unauthorized, "unauthenticated"),
        E::BadCredentials => (Status::Unauthorized, "invalid_credentials"),
        E::Forbidden(_) => (Status::Forbidden, "forbidden"),
        E::NotFound { .. } => (Status::NotFound, "not_found"),
        E::EmailTaken => (Status::Conflict, "email_taken"),
        E::SchoolExists => (Status::Conflict, "school_exists"),
        E::InvalidTransition(_) | E::InvalidVetting(_) => (Status::Conflict, "invalid_transition"),
        E::AccountPending => (Status::Forbidden, "account_pending"),
        E::SchoolNotVerified => (Status::Conflict, "school_not_verified"),
        E::TooManyAttempts { .. } => (Status::TooManyRequests, "too_many_attempts"),
        E::InsufficientNeed { .. } => (Status::Conflict, "insufficient_need"),
        E::BelowCommitted { .. } => (Status::Conflict, "quantity_below_committed"),
        E::ItemClosed(_) => (Status::Conflict, "wishlist_item_closed"),
        E::WishTaken => (Status::Conflict, "wish_taken"),
        E::AlreadyOnShelf { .. } => (Status::Conflict, "already_on_shelf"),
        E::PlanStale(_) => (Status::Conflict, "plan_stale"),
        E::WishRefused(_) => (Status::Conflict, "invalid_transition"),
        E::CannotExtend(_) => (Status::Conflict, "cannot_extend"),
        E::WeChat(refusal) => wechat_status(*refusal),
        E::Conflict(_) => (Status::Conflict, "conflict"),
        E::Unavailable(_) => (Status::ServiceUnavailable, "database_unavailable"),
        E::Internal(_) => (Status::InternalServerError, "internal_error"),
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        use DomainError as E;
        let (status, code) = classify(&err);
        if let E::Internal(cause) = &err {
            log::error!("internal error: {cause}");
            return ApiError::for_status(status);
        }
        let message = match &err {
            E::Unauthenticated(message)
            | E::Forbidden(message)
            | E::Conflict(message)
            | E::Unavailable(message) => (*message).to_owned(),
            E::Invalid(invalid) => invalid.message.clone(),
            E::WishRefused(message) => message.clone(),
            other => other.to_string(),
        };
        let error = ApiError::new(status, code, message);
        match err {
            E::Invalid(invalid) => error.field(invalid.field),
            E::InvalidIsbn(_, field) => error.field(field),
            E::OverLimit { field, refusal } => error.field(field).with("limit", refusal.limit()),
            E::EmailTaken => error.field("email"),
            E::InvalidTransition(t) => error
                .field("status")
                .with("from", t.from.as_str())
                .with("to", t.to.as_str()),
            E::InvalidVetting(t) => error
                .with("from", t.from.as_str())
                .with("to", t.to.as_str()),
            E::TooManyAttempts {
                retry_after_seconds,
            } => error
                .with("retry_after", retry_after_seconds)
                .retry_after(retry_after_seconds),
            E::InsufficientNeed { outstanding } => {
                error.field("quantity").with("outstanding", outstanding)
            }
            E::BelowCommitted { committed } => error.field("quantity").with("committed", committed),
            E::AlreadyOnShelf { isbn } => error.field("isbn").with("on_shelf", isbn.as_str()),
            E::WeChat(crate::domain::wechat::WeChatRefusal::TooFrequent) => error.retry_after(60),
            E::WeChat(crate::domain::wechat::WeChatRefusal::Unavailable) => error.retry_after(30),
            E::PlanStale(plan) => error.with(
                "plan",
                serde_json::to_value(&*plan).unwrap_or(serde_json::Value::Null),
            ),
            _ => error,
        }
    }
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let body = serde_json::to_string(&self.body()).unwrap_or_default();
        let mut response = rocket::Response::build_from(body.respond_to(request)?)
            .status(self.status)
            .header(ContentType::JSON)
            .finalize();
        if self.status == Status::Unauthorized {
            response.set_raw_header("WWW-Authenticate", "Bearer");
        }
        for (name, value) in self.headers {
            response.set_raw_header(name, value);
        }
        Ok(response)
    }
}

/// What a request guard that failed wants the catcher to say.
#[derive(Debug, Default)]
pub struct GuardFailure(pub std::sync::Mutex<Option<ApiError>>);

impl GuardFailure {
    /// Remembers why a guard failed, for the catcher of its status.
    pub fn record(request: &Request<'_>, error: ApiError) {
        let slot = request.local_cache(GuardFailure::default);
        if let Ok(mut slot) = slot.0.lock() {
            slot.get_or_insert(error);
        }
    }

    fn take(request: &Request<'_>) -> Option<ApiError> {
        request
            .local_cache(GuardFailure::default)
            .0
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
    }
}

/// The repeated parameter a request carried, if any.
#[derive(Debug, Default)]
pub struct Repeated(pub std::sync::Mutex<Option<String>>);

impl Repeated {
    /// The error for the request, if it repeated a parameter.
    pub fn error(request: &rocket::Request<'_>) -> Option<ApiError> {
        let name = request
            .local_cache(Repeated::default)
            .0
            .lock()
            .ok()?
            .clone()?;
        Some(ApiError::invalid(
            name.clone(),
            format!("`{name}` may be given only once"),
        ))
    }
}

/// Replaces every one of Rocket's HTML error pages with the JSON error shape.
#[rocket::catch(default)]
pub fn json_catcher(status: Status, request: &Request<'_>) -> ApiError {
    if let Some(repeated) = Repeated::error(request) {
        return repeated;
    }
    match GuardFailure::take(request) {
        Some(error) if error.status == status => error,
        _ if status == Status::NotFound => match allowed_methods(request, true) {
            Some(allow) => ApiError::for_status(Status::MethodNotAllowed).allow(allow),
            None => ApiError::for_status(status),
        },
        // A method Rocket cannot even name (`QUERY`, `FOO`) reaches us as a 400 with a
        // stand-in request; at a path we serve, that is a method it does not take.
        _ if status == Status::BadRequest => match allowed_methods(request, false) {
            Some(allow) => ApiError::for_status(Status::MethodNotAllowed).allow(allow),
            None => ApiError::for_status(status),
        },
        _ => ApiError::for_status(status),
    }
}

/// When no route serves this method at this path but some route serves another method
/// there, those methods (for a 405 with `Allow`), e.g. `DELETE /health` -> `GET`.
fn allowed_methods(request: &Request<'_>, other_methods_only: bool) -> Option<String> {
    let path: Vec<&str> = request.uri().path().segments().collect();
    let dynamic = |s: &str| s.starts_with('<') && s.ends_with('>');
    // Each route whose path matches, with how many of its segments are literal: the most
    // literal match is the resource (`/books/import`, not `/books/<isbn>`).
    let matches: Vec<(usize, &rocket::Route)> = request
        .rocket()
        .routes()
        .filter_map(|route| {
            let pattern: Vec<&str> = route
                .uri
                .path()
                .split('/')
                .filter(|s| !s.is_empty())
                .collect();
            let fits = pattern.len() == path.len()
                && pattern
                    .iter()
                    .zip(&path)
                    .all(|(want, got)| dynamic(want) || want == got);
            fits.then(|| (pattern.iter().filter(|s| !dynamic(s)).count(), route))
        })
        .collect();
    let best = matches.iter().map(|(literal, _)| *literal).max()?;
    let mut methods: Vec<&'static str> = matches
        .iter()
        .filter(|(literal, route)| {
            *literal == best && (!other_methods_only || route.method != request.method())
        })
        .map(|(_, route)| route.method.as_str())
        .collect();
    methods.sort_unstable();
    methods.dedup();
    (!methods.is_empty()).then(|| methods.join(", "))
}
