//! Book metadata from Open Library, fetched with reqwest.
//!
//! One [`OpenLibrary`] is built at start-up and shared. It is a good citizen and hard to
//! break: connect and total timeouts, a cap on concurrent requests and a per-host rate
//! limit, bounded retries with exponential backoff and jitter on timeouts, 5xx and 429
//! (honouring `Retry-After`), a response size limit, and a `User-Agent` naming the service.
//! Every failure comes back as a value with its reason; nothing here panics or hangs.

mod parse;

use std::time::Duration;

use rand_core::{OsRng, RngCore};
use tokio::sync::{Mutex, Semaphore};
use tokio::time::Instant;

use crate::domain::books::{BookDetails, BookFields, MAX_DESCRIPTION_CHARS, MAX_SUBJECTS_CHARS};
use crate::domain::isbn::Isbn;
use crate::domain::metadata::LookupOutcome;
pub use parse::BookMetadata;

/// What a lookup found.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Open Library knows the book.
    Found(BookMetadata),
    /// Open Library does not know this ISBN.
    NotFound,
    /// The lookup failed; the reason is for people (and the book's record).
    Failed(String),
}

/// How the client behaves; read from `Rocket.toml` (`openlibrary_url`, `metadata_*`).
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Base URL, e.g. `https://openlibrary.org` or a mirror or mock.
    pub base_url: String,
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub timeout: Duration,
    /// Requests in flight at once.
    pub max_concurrent: usize,
    /// Requests per minute to the host (Open Library asks for at most about 180).
    pub per_minute: u32,
    /// Largest response body read.
    pub max_body_bytes: usize,
    /// Tries per lookup, first included.
    pub max_attempts: u32,
    /// First backoff; doubles each retry, plus up to 50% jitter.
    pub backoff: Duration,
    /// Longest `Retry-After` obeyed within one lookup; longer waits end the lookup and the
    /// book is retried later.
    pub max_retry_after: Duration,
}

