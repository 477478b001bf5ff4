//! Pledges and their lifecycle.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::{JsonBody, OptionalJsonBody};
use super::params::{parse_isbn, parse_quantity, parse_status};
use super::query;
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors, QueryErrors};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::ids::{PledgeId, SchoolId};
use crate::domain::model::{MoveDetails, Pledge, PledgeEvent};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::pledges::PledgeView;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        create,
        list,
        show,
        cancel,
        extend,
        move_status,
        correct_tracking,
        events
    ]
}

/// Copies a donor promises.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PledgeBody {
    /// ISBN-10 or ISBN-13, with or without hyphens.
    #[schema(example = "0060775858")]
    isbn: String,
    /// Copies, 1 to 10,000, at most what schools still need.
    #[schema(example = 2, minimum = 1, maximum = 10_000)]
    #[serde(deserialize_with = "super::numbers::whole")]
    quantity: i64,
    /// The school to send to; without it the matching rule picks, and may split the copies
    /// across schools.
    #[serde(default, deserialize_with = "super::numbers::optional_whole")]
    school_id: Option<i64>,
}

/// A move in a pledge's lifecycle.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusBody {
    /// `shipped`, `delivered`, `cancelled`, `lost` or `returned`.
    #[schema(example = "shipped", value_type = PledgeStatus)]
    status: String,
    /// Carrier, up to 100 characters (kept on the pledge).
    #[schema(
        example = "China Post",
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    carrier: Option<String>,
    /// Tracking number, up to 100 characters (kept on the pledge).
    #[schema(
        example = "EMS123456789CN",
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    tracking_number: Option<String>,
    /// A note for the history, up to 1,000 characters.
    #[schema(max_length = 1000, pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$")]
    note: Option<String>,
}

/// A parcel's corrected carrier and tracking number.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TrackingBody {
    /// Carrier, up to 100 characters (unchanged if absent).
    #[schema(
        example = "China Post",
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    pub(super) carrier: Option<String>,
    /// The right tracking number, up to 100 characters.
    #[schema(
        example = "EMS123456789CN",
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    pub(super) tracking_number: String,
}

/// Why a pledge is cancelled.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CancelBody {
    /// A note for the history, up to 1,000 characters.
    #[schema(max_length = 1000, pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$")]
    note: Option<String>,
}

/// Pledges.
#[derive(Serialize, ToSchema)]
pub(super) struct PledgeList {
    pledges: Vec<Pledge>,
}

/// A pledge's history, oldest first.
#[derive(Serialize, ToSchema)]
pub(super) struct EventList {
    pledge_id: PledgeId,
    events: Vec<PledgeEvent>,
}

fn details(
    carrier: Option<&str>,
    tracking: Option<&str>,
    note: Option<&str>,
) -> Result<MoveDetails, DomainError> {
    Ok(MoveDetails::parse(carrier, tracking, note)?)
}

/// Pledges copies (donors). With `school_id` they go to that school; without it copies go
/// one at a time to the school with the fewest copies committed per student, so a large
/// pledge may become several pledges.
#[utoipa::path(post, operation_id = "createPledge", path = "/pledges", tag = "pledges", request_body = PledgeBody,
    security(("bearer" = [])),
    responses((status = 201, description = "The pledges made", body = PledgeList),
        (status = 404, description = "`not_found`: no such school", body = ErrorBody),
        (status = 409, description = "`insufficient_need` (with `outstanding`): schools need fewer copies \
            than offered; or `wishlist_item_closed`", body = ErrorBody),
        AuthErrors, BodyErrors))]
#[rocket::post("/pledges", data = "<body>")]
pub(super) async fn create(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<PledgeBody>,
) -> Result<(Status, Json<PledgeList>), ApiError> {
    let b = body.0;
    let isbn = parse_isbn(&b.isbn)?;
    let quantity = parse_quantity(b.quantity)?;
    let pledges = service
        .pledge(&caller.0, &isbn, quantity, b.school_id.map(SchoolId))
        .await?;
    Ok((Status::Created, Json(PledgeList { pledges })))
}

/// Pledges the caller may see, newest first: a donor's own, a school's incoming, and every
/// pledge for volunteers and admins.
#[utoipa::path(get, operation_id = "listPledges", path = "/pledges", tag = "pledges", security(("bearer" = [])),
    params(("status" = Option<PledgeStatus>, Query, description = "Only pledges in this status"),
        ("school_id" = Option<i64>, Query, description = "Only pledges to this school"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)"),
        ("offset" = Option<u64>, Query, description = "Pledges to skip (default 0)"),
        ("isbn" = Option<String>, Query, example = "978-0-06-077585-8",
            description = "Only pledges of this book (an ISBN in any printed form: a scanner's digits, dashes, an `ISBN` label)")),
    responses((status = 200, description = "A page of pledges", body = PledgeList), AuthErrors, QueryErrors))]
