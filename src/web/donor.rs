//! A donor's pledges: where to send each, its status, and cancelling while pledged.

use maud::{html, Markup};
use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::layout::page;
use super::{explain, failed, move_from_page, Back};
use crate::app::Bookbridge;
use crate::domain::ids::PledgeId;
use crate::domain::model::MoveDetails;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![my_pledges, cancel]
}

#[derive(rocket::FromForm)]
struct CsrfOnly {
    csrf: String,
}

#[rocket::get("/my/pledges")]
async fn my_pledges(p: Page, service: &State<Bookbridge>) -> Result<Markup, Flash<Redirect>> {
    let Some(actor) = p.actor else {
        return Err(failed("/signin", p.t("need_sign_in")));
    };
    let views = service
        .pledge_lines(
            &actor,
            PledgeFilter {
                limit: 200,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| failed("/", &explain(&p, &e)))?;
    Ok(page(
        &p,
        p.t("my_pledges"),
        html! {
            h1 { (p.t("my_pledges")) }
            @if views.is_empty() { p { (p.t("nothing_here")) " " a href="/?needed=true" { (p.t("search")) } } }
            @for view in &views {
                div.card.pledge data-id=(view.pledge.id) {
                    strong { (view.title.as_deref().unwrap_or(view.pledge.isbn.as_str())) } " × " (view.pledge.quantity)
                    div.meta { (p.t("status")) ": " span.status { (p.t(view.pledge.status.as_str())) }
                        @if let Some(t) = &view.pledge.tracking_number { " · " (t) } }
                    @if let Some(to) = &view.ship_to {
                        div { (p.t("send_to")) ": " (to.name) ", " (to.address) " · " (to.contact_phone) }
                    }
                    @if view.pledge.status == PledgeStatus::Pledged {
                        form method="post" action={ "/my/pledges/" (view.pledge.id) "/cancel" } {
                            input type="hidden" name="csrf" value=(p.csrf);
                            button.secondary type="submit" { (p.t("cancel")) }
                        }
                    }
                }
            }
        },
    ))
}

#[rocket::post("/my/pledges/<id>/cancel", data = "<form>")]
async fn cancel(
    p: Page,
    service: &State<Bookbridge>,
    id: PledgeId,
    form: Form<CsrfOnly>,
) -> Flash<Redirect> {
    let cancel = (id, PledgeStatus::Cancelled, MoveDetails::default());
    let back = Back {
        to: "/my/pledges",
        done: "done",
    };
    move_from_page(&p, service, &form.csrf, cancel, back).await
}
