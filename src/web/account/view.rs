//! Signing in and registering as markup.

use maud::{html, Markup};

use crate::web::context::Page;
use crate::web::forms::LocalPath;
use crate::web::layout::page;

/// `?next=…` for links between the sign-in and register pages, so it survives the detour.
fn next_query(next: Option<&LocalPath>) -> String {
    next.map(|n| {
        format!(
            "?next={}",
            rocket::http::RawStr::new(n.as_str()).percent_encode()
        )
    })
    .unwrap_or_default()
}

/// The sign-in form; after a refusal, with the message and the address as typed.
pub(super) fn sign_in_form(
    p: &Page,
    error: Option<&str>,
    next: Option<&LocalPath>,
    email: &str,
) -> Markup {
    page(
        p,
        &t!(p, "sign_in"),
        html! {
            h1 { (t!(p, "sign_in")) }
            @if let Some(error) = error { p.flash.error role="alert" { (error) } }
            form method="post" action="/signin" {
                input type="hidden" name="csrf" value=(p.csrf);
                @if let Some(next) = next { input type="hidden" name="next" value=(next.as_str()); }
                label for="email" { (t!(p, "email")) }
                input #email type="email" name="email" value=(email) required autocomplete="username";
                label for="password" { (t!(p, "password")) }
                input #password type="password" name="password" required autocomplete="current-password";
                p { button type="submit" { (t!(p, "sign_in")) } }
            }
            p { a href={ "/register" (next_query(next)) } { (t!(p, "register")) } }
        },
    )
}

/// What a refused registration held (never the password).
#[derive(Default)]
pub(super) struct Registering<'a> {
    pub role: &'a str,
    pub name: &'a str,
    pub email: &'a str,
}

/// The registration form; after a refusal, with the message and the fields as typed.
pub(super) fn register_form(
    p: &Page,
    error: Option<&str>,
    next: Option<&LocalPath>,
    typed: &Registering<'_>,
) -> Markup {
    page(
        p,
        &t!(p, "register"),
        html! {
            h1 { (t!(p, "register")) }
            @if let Some(error) = error { p.flash.error role="alert" { (error) } }
            form method="post" action="/register" {
                input type="hidden" name="csrf" value=(p.csrf);
                @if let Some(next) = next { input type="hidden" name="next" value=(next.as_str()); }
                label for="role" { (t!(p, "role")) }
                select #role name="role" {
                    option value="donor" { (t!(p, "role_donor")) }
                    option value="school" selected[typed.role == "school"] { (t!(p, "role_school")) }
                    option value="volunteer" selected[typed.role == "volunteer"] { (t!(p, "role_volunteer")) }
                }
                label for="name" { (t!(p, "name")) }
                input #name type="text" name="name" value=(typed.name) required;
                label for="email" { (t!(p, "email")) }
                input #email type="email" name="email" value=(typed.email) required autocomplete="username";
                label for="password" { (t!(p, "password")) }
                input #password type="password" name="password" required minlength="8" autocomplete="new-password" aria-describedby="password-hint";
                small #password-hint { (t!(p, "password_hint")) }
                p { button type="submit" { (t!(p, "register")) } }
            }
        },
    )
}
