//! Curated book lists as markup: the shelves, and the curators' forms.

use maud::{html, Markup};

use crate::domain::booklists::{may_curate, BookList, BookListWithBooks};
use crate::domain::child_wishes::Grade;
use crate::domain::ids::BookListId;
use crate::domain::search::AgeBand;
use crate::web::context::Page;
use crate::web::layout::page;

fn curator(p: &Page) -> bool {
    p.actor.as_ref().is_some_and(may_curate)
}

fn grades_label(p: &Page, grades: &[Grade]) -> String {
    let chinese = p.lang == crate::web::i18n::Lang::Zh;
    match (grades.first(), grades.last()) {
        (Some(a), Some(b)) if a == b => a.label(chinese),
        (Some(a), Some(b)) => format!("{} – {}", a.label(chinese), b.label(chinese)),
        _ => String::new(),
    }
}

/// Every curated list, and for curators the form for a new one.
pub(super) fn lists(p: &Page, lists: &[BookList]) -> Markup {
    page(
        p,
        &t!(p, "booklists_title"),
        html! {
            h1 { (t!(p, "booklists_title")) }
            @for list in lists {
                div.card.booklist {
                    a href={ "/booklists/" (list.id) } { strong { (list.name) } }
                    div.meta { (grades_label(p, &list.grades))
                        @if let Some(band) = list.age_band.as_deref().and_then(AgeBand::parse) { " · " (p.lang.age_band(band)) }
                        " · " (list.book_count) " " (t!(p, "books_on_list")) }
                }
            }
            @if lists.is_empty() { p { (t!(p, "nothing_here")) } }
            @if curator(p) {
                h2 { (t!(p, "new_booklist")) }
                form method="post" action="/booklists" {
                    input type="hidden" name="csrf" value=(p.csrf);
                    label for="name" { (t!(p, "booklist_name")) }
                    input #name type="text" name="name" required maxlength="100";
                    label for="age_band" { (t!(p, "any_age")) }
                    select #age_band name="age_band" {
                        option value="" { (t!(p, "any_age")) }
                        @for band in AgeBand::ALL { option value=(band.as_str()) { (p.lang.age_band(band)) } }
                    }
                    label { (t!(p, "grades_range")) }
                    div.row {
                        @for field in ["grade_from", "grade_to"] {
                            select name=(field) aria-label=(field) {
                                option value="" { "—" }
                                @for g in Grade::all() { option value=(g.get()) { (g.label(p.lang == crate::web::i18n::Lang::Zh)) } }
                            }
                        }
                    }
                    p { button type="submit" { (t!(p, "new_booklist")) } }
                }
            }
        },
    )
}

/// One list's shelf with covers, and for curators the ways to fill it.
pub(super) fn shelf(
    p: &Page,
    id: BookListId,
    list: &BookListWithBooks,
    had: &std::collections::HashSet<String>,
) -> Markup {
    let school = p
        .actor
        .is_some_and(|a| a.role == crate::domain::role::Role::School);
    page(
        p,
        &list.list.name,
        html! {
            h1 { (list.list.name) }
            p.meta { (grades_label(p, &list.list.grades)) " · " (list.list.book_count) " " (t!(p, "books_on_list")) }
            div.shelf {
                @for book in &list.books {
                    div.card.book data-isbn=(book.isbn) {
                        @if let Some(cover) = &book.cover_url { img.cover src=(cover) alt="" width="64" loading="lazy" referrerpolicy="no-referrer"; }
                        @let have = had.contains(book.isbn.as_str());
                        strong { (book.title.as_deref().unwrap_or(book.isbn.as_str())) }
                        @if have { " " span.tag.have { (t!(p, "on_shelf_tag")) } }
                        div.meta { (book.authors.as_deref().unwrap_or("")) " · ISBN " (book.isbn) }
                        @if let Some(why) = &book.reason { p { (p.in_my_language(why)) } }
                        a href={ "/wishes?isbn=" (book.isbn) } { (t!(p, "wishes_nav")) }
                        @if school { (crate::web::shelf::add_to_list(p, book.isbn.as_str(), have)) }
                    }
                }
            }
            @if curator(p) {
                h2 { (t!(p, "add_book_isbn")) }
                form method="post" action={ "/booklists/" (id) "/books" } {
                    input type="hidden" name="csrf" value=(p.csrf);
                    label for="isbn" { "ISBN" }
                    input #isbn type="text" name="isbn" required inputmode="numeric";
                    label for="reason" { (t!(p, "book_reason")) }
                    input #reason type="text" name="reason" maxlength="100";
                    p { button type="submit" { (t!(p, "add_book_isbn")) } }
                }
                h2 { (t!(p, "import_booklist")) }
                form method="post" action={ "/booklists/" (id) "/import" } enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(p.csrf);
                    input type="file" name="file" accept=".csv,text/csv" required;
                    p { button.secondary type="submit" { (t!(p, "import_booklist")) } }
                }
            }
            p { a href="/booklists" { "← " (t!(p, "booklists_title")) } }
        },
    )
}
