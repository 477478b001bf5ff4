//! The whole loop in a real browser: headless Chromium driven over WebDriver (fantoccini).
//! Needs Debian's `chromium` and `chromium-driver`; skipped without them on a developer
//! machine, a failure under `CI=true` (where `.ci/run` installs them). A failing run saves
//! a screenshot to `target/browser-failure.png`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bookbridge::app::Bookbridge;
use bookbridge::domain::accounts::Registration;
use bookbridge::domain::books::BookDetails;
use bookbridge::domain::isbn::Isbn;
use bookbridge::domain::quantity::Quantity;
use bookbridge::domain::role::Role;
use bookbridge::domain::schools::NewSchool;
use bookbridge::store::NewBook;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::{TestEnv, GOODNIGHT_MOON};

/// 小王子: a teacher adds it from search results.
pub(crate) const LITTLE_PRINCE: &str = "9787020031566";
/// 夏洛的网: a teacher's GBK book list asks for it.
pub(crate) const CHARLOTTE: &str = "9787532757848";

pub(crate) const PASSWORD: &str = "long password";

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    path.exists().then_some(path)
}

/// The chromedriver to use, or `None` (the test skips) on a developer machine without one;
/// under `CI=true` a missing chromedriver fails the test.
pub(crate) fn chromedriver_or_skip() -> Option<PathBuf> {
    let found = chromedriver();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but chromedriver is missing: .ci/run installs chromium and chromium-driver"
        );
        eprintln!("skipped: no chromedriver (apt install chromium chromium-driver)");
    }
    found
}

/// Ends a browser session; when the walk failed, first saves what the page showed as
/// `target/<screenshot>`.
pub(crate) async fn close_after(browser: &Client, outcome: &Result<(), String>, screenshot: &str) {
    if outcome.is_err() {
        if let Ok(png) = browser.screenshot().await {
            let path = format!("{}/target/{screenshot}", env!("CARGO_MANIFEST_DIR"));
            if std::fs::write(&path, png).is_ok() {
                eprintln!("screenshot saved to {path}");
            }
        }
    }
    if let Err(err) = browser.clone().close().await {
        eprintln!("closing the browser: {err}");
    }
}

pub(crate) fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

pub(crate) struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Err(err) = self.0.kill() {
            eprintln!("chromedriver was already gone: {err}");
        }
        let _exit = self.0.wait();
    }
}

/// Starts the real server on a port, with a school that needs Goodnight Moon.
pub(crate) async fn serve(env: &TestEnv) -> (u16, Bookbridge, i64) {
    let port = free_port();
    let figment = bookbridge::config::figment()
        .merge(("port", port))
        .merge(("database_url", env.database_url.clone()))
        .merge(("index_dir", env.index_dir().display().to_string()))
        .merge((
            "photo_dir",
            env.dir.path().join("photos").display().to_string(),
        ))
        .merge(("seed_demo", false))
        .merge(("log_level", "off"))
        .merge(("openlibrary_url", "http://127.0.0.1:9"));
    let rocket = bookbridge::rocket_from(figment)
        .ignite()
        .await
        .expect("ignite");
    let service = rocket.state::<Bookbridge>().expect("service").clone();
    tokio::spawn(rocket.launch());
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let store = service.store();
    let now = chrono::Utc::now();
    let moon = Isbn::parse(GOODNIGHT_MOON).unwrap();
    let book = |isbn: &Isbn, title: &str, authors: &str| {
        NewBook::with_details(
            isbn.clone(),
            BookDetails {
                title: Some(title.into()),
                authors: Some(authors.into()),
                ..BookDetails::default()
            },
        )
    };
    store
        .insert_books(
            &[
                book(&moon, "Goodnight Moon", "Margaret Wise Brown"),
                book(
                    &Isbn::parse(LITTLE_PRINCE).unwrap(),
                    "小王子",
                    "圣埃克苏佩里",
                ),
                book(&Isbn::parse(CHARLOTTE).unwrap(), "夏洛的网", "E·B·怀特"),
            ],
            now,
        )
        .await
        .unwrap();
    for (role, email) in [
        (Role::School, "teacher@example.org"),
        (Role::School, "other-teacher@example.org"),
        (Role::Donor, "donor@example.org"),
        (Role::Volunteer, "volunteer@example.org"),
    ] {
        let account = service
            .register(Registration::with_role(role, "Browser test", email, PASSWORD).unwrap())
            .await
            .unwrap();
        // The volunteer and the school have been vetted.
        service.approve_unchecked(account.id).await.unwrap();
    }
    let teacher = service
        .store()
        .credentials("teacher@example.org")
        .await
        .unwrap()
        .unwrap()
        .account;
    let school = NewSchool::new(
        "Baiyun Village Primary",
        "Yunnan",
        "Lancang",
        "2 River Road",
        "0879-555-0199",
        80,
    )
    .unwrap();
    let school = store.insert_school(teacher, &school, now).await.unwrap();
    service
        .verify_school_unchecked(school.id, "5300000001")
        .await
        .unwrap();
    store
        .add_wish(school.id, &moon, Quantity::new(3).unwrap(), None, now)
        .await
        .unwrap();
    // A second school, needing Goodnight Moon and less helped: matching would send the next
    // copy there, so a pledge from the first school's own page must say where it goes.
    let other_teacher = service
        .store()
        .credentials("other-teacher@example.org")
        .await
        .unwrap()
        .unwrap()
        .account;
    let other = NewSchool::new(
        "Hetao Primary",
        "Gansu",
        "Linxia",
        "9 Hill Road",
        "0930-555-0100",
        500,
    )
    .unwrap();
    let other = store
        .insert_school(other_teacher, &other, now)
        .await
        .unwrap();
    service
        .verify_school_unchecked(other.id, "6200000001")
        .await
        .unwrap();
    store
        .add_wish(other.id, &moon, Quantity::new(2).unwrap(), None, now)
        .await
        .unwrap();
    assert!(service
        .wait_for_index(Duration::from_secs(10))
        .await
        .unwrap());
    (port, service, school.id.get())
}

