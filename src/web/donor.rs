//! A donor's pledges: where to send each, its status, and cancelling while pledged.

use super::errors::PageError;
use super::forms::{Given, PageNumber};
use maud::{html, Markup};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::layout::page;
use super::{explain, failed, move_from_page, Back};
use super::{Button, Checked, Page, SignedIn};
use crate::app::Bookbridge;
use crate::domain::ids::PledgeId;
use crate::domain::model::MoveDetails;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![my_pledges, one_pledge, extend, cancel]
}

/// Pledges on one page of a donor's list, newest first.
const PAGE_SIZE: u64 = 50;

#[rocket::get("/my/pledges?<page>")]
async fn my_pledges(
    p: SignedIn,
    service: &State<Bookbridge>,
    page: Given<PageNumber>,
) -> Result<Markup, PageError> {
    let actor = p.actor;
    let Ok(number) = page.at_most(10_000) else {
        return Err(failed("/my/pledges", t!(p, "bad_page")).into());
    };
    // One row past the page says whether another follows.
    let mut views = service
        .pledge_lines(
            &actor,
            PledgeFilter {
                limit: PAGE_SIZE + 1,
                offset: (number - 1) * PAGE_SIZE,
                ..Default::default()
            },
        )
        .await?;
    let more = views.len() as u64 > PAGE_SIZE;
    views.truncate(PAGE_SIZE as usize);
    Ok(super::layout::page(
        &p,
        &t!(p, "my_pledges"),
        html! {
            h1 { (t!(p, "my_pledges")) }
            @if views.is_empty() { p { (t!(p, "nothing_here")) " " a href="/?needed=true" { (t!(p, "search")) } } }
            @for view in &views {
                div.card.pledge data-id=(view.pledge.id) {
                    strong { (view.title.as_deref().unwrap_or(view.pledge.isbn.as_str())) } " × " (view.pledge.quantity)
                    div.meta { (t!(p, "pledged_on")) " " time datetime=(view.pledge.created_at.to_rfc3339()) { (p.date(view.pledge.created_at)) } }
                    div.meta { (t!(p, "status")) ": " span.status { (p.lang.pledge_status(view.pledge.status)) }
                        @if let Some(t) = &view.pledge.tracking_number { " · " (t) }
                        @if view.pledge.status == PledgeStatus::Delivered {
                            " · " (t!(p, "confirmed_by_school")) " " (p.date(view.pledge.updated_at))
                        } @else if !view.pledge.status.is_active() {
                            " · " (p.date(view.pledge.updated_at))
                        } }
                    @if view.pledge.status == PledgeStatus::Pledged {
                        div.meta { (t!(p, "post_by")) " " strong { (p.date(super::post_by(&view.pledge))) } }
                    }
                    @if let Some(wish) = &view.pledge.wish { (wish_answer(&p, wish)) }
                    a href={ "/my/pledges/" (view.pledge.id) } { (t!(p, "details_and_next")) }
                    @if let Some(to) = &view.ship_to {
                        div { (t!(p, "send_to")) ": " (to.name) ", " (to.address) " · " (to.contact_phone) }
                    }
                    @if view.pledge.status == PledgeStatus::Pledged {
                        (super::ask_first(&p, &format!("/my/pledges/{}/cancel", view.pledge.id), &t!(p, "cancel"), html! {}))
                    }
                }
            }
            (super::pager(&p, super::Paging::open(number, more), |n| format!("/my/pledges?page={n}")))
        },
    ))
}

