//! A school's pages as markup: its own page (tasks, wish list with progress, the forms) and
//! its public, shareable page, drawn from what the handlers loaded.

use maud::{html, Markup, PreEscaped};

use crate::domain::child_wishes::{ClassCounts, Grade, WishCard, WishStatus};
use crate::domain::ids::SchoolId;
use crate::domain::model::WishlistItem;
use crate::domain::pledges::PledgeLine;
use crate::domain::role::Role;
use crate::domain::schools::SchoolView;
use crate::web::context::Page;
use crate::web::forms::{general_fault, Field, Typed};
use crate::web::layout::page;

use super::qr_svg;

/// What a school's own page shows.
pub(super) struct MySchool<'a> {
    pub school: SchoolId,
    /// The account is approved (else the page says it waits for vetting).
    pub active: bool,
    /// The school is verified (else the page says its list is not public yet).
    pub verified: bool,
    /// The task easy mode shows (none: the menu).
    pub task: Option<Task>,
    /// Parcels on their way to the school.
    pub arriving: &'a [PledgeLine],
    /// The open wish list.
    pub items: &'a [WishlistItem],
    /// The school's children's wish cards.
    pub cards: &'a [WishCard],
}

/// What a school's shareable page shows.
pub(super) struct Shared<'a> {
    pub id: SchoolId,
    pub school: &'a SchoolView,
    pub items: &'a [WishlistItem],
    /// The page's own address (for the QR code).
    pub url: &'a str,
    pub classes: &'a [(Grade, ClassCounts)],
}

/// The wish list with each item's progress; on the school's own page (`editable`) each item
/// also has its quantity to change and a way to close it.
pub(super) fn progress(p: &Page, items: &[WishlistItem], editable: bool) -> Markup {
    if items.is_empty() {
        return html! { p { (t!(p, "empty_wishlist")) } };
    }
    html! {
        table.wishlist {
            thead { tr { th { "ISBN" } th { (t!(p, "requested")) } th { (t!(p, "pledged")) } th { (t!(p, "shipped")) } th { (t!(p, "delivered")) } th { (t!(p, "outstanding")) } } }
            tbody {
                @for item in items {
                    tr.item data-isbn=(item.isbn) {
                        td { a href={ "/?q=" (item.isbn) } { (item.title.as_deref().unwrap_or(item.isbn.as_str())) } br; small { (item.isbn) }
                            @if let Some(note) = &item.note { br; small.note { (t!(p, "note_short")) ": " (note) } } }
                        td.requested data-label=(t!(p, "requested")) { (item.requested) }
                        td.pledged data-label=(t!(p, "pledged")) { (item.pledged) }
                        td.shipped data-label=(t!(p, "shipped")) { (item.shipped) }
                        td.delivered data-label=(t!(p, "delivered")) { (item.delivered) }
                        td.outstanding data-label=(t!(p, "outstanding")) { (item.outstanding) }
                    }
                    tr { td colspan="6" {
                        div.progress { span style={ "width:" (u64::from(item.delivered) * 100 / u64::from(item.requested.max(1))) "%" } {} }
                        @if editable {
                            div.row.edit-item data-isbn=(item.isbn) {
                                form.row method="post" action={ "/my/school/wishlist/" (item.id) "/quantity" } {
                                    input type="hidden" name="csrf" value=(p.csrf);
                                    input type="hidden" name="back" value=(p.here);
                                    label { (t!(p, "change_quantity")) " "
                                        input type="text" inputmode="numeric" name="quantity" value=(item.requested) maxlength="6" required;
                                    }
                                    button.secondary type="submit" { (t!(p, "save")) }
                                }
                                details.confirm {
                                    summary { (t!(p, "close_item")) }
                                    form method="post" action={ "/my/school/wishlist/" (item.id) "/close" } {
                                        input type="hidden" name="csrf" value=(p.csrf);
                                        input type="hidden" name="back" value=(p.here);
                                        p { (t!(p, "close_question")) }
                                        button type="submit" { (t!(p, "yes")) ": " (t!(p, "close_item")) }
                                    }
                                }
                            }
                        }
                    } }
                }
            }
        }
    }
}

