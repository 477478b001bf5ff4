//! Home and the split of a pledge as markup, drawn from what the handlers found.

use std::collections::HashMap;

use maud::{html, Markup};

use crate::domain::booklists::BookList;
use crate::domain::isbn::Isbn;
use crate::domain::model::Book;
use crate::domain::pledges::PledgePlan;
use crate::domain::quantity::Quantity;
use crate::domain::search::AgeBand;
use crate::web::context::Page;
use crate::web::layout::page;
use crate::web::{pager, Paging};

use super::{LAST_PAGE, PAGE_SIZE};

/// What the home page shows.
pub(super) struct Home<'a> {
    /// The words and filters, as asked.
    pub q: Option<&'a str>,
    pub needed: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub age: Option<&'a str>,
    /// The words are an ISBN with one wrong digit...
    pub mistyped: bool,
    /// ...and these books are one digit away.
    pub near: &'a [Book],
    /// The results, or why there are none (in the page's language).
    pub results: &'a Result<index::SearchResults, String>,
    /// Cover addresses by ISBN.
    pub covers: &'a HashMap<String, String>,
    /// The visitor may pledge from a result...
    pub donor: bool,
    /// ...or add it to the school's list (marked when the school has it)...
    pub school: bool,
    /// ISBNs among the results on the school's shelf.
    pub had: &'a std::collections::HashSet<String>,
    /// ...or to one of these curated lists.
    pub curated: &'a [BookList],
    /// This page's number.
    pub number: usize,
    /// The address of page n.
    pub link_to: &'a dyn Fn(usize) -> String,
}

/// The home page: the search form, and the results with what each visitor may do with them.
pub(super) fn home(p: &Page, h: Home<'_>) -> Markup {
    let Home {
        q,
        needed,
        lang,
        age,
        mistyped,
        near,
        results,
        covers,
        donor,
        school,
        had,
        curated,
        number,
        link_to,
    } = h;
    let selected = |current: Option<&str>, value: &str| current == Some(value);
    page(
        p,
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
            @if mistyped {
                p.flash.error role="alert" { (t!(p, "bad_check_digit")) }
                @if !near.is_empty() {
                    p { (t!(p, "did_you_mean")) }
                    ul.near {
                        @for book in near {
                            li { a href={ "/?q=" (book.isbn) } { (book.title.as_deref().unwrap_or(book.isbn.as_str())) } " · ISBN " (book.isbn) }
                        }
                    }
                }
            }
            @match results {
                Err(message) => { p.flash.error role="alert" { (message) } }
                Ok(found) => {
                    p { @if found.total_exact { (t!(p, "n_results", count = found.total)) } @else { (t!(p, "n_results_more", count = found.total)) }
                        @if found.total as usize > PAGE_SIZE { " · " (t!(p, "page_n")) " " (number) } }
                    @for hit in &found.hits {
                        div.card.result data-isbn=(hit.isbn) {
                            @if let Some(url) = covers.get(&hit.isbn) {
                                img.cover src=(url) alt="" width="64" loading="lazy" referrerpolicy="no-referrer";
                            }
                            strong { (hit.title) }
                            @if had.contains(&hit.isbn) { " " span.tag.have { (t!(p, "on_shelf_tag")) } }
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
                            @if school { (crate::web::shelf::add_to_list(p, &hit.isbn, had.contains(&hit.isbn))) }
                            @if !curated.is_empty() {
                                form.row.add-to-curated method="post" action="/booklists/add" {
                                    input type="hidden" name="csrf" value=(p.csrf);
                                    input type="hidden" name="isbn" value=(hit.isbn);
                                    input type="hidden" name="back" value=(p.here);
                                    select name="list" aria-label=(t!(p, "add_to_curated")) {
                                        @for list in curated { option value=(list.id) { (list.name) } }
                                    }
                                    button.secondary type="submit" { (t!(p, "add_to_curated")) }
                                }
                            }
                        }
                    }
                    @let pages = found.total.div_ceil(PAGE_SIZE as u64).min(LAST_PAGE as u64);
                    (pager(p, Paging::of(number as u64, pages), |n| link_to(n as usize)))
                }
            }
        },
    )
}

/// "3 copies: 2 to A, 1 to B. Go ahead?", with one school to choose instead.
pub(super) fn split_preview(
    p: &Page,
    title: &str,
    isbn: &Isbn,
    quantity: Quantity,
    plan: &PledgePlan,
) -> Markup {
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
