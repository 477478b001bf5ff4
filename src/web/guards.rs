//! Who may call a page, and the one check of a form's CSRF token, as Rocket guards: a
//! handler that takes [`SignedIn`] only runs for a signed-in person, and one that takes
//! [`Checked`] only runs for a form this browser's page sent. A refusal leaves a note
//! ([`Refusal`]) in the request, and the pages' catcher answers it in the page's language:
//! sign in and come back, or go back to the form.

use rocket::data::{self, Data, FromData};
use rocket::form::{self, Contextual, Form, FromForm};
use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest};
use rocket::Request;

use super::context::{Page, CSRF_COOKIE};
use super::forms::Typed;
use crate::domain::model::Actor;
use crate::domain::role::Role;

/// Why a guard turned a page request away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody is signed in.
    NotSignedIn,
    /// The form's CSRF token is not this browser's (an old tab, or another site's form).
    ExpiredForm,
    /// Signed in, but this page is for another kind of account (a donor on a school's page).
    NotAllowed,
    /// The right kind of account, still waiting for a coordinator's approval.
    Pending,
}

/// The refusal a guard noted in `request`, if any.
pub fn refusal(request: &Request<'_>) -> Option<Refusal> {
    *request.local_cache(|| None::<Refusal>)
}

/// A signed-in person on a page: the page (language, CSRF token, ...) and who they are.
/// Anyone else is sent to sign in and brought back here afterwards.
pub struct SignedIn {
    /// The page as every page sees it.
    pub page: Page,
    /// Who is signed in.
    pub actor: Actor,
}

impl std::ops::Deref for SignedIn {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SignedIn {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let Outcome::Success(page) = request.guard::<Page>().await else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        match page.actor {
            Some(actor) => Outcome::Success(SignedIn { page, actor }),
            None => {
                request.local_cache(|| Some(Refusal::NotSignedIn));
                Outcome::Error((Status::Unauthorized, ()))
            }
        }
    }
}

/// Turns a request away with `refusal` (the pages' catcher answers it, 403).
fn refuse<T>(request: &Request<'_>, refusal: Refusal) -> request::Outcome<T, ()> {
    request.local_cache(|| Some(refusal));
    Outcome::Error((Status::Forbidden, ()))
}

/// A guard built on [`SignedIn`] that lets only some accounts through: `$check` says whether
/// this signed-in person may call; otherwise the refusal it gives.
macro_rules! account_guard {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        pub struct $name(pub SignedIn);

        impl std::ops::Deref for $name {
            type Target = SignedIn;

            fn deref(&self) -> &SignedIn {
                &self.0
            }
        }

        #[rocket::async_trait]
        impl<'r> FromRequest<'r> for $name {
            type Error = ();

            async fn from_request(request: &'r Request<'_>) -> request::Outcome<Self, ()> {
                let signed = rocket::outcome::try_outcome!(request.guard::<SignedIn>().await);
                let check: fn(&Actor) -> Result<(), Refusal> = $check;
                match check(&signed.actor) {
                    Ok(()) => Outcome::Success($name(signed)),
                    Err(refusal) => refuse(request, refusal),
                }
            }
        }
    };
}

account_guard!(
    /// A school's account (its pages: the school, its book list, its wish cards). Pending
    /// accounts come in: they may register their school and prepare the list meanwhile.
    SchoolAccount,
    |actor| {
        if actor.role == Role::School {
            Ok(())
        } else {
            Err(Refusal::NotAllowed)
        }
    }
);

account_guard!(
    /// An approved volunteer or admin (the shipping queue).
    Staff,
    |actor| {
        if !actor.role.is_staff() {
            Err(Refusal::NotAllowed)
        } else if !actor.is_staff() {
            Err(Refusal::Pending)
        } else {
            Ok(())
        }
    }
);

account_guard!(
    /// A coordinator or admin (vetting).
    Vetter,
    |actor| {
        if actor.is_vetter() {
            Ok(())
        } else {
            Err(Refusal::NotAllowed)
        }
    }
);

account_guard!(
    /// An admin (the console, the audit log).
    Admin,
    |actor| {
        if actor.is_admin() {
            Ok(())
        } else {
            Err(Refusal::NotAllowed)
        }
    }
);

