//! Vetting: the queue of accounts to approve, approving, suspending and reinstating them,
//! coordinators, and verifying schools.

use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::{JsonBody, OptionalJsonBody};
use super::query;
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors, QueryErrors};
use crate::app::Bookbridge;
use crate::domain::ids::{AccountId, SchoolId};
use crate::domain::model::Account;
use crate::domain::schools::SchoolView;
use crate::domain::vetting::{AccountStatus, Vetting};
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        list,
        approve,
        suspend,
        reinstate,
        make_coordinator,
        unmake_coordinator,
        verify
    ]
}

/// A page of accounts.
#[derive(Serialize, ToSchema)]
pub(super) struct AccountList {
    /// Oldest first.
    accounts: Vec<Account>,
}

/// An optional note with a vetting decision.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NoteBody {
    /// Why, for the audit log (up to 1,000 characters).
    #[schema(
        example = "Called the school; the head teacher confirmed.",
        max_length = 1000,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    note: Option<String>,
}

/// What a verifier checked.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct VerifyBody {
    /// The school's national identification code (学校标识码): 10 digits.
    #[schema(
        example = "2153000123",
        pattern = "^[\\s\\-\\uFF0D\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\u30FC]*([0-9\\uFF10-\\uFF19][\\s\\-\\uFF0D\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\u30FC]*){10}$"
    )]
    school_code: String,
    /// How it was checked (up to 1,000 characters).
    #[schema(
        example = "Matched on the county education bureau's list",
        max_length = 1000,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    note: Option<String>,
}

fn parse_status(raw: Option<&str>) -> Result<Option<AccountStatus>, ApiError> {
    raw.map(|s| {
        AccountStatus::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "`status` must be one of pending, active, suspended",
            )
        })
    })
    .transpose()
}

/// Accounts, optionally in one standing: `?status=pending` is the queue to vet
/// (coordinators, admins).
#[utoipa::path(get, operation_id = "listAccounts", path = "/accounts", tag = "accounts", security(("bearer" = [])),
    params(("status" = Option<AccountStatus>, Query, description = "`pending`, `active` or `suspended`"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)"),
        ("offset" = Option<u64>, Query, description = "Accounts to skip (default 0)")),
    responses((status = 200, description = "The accounts", body = AccountList), AuthErrors, QueryErrors))]
#[rocket::get("/accounts?<status>&<limit>&<offset>")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    status: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<AccountList>, ApiError> {
    let status = parse_status(status)?;
    let (limit, offset) = query::page(limit, offset)?;
    let accounts = service.accounts(&caller.0, status, limit, offset).await?;
    Ok(Json(AccountList { accounts }))
}

async fn decide(
    service: &Bookbridge,
    caller: Caller,
    id: AccountId,
    decision: Vetting,
    body: NoteBody,
) -> Result<Json<Account>, ApiError> {
    let account = service
        .decide(&caller.0, id, decision, body.note.as_deref())
        .await?;
    Ok(Json(account))
}

/// Approves a pending account (coordinators, admins).
#[utoipa::path(post, operation_id = "approveAccount", path = "/accounts/{id}/approve", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")), request_body = Option<NoteBody>,
    responses((status = 200, description = "The account, now active", body = Account),
        (status = 409, description = "`invalid_transition` (with `from`, `to`): it is not pending", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/accounts/<id>/approve", data = "<body>")]
pub(super) async fn approve(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: AccountId,
    body: OptionalJsonBody<NoteBody>,
) -> Result<Json<Account>, ApiError> {
    decide(service, caller, id, Vetting::Approve, body.0).await
}

/// Suspends a pending or active account; its tokens stop working at its next request
/// (coordinators, admins).
#[utoipa::path(post, operation_id = "suspendAccount", path = "/accounts/{id}/suspend", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")), request_body = Option<NoteBody>,
    responses((status = 200, description = "The account, now suspended", body = Account),
        (status = 409, description = "`invalid_transition` (with `from`, `to`): already suspended", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/accounts/<id>/suspend", data = "<body>")]
pub(super) async fn suspend(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: AccountId,
    body: OptionalJsonBody<NoteBody>,
) -> Result<Json<Account>, ApiError> {
    decide(service, caller, id, Vetting::Suspend, body.0).await
}

/// Reinstates a suspended account (coordinators, admins).
#[utoipa::path(post, operation_id = "reinstateAccount", path = "/accounts/{id}/reinstate", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")), request_body = Option<NoteBody>,
    responses((status = 200, description = "The account, active again", body = Account),
        (status = 409, description = "`invalid_transition` (with `from`, `to`): it is not suspended", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/accounts/<id>/reinstate", data = "<body>")]
pub(super) async fn reinstate(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: AccountId,
    body: OptionalJsonBody<NoteBody>,
) -> Result<Json<Account>, ApiError> {
    decide(service, caller, id, Vetting::Reinstate, body.0).await
}

/// Makes an approved volunteer a coordinator, who vets accounts and schools (admins).
#[utoipa::path(post, operation_id = "makeCoordinator", path = "/accounts/{id}/coordinator", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")),
    responses((status = 200, description = "The account, now a coordinator", body = Account),
        (status = 409, description = "`conflict`: not an approved volunteer", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/accounts/<id>/coordinator")]
pub(super) async fn make_coordinator(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: AccountId,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(service.set_coordinator(&caller.0, id, true).await?))
}

/// A coordinator goes back to being a volunteer (admins).
#[utoipa::path(delete, operation_id = "removeCoordinator", path = "/accounts/{id}/coordinator", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")),
    responses((status = 200, description = "The account, no longer a coordinator", body = Account),
        (status = 409, description = "`conflict`: not an approved volunteer", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::delete("/accounts/<id>/coordinator")]
pub(super) async fn unmake_coordinator(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: AccountId,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(service.set_coordinator(&caller.0, id, false).await?))
}

/// Verifies a school after checking its identification code: it then receives pledges and
/// its needs count in search (coordinators, admins).
#[utoipa::path(post, operation_id = "verifySchool", path = "/schools/{id}/verify", tag = "schools", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The school's id")), request_body = VerifyBody,
    responses((status = 200, description = "The school, verified", body = SchoolView),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/schools/<id>/verify", data = "<body>")]
pub(super) async fn verify(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: SchoolId,
    body: JsonBody<VerifyBody>,
) -> Result<Json<SchoolView>, ApiError> {
    let b = body.0;
    let school = service
        .verify_school(&caller.0, id, &b.school_code, b.note.as_deref())
        .await?;
    Ok(Json(school))
}
