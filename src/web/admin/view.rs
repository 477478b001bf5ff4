//! The admin console as markup: what the handler loaded, drawn.

use maud::{html, Markup};

use crate::domain::figures::{Copies, Figure, Figures};
use crate::domain::model::Pledge;
use crate::domain::notices::Notice;
use crate::domain::webhooks::Webhook;
use crate::web::context::Page;

/// What the console shows.
pub(super) struct Console<'a> {
    pub figures: &'a Figures,
    /// The last twelve months, newest first.
    pub months: &'a [(String, Copies)],
    /// Each province, named in the page's language.
    pub provinces: &'a [(String, Copies)],
    /// Notices whose email failed for good.
    pub unsent: &'a [Notice],
    /// Webhook deliveries given up on: (delivery, receiver's URL, notice).
    pub undelivered: &'a [(i64, String, Notice)],
    pub receivers: &'a [Webhook],
    /// Pledges due within two days or overdue.
    pub stale: &'a [Pledge],
}

/// The console page.
pub(super) fn console(p: &Page, c: Console<'_>) -> Markup {
    let Console {
        figures,
        months,
        provinces,
        unsent,
        undelivered,
        receivers,
        stale,
    } = c;
    let chinese = p.lang == crate::web::i18n::Lang::Zh;
    crate::web::layout::page(
        p,
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
            (chart(p, months))
            h3 { (t!(p, "by_province")) }
            (chart(p, provinces))
            p { a href="/admin/figures.csv" download { (t!(p, "download_csv")) } }
            h2 { (t!(p, "unsent_notices")) }
            @if unsent.is_empty() && undelivered.is_empty() { p { (t!(p, "nothing_here")) } }
            @for notice in unsent {
                @let words = notice.words(chinese);
                div.card.unsent data-id=(notice.id) {
                    strong { (words.subject) } div.meta { "#" (notice.account_id) " · " (p.date(notice.created_at)) }
                    form method="post" action={ "/admin/notices/" (notice.id) "/resend" } {
                        input type="hidden" name="csrf" value=(p.csrf);
                        button.secondary type="submit" { (t!(p, "send_again")) }
                    }
                }
            }
            @for (id, url, notice) in undelivered {
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
            @for hook in receivers {
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
            @for pledge in stale {
                div.card.stale data-id=(pledge.id) {
                    strong { "ISBN " (pledge.isbn) " × " (pledge.quantity) }
                    div.meta { (t!(p, "post_by")) " " (p.date(crate::web::post_by(pledge))) " · #" (pledge.donor_id) }
                }
            }
        },
    )
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
