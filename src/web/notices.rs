//! "What needs you now": the things waiting for this person (books to post by a date,
//! parcels to confirm, accounts to approve) and the notices they were sent, in their language.

use super::errors::PageError;
use maud::{html, Markup};
use rocket::State;

use super::layout::page;
use super::SignedIn;
use crate::app::Bookbridge;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::role::Role;
use crate::domain::vetting::AccountStatus;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![notices]
}

/// Items of each kind the page lists before "see all".
const SHOWN: u64 = 20;

#[rocket::get("/notices")]
async fn notices(p: SignedIn, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let actor = p.actor;
    let waiting = match actor.role {
        Role::Donor => PledgeStatus::Pledged,
        _ => PledgeStatus::Shipped,
    };
    let todo = if actor.role == Role::Donor || actor.role == Role::School {
        service
            .pledge_lines(
                &actor,
                PledgeFilter {
                    status: Some(waiting),
                    limit: SHOWN,
                    ..Default::default()
                },
            )
            .await?
    } else {
        Vec::new()
    };
    let to_vet = if actor.is_vetter() {
        service
            .accounts(&actor, Some(AccountStatus::Pending), SHOWN, 0)
            .await?
            .len()
    } else {
        0
    };
    let told = service.notices(&actor).await?;
    let chinese = p.lang == super::i18n::Lang::Zh;
    Ok(page(
        &p,
        &t!(p, "notices"),
        html! {
            h1 { (t!(p, "needs_you_now")) }
            @if todo.is_empty() && to_vet == 0 { p { (t!(p, "nothing_waiting")) } }
            @for line in &todo {
                @let pledge = &line.pledge;
                div.card.todo data-id=(pledge.id) {
                    strong { (line.title.as_deref().unwrap_or(pledge.isbn.as_str())) " × " (pledge.quantity) }
                    @if actor.role == Role::Donor {
                        div { (t!(p, "post_by")) " " strong { (p.date(super::post_by(pledge))) } }
                        a.button href={ "/my/pledges/" (pledge.id) } { (t!(p, "details_and_next")) }
                    } @else {
                        div { (t!(p, "arrived_question")) }
                        a.button href="/my/school?task=in_transit" { (t!(p, "confirm_delivery")) }
                    }
                }
            }
            @if to_vet > 0 {
                div.card.todo {
                    strong { (to_vet) @if to_vet as u64 >= SHOWN { "+" } " " (t!(p, "accounts_to_vet")) }
                    div { a.button href="/vetting" { (t!(p, "vetting")) } }
                }
            }
            h2 { (t!(p, "notices")) }
            @if told.is_empty() { p { (t!(p, "nothing_here")) } }
            @for notice in &told {
                @let words = notice.words(chinese);
                div.card.notice data-kind=(notice.kind.as_str()) {
                    strong { (words.subject) }
                    div { (words.body) }
                    div.meta {
                        time datetime=(notice.created_at.to_rfc3339()) { (p.date(notice.created_at)) }
                        @if let Some(id) = notice.pledge_id {
                            @if actor.role == Role::Donor { " · " a href={ "/my/pledges/" (id) } { (t!(p, "details_and_next")) } }
                        }
                    }
                }
            }
        },
    ))
}
