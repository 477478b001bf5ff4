//! The school directory as markup: what the handler found, drawn.

use maud::{html, Markup};

use crate::app::schools::SchoolDirectory;
use crate::web::context::Page;
use crate::web::Paging;

/// The directory page: `found`'s schools on this page, and links to the others.
pub(super) fn directory(
    p: &Page,
    found: &SchoolDirectory,
    paging: Paging,
    link_to: &dyn Fn(u64) -> String,
) -> Markup {
    crate::web::layout::page(
        p,
        &t!(p, "school_directory"),
        html! {
            h1 { (t!(p, "school_directory")) }
            form.row method="get" action="/schools" {
                label for="province" { (t!(p, "province")) }
                select #province name="province" {
                    option value="" { (t!(p, "all_provinces")) }
                    @for (name, count) in &found.provinces {
                        option value=(name) selected[found.province.as_deref() == Some(name.as_str())] {
                            (p.province(name)) " (" (count) ")"
                        }
                    }
                }
                button type="submit" { (t!(p, "show")) }
            }
            p { (t!(p, "n_schools", count = found.total)) }
            @if found.schools.is_empty() { p { (t!(p, "nothing_here")) } }
            @for school in &found.schools {
                div.card.school data-id=(school.id) {
                    a href={ "/schools/" (school.id) } { strong { (school.name) } }
                    div.meta { (p.province(&school.province)) " · " (school.county) " · " (t!(p, "n_students", count = school.student_count)) }
                    @if school.books_needed > 0 {
                        div.need { (school.books_needed) " " (t!(p, "books_needed")) }
                        a.button href={ "/schools/" (school.id) } { (t!(p, "pledge_here")) }
                    } @else {
                        div.meta { (t!(p, "nothing_needed_now")) }
                    }
                }
            }
            (crate::web::pager(p, paging, link_to))
        },
    )
}
