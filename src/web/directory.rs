//! The school directory: verified schools, neediest first, by province, each linking to its
//! shareable page (where a donor can give to it).

use super::errors::PageError;
use super::forms::{Given, PageNumber};
use maud::Markup;
use rocket::State;

use super::context::Page;
use super::kept_pages::{KeptPages, Shown};

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
    kept: &State<KeptPages>,
) -> Result<Markup, PageError> {
    let number = page.at_most(LAST_PAGE)?;
    let path = match province.filter(|p| !p.is_empty()) {
        Some(province) => format!(
            "/schools?province={}&page={number}",
            rocket::http::RawStr::new(province).percent_encode()
        ),
        None => format!("/schools?page={number}"),
    };
    let (versions, schools) = service.directory_version().await?;
    let shown = Some(Shown::Directory(versions, schools));
    kept.page(&p, &path, shown, |p| async move {
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
    })
    .await
}
