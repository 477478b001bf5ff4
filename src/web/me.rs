//! "My account": who you are, where your account stands and what happens next; signing out
//! on every device.

use super::errors::PageError;
use maud::{html, Markup};
use rocket::http::{Cookie, CookieJar};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::SESSION_COOKIE;
use super::layout::page;
use super::{done, explain, failed};
use super::{Button, Checked, SignedIn};
use crate::app::Bookbridge;
use crate::domain::role::Role;
use crate::domain::vetting::AccountStatus;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![me, sign_out_everywhere, preferences]
}

#[derive(rocket::FromForm)]
struct PreferencesForm {
    language: String,
    /// A checkbox: present when ticked.
    email_notices: Option<String>,
}

#[rocket::get("/me")]
async fn me(p: SignedIn, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let actor = p.actor;
    let account = service.me(&actor).await?;
    Ok(page(
        &p,
        &t!(p, "my_account"),
        html! {
            h1 { (t!(p, "my_account")) }
            div.card {
                strong { (account.name) } div.meta { (account.email) }
                div { (t!(p, "role")) ": " (p.lang.role(account.role))
                    @if account.coordinator { " · " (t!(p, "coordinator")) } }
                div { (t!(p, "status")) ": " span.status { (p.lang.account_status(account.status)) } }
            }
            @if account.status == AccountStatus::Pending {
                p.flash.info role="status" { (t!(p, "account_pending")) }
                @match account.role {
                    Role::Volunteer => { p { (t!(p, "pending_help_volunteer")) } }
                    Role::School => { p { (t!(p, "pending_help_school")) } p { a.button href="/my/school" { (t!(p, "my_school")) } } }
                    _ => {}
                }
            }
            h2 { (t!(p, "how_told")) }
            form.card method="post" action="/me/preferences" {
                input type="hidden" name="csrf" value=(p.csrf);
                label for="language" { (t!(p, "notice_language")) }
                select #language name="language" {
                    option value="zh" selected[account.language == crate::domain::language::Language::Zh] { "中文" }
                    option value="en" selected[account.language == crate::domain::language::Language::En] { "English" }
                }
                label { input type="checkbox" name="email_notices" value="on" checked[account.email_notices]; " " (t!(p, "email_me")) }
                p { button type="submit" { (t!(p, "save")) } }
            }
            @if actor.is_vetter() { p { a.button href="/vetting" { (t!(p, "vetting")) } } }
            @if actor.is_admin() { p { a.button.secondary href="/vetting/audit" { (t!(p, "audit")) } } }
            form method="post" action="/me/signout-everywhere" {
                input type="hidden" name="csrf" value=(p.csrf);
                button.secondary type="submit" { (t!(p, "sign_out_everywhere")) }
            }
        },
    ))
}

#[rocket::post("/me/preferences", data = "<form>")]
async fn preferences(
    p: SignedIn,
    service: &State<Bookbridge>,
    form: Checked<PreferencesForm>,
) -> Flash<Redirect> {
    let actor = p.actor;
    let language = crate::domain::language::Language::parse(&form.language);
    match service
        .set_preferences(&actor, language, Some(form.email_notices.is_some()))
        .await
    {
        Ok(_) => done("/me", t!(p, "done")),
        Err(err) => failed("/me", explain(&p, &err)),
    }
}

#[rocket::post("/me/signout-everywhere", data = "<_form>")]
async fn sign_out_everywhere(
    p: SignedIn,
    jar: &CookieJar<'_>,
    service: &State<Bookbridge>,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    let actor = p.actor;
    match service.logout_everywhere(&actor).await {
        Ok(_) => {
            jar.remove(Cookie::build(SESSION_COOKIE).path("/").build());
            done("/", t!(p, "signed_out_everywhere"))
        }
        Err(err) => failed("/me", explain(&p, &err)),
    }
}
