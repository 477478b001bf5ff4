//! Hostile input: the corpus in `fixtures/hostile/` (made by its `make-corpus` script) sent
//! through the API and the page forms, each file refused with a 4xx and nothing written;
//! uploads without standing; the client's address behind (and not behind) a proxy; the
//! password that still works while its address is over the failure limit; a suspension that
//! ends every session for good.

use std::net::SocketAddr;

use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, TestApp, User, GOODNIGHT_MOON};
use crate::web::Browser;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/fixtures/hostile");

/// Book-list files of the corpus: every one must be refused whole.
const BOOK_LISTS: [&str; 14] = [
    "sheet-a1-xfd1048576.xlsx",
    "sheet-a1-all200000.xlsx",
    "sheet-zip-bomb.xlsx",
    "sheet-shared-strings-count.xlsx",
    "sheet-10001-rows.xlsx",
    "sheet-column-aa.xlsx",
    "sheet-lying-sizes.xlsx",
    "sheet-truncated.xlsx",
    "sheet-not-a-workbook.xlsx",
    "sheet-really-a-png.xlsx",
    "list-really-a-png.csv",
    "list-really-a-pdf.csv",
    "list-10001-rows.csv",
    "png-11999x11999.png",
];

/// Pictures of the corpus: every one must be refused.
const PICTURES: [&str; 9] = [
    "png-11999x11999.png",
    "png-text-bomb.png",
    "jpeg-declares-11999x11999.jpg",
    "png-truncated.png",
    "jpeg-truncated.jpg",
    "photo-really-a-gif.jpg",
    "photo-really-a-pdf.png",
    "photo-text.jpg",
    "sheet-zip-bomb.xlsx",
];

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn healthy(app: &TestApp) {
    let (status, body) = app.get("/api/v1/health", None).await;
    assert_eq!(status, Status::Ok, "{body}");
}

async fn wishlist(app: &TestApp, school: i64) -> Vec<Value> {
    let (status, body) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    body.as_array()
        .or_else(|| body["items"].as_array())
        .cloned()
        .unwrap_or_default()
}

#[rocket::async_test]
async fn every_hostile_book_list_is_refused_by_the_api_and_the_page_with_nothing_written() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let admin = app.user("admin").await;
    let browser = Browser::of(&app, Some(&owner));
    let books_before = app.search("").await["total"].clone();
    for name in BOOK_LISTS {
        let bytes = corpus(name);
        let (status, body) = app
            .post_file(
                &format!("/api/v1/schools/{school}/wishlist/import"),
                Some(&owner.token),
                &bytes,
                ContentType::Binary,
            )
            .await;
        assert!(
            matches!(status.code, 413 | 422),
            "{name} via the API: {status} {body}"
        );
        assert!(body["error"]["code"].is_string(), "{name}: {body}");
        healthy(&app).await;
        let page = browser
            .upload("/my/school/wishlist/upload", name, &bytes, &[])
            .await;
        assert!(
            matches!(page.status.code, 413 | 422),
            "{name} via the page: {} {}",
            page.status,
            page.body
        );
        healthy(&app).await;
        // The catalogue import (admins) refuses what is not text as well.
        if name.ends_with(".xlsx") || name.ends_with(".png") || name.contains("really") {
            let (status, body) = app
                .post_file(
                    "/api/v1/books/import",
                    Some(&admin.token),
                    &bytes,
                    ContentType::CSV,
                )
                .await;
            assert!(
                matches!(status.code, 413 | 422),
                "{name} as a catalogue: {status} {body}"
            );
        }
    }
    assert!(
        wishlist(&app, school).await.is_empty(),
        "nothing was asked for"
    );
    app.settle_index().await;
    assert_eq!(
        app.search("").await["total"],
        books_before,
        "no book was added"
    );
}

#[rocket::async_test]
async fn a_refusal_names_its_cap_in_the_pages_language() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let (status, body) = app
        .post_file(
            &format!("/api/v1/schools/{school}/wishlist/import"),
            Some(&owner.token),
            &corpus("sheet-a1-xfd1048576.xlsx"),
            ContentType::Binary,
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["code"], "file_over_limit");
    assert_eq!(body["error"]["field"], "file");
    assert_eq!(body["error"]["limit"], 10_000);
    let zh = Browser::of(&app, Some(&owner))
        .upload(
            "/my/school/wishlist/upload",
            "big.xlsx",
            &corpus("list-10001-rows.csv"),
            &[("bb_lang".to_owned(), "zh".to_owned())],
        )
        .await;
    assert_eq!(zh.status, Status::UnprocessableEntity);
    assert!(zh.body.contains("文件超过 10000 行"), "{}", zh.body);
    let bomb = Browser::of(&app, Some(&owner))
        .upload(
            "/my/school/wishlist/upload",
            "bomb.xlsx",
            &corpus("sheet-zip-bomb.xlsx"),
            &[("bb_lang".to_owned(), "en".to_owned())],
        )
        .await;
    assert!(
        bomb.body.contains("unpacks to more than 32 MB"),
        "{}",
        bomb.body
    );
    // A file past the bytes a book list may have is refused before it is read.
    let huge = vec![b'9'; 4 * 1024 * 1024 + 1];
    let (status, body) = app
        .post_file(
            &format!("/api/v1/schools/{school}/wishlist/import"),
            Some(&owner.token),
            &huge,
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::PayloadTooLarge, "{body}");
    assert_eq!(body["error"]["code"], "body_too_large");
    // A good workbook still goes in.
    let good = include_bytes!("fixtures/book-list.xlsx");
    let (status, body) = app
        .post_file(
            &format!("/api/v1/schools/{school}/wishlist/import"),
            Some(&owner.token),
            good,
            ContentType::Binary,
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["imported"], 2);
}

