//! The web pages: server-rendered HTML (maud) over the same domain and rules as the API.
//! No JavaScript is needed; every asset is inline or served here. Pages use a session
//! cookie and a CSRF token on every form; the API keeps bearer tokens.

mod account;
mod api_docs;
mod context;
mod donor;
pub mod errors;
pub mod i18n;
mod layout;
mod school;
mod search;
mod volunteer;

use maud::{html, Markup};
use rocket::response::{Flash, Redirect};

pub use context::Page;

/// Every page route, mounted at `/`.
pub fn routes() -> Vec<rocket::Route> {
    [
        account::routes(),
        search::routes(),
        donor::routes(),
        school::routes(),
        volunteer::routes(),
        api_docs::routes(),
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
