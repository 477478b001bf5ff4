//! Curated book lists on the pages: shelves anyone can browse (with covers), kept by
//! coordinators and admins: made here, filled by ISBN, from a file, or from search.

use super::errors::PageError;
use maud::Markup;
use rocket::fs::TempFile;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::Page;
use super::{done, explain, failed, local};
use super::{Checked, SignedIn};
use crate::app::Bookbridge;
use crate::domain::booklists::{reason, NewBookList};
use crate::domain::error::DomainError;
use crate::domain::ids::BookListId;
use crate::domain::isbn::Isbn;

mod view;

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

#[rocket::get("/booklists")]
async fn lists(p: Page, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let lists = service.booklists().await?;
    Ok(view::lists(&p, &lists))
}

#[rocket::get("/booklists/<id>")]
async fn shelf(p: Page, service: &State<Bookbridge>, id: BookListId) -> Result<Markup, PageError> {
    let list = service.booklist(id).await?;
    // A teacher choosing from the list sees which books the school has already.
    let isbns: Vec<_> = list.books.iter().map(|b| b.isbn.clone()).collect();
    let had = super::shelf::had_among(&p, service, &isbns).await;
    Ok(view::shelf(&p, id, &list, &had))
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
