//! The caller's own notices, in the language they read: what the web's notices page shows,
//! for the mini program and other clients.

use rocket::serde::json::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::responses::AuthErrors;
use crate::app::Bookbridge;
use crate::domain::ids::PledgeId;
use crate::domain::notices::NoticeKind;
use crate::error::ApiError;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![mine]
}

/// One notice, in words.
#[derive(Serialize, ToSchema)]
pub(super) struct NoticeBody {
    /// Its id.
    id: i64,
    /// What about.
    kind: NoticeKind,
    /// The pledge it is about, if any.
    #[schema(value_type = Option<i64>)]
    pledge_id: Option<PledgeId>,
    /// When it was recorded.
    created_at: chrono::DateTime<chrono::Utc>,
    /// The subject, in the caller's language.
    subject: String,
    /// What happened and what to do now, in the caller's language.
    body: String,
}

/// The caller's notices, newest first.
#[derive(Serialize, ToSchema)]
pub(super) struct NoticeList {
    /// Newest first (the latest 100).
    notices: Vec<NoticeBody>,
}

/// The caller's own notices, newest first, in the language their account reads.
#[utoipa::path(get, operation_id = "listMyNotices", path = "/me/notices", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The caller's notices", body = NoticeList), AuthErrors))]
#[rocket::get("/me/notices")]
pub(super) async fn mine(
    service: &rocket::State<Bookbridge>,
    caller: Caller,
) -> Result<Json<NoticeList>, ApiError> {
    let chinese = service.me(&caller.0).await?.language.is_chinese();
    let notices = service
        .notices(&caller.0)
        .await?
        .into_iter()
        .map(|notice| {
            let words = notice.words(chinese);
            NoticeBody {
                id: notice.id,
                kind: notice.kind,
                pledge_id: notice.pledge_id,
                created_at: notice.created_at,
                subject: words.subject,
                body: words.body,
            }
        })
        .collect();
    Ok(Json(NoticeList { notices }))
}