async fn open_wish(app: &TestApp, owner: &User, school: i64) -> i64 {
    let (status, body) = app
        .post(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
            json!({"child_name": "小明", "grade": 3, "isbn": GOODNIGHT_MOON,
                   "sentence": "我想听月亮的故事", "guardian_consent": true}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    body["id"].as_i64().unwrap()
}

#[rocket::async_test]
async fn every_hostile_picture_is_refused_by_the_api_and_the_page_with_nothing_written() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let wish = open_wish(&app, &owner, school).await;
    let browser = Browser::of(&app, Some(&owner));
    let wishes_before = app
        .get(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
        )
        .await
        .1["wishes"]
        .as_array()
        .unwrap()
        .len();
    for name in PICTURES {
        let bytes = corpus(name);
        let (status, body) = app
            .put_photo(
                &owner,
                &format!("/api/v1/wishes/{wish}/photo"),
                bytes.clone(),
            )
            .await;
        assert!(
            matches!(status.code, 413 | 422),
            "{name} via the API: {status} {body}"
        );
        assert_eq!(body["error"]["field"], "photo", "{name}: {body}");
        healthy(&app).await;
        let page = browser
            .multipart(
                "/my/school/wishes",
                &[
                    ("isbn_typed", GOODNIGHT_MOON),
                    ("child_name", "小红"),
                    ("grade", "3"),
                    ("sentence", "我想看书"),
                    ("consent", "yes"),
                ],
                ("photo", name, &bytes),
                &[],
            )
            .await;
        assert!(
            matches!(page.status.code, 413 | 422),
            "{name} via the page: {} {}",
            page.status,
            page.body
        );
        healthy(&app).await;
    }
    let (_, card) = app
        .get(&format!("/api/v1/wishes/{wish}"), Some(&owner.token))
        .await;
    assert_eq!(card["has_photo"], false, "{card}");
    let (_, own) = app
        .get(
            &format!("/api/v1/schools/{school}/wishes"),
            Some(&owner.token),
        )
        .await;
    assert_eq!(own["wishes"].as_array().unwrap().len(), wishes_before);
    assert_eq!(app.photos_kept().await, 0, "no photo kept");
    // The pixel cap is named, in Chinese on a Chinese page.
    let zh = browser
        .multipart(
            "/my/school/wishes",
            &[
                ("isbn_typed", GOODNIGHT_MOON),
                ("child_name", "小红"),
                ("grade", "3"),
                ("sentence", "我想看书"),
            ],
            ("photo", "big.jpg", &corpus("jpeg-declares-11999x11999.jpg")),
            &[("bb_lang".to_owned(), "zh".to_owned())],
        )
        .await;
    assert!(
        zh.body.contains("11999 x 11999") && zh.body.contains("48"),
        "{}",
        zh.body
    );
}

/// A photo as a 12-megapixel phone takes it: 4000 x 3000 as stored, with an EXIF block that
/// says "turn 90 degrees clockwise to show" and where it was taken; red above, blue below.
fn twelve_megapixel_phone_photo() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(4000, 3000, |_, y| {
        if y < 1500 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut plain = Vec::new();
    picture
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut plain, 80,
        ))
        .unwrap();
    // EXIF: big-endian TIFF, one IFD with Orientation (0x0112) = 6 and a GPS-like note.
    let mut exif =
        b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPSLatitude 22.5N Lancang");
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    app1.extend_from_slice(&exif);
    let mut file = plain[..2].to_vec();
    file.extend_from_slice(&app1);
    file.extend_from_slice(&plain[2..]);
    file
}

