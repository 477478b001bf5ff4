//! Home: search the catalogue, and pledge straight from a result.

use std::collections::HashMap;

use maud::{html, Markup};
use rocket::form::Form;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::layout::page;
use super::{done, explain, failed};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::isbn::Isbn;
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::domain::search::SearchQuery;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![home, pledge]
}

#[derive(rocket::FromForm)]
struct PledgeForm {
    csrf: String,
    isbn: String,
    quantity: i64,
    /// Set by a school's own page: the pledge goes to that school.
    school_id: Option<i64>,
}

#[rocket::get("/?<q>&<needed>&<lang>&<age>")]
async fn home(
    p: Page,
    service: &State<Bookbridge>,
    q: Option<&str>,
    needed: Option<&str>,
    lang: Option<&str>,
    age: Option<&str>,
) -> Markup {
    let query = SearchQuery {
        text: q,
        needed,
        language: lang,
        age,
        limit: None,
        offset: None,
    };
    let results = match query.check() {
        Ok(request) => service.search(request).await.map_err(|e| explain(&p, &e)),
        Err(invalid) => Err(invalid.message),
    };
    let covers = match &results {
        Ok(found) => covers(service, &found.hits).await,
        Err(_) => HashMap::new(),
    };
    let donor = p.actor.is_some_and(|a| a.role == Role::Donor);
    let selected = |current: Option<&str>, value: &str| current == Some(value);
    page(
        &p,
        p.t("tagline"),
        html! {
            h1 { (p.t("tagline")) }
            form method="get" action="/" role="search" {
                label for="q" { (p.t("search")) }
                div.row {
                    input #q type="search" name="q" value=(q.unwrap_or_default()) placeholder=(p.t("search_placeholder"));
                }
                div.row {
                    label { input type="checkbox" name="needed" value="true" checked[needed == Some("true")]; " " (p.t("needed_only")) }
                    select name="lang" aria-label="language" {
                        option value="" { (p.t("any_language")) }
                        option value="en" selected[selected(lang, "en")] { "English" }
                        option value="zh" selected[selected(lang, "zh")] { "中文" }
                    }
                    select name="age" aria-label="age" {
                        option value="" { (p.t("any_age")) }
                        @for band in ["early", "primary", "teen", "adult"] {
                            option value=(band) selected[selected(age, band)] { (p.t(band)) }
                        }
                    }
                    button type="submit" { (p.t("search")) }
                }
            }
            @match &results {
                Err(message) => { p.flash.error role="alert" { (message) } }
                Ok(found) => {
                    p { (found.total) " " (p.t(if found.total == 1 { "result" } else { "results" })) }
                    @for hit in &found.hits {
                        div.card.result data-isbn=(hit.isbn) {
                            @if let Some(url) = covers.get(&hit.isbn) {
                                img.cover src=(url) alt="" width="64" loading="lazy" referrerpolicy="no-referrer";
                            }
                            strong { (hit.title) }
                            div.meta { (hit.authors.as_deref().unwrap_or("")) @if let Some(y) = hit.year { " · " (y) } " · ISBN " (hit.isbn) }
                            @if hit.outstanding > 0 {
                                div.need { (p.t("needed_by")) " " (hit.schools_needing) " " (p.t(if hit.schools_needing == 1 { "school" } else { "schools" })) ", " (hit.outstanding) " " (p.t(if hit.outstanding == 1 { "copy" } else { "copies" })) }
                                @if donor {
                                    form.row method="post" action="/pledge" {
                                        input type="hidden" name="csrf" value=(p.csrf);
                                        input type="hidden" name="isbn" value=(hit.isbn);
                                        label { (p.t("quantity")) input type="number" name="quantity" value="1" min="1" max=(hit.outstanding); }
                                        button type="submit" { (p.t("pledge")) }
                                    }
                                } @else if p.actor.is_none() {
                                    p { a href={ "/signin?next=" (p.here_encoded()) } { (p.t("sign_in")) } " → " (p.t("pledge")) }
                                }
                            } @else {
                                div.meta { (p.t("not_needed")) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Cover images of the hits that have one, by ISBN. A page of results without covers is
/// still a page of results, so a failure here only costs the pictures.
async fn covers(service: &Bookbridge, hits: &[index::SearchHit]) -> HashMap<String, String> {
    let isbns: Vec<Isbn> = hits
        .iter()
        .filter_map(|h| Isbn::parse(&h.isbn).ok())
        .collect();
    match service.books(&isbns).await {
        Ok(books) => books
            .into_values()
            .filter_map(|book| {
                let url = book.cover_url?;
                let web = url.starts_with("https://") || url.starts_with("http://");
                web.then(|| (book.isbn.as_str().to_owned(), url))
            })
            .collect(),
        Err(err) => {
            log::warn!("search page without covers: {err}");
            HashMap::new()
        }
    }
}

#[rocket::post("/pledge", data = "<form>")]
async fn pledge(p: Page, service: &State<Bookbridge>, form: Form<PledgeForm>) -> Flash<Redirect> {
    if !p.csrf_ok(&form.csrf) {
        return failed("/", p.t("expired_form"));
    }
    let Some(actor) = p.actor else {
        return failed("/signin", p.t("need_sign_in"));
    };
    let school = form.school_id.map(crate::domain::ids::SchoolId);
    let back = school.map_or_else(|| "/".to_owned(), |id| format!("/schools/{id}"));
    let result = async {
        let isbn = Isbn::parse(&form.isbn).map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
        let quantity = Quantity::new(form.quantity).map_err(|e| {
            DomainError::from(crate::domain::error::Invalid::new(
                "quantity",
                e.to_string(),
            ))
        })?;
        service.pledge(&actor, &isbn, quantity, school).await
    }
    .await;
    match result {
        Ok(_) => done("/my/pledges", p.t("thanks")),
        Err(err) => failed(&back, &explain(&p, &err)),
    }
}
