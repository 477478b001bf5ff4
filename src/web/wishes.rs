//! Children's wishes on the pages: the public wall of open wishes and each class's shared
//! page (donors claim from both), and the teacher's own: one wish card per screen, consent,
//! thanks and withdrawal. Every action goes through the same use cases as the API.

use super::errors::PageError;
use maud::{html, Markup, PreEscaped};
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::{Page, Site};
use super::errors::refused;
use super::forms::{general_fault, Answer, Field, Given, PageNumber, Typed};
use super::layout::page;
use super::school::{own_school, qr_svg, school_form};
use super::{done, explain, failed, local};
use super::{Button, Checked, Filled, SchoolAccount, SignedIn};
use crate::app::child_wishes::WishCardInput;
use crate::app::Bookbridge;
use crate::domain::booklists::{BookList, BookListWithBooks};
use crate::domain::child_wishes::{
    choose_book, sentence, ChildName, Grade, PhotoKind, WishCard, WishStatus,
};
use crate::domain::error::{DomainError, Invalid};
use crate::domain::ids::{BookListId, ChildWishId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::role::Role;
use crate::photos::PhotoAnswer;
use crate::store::WishFilter;

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

fn chinese(p: &Page) -> bool {
    p.lang == super::i18n::Lang::Zh
}

fn book_title(p: &Page, card: &WishCard) -> String {
    let title = card.title.as_deref().unwrap_or(card.isbn.as_str());
    if chinese(p) {
        format!("《{title}》")
    } else {
        format!("“{title}”")
    }
}

/// One wish card; with a claim button for donors (or a sign-in link) when `claim` is set.
fn wish_card(p: &Page, card: &WishCard, claim: bool) -> Markup {
    html! {
        div.card.wish data-id=(card.id) {
            @if card.has_photo {
                img.photo src={ "/wishes/" (card.id) "/photo" } alt=(t!(p, "card_photo")) width="120" loading="lazy";
            }
            strong.child { (card.child_name.as_deref().unwrap_or("—")) } " · " (card.grade.label(chinese(p)))
            div { (t!(p, "wishes_for")) " " strong.book { (book_title(p, card)) } }
            @if let Some(sentence) = &card.sentence { blockquote.sentence { (sentence) } }
            div.meta { a href={ "/schools/" (card.school_id) "/classes/" (card.grade.get()) } { (card.school_name) } " · " (p.province(&card.province)) " · " (card.county) }
            @if claim && card.status == WishStatus::Open {
                @match p.actor.map(|a| a.role) {
                    Some(Role::Donor) => {
                        form method="post" action={ "/wishes/" (card.id) "/claim" } {
                            input type="hidden" name="csrf" value=(p.csrf);
                            input type="hidden" name="back" value=(p.here);
                            button type="submit" { (t!(p, "claim_wish")) }
                        }
                    }
                    None => { a.button href={ "/signin?next=" (p.here_encoded()) } { (t!(p, "sign_in_to_claim")) } }
                    Some(_) => {}
                }
            }
        }
    }
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
    Ok(super::layout::page(
        &p,
        &t!(p, "wishes_title"),
        html! {
            h1 { (t!(p, "wishes_title")) }
            p { (t!(p, "wishes_intro")) }
            form.row method="get" action="/wishes" {
                select name="province" aria-label=(t!(p, "province")) {
                    option value="" { (t!(p, "any_province")) }
                    @for each in crate::domain::provinces::PROVINCES {
                        option value=(each.en) selected[province == Some(each.en)] { (p.province(each.en)) }
                    }
                }
                select name="grade" aria-label=(t!(p, "grade")) {
                    option value="" { (t!(p, "any_grade")) }
                    @for g in Grade::all() {
                        option value=(g.get()) selected[grade == Some(g)] { (g.label(chinese(&p))) }
                    }
                }
                select name="sort" aria-label="sort" {
                    option value="newest" { (t!(p, "newest_first")) }
                    option value="waiting" selected[waiting] { (t!(p, "waiting_longest")) }
                }
                button type="submit" { (t!(p, "show_wishes")) }
            }
            @if cards.is_empty() { p { (t!(p, "no_open_wishes")) } }
            div.wishes {
                @for card in &cards { (wish_card(&p, card, true)) }
            }
            (super::pager(&p, super::Paging::open(number, more), link_to))
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
    id: SchoolId,
    grade: &str,
) -> Result<Markup, PageError> {
    let grade = Grade::parse(grade).map_err(|_| DomainError::not_found("class", grade))?;
    let class = service.class_page(id, grade).await?;
    let label = grade.label(chinese(&p));
    let title = format!("{label} · {}", class.school_name);
    let url = site.link(&format!("/schools/{id}/classes/{}", grade.get()));
    Ok(page(
        &p,
        &title,
        html! {
            h1 { (title) }
            p.need { strong { (class.counts.wishes) } " " (t!(p, "n_wishes")) " · " strong { (class.counts.answered) } " " (t!(p, "n_answered")) " · " (class.counts.delivered) " " (t!(p, "n_arrived")) }
            p.meta { (p.province(&class.province)) " · " (class.county) " · " a href={ "/schools/" (id) } { (class.school_name) } }
            @if class.open.is_empty() { p { (t!(p, "no_open_wishes")) } }
            div.wishes {
                @for card in &class.open { (wish_card(&p, card, true)) }
            }
            h2 { (t!(p, "share")) }
            @if let Some(svg) = qr_svg(&url) {
                figure.qr { (PreEscaped(svg)) figcaption { (t!(p, "share_class_hint")) br; small { (url) } } }
            }
        },
    ))
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
    match service.claim_child_wishes(&actor, &[id]).await {
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
    Ok(page(
        &p,
        &t!(p, "my_wishes"),
        html! {
            h1 { (t!(p, "my_wishes")) }
            p { a.button href="/my/school/wishes/new" { (t!(p, "add_wish_card")) } }
            @if !classes.is_empty() {
                h2 { (t!(p, "class_page")) }
                ul.classes {
                    @for (grade, counts) in &classes {
                        @let path = format!("/schools/{school}/classes/{}", grade.get());
                        li { a href=(path) { (grade.label(chinese(&p))) } " · " (counts.wishes) " " (t!(p, "n_wishes")) " · " (counts.answered) " " (t!(p, "n_answered"))
                            " · " small { (site.link(&path)) } }
                    }
                }
            }
            @if cards.is_empty() { p { (t!(p, "no_wishes_yet")) } }
            @for card in &cards {
                div.card.wish.own data-id=(card.id) data-status=(card.status.as_str()) {
                    strong.child { (card.child_name.as_deref().unwrap_or("—")) } " · " (card.grade.label(chinese(&p)))
                    " · " (book_title(&p, card))
                    div.meta { span.status { (p.lang.wish_status(card.status)) } }
                    @if let Some(sentence) = &card.sentence { blockquote.sentence { (sentence) } }
                    @if card.has_photo { img.photo src={ "/wishes/" (card.id) "/photo" } alt=(t!(p, "card_photo")) width="120" loading="lazy"; }
                    @if let Some(thanks) = &card.thanks { div.thanks { (t!(p, "childs_thanks")) ": " q { (thanks) } } }
                    @if card.status == WishStatus::AwaitingConsent {
                        form method="post" action={ "/my/school/wishes/" (card.id) "/consent" } {
                            input type="hidden" name="csrf" value=(p.csrf);
                            button type="submit" { (t!(p, "record_consent")) }
                        }
                    }
                    @if card.status == WishStatus::Delivered && card.thanks.is_none() && card.child_name.is_some() {
                        form.thanks method="post" action={ "/my/school/wishes/" (card.id) "/thanks" } enctype="multipart/form-data" {
                            input type="hidden" name="csrf" value=(p.csrf);
                            label for={ "thanks-" (card.id) } { (t!(p, "thanks_sentence")) }
                            textarea id={ "thanks-" (card.id) } name="sentence" maxlength="60" required {}
                            label for={ "thanks-photo-" (card.id) } { (t!(p, "thanks_photo")) }
                            input id={ "thanks-photo-" (card.id) } type="file" name="photo" accept="image/jpeg,image/png";
                            button type="submit" { (t!(p, "record_thanks")) }
                        }
                    }
                    @if card.child_name.is_some() {
                        details.confirm {
                            summary { (t!(p, "withdraw")) }
                            form method="post" action={ "/my/school/wishes/" (card.id) "/withdraw" } {
                                input type="hidden" name="csrf" value=(p.csrf);
                                p { (t!(p, "withdraw_hint")) " " (t!(p, "are_you_sure")) }
                                button.secondary type="submit" { (t!(p, "yes")) ": " (t!(p, "withdraw")) }
                            }
                        }
                    }
                }
            }
        },
    ))
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
    Ok(wish_card_page(&p, &lists, chosen, shelf.as_ref(), &typed))
}

/// A child's given name as the browser can check it before the form (and its photo) is sent:
/// one or two Chinese characters, or one word of letters. The server checks it again.
const CHILD_NAME_PATTERN: &str =
    r"\s*(?:\p{sc=Han}{1,2}|[\p{L}--\p{sc=Han}][[\p{L}--\p{sc=Han}]'\-]{0,19})\s*";

/// The wish card form, empty or as it was sent.
fn wish_card_page(
    p: &Page,
    lists: &[BookList],
    chosen: Option<BookListId>,
    shelf: Option<&BookListWithBooks>,
    typed: &Typed,
) -> Markup {
    let ticked = typed.value("isbn");
    let choice_fault = typed
        .fault(p, "book_choice")
        .or_else(|| typed.fault(p, "isbn"));
    page(
        p,
        &t!(p, "add_wish_card"),
        html! {
            h1 { (t!(p, "add_wish_card")) }
            @if lists.len() > 1 {
                form.row method="get" action="/my/school/wishes/new" {
                    select name="list" aria-label=(t!(p, "choose_list")) {
                        @for each in lists {
                            option value=(each.id) selected[Some(each.id) == chosen] { (each.name) }
                        }
                    }
                    button.secondary type="submit" { (t!(p, "choose_list")) }
                }
            }
            (general_fault(typed))
            @if typed.refused() && typed.value("had_photo") == "yes" {
                p.flash.info role="status" { (t!(p, "photo_again")) }
            }
            form.wish-card method="post" action="/my/school/wishes" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(p.csrf);
                fieldset.shelf.faulty[choice_fault.is_some()] aria-describedby=[choice_fault.as_ref().map(|_| "book_choice-error")] {
                    legend { (t!(p, "the_book")) @if let Some(shelf) = shelf { " · " (shelf.list.name) } }
                    @if let Some(message) = &choice_fault { p.field-error #book_choice-error { (message) } }
                    @if let Some(shelf) = shelf {
                        input type="hidden" name="list" value=(shelf.list.id);
                        @for book in &shelf.books {
                            label.book {
                                input type="radio" name="isbn" value=(book.isbn) checked[ticked == book.isbn.as_str()];
                                @if let Some(cover) = &book.cover_url { img.cover src=(cover) alt="" width="48" height="64" loading="lazy" referrerpolicy="no-referrer"; }
                                span.what {
                                    strong { (book.title.as_deref().unwrap_or(book.isbn.as_str())) }
                                    @if let Some(why) = &book.reason { br; small { (p.in_my_language(why)) } }
                                }
                            }
                        }
                        label.book {
                            input type="radio" name="isbn" value="" checked[ticked.is_empty() && !typed.value("isbn_typed").is_empty()];
                            span.what { (t!(p, "another_book")) }
                        }
                    }
                    (Field::new(p, typed, "isbn_typed", t!(p, "or_isbn")).inputmode("numeric").maxlength(20).autocomplete("off").hint(t!(p, "isbn_hint")))
                }
                div.field.faulty[typed.fault(p, "child_name").is_some()] {
                    label for="child_name" { (t!(p, "child_name")) }
                    input #child_name type="text" name="child_name" value=(typed.value("child_name")) required maxlength="20" autocomplete="off"
                        pattern=(CHILD_NAME_PATTERN) aria-describedby="child_name-hint"
                        aria-invalid=[typed.fault(p, "child_name").map(|_| "true")];
                    @if let Some(message) = typed.fault(p, "child_name") { p.field-error { (message) } }
                    small #child_name-hint { (t!(p, "child_name_hint")) }
                }
                div.field.faulty[typed.fault(p, "grade").is_some()] {
                    label for="grade" { (t!(p, "grade")) }
                    select #grade name="grade" required {
                        @for g in Grade::all() {
                            option value=(g.get()) selected[typed.value("grade") == g.get().to_string()] { (g.label(chinese(p))) }
                        }
                    }
                    @if let Some(message) = typed.fault(p, "grade") { p.field-error { (message) } }
                }
                div.field.faulty[typed.fault(p, "sentence").is_some()] {
                    label for="sentence" { (t!(p, "childs_sentence")) }
                    textarea #sentence name="sentence" maxlength="60" required
                        aria-invalid=[typed.fault(p, "sentence").map(|_| "true")] { (typed.value("sentence")) }
                    @if let Some(message) = typed.fault(p, "sentence") { p.field-error { (message) } }
                }
                label for="photo" { (t!(p, "card_photo")) }
                input #photo type="file" name="photo" accept="image/jpeg,image/png" aria-describedby="photo-hint";
                small #photo-hint { (t!(p, "photo_hint")) }
                label.consent { input #consent type="checkbox" name="consent" value="yes" checked[typed.value("consent") == "yes"]; " " (t!(p, "guardian_agreed")) }
                div.meta { (t!(p, "consent_hint")) }
                p { button type="submit" { (t!(p, "save_wish")) } }
            }
            p { a href="/my/school/wishes" { "← " (t!(p, "my_wishes")) } }
        },
    )
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
    let page = wish_card_page(p, &lists, list, shelf.as_ref(), &typed);
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