#[rocket::async_test]
async fn a_twelve_megapixel_phone_photo_goes_through_upright_and_without_exif() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let wish = open_wish(&app, &owner, school).await;
    let upload = twelve_megapixel_phone_photo();
    assert!(upload.len() < 8 * 1024 * 1024);
    let path = format!("/api/v1/wishes/{wish}/photo");
    let (status, body) = app.put_photo(&owner, &path, upload).await;
    assert_eq!(status, Status::Ok, "{body}");
    let (status, kept) = app.get_bytes(&path, Some(&owner)).await;
    assert_eq!(status, Status::Ok);
    assert!(!kept.windows(4).any(|w| w == b"Exif"), "no EXIF kept");
    assert!(!kept.windows(7).any(|w| w == b"Lancang"));
    let shown = image::load_from_memory(&kept).unwrap().to_rgb8();
    // Upright: portrait, 1200 x 1600; what was on top (red) is now on the right.
    assert_eq!((shown.width(), shown.height()), (1200, 1600));
    let right = shown.get_pixel(1100, 800);
    let left = shown.get_pixel(100, 800);
    assert!(right[0] > 150 && right[2] < 100, "right is red: {right:?}");
    assert!(left[2] > 150 && left[0] < 100, "left is blue: {left:?}");
}

#[rocket::async_test]
async fn uploads_need_an_approved_account_and_a_verified_school() {
    let app = spawn_app().await;
    let csv = format!("isbn,quantity\n{GOODNIGHT_MOON},2\n");
    // A school account registered a minute ago, still pending, with its school unverified.
    let pending = app.newcomer("school", "new-school@example.org").await;
    let (status, made) = app
        .post(
            "/api/v1/schools",
            Some(&pending.token),
            json!({"name": "Cloud Primary", "province": "Yunnan", "county": "Lancang",
                   "address": "1 Hill Road", "contact_phone": "0879-555-0102", "student_count": 20}),
        )
        .await;
    assert_eq!(status, Status::Created, "{made}");
    let school = made["id"].as_i64().unwrap();
    let import = format!("/api/v1/schools/{school}/wishlist/import");
    let (status, body) = app
        .post_file(
            &import,
            Some(&pending.token),
            csv.as_bytes(),
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::Forbidden, "{body}");
    assert_eq!(body["error"]["code"], "account_pending");
    let page = Browser::of(&app, Some(&pending))
        .upload(
            "/my/school/wishlist/upload",
            "list.csv",
            csv.as_bytes(),
            &[],
        )
        .await;
    assert_eq!(page.status, Status::Forbidden, "{}", page.body);
    // Approved, but the school is not verified yet.
    app.service()
        .approve_unchecked(bookbridge::domain::ids::AccountId(pending.id))
        .await
        .unwrap();
    let (status, body) = app
        .post_file(
            &import,
            Some(&pending.token),
            csv.as_bytes(),
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(body["error"]["code"], "school_not_verified");
    let page = Browser::of(&app, Some(&pending))
        .upload(
            "/my/school/wishlist/upload",
            "list.csv",
            csv.as_bytes(),
            &[],
        )
        .await;
    assert_eq!(page.status, Status::Conflict, "{}", page.body);
    assert!(wishlist(&app, school).await.is_empty());
    // Verified: the same file goes in.
    app.service()
        .verify_school_unchecked(bookbridge::domain::ids::SchoolId(school), "2153000123")
        .await
        .unwrap();
    let (status, body) = app
        .post_file(
            &import,
            Some(&pending.token),
            csv.as_bytes(),
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(wishlist(&app, school).await.len(), 1);
}

/// A wrong sign-in from `peer`, with forwarding headers naming `forwarded`; its status.
async fn wrong_sign_in(app: &TestApp, peer: &str, forwarded: &str, email: &str) -> Status {
    let body = json!({"email": email, "password": "not the password"}).to_string();
    app.client
        .post("/api/v1/sessions")
        .remote(peer.parse::<SocketAddr>().unwrap())
        .header(ContentType::JSON)
        .header(Header::new("X-Real-IP", forwarded.to_owned()))
        .header(Header::new("X-Forwarded-For", forwarded.to_owned()))
        .body(body)
        .dispatch()
        .await
        .status()
}

async fn audit_clients(app: &TestApp, admin: &User) -> Vec<String> {
    let (status, body) = app.get("/api/v1/audit?limit=500", Some(&admin.token)).await;
    assert_eq!(status, Status::Ok, "{body}");
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"]
                .as_str()
                .is_some_and(|a| a.starts_with("signin"))
        })
        .filter_map(|e| e["client"].as_str().map(str::to_owned))
        .collect()
}

