//! A donor's box as markup: the list of ISBNs, the plan as parcels, the confirmed parcels.

use maud::{html, Markup};

use crate::domain::boxes::{ProposedPlan, UnplacedReason};
use crate::domain::parcels::ParcelView;
use crate::web::context::Page;
use crate::web::forms::{general_fault, Field, Typed};
use crate::web::layout::page;

/// The box: ISBNs one a line, as a scanner types them.
pub(super) fn box_form(p: &Page, typed: &Typed) -> Markup {
    page(
        p,
        &t!(p, "box_title"),
        html! {
            h1 { (t!(p, "box_title")) }
            p { (t!(p, "box_intro")) }
            (general_fault(typed))
            form method="post" action="/my/box" {
                input type="hidden" name="csrf" value=(p.csrf);
                (Field::new(p, typed, "isbns", t!(p, "box_isbns")).kind("textarea").inputmode("numeric").required().hint(t!(p, "box_isbns_hint")))
                p { button type="submit" { (t!(p, "box_plan_it")) } }
            }
        },
    )
}

/// A proposed plan: parcels with their school's province and books, what was left out and
/// why, and the button that pledges it.
pub(super) fn plan(p: &Page, plan: &ProposedPlan, isbns: &str, note: Option<&str>) -> Markup {
    let books: usize = plan.parcels.iter().map(|parcel| parcel.books.len()).sum();
    page(
        p,
        &t!(p, "box_plan"),
        html! {
            h1 { (t!(p, "box_plan")) }
            @if let Some(note) = note { p.flash.error role="alert" { (note) } }
            p { (t!(p, "box_plan_summary", books = books, parcels = plan.parcels.len())) }
            @for parcel in &plan.parcels {
                div.card.parcel data-school=(parcel.school.id) {
                    strong { (parcel.school.name) } " · " (p.province(&parcel.school.province))
                    div.meta { (t!(p, "n_copies", count = parcel.books.len())) }
                    ul { @for book in &parcel.books { li { (book.title.as_deref().unwrap_or(book.isbn.as_str())) " · " small { (book.isbn) } } } }
                    form.inline method="post" action="/my/box" {
                        input type="hidden" name="csrf" value=(p.csrf);
                        input type="hidden" name="isbns" value=(isbns);
                        input type="hidden" name="without" value=(parcel.school.id);
                        button.secondary type="submit" { (t!(p, "box_leave_out")) }
                    }
                }
            }
            @if !plan.unplaced.is_empty() {
                h2 { (t!(p, "box_unplaced")) }
                ul.unplaced {
                    @for book in &plan.unplaced {
                        li data-reason=(reason_code(book.reason)) { (book.isbn) " · " (reason(p, book.reason)) }
                    }
                }
            }
            @if !plan.parcels.is_empty() {
                form method="post" action={ "/my/box/" (plan.id) "/confirm" } {
                    input type="hidden" name="csrf" value=(p.csrf);
                    input type="hidden" name="isbns" value=(isbns);
                    p { button type="submit" { (t!(p, "box_confirm")) } }
                }
            }
            p { a href="/my/box" { "← " (t!(p, "box_title")) } }
        },
    )
}

/// The parcels a confirmed box became: where each goes, by when, and the tracking number
/// to enter once it is posted.
pub(super) fn confirmed(p: &Page, parcels: &[ParcelView]) -> Markup {
    page(
        p,
        &t!(p, "box_confirmed"),
        html! {
            h1 { (t!(p, "box_confirmed")) }
            p { (t!(p, "box_confirmed_intro", parcels = parcels.len())) }
            @for parcel in parcels {
                div.card.parcel data-id=(parcel.id) {
                    strong { (t!(p, "parcel_no", id = parcel.id.get())) }
                    @if let Some(to) = &parcel.ship_to {
                        div.address { (to.name) br; (to.address) br; (to.contact_phone) }
                    }
                    @if let Some(by) = parcel.ship_by {
                        div { (t!(p, "post_by")) " " strong { (p.date(by)) } }
                    }
                    div.meta { (t!(p, "n_copies", count = parcel.pledges.iter().map(|pl| pl.quantity as usize).sum::<usize>())) }
                    form method="post" action={ "/my/parcels/" (parcel.id) "/shipped" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        label for={ "carrier-" (parcel.id) } { (t!(p, "carrier")) }
                        input id={ "carrier-" (parcel.id) } type="text" name="carrier" maxlength="100";
                        label for={ "tracking-" (parcel.id) } { (t!(p, "tracking")) }
                        input id={ "tracking-" (parcel.id) } type="text" name="tracking_number" maxlength="100" required autocomplete="off";
                        p { button type="submit" { (t!(p, "parcel_mark_posted")) } }
                    }
                }
            }
            p { a href="/my/pledges" { (t!(p, "my_pledges")) } }
        },
    )
}

fn reason(p: &Page, reason: UnplacedReason) -> String {
    match reason {
        UnplacedReason::NotWanted => t!(p, "unplaced_not_wanted"),
        UnplacedReason::UnknownIsbn => t!(p, "unplaced_unknown_isbn"),
        UnplacedReason::MoreThanWanted => t!(p, "unplaced_more_than_wanted"),
    }
}

fn reason_code(reason: UnplacedReason) -> &'static str {
    match reason {
        UnplacedReason::NotWanted => "not_wanted",
        UnplacedReason::UnknownIsbn => "unknown_isbn",
        UnplacedReason::MoreThanWanted => "more_than_wanted",
    }
}
