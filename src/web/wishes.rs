//! Children's wishes on the pages: the public wall of open wishes and each class's shared
//! page (donors claim from both), and the teacher's own: one wish card per screen, consent,
//! thanks and withdrawal. Every action goes through the same use cases as the API.

use super::errors::PageError;
use maud::Markup;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::{Page, Site};
use super::errors::refused;
use super::forms::{Answer, Given, PageNumber, Typed};
use super::kept_pages::{KeptPages, Shown};
use super::school::{own_school, school_form};
use super::{done, explain, failed, local};
use super::{Button, Checked, Filled, SchoolAccount, SignedIn};
use crate::app::child_wishes::WishCardInput;
use crate::app::Bookbridge;
use crate::domain::child_wishes::{choose_book, sentence, ChildName, Grade, PhotoKind};
use crate::domain::error::{DomainError, Invalid};
use crate::domain::ids::{BookListId, ChildWishId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::photos::PhotoAnswer;
use crate::store::WishFilter;

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        wall,
        class,
        claim,
        photo,
        thanks_photo,
        my_wishes,
        new_wish,
        add_wish,
        consent,
        withdraw,
        thank
    ]
}

/// Wishes on one page of the wall.
const PAGE_SIZE: u64 = 24;

#[derive(rocket::FromForm)]
struct ClaimForm {
    back: Option<String>,
}

#[derive(rocket::FromForm)]
struct WishForm<'r> {
    // `list` (the curated list shown) is read from what was typed, so that a refused form
    // keeps it too.
    isbn: Option<String>,
    isbn_typed: Option<String>,
    child_name: String,
    grade: Grade,
    sentence: String,
    consent: Option<String>,
    photo: Option<TempFile<'r>>,
}

#[derive(rocket::FromForm)]
struct ThanksForm<'r> {
    sentence: String,
    photo: Option<TempFile<'r>>,
}

/// What the wall's address asks for.
#[derive(rocket::FromForm)]
struct WallQuery<'r> {
    /// Only at schools in this province (English or Chinese).
    province: Option<&'r str>,
    grade: Given<Grade>,
    /// Only wishes for this book.
    isbn: Given<Isbn>,
    /// `waiting`: those waiting longest first; newest first otherwise.
    sort: Option<&'r str>,
    page: Given<PageNumber>,
}

/// Every open wish, filtered by province, grade and book; newest or waiting longest first.
#[rocket::get("/wishes?<query..>")]
async fn wall(
    p: Page,
    service: &State<Bookbridge>,
    query: WallQuery<'_>,
) -> Result<Markup, PageError> {
    let number = query.page.at_most(1_000)?;
    let grade = query.grade.read("grade")?;
    let isbn = query.isbn.read("isbn")?;
    let (province, sort) = (query.province, query.sort);
    let waiting = sort == Some("waiting");
    let province = province.filter(|v| !v.is_empty());
    let mut cards = service
        .open_wishes(WishFilter {
            province: province.map(str::to_owned),
            grade,
            isbn: isbn.clone(),
            oldest_first: waiting,
            limit: PAGE_SIZE + 1,
            offset: (number - 1) * PAGE_SIZE,
            ..Default::default()
        })
        .await?;
    let more = cards.len() as u64 > PAGE_SIZE;
    cards.truncate(PAGE_SIZE as usize);
    let link_to = |n: u64| {
        let mut link = String::from("/wishes?");
        for (key, value) in [("province", province), ("sort", sort)] {
            if let Some(v) = value {
                link.push_str(&format!(
                    "{key}={}&",
                    rocket::http::RawStr::new(v).percent_encode()
                ));
            }
        }
        if let Some(g) = grade {
            link.push_str(&format!("grade={}&", g.get()));
        }
        if let Some(i) = &isbn {
            link.push_str(&format!("isbn={i}&"));
        }
        link.push_str(&format!("page={n}"));
        link
    };
    Ok(view::wall(
        &p,
        view::Wall {
            province,
            grade,
            waiting,
            cards: &cards,
            paging: super::Paging::open(number, more),
            link_to: &link_to,
        },
    ))
}

