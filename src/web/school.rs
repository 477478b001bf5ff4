//! A school's own page (wish list with progress, add by ISBN, upload a CSV, confirm
//! deliveries) and its public, shareable page with a QR code.

use super::errors::PageError;
use maud::Markup;
use qrcode::render::svg;
use qrcode::QrCode;
use rocket::fs::TempFile;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::State;

use super::context::{Page, Site};
use super::forms::{Answer, Typed, Whole};
use super::kept_pages::{KeptPages, Shown};
use super::{done, explain, failed, move_from_page, Back};
use super::{Checked, Filled, Return, SchoolAccount};
use crate::app::Bookbridge;
use crate::domain::ids::{ParcelId, PledgeId, SchoolId, WishlistItemId};
use crate::domain::import::ListMode;
use crate::domain::isbn::Isbn;
use crate::domain::model::{ItemStatus, MoveDetails};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::quantity::Quantity;
use crate::domain::schools::NewSchool;
use crate::domain::wishlists::WishTerms;

mod view;

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
        confirm_parcel,
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
    /// Another copy of a title the school has on its shelf is wanted.
    again: bool,
    /// Only this ISBN will do, not another edition of its work.
    only_this_edition: bool,
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

#[rocket::get("/my/school?<task>")]
async fn my_school(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    task: Option<view::Task>,
) -> Result<Markup, PageError> {
    let (actor, school) = own_school(&p, service).await?;
    let Some(school) = school else {
        return Ok(view::registration_page(&p, &Typed::fresh()));
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
    Ok(view::my_school(
        &p,
        view::MySchool {
            school,
            active: actor.is_active(),
            verified,
            task,
            arriving: &arriving,
            items: &items,
            cards: &cards,
        },
    ))
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
    let again = |typed: &Typed| {
        Answer::Again((
            Status::UnprocessableEntity,
            view::registration_page(&p, typed),
        ))
    };
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
            WishTerms {
                again: sent.again,
                any_edition: sent.only_this_edition.then_some(false),
            },
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

#[rocket::post("/my/school/parcels/<id>/delivered", data = "<form>")]
async fn confirm_parcel(
    p: SchoolAccount,
    service: &State<Bookbridge>,
    id: ParcelId,
    form: Checked<Return>,
) -> Flash<Redirect> {
    let to = form.to("/my/school");
    match service.confirm_parcel(&p.actor, id).await {
        Ok(_) => done(&to, t!(p, "delivery_confirmed")),
        Err(err) => failed(&to, explain(&p, &err)),
    }
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
    kept: &State<KeptPages>,
) -> Result<Markup, PageError> {
    let path = format!("/schools/{id}");
    let shown = service.school_page_version(id).await?.map(Shown::School);
    let url = site.link(&path);
    kept.page(&p, &path, shown, |p| async move {
        let school = service.school(None, id).await?;
        let items = service.wishlist(id, Some(ItemStatus::Open)).await?;
        // Only verified schools' classes are public (`classes` says not found for the others).
        let classes = service.classes(id).await.unwrap_or_default();
        Ok(view::share(
            &p,
            view::Shared {
                id,
                school: &school,
                items: &items,
                url: &url,
                classes: &classes,
            },
        ))
    })
    .await
}
