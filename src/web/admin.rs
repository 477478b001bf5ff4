//! The admin console: the charity's figures as bar charts (inline SVG, no script), notices
//! that could not be sent (send again), and pledges close to or past their date.

use super::errors::PageError;
use maud::Markup;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::{done, explain, failed};
use super::{Admin, Button, Checked};
use crate::api::files::CsvFile;
use crate::app::Bookbridge;
use crate::domain::figures::Copies;
use crate::domain::notices::Channel;

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![console, figures_csv, resend, redeliver, remove_webhook]
}

#[rocket::get("/admin")]
async fn console(p: Admin, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let actor = p.actor;
    let figures = service.figures(&actor).await?;
    let unsent = service.failed_notices(&actor).await?;
    let stale = service.stale_pledges(&actor).await?;
    let undelivered = service.failed_deliveries(&actor).await?;
    let receivers = service.webhooks(&actor).await?;
    let months: Vec<(String, Copies)> = figures
        .by_month
        .iter()
        .rev()
        .take(12)
        .map(|(m, c)| (m.clone(), *c))
        .collect();
    let provinces: Vec<(String, Copies)> = figures
        .by_province
        .iter()
        .map(|(name, c)| (p.province(name).to_owned(), *c))
        .collect();
    Ok(view::console(
        &p,
        view::Console {
            figures: &figures,
            months: &months,
            provinces: &provinces,
            unsent: &unsent,
            undelivered: &undelivered,
            receivers: &receivers,
            stale: &stale,
        },
    ))
}

#[rocket::get("/admin/figures.csv")]
async fn figures_csv(p: Admin, service: &State<Bookbridge>) -> Result<CsvFile, PageError> {
    let actor = p.actor;
    let figures = service.figures(&actor).await?;
    let body = crate::api::admin::as_csv(&figures)
        .map_err(|_| failed("/admin", t!(p, "err_internal_error")))?;
    Ok(CsvFile {
        name: "figures.csv".into(),
        body,
    })
}

#[rocket::post("/admin/notices/<id>/resend", data = "<_form>")]
async fn resend(
    p: Admin,
    service: &State<Bookbridge>,
    id: i64,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    send_again(&p, service, (Channel::Email, id)).await
}

#[rocket::post("/admin/deliveries/<id>/resend", data = "<_form>")]
async fn redeliver(
    p: Admin,
    service: &State<Bookbridge>,
    id: i64,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    send_again(&p, service, (Channel::Webhook, id)).await
}

#[rocket::post("/admin/webhooks/<id>/remove", data = "<_form>")]
async fn remove_webhook(
    p: Admin,
    service: &State<Bookbridge>,
    id: i64,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    let actor = p.actor;
    match service.remove_webhook(&actor, id).await {
        Ok(()) => done("/admin", t!(p, "done")),
        Err(err) => failed("/admin", explain(&p, &err)),
    }
}

/// "Send again" from the console: checks the form and the sign-in, runs the use case.
async fn send_again(
    p: &Admin,
    service: &Bookbridge,
    (channel, id): (Channel, i64),
) -> Flash<Redirect> {
    match service.send_again(&p.actor, channel, id).await {
        Ok(()) => done("/admin", t!(p, "done")),
        Err(err) => failed("/admin", explain(p, &err)),
    }
}
