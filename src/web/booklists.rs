//! Curated book lists on the pages: shelves anyone can browse (with covers), kept by
//! coordinators and admins: made here, filled by ISBN, from a file, or from search.

use super::errors::PageError;
use maud::{html, Markup};
use rocket::fs::TempFile;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::layout::page;
use super::{done, explain, failed, local};
use super::{Checked, SignedIn};
use crate::app::Bookbridge;
use crate::domain::booklists::{may_curate, reason, NewBookList};
use crate::domain::child_wishes::Grade;
use crate::domain::error::DomainError;
use crate::domain::ids::BookListId;
use crate::domain::isbn::Isbn;
use crate::domain::search::AgeBand;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![lists, shelf, create, add_book, import, add_from_search]
}

#[derive(rocket::FromForm)]
struct ListForm {
    name: String,
    age_band: Option<String>,
    grade_from: Option<String>,
    grade_to: Option<String>,
}

#[derive(rocket::FromForm)]
struct BookForm {
    isbn: String,
    reason: Option<String>,
    list: Option<String>,
    back: Option<String>,
}

#[derive(rocket::FromForm)]
struct UploadForm<'r> {
    file: TempFile<'r>,
}

fn curator(p: &Page) -> bool {
    p.actor.as_ref().is_some_and(may_curate)
}

fn grades_label(p: &Page, grades: &[Grade]) -> String {
    let chinese = p.lang == super::i18n::Lang::Zh;
    match (grades.first(), grades.last()) {
        (Some(a), Some(b)) if a == b => a.label(chinese),
        (Some(a), Some(b)) => format!("{} – {}", a.label(chinese), b.label(chinese)),
        _ => String::new(),
    }
}

#[rocket::get("/booklists")]
async fn lists(p: Page, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let lists = service.booklists().await?;
    Ok(page(
        &p,
        &t!(p, "booklists_title"),
        html! {
            h1 { (t!(p, "booklists_title")) }
            @for list in &lists {
                div.card.booklist {
                    a href={ "/booklists/" (list.id) } { strong { (list.name) } }
                    div.meta { (grades_label(&p, &list.grades))
                        @if let Some(band) = list.age_band.as_deref().and_then(AgeBand::parse) { " · " (p.lang.age_band(band)) }
                        " · " (list.book_count) " " (t!(p, "books_on_list")) }
                }
            }
            @if lists.is_empty() { p { (t!(p, "nothing_here")) } }
            @if curator(&p) {
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
                                @for g in Grade::all() { option value=(g.get()) { (g.label(p.lang == super::i18n::Lang::Zh)) } }
                            }
                        }
                    }
                    p { button type="submit" { (t!(p, "new_booklist")) } }
                }
            }
        },
    ))
}

#[rocket::get("/booklists/<id>")]
async fn shelf(p: Page, service: &State<Bookbridge>, id: BookListId) -> Result<Markup, PageError> {
    let list = service.booklist(id).await?;
    Ok(page(
        &p,
        &list.list.name,
        html! {
            h1 { (list.list.name) }
            p.meta { (grades_label(&p, &list.list.grades)) " · " (list.list.book_count) " " (t!(p, "books_on_list")) }
            div.shelf {
                @for book in &list.books {
                    div.card.book data-isbn=(book.isbn) {
                        @if let Some(cover) = &book.cover_url { img.cover src=(cover) alt="" width="64" loading="lazy" referrerpolicy="no-referrer"; }
                        strong { (book.title.as_deref().unwrap_or(book.isbn.as_str())) }
                        div.meta { (book.authors.as_deref().unwrap_or("")) " · ISBN " (book.isbn) }
                        @if let Some(why) = &book.reason { p { (p.in_my_language(why)) } }
                        a href={ "/wishes?isbn=" (book.isbn) } { (t!(p, "wishes_nav")) }
                    }
                }
            }
            @if curator(&p) {
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
    ))
}

#[rocket::post("/booklists", data = "<form>")]
async fn create(
    p: SignedIn,
    service: &State<Bookbridge>,
    form: Checked<ListForm>,
) -> Flash<Redirect> {
    let actor = p.actor;
    let grades: Vec<i64> = [&form.grade_from, &form.grade_to]
        .into_iter()
        .filter_map(|g| g.as_deref().filter(|g| !g.is_empty()))
        .map(|g| g.parse::<i64>().unwrap_or(0))
        .collect();
    let list = match NewBookList::parse(&form.name, form.age_band.as_deref(), &grades) {
        Ok(list) => list,
        Err(err) => return failed("/booklists", explain(&p, &err.into())),
    };
    match service.create_booklist(&actor, list).await {
        Ok(made) => done(&format!("/booklists/{}", made.list.id), t!(p, "done")),
        Err(err) => failed("/booklists", explain(&p, &err)),
    }
}

async fn add(
    p: &SignedIn,
    service: &Bookbridge,
    id: BookListId,
    form: &BookForm,
    back: &str,
) -> Flash<Redirect> {
    let actor = p.actor;
    let checked = Isbn::parse(&form.isbn)
        .map_err(|e| DomainError::InvalidIsbn(e, "isbn"))
        .and_then(|isbn| Ok((isbn, reason(form.reason.as_deref())?)));
    let (isbn, why) = match checked {
        Ok(found) => found,
        Err(err) => return failed(back, explain(p, &err)),
    };
    match service
        .add_to_booklist(&actor, id, &isbn, why.as_deref())
        .await
    {
        Ok(_) => done(back, t!(p, "book_added")),
        Err(err) => failed(back, explain(p, &err)),
    }
}

#[rocket::post("/booklists/<id>/books", data = "<form>")]
async fn add_book(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: BookListId,
    form: Checked<BookForm>,
) -> Flash<Redirect> {
    add(&p, service, id, &form, &format!("/booklists/{id}")).await
}

/// "Add to a book list" from a search result.
#[rocket::post("/booklists/add", data = "<form>")]
async fn add_from_search(
    p: SignedIn,
    service: &State<Bookbridge>,
    form: Checked<BookForm>,
) -> Flash<Redirect> {
    let back = local(form.back.as_deref(), "/booklists");
    let Some(id) = form.list.as_deref().and_then(|l| l.parse::<i64>().ok()) else {
        return failed(&back, explain(&p, &DomainError::not_found("book list", "")));
    };
    add(&p, service, BookListId(id), &form, &back).await
}

#[rocket::post("/booklists/<id>/import", data = "<form>")]
async fn import(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: BookListId,
    form: Checked<UploadForm<'_>>,
) -> super::UploadAnswer {
    let back = format!("/booklists/{id}");
    let actor = p.actor;
    let Some(bytes) = super::read_upload(&form.file).await else {
        return Ok(failed(&back, t!(p, "file_unreadable")));
    };
    let outcome = service.import_booklist(&actor, id, &bytes).await;
    super::import_outcome(&p, &back, outcome)
}
