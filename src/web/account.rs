//! Sign in, register, sign out, and the language / easy-mode switches.

use maud::{html, Markup};
use rocket::http::{Cookie, CookieJar};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::{remember, start_session, Page, EASY_COOKIE, LANG_COOKIE, SESSION_COOKIE};
use super::errors::status_of;
use super::layout::page;
use super::{done, explain};
use super::{Button, Checked};
use crate::api::auth::ClientIp;
use crate::app::Bookbridge;
use crate::domain::accounts::Registration;
use crate::domain::error::DomainError;
use crate::domain::role::Role;

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
    next: Option<String>,
}

#[derive(rocket::FromForm)]
struct Register {
    role: String,
    name: String,
    email: String,
    password: String,
    next: Option<String>,
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
fn after_sign_in(next: Option<&str>, role: Role) -> Redirect {
    match next.filter(|n| !n.is_empty()) {
        Some(next) => Redirect::to(super::local(Some(next), "/")),
        None => Redirect::to(home_of(role)),
    }
}

/// `?next=…` for links between the sign-in and register pages, so it survives the detour.
fn next_query(next: Option<&str>) -> String {
    next.filter(|n| !n.is_empty())
        .map(|n| format!("?next={}", rocket::http::RawStr::new(n).percent_encode()))
        .unwrap_or_default()
}

fn sign_in_form(p: &Page, error: Option<&str>, next: Option<&str>) -> Markup {
    page(
        p,
        &t!(p, "sign_in"),
        html! {
            h1 { (t!(p, "sign_in")) }
            @if let Some(error) = error { p.flash.error role="alert" { (error) } }
            form method="post" action="/signin" {
                input type="hidden" name="csrf" value=(p.csrf);
                @if let Some(next) = next { input type="hidden" name="next" value=(next); }
                label for="email" { (t!(p, "email")) }
                input #email type="email" name="email" required autocomplete="username";
                label for="password" { (t!(p, "password")) }
                input #password type="password" name="password" required autocomplete="current-password";
                p { button type="submit" { (t!(p, "sign_in")) } }
            }
            p { a href={ "/register" (next_query(next)) } { (t!(p, "register")) } }
        },
    )
}

#[rocket::get("/signin?<next>")]
fn sign_in_page(p: Page, next: Option<&str>) -> Markup {
    sign_in_form(
        &p,
        None,
        next.map(|n| super::local(Some(n), "/")).as_deref(),
    )
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
            sign_in_form(&p, Some(&message), form.next.as_deref()),
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
    Ok(after_sign_in(form.next.as_deref(), actor.role))
}

fn register_form(p: &Page, error: Option<&str>, next: Option<&str>) -> Markup {
    page(
        p,
        &t!(p, "register"),
        html! {
            h1 { (t!(p, "register")) }
            @if let Some(error) = error { p.flash.error role="alert" { (error) } }
            form method="post" action="/register" {
                input type="hidden" name="csrf" value=(p.csrf);
                @if let Some(next) = next { input type="hidden" name="next" value=(next); }
                label for="role" { (t!(p, "role")) }
                select #role name="role" {
                    option value="donor" { (t!(p, "role_donor")) }
                    option value="school" { (t!(p, "role_school")) }
                    option value="volunteer" { (t!(p, "role_volunteer")) }
                }
                label for="name" { (t!(p, "name")) }
                input #name type="text" name="name" required;
                label for="email" { (t!(p, "email")) }
                input #email type="email" name="email" required autocomplete="username";
                label for="password" { (t!(p, "password")) }
                input #password type="password" name="password" required minlength="8" autocomplete="new-password" aria-describedby="password-hint";
                small #password-hint { (t!(p, "password_hint")) }
                p { button type="submit" { (t!(p, "register")) } }
            }
        },
    )
}

#[rocket::get("/register?<next>")]
fn register_page(p: Page, next: Option<&str>) -> Markup {
    register_form(
        &p,
        None,
        next.map(|n| super::local(Some(n), "/")).as_deref(),
    )
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
            register_form(&p, Some(&explain(&p, &err)), form.next.as_deref()),
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
    Ok(after_sign_in(form.next.as_deref(), account.role))
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

#[rocket::get("/prefs?<lang>&<easy>&<back>")]
fn prefs(
    p: Page,
    jar: &CookieJar<'_>,
    lang: Option<&str>,
    easy: Option<&str>,
    back: Option<&str>,
) -> Redirect {
    if let Some(lang) = lang.filter(|l| *l == "en" || *l == "zh") {
        remember(&p, jar, LANG_COOKIE, lang);
    }
    if let Some(easy) = easy {
        remember(&p, jar, EASY_COOKIE, if easy == "1" { "1" } else { "0" });
    }
    Redirect::to(super::local(back, "/"))
}