#[rocket::get("/pledges?<status>&<school_id>&<limit>&<offset>&<isbn>")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    status: Option<&str>,
    school_id: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
    isbn: Option<&str>,
) -> Result<Json<PledgeList>, ApiError> {
    let (limit, offset) = query::page(limit, offset)?;
    let filter = PledgeFilter {
        donor: None,
        school: query::optional_id("school_id", school_id)?.map(SchoolId),
        status: status.map(parse_status).transpose()?,
        limit,
        offset,
        isbn: isbn.map(parse_isbn).transpose()?,
    };
    // The same use case the pages' `pledge_lines` builds on, without the titles and
    // destinations this answer does not carry.
    Ok(Json(PledgeList {
        pledges: service.pledges(&caller.0, filter).await?,
    }))
}

/// One pledge, with `ship_to` (the school's name, address and phone) for its donor, its
/// school, volunteers and admins.
#[utoipa::path(get, operation_id = "getPledge", path = "/pledges/{id}", tag = "pledges", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pledge's id")),
    responses((status = 200, description = "The pledge", body = PledgeView), AuthErrors, PathErrors))]
#[rocket::get("/pledges/<id>")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
) -> Result<Json<PledgeView>, ApiError> {
    Ok(Json(service.pledge_view(&caller.0, id).await?))
}

/// Cancels a pledge that has not shipped (its donor, admins); the copies are needed again.
#[utoipa::path(post, operation_id = "cancelPledge", path = "/pledges/{id}/cancel", tag = "pledges", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pledge's id")),
    request_body(content = Option<CancelBody>, description = "Optional"),
    responses((status = 200, description = "The cancelled pledge", body = PledgeView),
        (status = 409, description = "`invalid_transition` (with `from` and `to`)", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/pledges/<id>/cancel", data = "<body>")]
pub(super) async fn cancel(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
    body: OptionalJsonBody<CancelBody>,
) -> Result<Json<PledgeView>, ApiError> {
    // No body is fine; a body is read like any other (a bad one is refused, not ignored).
    let note = body.0.note;
    let details = details(None, None, note.as_deref())?;
    Ok(Json(
        service
            .move_pledge(&caller.0, id, PledgeStatus::Cancelled, details)
            .await?,
    ))
}

/// Gives a pledge that has not been posted more time, once (its donor, admins): its
/// `ship_by` moves `pledge_extend_days` later. A pledge still `pledged` after its `ship_by`
/// expires on its own and its copies are needed again.
#[utoipa::path(post, operation_id = "extendPledge", path = "/pledges/{id}/extend", tag = "pledges", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pledge's id")),
    responses((status = 200, description = "The pledge, with its new `ship_by` and `extended: true`", body = PledgeView),
        (status = 409, description = "`cannot_extend`: posted already, ended, or extended once before", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/pledges/<id>/extend")]
pub(super) async fn extend(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
) -> Result<Json<PledgeView>, ApiError> {
    Ok(Json(service.extend_pledge(&caller.0, id).await?))
}

/// Moves a pledge on: volunteers and admins ship and record losses and returns; the
/// receiving school (or an admin) confirms delivery; the donor (or an admin) cancels.
#[utoipa::path(post, operation_id = "movePledge", path = "/pledges/{id}/status", tag = "pledges", request_body = StatusBody,
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pledge's id")),
    responses((status = 200, description = "The moved pledge", body = PledgeView),
        (status = 409, description = "`invalid_transition` (with `from` and `to`)", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/pledges/<id>/status", data = "<body>")]
pub(super) async fn move_status(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
    body: JsonBody<StatusBody>,
) -> Result<Json<PledgeView>, ApiError> {
    let b = body.0;
    let to = parse_status(&b.status)?;
    let details = details(
        b.carrier.as_deref(),
        b.tracking_number.as_deref(),
        b.note.as_deref(),
    )?;
    Ok(Json(service.move_pledge(&caller.0, id, to, details).await?))
}

/// Corrects the carrier and tracking number of a parcel on its way (volunteers and admins):
/// a number mistyped when it was marked shipped. The old number stays in the audit log.
#[utoipa::path(post, operation_id = "correctTracking", path = "/pledges/{id}/tracking", tag = "pledges", request_body = TrackingBody,
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pledge's id")),
    responses((status = 200, description = "The pledge with its corrected tracking number", body = PledgeView),
        (status = 409, description = "`conflict`: the pledge is not on its way", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/pledges/<id>/tracking", data = "<body>")]
pub(super) async fn correct_tracking(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
    body: JsonBody<TrackingBody>,
) -> Result<Json<PledgeView>, ApiError> {
    let b = body.0;
    let details = details(b.carrier.as_deref(), Some(&b.tracking_number), None)?;
    Ok(Json(
        service.correct_tracking(&caller.0, id, details).await?,
    ))
}

/// Every move of a pledge, oldest first, each with who made it and when.
#[utoipa::path(get, operation_id = "listPledgeEvents", path = "/pledges/{id}/events", tag = "pledges", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The pledge's id")),
    responses((status = 200, description = "The history", body = EventList), AuthErrors, PathErrors))]
#[rocket::get("/pledges/<id>/events")]
pub(super) async fn events(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
) -> Result<Json<EventList>, ApiError> {
    Ok(Json(EventList {
        pledge_id: id,
        events: service.pledge_events(&caller.0, id).await?,
    }))
}
