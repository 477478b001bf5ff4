//! A school's shelf on the pages: the titles it has, added by scanning (one ISBN a line, as a
//! scanner types them) or from its library's file, so it is not sent them again.

mod view;

pub(crate) use view::add_to_list;

use maud::Markup;
use rocket::fs::TempFile;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::errors::PageError;
use super::school::{own_school, school_form};
use super::{done, explain, failed, Checked, SchoolAccount};
use crate::app::Bookbridge;
use crate::domain::error::DomainError;
use crate::domain::isbn::Isbn;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![shelf, scanned, upload]
}

#[derive(rocket::FromForm)]
struct ScanForm {
    /// ISBNs one a line (a scanner's Enter ends each).
    isbns: String,
}

#[derive(rocket::FromForm)]
struct FileForm<'r> {
    file: TempFile<'r>,
}

const HERE: &str = "/my/school/shelf";

#[rocket::get("/my/school/shelf")]
async fn shelf(p: SchoolAccount, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let school = match own_school(&p, service).await {
        Ok((_, Some(school))) => school,
        Ok((_, None)) => return Err(failed("/my/school", t!(p, "register_school")).into()),
        Err(moved) => return Err(moved.into()),
    };
    let books = service.shelf(school).await?;
    Ok(view::shelf(&p, &books))
}

#[rocket::post("/my/school/shelf", data = "<form>")]
async fn scanned(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    form: Checked<ScanForm>,
) -> Flash<Redirect> {
    let (actor, school) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return redirect,
    };
    let mut isbns = Vec::new();
    for (n, line) in form.isbns.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match Isbn::parse(line) {
            Ok(isbn) if !isbns.contains(&isbn) => isbns.push(isbn),
            Ok(_) => {}
            // Nothing is shelved from a list with a mistyped line: say which to fix.
            Err(e) => {
                let why = explain(&p, &DomainError::InvalidIsbn(e, "isbns"));
                let line = (n + 1) as u64;
                return failed(HERE, t!(p, "row_problem", line = line, problem = why));
            }
        }
    }
    match service.shelve(&actor, school, &isbns).await {
        Ok(added) => {
            let had: u64 = (isbns.len() as u64).saturating_sub(added);
            done(HERE, t!(p, "shelf_added", added = added, had = had))
        }
        Err(err) => failed(HERE, explain(&p, &err)),
    }
}

#[rocket::post("/my/school/shelf/upload", data = "<form>")]
async fn upload(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    form: Checked<FileForm<'_>>,
) -> super::UploadAnswer {
    let (actor, school) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let Some(bytes) = super::read_upload(&form.file).await else {
        return Ok(failed(HERE, t!(p, "file_unreadable")));
    };
    let report = match service.import_shelf(&actor, school, &bytes).await {
        Ok(report) => report,
        Err(err) => return Err(super::errors::refused(&p, &err)),
    };
    let summary = t!(
        p,
        "shelf_added",
        added = report.added,
        had = report.unchanged
    );
    Ok(super::report_back(&p, HERE, summary, &report))
}

/// Of `isbns`, those the signed-in school account's school has on its shelf (the edition or
/// another of its work), to mark where a teacher chooses books; nothing for anyone else.
pub(super) async fn had_among(
    p: &super::context::Page,
    service: &Bookbridge,
    isbns: &[Isbn],
) -> std::collections::HashSet<String> {
    let Some(actor) = p
        .actor
        .filter(|a| a.role == crate::domain::role::Role::School)
    else {
        return std::collections::HashSet::new();
    };
    let Ok(Some(school)) = service.me(&actor).await.map(|me| me.school_id) else {
        return std::collections::HashSet::new();
    };
    service
        .on_shelf_among(school, isbns)
        .await
        .map(|had| had.into_iter().map(|i| i.as_str().to_owned()).collect())
        .unwrap_or_default()
}
