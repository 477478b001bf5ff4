//! The web pages: server-rendered HTML (maud) over the same domain and rules as the API.
//! No JavaScript is needed; every asset is inline or served here. Pages use a session
//! cookie and a CSRF token on every form; the API keeps bearer tokens.

mod account;
mod api_docs;
mod context;
mod donor;
pub mod i18n;
mod layout;
mod school;
mod search;
mod volunteer;

use std::collections::HashMap;

use maud::{html, Markup};
use rocket::response::{Flash, Redirect};

pub use context::Page;

use crate::domain::isbn::Isbn;
use crate::domain::model::Book;

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

/// An HTML error page for everything outside `/api`.
#[rocket::catch(default)]
pub fn html_catcher(
    status: rocket::http::Status,
    _request: &rocket::Request<'_>,
) -> (rocket::http::Status, Markup) {
    let body = html! {
        (maud::DOCTYPE)
        html { head { meta charset="utf-8"; title { (status.code) } }
            body { h1 { (status.code) " " (status.reason().unwrap_or("")) } p { a href="/" { "bookbridge" } } } }
    };
    (status, body)
}

/// A book's title for a list, or its ISBN while the catalogue has none.
pub(crate) fn title_of<'a>(books: &'a HashMap<Isbn, Book>, isbn: &'a Isbn) -> &'a str {
    books
        .get(isbn)
        .and_then(|b| b.title.as_deref())
        .unwrap_or(isbn.as_str())
}

/// Back to `to` with a message.
pub(crate) fn done(to: &str, message: &str) -> Flash<Redirect> {
    Flash::success(Redirect::to(to.to_owned()), message.to_owned())
}

/// Back to `to` with an error.
pub(crate) fn failed(to: &str, message: &str) -> Flash<Redirect> {
    Flash::error(Redirect::to(to.to_owned()), message.to_owned())
}

/// Explains a domain error to a person, in their language where we have the words.
pub(crate) fn explain(page: &Page, err: &crate::domain::error::DomainError) -> String {
    use crate::domain::error::DomainError as E;
    match err {
        E::InvalidIsbn(..) => page.t("bad_isbn").to_owned(),
        E::Forbidden(_) => page.t("not_allowed").to_owned(),
        E::Unauthenticated(_) => page.t("need_sign_in").to_owned(),
        E::Store(_) | E::Internal(_) => {
            "Something went wrong on our side; please try again.".to_owned()
        }
        other => other.to_string(),
    }
}
