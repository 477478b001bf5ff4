//! Home: search the catalogue, and pledge straight from a result.

use std::collections::HashMap;

use maud::{html, Markup};
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::forms::Whole;
use super::layout::page;
use super::{done, explain, failed};
use super::{Filled, SignedIn};
use crate::app::Bookbridge;
use crate::domain::error::{DomainError, Invalid};
use crate::domain::isbn::Isbn;
use crate::domain::pledges::PledgePlan;
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::domain::search::AgeBand;
use crate::domain::search::SearchQuery;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![home, pledge]
}

#[derive(rocket::FromForm)]
struct PledgeForm {
    isbn: String,
    quantity: Whole,
    /// Set by a school's own page or chosen on the plan: the pledge goes to that school.
    school_id: Option<i64>,
    /// The donor saw the split and agreed to it.
    split_ok: Option<bool>,
}

/// Results on one page of search.
const PAGE_SIZE: usize = 20;
/// Deepest page offered; past it, better words find more than paging does.
const LAST_PAGE: usize = crate::domain::search::MAX_OFFSET / PAGE_SIZE;

#[rocket::get("/?<q>&<needed>&<lang>&<age>&<page>")]
async fn home(
    p: Page,
    service: &State<Bookbridge>,
    q: Option<&str>,
    needed: Option<&str>,
    lang: Option<&str>,
    age: Option<&str>,
    page: Option<&str>,
) -> Markup {
    // `page` is the query parameter's name (part of the URL); the layout function keeps its
    // usual name below.
    let asked_page = page;
    let page = super::layout::page;
    let number = match asked_page.map(str::parse::<usize>) {
        None => Ok(1),
        Some(Ok(n)) if (1..=LAST_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(t!(p, "bad_page")),
    };
    let offset = number.as_ref().map(|n| ((n - 1) * PAGE_SIZE).to_string());
    let limit = PAGE_SIZE.to_string();
    let query = SearchQuery {
        text: q,
        needed,
        language: lang,
        age,
        limit: Some(&limit),
        offset: offset.as_deref().ok(),
    };
    let results = match (number.clone(), query.check()) {
        (Err(message), _) => Err(message),
        (Ok(_), Ok(request)) => service.search(request).await.map_err(|e| explain(&p, &e)),
        (Ok(_), Err(invalid)) => Err(super::errors::field_message(
            p.lang,
            invalid.field,
            &invalid.message,
        )),
    };
    let number = number.unwrap_or(1);
    // Digits that are an ISBN but for one mistyped digit: say so, and offer the catalogue's
    // books one digit away.
    let mistyped = q.filter(|text| matches!(Isbn::parse(text), Err(e) if e.is_check_digit()));
    let near = match mistyped {
        Some(text) => service
            .books(&Isbn::one_digit_away(text))
            .await
            .map(|found| found.into_values().collect::<Vec<_>>())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let school = p.actor.is_some_and(|a| a.role == Role::School);
    let link_to = |n: usize| {
        let mut link = String::from("/?");
        for (key, value) in [("q", q), ("needed", needed), ("lang", lang), ("age", age)] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                link.push_str(key);
                link.push('=');
                link.push_str(rocket::http::RawStr::new(v).percent_encode().as_str());
                link.push('&');
            }
        }
        link.push_str(&format!("page={n}"));
        link
    };
    let covers = match &results {
        Ok(found) => covers(service, &found.hits).await,
        Err(_) => HashMap::new(),
    };
    let donor = p.actor.is_some_and(|a| a.role == Role::Donor);
    // Coordinators build curated lists from search.
    let curated = if p
        .actor
        .as_ref()
        .is_some_and(crate::domain::booklists::may_curate)
    {
        service.booklists().await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let selected = |current: Option<&str>, value: &str| current == Some(value);
    page(
        &p,
        &t!(p, "tagline"),
        html! {
            h1 { (t!(p, "tagline")) }
            form method="get" action="/" role="search" {
                label for="q" { (t!(p, "search")) }
                div.row {
                    input #q type="search" name="q" value=(q.unwrap_or_default()) placeholder=(t!(p, "search_placeholder"));
                }
                div.row {
                    label { input type="checkbox" name="needed" value="true" checked[needed == Some("true")]; " " (t!(p, "needed_only")) }
                    select name="lang" aria-label="language" {
                        option value="" { (t!(p, "any_language")) }
                        option value="en" selected[selected(lang, "en")] { "English" }
                        option value="zh" selected[selected(lang, "zh")] { "中文" }
                    }
                    select name="age" aria-label="age" {
                        option value="" { (t!(p, "any_age")) }
                        @for band in AgeBand::ALL {
                            option value=(band.as_str()) selected[selected(age, band.as_str())] { (p.lang.age_band(band)) }
                        }
                    }
                    button type="submit" { (t!(p, "search")) }
                }
            }
            @if mistyped.is_some() {
                p.flash.error role="alert" { (t!(p, "bad_check_digit")) }
                @if !near.is_empty() {
                    p { (t!(p, "did_you_mean")) }
                    ul.near {
                        @for book in &near {
                            li { a href={ "/?q=" (book.isbn) } { (book.title.as_deref().unwrap_or(book.isbn.as_str())) } " · ISBN " (book.isbn) }
                        }
                    }
                }
            }
            @match &results {
                Err(message) => { p.flash.error role="alert" { (message) } }
                Ok(found) => {
                    p { (t!(p, "n_results", count = found.total))
                        @if found.total as usize > PAGE_SIZE { " · " (t!(p, "page_n")) " " (number) } }
                    @for hit in &found.hits {
                        div.card.result data-isbn=(hit.isbn) {
                            @if let Some(url) = covers.get(&hit.isbn) {
                                img.cover src=(url) alt="" width="64" loading="lazy" referrerpolicy="no-referrer";
                            }
                            strong { (hit.title) }
                            div.meta { (hit.authors.as_deref().unwrap_or("")) @if let Some(y) = hit.year { " · " (y) } " · ISBN " (hit.isbn) }
                            @if hit.outstanding > 0 {
                                div.need { (t!(p, "needed_by")) " " (t!(p, "n_schools", count = hit.schools_needing)) ", " (t!(p, "n_copies", count = hit.outstanding)) }
                                @if donor {
                                    form.row method="post" action="/pledge" {
                                        input type="hidden" name="csrf" value=(p.csrf);
                                        input type="hidden" name="isbn" value=(hit.isbn);
                                        label { (t!(p, "quantity")) input type="text" inputmode="numeric" name="quantity" value="1" maxlength="6"; }
                                        button type="submit" { (t!(p, "pledge")) }
                                    }
                                } @else if p.actor.is_none() {
                                    p { a href={ "/signin?next=" (p.here_encoded()) } { (t!(p, "sign_in")) } " → " (t!(p, "pledge")) }
                                }
                            } @else {
                                div.meta { (t!(p, "not_needed")) }
                            }
                            @if school {
                                form.row.add-to-list method="post" action="/my/school/wishlist" {
                                    input type="hidden" name="csrf" value=(p.csrf);
                                    input type="hidden" name="isbn" value=(hit.isbn);
                                    input type="hidden" name="back" value=(p.here);
                                    label { (t!(p, "quantity")) input type="text" inputmode="numeric" name="quantity" value="1" maxlength="6"; }
                                    button.secondary type="submit" { (t!(p, "add_to_list")) }
                                }
                            }
                            @if !curated.is_empty() {
                                form.row.add-to-curated method="post" action="/booklists/add" {
                                    input type="hidden" name="csrf" value=(p.csrf);
                                    input type="hidden" name="isbn" value=(hit.isbn);
                                    input type="hidden" name="back" value=(p.here);
                                    select name="list" aria-label=(t!(p, "add_to_curated")) {
                                        @for list in &curated { option value=(list.id) { (list.name) } }
                                    }
                                    button.secondary type="submit" { (t!(p, "add_to_curated")) }
                                }
                            }
                        }
                    }
                    @let pages = found.total.div_ceil(PAGE_SIZE as u64).min(LAST_PAGE as u64);
                    (super::pager(&p, super::Paging::of(number as u64, pages), |n| link_to(n as usize)))
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

/// A pledge from a page. To a named school it is made at once; otherwise, when the matching
/// rule would split it over several schools, the donor first sees the split and agrees to it
/// or picks one school.
#[rocket::post("/pledge", data = "<form>")]
async fn pledge(
    p: SignedIn,
    service: &State<Bookbridge>,
    form: Filled<PledgeForm>,
) -> Result<Flash<Redirect>, Markup> {
    let actor = p.actor;
    let Some(form) = &form.value else {
        let back = super::local(
            Some(&format!("/schools/{}", form.typed.value("school_id"))),
            "/",
        );
        return Ok(failed(&back, form.typed.first_fault(&p)));
    };
    let school = form.school_id.map(crate::domain::ids::SchoolId);
    let back = school.map_or_else(|| "/".to_owned(), |id| format!("/schools/{id}"));
    let checked = (|| {
        let isbn = Isbn::parse(&form.isbn).map_err(|e| DomainError::InvalidIsbn(e, "isbn"))?;
        let quantity = Quantity::new(form.quantity.0)
            .map_err(|e| DomainError::from(Invalid::new("quantity", e.to_string())))?;
        Ok::<_, DomainError>((isbn, quantity))
    })();
    let (isbn, quantity) = match checked {
        Ok(found) => found,
        Err(err) => return Ok(failed(&back, explain(&p, &err))),
    };
    if school.is_none() && form.split_ok != Some(true) {
        match service.pledge_plan(&actor, &isbn, quantity).await {
            Ok(plan) if plan.split_over() > 1 => {
                return Err(split_preview(&p, service, &isbn, quantity, &plan).await)
            }
            Ok(_) => {}
            Err(err) => return Ok(failed(&back, explain(&p, &err))),
        }
    }
    match service.pledge(&actor, &isbn, quantity, school).await {
        Ok(made) => Ok(match made.as_slice() {
            [one] => done(&format!("/my/pledges/{}", one.id), t!(p, "thanks")),
            _ => done("/my/pledges", t!(p, "thanks")),
        }),
        Err(err) => Ok(failed(&back, explain(&p, &err))),
    }
}

/// "3 copies: 2 to A, 1 to B. Go ahead?", with one school to choose instead.
async fn split_preview(
    p: &Page,
    service: &Bookbridge,
    isbn: &Isbn,
    quantity: Quantity,
    plan: &PledgePlan,
) -> Markup {
    let title = service
        .books(std::slice::from_ref(isbn))
        .await
        .ok()
        .and_then(|mut books| books.remove(isbn))
        .and_then(|book| book.title)
        .unwrap_or_else(|| isbn.as_str().to_owned());
    page(
        p,
        &t!(p, "split_title"),
        html! {
            h1 { (t!(p, "split_title")) }
            p { strong { (title) } " × " (quantity.get()) }
            p { (t!(p, "split_explained")) }
            ul.split {
                @for school in plan.schools.iter().filter(|s| s.planned > 0) {
                    li { (school.planned) " → " a href={ "/schools/" (school.id) } { (school.name) } " (" (p.province(&school.province)) " · " (school.county) ")" }
                }
            }
            // Each school is its own parcel, posted (and paid for) on its own.
            p.flash.info { (t!(p, "split_parcels", count = plan.schools.iter().filter(|s| s.planned > 0).count())) }
            form method="post" action="/pledge" {
                input type="hidden" name="csrf" value=(p.csrf);
                input type="hidden" name="isbn" value=(isbn);
                input type="hidden" name="quantity" value=(quantity.get());
                input type="hidden" name="split_ok" value="true";
                button type="submit" { (t!(p, "split_go_ahead")) }
            }
            h2 { (t!(p, "split_or_choose")) }
            @for school in &plan.schools {
                form.card.choose-school method="post" action="/pledge" {
                    input type="hidden" name="csrf" value=(p.csrf);
                    input type="hidden" name="isbn" value=(isbn);
                    input type="hidden" name="school_id" value=(school.id);
                    strong { (school.name) } div.meta { (p.province(&school.province)) " · " (school.county) " · " (t!(p, "n_copies", count = school.outstanding)) }
                    div.row {
                        label { (t!(p, "quantity")) input type="text" inputmode="numeric" name="quantity" value=(quantity.get().min(school.outstanding)) maxlength="6"; }
                        button.secondary type="submit" { (t!(p, "give_all_here")) }
                    }
                }
            }
            p { a href="/" { (t!(p, "cancel")) } }
        },
    )
}
