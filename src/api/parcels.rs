//! Parcels: the pledges one donor posts to one school together.

use rocket::serde::json::Json;

use super::auth::Caller;
use super::body::JsonBody;
use super::pledges::TrackingBody;
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors};
use crate::app::Bookbridge;
use crate::domain::ids::ParcelId;
use crate::domain::model::MoveDetails;
use crate::domain::parcels::ParcelView;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![show, posted, delivered, tracking]
}

fn details(body: &TrackingBody) -> Result<MoveDetails, ApiError> {
    Ok(
        MoveDetails::parse(body.carrier.as_deref(), Some(&body.tracking_number), None)
            .map_err(crate::domain::error::DomainError::from)?,
    )
}

/// A parcel: its pledges, the date to post it by, its tracking number once posted, and (for
/// its donor while under way, its school and staff) where it goes.
#[utoipa::path(get, operation_id = "getParcel", path = "/parcels/{id}", tag = "pledges", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The parcel's id")),
    responses((status = 200, description = "The parcel", body = ParcelView), AuthErrors, PathErrors))]
#[rocket::get("/parcels/<id>")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ParcelId,
) -> Result<Json<ParcelView>, ApiError> {
    Ok(Json(service.parcel(&caller.0, id).await?))
}

/// Records the parcel as posted (its donor, a volunteer or an admin): every pledge in it still
/// waiting moves to `shipped` with the carrier and tracking number, together.
#[utoipa::path(post, operation_id = "postParcel", path = "/parcels/{id}/shipped", tag = "pledges", request_body = TrackingBody,
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The parcel's id")),
    responses((status = 200, description = "The parcel, on its way", body = ParcelView),
        (status = 409, description = "`invalid_transition`: nothing in it waits to be posted; \
            `conflict`: it changed meanwhile", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/parcels/<id>/shipped", data = "<body>")]
pub(super) async fn posted(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ParcelId,
    body: JsonBody<TrackingBody>,
) -> Result<Json<ParcelView>, ApiError> {
    let details = details(&body.0)?;
    Ok(Json(service.post_parcel(&caller.0, id, details).await?))
}

/// The school confirms the parcel arrived: every pledge in it on its way moves to
/// `delivered`, and its books go on the school's shelf.
#[utoipa::path(post, operation_id = "confirmParcel", path = "/parcels/{id}/delivered", tag = "pledges",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The parcel's id")),
    responses((status = 200, description = "The parcel, arrived", body = ParcelView),
        (status = 409, description = "`invalid_transition`: nothing in it is on its way", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/parcels/<id>/delivered")]
pub(super) async fn delivered(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ParcelId,
) -> Result<Json<ParcelView>, ApiError> {
    Ok(Json(service.confirm_parcel(&caller.0, id).await?))
}

/// Corrects the parcel's tracking number while it is on its way: whoever entered it, a
/// volunteer or an admin.
#[utoipa::path(post, operation_id = "correctParcelTracking", path = "/parcels/{id}/tracking", tag = "pledges", request_body = TrackingBody,
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The parcel's id")),
    responses((status = 200, description = "The parcel with its corrected tracking number", body = ParcelView),
        (status = 409, description = "`conflict`: the parcel is not on its way", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/parcels/<id>/tracking", data = "<body>")]
pub(super) async fn tracking(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ParcelId,
    body: JsonBody<TrackingBody>,
) -> Result<Json<ParcelView>, ApiError> {
    let details = details(&body.0)?;
    Ok(Json(
        service
            .correct_parcel_tracking(&caller.0, id, details)
            .await?,
    ))
}
