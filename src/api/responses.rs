//! How error answers are described in the OpenAPI document: the shared response sets that
//! each route's `#[utoipa::path]` lists. (`crate::error::ApiError` writes the bodies.)

use utoipa::{IntoResponses, ToSchema};

/// Every error answer. (`ApiError::body` writes it; these types only describe it.)
#[derive(ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The error object. Some codes carry more facts: `invalid_transition` has `from` and `to`,
/// `insufficient_need` has `outstanding`, `quantity_below_committed` has `committed`,
/// `file_over_limit` and `body_too_large` have `limit` (the cap, in rows, columns, bytes or
/// pixels).
#[derive(ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `malformed_json`, `unauthenticated`, `invalid_credentials`,
    /// `forbidden`, `not_found`, `email_taken`, `school_exists`, `invalid_transition`,
    /// `insufficient_need`, `quantity_below_committed`, `wishlist_item_closed`, `wish_taken`, `conflict`,
    /// `body_too_large`, `file_over_limit`, `validation_failed`, `invalid_isbn`,
    /// `account_pending`, `school_not_verified`, `too_many_attempts`, `database_unavailable`.
    pub code: String,
    /// For a person.
    pub message: String,
    /// The request field at fault, when there is one.
    #[schema(nullable = false)]
    pub field: Option<String>,
}

/// What any route that requires a token may answer.
#[derive(IntoResponses)]
pub enum AuthErrors {
    /// No token, a malformed `Authorization` header, or a token that expired or was revoked
    /// (`unauthenticated`).
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Signed in, but this role or account may not do this (`forbidden`).
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// What any route that reads a JSON body may answer.
#[derive(IntoResponses)]
pub enum BodyErrors {
    /// Not JSON (`malformed_json`).
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// Larger than the `limits.json` limit (`body_too_large`).
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// JSON of the wrong shape or with a bad value; `field` names it (`validation_failed`,
    /// `invalid_isbn`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// What any route that names a resource in its path may answer.
#[derive(IntoResponses)]
pub enum PathErrors {
    /// Nothing with that id, or nothing this caller may see (`not_found`).
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// An id that is not a whole number, or an ISBN that does not check out
    /// (`validation_failed`, `invalid_isbn`), or a bad query parameter.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// What a route with only query parameters may answer for a bad one.
#[derive(IntoResponses)]
pub enum QueryErrors {
    /// A query parameter out of range or of the wrong kind; `field` names it
    /// (`validation_failed`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}
