//! A donor's pledges as markup, drawn from what the handlers loaded.

use maud::{html, Markup};

use crate::domain::model::PledgeEvent;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::{PledgeLine, PledgeView};
use crate::web::context::Page;
use crate::web::layout::page;
use crate::web::{pager, Paging};

/// What one pledge's page shows.
pub(super) struct OnePledge<'a> {
    pub view: &'a PledgeView,
    /// Its moves, oldest first.
    pub events: &'a [PledgeEvent],
    /// The book's title (its ISBN when the catalogue has none).
    pub title: &'a str,
    /// The school it goes to.
    pub school_name: &'a str,
    /// The viewer is a donor (who may extend or cancel).
    pub donor: bool,
}

/// A donor's pledges, newest first: each with where to send it and, while pledged, a way to
/// cancel (asked first).
pub(super) fn my_pledges(p: &Page, views: &[PledgeLine], paging: Paging) -> Markup {
    page(
        p,
        &t!(p, "my_pledges"),
        html! {
            h1 { (t!(p, "my_pledges")) }
            p { a.button.secondary href="/my/box" { (t!(p, "give_a_box")) } }
            @if views.is_empty() { p { (t!(p, "nothing_here")) " " a href="/?needed=true" { (t!(p, "search")) } } }
            @for view in views {
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
                        div.meta { (t!(p, "post_by")) " " strong { (p.date(crate::web::post_by(&view.pledge))) } }
                    }
                    @if let Some(wish) = &view.pledge.wish { (wish_answer(p, wish)) }
                    a href={ "/my/pledges/" (view.pledge.id) } { (t!(p, "details_and_next")) }
                    @if let Some(to) = &view.ship_to {
                        div { (t!(p, "send_to")) ": " (to.name) ", " (to.address) " · " (to.contact_phone) }
                    }
                    @if view.pledge.status == PledgeStatus::Pledged {
                        (crate::web::ask_first(p, &format!("/my/pledges/{}/cancel", view.pledge.id), &t!(p, "cancel"), html! {}))
                    }
                }
            }
            (pager(p, paging, |n| format!("/my/pledges?page={n}")))
        },
    )
}

/// One pledge: what happens next and its dated timeline.
pub(super) fn one_pledge(p: &Page, o: OnePledge<'_>) -> Markup {
    let OnePledge {
        view,
        events,
        title,
        school_name,
        donor,
    } = o;
    let pledge = &view.pledge;
    let step = |done: bool| if done { "step done" } else { "step" };
    let status = pledge.status;
    page(
        p,
        title,
        html! {
            h1 { (title) " × " (pledge.quantity) }
            p { (t!(p, "status")) ": " strong.status { (p.lang.pledge_status(status)) } " · " a href={ "/schools/" (pledge.school_id) } { (school_name) } }
            @if let Some(wish) = &pledge.wish { (wish_answer(p, wish)) }
            @if status == PledgeStatus::Pledged || status == PledgeStatus::Shipped {
                h2 { (t!(p, "what_next")) }
                ol.next-steps {
                    li class=(step(true)) { (t!(p, "next_pledged")) " (" (p.date(pledge.created_at)) ")" }
                    li class=(step(status == PledgeStatus::Shipped)) {
                        (t!(p, "next_post")) " " strong { (p.date(crate::web::post_by(pledge))) } (t!(p, "next_post_end"))
                        @if status == PledgeStatus::Pledged && !pledge.extended && donor {
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
                @for event in events {
                    li {
                        time datetime=(event.at.to_rfc3339()) { (p.date(event.at)) }
                        " · " (p.lang.pledge_status(event.to))
                        @if let Some(t) = &event.tracking_number { " · " (event.carrier.as_deref().unwrap_or("")) " " (t) }
                    }
                }
            }
            @if status == PledgeStatus::Pledged && donor {
                (crate::web::ask_first(p, &format!("/my/pledges/{}/cancel", pledge.id), &t!(p, "cancel"), html! {}))
            }
            p { a href="/my/pledges" { "← " (t!(p, "my_pledges")) } }
        },
    )
}

/// The child's wish a pledge answers, and the child's thanks once the school recorded it.
fn wish_answer(p: &Page, wish: &crate::domain::child_wishes::PledgedWish) -> Markup {
    let chinese = p.lang == crate::web::i18n::Lang::Zh;
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
