//! The vetting console for coordinators and admins: accounts waiting for approval, suspended
//! accounts, schools waiting for verification; and, for admins, the audit log.

use super::errors::PageError;
use maud::Markup;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::forms::{Answer, Typed};
use super::{done, explain, failed};
use super::{Admin, Checked, Filled, Vetter};
use crate::api::files::CsvFile;
use crate::app::Bookbridge;
use crate::domain::error::Invalid;
use crate::domain::ids::{AccountId, SchoolId};
use crate::domain::model::Actor;
use crate::domain::vetting::{AccountStatus, Vetting};

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![console, decide, verify, audit, audit_csv]
}

/// Rows a console list shows.
const ROWS: u64 = 200;

#[derive(rocket::FromForm)]
struct NoteForm {
    note: Option<String>,
}

#[derive(rocket::FromForm)]
struct VerifyForm {
    school_code: String,
    note: Option<String>,
}

#[rocket::get("/vetting")]
async fn console(p: Vetter, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    console_page(&p, &p.actor, service, None).await
}

/// The console; `refused` is a school's verification form that came back, drawn as it was
/// typed with its fault.
async fn console_page(
    p: &Page,
    actor: &Actor,
    service: &Bookbridge,
    refused: Option<(SchoolId, &Typed)>,
) -> Result<Markup, PageError> {
    let actor = *actor;
    let waiting = service
        .accounts(&actor, Some(AccountStatus::Pending), ROWS, 0)
        .await?;
    let suspended = service
        .accounts(&actor, Some(AccountStatus::Suspended), ROWS, 0)
        .await?;
    let schools = service.schools_to_verify(&actor, ROWS).await?;
    Ok(view::console(
        p,
        view::Console {
            admin: actor.is_admin(),
            waiting: &waiting,
            suspended: &suspended,
            schools: &schools,
            refused,
        },
    ))
}

#[rocket::post("/vetting/accounts/<id>/<decision>", data = "<form>")]
async fn decide(
    p: Vetter,
    service: &State<Bookbridge>,
    id: AccountId,
    decision: Vetting,
    form: Checked<NoteForm>,
) -> Flash<Redirect> {
    let actor = p.actor;
    let note = form.note.as_deref().filter(|n| !n.trim().is_empty());
    match service.decide(&actor, id, decision, note).await {
        Ok(_) => done("/vetting", t!(p, "done")),
        Err(err) => failed("/vetting", explain(&p, &err)),
    }
}

#[rocket::post("/vetting/schools/<id>/verify", data = "<form>")]
async fn verify(
    p: Vetter,
    service: &State<Bookbridge>,
    id: SchoolId,
    form: Filled<VerifyForm>,
) -> Answer {
    let actor = p.actor;
    let result = match &form.value {
        Some(sent) => {
            let note = sent.note.as_deref().filter(|n| !n.trim().is_empty());
            service
                .verify_school(&actor, id, &sent.school_code, note)
                .await
        }
        None => Err(Invalid::new("school_code", "`school_code` is required").into()),
    };
    match result {
        Ok(_) => Answer::Moved(done("/vetting", t!(p, "done"))),
        Err(err) => {
            let typed = form.typed.clone().refused_for(&p, &err);
            match console_page(&p, &actor, service, Some((id, &typed))).await {
                Ok(page) => Answer::Again((super::errors::status_of(&err), page)),
                Err(failure) => Answer::Failed(failure),
            }
        }
    }
}

#[rocket::get("/vetting/audit")]
async fn audit(p: Admin, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let actor = p.actor;
    let entries = service.audit_log(&actor, ROWS, 0).await?;
    Ok(view::audit(&p, &entries))
}

#[rocket::get("/vetting/audit.csv")]
async fn audit_csv(p: Admin, service: &State<Bookbridge>) -> Result<CsvFile, PageError> {
    let actor = p.actor;
    let entries = service.audit_log(&actor, 100_000, 0).await?;
    let body = crate::api::audit::as_csv(entries)
        .map_err(|_| failed("/vetting/audit", t!(p, "err_internal_error")))?;
    Ok(CsvFile {
        name: "audit.csv".into(),
        body,
    })
}
