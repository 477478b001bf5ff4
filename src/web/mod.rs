//! The web pages: server-rendered HTML (maud) over the same domain and rules as the API.
//! No JavaScript is needed; every asset is inline or served here. Pages use a session
//! cookie and a CSRF token on every form; the API keeps bearer tokens.

mod account;
mod admin;
mod api_docs;
mod booklists;
pub mod compression;
mod context;
mod directory;
mod donor;
pub mod errors;
pub mod headers;
pub mod i18n;
mod layout;
mod me;
mod notices;
mod school;
mod search;
mod vetting;
mod volunteer;
mod wishes;

use maud::{html, Markup};
use rocket::response::{Flash, Redirect};

pub use context::{Page, Site};

use crate::domain::ids::PledgeId;
use crate::domain::model::MoveDetails;
use crate::domain::pledge_status::PledgeStatus;

/// Every page route, mounted at `/`.
pub fn routes() -> Vec<rocket::Route> {
    [
        account::routes(),
        search::routes(),
        directory::routes(),
        donor::routes(),
        school::routes(),
        volunteer::routes(),
        api_docs::routes(),
        me::routes(),
        notices::routes(),
        vetting::routes(),
        admin::routes(),
        wishes::routes(),
        booklists::routes(),
        rocket::routes![favicon],
    ]
    .concat()
}

/// An HTML error page for everything outside `/api`: the site's layout, in the visitor's
/// language.
#[rocket::catch(default)]
pub async fn html_catcher(
    status: rocket::http::Status,
    request: &rocket::Request<'_>,
) -> (rocket::http::Status, Markup) {
    let body = match request.guard::<Page>().await {
        rocket::outcome::Outcome::Success(p) => errors::error_page(&p, status, ""),
        _ => html! {
            (maud::DOCTYPE)
            html { head { meta charset="utf-8"; meta name="viewport" content="width=device-width, initial-scale=1"; title { (status.code) } }
                body { h1 { (status.code) " " (status.reason().unwrap_or("")) } p { a href="/" { "bookbridge" } } } }
        },
    };
    (status, body)
}

/// `back` when it is a path on this site, else `default`: a "come back here" value from a
/// form or link can never bounce people to another site.
pub(crate) fn local(back: Option<&str>, default: &str) -> String {
    match back {
        Some(b)
            if b.starts_with('/')
                && !b.starts_with("//")
                && !b.contains('\\')
                && rocket::http::uri::Origin::parse(b).is_ok() =>
        {
            b.to_owned()
        }
        _ => default.to_owned(),
    }
}

/// Where a list is in its pages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    /// This page, from 1.
    pub number: u64,
    /// All pages, when counted; `None` for a list that only knows whether more follow.
    pub pages: Option<u64>,
    /// Whether a next page exists.
    pub more: bool,
}

impl Paging {
    /// Page `number` of `pages`.
    pub fn of(number: u64, pages: u64) -> Self {
        Paging {
            number,
            pages: Some(pages),
            more: number < pages,
        }
    }

    /// Page `number`, and whether more follow (a list read one row past the page).
    pub fn open(number: u64, more: bool) -> Self {
        Paging {
            number,
            pages: None,
            more,
        }
    }
}

/// A page number from the query: 1 when absent, `None` when not one from 1 to `last`.
pub(crate) fn page_number(raw: Option<&str>, last: u64) -> Option<u64> {
    match raw.map(str::parse::<u64>) {
        None => Some(1),
        Some(Ok(n)) if (1..=last).contains(&n) => Some(n),
        Some(_) => None,
    }
}

/// "Previous" and "next" links: plain links, so paging works without JavaScript; nothing
/// when everything fits on one page.
pub(crate) fn pager(p: &Page, paging: Paging, link_to: impl Fn(u64) -> String) -> Markup {
    let Paging {
        number,
        pages,
        more,
    } = paging;
    html! {
        @if number > 1 || more {
            nav.pager aria-label=(p.t("pages")) {
                @if number > 1 { a.button.secondary rel="prev" href=(link_to(number - 1)) { "← " (p.t("prev_page")) } }
                @match pages {
                    Some(pages) => span { (number) " / " (pages) },
                    None => span { (p.t("page_n")) " " (number) },
                }
                @if more { a.button.secondary rel="next" href=(link_to(number + 1)) { (p.t("next_page")) " →" } }
            }
        }
    }
}

/// The date a pledge's books should be posted by (the service fills `ship_by` on every
/// pledge it answers with; `created_at` only stands in should one ever lack it).
pub(crate) fn post_by(pledge: &crate::domain::model::Pledge) -> chrono::DateTime<chrono::Utc> {
    pledge.ship_by.unwrap_or(pledge.created_at)
}

