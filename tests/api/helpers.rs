//! `spawn_app()` and small request helpers.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use bookbridge::app::{Bookbridge, Clock, ManualClock, SystemClock};
use bookbridge::domain::accounts::Registration;
use bookbridge::domain::books::BookDetails;
use bookbridge::domain::isbn::Isbn;
use bookbridge::domain::role::Role;
use bookbridge::store::NewBook;
use rocket::figment::Figment;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

/// A test's own database and index folder, which outlive any one start of the service.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub database_url: String,
}

impl TestEnv {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = database_url(dir.path()).await;
        TestEnv { dir, database_url }
    }

    pub fn index_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("index")
    }

    /// Starts the service on this environment.
    pub async fn start(&self) -> TestApp {
        self.start_with(|f| f).await
    }

    /// A client that keeps no cookies, for acting as several browser users.
    pub async fn start_untracked(&self) -> TestApp {
        let figment = bookbridge::config::figment()
            .merge(("database_url", self.database_url.clone()))
            .merge(("index_dir", self.index_dir().display().to_string()))
            .merge((
                "photo_dir",
                self.dir.path().join("photos").display().to_string(),
            ))
            .merge(("seed_demo", false))
            .merge(("log_level", "off"))
            .merge(("openlibrary_url", "http://127.0.0.1:9"));
        let client = Client::untracked(bookbridge::rocket_from(figment))
            .await
            .expect("the service starts");
        TestApp {
            client: Arc::new(client),
            _env: None,
        }
    }

    pub async fn start_with(&self, configure: impl FnOnce(Figment) -> Figment) -> TestApp {
        self.start_with_clock(Arc::new(SystemClock), configure)
            .await
    }

    /// Starts the service telling time by `clock` (a [`ManualClock`] the test moves).
    pub async fn start_with_clock(
        &self,
        clock: Arc<dyn Clock>,
        configure: impl FnOnce(Figment) -> Figment,
    ) -> TestApp {
        let figment = bookbridge::config::figment()
            .merge(("database_url", self.database_url.clone()))
            .merge(("index_dir", self.index_dir().display().to_string()))
            .merge((
                "photo_dir",
                self.dir.path().join("photos").display().to_string(),
            ))
            .merge(("seed_demo", false))
            .merge(("log_level", "off"))
            // Never the internet: a closed loopback port unless a test brings a mock.
            .merge(("openlibrary_url", "http://127.0.0.1:9"))
            .merge(("metadata_per_minute", 60_000))
            .merge(("metadata_backoff_ms", 10))
            .merge(("metadata_timeout_seconds", 2))
            // Tests register many accounts from one (unknown) address.
            .merge(("registrations_per_hour_per_address", 100_000));
        let rocket = bookbridge::rocket_with_clock(configure(figment), clock);
        let client = Client::tracked(rocket).await.expect("the service starts");
        TestApp {
            client: Arc::new(client),
            _env: None,
        }
    }
}

/// A running service on its own database.
pub struct TestApp {
    pub client: Arc<Client>,
    _env: Option<TestEnv>,
}

/// What [`TestApp::one_pledge`] sets up.
pub struct OnePledge {
    pub owner: User,
    pub donor: User,
    pub volunteer: User,
    pub pledge: i64,
}

/// A signed-in account.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub token: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Where the test's database lives: SQLite in `dir`, or a new database on the Postgres
/// server named by `TEST_DATABASE_URL`.
async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!(
                "bookbridge_test_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let admin = Database::connect(base.as_str())
                .await
                .expect("TEST_DATABASE_URL is set but Postgres does not answer");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await
                .expect("drop old test database");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (server, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL has a database name");
            format!("{server}/{name}")
        }
        _ => format!("sqlite://{}/test.db?mode=rwc", dir.display()),
    }
}