/// One pledge: what happens next (who posts the books, to where, by when) and its dated
/// timeline. The page a donor lands on after pledging.
#[rocket::get("/my/pledges/<id>")]
async fn one_pledge(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: PledgeId,
) -> Result<Markup, PageError> {
    let actor = p.actor;
    let view = service.pledge_view(&actor, id).await?;
    let events = service.pledge_events(&actor, id).await?;
    let pledge = &view.pledge;
    let title = service
        .books(std::slice::from_ref(&pledge.isbn))
        .await
        .ok()
        .and_then(|mut books| books.remove(&pledge.isbn))
        .and_then(|book| book.title)
        .unwrap_or_else(|| pledge.isbn.as_str().to_owned());
    let school_name = match &view.ship_to {
        Some(to) => to.name.clone(),
        None => service
            .school(None, pledge.school_id)
            .await
            .map(|s| s.summary.name)
            .unwrap_or_default(),
    };
    let step = |done: bool| if done { "step done" } else { "step" };
    let status = pledge.status;
    Ok(page(
        &p,
        &title,
        html! {
            h1 { (title) " × " (pledge.quantity) }
            p { (t!(p, "status")) ": " strong.status { (p.lang.pledge_status(status)) } " · " a href={ "/schools/" (pledge.school_id) } { (school_name) } }
            @if let Some(wish) = &pledge.wish { (wish_answer(&p, wish)) }
            @if status == PledgeStatus::Pledged || status == PledgeStatus::Shipped {
                h2 { (t!(p, "what_next")) }
                ol.next-steps {
                    li class=(step(true)) { (t!(p, "next_pledged")) " (" (p.date(pledge.created_at)) ")" }
                    li class=(step(status == PledgeStatus::Shipped)) {
                        (t!(p, "next_post")) " " strong { (p.date(super::post_by(pledge))) } (t!(p, "next_post_end"))
                        @if status == PledgeStatus::Pledged && !pledge.extended && actor.role == crate::domain::role::Role::Donor {
                            form.extend method="post" action={ "/my/pledges/" (pledge.id) "/extend" } {
                                input type="hidden" name="csrf" value=(p.csrf);
                                button.secondary type="submit" { (t!(p, "extend")) }
                            }
                        }
                        @if let Some(to) = &view.ship_to {
                            div.address { (to.name) br; (to.address) br; (to.contact_phone) }
                        }
                        div.meta { (t!(p, "next_post_help")) }
                    }
                    li class=(step(false)) { (t!(p, "next_arrive")) }
                }
            }
            h2 { (t!(p, "timeline")) }
            ol.timeline {
                @for event in &events {
                    li {
                        time datetime=(event.at.to_rfc3339()) { (p.date(event.at)) }
                        " · " (p.lang.pledge_status(event.to))
                        @if let Some(t) = &event.tracking_number { " · " (event.carrier.as_deref().unwrap_or("")) " " (t) }
                    }
                }
            }
            @if status == PledgeStatus::Pledged && actor.role == crate::domain::role::Role::Donor {
                (super::ask_first(&p, &format!("/my/pledges/{}/cancel", pledge.id), &t!(p, "cancel"), html! {}))
            }
            p { a href="/my/pledges" { "← " (t!(p, "my_pledges")) } }
        },
    ))
}

/// The child's wish a pledge answers, and the child's thanks once the school recorded it.
fn wish_answer(p: &Page, wish: &crate::domain::child_wishes::PledgedWish) -> Markup {
    let chinese = p.lang == super::i18n::Lang::Zh;
    html! {
        div.wish-answer {
            @if let Some(name) = &wish.child_name {
                div { (t!(p, "a_wish_from")) " " strong.child { (name) } " · " (wish.grade.label(chinese)) }
                @if let Some(sentence) = &wish.sentence { blockquote.sentence { (sentence) } }
                @if wish.has_photo { img.photo src={ "/wishes/" (wish.id) "/photo" } alt=(t!(p, "card_photo")) width="120" loading="lazy"; }
            }
            @if let Some(thanks) = &wish.thanks {
                div.thanks { (t!(p, "childs_thanks")) ": " q { (thanks) } }
            }
            @if wish.has_thanks_photo { img.photo src={ "/wishes/" (wish.id) "/thanks-photo" } alt=(t!(p, "thanks_photo")) width="160" loading="lazy"; }
            @if wish.status == crate::domain::child_wishes::WishStatus::Withdrawn {
                div.meta { (t!(p, "wish_withdrawn_note")) }
            } @else if wish.details_removed {
                div.meta { (t!(p, "details_removed_note")) }
            }
        }
    }
}

/// More time to post, once.
#[rocket::post("/my/pledges/<id>/extend", data = "<_form>")]
async fn extend(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: PledgeId,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    let back = format!("/my/pledges/{id}");
    match service.extend_pledge(&p.actor, id).await {
        Ok(_) => super::done(&back, t!(p, "extended")),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

#[rocket::post("/my/pledges/<id>/cancel", data = "<_form>")]
async fn cancel(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: PledgeId,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    let cancel = (id, PledgeStatus::Cancelled, MoveDetails::default());
    let back = Back {
        to: "/my/pledges",
        done: t!(p, "done"),
    };
    move_from_page(&p, service, cancel, back).await
}
