//! A donor's box of books on the pages: the ISBNs typed or scanned into one list, the plan as
//! parcels, the confirmation with each parcel's address and date, and the tracking number
//! entered once a parcel is posted. The same use cases as `POST /api/v1/boxes`.

use maud::Markup;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::errors::PageError;
use super::forms::{Answer, Typed};
use super::{done, explain, failed};
use super::{Checked, Filled, SignedIn};
use crate::app::Bookbridge;
use crate::domain::boxes::BoxRequest;
use crate::domain::error::{DomainError, Invalid};
use crate::domain::ids::{BoxId, ParcelId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::model::MoveDetails;

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![box_page, plan, confirm, posted]
}

#[derive(rocket::FromForm)]
struct BoxForm {
    /// ISBNs one a line (a scanner types one and Enter), or separated by spaces or commas.
    isbns: String,
    /// A school to leave out of the plan ("ask again without it").
    without: Option<i64>,
}

#[derive(rocket::FromForm)]
struct TrackingForm {
    tracking_number: String,
    carrier: Option<String>,
}

/// The ISBNs in what was typed: every entry, in order (a repeat is another copy).
fn read_isbns(typed: &str) -> Result<Vec<Isbn>, DomainError> {
    typed
        .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == ';')
        .filter(|entry| !entry.is_empty())
        .map(|entry| Isbn::parse(entry).map_err(|e| DomainError::InvalidIsbn(e, "isbns")))
        .collect()
}

#[rocket::get("/my/box")]
fn box_page(p: SignedIn) -> Markup {
    view::box_form(&p, &Typed::fresh())
}

#[rocket::post("/my/box", data = "<form>")]
async fn plan(p: SignedIn, service: &State<Bookbridge>, form: Filled<BoxForm>) -> Answer {
    let again = |typed: &Typed, status| Answer::Again((status, view::box_form(&p, typed)));
    let Some(sent) = &form.value else {
        return again(&form.typed, Status::UnprocessableEntity);
    };
    let isbns = match read_isbns(&sent.isbns) {
        Ok(isbns) if isbns.is_empty() => Err(Invalid::new("isbns", "no ISBN was typed").into()),
        other => other,
    };
    let planned = match isbns {
        Ok(isbns) => {
            let request = BoxRequest {
                isbns,
                without: sent.without.map(SchoolId).into_iter().collect(),
                province: None,
            };
            service.plan_box(&p.actor, request).await
        }
        Err(err) => Err(err),
    };
    match planned {
        Ok(plan) => Answer::Again((Status::Ok, view::plan(&p, &plan, &sent.isbns, None))),
        Err(err @ DomainError::Forbidden(_)) => Answer::Failed(PageError::from(err)),
        Err(err) => again(
            &form.typed.clone().refused_for(&p, &err),
            super::errors::status_of(&err),
        ),
    }
}

#[rocket::post("/my/box/<id>/confirm", data = "<form>")]
async fn confirm(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: BoxId,
    form: Checked<ConfirmForm>,
) -> Answer {
    match service.confirm_box(&p.actor, id).await {
        Ok(parcels) => Answer::Again((Status::Created, view::confirmed(&p, &parcels))),
        Err(DomainError::PlanStale(fresh)) => Answer::Again((
            Status::Conflict,
            view::plan(
                &p,
                &fresh,
                &form.isbns,
                Some(&explain(&p, &DomainError::PlanStale(fresh.clone()))),
            ),
        )),
        Err(err) => Answer::Moved(failed("/my/box", explain(&p, &err))),
    }
}

/// The confirm button carries the box's ISBNs, so that a stale plan's page can ask again.
#[derive(rocket::FromForm)]
struct ConfirmForm {
    isbns: String,
}

/// The donor (or a volunteer) enters a posted parcel's tracking number.
#[rocket::post("/my/parcels/<id>/shipped", data = "<form>")]
async fn posted(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: ParcelId,
    form: Checked<TrackingForm>,
) -> Flash<Redirect> {
    // Blank is absent; the use case refuses a parcel posted without a tracking number.
    let result =
        match MoveDetails::parse(form.carrier.as_deref(), Some(&form.tracking_number), None) {
            Ok(details) => service.post_parcel(&p.actor, id, details).await,
            Err(invalid) => Err(invalid.into()),
        };
    match result {
        Ok(_) => done("/my/pledges", t!(p, "parcel_posted", id = id.get())),
        Err(err) => failed("/my/pledges", explain(&p, &err)),
    }
}