/// An uploaded file's bytes; `None` when it could not be read.
pub(crate) async fn read_upload(file: &rocket::fs::TempFile<'_>) -> Option<Vec<u8>> {
    use rocket::tokio::io::AsyncReadExt;
    let mut bytes = Vec::new();
    let mut opened = file.open().await.ok()?;
    opened.read_to_end(&mut bytes).await.ok()?;
    Some(bytes)
}

/// What a form that carries a file answers: back to a page with a message, or, when the
/// file itself (or the uploader's standing) was refused, an error page with the status the
/// API gives for the same refusal (413, 422, 403, 409), in the page's language.
pub(crate) type UploadAnswer = Result<Flash<Redirect>, (rocket::http::Status, Markup)>;

/// Whether a refusal is about the file sent or who sent it, not about another field.
pub(crate) fn is_upload_refusal(err: &crate::domain::error::DomainError) -> bool {
    use crate::domain::error::DomainError as E;
    match err {
        E::OverLimit { .. } | E::AccountPending | E::SchoolNotVerified => true,
        E::Invalid(invalid) => matches!(invalid.field, "file" | "photo"),
        _ => false,
    }
}

/// Back to `to` with what an import did: how many rows went in, how many were refused and
/// why (the first five), in the page's language; an error page when the file was refused.
pub(crate) fn import_outcome(
    p: &Page,
    to: &str,
    outcome: crate::domain::error::DomainResult<crate::domain::import::ImportReport>,
) -> UploadAnswer {
    let report = match outcome {
        Ok(report) => report,
        Err(err) => return Err(errors::refused(p, &err)),
    };
    let mut message = format!(
        "{}: {} · {} {}",
        p.t("imported"),
        report.imported,
        report.rejected_total,
        p.t("refused")
    );
    for r in report.rejected.iter().take(5) {
        message.push_str(&format!(" · {}", errors::row_problem(p.lang, r)));
    }
    if report.rejected_total > 0 {
        Ok(failed(to, &message))
    } else {
        Ok(done(to, &message))
    }
}

/// Back to `to` with a message.
pub(crate) fn done(to: &str, message: &str) -> Flash<Redirect> {
    Flash::success(Redirect::to(to.to_owned()), message.to_owned())
}

/// Back to `to` with an error.
pub(crate) fn failed(to: &str, message: &str) -> Flash<Redirect> {
    Flash::error(Redirect::to(to.to_owned()), message.to_owned())
}

/// Explains a domain error to a person, in the page's language (see [`errors::explain`]).
pub(crate) fn explain(page: &Page, err: &crate::domain::error::DomainError) -> String {
    errors::explain(page.lang, err)
}

/// Where a pledge button sends its answer, and what it says when it worked.
pub(crate) struct Back<'a> {
    /// The page to go back to.
    pub to: &'a str,
    /// The i18n key of the message on success.
    pub done: &'static str,
}

/// A pledge move from a page's button: checks the form's token and the sign-in, runs the
/// same use case as `POST /api/v1/pledges/{id}/status`, and goes back with the outcome.
pub(crate) async fn move_from_page(
    p: &Page,
    service: &crate::app::Bookbridge,
    csrf: &str,
    (id, to, details): (PledgeId, PledgeStatus, MoveDetails),
    back: Back<'_>,
) -> Flash<Redirect> {
    if !p.csrf_ok(csrf) {
        return failed(back.to, p.t("expired_form"));
    }
    let Some(actor) = p.actor else {
        return failed("/signin", p.t("need_sign_in"));
    };
    match service.move_pledge(&actor, id, to, details).await {
        Ok(_) => done(back.to, p.t(back.done)),
        Err(err) => failed(back.to, &explain(p, &err)),
    }
}

/// The i18n key of a role's name.
pub(crate) fn role_label(role: crate::domain::role::Role) -> &'static str {
    use crate::domain::role::Role;
    match role {
        Role::School => "role_school",
        Role::Donor => "role_donor",
        Role::Volunteer => "role_volunteer",
        Role::Admin => "role_admin",
    }
}

/// The site's icon: an open book, drawn inline (no file to fetch elsewhere); browsers ask for
/// `/favicon.ico` whatever the page says, so it is served there.
const FAVICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 64 64'>\
<rect width='64' height='64' rx='12' fill='#2c7a7b'/>\
<path d='M10 18c8-3 16-3 22 2v30c-6-5-14-5-22-2z' fill='#fff'/>\
<path d='M54 18c-8-3-16-3-22 2v30c6-5 14-5 22-2z' fill='#e6fffa'/></svg>";

#[rocket::get("/favicon.ico")]
fn favicon() -> (rocket::http::ContentType, &'static str) {
    (rocket::http::ContentType::SVG, FAVICON)
}
