//! A school's own page (wish list with progress, add by ISBN, upload a CSV, confirm
//! deliveries) and its public, shareable page with a QR code.

use super::errors::PageError;
use maud::{html, Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::QrCode;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::{Page, Site};
use super::forms::{general_fault, Answer, Field, Typed, Whole};
use super::layout::page;
use super::{done, explain, failed, move_from_page, Back};
use super::{Checked, Filled, Return, SchoolAccount};
use crate::app::Bookbridge;
use crate::domain::child_wishes::{WishCard, WishStatus};
use crate::domain::ids::{PledgeId, SchoolId, WishlistItemId};
use crate::domain::import::ListMode;
use crate::domain::isbn::Isbn;
use crate::domain::model::{ItemStatus, MoveDetails, WishlistItem};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::domain::schools::NewSchool;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        my_school,
        register_school,
        add_wish,
        change_quantity,
        close_item,
        upload,
        template,
        confirm,
        share
    ]
}

#[derive(rocket::FromForm)]
struct SchoolForm {
    name: String,
    province: String,
    county: String,
    address: String,
    contact_phone: String,
    student_count: Whole,
    /// The national identification code, which the waiting notice asks for (optional).
    school_code: Option<String>,
}

#[derive(rocket::FromForm)]
struct WishForm {
    isbn: Isbn,
    quantity: Quantity,
    note: Option<String>,
    // `back`, the page the form was on (search results, an easy-mode task), is read from
    // what was typed, so that a refused form goes back there too.
}

#[derive(rocket::FromForm)]
struct QuantityForm {
    quantity: Quantity,
}

#[derive(rocket::FromForm)]
struct UploadForm<'r> {
    file: TempFile<'r>,
    /// `set` (the page's default) or `add`.
    list_mode: Option<String>,
    back: Option<String>,
}