/// A class's shared page: "Grade 3, Baiyun Village Primary: 24 wishes, 9 answered", its
/// open wishes to claim, and its QR code.
#[rocket::get("/schools/<id>/classes/<grade>")]
async fn class(
    p: Page,
    service: &State<Bookbridge>,
    site: &State<Site>,
    kept: &State<KeptPages>,
    id: SchoolId,
    grade: &str,
) -> Result<Markup, PageError> {
    let grade = Grade::parse(grade).map_err(|_| DomainError::not_found("class", grade))?;
    let path = format!("/schools/{id}/classes/{}", grade.get());
    let shown = service.school_page_version(id).await?.map(Shown::School);
    let url = site.link(&path);
    kept.page(&p, &path, shown, |p| async move {
        let class = service.class_page(id, grade).await?;
        Ok(view::class(&p, id, grade, &class, &url))
    })
    .await
}

/// A donor claims a wish; on to the pledge's page with what to do next.
#[rocket::post("/wishes/<id>/claim", data = "<form>")]
async fn claim(
    p: SignedIn,
    service: &State<Bookbridge>,
    id: ChildWishId,
    form: Checked<ClaimForm>,
) -> Flash<Redirect> {
    let back = local(form.back.as_deref(), "/wishes");
    let actor = p.actor;
    match service.claim_child_wishes(&actor, &[id], &[]).await {
        Ok(pledges) => match pledges.first() {
            Some(pledge) => done(&format!("/my/pledges/{}", pledge.id), t!(p, "wish_claimed")),
            None => failed(&back, t!(p, "err_internal_error")),
        },
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

#[rocket::get("/wishes/<id>/photo")]
async fn photo(
    p: Page,
    service: &State<Bookbridge>,
    id: ChildWishId,
) -> Result<PhotoAnswer, (Status, Markup)> {
    service
        .wish_photo(p.actor.as_ref(), id, PhotoKind::Card)
        .await
        .map(PhotoAnswer)
        .map_err(|e| refused(&p, &e))
}

#[rocket::get("/wishes/<id>/thanks-photo")]
async fn thanks_photo(
    p: Page,
    service: &State<Bookbridge>,
    id: ChildWishId,
) -> Result<PhotoAnswer, (Status, Markup)> {
    service
        .wish_photo(p.actor.as_ref(), id, PhotoKind::Thanks)
        .await
        .map(PhotoAnswer)
        .map_err(|e| refused(&p, &e))
}

/// The teacher's wishes: each card with the step it waits for.
#[rocket::get("/my/school/wishes")]
async fn my_wishes(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    site: &State<Site>,
) -> Result<Markup, PageError> {
    let (actor, school) = own_school(&p, service).await?;
    let Some(school) = school else {
        return Err(failed("/my/school", t!(p, "register_school")).into());
    };
    let cards = service.school_wishes(&actor, school, None).await?;
    let classes = service.classes(school).await.unwrap_or_default();
    Ok(view::my_wishes(&p, school, &cards, &classes, site))
}

/// One wish card per screen: the book from a curated list's shelf (or any ISBN), the
/// child's given name, grade and sentence, a photo, and the guardian's consent.
#[rocket::get("/my/school/wishes/new?<list>&<grade>")]
async fn new_wish(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    list: Given<i64>,
    grade: Given<Grade>,
) -> Result<Markup, PageError> {
    let (_, school) = own_school(&p, service).await?;
    if school.is_none() {
        return Err(failed("/my/school", t!(p, "register_school")).into());
    }
    let lists = service.booklists().await?;
    // A list or grade the address does not hold is the first list, no grade chosen.
    let chosen = list
        .read("list")
        .ok()
        .flatten()
        .map(BookListId)
        .or_else(|| lists.first().map(|l| l.id));
    let shelf = match chosen {
        Some(id) => service.booklist(id).await.ok(),
        None => None,
    };
    let grade = grade.read("grade").ok().flatten();
    let typed = Typed::prefilled(grade.map(|g| ("grade", g.get().to_string())));
    Ok(view::wish_card_page(
        &p,
        &lists,
        chosen,
        shelf.as_ref(),
        &typed,
    ))
}

/// An optional photo field: `None` when no file was chosen.
async fn read_photo(file: &Option<TempFile<'_>>) -> Result<Option<Vec<u8>>, ()> {
    match file {
        Some(file) if file.len() > 0 => super::read_upload(file).await.map(Some).ok_or(()),
        _ => Ok(None),
    }
}

/// The wish card form again, as it was sent, with what was wrong beside its field.
async fn card_again(
    p: &Page,
    service: &Bookbridge,
    list: Option<BookListId>,
    typed: Typed,
) -> Answer {
    let lists = service.booklists().await.unwrap_or_default();
    let shelf = match list.or_else(|| lists.first().map(|l| l.id)) {
        Some(id) => service.booklist(id).await.ok(),
        None => None,
    };
    let page = view::wish_card_page(p, &lists, list, shelf.as_ref(), &typed);
    Answer::Again((Status::UnprocessableEntity, page))
}

#[rocket::post("/my/school/wishes", data = "<form>")]
async fn add_wish(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    form: Filled<WishForm<'_>>,
) -> Result<Answer, (Status, Markup)> {
    let (actor, school) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return Ok(Answer::Moved(redirect)),
    };
    let list = form.typed.value("list").parse::<i64>().ok().map(BookListId);
    let mut typed = form.typed.clone();
    if form
        .value
        .as_ref()
        .is_some_and(|f| f.photo.as_ref().is_some_and(|p| p.len() > 0))
    {
        typed.remember("had_photo", "yes");
    }
    let Some(sent) = &form.value else {
        return Ok(card_again(&p, service, list, typed).await);
    };
    let photo = match read_photo(&sent.photo).await {
        Ok(photo) => photo,
        Err(()) => {
            let unreadable =
                DomainError::from(Invalid::new("photo", "the photo could not be read"));
            return Ok(card_again(&p, service, list, typed.refused_for(&p, &unreadable)).await);
        }
    };
    let input = (|| -> Result<WishCardInput, DomainError> {
        let (isbn, from_shelf) = choose_book(sent.isbn.as_deref(), sent.isbn_typed.as_deref())?;
        Ok(WishCardInput {
            child_name: ChildName::parse(&sent.child_name)?,
            grade: sent.grade,
            isbn,
            sentence: sentence("sentence", &sent.sentence)?,
            guardian_consent: sent.consent.as_deref() == Some("yes"),
            booklist: if from_shelf { list } else { None },
            photo,
        })
    })();
    let created = match input {
        Ok(input) => service.add_child_wish(&actor, school, input).await,
        Err(err) => Err(err),
    };
    let next = match list {
        Some(id) => format!("/my/school/wishes/new?list={id}&grade={}", sent.grade.get()),
        None => format!("/my/school/wishes/new?grade={}", sent.grade.get()),
    };
    match created {
        Ok(_) => Ok(Answer::Moved(done(&next, t!(p, "wish_saved")))),
        Err(err) if super::is_upload_refusal(&err) => Err(refused(&p, &err)),
        Err(err) => Ok(card_again(&p, service, list, typed.refused_for(&p, &err)).await),
    }
}

#[rocket::post("/my/school/wishes/<id>/consent", data = "<_form>")]
async fn consent(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: ChildWishId,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    let (actor, _) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return redirect,
    };
    match service.consent_child_wish(&actor, id).await {
        Ok(_) => done("/my/school/wishes", t!(p, "consent_recorded")),
        Err(err) => failed("/my/school/wishes", explain(&p, &err)),
    }
}

