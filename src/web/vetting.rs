//! The vetting console for coordinators and admins: accounts waiting for approval, suspended
//! accounts, schools waiting for verification; and, for admins, the audit log.

use maud::{html, Markup};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::layout::page;
use super::{done, explain, failed};
use super::{Checked, SignedIn};
use crate::api::files::CsvFile;
use crate::app::Bookbridge;
use crate::domain::ids::{AccountId, SchoolId};
use crate::domain::model::{Account, Actor};
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

#[expect(
    clippy::result_large_err,
    reason = "a refusal is the redirect the handler answers with, at once"
)]
fn vetter(p: &SignedIn) -> Result<Actor, Flash<Redirect>> {
    let actor = p.actor;
    if !actor.is_vetter() {
        return Err(failed("/me", t!(p, "not_allowed")));
    }
    Ok(actor)
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
async fn console(p: SignedIn, service: &State<Bookbridge>) -> Result<Markup, Flash<Redirect>> {
    let actor = vetter(&p)?;
    let load = |e| failed("/me", explain(&p, &e));
    let waiting = service
        .accounts(&actor, Some(AccountStatus::Pending), ROWS, 0)
        .await
        .map_err(load)?;
    let suspended = service
        .accounts(&actor, Some(AccountStatus::Suspended), ROWS, 0)
        .await
        .map_err(load)?;
    let schools = service
        .schools_to_verify(&actor, ROWS)
        .await
        .map_err(load)?;
    Ok(page(
        &p,
        &t!(p, "vetting"),
        html! {
            h1 { (t!(p, "vetting")) }
            h2 { (t!(p, "accounts_to_vet")) " (" (waiting.len()) ")" }
            @if waiting.is_empty() { p { (t!(p, "nothing_here")) } }
            @for account in &waiting { (account_card(&p, account, &[Vetting::Approve, Vetting::Suspend])) }
            h2 { (t!(p, "schools_to_verify")) " (" (schools.len()) ")" }
            @if schools.is_empty() { p { (t!(p, "nothing_here")) } }
            @for school in &schools {
                div.card.school data-id=(school.id) {
                    strong { (school.name) } div.meta { (p.province(&school.province)) " · " (school.county) }
                    div { (school.address) " · " (school.contact_phone) }
                    form method="post" action={ "/vetting/schools/" (school.id) "/verify" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        label for={ "code-" (school.id) } { (t!(p, "school_code")) }
                        input id={ "code-" (school.id) } type="text" name="school_code" inputmode="numeric" required
                            value=(school.school_code.as_deref().unwrap_or_default());
                        label for={ "note-" (school.id) } { (t!(p, "how_checked")) }
                        input id={ "note-" (school.id) } type="text" name="note" maxlength="1000";
                        button type="submit" { (t!(p, "verify")) }
                    }
                }
            }
            h2 { (t!(p, "suspended_accounts")) " (" (suspended.len()) ")" }
            @for account in &suspended { (account_card(&p, account, &[Vetting::Reinstate])) }
            @if actor.is_admin() { p { a href="/vetting/audit" { (t!(p, "audit")) } } }
        },
    ))
}

#[rocket::post("/vetting/accounts/<id>/<decision>", data = "<form>")]
async fn decide(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: AccountId,
    decision: Vetting,
    form: Checked<NoteForm>,
) -> Flash<Redirect> {
    let actor = match vetter(&p) {
        Ok(actor) => actor,
        Err(redirect) => return redirect,
    };
    let note = form.note.as_deref().filter(|n| !n.trim().is_empty());
    match service.decide(&actor, id, decision, note).await {
        Ok(_) => done("/vetting", t!(p, "done")),
        Err(err) => failed("/vetting", explain(&p, &err)),
    }
}

#[rocket::post("/vetting/schools/<id>/verify", data = "<form>")]
async fn verify(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: SchoolId,
    form: Checked<VerifyForm>,
) -> Flash<Redirect> {
    let actor = match vetter(&p) {
        Ok(actor) => actor,
        Err(redirect) => return redirect,
    };
    let note = form.note.as_deref().filter(|n| !n.trim().is_empty());
    match service
        .verify_school(&actor, id, &form.school_code, note)
        .await
    {
        Ok(_) => done("/vetting", t!(p, "done")),
        Err(err) => failed("/vetting", explain(&p, &err)),
    }
}

#[rocket::get("/vetting/audit")]
async fn audit(p: SignedIn, service: &State<Bookbridge>) -> Result<Markup, Flash<Redirect>> {
    let actor = p.actor;
    let entries = service
        .audit_log(&actor, ROWS, 0)
        .await
        .map_err(|e| failed("/me", explain(&p, &e)))?;
    Ok(page(
        &p,
        &t!(p, "audit"),
        html! {
            h1 { (t!(p, "audit")) }
            p { a href="/vetting/audit.csv" download { (t!(p, "download_csv")) } }
            table.audit {
                thead { tr { th { (t!(p, "when")) } th { (t!(p, "who")) } th { (t!(p, "what")) } th { (t!(p, "subject")) } th { (t!(p, "from_where")) } } }
                tbody {
                    @for e in &entries {
                        tr {
                            td { (e.at.format("%Y-%m-%d %H:%M:%S")) }
                            td { (e.actor_id.map(|a| a.to_string()).unwrap_or_default()) }
                            td { (e.action) @if let Some(d) = &e.detail { br; small { (d) } } }
                            td { (e.subject) }
                            td { (e.client.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        },
    ))
}

#[rocket::get("/vetting/audit.csv")]
async fn audit_csv(p: SignedIn, service: &State<Bookbridge>) -> Result<CsvFile, Flash<Redirect>> {
    let actor = p.actor;
    let entries = service
        .audit_log(&actor, 100_000, 0)
        .await
        .map_err(|e| failed("/me", explain(&p, &e)))?;
    let body = crate::api::audit::as_csv(entries)
        .map_err(|_| failed("/vetting/audit", t!(p, "err_internal_error")))?;
    Ok(CsvFile {
        name: "audit.csv".into(),
        body,
    })
}
