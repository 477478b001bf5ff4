//! A school's shelf as markup: the scan box, the file form and the titles.

use maud::{html, Markup};

use crate::domain::shelves::ShelfBook;
use crate::web::context::Page;
use crate::web::layout::page;

/// "Add to our book list" for one book, where a teacher chooses books (search results, a
/// curated list); a book the school has offers "another copy is wanted", which the request
/// must say to be taken.
pub(crate) fn add_to_list(p: &Page, isbn: &str, have: bool) -> Markup {
    html! {
        form.row.add-to-list method="post" action="/my/school/wishlist" {
            input type="hidden" name="csrf" value=(p.csrf);
            input type="hidden" name="isbn" value=(isbn);
            input type="hidden" name="back" value=(p.here);
            label { (t!(p, "quantity")) input type="text" inputmode="numeric" name="quantity" value="1" maxlength="6"; }
            @if have {
                label.consent { input type="checkbox" name="again" value="true"; " " (t!(p, "again_wanted")) }
            }
            button.secondary type="submit" { (t!(p, "add_to_list")) }
        }
    }
}

/// The shelf page.
pub(super) fn shelf(p: &Page, books: &[ShelfBook]) -> Markup {
    page(
        p,
        &t!(p, "shelf_title"),
        html! {
            h1 { (t!(p, "shelf_title")) }
            p { (t!(p, "shelf_intro")) }
            form method="post" action="/my/school/shelf" {
                input type="hidden" name="csrf" value=(p.csrf);
                label for="isbns" { (t!(p, "shelf_scan")) }
                textarea #isbns name="isbns" rows="6" inputmode="numeric" autocomplete="off" aria-describedby="isbns-hint" required {}
                p.hint #isbns-hint { (t!(p, "shelf_scan_hint")) }
                p { button type="submit" { (t!(p, "shelf_add")) } }
            }
            form method="post" action="/my/school/shelf/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(p.csrf);
                label for="file" { (t!(p, "shelf_file")) }
                input #file type="file" name="file" accept=".csv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
                p { button.secondary type="submit" { (t!(p, "upload")) } }
            }
            h2 { (t!(p, "n_results", count = (books.len() as u64))) }
            @if books.is_empty() { p { (t!(p, "shelf_empty")) } }
            ul.shelf {
                @for book in books {
                    li data-isbn=(book.isbn) {
                        strong { (book.title.as_deref().unwrap_or(book.isbn.as_str())) }
                        span.meta { " · ISBN " (book.isbn) " · " (p.lang.shelf_source(book.source)) }
                    }
                }
            }
        },
    )
}
