//! Sign in, register, sign out, and the language / easy-mode switches.

use maud::Markup;
use rocket::http::{Cookie, CookieJar};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::{remember, start_session, Page, EASY_COOKIE, LANG_COOKIE, SESSION_COOKIE};
use super::errors::status_of;
use super::forms::LocalPath;
use super::{done, explain};
use super::{Button, Checked};
use crate::api::auth::ClientIp;
use crate::app::Bookbridge;
use crate::domain::accounts::Registration;
use crate::domain::error::DomainError;
use crate::domain::language::Language;
use crate::domain::role::Role;

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        sign_in_page,
        sign_in,
        register_page,
        register,
        sign_out,
        prefs
    ]
}

#[derive(rocket::FromForm)]
struct SignIn {
    email: String,
    password: String,
    next: Option<LocalPath>,
}

#[derive(rocket::FromForm)]
struct Register {
    role: String,
    name: String,
    email: String,
    password: String,
    next: Option<LocalPath>,
}

fn home_of(role: Role) -> &'static str {
    match role {
        Role::Donor => "/my/pledges",
        Role::School => "/my/school",
        Role::Volunteer | Role::Admin => "/volunteer",
    }
}

/// Where to go after signing in or registering: back to the page that asked (a search a
/// visitor wanted to pledge from), or else the account's own page.
fn after_sign_in(next: Option<&LocalPath>, role: Role) -> Redirect {
    match next {
        Some(next) => Redirect::to(next.0.clone()),
        None => Redirect::to(home_of(role)),
    }
}

#[rocket::get("/signin?<next>")]
fn sign_in_page(p: Page, next: Option<LocalPath>) -> Markup {
    view::sign_in_form(&p, None, next.as_ref(), "")
}

#[rocket::post("/signin", data = "<form>")]
async fn sign_in(
    p: Page,
    jar: &CookieJar<'_>,
    service: &State<Bookbridge>,
    client: ClientIp,
    form: Checked<SignIn>,
) -> Result<Redirect, (rocket::http::Status, Markup)> {
    let refuse = |err: DomainError| {
        let message = match &err {
            DomainError::BadCredentials => t!(p, "wrong_login"),
            other => explain(&p, other),
        };
        (
            status_of(&err),
            view::sign_in_form(&p, Some(&message), form.next.as_ref(), &form.email),
        )
    };
    let session = service
        .login(&form.email, &form.password, client.0)
        .await
        .map_err(&refuse)?;
    let actor = service
        .authenticate(&session.token)
        .await
        .map_err(&refuse)?;
    start_session(&p, jar, session.token);
    Ok(after_sign_in(form.next.as_ref(), actor.role))
}

#[rocket::get("/register?<next>")]
fn register_page(p: Page, next: Option<LocalPath>) -> Markup {
    view::register_form(&p, None, next.as_ref(), &Default::default())
}

#[rocket::post("/register", data = "<form>")]
async fn register(
    p: Page,
    jar: &CookieJar<'_>,
    service: &State<Bookbridge>,
    client: ClientIp,
    form: Checked<Register>,
) -> Result<Redirect, (rocket::http::Status, Markup)> {
    let refuse = |err: DomainError| {
        (
            status_of(&err),
            view::register_form(
                &p,
                Some(&explain(&p, &err)),
                form.next.as_ref(),
                &view::Registering {
                    role: &form.role,
                    name: &form.name,
                    email: &form.email,
                },
            ),
        )
    };
    let registration = Registration::new(&form.role, &form.name, &form.email, &form.password)
        .map(|r| r.in_language(p.lang))
        .map_err(|invalid| refuse(invalid.into()))?;
    let account = service
        .sign_up(registration, client.0)
        .await
        .map_err(&refuse)?;
    let session = service
        .login(&form.email, &form.password, client.0)
        .await
        .map_err(&refuse)?;
    start_session(&p, jar, session.token);
    Ok(after_sign_in(form.next.as_ref(), account.role))
}

#[rocket::post("/signout", data = "<_form>")]
async fn sign_out(
    p: Page,
    jar: &CookieJar<'_>,
    service: &State<Bookbridge>,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    if let Some(actor) = &p.actor {
        if let Err(err) = service.logout(actor).await {
            log::warn!("sign-out could not revoke the session: {err}");
        }
    }
    jar.remove(Cookie::build(SESSION_COOKIE).path("/").build());
    done("/", t!(p, "done"))
}

/// The language and easy-mode switches in the header: remembered, and back to the page.
#[rocket::get("/prefs?<lang>&<easy>&<back>")]
fn prefs(
    p: Page,
    jar: &CookieJar<'_>,
    lang: Option<Language>,
    easy: Option<u8>,
    back: Option<LocalPath>,
) -> Redirect {
    if let Some(lang) = lang {
        remember(&p, jar, LANG_COOKIE, lang.as_str());
    }
    if let Some(easy) = easy {
        remember(&p, jar, EASY_COOKIE, if easy == 1 { "1" } else { "0" });
    }
    Redirect::to(back.map_or_else(|| "/".to_owned(), |b| b.0))
}
