//! "My account": who you are, where your account stands and what happens next; signing out
//! on every device.

use super::errors::PageError;
use maud::Markup;
use rocket::http::{Cookie, CookieJar};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::SESSION_COOKIE;
use super::{done, explain, failed};
use super::{Button, Checked, SignedIn};
use crate::app::Bookbridge;

mod view;

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
    let account = service.me(&p.actor).await?;
    Ok(view::account(&p, &account))
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