/// The wish list with each item's progress; on the school's own page (`editable`) each item
/// also has its quantity to change and a way to close it.
fn progress(p: &Page, items: &[WishlistItem], editable: bool) -> Markup {
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

/// A school's form post (its guards checked the token and the sign-in): a school account
/// and its registered school.
pub(super) async fn school_form(
    p: &SchoolAccount,
    service: &Bookbridge,
) -> Result<(crate::domain::model::Actor, SchoolId), Flash<Redirect>> {
    match own_school(p, service).await? {
        (actor, Some(school)) => Ok((actor, school)),
        (_, None) => Err(failed("/my/school", t!(p, "register_school"))),
    }
}

/// The signed-in school account and its school (if registered).
pub(super) async fn own_school(
    p: &SchoolAccount,
    service: &Bookbridge,
) -> Result<(crate::domain::model::Actor, Option<SchoolId>), Flash<Redirect>> {
    let actor = p.actor;
    let me = service
        .me(&actor)
        .await
        .map_err(|e| failed("/", explain(p, &e)))?;
    Ok((actor, me.school_id))
}

/// The school page's tasks. Easy mode shows one at a time, chosen from a menu.
const TASKS: [&str; 5] = [
    "in_transit",
    "wishlist",
    "add_book",
    "upload_csv",
    "wish_cards",
];

/// A task's name on the easy-mode menu.
fn task_name(p: &Page, task: &str) -> String {
    match task {
        "in_transit" => t!(p, "in_transit"),
        "wishlist" => t!(p, "wishlist"),
        "add_book" => t!(p, "add_book"),
        "wish_cards" => t!(p, "wish_cards_task"),
        _ => t!(p, "upload_csv"),
    }
}

#[rocket::get("/my/school?<task>")]
async fn my_school(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    task: Option<&str>,
) -> Result<Markup, PageError> {
    let (actor, school) = own_school(&p, service).await?;
    let Some(school) = school else {
        return Ok(registration_page(&p, &Typed::fresh()));
    };
    let items = service.wishlist(school, Some(ItemStatus::Open)).await?;
    let arriving = service
        .pledge_lines(
            &actor,
            PledgeFilter {
                status: Some(PledgeStatus::Shipped),
                limit: 200,
                ..Default::default()
            },
        )
        .await?;
    let verified = service.school(Some(&actor), school).await?.summary.verified;
    // Children's wish cards' books, beside the book list: a child's copy that arrived
    // shows here (its one-copy item is the card's, not the list's).
    let cards = service
        .school_wishes(&actor, school, None)
        .await
        .unwrap_or_default();
    let task = task.filter(|t| TASKS.contains(t));
    let show = |t: &str| !p.easy || task == Some(t);
    let counts = [Some(arriving.len()), Some(items.len()), None, None, None];
    Ok(page(
        &p,
        &t!(p, "my_school"),
        html! {
            h1 { (t!(p, "my_school")) }
            @if !actor.is_active() {
                p.flash.info role="status" { (t!(p, "account_pending")) " " (t!(p, "pending_help_school")) }
            } @else if !verified {
                p.flash.info role="status" { (t!(p, "err_school_not_verified")) }
            }
            @if p.easy && task.is_none() {
                nav.tasks aria-label=(t!(p, "all_tasks")) {
                    @for (t, count) in TASKS.iter().zip(counts) {
                        // The wish cards have pages of their own.
                        @let href = if *t == "wish_cards" { "/my/school/wishes".to_owned() } else { format!("/my/school?task={t}") };
                        a.task href=(href) { (task_name(&p, t)) @if let Some(n) = count { " (" (n) ")" } }
                    }
                    a.task.secondary href={ "/schools/" (school) } { (t!(p, "share")) }
                }
            } @else if p.easy {
                p { a.button.secondary href="/my/school" { "← " (t!(p, "back_to_tasks")) } }
            } @else {
                p { a href={ "/schools/" (school) } { (t!(p, "share")) } }
            }
            @if show("in_transit") {
                h2 { (t!(p, "in_transit")) }
                @if arriving.is_empty() { p { (t!(p, "nothing_here")) } }
                @for line in &arriving {
                    @let pledge = &line.pledge;
                    div.card.arriving data-id=(pledge.id) {
                        strong { (line.title.as_deref().unwrap_or(pledge.isbn.as_str())) " × " (pledge.quantity) }
                        div.meta { (t!(p, "parcel_no", id = pledge.id.get())) " · ISBN " (pledge.isbn) }
                        @if pledge.child_wish_id.is_some() { div { span.tag { (t!(p, "childs_wish_tag")) } } }
                        @if let Some(t) = &pledge.tracking_number { div.meta { (pledge.carrier.as_deref().unwrap_or("")) " " (t) } }
                        details.confirm {
                            summary { (t!(p, "confirm_delivery")) }
                            form method="post" action={ "/my/school/pledges/" (pledge.id) "/delivered" } {
                                input type="hidden" name="csrf" value=(p.csrf);
                                input type="hidden" name="back" value=(p.here);
                                p { (t!(p, "arrived_question")) }
                                button type="submit" { (t!(p, "yes")) ": " (t!(p, "confirm_delivery")) }
                            }
                        }
                    }
                }
            }
            @if show("wishlist") {
                h2 { (t!(p, "wishlist")) }
                (progress(&p, &items, true))
                (wish_card_books(&p, &cards))
            }
            @if show("add_book") {
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
                    p { button type="submit" { (t!(p, "add")) } }
                }
            }
            @if show("upload_csv") {
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
    ))
}

/// The form a school account fills in once: its school. Drawn again, as typed, when a field
/// is refused.
fn registration_page(p: &Page, typed: &Typed) -> Markup {
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

#[rocket::post("/my/school", data = "<form>")]
async fn register_school(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    form: Filled<SchoolForm>,
) -> Answer {
    let (actor, _) = match own_school(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return Answer::Moved(redirect),
    };
    let again =
        |typed: &Typed| Answer::Again((Status::UnprocessableEntity, registration_page(&p, typed)));
    let Some(sent) = &form.value else {
        return again(&form.typed);
    };
    let school = NewSchool::new(
        &sent.name,
        &sent.province,
        &sent.county,
        &sent.address,
        &sent.contact_phone,
        sent.student_count.0,
    )
    .and_then(|school| {
        let code = sent.school_code.as_deref().filter(|c| !c.trim().is_empty());
        school.with_code(code)
    });
    let result = match school {
        Ok(school) => service.create_school(&actor, school).await,
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(_) => Answer::Moved(done("/my/school", t!(p, "done"))),
        Err(err) => again(&form.typed.clone().refused_for(&p, &err)),
    }
}

#[rocket::post("/my/school/wishlist", data = "<form>")]
async fn add_wish(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    form: Filled<WishForm>,
) -> Flash<Redirect> {
    let (actor, school) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return redirect,
    };
    let back = super::local(Some(form.typed.value("back")), "/my/school");
    let Some(sent) = &form.value else {
        return failed(&back, form.typed.first_fault(&p));
    };
    let added = service
        .add_wish(
            &actor,
            school,
            &sent.isbn,
            sent.quantity,
            sent.note.as_deref().filter(|n| !n.trim().is_empty()),
        )
        .await;
    match added {
        Ok(_) => done(&back, t!(p, "added_to_list")),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

#[rocket::post("/my/school/wishlist/<id>/quantity", data = "<form>")]
async fn change_quantity(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: WishlistItemId,
    form: Filled<QuantityForm>,
) -> Flash<Redirect> {
    let (actor, _) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return redirect,
    };
    let back = super::local(Some(form.typed.value("back")), "/my/school");
    let Some(sent) = &form.value else {
        return failed(&back, form.typed.first_fault(&p));
    };
    match service.set_requested(&actor, id, sent.quantity).await {
        Ok(_) => done(&back, t!(p, "done")),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

#[rocket::post("/my/school/wishlist/<id>/close", data = "<form>")]
async fn close_item(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: WishlistItemId,
    form: Checked<Return>,
) -> Flash<Redirect> {
    let (actor, _) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return redirect,
    };
    let back = form.to("/my/school");
    match service.close_item(&actor, id).await {
        Ok(_) => done(&back, t!(p, "item_closed")),
        Err(err) => failed(&back, explain(&p, &err)),
    }
}

/// A blank book list to fill in: UTF-8 with a byte-order mark, so Excel and WPS open the
/// Chinese note column correctly, and only the header (an example row would be imported as
/// a request by whoever leaves it in: the page shows the example instead).
#[rocket::get("/my/school/book-list-template.csv")]
fn template() -> (rocket::http::ContentType, &'static str) {
    (
        rocket::http::ContentType::CSV,
        "\u{feff}isbn,quantity,note\r\n",
    )
}

#[rocket::post("/my/school/wishlist/upload", data = "<form>")]
async fn upload(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    form: Checked<UploadForm<'_>>,
) -> super::UploadAnswer {
    let (actor, school) = match school_form(&p, service).await {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let back = super::local(form.back.as_deref(), "/my/school");
    let Some(bytes) = super::read_upload(&form.file).await else {
        return Ok(failed(&back, t!(p, "file_unreadable")));
    };
    let mode = match form.list_mode.as_deref() {
        Some("add") => ListMode::Add,
        _ => ListMode::Set,
    };
    let outcome = service.import_wishlist(&actor, school, &bytes, mode).await;
    super::import_outcome(&p, &back, outcome)
}

#[rocket::post("/my/school/pledges/<id>/delivered", data = "<form>")]
async fn confirm(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: PledgeId,
    form: Checked<Return>,
) -> Flash<Redirect> {
    let arrived = (id, PledgeStatus::Delivered, MoveDetails::default());
    let to = form.to("/my/school");
    let back = Back {
        to: &to,
        done: t!(p, "delivery_confirmed"),
    };
    move_from_page(&p, service, arrived, back).await
}

/// The page's own address as a QR code (never the postal address).
pub(super) fn qr_svg(url: &str) -> Option<String> {
    let code = QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(180, 180)
            .build(),
    )
}

#[rocket::get("/schools/<id>")]
async fn share(
    p: Page,
    service: &State<Bookbridge>,
    id: SchoolId,
    site: &State<Site>,
) -> Result<Markup, PageError> {
    let school = service.school(None, id).await?;
    let items = service.wishlist(id, Some(ItemStatus::Open)).await?;
    let url = site.link(&format!("/schools/{id}"));
    let title = school.summary.name.clone();
    // Only verified schools' classes are public (`classes` says not found for the others).
    let classes = service.classes(id).await.unwrap_or_default();
    Ok(page(
        &p,
        &title,
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
            (progress(&p, &items, false))
            @if !classes.is_empty() {
                h2 { (t!(p, "wishes_of_classes")) }
                ul.classes {
                    @for (grade, counts) in &classes {
                        li { a href={ "/schools/" (id) "/classes/" (grade.get()) } { (grade.label(p.lang == super::i18n::Lang::Zh)) }
                            " · " (counts.wishes) " " (t!(p, "n_wishes")) " · " (counts.answered) " " (t!(p, "n_answered")) }
                    }
                }
            }
            h2 { (t!(p, "share")) }
            @if let Some(svg) = qr_svg(&url) {
                figure.qr { (PreEscaped(svg)) figcaption { (t!(p, "share_hint")) br; small { (url) } } }
            }
        },
    ))
}