/// The books of the school's wish cards that a donor took: how many are on their way or
/// arrived, per book (a card is one child's one copy).
fn wish_card_books(p: &Page, cards: &[WishCard]) -> Markup {
    let mut books: Vec<(&WishCard, u32, u32)> = Vec::new();
    for card in cards {
        let (taken, arrived) = match card.status {
            WishStatus::Claimed => (1, 0),
            WishStatus::Delivered => (1, 1),
            _ => continue,
        };
        match books.iter_mut().find(|(c, _, _)| c.isbn == card.isbn) {
            Some((_, t, a)) => {
                *t += taken;
                *a += arrived;
            }
            None => books.push((card, taken, arrived)),
        }
    }
    html! {
        @if !books.is_empty() {
            h3 { (t!(p, "wish_card_books")) }
            table.wish-card-books {
                thead { tr { th { "ISBN" } th { (t!(p, "taken_by_donors")) } th { (t!(p, "delivered")) } } }
                tbody {
                    @for (card, taken, arrived) in &books {
                        tr data-isbn=(card.isbn) {
                            td { (card.title.as_deref().unwrap_or(card.isbn.as_str())) br; small { (card.isbn) } }
                            td.taken { (taken) }
                            td.delivered { (arrived) }
                        }
                    }
                }
            }
        }
    }
}

/// The school page's tasks. Easy mode shows one at a time, chosen from a menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, rocket::FromFormField)]
pub(super) enum Task {
    #[field(value = "in_transit")]
    InTransit,
    #[field(value = "wishlist")]
    Wishlist,
    #[field(value = "add_book")]
    AddBook,
    #[field(value = "upload_csv")]
    UploadCsv,
    /// The wish cards, which have pages of their own.
    #[field(value = "wish_cards")]
    WishCards,
}

impl Task {
    const ALL: [Task; 5] = [
        Task::InTransit,
        Task::Wishlist,
        Task::AddBook,
        Task::UploadCsv,
        Task::WishCards,
    ];

    /// Where the menu's button for it goes.
    fn href(self) -> &'static str {
        match self {
            Task::InTransit => "/my/school?task=in_transit",
            Task::Wishlist => "/my/school?task=wishlist",
            Task::AddBook => "/my/school?task=add_book",
            Task::UploadCsv => "/my/school?task=upload_csv",
            Task::WishCards => "/my/school/wishes",
        }
    }

    /// Its name on the menu.
    fn name(self, p: &Page) -> String {
        match self {
            Task::InTransit => t!(p, "in_transit"),
            Task::Wishlist => t!(p, "wishlist"),
            Task::AddBook => t!(p, "add_book"),
            Task::UploadCsv => t!(p, "upload_csv"),
            Task::WishCards => t!(p, "wish_cards_task"),
        }
    }
}

