//! Schools.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};

use super::auth::{Caller, MaybeCaller};
use super::body::JsonBody;
use super::query;
use crate::domain::error::DomainError;
use crate::domain::ids::SchoolId;
use crate::domain::model::SchoolSummary;
use crate::domain::schools::{NewSchool, SchoolView};
use crate::domain::Bookbridge;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![create, list, show]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchoolBody {
    name: String,
    province: String,
    county: String,
    address: String,
    contact_phone: String,
    student_count: i64,
}

#[derive(Serialize)]
struct SchoolList {
    schools: Vec<SchoolSummary>,
}

#[rocket::post("/schools", data = "<body>")]
async fn create(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<SchoolBody>,
) -> Result<(Status, Json<SchoolView>), ApiError> {
    let b = body.0;
    let school = NewSchool::new(
        &b.name,
        &b.province,
        &b.county,
        &b.address,
        &b.contact_phone,
        b.student_count,
    )
    .map_err(DomainError::from)?;
    Ok((
        Status::Created,
        Json(service.create_school(&caller.0, school).await?),
    ))
}

#[rocket::get("/schools?<limit>&<offset>")]
async fn list(
    service: &rocket::State<Bookbridge>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<SchoolList>, ApiError> {
    let (limit, offset) = query::page(limit, offset)?;
    Ok(Json(SchoolList {
        schools: service.list_schools(limit, offset).await?,
    }))
}

#[rocket::get("/schools/<id>")]
async fn show(
    service: &rocket::State<Bookbridge>,
    caller: MaybeCaller,
    id: SchoolId,
) -> Result<Json<SchoolView>, ApiError> {
    Ok(Json(service.school(caller.0.as_ref(), id).await?))
}
