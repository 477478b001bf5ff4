//! Who is calling: the bearer-token guard.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};
use rocket::Request;

use crate::app::Bookbridge;
use crate::domain::model::Actor;
use crate::error::{ApiError, GuardFailure};

/// A signed-in caller. Routes that take it answer 401 without a valid token.
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub Actor);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Caller {
    type Error = ApiError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let fail = |error: ApiError| {
            GuardFailure::record(request, error.clone());
            Outcome::Error((error.status, error))
        };
        let Some(service) = request.rocket().state::<Bookbridge>() else {
            return fail(ApiError::for_status(Status::InternalServerError));
        };
        let Some(header) = request.headers().get_one("Authorization") else {
            return fail(ApiError::for_status(Status::Unauthorized));
        };
        let token = match header.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return fail(ApiError::new(
                    Status::Unauthorized,
                    "unauthenticated",
                    "the Authorization header must be `Bearer <token>`",
                ))
            }
        };
        match service.authenticate(token).await {
            Ok(mut actor) => {
                actor.client = super::client::client_address(request);
                Outcome::Success(Caller(actor))
            }
            Err(err) => fail(err.into()),
        }
    }
}

/// The client's address (for limits and the audit log; see `client`); absent when unknown.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(ClientIp(super::client::client_address(request)))
    }
}

/// A caller who may or may not be signed in (public pages show more to some callers).
/// A token that is sent but invalid is still a 401, so a client never silently loses its
/// identity.
#[derive(Debug, Clone, Copy)]
pub struct MaybeCaller(pub Option<Actor>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MaybeCaller {
    type Error = ApiError;

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        if request.headers().get_one("Authorization").is_none() {
            return Outcome::Success(MaybeCaller(None));
        }
        Caller::from_request(request)
            .await
            .map(|caller| MaybeCaller(Some(caller.0)))
    }
}
