//! Children's wishes: written down by their school, browsed and claimed by donors, answered
//! with the child's thanks.

use rocket::http::Status;
use rocket::serde::json::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{Caller, MaybeCaller};
use super::body::JsonBody;
use super::files::PhotoFile;
use super::params::parse_isbn;
use super::query;
use super::responses::{AuthErrors, BodyErrors, ErrorBody, PathErrors, QueryErrors};
use crate::app::child_wishes::WishCardInput;
use crate::app::Bookbridge;
use crate::domain::child_wishes::{sentence, ChildName, ClassCounts, Grade, PhotoKind, WishCard};
use crate::domain::error::DomainError;
use crate::domain::ids::{BookListId, ChildWishId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::model::Pledge;
use crate::error::ApiError;
use crate::photos::PhotoAnswer;
use crate::store::WishFilter;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        create,
        school_wishes,
        classes,
        list,
        show,
        consent,
        claim,
        claim_several,
        thanks,
        withdraw,
        put_photo,
        get_photo,
        put_thanks_photo,
        get_thanks_photo
    ]
}

/// A child's wish card, as the teacher fills it in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WishCardBody {
    /// The child's given name or nickname: never the surname. At most two Chinese
    /// characters or one Latin word.
    #[schema(
        example = "小明",
        min_length = 1,
        max_length = 20,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    child_name: String,
    /// The child's grade, 1-9 (7-9: junior middle school).
    #[schema(example = 3, minimum = 1, maximum = 9)]
    #[serde(deserialize_with = "super::numbers::whole")]
    grade: i64,
    /// The chosen book: ISBN-10 or ISBN-13.
    #[schema(example = "9787535347411")]
    isbn: String,
    /// The child's own sentence: why this book (up to 60 characters).
    #[schema(
        example = "我想知道桑桑的草房子是什么样子的",
        min_length = 1,
        max_length = 60,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    sentence: String,
    /// The teacher ticks this once the child's guardian agreed; until then the wish is kept
    /// for the school only (`awaiting_consent`).
    #[schema(example = true)]
    guardian_consent: bool,
    /// The curated list the book was chosen from (the book must be on it).
    #[serde(default, deserialize_with = "super::numbers::optional_whole")]
    #[schema(example = 1)]
    booklist_id: Option<i64>,
}

/// The child's thanks.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ThanksBody {
    /// The child's sentence of thanks (up to 60 characters).
    #[schema(
        example = "谢谢您！我每天都读一章。",
        min_length = 1,
        max_length = 60,
        pattern = "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F][^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F]*$"
    )]
    sentence: String,
}

/// Several wishes to claim at once.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ClaimBody {
    /// The wishes, 1 to 20.
    #[schema(example = json!([14, 15]), min_items = 1, max_items = 20)]
    wish_ids: Vec<i64>,
    /// For a wish whose book you will send in another edition of the same work (another
    /// printing, a paperback), that edition: the pledge records it. Other wishes get the
    /// wished edition. An ISBN that is not an edition of the wished book is refused (422).
    #[serde(default)]
    #[schema(max_items = 20)]
    editions: Vec<WishEdition>,
}

/// The edition a donor sends for one wish.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct WishEdition {
    /// The wish.
    #[schema(example = 14)]
    wish_id: i64,
    /// ISBN-10 or ISBN-13 of the edition sent.
    #[schema(example = "9787020078400")]
    isbn: String,
}

/// Wish cards.
#[derive(Serialize, ToSchema)]
pub(super) struct WishList {
    wishes: Vec<WishCard>,
}

/// The pledges a claim made: one copy per wish.
#[derive(Serialize, ToSchema)]
pub(super) struct ClaimedPledges {
    pledges: Vec<Pledge>,
}

/// One class's counts.
#[derive(Serialize, ToSchema)]
pub(super) struct ClassLine {
    /// The grade.
    grade: u8,
    /// How its wishes stand.
    #[serde(flatten)]
    counts: ClassCounts,
}

/// A school's classes with wishes.
#[derive(Serialize, ToSchema)]
pub(super) struct ClassList {
    school_id: SchoolId,
    classes: Vec<ClassLine>,
}

/// A photo (JPEG or PNG up; always JPEG down).
pub(super) struct PhotoBytes;

impl utoipa::PartialSchema for PhotoBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .content_media_type("image/jpeg")
            .into()
    }
}

impl utoipa::ToSchema for PhotoBytes {}

