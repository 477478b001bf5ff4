//! The volunteers' queue as markup: what the handler loaded, drawn.

use maud::{html, Markup};

use crate::domain::isbn::Isbn;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::{by_parcel, PledgeLine};
use crate::web::context::Page;
use crate::web::{pager, Paging};

/// What the queue page shows.
pub(super) struct Queue<'a> {
    /// The scanned book, when the queue is filtered to it.
    pub wanted: Option<&'a Isbn>,
    /// The lists shown (both, or in easy mode the one chosen), each with its name.
    pub lists: &'a [&'a (&'static str, Vec<PledgeLine>)],
    /// The list easy mode shows.
    pub shown: &'static str,
    /// How many the other list holds (easy mode's button to it).
    pub other_count: usize,
    /// Where this page is among the pages.
    pub paging: Paging,
    /// The address of page n.
    pub link_to: &'a dyn Fn(u64) -> String,
}

/// The queue page.
pub(super) fn queue(p: &Page, q: Queue<'_>) -> Markup {
    let Queue {
        wanted,
        lists,
        shown,
        other_count,
        paging,
        link_to,
    } = q;
    crate::web::layout::page(
        p,
        &t!(p, "queue"),
        html! {
            h1 { (t!(p, "queue")) }
            form method="get" action="/volunteer" {
                label for="isbn" { (t!(p, "scan_isbn")) }
                // Empty after every scan, with the cursor in it: the next scan starts clean.
                input #isbn type="text" name="isbn" inputmode="numeric" autofocus autocomplete="off" value="";
            }
            @if let Some(isbn) = wanted {
                p.meta { (t!(p, "showing_isbn")) " " (isbn) " · " a href="/volunteer" { (t!(p, "show_all")) } }
            }
            @for (heading, views) in lists.iter().copied() {
                h2 { (list_name(p, heading)) }
                @if views.is_empty() { p { (t!(p, "nothing_here")) } }
                @for lines in by_parcel(views) { (parcel(p, &lines)) }
            }
            (pager(p, paging, link_to))
            @if p.easy {
                @let other = if shown == "to_ship" { "in_transit" } else { "to_ship" };
                a.task.secondary href={ "/volunteer?list=" (other) } { (list_name(p, other)) " (" (other_count) ")" }
            }
        },
    )
}

/// One parcel's card with what can be done to it: a parcel of one pledge is moved by the
/// pledge's own forms, a box's parcel of several by the parcel's (one tracking number for all).
fn parcel(p: &Page, lines: &[&PledgeLine]) -> Markup {
    let view = lines[0];
    let many = lines.len() > 1;
    let base = if many {
        format!("/volunteer/parcels/{}", view.pledge.parcel_id)
    } else {
        format!("/volunteer/pledges/{}", view.pledge.id)
    };
    let copies: u32 = lines.iter().map(|l| l.pledge.quantity).sum();
    html! {
        div.card.queued data-id=(view.pledge.id) data-parcel=(view.pledge.parcel_id) data-isbn=(view.pledge.isbn) {
            @if many {
                strong { (t!(p, "parcel_no", id = view.pledge.parcel_id.get())) " · " (t!(p, "n_copies", count = copies)) }
                ul.parcel-books {
                    @for line in lines {
                        li { (line.title.as_deref().unwrap_or(line.pledge.isbn.as_str())) " × " (line.pledge.quantity) span.meta { " · ISBN " (line.pledge.isbn) } }
                    }
                }
                div.meta { (t!(p, "pledged_on")) " " (p.date(view.pledge.created_at)) }
            } @else {
                strong { (view.title.as_deref().unwrap_or(view.pledge.isbn.as_str())) " × " (view.pledge.quantity) }
                // Two parcels of one book told apart: the pledge's number and date,
                // and whether it answers a child's wish card.
                div.meta { (t!(p, "parcel_no", id = view.pledge.id.get())) " · " (t!(p, "pledged_on")) " " (p.date(view.pledge.created_at)) " · ISBN " (view.pledge.isbn) }
            }
            @if let Some(name) = &view.donor_name { div.meta.donor { (t!(p, "given_by")) ": " (name) } }
            @if lines.iter().any(|l| l.pledge.child_wish_id.is_some()) { div { span.tag { (t!(p, "childs_wish_tag")) } } }
            @if let Some(to) = &view.ship_to { div { (t!(p, "send_to")) ": " (to.name) ", " (to.address) " · " (to.contact_phone) } }
            @if view.pledge.status == PledgeStatus::Pledged {
                form method="post" action={ (base) "/shipped" } {
                    input type="hidden" name="csrf" value=(p.csrf);
                    input type="hidden" name="back" value=(p.here);
                    div.row {
                        label { (t!(p, "carrier")) input type="text" name="carrier"; }
                        label { (t!(p, "tracking")) input type="text" name="tracking_number" required; }
                    }
                    button type="submit" { (t!(p, "mark_shipped")) }
                }
            } @else {
                div.meta { (view.pledge.carrier.as_deref().unwrap_or("")) " " (view.pledge.tracking_number.as_deref().unwrap_or("")) }
                details.confirm.correct {
                    summary { (t!(p, "correct_tracking")) }
                    form method="post" action={ (base) "/tracking" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        input type="hidden" name="back" value=(p.here);
                        label { (t!(p, "carrier")) input type="text" name="carrier" value=(view.pledge.carrier.as_deref().unwrap_or("")); }
                        label { (t!(p, "tracking")) input type="text" name="tracking_number" required value=(view.pledge.tracking_number.as_deref().unwrap_or("")); }
                        button type="submit" { (t!(p, "save")) }
                    }
                }
                // Final moves, one pledge at a time (a box's parcel may lose one book): one
                // tap opens the question, a second answers it.
                @for line in lines {
                    @for (to, label) in [("lost", t!(p, "mark_lost")), ("returned", t!(p, "mark_returned"))] {
                        details.confirm {
                            summary { (label) @if many { " · " (line.title.as_deref().unwrap_or(line.pledge.isbn.as_str())) } }
                            form method="post" action={ "/volunteer/pledges/" (line.pledge.id) "/" (to) } {
                                input type="hidden" name="csrf" value=(p.csrf);
                                input type="hidden" name="back" value=(p.here);
                                p { (t!(p, "are_you_sure")) }
                                button.secondary type="submit" { (t!(p, "yes")) ": " (label) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The heading of one of the queue's two lists (`to_ship`, `in_transit`).
fn list_name(p: &Page, list: &str) -> String {
    match list {
        "to_ship" => t!(p, "to_ship"),
        _ => t!(p, "in_transit"),
    }
}
