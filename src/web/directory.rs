//! The school directory: verified schools, neediest first, by province, each linking to its
//! shareable page (where a donor can give to it).

use super::errors::PageError;
use super::forms::{Given, PageNumber};
use maud::Markup;
use rocket::State;

use super::context::Page;

use crate::app::Bookbridge;

mod view;

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
    Ok(view::directory(
        &p,
        &found,
        super::Paging::of(number, pages),
        &link_to,
    ))
}