/// Writes a child's wish down (the school's own approved account, at a verified school).
/// With `guardian_consent` it is published at once (`open`); without, it waits
/// (`awaiting_consent`) and is never shown to anyone but the school.
#[utoipa::path(post, operation_id = "createChildWish", path = "/schools/{school}/wishes", tag = "wishes",
    request_body = WishCardBody, security(("bearer" = [])),
    params(("school" = i64, Path, description = "The school's id")),
    responses((status = 201, description = "The wish card", body = WishCard),
        (status = 409, description = "`school_not_verified`", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/schools/<school>/wishes", data = "<body>")]
pub(super) async fn create(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    body: JsonBody<WishCardBody>,
) -> Result<(Status, Json<WishCard>), ApiError> {
    let b = body.0;
    let input = WishCardInput {
        child_name: ChildName::parse(&b.child_name).map_err(DomainError::from)?,
        grade: Grade::new(b.grade).map_err(DomainError::from)?,
        isbn: parse_isbn(&b.isbn)?,
        sentence: sentence("sentence", &b.sentence).map_err(DomainError::from)?,
        guardian_consent: b.guardian_consent,
        booklist: b.booklist_id.map(BookListId),
        photo: None,
    };
    let card = service.add_child_wish(&caller.0, school, input).await?;
    Ok((Status::Created, Json(card)))
}

/// A school's own wishes in every status but withdrawn (its account, admins).
#[utoipa::path(get, operation_id = "listSchoolWishes", path = "/schools/{school}/wishes", tag = "wishes",
    security(("bearer" = [])),
    params(("school" = i64, Path, description = "The school's id"),
        ("grade" = Option<u8>, Query, minimum = 1, maximum = 9, description = "Only this grade")),
    responses((status = 200, description = "The school's wish cards", body = WishList), AuthErrors, PathErrors))]
#[rocket::get("/schools/<school>/wishes?<grade>")]
pub(super) async fn school_wishes(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    school: SchoolId,
    grade: Option<&str>,
) -> Result<Json<WishList>, ApiError> {
    let grade = parse_grade(grade)?;
    Ok(Json(WishList {
        wishes: service.school_wishes(&caller.0, school, grade).await?,
    }))
}

/// A verified school's classes (grades) with wishes, as counts: wishes published, answered
/// and delivered (public).
#[utoipa::path(get, operation_id = "listSchoolClasses", path = "/schools/{school}/classes", tag = "wishes",
    params(("school" = i64, Path, description = "The school's id")),
    responses((status = 200, description = "The classes", body = ClassList), PathErrors))]
#[rocket::get("/schools/<school>/classes")]
pub(super) async fn classes(
    service: &rocket::State<Bookbridge>,
    school: SchoolId,
) -> Result<Json<ClassList>, ApiError> {
    let classes = service
        .classes(school)
        .await?
        .into_iter()
        .map(|(grade, counts)| ClassLine {
            grade: grade.get(),
            counts,
        })
        .collect();
    Ok(Json(ClassList {
        school_id: school,
        classes,
    }))
}

/// Wishes waiting for a donor: published with the guardian's consent, at verified schools.
/// The child's given name, grade and sentence, the book, and the school's name and place;
/// never a surname, an address or a phone (public).
#[utoipa::path(get, operation_id = "listWishes", path = "/wishes", tag = "wishes",
    params(("province" = Option<String>, Query, max_length = 100, example = "云南",
            description = "Only at schools in this province (English or Chinese)"),
        ("grade" = Option<u8>, Query, minimum = 1, maximum = 9, description = "Only this grade"),
        ("isbn" = Option<String>, Query, example = "9787535347411", description = "Only wishes for this book"),
        ("sort" = Option<String>, Query, pattern = "^(newest|waiting)$",
            description = "`waiting`: those waiting longest first; `newest` (default)"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 100)"),
        ("offset" = Option<u64>, Query, description = "Wishes to skip (default 0)")),
    responses((status = 200, description = "Open wishes", body = WishList), QueryErrors))]
#[rocket::get("/wishes?<province>&<grade>&<isbn>&<sort>&<limit>&<offset>")]
#[allow(clippy::too_many_arguments)]
pub(super) async fn list(
    service: &rocket::State<Bookbridge>,
    province: Option<&str>,
    grade: Option<&str>,
    isbn: Option<&str>,
    sort: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<WishList>, ApiError> {
    let (limit, offset) = query::page(limit, offset)?;
    let oldest_first = match sort {
        None | Some("newest") => false,
        Some("waiting") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "sort",
                "`sort` must be `newest` or `waiting`",
            ))
        }
    };
    let filter = WishFilter {
        province: province.map(str::to_owned),
        grade: parse_grade(grade)?,
        isbn: isbn.map(parse_isbn).transpose()?,
        oldest_first,
        limit,
        offset,
        ..Default::default()
    };
    Ok(Json(WishList {
        wishes: service.open_wishes(filter).await?,
    }))
}

