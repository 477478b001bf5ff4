//! Schools.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{Caller, MaybeCaller};
use super::body::JsonBody;
use super::query;
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors, QueryErrors};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::ids::SchoolId;
use crate::domain::model::SchoolSummary;
use crate::domain::schools::{NewSchool, SchoolView};
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![create, list, show]
}

/// A school to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SchoolBody {
    /// Name, 1 to 200 characters.
    #[schema(
        example = "Baiyun Village Primary",
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    name: String,
    /// Province.
    #[schema(
        example = "Yunnan",
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    province: String,
    /// County.
    #[schema(
        example = "Lancang",
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    county: String,
    /// Postal address: shown only to those who send or run (never on public pages).
    #[schema(
        example = "2 River Road, Baiyun",
        min_length = 1,
        max_length = 500,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    address: String,
    /// Contact phone, private like the address. Full-width digits and any dash, as a Chinese
    /// keyboard types them, are read as ASCII and stored so.
    #[schema(
        example = "0879-555-0199",
        min_length = 1,
        max_length = 40,
        pattern = "^\\s*[0-9\\uFF10-\\uFF19 +()\\uFF08\\uFF09\\uFF0B\\-\\uFF0D\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\u30FC\\u3000]*[0-9\\uFF10-\\uFF19][0-9\\uFF10-\\uFF19 +()\\uFF08\\uFF09\\uFF0B\\-\\uFF0D\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\u30FC\\u3000]*\\s*$"
    )]
    contact_phone: String,
    /// Students, 1 to 100,000.
    #[schema(example = 80, minimum = 1, maximum = 100_000)]
    #[serde(deserialize_with = "super::numbers::whole")]
    student_count: i64,
    /// The national school identification code (学校标识码, 10 digits), which a coordinator
    /// checks before the school can receive pledges.
    #[schema(
        example = "5308280001",
        pattern = "^[\\s\\-\\uFF0D\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\u30FC]*([0-9\\uFF10-\\uFF19][\\s\\-\\uFF0D\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\u30FC]*){10}$"
    )]
    school_code: Option<String>,
}

/// A page of schools.
#[derive(Serialize, ToSchema)]
pub(super) struct SchoolList {
    schools: Vec<SchoolSummary>,
}

/// Registers the caller's school (school accounts, one school each).
#[utoipa::path(post, operation_id = "createSchool", path = "/schools", tag = "schools", request_body = SchoolBody, security(("bearer" = [])),
    responses((status = 201, description = "The school, with its private fields", body = SchoolView),
        (status = 409, description = "`school_exists`: this account already has a school", body = ErrorBody),
        AuthErrors, BodyErrors))]
#[rocket::post("/schools", data = "<body>")]
pub(super) async fn create(
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
    .and_then(|school| school.with_code(b.school_code.as_deref()))
    .map_err(DomainError::from)?;
    Ok((
        Status::Created,
        Json(service.create_school(&caller.0, school).await?),
    ))
}

/// Schools, oldest first, with the copies each still needs; in one province when asked.
#[utoipa::path(get, operation_id = "listSchools", path = "/schools", tag = "schools",
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)"),
        ("offset" = Option<u64>, Query, description = "Schools to skip (default 0)"),
        ("province" = Option<String>, Query, max_length = 100, example = "云南",
            description = "Only schools in this province, named in English or Chinese, with or without its suffix (Yunnan, 云南, 云南省)")),
    responses((status = 200, description = "A page of schools", body = SchoolList), QueryErrors))]
#[rocket::get("/schools?<limit>&<offset>&<province>")]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    limit: Option<&str>,
    offset: Option<&str>,
    province: Option<&str>,
) -> Result<Json<SchoolList>, ApiError> {
    let (limit, offset) = query::page(limit, offset)?;
    Ok(Json(SchoolList {
        schools: service.list_schools(province, limit, offset).await?,
    }))
}

/// One school. `address` and `contact_phone` appear for its own account, volunteers, admins
/// and donors with a pledged or shipped pledge to it.
#[utoipa::path(get, operation_id = "getSchool", path = "/schools/{id}", tag = "schools", security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "The school's id")),
    responses((status = 200, description = "The school", body = SchoolView),
        (status = 401, description = "A token was sent but is not valid", body = ErrorBody),
        PathErrors))]
#[rocket::get("/schools/<id>")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    caller: MaybeCaller,
    id: SchoolId,
) -> Result<Json<SchoolView>, ApiError> {
    Ok(Json(service.school(caller.0.as_ref(), id).await?))
}
