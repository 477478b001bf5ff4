//! Home: search the catalogue, and pledge straight from a result.

use std::collections::HashMap;

use maud::Markup;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::forms::{Given, PageNumber, Whole};
use super::kept_pages::{KeptPages, Shown};
use super::{done, explain, failed};
use super::{Filled, SignedIn};
use crate::app::Bookbridge;
use crate::domain::error::{DomainError, Invalid};
use crate::domain::isbn::Isbn;
use crate::domain::pledges::PledgePlan;
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::domain::search::SearchQuery;

mod view;

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
pub(super) const PAGE_SIZE: usize = 20;
/// Deepest page offered; past it, better words find more than paging does.
pub(super) const LAST_PAGE: usize = crate::domain::search::MAX_OFFSET / PAGE_SIZE;

/// What the home page's address asks for: the API's search words and filters (read by the
/// same checker) and which page of results.
#[derive(rocket::FromForm)]
struct HomeQuery<'r> {
    q: Option<&'r str>,
    needed: Option<&'r str>,
    /// The books' language (the page's own language is the `lang` cookie).
    lang: Option<&'r str>,
    age: Option<&'r str>,
    page: Given<PageNumber>,
}

#[rocket::get("/?<query..>")]
async fn home(
    p: Page,
    service: &State<Bookbridge>,
    kept: &State<KeptPages>,
    query: HomeQuery<'_>,
) -> Markup {
    // Without words the page is the list by need at the index's commit: kept per commit.
    let wordless = query.q.is_none_or(|q| q.trim().is_empty());
    let shown = wordless.then(|| service.index_commit()).flatten();
    let path = p.here.clone();
    let page = kept.page(&p, &path, shown.map(Shown::Index), |p| async move {
        Ok::<_, std::convert::Infallible>(render_home(p, service, query).await)
    });
    match page.await {
        Ok(page) => page,
        Err(never) => match never {},
    }
}

/// The home page: search results (or the list by need), with what the visitor may do.
async fn render_home(p: Page, service: &State<Bookbridge>, query: HomeQuery<'_>) -> Markup {
    let HomeQuery {
        q,
        needed,
        lang,
        age,
        page,
    } = query;
    let number = page
        .at_most(LAST_PAGE as u64)
        .map(|n| n as usize)
        .map_err(|_| t!(p, "bad_page"));
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
    let had = match &results {
        Ok(found) if school => {
            let isbns: Vec<Isbn> = found
                .hits
                .iter()
                .filter_map(|h| Isbn::parse(&h.isbn).ok())
                .collect();
            super::shelf::had_among(&p, service, &isbns).await
        }
        _ => Default::default(),
    };
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
    view::home(
        &p,
        view::Home {
            q,
            needed,
            lang,
            age,
            mistyped: mistyped.is_some(),
            near: &near,
            results: &results,
            covers: &covers,
            donor,
            school,
            had: &had,
            curated: &curated,
            number,
            link_to: &link_to,
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
    view::split_preview(p, &title, isbn, quantity, plan)
}
