//! The volunteers' queue: pledges to ship, parcels on the way, and a barcode box.

use super::errors::PageError;
use maud::{html, Markup};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::forms::{Given, PageNumber};
use super::{done, explain, failed};
use super::{Checked, Staff};
use crate::app::Bookbridge;
use crate::domain::ids::PledgeId;
use crate::domain::isbn::Isbn;
use crate::domain::model::MoveDetails;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::pledges::{PledgeLine, PledgeView};

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![queue, correct_tracking, move_pledge]
}

#[derive(rocket::FromForm)]
struct MoveForm {
    carrier: Option<String>,
    tracking_number: Option<String>,
    /// The queue as it was (a scanned ISBN, a list, a page), to go back to.
    back: Option<String>,
}

impl MoveForm {
    /// The carrier and tracking number, by the same checks as the API's body: one
    /// validation path.
    fn details(&self) -> Result<MoveDetails, crate::domain::error::Invalid> {
        MoveDetails::parse(
            self.carrier.as_deref(),
            self.tracking_number.as_deref(),
            None,
        )
    }
}

/// Pledges on one page of each of the queue's lists.
const PAGE_SIZE: u64 = 50;

/// What the queue's address asks for.
#[derive(rocket::FromForm)]
struct QueueQuery<'r> {
    /// A scanned (or typed) ISBN: only that book's pledges. A keyboard-wedge scanner types
    /// the digits and Enter, which sends the box's form.
    isbn: Given<Isbn>,
    /// `in_transit`: easy mode's second list (the first otherwise).
    list: Option<&'r str>,
    /// The page of both lists.
    page: Given<PageNumber>,
}