/// A form with nothing in it but its button (and the token): cancel, extend, sign out.
#[derive(Debug, rocket::FromForm)]
pub struct Button {
    /// Checked by [`Checked`]; a form has at least one field.
    #[field(name = "csrf")]
    _token: String,
}

/// A form (`T`) whose `csrf` field carries this browser's token, with what was typed in it
/// whether or not it reads as a `T`: a handler draws the form again from [`Filled::typed`]
/// when `value` is `None` or the use case refuses it. A stale or forged token is refused here,
/// as [`Checked`] refuses it.
pub struct Filled<T> {
    /// The form, if every field read as its type.
    pub value: Option<T>,
    /// What was typed, and the fields that did not read.
    pub typed: Typed,
}

#[rocket::async_trait]
impl<'r, T: FromForm<'r> + Send + 'r> FromData<'r> for Filled<T> {
    type Error = ();

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let form = match Form::<Contextual<'r, T>>::from_data(request, data).await {
            Outcome::Success(form) => form.into_inner(),
            Outcome::Error((status, _)) => return Outcome::Error((status, ())),
            Outcome::Forward(forward) => return Outcome::Forward(forward),
        };
        if !token_is_ours(request, form.context.field_value("csrf")) {
            request.local_cache(|| Some(Refusal::ExpiredForm));
            return Outcome::Error((Status::Forbidden, ()));
        }
        let mut typed = Typed::default();
        for name in form.context.fields() {
            let key = name.to_string();
            if key == "csrf" {
                continue;
            }
            let value = form.context.field_value(name).unwrap_or_default();
            typed.values.insert(key, value.to_owned());
        }
        for error in form.context.errors() {
            if let Some(name) = &error.name {
                let message = match &error.kind {
                    form::error::ErrorKind::Missing => "is required".to_owned(),
                    kind => kind.to_string(),
                };
                typed
                    .faults
                    .entry(name.to_string())
                    .or_insert(format!("`{name}` {message}"));
                typed.values.entry(name.to_string()).or_default();
            }
        }
        Outcome::Success(Filled {
            value: form.value,
            typed,
        })
    }
}

/// A button whose page goes back to where it was pressed (an easy-mode task, a filtered
/// list), or to the handler's default.
#[derive(Debug, rocket::FromForm)]
pub struct Return {
    /// Checked by [`Checked`].
    #[field(name = "csrf")]
    _token: String,
    /// The page the button was on (a local path; anything else is ignored).
    back: Option<String>,
}

impl Return {
    /// Where to go back to: the page the button was on, else `default`.
    pub fn to(&self, default: &str) -> String {
        super::local(self.back.as_deref(), default)
    }
}

/// Whether a form's `csrf` field is this browser's token (the double-submit cookie): the one
/// check every form guard makes.
pub(super) fn token_is_ours(request: &Request<'_>, sent: Option<&str>) -> bool {
    let sent = sent.unwrap_or_default();
    let ours = request.cookies().get(CSRF_COOKIE).map(|c| c.value());
    // The token is random: comparing it plainly reveals nothing worth timing.
    !sent.is_empty() && ours == Some(sent)
}

/// A form (`T`, read as `Form<T>` reads it) whose `csrf` field carries this browser's token.
pub struct Checked<T>(pub T);

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r, T: FromForm<'r> + Send + 'r> FromData<'r> for Checked<T> {
    type Error = ();

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        // The token is checked where every form is read: in `Filled`.
        let filled = match Filled::<T>::from_data(request, data).await {
            Outcome::Success(filled) => filled,
            Outcome::Error(refused) => return Outcome::Error(refused),
            Outcome::Forward(forward) => return Outcome::Forward(forward),
        };
        match filled.value {
            Some(value) => Outcome::Success(Checked(value)),
            None => Outcome::Error((Status::UnprocessableEntity, ())),
        }
    }
}

/// A coordinator's decision in a path: an unknown name is no route (404), not a refusal.
impl<'a> rocket::request::FromParam<'a> for crate::domain::vetting::Vetting {
    type Error = &'a str;

    fn from_param(param: &'a str) -> Result<Self, Self::Error> {
        Self::parse(param).ok_or(param)
    }
}