/// The browser, with every step retried until the page it expects has loaded: a click that
/// submits a form returns before the next page arrives, so reading at once could see the old
/// page or an element that navigation is about to replace.
pub(crate) struct Steps<'a> {
    pub(crate) browser: &'a Client,
    pub(crate) base: String,
}

/// How long a step waits for the page it expects.
const PATIENCE: Duration = Duration::from_secs(15);

impl Steps<'_> {
    pub(crate) async fn retry<T, F, Fut>(&self, what: &str, mut attempt: F) -> Result<T, String>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>, fantoccini::error::CmdError>>,
    {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let mut last = String::from("nothing yet");
        loop {
            match attempt().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(err) => last = err.to_string(),
            }
            if tokio::time::Instant::now() > deadline {
                let page = self.body().await.unwrap_or_default();
                return Err(format!("{what}: gave up ({last}); the page says: {page}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn body(&self) -> Result<String, fantoccini::error::CmdError> {
        self.browser.find(Locator::Css("body")).await?.text().await
    }

    pub(crate) async fn goto(&self, path: &str) -> Result<(), String> {
        self.browser
            .goto(&format!("{}{path}", self.base))
            .await
            .map_err(|e| format!("opening {path}: {e}"))
    }

    /// Types into the element `css` finds (a trailing `\n` presses Enter).
    pub(crate) async fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        self.retry(&format!("typing into {css}"), || async {
            self.browser
                .find(Locator::Css(css))
                .await?
                .send_keys(text)
                .await
                .map(Some)
        })
        .await
    }

    pub(crate) async fn click(&self, css: &str) -> Result<(), String> {
        self.retry(&format!("clicking {css}"), || async {
            self.browser
                .find(Locator::Css(css))
                .await?
                .click()
                .await
                .map(Some)
        })
        .await
    }

    /// Waits until the page shows `needle`; answers the whole page's text.
    pub(crate) async fn until_text(&self, needle: &str) -> Result<String, String> {
        self.retry(&format!("waiting for {needle:?}"), || async {
            let text = self.body().await?;
            Ok(text.contains(needle).then_some(text))
        })
        .await
    }

    /// The text of the element `css` finds, once there is one.
    pub(crate) async fn text_in(&self, css: &str) -> Result<String, String> {
        self.retry(&format!("reading {css}"), || async {
            self.browser
                .find(Locator::Css(css))
                .await?
                .text()
                .await
                .map(Some)
        })
        .await
    }

    /// Empties the input `css` finds.
    pub(crate) async fn clear(&self, css: &str) -> Result<(), String> {
        self.retry(&format!("clearing {css}"), || async {
            self.browser
                .find(Locator::Css(css))
                .await?
                .clear()
                .await
                .map(Some)
        })
        .await
    }

    /// The attribute `name` of every element `css` finds.
    pub(crate) async fn attributes(&self, css: &str, name: &str) -> Result<Vec<String>, String> {
        self.retry(&format!("reading {name} of {css}"), || async {
            let mut found = Vec::new();
            for element in self.browser.find_all(Locator::Css(css)).await? {
                found.push(element.attr(name).await?.unwrap_or_default());
            }
            Ok(Some(found))
        })
        .await
    }

    pub(crate) async fn sign_in(&self, email: &str, password: &str) -> Result<(), String> {
        self.goto("/signin").await?;
        self.type_into("#email", email).await?;
        self.type_into("#password", password).await?;
        self.click("main form button[type=submit]").await
    }

    pub(crate) async fn sign_out(&self) -> Result<(), String> {
        self.click("header form button").await?;
        self.text_in("header a[href='/signin']").await.map(drop)
    }
}

/// The loop a user does without reading docs. Returns a description of the first thing
/// that was not as expected.
async fn walk(browser: &Client, base: &str, school: i64, gbk_file: &str) -> Result<(), String> {
    let steps = Steps {
        browser,
        base: base.to_owned(),
    };

    // A wrong password gets a clear message.
    steps
        .sign_in("donor@example.org", "not the password")
        .await?;
    steps.until_text("The email or password is wrong.").await?;

    // The teacher, on a Chinese page, mistypes an ISBN's last digit and is told in Chinese.
    steps.sign_in("teacher@example.org", PASSWORD).await?;
    steps.text_in("a[href='/my/school']").await?;
    steps.goto("/my/school").await?;
    steps.click(".switches button[lang='zh']").await?;
    steps.until_text("我的学校").await?;
    steps
        .type_into("form[action='/my/school/wishlist'] #isbn", "9780060775859")
        .await?;
    steps
        .click("form[action='/my/school/wishlist'] button")
        .await?;
    steps.until_text("校验码对不上").await?;
    steps.click(".switches button[lang='en']").await?;
    steps.until_text("My school").await?;

    // … adds 小王子 from search results, then asks for 4 copies instead of 1.
    steps.goto("/").await?;
    steps.type_into("#q", "小王子\n").await?;
    let result = format!(".result[data-isbn='{LITTLE_PRINCE}']");
    steps
        .click(&format!("{result} .add-to-list button"))
        .await?;
    steps.until_text("Added to your book list.").await?;
    steps.goto("/my/school").await?;
    let quantity = format!(".edit-item[data-isbn='{LITTLE_PRINCE}'] input[name=quantity]");
    steps.clear(&quantity).await?;
    steps.type_into(&quantity, "4").await?;
    steps
        .click(&format!(
            ".edit-item[data-isbn='{LITTLE_PRINCE}'] button[type=submit]"
        ))
        .await?;
    steps.until_text("Done.").await?;
    let asked = steps
        .text_in(&format!(
            "tr.item[data-isbn='{LITTLE_PRINCE}'] td.requested"
        ))
        .await?;
    if asked != "4" {
        return Err(format!("the new quantity did not stick: {asked}"));
    }

    // … and uploads a book list saved by WPS in GBK.
    steps.type_into("input[type=file]", gbk_file).await?;
    steps
        .click("form[action='/my/school/wishlist/upload'] button")
        .await?;
    steps.until_text("Added to the list: 1 book.").await?;
    steps
        .text_in(&format!("tr.item[data-isbn='{CHARLOTTE}']"))
        .await?;
    steps.sign_out().await?;

    // The donor searches, pledges from the result, and lands on what happens next.
    steps.sign_in("donor@example.org", PASSWORD).await?;
    steps.text_in("a[href='/my/pledges']").await?;
    steps.goto("/").await?;
    steps.type_into("#q", "goodnight moon\n").await?;
    let result = format!(".result[data-isbn='{GOODNIGHT_MOON}']");
    let need = steps.text_in(&result).await?;
    if !need.contains("Needed by 2 schools, 5 copies") {
        return Err(format!("the result does not show the need: {need}"));
    }
    steps
        .click(&format!("{result} button[type=submit]"))
        .await?;
    let page = steps.until_text("Thank you").await?;
    if !(page.contains("What happens next") && page.contains("2 River Road")) {
        return Err(format!("the pledge page does not say what is next: {page}"));
    }

    // From the first school's shared page (its QR code), a second copy goes to that school,
    // although matching would now pick the other, less helped one.
    steps.goto(&format!("/schools/{school}")).await?;
    steps
        .click(&format!(
            ".pledge-here input[value='{GOODNIGHT_MOON}'] ~ .row button"
        ))
        .await?;
    steps.until_text("Thank you").await?;

    // And 小王子, which only the first school asked for.
    steps.goto("/").await?;
    steps.type_into("#q", "小王子\n").await?;
    steps
        .click(&format!(
            ".result[data-isbn='{LITTLE_PRINCE}'] button[type=submit]"
        ))
        .await?;
    steps.until_text("Thank you").await?;
    steps.sign_out().await?;

    // The volunteer scans two books in a row: each scan filters the queue to that book.
    steps.sign_in("volunteer@example.org", PASSWORD).await?;
    steps.text_in("a[href='/volunteer']").await?;
    steps.goto("/volunteer").await?;
    for isbn in [LITTLE_PRINCE, GOODNIGHT_MOON] {
        steps.type_into("#isbn", &format!("{isbn}\n")).await?;
        steps.until_text(&format!("Showing ISBN {isbn}")).await?;
        let shown = steps.attributes(".queued", "data-isbn").await?;
        if shown.is_empty() || shown.iter().any(|s| s != isbn) {
            return Err(format!("scanning {isbn} shows {shown:?}"));
        }
    }
    steps
        .type_into(".queued input[name=carrier]", "China Post")
        .await?;
    steps
        .type_into(".queued input[name=tracking_number]", "EMS42")
        .await?;
    steps.click(".queued button[type=submit]").await?;
    steps.until_text("EMS42").await?;
    steps.sign_out().await?;

    // The school confirms the delivery.
    steps.sign_in("teacher@example.org", PASSWORD).await?;
    steps.goto("/my/school").await?;
    steps.click(".arriving summary").await?;
    steps.click(".arriving button").await?;
    steps.until_text("Marked as arrived").await?;

    // The shareable page shows it: of three copies, one arrived, one is pledged, one needed.
    steps.goto(&format!("/schools/{school}")).await?;
    let row = format!("tr.item[data-isbn='{GOODNIGHT_MOON}']");
    let title = steps.text_in(&row).await?;
    let delivered = steps.text_in(&format!("{row} td.delivered")).await?;
    let outstanding = steps.text_in(&format!("{row} td.outstanding")).await?;
    if !title.contains("Goodnight Moon") || delivered != "1" || outstanding != "1" {
        return Err(format!(
            "the share page does not show the delivery: {title} (delivered {delivered}, outstanding {outstanding})"
        ));
    }
    Ok(())
}

/// Starts chromedriver and a headless Chromium session (a phone-sized window).
pub(crate) async fn open_browser(driver_path: PathBuf) -> (KillOnDrop, Client) {
    open_browser_with(driver_path, serde_json::json!({})).await
}

/// A session as a 360 x 740 phone: Chromium's phone emulation, so the page is laid out at
/// 360 CSS pixels (a desktop window cannot be made that narrow).
pub(crate) async fn open_phone(driver_path: PathBuf) -> (KillOnDrop, Client) {
    open_browser_with(
        driver_path,
        serde_json::json!({"mobileEmulation": {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2}}}),
    )
    .await
}

