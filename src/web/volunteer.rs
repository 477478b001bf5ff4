//! The volunteers' queue: pledges to ship, parcels on the way, and a barcode box.

use super::errors::PageError;
use maud::Markup;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::forms::{Given, PageNumber};
use super::{done, explain, failed};
use super::{Checked, Staff};
use crate::app::Bookbridge;
use crate::domain::ids::{ParcelId, PledgeId};
use crate::domain::isbn::Isbn;
use crate::domain::model::MoveDetails;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::pledges::{PledgeLine, PledgeView};

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        queue,
        correct_tracking,
        move_pledge,
        ship_parcel,
        correct_parcel_tracking
    ]
}

#[derive(rocket::FromForm)]
struct MoveForm {
    carrier: Option<String>,
    tracking_number: Option<String>,
    /// The queue as it was (a scanned ISBN, a list, a page), to go back to.
    back: Option<String>,
}

impl MoveForm {
    /// Where to go back to, and the carrier and tracking number checked; a parcel posted
    /// (`posting`) must have a tracking number, or it cannot be followed or claimed (the page
    /// asks for one; the API leaves it to the caller).
    fn checked(
        &self,
        p: &Page,
        posting: bool,
    ) -> Result<(String, MoveDetails), Box<Flash<Redirect>>> {
        let back = super::local(self.back.as_deref(), "/volunteer");
        if posting
            && self
                .tracking_number
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
        {
            return Err(Box::new(failed(&back, t!(p, "tracking_required"))));
        }
        match self.details() {
            Ok(details) => Ok((back, details)),
            Err(invalid) => Err(Box::new(failed(&back, explain(p, &invalid.into())))),
        }
    }

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
    let shown_lists: Vec<&(&'static str, Vec<PledgeLine>)> = lists
        .iter()
        .filter(|(h, _)| !p.easy || *h == shown)
        .collect();
    let other_count = lists
        .iter()
        .find(|(h, _)| *h != shown)
        .map_or(0, |(_, v)| v.len());
    Ok(view::queue(
        &p,
        view::Queue {
            wanted: wanted.as_ref(),
            lists: &shown_lists,
            shown,
            other_count,
            paging: super::Paging::open(number, more),
            link_to: &link_to,
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
    let (back, details) = match form.checked(&p, false) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
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
    let Ok(to) = to.parse::<PledgeStatus>() else {
        let back = super::local(form.back.as_deref(), "/volunteer");
        return failed(&back, t!(p, "not_allowed"));
    };
    let (back, details) = match form.checked(&p, to == PledgeStatus::Shipped) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
    };
    match service.move_pledge(&p.actor, id, to, details).await {
        Ok(view) => done(&back, parcel_done(&p, &view, p.lang.pledge_status(to))),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

/// A box's parcel of several pledges posted with one tracking number.
#[rocket::post("/volunteer/parcels/<id>/shipped", data = "<form>")]
async fn ship_parcel(
    p: Staff,
    service: &State<Bookbridge>,
    id: ParcelId,
    form: Checked<MoveForm>,
) -> Flash<Redirect> {
    let (back, details) = match form.checked(&p, true) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
    };
    match service.post_parcel(&p.actor, id, details).await {
        Ok(_) => done(&back, t!(p, "parcel_posted", id = id.get())),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

/// A box's parcel's tracking number corrected while it is on its way.
#[rocket::post("/volunteer/parcels/<id>/tracking", data = "<form>")]
async fn correct_parcel_tracking(
    p: Staff,
    service: &State<Bookbridge>,
    id: ParcelId,
    form: Checked<MoveForm>,
) -> Flash<Redirect> {
    let (back, details) = match form.checked(&p, false) {
        Ok(checked) => checked,
        Err(refused) => return *refused,
    };
    match service.correct_parcel_tracking(&p.actor, id, details).await {
        Ok(_) => done(&back, t!(p, "tracking_corrected")),
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