#[rocket::async_test]
async fn forged_forwarding_headers_do_not_get_around_the_address_limit() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let mut statuses = Vec::new();
    for n in 0..100 {
        let forged = format!("203.0.113.{n}");
        statuses.push(
            wrong_sign_in(
                &app,
                "198.51.100.20:40000",
                &forged,
                &format!("nobody{n}@example.org"),
            )
            .await,
        );
    }
    let first_429 = statuses.iter().position(|s| *s == Status::TooManyRequests);
    assert_eq!(first_429, Some(30), "{statuses:?}");
    assert!(statuses[30..].iter().all(|s| *s == Status::TooManyRequests));
    let clients = audit_clients(&app, &admin).await;
    assert!(!clients.is_empty());
    assert!(
        clients.iter().all(|c| c == "198.51.100.20"),
        "the audit log has the real peer: {clients:?}"
    );
    // The page's sign-in form is held to the same limit from the same peer.
    let page = app
        .client
        .post("/signin")
        .remote("198.51.100.20:40001".parse::<SocketAddr>().unwrap())
        .header(ContentType::Form)
        .header(Header::new("X-Real-IP", "192.0.2.99"))
        .cookie(rocket::http::Cookie::new("bb_csrf", crate::web::CSRF))
        .body(format!(
            "csrf={}&email=x%40example.org&password=wrong+password",
            crate::web::CSRF
        ))
        .dispatch()
        .await;
    assert_eq!(page.status(), Status::TooManyRequests);
}

#[rocket::async_test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = spawn_app_with(|f| f.merge(("trusted_proxies", vec!["127.0.0.1"]))).await;
    let admin = app.user("admin").await;
    for n in 0..100 {
        let client = format!("203.0.113.{n}");
        let status = wrong_sign_in(
            &app,
            "127.0.0.1:40000",
            &client,
            &format!("nobody{n}@example.org"),
        )
        .await;
        assert_eq!(status, Status::Unauthorized, "client {n} has its own limit");
    }
    let clients = audit_clients(&app, &admin).await;
    assert!(clients.iter().any(|c| c == "203.0.113.99"), "{clients:?}");
    assert!(!clients.iter().any(|c| c == "127.0.0.1"), "{clients:?}");
    // The page too: one forwarded client's failures reach its limit, others' do not.
    let sign_in = |client: &'static str| {
        app.client
            .post("/signin")
            .remote("127.0.0.1:40001".parse::<SocketAddr>().unwrap())
            .header(ContentType::Form)
            .header(Header::new("X-Forwarded-For", client))
            .cookie(rocket::http::Cookie::new("bb_csrf", crate::web::CSRF))
            .body(format!(
                "csrf={}&email=x%40example.org&password=wrong+password",
                crate::web::CSRF
            ))
            .dispatch()
    };
    for _ in 0..30 {
        sign_in("198.51.100.77").await;
    }
    assert_eq!(
        sign_in("198.51.100.77").await.status(),
        Status::TooManyRequests
    );
    assert_eq!(
        sign_in("198.51.100.78").await.status(),
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn the_right_password_gets_in_while_its_address_is_over_the_limit() {
    let app = spawn_app().await;
    let (status, _) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "donor", "name": "Li", "email": "li@example.org", "password": "books for all"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    for n in 0..31 {
        wrong_sign_in(
            &app,
            "198.51.100.30:1",
            "x",
            &format!("other{n}@example.org"),
        )
        .await;
    }
    assert_eq!(
        wrong_sign_in(&app, "198.51.100.30:1", "x", "li@example.org").await,
        Status::TooManyRequests,
        "a wrong password from the address is refused"
    );
    let right = app
        .client
        .post("/api/v1/sessions")
        .remote("198.51.100.30:2".parse::<SocketAddr>().unwrap())
        .header(ContentType::JSON)
        .body(json!({"email": "li@example.org", "password": "books for all"}).to_string())
        .dispatch()
        .await;
    assert_eq!(right.status(), Status::Created, "the right one is not");
}

#[rocket::async_test]
async fn a_suspended_and_reinstated_account_keeps_none_of_its_old_sessions() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let (status, made) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "donor", "name": "Sun", "email": "sun@example.org", "password": "books for all"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let (_, session) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "sun@example.org", "password": "books for all"}),
        )
        .await;
    let donor = User {
        id: made["id"].as_i64().unwrap(),
        token: session["token"].as_str().unwrap().to_owned(),
    };
    let (status, _) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert_eq!(status, Status::Ok);
    for decision in ["suspend", "reinstate"] {
        let (status, body) = app
            .post(
                &format!("/api/v1/accounts/{}/{decision}", donor.id),
                Some(&admin.token),
                json!({"note": "checking"}),
            )
            .await;
        assert_eq!(status, Status::Ok, "{decision}: {body}");
    }
    let (status, _) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    assert_eq!(status, Status::Unauthorized, "the old token stays dead");
    let page = Browser::of(&app, Some(&donor))
        .get("/my/pledges", &[], &[])
        .await;
    assert_ne!(page.status, Status::Ok, "the old page session too");
    // A new sign-in works.
    let (status, _) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "sun@example.org", "password": "books for all"}),
        )
        .await;
    assert_eq!(status, Status::Created);
}
