//! A donor's box of books: a plan of parcels, then pledges.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body::JsonBody;
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors};
use crate::app::Bookbridge;
use crate::domain::boxes::{BoxRequest, ProposedPlan};
use crate::domain::error::DomainError;
use crate::domain::ids::{BoxId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::parcels::ParcelView;
use crate::domain::text;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![propose, confirm]
}

/// The books on a donor's shelf, to be planned into parcels.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct BoxBody {
    /// ISBN-10 or ISBN-13 each, 1 to 200; a repeated ISBN is another copy.
    #[schema(example = json!(["9787535347411", "9787535347411", "9780060775858"]), min_items = 1, max_items = 200)]
    isbns: Vec<String>,
    /// Schools to leave out of the plan.
    #[serde(default)]
    #[schema(example = json!([]))]
    without: Vec<i64>,
    /// Only schools in this province (its English name, as schools list it).
    #[schema(
        example = "Yunnan",
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    province: Option<String>,
}

/// The parcels a confirmed box became.
#[derive(Serialize, ToSchema)]
pub(super) struct ConfirmedBox {
    /// One parcel per school: where to send it, by when, and its pledges.
    parcels: Vec<ParcelView>,
}

/// Plans a donor's box of books (donors): each book goes where its title is still needed, in
/// as few parcels as possible, the neediest schools first among equal plans. Nothing is
/// pledged until the plan is confirmed; ask again with `without` or `province` to change it.
#[utoipa::path(post, operation_id = "planBox", path = "/boxes", tag = "pledges", request_body = BoxBody,
    security(("bearer" = [])),
    responses((status = 201, description = "The proposed plan: parcels and the books left out, each with why", body = ProposedPlan),
        AuthErrors, BodyErrors))]
#[rocket::post("/boxes", data = "<body>")]
pub(super) async fn propose(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<BoxBody>,
) -> Result<(Status, Json<ProposedPlan>), ApiError> {
    let b = body.0;
    let isbns = b
        .isbns
        .iter()
        .map(|raw| Isbn::parse(raw).map_err(|e| DomainError::InvalidIsbn(e, "isbns")))
        .collect::<Result<Vec<Isbn>, DomainError>>()?;
    let province =
        text::optional("province", b.province.as_deref(), 100).map_err(DomainError::from)?;
    let request = BoxRequest {
        isbns,
        without: b.without.into_iter().map(SchoolId).collect(),
        province,
    };
    Ok((
        Status::Created,
        Json(service.plan_box(&caller.0, request).await?),
    ))
}

/// Confirms a box's plan: its parcels' pledges are made together, checked against the need at
/// this moment. If another donor took some of that need meanwhile, nothing is pledged and the
/// answer is 409 `plan_stale` with a fresh `plan` (confirm the box again to accept it).
#[utoipa::path(post, operation_id = "confirmBox", path = "/boxes/{id}/confirm", tag = "pledges",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The box's id")),
    responses((status = 201, description = "The parcels, each with its address, post-by date and pledges", body = ConfirmedBox),
        (status = 409, description = "`plan_stale` (with a fresh `plan`); or `conflict`: confirmed already, or nothing in it is needed", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/boxes/<id>/confirm")]
pub(super) async fn confirm(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: BoxId,
) -> Result<(Status, Json<ConfirmedBox>), ApiError> {
    let parcels = service.confirm_box(&caller.0, id).await?;
    Ok((Status::Created, Json(ConfirmedBox { parcels })))
}