/// One wish: published ones for everyone (the child's details while it is open, and to the
/// donor who answered it); any status for its school and admins.
#[utoipa::path(get, operation_id = "getWish", path = "/wishes/{id}", tag = "wishes",
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The wish card", body = WishCard), PathErrors))]
#[rocket::get("/wishes/<id>")]
pub(super) async fn show(
    service: &rocket::State<Bookbridge>,
    caller: MaybeCaller,
    id: ChildWishId,
) -> Result<Json<WishCard>, ApiError> {
    Ok(Json(service.wish_card(caller.0.as_ref(), id).await?))
}

/// Records that the child's guardian agreed, which publishes the wish (the school).
#[utoipa::path(post, operation_id = "consentWish", path = "/wishes/{id}/consent", tag = "wishes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The published wish", body = WishCard),
        (status = 409, description = "`invalid_transition`: not waiting for consent", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/wishes/<id>/consent")]
pub(super) async fn consent(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ChildWishId,
) -> Result<Json<WishCard>, ApiError> {
    Ok(Json(service.consent_child_wish(&caller.0, id).await?))
}

/// Claims a wish (donors): a pledge of one copy to the child's school, with the same
/// lifecycle and time to post as any pledge. Exactly one donor wins a wish.
#[utoipa::path(post, operation_id = "claimWish", path = "/wishes/{id}/claim", tag = "wishes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 201, description = "The pledge made", body = ClaimedPledges),
        (status = 409, description = "`wish_taken`: another donor answered it first", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::post("/wishes/<id>/claim")]
pub(super) async fn claim(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ChildWishId,
) -> Result<(Status, Json<ClaimedPledges>), ApiError> {
    let pledges = service.claim_child_wishes(&caller.0, &[id], &[]).await?;
    Ok((Status::Created, Json(ClaimedPledges { pledges })))
}

/// Claims several wishes in turn (donors); stops at the first one already taken
/// (`wish_taken`), keeping the claims made before it.
#[utoipa::path(post, operation_id = "claimWishes", path = "/wish-claims", tag = "wishes",
    request_body = ClaimBody, security(("bearer" = [])),
    responses((status = 201, description = "The pledges made", body = ClaimedPledges),
        (status = 404, description = "`not_found`: no such wish", body = ErrorBody),
        (status = 409, description = "`wish_taken`", body = ErrorBody),
        AuthErrors, BodyErrors))]