#[rocket::get("/volunteer?<query..>")]
async fn queue(
    p: Staff,
    service: &State<Bookbridge>,
    query: QueueQuery<'_>,
) -> Result<Markup, PageError> {
    let actor = p.actor;
    let Ok(wanted) = query.isbn.read("isbn") else {
        return Err(failed("/volunteer", t!(p, "bad_isbn")).into());
    };
    let Ok(number) = query.page.at_most(10_000) else {
        return Err(failed("/volunteer", t!(p, "bad_page")).into());
    };
    let list = query.list;
    let mut lists: Vec<(&'static str, Vec<PledgeLine>)> = Vec::new();
    let mut more = false;
    for status in [PledgeStatus::Pledged, PledgeStatus::Shipped] {
        // The scanned book is filtered in the database, so it is found however long the queue.
        let mut views = service
            .pledge_lines(
                &actor,
                PledgeFilter {
                    status: Some(status),
                    isbn: wanted.clone(),
                    limit: PAGE_SIZE + 1,
                    offset: (number - 1) * PAGE_SIZE,
                    ..Default::default()
                },
            )
            .await?;
        more |= views.len() as u64 > PAGE_SIZE;
        views.truncate(PAGE_SIZE as usize);
        lists.push((
            if status == PledgeStatus::Pledged {
                "to_ship"
            } else {
                "in_transit"
            },
            views,
        ));
    }
    // Easy mode shows one list at a time, with a big button to the other.
    let shown = if list == Some("in_transit") {
        "in_transit"
    } else {
        "to_ship"
    };
    let link_to = |n: u64| {
        let mut link = format!("/volunteer?page={n}");
        if let Some(isbn) = &wanted {
            link.push_str(&format!("&isbn={isbn}"));
        }
        if let Some(list) = list.filter(|l| *l == "in_transit") {
            link.push_str(&format!("&list={list}"));
        }
        link
    };
    Ok(super::layout::page(
        &p,
        &t!(p, "queue"),
        html! {
            h1 { (t!(p, "queue")) }
            form method="get" action="/volunteer" {
                label for="isbn" { (t!(p, "scan_isbn")) }
                // Empty after every scan, with the cursor in it: the next scan starts clean.
                input #isbn type="text" name="isbn" inputmode="numeric" autofocus autocomplete="off" value="";
            }
            @if let Some(isbn) = &wanted {
                p.meta { (t!(p, "showing_isbn")) " " (isbn) " · " a href="/volunteer" { (t!(p, "show_all")) } }
            }
            @for (heading, views) in lists.iter().filter(|(h, _)| !p.easy || *h == shown) {
                h2 { (list_name(&p, heading)) }
                @if views.is_empty() { p { (t!(p, "nothing_here")) } }
                @for view in views {
                    div.card.queued data-id=(view.pledge.id) data-isbn=(view.pledge.isbn) {
                        strong { (view.title.as_deref().unwrap_or(view.pledge.isbn.as_str())) " × " (view.pledge.quantity) }
                        // Two parcels of one book told apart: the pledge's number and date,
                        // and whether it answers a child's wish card.
                        div.meta { (t!(p, "parcel_no", id = view.pledge.id.get())) " · " (t!(p, "pledged_on")) " " (p.date(view.pledge.created_at)) " · ISBN " (view.pledge.isbn) }
                        @if view.pledge.child_wish_id.is_some() { div { span.tag { (t!(p, "childs_wish_tag")) } } }
                        @if let Some(to) = &view.ship_to { div { (t!(p, "send_to")) ": " (to.name) ", " (to.address) " · " (to.contact_phone) } }
                        @if view.pledge.status == PledgeStatus::Pledged {
                            form method="post" action={ "/volunteer/pledges/" (view.pledge.id) "/shipped" } {
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
                                form method="post" action={ "/volunteer/pledges/" (view.pledge.id) "/tracking" } {
                                    input type="hidden" name="csrf" value=(p.csrf);
                                    input type="hidden" name="back" value=(p.here);
                                    label { (t!(p, "carrier")) input type="text" name="carrier" value=(view.pledge.carrier.as_deref().unwrap_or("")); }
                                    label { (t!(p, "tracking")) input type="text" name="tracking_number" required value=(view.pledge.tracking_number.as_deref().unwrap_or("")); }
                                    button type="submit" { (t!(p, "save")) }
                                }
                            }
                            // Final moves: one tap opens the question, a second answers it.
                            @for (to, label) in [("lost", t!(p, "mark_lost")), ("returned", t!(p, "mark_returned"))] {
                                details.confirm {
                                    summary { (label) }
                                    form method="post" action={ "/volunteer/pledges/" (view.pledge.id) "/" (to) } {
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
            (super::pager(&p, super::Paging::open(number, more), link_to))
            @if p.easy {
                @let other = if shown == "to_ship" { "in_transit" } else { "to_ship" };
                @let count = lists.iter().find(|(h, _)| *h == other).map_or(0, |(_, v)| v.len());
                a.task.secondary href={ "/volunteer?list=" (other) } { (list_name(&p, other)) " (" (count) ")" }
            }
        },
    ))
}

#[rocket::post("/volunteer/pledges/<id>/tracking", data = "<form>", rank = 1)]
async fn correct_tracking(
    p: Staff,
    service: &State<Bookbridge>,
    id: PledgeId,
    form: Checked<MoveForm>,
) -> Flash<Redirect> {
    let back = super::local(form.back.as_deref(), "/volunteer");
    let details = match form.details() {
        Ok(details) => details,
        Err(invalid) => return failed(&back, explain(&p, &invalid.into())),
    };
    match service.correct_tracking(&p.actor, id, details).await {
        Ok(view) => done(&back, parcel_done(&p, &view, t!(p, "tracking_corrected"))),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

#[rocket::post("/volunteer/pledges/<id>/<to>", data = "<form>", rank = 2)]
async fn move_pledge(
    p: Staff,
    service: &State<Bookbridge>,
    id: PledgeId,
    to: &str,
    form: Checked<MoveForm>,
) -> Flash<Redirect> {
    let back = super::local(form.back.as_deref(), "/volunteer");
    let Ok(to) = to.parse::<PledgeStatus>() else {
        return failed(&back, t!(p, "not_allowed"));
    };
    // A parcel without a tracking number cannot be followed or claimed: the page asks for
    // one (the API leaves it to the caller).
    if to == PledgeStatus::Shipped
        && form
            .tracking_number
            .as_deref()
            .is_none_or(|t| t.trim().is_empty())
    {
        return failed(&back, t!(p, "tracking_required"));
    }
    let details = match form.details() {
        Ok(details) => details,
        Err(invalid) => return failed(&back, explain(&p, &invalid.into())),
    };
    match service.move_pledge(&p.actor, id, to, details).await {
        Ok(view) => done(&back, parcel_done(&p, &view, p.lang.pledge_status(to))),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

/// "Shipped: parcel no. 12, 小王子 × 2 (EMS123)": what was done, to which parcel.
fn parcel_done(p: &Page, view: &PledgeView, what: String) -> String {
    let pledge = &view.pledge;
    t!(
        p,
        "parcel_done",
        what = what,
        id = pledge.id.get(),
        book = pledge.isbn.as_str(),
        quantity = pledge.quantity,
        tracking = pledge.tracking_number.clone().unwrap_or_default()
    )
}

/// The heading of one of the queue's two lists (`to_ship`, `in_transit`).
fn list_name(p: &Page, list: &str) -> String {
    match list {
        "to_ship" => t!(p, "to_ship"),
        _ => t!(p, "in_transit"),
    }
}
