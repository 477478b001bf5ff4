//! Children's wishes as markup: the wall, a class's page, the teacher's cards and the wish
//! card form, drawn from what the handlers loaded.

use maud::{html, Markup, PreEscaped};

use crate::app::child_wishes::ClassPage;
use crate::domain::booklists::{BookList, BookListWithBooks};
use crate::domain::child_wishes::{ClassCounts, Grade, WishCard, WishStatus};
use crate::domain::ids::{BookListId, SchoolId};
use crate::domain::role::Role;
use crate::web::context::{Page, Site};
use crate::web::forms::{general_fault, Field, Typed};
use crate::web::layout::page;
use crate::web::school::qr_svg;
use crate::web::{pager, Paging};

/// What the wall shows.
pub(super) struct Wall<'a> {
    /// The province chosen (none: all).
    pub province: Option<&'a str>,
    pub grade: Option<Grade>,
    /// Waiting longest first (else newest first).
    pub waiting: bool,
    /// This page's cards.
    pub cards: &'a [WishCard],
    pub paging: Paging,
    /// The address of page n.
    pub link_to: &'a dyn Fn(u64) -> String,
}

fn chinese(p: &Page) -> bool {
    p.lang == crate::web::i18n::Lang::Zh
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

/// The wall of open wishes: the filters chosen, one page of cards, and links to the others.
pub(super) fn wall(p: &Page, w: Wall<'_>) -> Markup {
    let Wall {
        province,
        grade,
        waiting,
        cards,
        paging,
        link_to,
    } = w;
    page(
        p,
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
                        option value=(g.get()) selected[grade == Some(g)] { (g.label(chinese(p))) }
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
                @for card in cards { (wish_card(p, card, true)) }
            }
            (pager(p, paging, link_to))
        },
    )
}

/// A class's shared page: "Grade 3, Baiyun Village Primary: 24 wishes, 9 answered", its
/// open wishes to claim, and its QR code.
pub(super) fn class(p: &Page, id: SchoolId, grade: Grade, class: &ClassPage, url: &str) -> Markup {
    let label = grade.label(chinese(p));
    let title = format!("{label} · {}", class.school_name);
    page(
        p,
        &title,
        html! {
            h1 { (title) }
            p.need { strong { (class.counts.wishes) } " " (t!(p, "n_wishes")) " · " strong { (class.counts.answered) } " " (t!(p, "n_answered")) " · " (class.counts.delivered) " " (t!(p, "n_arrived")) }
            p.meta { (p.province(&class.province)) " · " (class.county) " · " a href={ "/schools/" (id) } { (class.school_name) } }
            @if class.open.is_empty() { p { (t!(p, "no_open_wishes")) } }
            div.wishes {
                @for card in &class.open { (wish_card(p, card, true)) }
            }
            h2 { (t!(p, "share")) }
            @if let Some(svg) = qr_svg(url) {
                figure.qr { (PreEscaped(svg)) figcaption { (t!(p, "share_class_hint")) br; small { (url) } } }
            }
        },
    )
}

/// The teacher's wishes: each card with the step it waits for, and the classes' pages.
pub(super) fn my_wishes(
    p: &Page,
    school: SchoolId,
    cards: &[WishCard],
    classes: &[(Grade, ClassCounts)],
    site: &Site,
) -> Markup {
    page(
        p,
        &t!(p, "my_wishes"),
        html! {
            h1 { (t!(p, "my_wishes")) }
            p { a.button href="/my/school/wishes/new" { (t!(p, "add_wish_card")) } }
            @if !classes.is_empty() {
                h2 { (t!(p, "class_page")) }
                ul.classes {
                    @for (grade, counts) in classes {
                        @let path = format!("/schools/{school}/classes/{}", grade.get());
                        li { a href=(path) { (grade.label(chinese(p))) } " · " (counts.wishes) " " (t!(p, "n_wishes")) " · " (counts.answered) " " (t!(p, "n_answered"))
                            " · " small { (site.link(&path)) } }
                    }
                }
            }
            @if cards.is_empty() { p { (t!(p, "no_wishes_yet")) } }
            @for card in cards {
                div.card.wish.own data-id=(card.id) data-status=(card.status.as_str()) {
                    strong.child { (card.child_name.as_deref().unwrap_or("—")) } " · " (card.grade.label(chinese(p)))
                    " · " (book_title(p, card))
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
    )
}

/// A child's given name as the browser can check it before the form (and its photo) is sent:
/// one or two Chinese characters, or one word of letters. The server checks it again.
const CHILD_NAME_PATTERN: &str =
    r"\s*(?:\p{sc=Han}{1,2}|[\p{L}--\p{sc=Han}][[\p{L}--\p{sc=Han}]'\-]{0,19})\s*";

/// The wish card form, empty or as it was sent.
pub(super) fn wish_card_page(
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
