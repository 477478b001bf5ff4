//! The school directory: verified schools, neediest first, by province, each linking to its
//! shareable page (where a donor can give to it).

use super::errors::PageError;
use super::forms::{Given, PageNumber};
use maud::{html, Markup};
use rocket::State;

use super::context::Page;

use crate::app::Bookbridge;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![directory]
}

/// Schools on one page of the directory.
const PAGE_SIZE: u64 = 20;
/// Deepest page offered.
const LAST_PAGE: u64 = 500;

#[rocket::get("/schools?<province>&<page>")]
async fn directory(
    p: Page,
    service: &State<Bookbridge>,
    province: Option<&str>,
    page: Given<PageNumber>,
) -> Result<Markup, PageError> {
    let number = page.at_most(LAST_PAGE)?;
    let found = service
        .school_directory(province, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        .await?;
    let pages = found.total.div_ceil(PAGE_SIZE).clamp(1, LAST_PAGE);
    let link_to = |n: u64| match &found.province {
        Some(province) => format!(
            "/schools?province={}&page={n}",
            rocket::http::RawStr::new(province).percent_encode()
        ),
        None => format!("/schools?page={n}"),
    };
    Ok(super::layout::page(
        &p,
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
                    div.meta { (p.province(&school.province)) " · " (school.county) " · " (school.student_count) " " (t!(p, "students")) }
                    @if school.books_needed > 0 {
                        div.need { (school.books_needed) " " (t!(p, "books_needed")) }
                        a.button href={ "/schools/" (school.id) } { (t!(p, "pledge_here")) }
                    } @else {
                        div.meta { (t!(p, "nothing_needed_now")) }
                    }
                }
            }
            (super::pager(&p, super::Paging::of(number, pages), link_to))
        },
    ))
}
