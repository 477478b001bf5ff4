//! The vetting console for coordinators and admins: accounts waiting for approval, suspended
//! accounts, schools waiting for verification; and, for admins, the audit log.

use super::errors::PageError;
use maud::{html, Markup};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::forms::{general_fault, Answer, Field, Typed};
use super::layout::page;
use super::{done, explain, failed};
use super::{Admin, Checked, Filled, Vetter};
use crate::api::files::CsvFile;
use crate::app::Bookbridge;
use crate::domain::audit::{AuditAction, AuditRecord};
use crate::domain::error::Invalid;
use crate::domain::ids::{AccountId, SchoolId};
use crate::domain::model::{Account, Actor};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::vetting::{AccountStatus, Vetting};

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

fn account_card(p: &Page, account: &Account, decisions: &[Vetting]) -> Markup {
    html! {
        div.card.account data-id=(account.id) {
            strong { (account.name) } " · " (account.email)
            div.meta { (p.lang.role(account.role)) " · " (p.lang.account_status(account.status))
                " · " (account.created_at.format("%Y-%m-%d")) }
            @for decision in decisions {
                @let action = format!("/vetting/accounts/{}/{}", account.id, decision.as_str());
                @let label = p.lang.vetting(*decision);
                @let note = html! { label { (t!(p, "vet_note")) input type="text" name="note" maxlength="1000"; } };
                // A suspension ends the person's sessions at once: asked first, and red.
                @if *decision == Vetting::Suspend {
                    (super::ask_first(p, &action, &label, note))
                } @else {
                    form.inline method="post" action=(action) {
                        input type="hidden" name="csrf" value=(p.csrf);
                        (note)
                        button type="submit" { (label) }
                    }
                }
            }
        }
    }
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
    Ok(page(
        p,
        &t!(p, "vetting"),
        html! {
            h1 { (t!(p, "vetting")) }
            h2 { (t!(p, "accounts_to_vet")) " (" (waiting.len()) ")" }
            @if waiting.is_empty() { p { (t!(p, "nothing_here")) } }
            @for account in &waiting { (account_card(p, account, &[Vetting::Approve, Vetting::Suspend])) }
            h2 { (t!(p, "schools_to_verify")) " (" (schools.len()) ")" }
            @if schools.is_empty() { p { (t!(p, "nothing_here")) } }
            @for school in &schools {
                div.card.school data-id=(school.id) {
                    strong { (school.name) } div.meta { (p.province(&school.province)) " · " (school.county) }
                    div { (school.address) " · " (school.contact_phone) }
                    @let typed = match refused {
                        Some((id, typed)) if id == school.id => typed.clone(),
                        _ => Typed::prefilled([("school_code", school.school_code.as_deref().unwrap_or_default().to_owned())]),
                    };
                    form method="post" action={ "/vetting/schools/" (school.id) "/verify" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        (general_fault(&typed))
                        (Field::new(p, &typed, "school_code", t!(p, "school_code")).id(format!("code-{}", school.id)).inputmode("numeric").required().maxlength(20))
                        (Field::new(p, &typed, "note", t!(p, "how_checked")).id(format!("note-{}", school.id)).maxlength(1000))
                        button type="submit" { (t!(p, "verify")) }
                    }
                }
            }
            h2 { (t!(p, "suspended_accounts")) " (" (suspended.len()) ")" }
            @for account in &suspended { (account_card(p, account, &[Vetting::Reinstate])) }
            @if actor.is_admin() { p { a href="/vetting/audit" { (t!(p, "audit")) } } }
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
    Ok(page(
        &p,
        &t!(p, "audit"),
        html! {
            h1 { (t!(p, "audit")) }
            p { a href="/vetting/audit.csv" download { (t!(p, "download_csv")) } }
            p.meta { (t!(p, "when_china")) }
            @for e in &entries { (audit_card(&p, e)) }
        },
    ))
}

/// One audit-log line as a card: when (China time), who by name, what in the reader's
/// language, to which record, and from where.
fn audit_card(p: &Page, e: &AuditRecord) -> Markup {
    let what =
        AuditAction::parse(&e.action).map_or_else(|| e.action.clone(), |a| p.lang.audit_action(a));
    let record = match e.subject.split_once(':') {
        Some((kind, id)) => match p.lang.record_kind(kind) {
            Some(kind) => format!("{kind} {id}"),
            None => e.subject.clone(),
        },
        None => e.subject.clone(),
    };
    html! {
        div.card.audit data-action=(e.action) {
            div.meta {
                time datetime=(e.at.to_rfc3339()) { (p.china_time(e.at)) }
                @if let Some(client) = &e.client { " · " (t!(p, "from_where")) " " (client) }
            }
            strong.who {
                @match (&e.actor_name, e.actor_id) {
                    (Some(name), _) => (name),
                    (None, Some(id)) => { "#" (id) }
                    (None, None) => (t!(p, "system_actor")),
                }
            }
            " " span.what { (what) }
            div { (record) @if let Some(detail) = &e.detail { " · " (audit_detail(p, detail)) } }
        }
    }
}

/// A line's detail: a pledge's move (`shipped -> delivered`) in the reader's words, anything
/// else (an ISBN, a code, a date) as it was written.
fn audit_detail(p: &Page, detail: &str) -> String {
    let (moved, rest) = match detail.split_once(" (") {
        Some((moved, rest)) => (moved, Some(rest)),
        None => (detail, None),
    };
    match moved.split_once(" -> ") {
        Some((from, to)) => match (
            from.parse::<PledgeStatus>().ok(),
            to.parse::<PledgeStatus>().ok(),
        ) {
            (Some(from), Some(to)) => {
                let moved = format!(
                    "{} → {}",
                    p.lang.pledge_status(from),
                    p.lang.pledge_status(to)
                );
                match rest {
                    Some(rest) => format!("{moved} ({rest}"),
                    None => moved,
                }
            }
            _ => detail.to_owned(),
        },
        None => detail.to_owned(),
    }
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
