//! The web pages, driven as a browser would: forms, cookies, redirects.

use rocket::http::{ContentType, Cookie, Header, Status};
use serde_json::json;

use crate::helpers::{TestApp, TestEnv, User, GOODNIGHT_MOON, GRUFFALO, MATILDA};

pub(crate) const CSRF: &str = "0123456789abcdef0123456789abcdef";

pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    session: Option<String>,
}

pub(crate) struct Answer {
    pub status: Status,
    pub location: Option<String>,
    pub body: String,
    pub cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub(crate) fn of(app: &'a TestApp, user: Option<&User>) -> Self {
        Browser {
            app,
            session: user.map(|u| u.token.clone()),
        }
    }

    fn cookies(&self, extra: &[(String, String)]) -> Vec<Cookie<'static>> {
        let mut cookies = vec![Cookie::new("bb_csrf", CSRF)];
        if let Some(token) = &self.session {
            cookies.push(Cookie::new("bb_session", token.clone()));
        }
        cookies.extend(extra.iter().map(|(k, v)| Cookie::new(k.clone(), v.clone())));
        cookies
    }

    async fn answer(response: rocket::local::asynchronous::LocalResponse<'_>) -> Answer {
        let status = response.status();
        let location = response.headers().get_one("Location").map(str::to_owned);
        let cookies = response
            .cookies()
            .iter()
            .map(|c| (c.name().to_owned(), c.value().to_owned()))
            .collect();
        let body = response.into_string().await.unwrap_or_default();
        assert!(status.code < 500, "{status}: {body}");
        Answer {
            status,
            location,
            body,
            cookies,
        }
    }

    pub(crate) async fn get(
        &self,
        path: &str,
        extra: &[(String, String)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self
            .app
            .client
            .get(path.to_owned())
            .cookies(self.cookies(extra));
        for (k, v) in headers {
            request = request.header(Header::new(k.to_string(), v.to_string()));
        }
        Self::answer(request.dispatch().await).await
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_with(path, fields, &[]).await
    }

    /// A form post with extra cookies (a language, say).
    pub(crate) async fn post_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(String, String)],
    ) -> Answer {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        let request = self
            .app
            .client
            .post(path.to_owned())
            .header(ContentType::Form)
            .cookies(self.cookies(extra))
            .body(body.join("&"));
        Self::answer(request.dispatch().await).await
    }
}

impl Browser<'_> {
    /// A file upload (`multipart/form-data`) with the CSRF field, as the upload form sends it.
    pub(crate) async fn upload(
        &self,
        path: &str,
        file_name: &str,
        bytes: &[u8],
        extra: &[(String, String)],
    ) -> Answer {
        self.multipart(path, &[], ("file", file_name, bytes), extra)
            .await
    }

    /// A `multipart/form-data` post: the CSRF field, `fields`, and one file field.
    pub(crate) async fn multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        (field, file_name, bytes): (&str, &str, &[u8]),
        extra: &[(String, String)],
    ) -> Answer {
        let boundary = "----bookbridge-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{CSRF}\r\n"
            )
            .as_bytes(),
        );
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let kind = ContentType::new("multipart", "form-data").with_params(("boundary", boundary));
        let request = self
            .app
            .client
            .post(path.to_owned())
            .header(kind)
            .cookies(self.cookies(extra))
            .body(body);
        Self::answer(request.dispatch().await).await
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) async fn setup() -> (TestEnv, TestApp) {
    let env = TestEnv::new().await;
    let app = env.start_untracked().await;
    app.add_books(&[
        (
            GOODNIGHT_MOON,
            "Goodnight Moon",
            "Margaret Wise Brown",
            "eng",
        ),
        ("9787020031566", "小王子", "圣埃克苏佩里", "zh"),
    ])
    .await;
    (env, app)
}

#[rocket::async_test]
async fn the_home_page_searches_in_the_readers_language() {
    let (_env, app) = setup().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, "9787020031566", 4).await;
    app.settle_index().await;
    let anonymous = Browser::of(&app, None);

    let zh = anonymous
        .get(
            "/?q=%E7%8E%8B%E5%AD%90",
            &[],
            &[("Accept-Language", "zh-CN,zh;q=0.9")],
        )
        .await;
    assert_eq!(zh.status, Status::Ok);
    assert!(zh.body.contains("把书送到乡村学校"), "Chinese page");
    assert!(
        zh.body.contains("小王子") && zh.body.contains("需要的学校"),
        "the hit and its need"
    );

    let en = anonymous
        .get(
            "/?q=goodnight",
            &[("bb_lang".into(), "en".into())],
            &[("Accept-Language", "zh-CN")],
        )
        .await;
    assert!(en.body.contains("Books for rural schools") && en.body.contains("Goodnight Moon"));
    assert!(en.body.contains("No school needs this book right now"));

    // The switches set cookies and come back to the page; only local paths are followed.
    let easy = anonymous.get("/prefs?easy=1&back=/?q=moon", &[], &[]).await;
    assert_eq!(easy.location.as_deref(), Some("/?q=moon"));
    assert!(easy.cookies.iter().any(|(k, v)| k == "bb_easy" && v == "1"));
    let big = anonymous
        .get("/", &[("bb_easy".into(), "1".into())], &[])
        .await;
    assert!(big.body.contains("class=\"easy\""));
    let away = anonymous
        .get("/prefs?lang=zh&back=//evil.example", &[], &[])
        .await;
    assert_eq!(away.location.as_deref(), Some("/"));
}

