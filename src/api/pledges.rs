//! Pledges and their lifecycle.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::body::JsonBody;
use super::query;
use super::wishlists::{parse_isbn, parse_quantity};
use crate::domain::error::{DomainError, Invalid};
use crate::domain::ids::{PledgeId, SchoolId};
use crate::domain::model::{MoveDetails, Pledge, PledgeEvent};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeView;
use crate::domain::text;
use crate::domain::Bookbridge;
use crate::error::ApiError;
use crate::store::PledgeFilter;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![create, list, show, cancel, move_status, events]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PledgeBody {
    isbn: String,
    quantity: i64,
    school_id: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StatusBody {
    status: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CancelBody {
    note: Option<String>,
}

#[derive(Serialize)]
struct PledgeList {
    pledges: Vec<Pledge>,
}

#[derive(Serialize)]
struct EventList {
    pledge_id: PledgeId,
    events: Vec<PledgeEvent>,
}

fn parse_status(raw: &str) -> Result<PledgeStatus, DomainError> {
    raw.parse::<PledgeStatus>().map_err(|_| {
        Invalid::new(
            "status",
            "`status` must be one of pledged, shipped, delivered, cancelled, lost, returned",
        )
        .into()
    })
}

fn details(
    carrier: Option<&str>,
    tracking: Option<&str>,
    note: Option<&str>,
) -> Result<MoveDetails, DomainError> {
    Ok(MoveDetails {
        carrier: text::optional("carrier", carrier, 100)?,
        tracking_number: text::optional("tracking_number", tracking, 100)?,
        note: text::optional("note", note, 1000)?,
    })
}

#[rocket::post("/pledges", data = "<body>")]
async fn create(
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

#[rocket::get("/pledges?<status>&<school_id>&<limit>&<offset>")]
async fn list(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    status: Option<&str>,
    school_id: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<PledgeList>, ApiError> {
    let (limit, offset) = query::page(limit, offset)?;
    let filter = PledgeFilter {
        donor: None,
        school: query::optional_id("school_id", school_id)?.map(SchoolId),
        status: status.map(parse_status).transpose()?,
        limit,
        offset,
    };
    Ok(Json(PledgeList {
        pledges: service.pledges(&caller.0, filter).await?,
    }))
}

#[rocket::get("/pledges/<id>")]
async fn show(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
) -> Result<Json<PledgeView>, ApiError> {
    Ok(Json(service.pledge_view(&caller.0, id).await?))
}

#[rocket::post("/pledges/<id>/cancel", data = "<body>")]
async fn cancel(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
    body: Option<JsonBody<CancelBody>>,
) -> Result<Json<PledgeView>, ApiError> {
    let note = body.and_then(|b| b.0.note);
    let details = details(None, None, note.as_deref())?;
    Ok(Json(
        service
            .move_pledge(&caller.0, id, PledgeStatus::Cancelled, details)
            .await?,
    ))
}

#[rocket::post("/pledges/<id>/status", data = "<body>")]
async fn move_status(
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

#[rocket::get("/pledges/<id>/events")]
async fn events(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: PledgeId,
) -> Result<Json<EventList>, ApiError> {
    Ok(Json(EventList {
        pledge_id: id,
        events: service.pledge_events(&caller.0, id).await?,
    }))
}