impl Default for ClientSettings {
    /// The client's defaults; `Config`'s `metadata_*` and `openlibrary_url` defaults are
    /// read from here, so each is written once.
    fn default() -> Self {
        ClientSettings {
            base_url: "https://openlibrary.org".into(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_concurrent: 4,
            per_minute: 150,
            max_body_bytes: 2 * 1024 * 1024,
            max_attempts: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// The Open Library client.
#[derive(Debug)]
pub struct OpenLibrary {
    http: reqwest::Client,
    settings: ClientSettings,
    in_flight: Semaphore,
    next_slot: Mutex<Instant>,
}

/// Why one attempt did not give an answer.
enum AttemptError {
    /// Worth trying again (timeout, refused, 5xx, 429), perhaps after a given wait.
    Retry(String, Option<Duration>),
    /// Trying again will not help (bad JSON, wrong book, body too large).
    Fatal(String),
}

impl OpenLibrary {
    /// Builds the client.
    pub fn new(settings: ClientSettings) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .user_agent(concat!(
                "bookbridge/",
                env!("CARGO_PKG_VERSION"),
                " (matches donated books to rural schools; https://github.com/bookbridge/bookbridge)"
            ))
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()?;
        Ok(OpenLibrary {
            http,
            in_flight: Semaphore::new(settings.max_concurrent.max(1)),
            next_slot: Mutex::new(Instant::now()),
            settings,
        })
    }

    /// Looks a book up, retrying what is worth retrying.
    pub async fn lookup(&self, isbn: &Isbn) -> Lookup {
        let mut attempt = 1;
        loop {
            let outcome = {
                let Ok(_permit) = self.in_flight.acquire().await else {
                    return Lookup::Failed("the metadata client is shut down".into());
                };
                self.wait_for_slot().await;
                self.try_once(isbn).await
            };
            match outcome {
                Ok(Lookup::Found(mut found)) => {
                    found.work = self.work_of(isbn).await;
                    return Lookup::Found(found);
                }
                Ok(other) => return other,
                Err(AttemptError::Fatal(reason)) => return Lookup::Failed(reason),
                Err(AttemptError::Retry(reason, _)) if attempt >= self.settings.max_attempts => {
                    return Lookup::Failed(format!("{reason} (after {attempt} attempts)"));
                }
                Err(AttemptError::Retry(reason, Some(wait)))
                    if wait > self.settings.max_retry_after =>
                {
                    return Lookup::Failed(format!("{reason}; asked to wait {}s", wait.as_secs()));
                }
                Err(AttemptError::Retry(_, wait)) => {
                    tokio::time::sleep(wait.unwrap_or_else(|| self.backoff(attempt))).await;
                    attempt += 1;
                }
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.backoff * 2u32.saturating_pow(attempt.saturating_sub(1));
        let jitter = f64::from(OsRng.next_u32()) / f64::from(u32::MAX) * 0.5;
        base.mul_f64(1.0 + jitter)
    }

    /// Spaces requests to the host evenly: at most `per_minute` a minute.
    async fn wait_for_slot(&self) {
        let interval = Duration::from_secs(60) / self.settings.per_minute.max(1);
        let start = {
            let mut next = self.next_slot.lock().await;
            let start = (*next).max(Instant::now());
            *next = start + interval;
            start
        };
        tokio::time::sleep_until(start).await;
    }

    /// The work an edition belongs to, from its edition record (`/isbn/{isbn}.json`, which
    /// Open Library redirects to `/books/OL…M.json`): one try, since a book without its work
    /// is still a book (matched by its ISBN alone).
    async fn work_of(&self, isbn: &Isbn) -> Option<String> {
        let _permit = self.in_flight.acquire().await.ok()?;
        self.wait_for_slot().await;
        let url = format!(
            "{}/isbn/{isbn}.json",
            self.settings.base_url.trim_end_matches('/')
        );
        let response = self.http.get(&url).send().await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        let body = self.read_capped(response).await.ok()?;
        parse::edition_work(&body)
    }

    async fn try_once(&self, isbn: &Isbn) -> Result<Lookup, AttemptError> {
        let url = format!("{}/api/books", self.settings.base_url.trim_end_matches('/'));
        let bibkey = format!("ISBN:{isbn}");
        let response = self
            .http
            .get(&url)
            .query(&[
                ("bibkeys", bibkey.as_str()),
                ("format", "json"),
                ("jscmd", "data"),
            ])
            .send()
            .await
            .map_err(|e| AttemptError::Retry(describe(&e), None))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(Lookup::NotFound);
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let wait = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(AttemptError::Retry(
                format!("Open Library answered {status}"),
                wait,
            ));
        }
        if !status.is_success() {
            return Err(AttemptError::Fatal(format!(
                "Open Library answered {status}"
            )));
        }
        let body = self.read_capped(response).await?;
        parse::books_api(isbn, &body).map_err(AttemptError::Fatal)
    }

    /// Reads the body, refusing to hold more than the limit in memory.
    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, AttemptError> {
        let limit = self.settings.max_body_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(AttemptError::Fatal(format!(
                "the answer is larger than {limit} bytes"
            )));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| AttemptError::Retry(describe(&e), None))?
        {
            if body.len() + chunk.len() > limit {
                return Err(AttemptError::Fatal(format!(
                    "the answer is larger than {limit} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "Open Library did not answer in time".into()
    } else if err.is_connect() {
        "could not connect to Open Library".into()
    } else if err.is_body() || err.is_decode() {
        "the answer from Open Library was cut off".into()
    } else {
        format!("request to Open Library failed: {err}")
    }
}

impl From<Lookup> for LookupOutcome {
    fn from(lookup: Lookup) -> Self {
        match lookup {
            // Open Library's record passes the same checks as a hand edit or an import.
            Lookup::Found(found) => match BookDetails::parse(&found.fields()) {
                Ok(details) => LookupOutcome::Found(Box::new(details)),
                Err(invalid) => LookupOutcome::Failed(format!(
                    "Open Library's record is unusable: {}",
                    invalid.message
                )),
            },
            Lookup::NotFound => LookupOutcome::NotFound,
            Lookup::Failed(reason) => LookupOutcome::Failed(reason),
        }
    }
}

impl BookMetadata {
    /// The record as book fields, for the one book-field parser.
    pub fn fields(&self) -> BookFields {
        BookFields {
            title: Some(self.title.clone()),
            subtitle: self.subtitle.clone(),
            authors: self.authors.clone(),
            publisher: self.publisher.clone(),
            publication_year: self.publication_year.map(|y| y.to_string()),
            language: None,
            page_count: self.page_count.map(|n| n.to_string()),
            // Long free text is cut to the limit rather than losing the whole record.
            subjects: self.subjects.as_deref().map(|s| cut(s, MAX_SUBJECTS_CHARS)),
            age_band: None,
            description: self
                .description
                .as_deref()
                .map(|s| cut(s, MAX_DESCRIPTION_CHARS)),
            cover_url: self.cover_url.clone(),
            work: self.work.clone(),
        }
    }
}

fn cut(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
