//! The admin console: the charity's figures as bar charts (inline SVG, no script), notices
//! that could not be sent (send again), and pledges close to or past their date.

use super::errors::PageError;
use maud::{html, Markup};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::layout::page;
use super::{done, explain, failed};
use super::{Admin, Button, Checked};
use crate::api::files::CsvFile;
use crate::app::Bookbridge;
use crate::domain::figures::{Copies, Figure};
use crate::domain::notices::Channel;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![console, figures_csv, resend, redeliver, remove_webhook]
}

/// Bar colours, one per figure (requested, pledged, shipped, delivered).
const COLOURS: [&str; 4] = ["#94a3b8", "#f59e0b", "#3b82f6", "#16a34a"];

/// Grouped horizontal bars, four per row, scaled to the largest value: readable at 360 px.
/// The longest bar, in the chart's 340 units: 80 for the label, then the bar, then 50 for
/// its number.
const BAR_ROOM: u64 = 210;

fn chart(p: &Page, rows: &[(String, Copies)]) -> Markup {
    let top = rows
        .iter()
        .flat_map(|(_, c)| Figure::ALL.map(|f| c.get(f)))
        .max()
        .unwrap_or(0)
        .max(1);
    let row_height = 4 * 10 + 14;
    // Bars start after the label (80) and stop early enough that the largest value's number
    // (up to six digits at 8 px) still fits inside the 340 wide picture.
    let height = rows.len() * row_height + 4;
    html! {
        svg.chart viewBox={ "0 0 340 " (height) } width="100%" role="img" aria-label=(t!(p, "figures")) {
            @for (i, (label, copies)) in rows.iter().enumerate() {
                @let y = i * row_height;
                text x="0" y=(y + 10) font-size="11" { (label) }
                @for (j, figure) in Figure::ALL.iter().enumerate() {
                    @let value = copies.get(*figure);
                    @let width = value * BAR_ROOM / top;
                    rect x="80" y=(y + 2 + j * 10) width=(width.max(1)) height="8" fill=(COLOURS[j]) {}
                    text x=(84 + width) y=(y + 9 + j * 10) font-size="8" { (value) }
                }
            }
        }
    }
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
    let chinese = p.lang == super::i18n::Lang::Zh;
    Ok(page(
        &p,
        &t!(p, "admin_console"),
        html! {
            h1 { (t!(p, "admin_console")) }
            p { a.button.secondary href="/vetting" { (t!(p, "accounts_to_vet")) } " " a.button.secondary href="/vetting/audit" { (t!(p, "audit")) } }
            h2 { (t!(p, "figures")) }
            p.legend {
                @for (j, figure) in Figure::ALL.iter().enumerate() {
                    span style={ "color:" (COLOURS[j]) } { "■ " } (p.lang.figure(*figure)) " "
                }
            }
            table.figures {
                thead { tr { th { (t!(p, "figures_row")) } @for f in Figure::ALL { th { (p.lang.figure(f)) } } } }
                tbody { tr.total { th { (t!(p, "total")) } @for f in Figure::ALL { td { (figures.total.get(f)) } } } }
            }
            h3 { (t!(p, "by_month")) }
            (chart(&p, &months))
            h3 { (t!(p, "by_province")) }
            (chart(&p, &provinces))
            p { a href="/admin/figures.csv" download { (t!(p, "download_csv")) } }
            h2 { (t!(p, "unsent_notices")) }
            @if unsent.is_empty() && undelivered.is_empty() { p { (t!(p, "nothing_here")) } }
            @for notice in &unsent {
                @let words = notice.words(chinese);
                div.card.unsent data-id=(notice.id) {
                    strong { (words.subject) } div.meta { "#" (notice.account_id) " · " (p.date(notice.created_at)) }
                    form method="post" action={ "/admin/notices/" (notice.id) "/resend" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        button.secondary type="submit" { (t!(p, "send_again")) }
                    }
                }
            }
            @for (id, url, notice) in &undelivered {
                div.card.unsent data-delivery=(id) {
                    strong { (notice.words(chinese).subject) } div.meta { "→ " (url) " · " (p.date(notice.created_at)) }
                    form method="post" action={ "/admin/deliveries/" (id) "/resend" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        button.secondary type="submit" { (t!(p, "send_again")) }
                    }
                }
            }
            h2 { (t!(p, "webhooks")) }
            @if receivers.is_empty() { p { (t!(p, "nothing_here")) } }
            @for hook in &receivers {
                div.card.webhook data-webhook=(hook.id) {
                    strong { (hook.url) }
                    div.meta {
                        (p.date(hook.created_at)) " · "
                        @match &hook.events { Some(kinds) => (kinds.join(", ")), None => (t!(p, "all_events")) }
                    }
                    details.confirm {
                        summary { (t!(p, "remove_webhook")) }
                        form method="post" action={ "/admin/webhooks/" (hook.id) "/remove" } {
                            input type="hidden" name="csrf" value=(p.csrf);
                            p { (t!(p, "remove_webhook_question")) }
                            button.danger type="submit" { (t!(p, "yes")) ": " (t!(p, "remove_webhook")) }
                        }
                    }
                }
            }
            h2 { (t!(p, "stale_pledges")) }
            @if stale.is_empty() { p { (t!(p, "nothing_here")) } }
            @for pledge in &stale {
                div.card.stale data-id=(pledge.id) {
                    strong { "ISBN " (pledge.isbn) " × " (pledge.quantity) }
                    div.meta { (t!(p, "post_by")) " " (p.date(super::post_by(pledge))) " · #" (pledge.donor_id) }
                }
            }
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