#[rocket::post("/wish-claims", data = "<body>")]
pub(super) async fn claim_several(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    body: JsonBody<ClaimBody>,
) -> Result<(Status, Json<ClaimedPledges>), ApiError> {
    let ClaimBody { wish_ids, editions } = body.0;
    let ids: Vec<ChildWishId> = wish_ids.into_iter().map(ChildWishId).collect();
    if editions.len() > 20 {
        return Err(ApiError::invalid("editions", "at most 20 editions"));
    }
    let editions = editions
        .into_iter()
        .map(|e| {
            Isbn::parse(&e.isbn)
                .map(|isbn| (ChildWishId(e.wish_id), isbn))
                .map_err(|err| DomainError::InvalidIsbn(err, "editions"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pledges = service
        .claim_child_wishes(&caller.0, &ids, &editions)
        .await?;
    Ok((Status::Created, Json(ClaimedPledges { pledges })))
}

/// Records the child's thanks once the book arrived (the school); the donor sees it on
/// their pledge and is told.
#[utoipa::path(post, operation_id = "thankForWish", path = "/wishes/{id}/thanks", tag = "wishes",
    request_body = ThanksBody, security(("bearer" = [])),
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The wish card with its thanks", body = WishCard),
        (status = 409, description = "`invalid_transition`: the book has not arrived", body = ErrorBody),
        AuthErrors, BodyErrors, PathErrors))]
#[rocket::post("/wishes/<id>/thanks", data = "<body>")]
pub(super) async fn thanks(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ChildWishId,
    body: JsonBody<ThanksBody>,
) -> Result<Json<WishCard>, ApiError> {
    let said = sentence("sentence", &body.0.sentence).map_err(DomainError::from)?;
    Ok(Json(service.thank_for_wish(&caller.0, id, &said).await?))
}

/// Withdraws a wish (the school), at any time: the child's name, sentence, photos and
/// thanks are erased. A delivered wish still counts as answered.
#[utoipa::path(delete, operation_id = "withdrawWish", path = "/wishes/{id}", tag = "wishes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "What is left of the wish", body = WishCard),
        (status = 409, description = "`invalid_transition`: already withdrawn", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::delete("/wishes/<id>")]
pub(super) async fn withdraw(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ChildWishId,
) -> Result<Json<WishCard>, ApiError> {
    Ok(Json(service.withdraw_child_wish(&caller.0, id).await?))
}

/// Adds (or replaces) the photo of the handwritten wish card until a donor answers it (the
/// school). Re-encoded without EXIF (no location), at most 1600 pixels a side. A JPEG of at
/// most 48 megapixels or a PNG of at most 12 (`file_over_limit`, 422, with the cap as
/// `limit`: the size the file declares is checked before it is decoded).
#[utoipa::path(put, operation_id = "putWishPhoto", path = "/wishes/{id}/photo", tag = "wishes",
    request_body(content((PhotoBytes = "image/jpeg"), (PhotoBytes = "image/png"))),
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The wish card", body = WishCard),
        (status = 409, description = "`invalid_transition`: answered already", body = ErrorBody),
        (status = 413, description = "Larger than 8 MB (`body_too_large`, with `limit`)", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::put("/wishes/<id>/photo", data = "<file>")]
pub(super) async fn put_photo(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ChildWishId,
    file: PhotoFile,
) -> Result<Json<WishCard>, ApiError> {
    Ok(Json(
        service
            .set_wish_photo(&caller.0, id, PhotoKind::Card, file.0)
            .await?,
    ))
}

/// The photo of the wish card: while the wish is open, or for its school, the donor who
/// answered it and admins.
#[utoipa::path(get, operation_id = "getWishPhoto", path = "/wishes/{id}/photo", tag = "wishes",
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The photo", content_type = "image/jpeg", body = PhotoBytes), PathErrors))]
#[rocket::get("/wishes/<id>/photo")]
pub(super) async fn get_photo(
    service: &rocket::State<Bookbridge>,
    caller: MaybeCaller,
    id: ChildWishId,
) -> Result<PhotoAnswer, ApiError> {
    Ok(PhotoAnswer(
        service
            .wish_photo(caller.0.as_ref(), id, PhotoKind::Card)
            .await?,
    ))
}

/// Adds (or replaces) the photo of the child's thanks card once the book arrived (the school).
#[utoipa::path(put, operation_id = "putThanksPhoto", path = "/wishes/{id}/thanks-photo", tag = "wishes",
    request_body(content((PhotoBytes = "image/jpeg"), (PhotoBytes = "image/png"))),
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The wish card", body = WishCard),
        (status = 409, description = "`invalid_transition`: the book has not arrived", body = ErrorBody),
        (status = 413, description = "Larger than 8 MB (`body_too_large`, with `limit`)", body = ErrorBody),
        AuthErrors, PathErrors))]
#[rocket::put("/wishes/<id>/thanks-photo", data = "<file>")]
pub(super) async fn put_thanks_photo(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
    id: ChildWishId,
    file: PhotoFile,
) -> Result<Json<WishCard>, ApiError> {
    Ok(Json(
        service
            .set_wish_photo(&caller.0, id, PhotoKind::Thanks, file.0)
            .await?,
    ))
}

/// The photo of the thanks card, for the school, the donor who answered the wish and admins.
#[utoipa::path(get, operation_id = "getThanksPhoto", path = "/wishes/{id}/thanks-photo", tag = "wishes",
    params(("id" = i64, Path, description = "The wish's id")),
    responses((status = 200, description = "The photo", content_type = "image/jpeg", body = PhotoBytes), PathErrors))]
#[rocket::get("/wishes/<id>/thanks-photo")]
pub(super) async fn get_thanks_photo(
    service: &rocket::State<Bookbridge>,
    caller: MaybeCaller,
    id: ChildWishId,
) -> Result<PhotoAnswer, ApiError> {
    Ok(PhotoAnswer(
        service
            .wish_photo(caller.0.as_ref(), id, PhotoKind::Thanks)
            .await?,
    ))
}

fn parse_grade(raw: Option<&str>) -> Result<Option<Grade>, ApiError> {
    Ok(raw
        .map(Grade::parse)
        .transpose()
        .map_err(DomainError::from)?)
}
