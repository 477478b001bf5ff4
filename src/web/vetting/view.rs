//! The vetting console and the audit log as markup, drawn from what the handlers loaded.

use maud::{html, Markup};

use crate::domain::audit::{AuditAction, AuditRecord};
use crate::domain::ids::SchoolId;
use crate::domain::model::Account;
use crate::domain::model::School;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::vetting::Vetting;
use crate::web::context::Page;
use crate::web::forms::{general_fault, Field, Typed};
use crate::web::layout::page;

/// What the console shows.
pub(super) struct Console<'a> {
    /// The viewer may read the audit log.
    pub admin: bool,
    /// Accounts waiting for approval.
    pub waiting: &'a [Account],
    pub suspended: &'a [Account],
    /// Schools waiting for verification.
    pub schools: &'a [School],
    /// A school's verification form that came back, as it was typed with its fault.
    pub refused: Option<(SchoolId, &'a Typed)>,
}

/// The console: accounts waiting and suspended, schools to verify (one form each, drawn as
/// typed when it came back refused) and, for admins, the way to the audit log.
pub(super) fn console(p: &Page, c: Console<'_>) -> Markup {
    let Console {
        admin,
        waiting,
        suspended,
        schools,
        refused,
    } = c;
    page(
        p,
        &t!(p, "vetting"),
        html! {
            h1 { (t!(p, "vetting")) }
            h2 { (t!(p, "accounts_to_vet")) " (" (waiting.len()) ")" }
            @if waiting.is_empty() { p { (t!(p, "nothing_here")) } }
            @for account in waiting { (account_card(p, account, &[Vetting::Approve, Vetting::Suspend])) }
            h2 { (t!(p, "schools_to_verify")) " (" (schools.len()) ")" }
            @if schools.is_empty() { p { (t!(p, "nothing_here")) } }
            @for school in schools {
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
            @for account in suspended { (account_card(p, account, &[Vetting::Reinstate])) }
            @if admin { p { a href="/vetting/audit" { (t!(p, "audit")) } } }
        },
    )
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
                    (crate::web::ask_first(p, &action, &label, note))
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

/// The audit log, newest first, as cards.
pub(super) fn audit(p: &Page, entries: &[AuditRecord]) -> Markup {
    page(
        p,
        &t!(p, "audit"),
        html! {
            h1 { (t!(p, "audit")) }
            p { a href="/vetting/audit.csv" download { (t!(p, "download_csv")) } }
            p.meta { (t!(p, "when_china")) }
            @for e in entries { (audit_card(p, e)) }
        },
    )
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