#[rocket::async_test]
async fn signing_in_shows_a_clear_message_when_wrong_and_sets_a_session_when_right() {
    let (_env, app) = setup().await;
    let donor = app.user("donor").await;
    let (_, me) = app.get("/api/v1/me", Some(&donor.token)).await;
    let email = me["email"].as_str().unwrap();
    let browser = Browser::of(&app, None);

    let wrong = browser
        .post(
            "/signin",
            &[
                ("csrf", CSRF),
                ("email", email),
                ("password", "not my password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, Status::Unauthorized);
    assert!(wrong.body.contains("The email or password is wrong."));

    let right = browser
        .post(
            "/signin",
            &[
                ("csrf", CSRF),
                ("email", email),
                ("password", "long password"),
            ],
        )
        .await;
    assert_eq!(right.status, Status::SeeOther);
    assert_eq!(right.location.as_deref(), Some("/my/pledges"));
    assert!(right.cookies.iter().any(|(k, _)| k == "bb_session"));

    let forged = browser
        .post(
            "/signin",
            &[
                ("csrf", "forged"),
                ("email", email),
                ("password", "long password"),
            ],
        )
        .await;
    assert_eq!(forged.status, Status::Forbidden);
}

#[rocket::async_test]
async fn registering_in_the_page_creates_the_account() {
    let (_env, app) = setup().await;
    let browser = Browser::of(&app, None);
    let made = browser
        .post(
            "/register",
            &[
                ("csrf", CSRF),
                ("role", "school"),
                ("name", "Teacher Wang"),
                ("email", "wang@example.org"),
                ("password", "chalk and slate"),
            ],
        )
        .await;
    assert_eq!(made.location.as_deref(), Some("/my/school"));
    let (status, _) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "wang@example.org", "password": "chalk and slate"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let short = browser
        .post(
            "/register",
            &[
                ("csrf", CSRF),
                ("role", "donor"),
                ("name", "X"),
                ("email", "x@example.org"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, Status::UnprocessableEntity);
    assert!(short.body.contains("password"));
}

#[rocket::async_test]
async fn the_whole_loop_in_pages_donor_volunteer_school() {
    let (_env, app) = setup().await;
    let (owner, school) = app.school(30).await;
    let item = app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    app.settle_index().await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;

    // The donor finds the book and pledges from the result.
    let donor_browser = Browser::of(&app, Some(&donor));
    let found = donor_browser
        .get("/?q=goodnight&needed=true", &[], &[])
        .await;
    assert!(
        found.body.contains("action=\"/pledge\""),
        "a pledge form on the result"
    );
    let pledged = donor_browser
        .post(
            "/pledge",
            &[("csrf", CSRF), ("isbn", GOODNIGHT_MOON), ("quantity", "2")],
        )
        .await;
    let (_, list) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    let landed = format!("/my/pledges/{}", list["pledges"][0]["id"]);
    assert_eq!(pledged.location.as_deref(), Some(landed.as_str()));
    let next = donor_browser.get(&landed, &[], &[]).await;
    assert!(next.body.contains("What happens next"), "{}", next.body);
    assert!(next.body.contains("1 School Road"), "where to post it");
    assert!(next.body.contains("Please post") || next.body.contains("by <strong>"));
    let mine = donor_browser.get("/my/pledges", &[], &[]).await;
    assert!(mine.body.contains("1 School Road"), "where to send it");
    let (_, list) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    let pledge = list["pledges"][0]["id"].as_i64().unwrap();

    // A forged form changes nothing.
    let forged = Browser::of(&app, Some(&volunteer))
        .post(
            &format!("/volunteer/pledges/{pledge}/shipped"),
            &[("csrf", "nope")],
        )
        .await;
    // Refused by the form guard before the handler runs, and explained.
    assert_eq!(forged.status, Status::Forbidden);
    assert!(forged.body.contains("The form expired"), "{}", forged.body);
    assert_eq!(
        app.get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
            .await
            .1["status"],
        "pledged"
    );

    // The volunteer scans the ISBN and ships it.
    let volunteer_browser = Browser::of(&app, Some(&volunteer));
    let queue = volunteer_browser
        .get("/volunteer?isbn=0-06-077585-8", &[], &[])
        .await;
    assert!(queue.body.contains(&format!("data-id=\"{pledge}\"")));
    let shipped = volunteer_browser
        .post(
            &format!("/volunteer/pledges/{pledge}/shipped"),
            &[
                ("csrf", CSRF),
                ("carrier", "China Post"),
                ("tracking_number", "EMS1"),
            ],
        )
        .await;
    assert_eq!(shipped.location.as_deref(), Some("/volunteer"));
    let bad_scan = volunteer_browser
        .get("/volunteer?isbn=12345", &[], &[])
        .await;
    assert_eq!(bad_scan.location.as_deref(), Some("/volunteer"));

    // The school confirms delivery.
    let school_browser = Browser::of(&app, Some(&owner));
    let page = school_browser.get("/my/school", &[], &[]).await;
    assert!(page.body.contains("EMS1"));
    let confirmed = school_browser
        .post(
            &format!("/my/school/pledges/{pledge}/delivered"),
            &[("csrf", CSRF)],
        )
        .await;
    assert_eq!(confirmed.location.as_deref(), Some("/my/school"));
    assert_eq!(app.item(school, item).await["delivered"], 2);

    // The donor sees it arrived.
    let mine = donor_browser.get("/my/pledges", &[], &[]).await;
    assert!(mine.body.contains("Delivered"));
}

#[rocket::async_test]
async fn a_bad_isbn_on_the_school_page_is_explained() {
    let (_env, app) = setup().await;
    let (owner, _) = app.school(30).await;
    let browser = Browser::of(&app, Some(&owner));
    let refused = browser
        .post(
            "/my/school/wishlist",
            &[("csrf", CSRF), ("isbn", "9780060775859"), ("quantity", "2")],
        )
        .await;
    assert_eq!(refused.location.as_deref(), Some("/my/school"));
    let flash: Vec<(String, String)> = refused
        .cookies
        .into_iter()
        .filter(|(k, _)| k == "_flash")
        .collect();
    assert!(!flash.is_empty(), "a message travels with the redirect");
    let shown = browser.get("/my/school", &flash, &[]).await;
    // A wrong last digit is named as such: the teacher checks one digit, not the whole code.
    assert!(
        shown
            .body
            .contains("last digit of this ISBN does not match"),
        "{}",
        shown.body.len()
    );
}

#[rocket::async_test]
async fn the_share_page_has_a_qr_code_and_no_address() {
    let app =
        crate::helpers::spawn_app_with(|f| f.merge(("public_url", "https://books.example.org/")))
            .await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let page = Browser::of(&app, None)
        .get(
            &format!("/schools/{school}"),
            &[],
            &[("Host", "evil.example")],
        )
        .await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("<svg"));
    assert!(
        page.body
            .contains(&format!("https://books.example.org/schools/{school}")),
        "the link comes from public_url"
    );
    assert!(
        !page.body.contains("evil.example"),
        "never from the Host header"
    );
    assert!(
        !page.body.contains("1 School Road"),
        "never the postal address"
    );
    assert_eq!(
        Browser::of(&app, None)
            .get("/schools/999", &[], &[])
            .await
            .status,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn easy_mode_shows_one_task_a_page() {
    let (_env, app) = setup().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    let browser = Browser::of(&app, Some(&owner));
    let easy = [("bb_easy".to_owned(), "1".to_owned())];
    let forms = |body: &str| {
        [
            "action=\"/my/school/wishlist\"",
            "action=\"/my/school/wishlist/upload\"",
        ]
        .map(|form| body.contains(form))
    };

    // The normal page has every task on it.
    let full = browser.get("/my/school", &[], &[]).await;
    assert_eq!(forms(&full.body), [true, true]);
    assert!(full.body.contains("tr class=\"item\""));

    // Easy mode starts with a menu of big buttons and no forms.
    let menu = browser.get("/my/school", &easy, &[]).await;
    assert_eq!(forms(&menu.body), [false, false]);
    assert!(menu.body.contains("href=\"/my/school?task=add_book\""));
    assert!(menu.body.contains("Wish list (1)"), "counts on the buttons");

    // Each task is a page of its own, with a way back.
    let add = browser.get("/my/school?task=add_book", &easy, &[]).await;
    assert_eq!(forms(&add.body), [true, false]);
    assert!(!add.body.contains("tr class=\"item\""));
    assert!(add.body.contains("href=\"/my/school\""));
    let list = browser.get("/my/school?task=wishlist", &easy, &[]).await;
    assert_eq!(forms(&list.body), [false, false]);
    assert!(list.body.contains("Goodnight Moon"));

    // An unknown task falls back to the menu rather than an empty page.
    let unknown = browser.get("/my/school?task=nonsense", &easy, &[]).await;
    assert!(unknown.body.contains("href=\"/my/school?task=wishlist\""));
}

#[rocket::async_test]
async fn the_docs_page_lists_every_operation_of_the_served_document() {
    let (_env, app) = setup().await;
    let answer = app.client.get("/api/v1/openapi.json").dispatch().await;
    assert_eq!(answer.status(), Status::Ok);
    let doc: serde_json::Value = answer.into_json().await.expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let base = doc["servers"][0]["url"].as_str().unwrap();
    assert_eq!(base, "/api/v1");

    let page = Browser::of(&app, None).get("/docs", &[], &[]).await;
    assert_eq!(page.status, Status::Ok);
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "patch", "delete"] {
            if item.get(method).is_some() {
                operations += 1;
                let heading = format!("{} {base}{path}", method.to_uppercase());
                assert!(page.body.contains(&heading), "/docs lacks {heading}");
            }
        }
    }
    assert!(operations >= 25, "{operations} operations");
    assert!(page.body.contains("id=\"schema-PledgeView\""));
    assert!(
        !page.body.contains("<script") && !page.body.contains("src=\"http"),
        "no JavaScript and nothing from elsewhere: it works offline"
    );
}

#[rocket::async_test]
async fn search_results_show_a_cover_when_the_catalogue_knows_one() {
    let (_env, app) = setup().await;
    let cover = "https://covers.openlibrary.org/b/isbn/9780060775858-M.jpg";
    let volunteer = app.user("volunteer").await;
    let (status, _) = app
        .patch(
            &format!("/api/v1/books/{GOODNIGHT_MOON}"),
            Some(&volunteer.token),
            json!({ "cover_url": cover }),
        )
        .await;
    assert_eq!(status, Status::Ok);
    app.settle_index().await;

    let page = Browser::of(&app, None).get("/?q=moon", &[], &[]).await;
    assert!(page.body.contains(&format!("src=\"{cover}\"")), "the cover");
    assert!(
        page.body.contains("loading=\"lazy\""),
        "loaded only when seen"
    );
    let other = Browser::of(&app, None)
        .get("/?q=%E5%B0%8F%E7%8E%8B%E5%AD%90", &[], &[])
        .await;
    assert!(other.body.contains("小王子"));
    assert!(!other.body.contains("<img"), "no cover, no image");
}

#[rocket::async_test]
async fn signing_in_or_registering_from_a_search_comes_back_to_it() {
    let (_env, app) = setup().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    app.settle_index().await;
    let visitor = Browser::of(&app, None);

    // The search page's sign-in link carries the search along.
    let search = visitor.get("/?q=goodnight+moon", &[], &[]).await;
    let link = "/signin?next=";
    let start = search.body.find(link).expect("a sign-in link") + link.len();
    let encoded = &search.body[start..start + search.body[start..].find('"').unwrap()];
    let signin = visitor
        .get(&format!("/signin?next={encoded}"), &[], &[])
        .await;
    assert!(
        signin
            .body
            .contains(r#"name="next" value="/?q=goodnight+moon""#),
        "the form keeps where to go back to"
    );
    assert!(signin.body.contains(&format!("/register?next={encoded}")));

    // Signing in goes back to the search; registering too.
    let (status, _) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "donor", "name": "Back", "email": "backtosearch@example.org", "password": "long password"}),
        )
        .await;
    assert_eq!(status, Status::Created);
    let signed_in = visitor
        .post(
            "/signin",
            &[
                ("csrf", CSRF),
                ("email", "backtosearch@example.org"),
                ("password", "long password"),
                ("next", "/?q=goodnight+moon"),
            ],
        )
        .await;
    assert_eq!(signed_in.location.as_deref(), Some("/?q=goodnight+moon"));
    let registered = visitor
        .post(
            "/register",
            &[
                ("csrf", CSRF),
                ("role", "donor"),
                ("name", "New Donor"),
                ("email", "newdonor@example.org"),
                ("password", "long password"),
                ("next", "/?q=goodnight+moon"),
            ],
        )
        .await;
    assert_eq!(registered.location.as_deref(), Some("/?q=goodnight+moon"));

    // Never to another site, and never a 500 for a path that is not one.
    let elsewhere = visitor
        .post(
            "/signin",
            &[
                ("csrf", CSRF),
                ("email", "backtosearch@example.org"),
                ("password", "long password"),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    // Another site's address is no address: on to the account's own page.
    assert_eq!(elsewhere.location.as_deref(), Some("/my/pledges"));
    let odd = visitor.get("/prefs?lang=zh&back=/a%20b", &[], &[]).await;
    assert_eq!(odd.location.as_deref(), Some("/"));
    let kept = visitor
        .get(
            "/prefs?lang=zh&back=%2F%3Fq%3Dmoon%26needed%3Dtrue",
            &[],
            &[],
        )
        .await;
    assert_eq!(kept.location.as_deref(), Some("/?q=moon&needed=true"));
}

#[rocket::async_test]
async fn the_volunteer_queue_reads_in_a_fixed_number_of_queries_however_long() {
    // Every request reads its session (none kept between them), so both counts hold the same
    // reads whatever the time between them.
    let app = crate::helpers::spawn_app_with(|f| f.merge(("signed_in_seconds", 0))).await;
    let books = [GOODNIGHT_MOON, GRUFFALO, MATILDA, "9780241003008"];
    app.add_books(&[
        (books[0], "Goodnight Moon", "Margaret Wise Brown", "en"),
        (books[1], "The Gruffalo", "Julia Donaldson", "en"),
        (books[2], "Matilda", "Roald Dahl", "en"),
        (books[3], "The Very Hungry Caterpillar", "Eric Carle", "en"),
    ])
    .await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let mut schools = Vec::new();
    for _ in 0..5 {
        let (owner, school) = app.school(100).await;
        for isbn in books {
            app.wish(&owner, school, isbn, 100).await;
        }
        schools.push(school);
    }
    // Pledges spread over every school and book, so the page needs many titles and addresses.
    let mut made = 0;
    let mut pledge_until = |target: usize| {
        let pairs: Vec<(i64, &str)> = (made..target)
            .map(|i| (schools[i % schools.len()], books[i % books.len()]))
            .collect();
        made = target;
        pairs
    };
    let browser = Browser::of(&app, Some(&volunteer));

    for (school, isbn) in pledge_until(10) {
        app.pledge(&donor, school, isbn, 1).await;
    }
    let (short, short_queries) =
        bookbridge::store::count_queries(browser.get("/volunteer", &[], &[])).await;
    assert_eq!(short.status, Status::Ok);
    assert_eq!(short.body.matches("class=\"card queued\"").count(), 10);

    for (school, isbn) in pledge_until(200) {
        app.pledge(&donor, school, isbn, 1).await;
    }
    let (long, long_queries) =
        bookbridge::store::count_queries(browser.get("/volunteer", &[], &[])).await;
    assert_eq!(long.status, Status::Ok);
    // A page holds 50; the rest are a "next" away.
    assert_eq!(long.body.matches("class=\"card queued\"").count(), 50);
    assert!(long.body.contains("rel=\"next\""));
    assert!(
        long.body.contains("The Very Hungry Caterpillar") && long.body.contains("1 School Road")
    );

    eprintln!("volunteer queue: {short_queries} queries with 10 pledges, {long_queries} with 200");
    assert!(short_queries > 0, "the counter saw the page's queries");
    assert_eq!(
        long_queries, short_queries,
        "200 pledges must not cost more queries than 10"
    );
    assert!(
        long_queries <= 10,
        "the queue page ran {long_queries} queries"
    );
}

#[rocket::async_test]
async fn the_mark_shipped_form_refuses_what_the_api_refuses_in_the_pages_language() {
    let (_env, app) = setup().await;
    let crate::helpers::OnePledge {
        donor,
        volunteer,
        pledge,
        ..
    } = app.one_pledge().await;
    let too_long = "C".repeat(101);

    // The API refuses the carrier, naming it.
    let (status, body) = app
        .post(
            &format!("/api/v1/pledges/{pledge}/status"),
            Some(&volunteer.token),
            json!({"status": "shipped", "carrier": too_long, "tracking_number": "EMS1"}),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "carrier");

    // The page refuses the same carrier, and a control character, and says why in Chinese.
    let browser = Browser::of(&app, Some(&volunteer));
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    for carrier in [too_long.as_str(), "China\u{7}Post"] {
        let refused = browser
            .post_with(
                &format!("/volunteer/pledges/{pledge}/shipped"),
                &[
                    ("csrf", CSRF),
                    ("carrier", carrier),
                    ("tracking_number", "EMS1"),
                ],
                &zh,
            )
            .await;
        assert_eq!(refused.location.as_deref(), Some("/volunteer"));
        let mut cookies: Vec<(String, String)> = refused
            .cookies
            .into_iter()
            .filter(|(k, _)| k == "_flash")
            .collect();
        cookies.extend(zh.iter().cloned());
        let shown = browser.get("/volunteer", &cookies, &[]).await;
        assert!(shown.body.contains("快递公司最多 100 个字"), "{carrier:?}");
    }
    let (_, stored) = app
        .get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
        .await;
    assert_eq!(stored["status"], "pledged", "nothing changed: {stored}");
    assert_eq!(stored["carrier"], serde_json::Value::Null);
}

#[rocket::async_test]
async fn every_answer_carries_the_security_headers_and_https_cookies_are_secure() {
    let app =
        crate::helpers::spawn_app_with(|f| f.merge(("public_url", "https://books.example.org")))
            .await;
    let page = app.client.get("/signin").dispatch().await;
    let csrf = page
        .cookies()
        .get("bb_csrf")
        .expect("a CSRF cookie")
        .clone();
    assert_eq!(csrf.secure(), Some(true));
    for path in ["/", "/signin", "/api/v1/health", "/no-such-page"] {
        let response = app.client.get(path).dispatch().await;
        let headers = response.headers();
        let csp = headers
            .get_one("Content-Security-Policy")
            .unwrap_or_default();
        assert!(
            csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(
            headers.get_one("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(headers.get_one("Referrer-Policy").is_some(), "{path}");
        assert!(
            headers.get_one("Strict-Transport-Security").is_some(),
            "{path}"
        );
    }

    // Over plain http (the default for `cargo run`), no HSTS.
    let plain = crate::helpers::spawn_app().await;
    let response = plain.client.get("/").dispatch().await;
    assert!(response
        .headers()
        .get_one("Strict-Transport-Security")
        .is_none());
}

#[rocket::async_test]
async fn signing_in_rotates_the_csrf_token() {
    let (_env, app) = setup().await;
    let donor = app.user("donor").await;
    let (_, me) = app.get("/api/v1/me", Some(&donor.token)).await;
    let email = me["email"].as_str().unwrap().to_owned();
    let signed_in = Browser::of(&app, None)
        .post(
            "/signin",
            &[
                ("csrf", CSRF),
                ("email", &email),
                ("password", "long password"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, Status::SeeOther);
    let fresh = signed_in
        .cookies
        .iter()
        .find(|(k, _)| k == "bb_csrf")
        .map(|(_, v)| v.clone())
        .expect("a new CSRF token with the session");
    assert_ne!(fresh, CSRF);
}

#[rocket::async_test]
async fn the_donors_page_shows_the_address_only_while_the_pledge_is_under_way() {
    let (_env, app) = setup().await;
    let crate::helpers::OnePledge {
        owner,
        donor,
        volunteer,
        pledge,
        ..
    } = app.one_pledge().await;
    let browser = Browser::of(&app, Some(&donor));
    assert!(browser
        .get("/my/pledges", &[], &[])
        .await
        .body
        .contains("1 School Road"));
    app.move_pledge(&volunteer, pledge, "shipped").await;
    assert!(browser
        .get("/my/pledges", &[], &[])
        .await
        .body
        .contains("1 School Road"));
    app.move_pledge(&owner, pledge, "delivered").await;
    let page = browser.get("/my/pledges", &[], &[]).await;
    assert!(
        page.body.contains(&format!("data-id=\"{pledge}\"")),
        "the pledge is still listed"
    );
    assert!(
        !page.body.contains("1 School Road"),
        "but no longer where it went"
    );
    // The volunteer's queue lists only pledges under way, each with its address.
    let queue = Browser::of(&app, Some(&volunteer))
        .get("/volunteer", &[], &[])
        .await;
    assert!(!queue.body.contains("1 School Road"));
}

#[rocket::async_test]
async fn the_share_page_says_whether_the_school_is_verified() {
    let (_env, app) = setup().await;
    let (_, verified) = app.school(30).await;
    let page = Browser::of(&app, None)
        .get(
            &format!("/schools/{verified}"),
            &[("bb_lang".into(), "en".into())],
            &[],
        )
        .await;
    assert!(page.body.contains("✓ Verified"));
    let (status, body) = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "school", "name": "T", "email": "t@new.example.org", "password": "long password"}),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    let (_, session) = app
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "t@new.example.org", "password": "long password"}),
        )
        .await;
    let token = session["token"].as_str().unwrap();
    let (_, school) = app
        .post(
            "/api/v1/schools",
            Some(token),
            json!({"name": "New", "province": "Gansu", "county": "Linxia", "address": "1 Road",
                   "contact_phone": "0930-1", "student_count": 20}),
        )
        .await;
    let page = Browser::of(&app, None)
        .get(
            &format!("/schools/{}", school["id"]),
            &[("bb_lang".into(), "zh".into())],
            &[],
        )
        .await;
    assert!(
        page.body.contains("尚未核实"),
        "not verified yet, in Chinese"
    );
}

#[rocket::async_test]
async fn a_pledge_from_a_schools_own_page_goes_to_that_school() {
    let (_env, app) = setup().await;
    // The matching rule would pick the small school (fewest copies per student)...
    let (big_owner, big) = app.school(1_000).await;
    let (small_owner, small) = app.school(10).await;
    app.wish(&big_owner, big, GOODNIGHT_MOON, 5).await;
    app.wish(&small_owner, small, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let browser = Browser::of(&app, Some(&donor));
    let page = browser.get(&format!("/schools/{big}"), &[], &[]).await;
    assert!(
        page.body
            .contains(&format!("name=\"school_id\" value=\"{big}\"")),
        "the big school's page offers a pledge to it"
    );
    // ...but a donor who came from the big school's page gives to the big school.
    let big_id = big.to_string();
    let pledged = browser
        .post(
            "/pledge",
            &[
                ("csrf", CSRF),
                ("isbn", GOODNIGHT_MOON),
                ("quantity", "2"),
                ("school_id", &big_id),
            ],
        )
        .await;
    let (_, list) = app.get("/api/v1/pledges", Some(&donor.token)).await;
    let pledges = list["pledges"].as_array().unwrap();
    // One pledge: the donor lands on its own page, which says what happens next.
    let landed = format!("/my/pledges/{}", pledges[0]["id"]);
    assert_eq!(pledged.location.as_deref(), Some(landed.as_str()));
    assert_eq!(pledges.len(), 1, "not split: {list}");
    assert_eq!(pledges[0]["school_id"], big);
    assert_eq!(pledges[0]["quantity"], 2);
    // Anonymous visitors are asked to sign in and come back.
    let anonymous = Browser::of(&app, None)
        .get(&format!("/schools/{big}"), &[], &[])
        .await;
    assert!(anonymous
        .body
        .contains(&format!("/signin?next=%2Fschools%2F{big}")));
}

#[rocket::async_test]
async fn the_scan_box_starts_empty_after_each_scan_and_shipping_needs_a_tracking_number() {
    let (_env, app) = setup().await;
    let (owner, school) = app.school(30).await;
    app.wish(&owner, school, GOODNIGHT_MOON, 3).await;
    app.wish(&owner, school, GRUFFALO, 3).await;
    let donor = app.user("donor").await;
    let volunteer = app.user("volunteer").await;
    let moon = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    let gruffalo = app.pledge(&donor, school, GRUFFALO, 1).await["id"]
        .as_i64()
        .unwrap();
    let browser = Browser::of(&app, Some(&volunteer));

    // Two scans in a row: each filters the queue, and the box is empty for the next.
    for (scan, shown, hidden) in [
        ("0-06-077585-8", moon, gruffalo),
        ("ISBN 978-0-333-71093-7", gruffalo, moon),
    ] {
        let page = browser
            .get(&format!("/volunteer?isbn={}", urlencode(scan)), &[], &[])
            .await;
        assert!(
            page.body.contains(&format!("data-id=\"{shown}\"")),
            "{scan}"
        );
        assert!(
            !page.body.contains(&format!("data-id=\"{hidden}\"")),
            "{scan}"
        );
        assert!(
            page.body.contains(
                "name=\"isbn\" inputmode=\"numeric\" autofocus autocomplete=\"off\" value=\"\""
            ),
            "{scan}"
        );
    }

    // No tracking number, no shipping; the pledge stays pledged.
    let refused = browser
        .post(
            &format!("/volunteer/pledges/{moon}/shipped"),
            &[("csrf", CSRF), ("carrier", "China Post")],
        )
        .await;
    assert_eq!(refused.location.as_deref(), Some("/volunteer"));
    let (_, stored) = app
        .get(&format!("/api/v1/pledges/{moon}"), Some(&donor.token))
        .await;
    assert_eq!(stored["status"], "pledged");

    // Lost and returned ask first: the buttons sit behind a question.
    app.move_pledge(&volunteer, moon, "shipped").await;
    let queue = browser.get("/volunteer", &[], &[]).await;
    assert!(queue
        .body
        .contains("<details class=\"confirm\"><summary>Lost in transit</summary>"));
}

#[rocket::async_test]
async fn pages_have_an_icon_and_a_description_in_their_language() {
    let (_env, app) = setup().await;
    let icon = app.client.get("/favicon.ico").dispatch().await;
    assert_eq!(icon.status(), Status::Ok);
    assert_eq!(icon.content_type(), Some(ContentType::SVG));
    let page = Browser::of(&app, None)
        .get("/", &[("bb_lang".into(), "zh".into())], &[])
        .await;
    assert!(page
        .body
        .contains("<meta name=\"description\" content=\"书桥"));
    assert!(page.body.contains("rel=\"icon\" href=\"/favicon.ico\""));
}

#[rocket::async_test]
async fn the_page_guards_send_strangers_to_sign_in_and_turn_back_stale_forms_in_the_pages_language()
{
    let app = crate::helpers::spawn_app().await;
    let (donor, pledge) = a_donor_with_a_pledge(&app).await;
    let cancel = format!("/my/pledges/{pledge}/cancel");
    let status_of = || async {
        app.get(&format!("/api/v1/pledges/{pledge}"), Some(&donor.token))
            .await
            .1["status"]
            .clone()
    };

    // Nobody signed in: sent to sign in, and back to the page that held the form after.
    let stranger = app
        .client
        .post(cancel.clone())
        .header(ContentType::Form)
        .header(Header::new(
            "Referer",
            format!("http://127.0.0.1:8000/my/pledges/{pledge}"),
        ))
        .cookies(vec![Cookie::new("bb_csrf", CSRF)])
        .body(format!("csrf={CSRF}"))
        .dispatch()
        .await;
    assert_eq!(stranger.status(), Status::SeeOther);
    assert_eq!(
        stranger.headers().get_one("Location"),
        Some(format!("/signin?next=%2Fmy%2Fpledges%2F{pledge}").as_str())
    );
    // A page asked for: back to that page.
    let page = Browser::of(&app, None)
        .get("/my/pledges?page=2", &[], &[])
        .await;
    assert_eq!(
        page.location.as_deref(),
        Some("/signin?next=%2Fmy%2Fpledges%3Fpage%3D2")
    );

    // Signed in, reading Chinese, with a token that is not this browser's: nothing happens,
    // and the page says so in Chinese with the way back.
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let stale = Browser::of(&app, Some(&donor))
        .post_with(&cancel, &[("csrf", "an old tab's token")], &zh)
        .await;
    assert_eq!(stale.status, Status::Forbidden);
    assert!(stale.body.contains("表单已过期"), "{}", stale.body);
    assert!(stale.body.contains("返回表单"), "{}", stale.body);
    assert_eq!(status_of().await, "pledged");
    // No token at all is the same.
    let none = Browser::of(&app, Some(&donor)).post(&cancel, &[]).await;
    assert_eq!(none.status, Status::Forbidden);
    assert_eq!(status_of().await, "pledged");
    // The right token: the handler runs.
    let done = Browser::of(&app, Some(&donor))
        .post(&cancel, &[("csrf", CSRF)])
        .await;
    assert_eq!(done.status, Status::SeeOther);
    assert_eq!(status_of().await, "cancelled");
}

/// A donor and one copy they pledged to a verified school that asked for five.
async fn a_donor_with_a_pledge(app: &TestApp) -> (User, i64) {
    let (teacher, school) = app.school(30).await;
    app.wish(&teacher, school, GOODNIGHT_MOON, 5).await;
    let donor = app.user("donor").await;
    let pledge = app.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
        .as_i64()
        .unwrap();
    (donor, pledge)
}

/// The `<details class="confirm">` blocks of a page: each question a button opens first.
fn asked_first(body: &str) -> Vec<&str> {
    body.split("<details class=\"confirm\">")
        .skip(1)
        .filter_map(|rest| rest.split("</details>").next())
        .collect()
}

#[rocket::async_test]
async fn cancelling_a_pledge_and_suspending_an_account_ask_first_wherever_they_appear() {
    let app = crate::helpers::spawn_app().await;
    let (donor, pledge) = a_donor_with_a_pledge(&app).await;
    let cancel = format!("action=\"/my/pledges/{pledge}/cancel\"");
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    for page in ["/my/pledges".to_owned(), format!("/my/pledges/{pledge}")] {
        let body = Browser::of(&app, Some(&donor))
            .get(&page, &zh, &[])
            .await
            .body;
        let questions = asked_first(&body);
        assert!(
            questions
                .iter()
                .any(|q| q.contains(&cancel) && q.contains("确定吗")),
            "{page}: cancel is asked first: {body}"
        );
        assert!(
            !body
                .replace(
                    &questions.iter().map(|q| q.to_string()).collect::<String>(),
                    ""
                )
                .contains(&cancel),
            "{page}: no cancel button outside the question"
        );
    }
    let admin = app.user("admin").await;
    let waiting = app
        .post(
            "/api/v1/accounts",
            None,
            json!({"role": "volunteer", "name": "New volunteer", "email": "new@example.org", "password": "long password"}),
        )
        .await
        .1["id"]
        .as_i64()
        .unwrap();
    let body = Browser::of(&app, Some(&admin))
        .get("/vetting", &zh, &[])
        .await
        .body;
    let suspend = format!("action=\"/vetting/accounts/{waiting}/suspend\"");
    let approve = format!("action=\"/vetting/accounts/{waiting}/approve\"");
    let questions = asked_first(&body);
    assert!(
        questions
            .iter()
            .any(|q| q.contains(&suspend) && q.contains("class=\"danger\"")),
        "suspend is asked first, in red: {body}"
    );
    assert!(
        !questions.iter().any(|q| q.contains(&approve)) && body.contains(&approve),
        "approving is one tap"
    );
}

#[rocket::async_test]
async fn the_school_form_takes_the_code_the_waiting_notice_asks_for_and_a_chinese_keyboards_phone()
{
    let app = crate::helpers::spawn_app().await;
    let teacher = app.newcomer("school", "wang@form.example.org").await;
    let browser = Browser::of(&app, Some(&teacher));
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let form = browser.get("/my/school", &zh, &[]).await.body;
    assert!(form.contains("name=\"school_code\""), "{form}");
    assert!(form.contains("学校标识码"), "labelled in Chinese");
    let saved = browser
        .post_with(
            "/my/school",
            &[
                ("csrf", CSRF),
                ("name", "白云村小学"),
                ("province", "Yunnan"),
                ("county", "澜沧县"),
                ("address", "白云村河边路 2 号"),
                ("contact_phone", "０８７９－５５５０１９９"),
                ("student_count", "80"),
                ("school_code", "５３０８２８０００１"),
            ],
            &zh,
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther);
    let (_, me) = app.get("/api/v1/me", Some(&teacher.token)).await;
    let school = me["school_id"].as_i64().expect("the school was registered");
    let (_, shown) = app
        .get(&format!("/api/v1/schools/{school}"), Some(&teacher.token))
        .await;
    assert_eq!(shown["contact_phone"], "0879-5550199", "{shown}");
    let admin = app.user("admin").await;
    let verify = |code: &'static str| {
        let path = format!("/api/v1/schools/{school}/verify");
        let token = admin.token.clone();
        let app = &app;
        async move {
            app.post(
                &path,
                Some(&token),
                json!({"school_code": code, "note": "on the county list"}),
            )
            .await
        }
    };
    // The coordinator's code box comes filled with the code the school gave.
    let vetting = Browser::of(&app, Some(&admin))
        .get("/vetting", &[], &[])
        .await
        .body;
    assert!(
        vetting.contains("value=\"5308280001\""),
        "the code box is filled in: {vetting}"
    );
    let (status, body) = verify("5308280001").await;
    assert_eq!(
        status,
        Status::Ok,
        "the code typed on the form is the one checked: {body}"
    );
}

#[rocket::async_test]
async fn a_refused_school_form_comes_back_as_typed_with_the_field_marked_in_chinese() {
    let app = crate::helpers::spawn_app().await;
    let teacher = app.newcomer("school", "typed@form.example.org").await;
    let browser = Browser::of(&app, Some(&teacher));
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let typed = [
        ("csrf", CSRF),
        ("name", "白云村小学"),
        ("province", "Yunnan"),
        ("county", "澜沧县"),
        ("address", "白云村河边路 2 号"),
        ("contact_phone", "０８７９－５５５０１９９ 转 8"),
        ("student_count", "８０"),
        ("school_code", "５３０８２８０００１"),
    ];
    let refused = browser.post_with("/my/school", &typed, &zh).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    let body = refused.body;
    for (name, value) in &typed[1..] {
        if *name == "province" {
            assert!(
                body.contains("value=\"Yunnan\" selected"),
                "the province stays chosen"
            );
            continue;
        }
        assert!(
            body.contains(&format!("value=\"{value}\"")),
            "{name} keeps {value}: {body}"
        );
    }
    let phone = body
        .split("id=\"contact_phone\"")
        .nth(1)
        .expect("the phone field");
    assert!(
        phone
            .split('>')
            .next()
            .unwrap()
            .contains("aria-invalid=\"true\""),
        "the phone is marked"
    );
    assert!(
        phone.contains("id=\"contact_phone-error\"") && phone.contains("联系电话只能包含数字"),
        "the message in Chinese sits under the phone: {phone}"
    );
    assert_eq!(
        body.matches("aria-invalid").count(),
        1,
        "only the phone is marked"
    );
    let (_, me) = app.get("/api/v1/me", Some(&teacher.token)).await;
    assert!(me["school_id"].is_null(), "nothing was saved: {me}");

    // Mended, the same form saves: full-width digits in the count and the code are digits.
    let mut mended = typed;
    mended[5] = ("contact_phone", "０８７９－５５５０１９９");
    let saved = browser.post_with("/my/school", &mended, &zh).await;
    assert_eq!(saved.status, Status::SeeOther);
    let (_, me) = app.get("/api/v1/me", Some(&teacher.token)).await;
    let school = me["school_id"].as_i64().expect("saved");
    let (_, shown) = app
        .get(&format!("/api/v1/schools/{school}"), Some(&teacher.token))
        .await;
    assert_eq!(shown["student_count"], 80, "{shown}");
}

#[rocket::async_test]
async fn each_kind_of_page_lets_in_only_its_kind_of_account_and_says_why_in_chinese() {
    let app = crate::helpers::spawn_app().await;
    let zh = [("bb_lang".to_owned(), "zh".to_owned())];
    let donor = app.user("donor").await;
    let (teacher, _) = app.school(20).await;
    let volunteer = app.user("volunteer").await;
    let admin = app.user("admin").await;
    let pages = [
        ("/my/school", &teacher),
        ("/my/school/wishes", &teacher),
        ("/volunteer", &volunteer),
        ("/vetting", &admin),
        ("/admin", &admin),
        ("/vetting/audit", &admin),
    ];
    for (path, owner) in pages {
        let refused = Browser::of(&app, Some(&donor)).get(path, &zh, &[]).await;
        assert_eq!(refused.status, Status::Forbidden, "{path}");
        assert!(
            refused.body.contains("这个页面属于其他类型的账号。"),
            "{path}: {}",
            refused.body
        );
        let stranger = Browser::of(&app, None).get(path, &zh, &[]).await;
        assert_eq!(
            stranger.location.as_deref(),
            Some(format!("/signin?next={}", path.replace('/', "%2F")).as_str()),
            "{path}"
        );
        let shown = Browser::of(&app, Some(owner)).get(path, &zh, &[]).await;
        assert_eq!(shown.status, Status::Ok, "{path}");
    }
    // A volunteer is not a coordinator: vetting is not theirs.
    let refused = Browser::of(&app, Some(&volunteer))
        .get("/vetting", &zh, &[])
        .await;
    assert_eq!(refused.status, Status::Forbidden);
}
