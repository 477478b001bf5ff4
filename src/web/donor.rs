//! A donor's pledges: where to send each, its status, and cancelling while pledged.

use super::errors::PageError;
use super::forms::{Given, PageNumber};
use maud::Markup;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::{explain, failed, move_from_page, Back};
use super::{Button, Checked, SignedIn};
use crate::app::Bookbridge;
use crate::domain::ids::PledgeId;
use crate::domain::model::MoveDetails;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;

mod view;

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
    Ok(view::my_pledges(
        &p,
        &views,
        super::Paging::open(number, more),
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
    Ok(view::one_pledge(
        &p,
        view::OnePledge {
            view: &view,
            events: &events,
            title: &title,
            school_name: &school_name,
            donor: actor.role == crate::domain::role::Role::Donor,
        },
    ))
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