/// [`open_browser`], with more `goog:chromeOptions` (`extra`'s keys added to the usual ones).
async fn open_browser_with(driver_path: PathBuf, extra: serde_json::Value) -> (KillOnDrop, Client) {
    let driver_port = free_port();
    let _driver = KillOnDrop(
        Command::new(driver_path)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );

    let mut options = serde_json::json!({
        "binary": chromium(),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=360,900", "--lang=en-US"]
    });
    if let (Some(options), Some(extra)) = (options.as_object_mut(), extra.as_object()) {
        options.extend(extra.clone());
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let mut browser = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
        {
            Ok(client) => {
                browser = Some(client);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    (_driver, browser.expect("a WebDriver session with Chromium"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_donor_volunteer_and_school_do_the_whole_loop_in_chromium() {
    let Some(driver_path) = chromedriver_or_skip() else {
        return;
    };
    let (_driver, browser) = open_browser(driver_path).await;
    let env = TestEnv::new().await;
    let (port, service, school) = serve(&env).await;

    // A book list as WPS saves it on a Chinese Windows: GBK, with a Chinese note.
    let gbk_file = env.dir.path().join("书单.csv");
    let list = format!("isbn,数量,备注\r\n{CHARLOTTE},2,三年级\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&list);
    std::fs::write(&gbk_file, &gbk).expect("write the book list");
    let outcome = walk(
        &browser,
        &format!("http://127.0.0.1:{port}"),
        school,
        &gbk_file.display().to_string(),
    )
    .await;
    close_after(&browser, &outcome, "browser-failure.png").await;
    outcome.expect("the loop works in a real browser");

    // And the database agrees.
    let donor = service
        .store()
        .credentials("donor@example.org")
        .await
        .unwrap()
        .unwrap()
        .account;
    let pledges = service
        .store()
        .pledges(&bookbridge::store::PledgeFilter {
            donor: Some(donor),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(pledges.len(), 3, "{pledges:?}");
    assert!(
        pledges.iter().all(|p| p.school_id.get() == school),
        "every pledge went to the first school: {pledges:?}"
    );
    let delivered: Vec<_> = pledges
        .iter()
        .filter(|p| p.status.as_str() == "delivered")
        .collect();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].tracking_number.as_deref(), Some("EMS42"));
}