/// Like [`spawn_app_with`], on a clock that stands still until the test moves it.
pub async fn spawn_app_with_clock(
    configure: impl FnOnce(Figment) -> Figment,
) -> (TestApp, Arc<ManualClock>) {
    let env = TestEnv::new().await;
    let clock = Arc::new(ManualClock::starting_now());
    let mut app = env.start_with_clock(clock.clone(), configure).await;
    app._env = Some(env);
    (app, clock)
}

/// Builds the real service on a fresh database, without demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|f| f).await
}

/// Like [`spawn_app`], with extra configuration.
pub async fn spawn_app_with(configure: impl FnOnce(Figment) -> Figment) -> TestApp {
    let env = TestEnv::new().await;
    let mut app = env.start_with(configure).await;
    app._env = Some(env);
    app
}

impl TestApp {
    /// Puts a picture as the body (a photo upload), as `user`.
    pub async fn put_photo(&self, user: &User, path: &str, bytes: Vec<u8>) -> (Status, Value) {
        let response = self
            .client
            .put(path.to_owned())
            .header(Header::new(
                "Authorization",
                format!("Bearer {}", user.token),
            ))
            .header(ContentType::JPEG)
            .body(bytes)
            .dispatch()
            .await;
        let status = response.status();
        let text = response.into_string().await.unwrap_or_default();
        assert!(status.code < 500, "{path}: {status} {text}");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A download's status and bytes, as `user` (or nobody).
    pub async fn get_bytes(&self, path: &str, user: Option<&User>) -> (Status, Vec<u8>) {
        let mut request = self.client.get(path.to_owned());
        if let Some(user) = user {
            request = request.header(Header::new(
                "Authorization",
                format!("Bearer {}", user.token),
            ));
        }
        let response = request.dispatch().await;
        let status = response.status();
        (status, response.into_bytes().await.unwrap_or_default())
    }

    /// How many photos the database keeps.
    pub async fn photos_kept(&self) -> u64 {
        self.service().store().photo_count().await.unwrap()
    }

    pub fn service(&self) -> &Bookbridge {
        self.client
            .rocket()
            .state::<Bookbridge>()
            .expect("service is managed")
    }

    pub async fn request(
        &self,
        method: rocket::http::Method,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (Status, Value) {
        let mut request = self.client.req(method, path.to_owned());
        if let Some(token) = token {
            request = request.header(Header::new("Authorization", format!("Bearer {token}")));
        }
        if let Some(body) = body {
            request = request.header(ContentType::JSON).body(body);
        }
        let response = request.dispatch().await;
        let status = response.status();
        let text = response.into_string().await.unwrap_or_default();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{path} answered non-JSON: {text}"))
        };
        assert!(status.code < 500, "{path} answered {status}: {value}");
        (status, value)
    }

    /// Posts a file as the body.
    pub async fn post_file(
        &self,
        path: &str,
        token: Option<&str>,
        bytes: &[u8],
        content_type: ContentType,
    ) -> (Status, Value) {
        let mut request = self
            .client
            .post(path.to_owned())
            .header(content_type)
            .body(bytes);
        if let Some(token) = token {
            request = request.header(Header::new("Authorization", format!("Bearer {token}")));
        }
        let response = request.dispatch().await;
        let status = response.status();
        let text = response.into_string().await.unwrap_or_default();
        assert!(status.code < 500, "{path} answered {status}: {text}");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A download: status, content type and text.
    pub async fn get_text(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> (Status, Option<String>, String) {
        let mut request = self.client.get(path.to_owned());
        if let Some(token) = token {
            request = request.header(Header::new("Authorization", format!("Bearer {token}")));
        }
        let response = request.dispatch().await;
        let status = response.status();
        let content_type = response.content_type().map(|c| c.to_string());
        (
            status,
            content_type,
            response.into_string().await.unwrap_or_default(),
        )
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (Status, Value) {
        self.request(rocket::http::Method::Get, path, token, None)
            .await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (Status, Value) {
        self.request(
            rocket::http::Method::Post,
            path,
            token,
            Some(body.to_string()),
        )
        .await
    }

    pub async fn post_raw(&self, path: &str, token: Option<&str>, body: &str) -> (Status, Value) {
        self.request(
            rocket::http::Method::Post,
            path,
            token,
            Some(body.to_owned()),
        )
        .await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> (Status, Value) {
        self.request(
            rocket::http::Method::Patch,
            path,
            token,
            Some(body.to_string()),
        )
        .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> (Status, Value) {
        self.request(rocket::http::Method::Delete, path, token, None)
            .await
    }

    /// Adds catalogue records: (ISBN, title, authors, language).
    pub async fn add_books(&self, books: &[(&str, &str, &str, &str)]) {
        let records: Vec<NewBook> = books
            .iter()
            .map(|(isbn, title, authors, language)| {
                NewBook::with_details(
                    Isbn::parse(isbn).unwrap(),
                    BookDetails {
                        title: Some((*title).to_owned()),
                        authors: Some((*authors).to_owned()),
                        language: Some((*language).to_owned()),
                        ..BookDetails::default()
                    },
                )
            })
            .collect();
        self.service()
            .store()
            .insert_books(&records, chrono::Utc::now())
            .await
            .unwrap();
    }

    /// Waits until the search index reflects every change so far.
    pub async fn settle_index(&self) {
        let caught_up = self
            .service()
            .wait_for_index(std::time::Duration::from_secs(10))
            .await
            .unwrap();
        assert!(caught_up, "the index did not catch up with the change log");
    }

    /// Runs a search and returns the body.
    pub async fn search(&self, query: &str) -> Value {
        let (status, body) = self.get(&format!("/api/v1/search?{query}"), None).await;
        assert_eq!(status, Status::Ok, "{query}: {body}");
        body
    }

    /// Registers and signs in an account of `role` (`admin` goes through the service, as
    /// `bookbridge create-admin` does).
    pub async fn user(&self, role: &str) -> User {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let email = format!("{role}{n}@example.org");
        let id = if role == "admin" {
            let registration =
                Registration::with_role(Role::Admin, "Admin", &email, "long password").unwrap();
            self.service()
                .register(registration)
                .await
                .unwrap()
                .id
                .get()
        } else {
            let (status, body) = self
                .post(
                    "/api/v1/accounts",
                    None,
                    json!({"role": role, "name": format!("{role} {n}"), "email": email, "password": "long password"}),
                )
                .await;
            assert_eq!(status, Status::Created, "{body}");
            body["id"].as_i64().unwrap()
        };
        if role == "volunteer" || role == "school" {
            // Vetted at once: most tests are about what vetted people do (see vetting.rs for
            // what a pending account may not).
            self.service()
                .approve_unchecked(bookbridge::domain::ids::AccountId(id))
                .await
                .unwrap();
        }
        let (status, body) = self
            .post(
                "/api/v1/sessions",
                None,
                json!({"email": email, "password": "long password"}),
            )
            .await;
        assert_eq!(status, Status::Created, "{body}");
        User {
            id,
            token: body["token"].as_str().unwrap().to_owned(),
        }
    }

    /// Registers `email` as a newcomer of `role` (password "long password") and signs in, as
    /// a person who just signed up: a school or volunteer account is still pending.
    pub async fn newcomer(&self, role: &str, email: &str) -> User {
        let (status, body) = self
            .post(
                "/api/v1/accounts",
                None,
                json!({"role": role, "name": "New person", "email": email, "password": "long password"}),
            )
            .await;
        assert_eq!(status, Status::Created, "{body}");
        let (status, session) = self
            .post(
                "/api/v1/sessions",
                None,
                json!({"email": email, "password": "long password"}),
            )
            .await;
        assert_eq!(status, Status::Created, "a newcomer may sign in: {session}");
        User {
            id: body["id"].as_i64().unwrap(),
            token: session["token"].as_str().unwrap().to_owned(),
        }
    }

    /// A school account with its school registered; returns the account and the school id.
    pub async fn school(&self, students: i64) -> (User, i64) {
        let owner = self.user("school").await;
        let (status, body) = self
            .post(
                "/api/v1/schools",
                Some(&owner.token),
                json!({
                    "name": "Hope Primary", "province": "Yunnan", "county": "Lancang",
                    "address": "1 School Road", "contact_phone": "0879-555-0101",
                    "student_count": students
                }),
            )
            .await;
        assert_eq!(status, Status::Created, "{body}");
        let school = body["id"].as_i64().unwrap();
        self.service()
            .verify_school_unchecked(bookbridge::domain::ids::SchoolId(school), "2153000123")
            .await
            .unwrap();
        (owner, school)
    }

    /// A school asking for 3 Goodnight Moons, a donor who pledged one, and an approved
    /// volunteer: the usual start of a shipping story.
    pub async fn one_pledge(&self) -> OnePledge {
        let (owner, school) = self.school(30).await;
        self.wish(&owner, school, GOODNIGHT_MOON, 3).await;
        let donor = self.user("donor").await;
        let volunteer = self.user("volunteer").await;
        let pledge = self.pledge(&donor, school, GOODNIGHT_MOON, 1).await["id"]
            .as_i64()
            .unwrap();
        OnePledge {
            owner,
            donor,
            volunteer,
            pledge,
        }
    }

    /// Adds a wish-list item and returns its id.
    pub async fn wish(&self, owner: &User, school: i64, isbn: &str, quantity: i64) -> i64 {
        let (status, body) = self
            .post(
                &format!("/api/v1/schools/{school}/wishlist"),
                Some(&owner.token),
                json!({"isbn": isbn, "quantity": quantity}),
            )
            .await;
        assert_eq!(status, Status::Created, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// A donor's pledge to a named school; returns the one pledge.
    pub async fn pledge(&self, donor: &User, school: i64, isbn: &str, quantity: i64) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/pledges",
                Some(&donor.token),
                json!({"isbn": isbn, "quantity": quantity, "school_id": school}),
            )
            .await;
        assert_eq!(status, Status::Created, "{body}");
        body["pledges"][0].clone()
    }

    /// Moves a pledge; returns the status and body.
    pub async fn move_pledge(&self, user: &User, pledge: i64, to: &str) -> (Status, Value) {
        self.post(
            &format!("/api/v1/pledges/{pledge}/status"),
            Some(&user.token),
            json!({"status": to}),
        )
        .await
    }

    /// Asserts that every school's `committed_copies` still equals the sum of its items'.
    pub async fn assert_no_drift(&self) {
        let drift = self
            .service()
            .store()
            .committed_copies_drift()
            .await
            .unwrap();
        assert!(
            drift.is_empty(),
            "schools' committed_copies drifted: {drift:?}"
        );
    }

    /// Copies a school's open list still needs of a book (0 when it has no such item).
    pub async fn item_outstanding(&self, school: i64, isbn: &str) -> i64 {
        let (_, list) = self
            .get(&format!("/api/v1/schools/{school}/wishlist"), None)
            .await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["isbn"] == isbn)
            .map(|i| i["outstanding"].as_i64().unwrap())
            .sum()
    }

    /// The wish-list item as the school's list shows it.
    pub async fn item(&self, school: i64, item: i64) -> Value {
        let (status, body) = self
            .get(
                &format!("/api/v1/schools/{school}/wishlist?status=all"),
                None,
            )
            .await;
        assert_eq!(status, Status::Ok);
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"].as_i64() == Some(item))
            .cloned()
            .expect("item listed")
    }
}

/// Real ISBNs from the seed catalogue.
pub const GOODNIGHT_MOON: &str = "9780060775858";
pub const GRUFFALO: &str = "9780333710937";
pub const MATILDA: &str = "9780141301068";
