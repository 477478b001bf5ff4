//! The web pages: server-rendered HTML (maud) over the same domain and rules as the API.
//! No JavaScript is needed; every asset is inline or served here. Pages use a session
//! cookie and a CSRF token on every form; the API keeps bearer tokens.

// First, so that its `t!` macro is in scope in every module after it.
#[macro_use]
pub mod i18n;
mod account;
mod admin;
mod api_docs;
mod booklists;
mod boxes;
pub mod compression;
mod context;
mod directory;
mod donor;
pub mod errors;
mod forms;
mod guards;
pub mod headers;
mod kept_pages;
mod layout;
mod me;
mod notices;
mod school;
mod search;
mod shelf;
mod vetting;
mod volunteer;
mod wishes;

use maud::{html, Markup};
use rocket::response::{Flash, Redirect};

pub use context::{Page, Site};
pub(crate) use guards::{
    Admin, Button, Checked, Filled, Return, SchoolAccount, SignedIn, Staff, Vetter,
};
pub use kept_pages::KeptPages;

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
        boxes::routes(),
        school::routes(),
        shelf::routes(),
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
/// language. A guard's refusal gets its own answer: someone not signed in is sent to sign in
/// and come back; a form with a stale token is explained, with the way back to it.
#[rocket::catch(default)]
pub async fn html_catcher(
    status: rocket::http::Status,
    request: &rocket::Request<'_>,
) -> Result<Redirect, (rocket::http::Status, Markup)> {
    let back = came_from(request);
    let rocket::outcome::Outcome::Success(p) = request.guard::<Page>().await else {
        return Err((status, bare_error(status)));
    };
    match guards::refusal(request) {
        Some(guards::Refusal::NotSignedIn) => {
            let next = rocket::http::RawStr::new(&back).percent_encode();
            Ok(Redirect::to(format!("/signin?next={next}")))
        }
        Some(guards::Refusal::ExpiredForm) => Err((status, errors::expired_form(&p, &back))),
        Some(guards::Refusal::NotAllowed) => Err((
            status,
            errors::error_page(&p, status, &t!(p, "not_allowed_page")),
        )),
        Some(guards::Refusal::Pending) => Err((
            status,
            errors::error_page(&p, status, &t!(p, "account_pending")),
        )),
        None => Err((status, errors::error_page(&p, status, ""))),
    }
}

/// The page a request came from: itself for a page asked for, the page that held the form
/// for a form sent (by its `Referer`, when that is a page of this site), else the home page.
fn came_from(request: &rocket::Request<'_>) -> String {
    if request.method() == rocket::http::Method::Get {
        return request.uri().to_string();
    }
    let referer = request.headers().get_one("Referer").and_then(|r| {
        let origin = rocket::http::uri::Absolute::parse(r).ok()?;
        let path = origin.path().as_str().to_owned();
        Some(match origin.query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        })
    });
    local(referer.as_deref(), "/")
}

fn bare_error(status: rocket::http::Status) -> Markup {
    html! {
        (maud::DOCTYPE)
        html { head { meta charset="utf-8"; meta name="viewport" content="width=device-width, initial-scale=1"; title { (status.code) } }
            body { h1 { (status.code) " " (status.reason().unwrap_or("")) } p { a href="/" { "bookbridge" } } } }
    }
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
            nav.pager aria-label=(t!(p, "pages")) {
                @if number > 1 { a.button.secondary rel="prev" href=(link_to(number - 1)) { "← " (t!(p, "prev_page")) } }
                @match pages {
                    Some(pages) => span { (number) " / " (pages) },
                    None => span { (t!(p, "page_n")) " " (number) },
                }
                @if more { a.button.secondary rel="next" href=(link_to(number + 1)) { (t!(p, "next_page")) " →" } }
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
    let mut parts = Vec::new();
    if report.added + report.changed + report.unchanged == 0 {
        // A curated list's import: books written, nothing to tell apart.
        parts.push(t!(p, "import_added", count = report.imported));
    } else {
        parts.push(t!(p, "import_added", count = report.added));
        if report.changed > 0 {
            parts.push(t!(p, "import_changed", count = report.changed));
        }
        if report.unchanged > 0 {
            parts.push(t!(p, "import_unchanged", count = report.unchanged));
        }
    }
    Ok(report_back(p, to, parts.join(" "), &report))
}

/// Back to `to` with what a file did (`summary`) and, when rows were refused, how many and
/// why (the first five), as an error.
pub(crate) fn report_back(
    p: &Page,
    to: &str,
    summary: String,
    report: &crate::domain::import::ImportReport,
) -> Flash<Redirect> {
    if report.rejected_total == 0 {
        return done(to, summary);
    }
    let mut message = summary;
    message.push(' ');
    message.push_str(&t!(p, "import_refused", count = report.rejected_total));
    for r in report.rejected.iter().take(5) {
        message.push_str(&format!(" · {}", errors::row_problem(p.lang, r)));
    }
    failed(to, message)
}

/// Back to `to` with a message.
pub(crate) fn done(to: &str, message: impl Into<String>) -> Flash<Redirect> {
    Flash::success(Redirect::to(to.to_owned()), message.into())
}

/// Back to `to` with an error.
pub(crate) fn failed(to: &str, message: impl Into<String>) -> Flash<Redirect> {
    Flash::error(Redirect::to(to.to_owned()), message.into())
}

/// Explains a domain error to a person, in the page's language (see [`errors::explain`]).
pub(crate) fn explain(page: &Page, err: &crate::domain::error::DomainError) -> String {
    errors::explain(page.lang, err)
}

/// Where a pledge button sends its answer, and what it says when it worked.
pub(crate) struct Back<'a> {
    /// The page to go back to.
    pub to: &'a str,
    /// The message on success, in the page's language.
    pub done: String,
}

/// A pledge move from a page's button (its guards checked the token and the sign-in): runs
/// the same use case as `POST /api/v1/pledges/{id}/status`, and goes back with the outcome.
pub(crate) async fn move_from_page(
    p: &SignedIn,
    service: &crate::app::Bookbridge,
    (id, to, details): (PledgeId, PledgeStatus, MoveDetails),
    back: Back<'_>,
) -> Flash<Redirect> {
    match service.move_pledge(&p.actor, id, to, details).await {
        Ok(_) => done(back.to, &back.done),
        Err(err) => failed(back.to, explain(p, &err)),
    }
}

/// A button for something that cannot be taken back (cancel a pledge, suspend an account):
/// it opens a question first, and only the "yes" inside sends the form. `fields` go in the
/// form beside the token (a note, say).
pub(crate) fn ask_first(p: &Page, action: &str, label: &str, fields: Markup) -> Markup {
    html! {
        details.confirm {
            summary { (label) }
            form method="post" action=(action) {
                input type="hidden" name="csrf" value=(p.csrf);
                (fields)
                p { (t!(p, "are_you_sure")) }
                button.danger type="submit" { (t!(p, "yes")) ": " (label) }
            }
        }
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