/// A school's own page: in easy mode one task at a time, chosen from a menu.
pub(super) fn my_school(p: &Page, s: MySchool<'_>) -> Markup {
    let MySchool {
        school,
        active,
        verified,
        task,
        arriving,
        items,
        cards,
    } = s;
    let show = |t: Task| !p.easy || task == Some(t);
    let counts = [Some(arriving.len()), Some(items.len()), None, None, None];
    page(
        p,
        &t!(p, "my_school"),
        html! {
            h1 { (t!(p, "my_school")) }
            @if !active {
                p.flash.info role="status" { (t!(p, "account_pending")) " " (t!(p, "pending_help_school")) }
            } @else if !verified {
                p.flash.info role="status" { (t!(p, "err_school_not_verified")) }
            }
            @if p.easy && task.is_none() {
                nav.tasks aria-label=(t!(p, "all_tasks")) {
                    @for (t, count) in Task::ALL.into_iter().zip(counts) {
                        a.task href=(t.href()) { (t.name(p)) @if let Some(n) = count { " (" (n) ")" } }
                    }
                    a.task.secondary href="/my/school/shelf" { (t!(p, "shelf_title")) }
                    a.task.secondary href={ "/schools/" (school) } { (t!(p, "share")) }
                }
            } @else if p.easy {
                p { a.button.secondary href="/my/school" { "← " (t!(p, "back_to_tasks")) } }
            } @else {
                p { a href={ "/schools/" (school) } { (t!(p, "share")) } " · " a href="/my/school/shelf" { (t!(p, "shelf_title")) } }
            }
            @if show(Task::InTransit) {
                h2 { (t!(p, "in_transit")) }
                @if arriving.is_empty() { p { (t!(p, "nothing_here")) } }
                @for parcel in crate::domain::pledges::by_parcel(arriving) {
                    @let first = &parcel[0].pledge;
                    @let copies: u32 = parcel.iter().map(|l| l.pledge.quantity).sum();
                    div.card.arriving data-id=(first.parcel_id) {
                        strong { (t!(p, "parcel_no", id = first.parcel_id.get())) " · " (t!(p, "n_copies", count = copies)) }
                        @if let Some(t) = &first.tracking_number { div.meta { (first.carrier.as_deref().unwrap_or("")) " " (t) } }
                        ul.parcel-books {
                            @for line in &parcel {
                                @let pledge = &line.pledge;
                                li data-id=(pledge.id) {
                                    (line.title.as_deref().unwrap_or(pledge.isbn.as_str())) " × " (pledge.quantity)
                                    span.meta { " · ISBN " (pledge.isbn) }
                                    @if pledge.child_wish_id.is_some() { " " span.tag { (t!(p, "childs_wish_tag")) } }
                                    @if parcel.len() > 1 {
                                        details.confirm.one {
                                            summary { (t!(p, "only_this_arrived")) }
                                            form method="post" action={ "/my/school/pledges/" (pledge.id) "/delivered" } {
                                                input type="hidden" name="csrf" value=(p.csrf);
                                                input type="hidden" name="back" value=(p.here);
                                                button.secondary type="submit" { (t!(p, "yes")) ": " (t!(p, "only_this_arrived")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        details.confirm.whole {
                            summary { (t!(p, "confirm_delivery")) }
                            form method="post" action={ "/my/school/parcels/" (first.parcel_id) "/delivered" } {
                                input type="hidden" name="csrf" value=(p.csrf);
                                input type="hidden" name="back" value=(p.here);
                                p { (t!(p, "arrived_question")) }
                                button type="submit" { (t!(p, "yes")) ": " (t!(p, "confirm_delivery")) }
                            }
                        }
                    }
                }
            }
            @if show(Task::Wishlist) {
                h2 { (t!(p, "wishlist")) }
                (progress(p, items, true))
                (wish_card_books(p, cards))
            }
            @if show(Task::AddBook) {
                h2 { (t!(p, "add_book")) }
                p { a href="/?needed=false" { (t!(p, "find_in_catalogue")) } }
                form method="post" action="/my/school/wishlist" {
                    input type="hidden" name="csrf" value=(p.csrf);
                    input type="hidden" name="back" value=(p.here);
                    label for="isbn" { "ISBN" }
                    input #isbn type="text" name="isbn" inputmode="numeric" required autocomplete="off" aria-describedby="isbn-hint";
                    small #isbn-hint { (t!(p, "isbn_hint")) }
                    label for="quantity" { (t!(p, "quantity")) }
                    input #quantity type="text" inputmode="numeric" name="quantity" value="1" maxlength="6" required;
                    label for="note" { (t!(p, "note")) }
                    input #note type="text" name="note";
                    label.consent { input type="checkbox" name="again" value="true"; " " (t!(p, "again_wanted")) }
                    label.consent { input type="checkbox" name="only_this_edition" value="true"; " " (t!(p, "only_this_edition")) }
                    p { button type="submit" { (t!(p, "add")) } }
                }
            }
            @if show(Task::UploadCsv) {
                h2 { (t!(p, "upload_csv")) }
                p { (t!(p, "book_list_help")) }
                p { a href="/my/school/book-list-template.csv" download="book-list.csv" { (t!(p, "book_list_template")) } }
                form method="post" action="/my/school/wishlist/upload" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(p.csrf);
                    input type="hidden" name="back" value=(p.here);
                    label for="file" { (t!(p, "book_list_file")) }
                    input #file type="file" name="file" accept=".csv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
                    fieldset {
                        legend { (t!(p, "list_mode")) }
                        label.consent { input type="radio" name="list_mode" value="set" checked; " " (t!(p, "list_mode_set")) }
                        label.consent { input type="radio" name="list_mode" value="add"; " " (t!(p, "list_mode_add")) }
                    }
                    p { button type="submit" { (t!(p, "upload")) } }
                }
            }
        },
    )
}

/// The form a school account fills in once: its school. Drawn again, as typed, when a field
/// is refused.
pub(super) fn registration_page(p: &Page, typed: &Typed) -> Markup {
    page(
        p,
        &t!(p, "register_school"),
        html! {
            h1 { (t!(p, "register_school")) }
            (general_fault(typed))
            form method="post" action="/my/school" {
                input type="hidden" name="csrf" value=(p.csrf);
                (Field::new(p, typed, "name", t!(p, "school_name")).required().maxlength(200))
                div.field.faulty[typed.fault(p, "province").is_some()] {
                    label for="province" { (t!(p, "province")) }
                    select #province name="province" required {
                        option value="" { "—" }
                        @for province in crate::domain::provinces::PROVINCES {
                            option value=(province.en) selected[typed.value("province") == province.en] { (p.province(province.en)) }
                        }
                    }
                    @if let Some(message) = typed.fault(p, "province") { p.field-error { (message) } }
                }
                (Field::new(p, typed, "county", t!(p, "county")).required().maxlength(100))
                (Field::new(p, typed, "address", t!(p, "address")).required().maxlength(500))
                (Field::new(p, typed, "contact_phone", t!(p, "phone")).kind("tel").required().maxlength(40).autocomplete("tel"))
                (Field::new(p, typed, "student_count", t!(p, "students")).inputmode("numeric").required().maxlength(6))
                (Field::new(p, typed, "school_code", t!(p, "school_code_label")).inputmode("numeric").maxlength(20).hint(t!(p, "school_code_hint")))
                p { button type="submit" { (t!(p, "save")) } }
            }
        },
    )
}

/// A school's public page: its need, giving to it, its classes' wishes, and its QR code.
pub(super) fn share(p: &Page, s: Shared<'_>) -> Markup {
    let Shared {
        id,
        school,
        items,
        url,
        classes,
    } = s;
    page(
        p,
        &school.summary.name,
        html! {
            h1 { (school.summary.name) }
            p { (p.province(&school.summary.province)) " · " (school.summary.county) " · " (t!(p, "n_students", count = school.summary.student_count)) }
            @if school.summary.verified {
                p.verified { "✓ " (t!(p, "verified")) }
            } @else {
                p.meta { (t!(p, "not_verified")) }
            }
            p.need { (school.summary.books_needed) " " (t!(p, "books_needed")) }
            // Giving to this school, here: the pledge goes to it, not wherever matching picks.
            @if school.summary.verified && items.iter().any(|i| i.outstanding > 0) {
                h2 { (t!(p, "pledge_here")) }
                @match p.actor.map(|a| a.role) {
                    Some(Role::Donor) => {
                        @for item in items.iter().filter(|i| i.outstanding > 0) {
                            form.card.pledge-here method="post" action="/pledge" {
                                input type="hidden" name="csrf" value=(p.csrf);
                                input type="hidden" name="isbn" value=(item.isbn);
                                input type="hidden" name="school_id" value=(id);
                                strong { (item.title.as_deref().unwrap_or(item.isbn.as_str())) }
                                div.row {
                                    label { (t!(p, "quantity")) input type="text" inputmode="numeric" name="quantity" value="1" maxlength="6"; }
                                    button type="submit" { (t!(p, "pledge")) }
                                }
                            }
                        }
                    }
                    None => {
                        p { a.button href={ "/signin?next=%2Fschools%2F" (id) } { (t!(p, "sign_in_to_pledge")) } }
                    }
                    Some(_) => {}
                }
            }
            h2 { (t!(p, "wishlist")) }
            (progress(p, items, false))
            @if !classes.is_empty() {
                h2 { (t!(p, "wishes_of_classes")) }
                ul.classes {
                    @for (grade, counts) in classes {
                        li { a href={ "/schools/" (id) "/classes/" (grade.get()) } { (grade.label(p.lang == crate::web::i18n::Lang::Zh)) }
                            " · " (counts.wishes) " " (t!(p, "n_wishes")) " · " (counts.answered) " " (t!(p, "n_answered")) }
                    }
                }
            }
            h2 { (t!(p, "share")) }
            @if let Some(svg) = qr_svg(url) {
                figure.qr { (PreEscaped(svg)) figcaption { (t!(p, "share_hint")) br; small { (url) } } }
            }
        },
    )
}
