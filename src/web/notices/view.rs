//! "What needs you now" as markup: what the handler loaded, drawn.

use maud::{html, Markup};

use crate::domain::notices::Notice;
use crate::domain::pledges::PledgeLine;
use crate::domain::role::Role;
use crate::web::context::Page;

/// What waits for this person, and what they were told.
pub(super) struct Waiting<'a> {
    /// Books to post (a donor) or parcels to confirm (a school).
    pub todo: &'a [PledgeLine],
    /// Accounts waiting for this coordinator's approval.
    pub to_vet: usize,
    /// Their notices, newest first.
    pub told: &'a [Notice],
}

/// The notices page.
pub(super) fn notices(p: &Page, w: Waiting<'_>) -> Markup {
    let Waiting { todo, to_vet, told } = w;
    let chinese = p.lang == crate::web::i18n::Lang::Zh;
    let donor = p.actor.is_some_and(|a| a.role == Role::Donor);
    crate::web::layout::page(
        p,
        &t!(p, "notices"),
        html! {
            h1 { (t!(p, "needs_you_now")) }
            @if todo.is_empty() && to_vet == 0 { p { (t!(p, "nothing_waiting")) } }
            @for line in todo {
                @let pledge = &line.pledge;
                div.card.todo data-id=(pledge.id) {
                    strong { (line.title.as_deref().unwrap_or(pledge.isbn.as_str())) " × " (pledge.quantity) }
                    @if donor {
                        div { (t!(p, "post_by")) " " strong { (p.date(crate::web::post_by(pledge))) } }
                        a.button href={ "/my/pledges/" (pledge.id) } { (t!(p, "details_and_next")) }
                    } @else {
                        div { (t!(p, "arrived_question")) }
                        a.button href="/my/school?task=in_transit" { (t!(p, "confirm_delivery")) }
                    }
                }
            }
            @if to_vet > 0 {
                div.card.todo {
                    strong { (to_vet) @if to_vet as u64 >= super::SHOWN { "+" } " " (t!(p, "accounts_to_vet")) }
                    div { a.button href="/vetting" { (t!(p, "vetting")) } }
                }
            }
            h2 { (t!(p, "notices")) }
            @if told.is_empty() { p { (t!(p, "nothing_here")) } }
            @for notice in told {
                @let words = notice.words(chinese);
                div.card.notice data-kind=(notice.kind.as_str()) {
                    strong { (words.subject) }
                    div { (words.body) }
                    div.meta {
                        time datetime=(notice.created_at.to_rfc3339()) { (p.date(notice.created_at)) }
                        @if let Some(id) = notice.pledge_id {
                            @if donor { " · " a href={ "/my/pledges/" (id) } { (t!(p, "details_and_next")) } }
                        }
                    }
                }
            }
        },
    )
}