#[rocket::post("/my/school/wishes/<id>/withdraw", data = "<_form>")]
async fn withdraw(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: ChildWishId,
    _form: Checked<Button>,
) -> Flash<Redirect> {
    let (actor, _) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return redirect,
    };
    match service.withdraw_child_wish(&actor, id).await {
        Ok(_) => done("/my/school/wishes", t!(p, "withdrawn_done")),
        Err(err) => failed("/my/school/wishes", explain(&p, &err)),
    }
}

#[rocket::post("/my/school/wishes/<id>/thanks", data = "<form>")]
async fn thank(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: ChildWishId,
    form: Checked<ThanksForm<'_>>,
) -> super::UploadAnswer {
    let (actor, _) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let back = "/my/school/wishes";
    let said = match sentence("sentence", &form.sentence) {
        Ok(said) => said,
        Err(err) => return Ok(failed(back, explain(&p, &err.into()))),
    };
    let photo = match read_photo(&form.photo).await {
        Ok(photo) => photo,
        Err(()) => return Ok(failed(back, t!(p, "file_unreadable"))),
    };
    // The photo first: a file refused leaves the thanks unwritten too.
    if let Some(photo) = photo {
        if let Err(err) = service
            .set_wish_photo(&actor, id, PhotoKind::Thanks, photo)
            .await
        {
            if super::is_upload_refusal(&err) {
                return Err(refused(&p, &err));
            }
            return Ok(failed(back, explain(&p, &err)));
        }
    }
    if let Err(err) = service.thank_for_wish(&actor, id, &said).await {
        return Ok(failed(back, explain(&p, &err)));
    }
    Ok(done(back, t!(p, "thanks_saved")))
}
