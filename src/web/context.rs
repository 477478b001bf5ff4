//! What every page needs to know about the request: language, easy mode, who is signed in,
//! the CSRF token, and a one-off message.

use rand_core::{OsRng, RngCore};
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FlashMessage, FromRequest, Outcome};
use rocket::Request;

use super::i18n::Lang;
use crate::app::Bookbridge;
use crate::domain::model::Actor;

/// Session cookie: the same kind of token the API uses as a bearer token.
pub const SESSION_COOKIE: &str = "bb_session";
/// CSRF cookie, echoed in every form (double submit).
pub const CSRF_COOKIE: &str = "bb_csrf";
/// Language choice.
pub const LANG_COOKIE: &str = "bb_lang";
/// Easy mode (larger text and buttons).
pub const EASY_COOKIE: &str = "bb_easy";

/// The request as a page sees it.
#[derive(Clone)]
pub struct Page {
    /// Language for all text.
    pub lang: Lang,
    /// Easy mode on.
    pub easy: bool,
    /// The signed-in user, if any.
    pub actor: Option<Actor>,
    /// Token every form must send back.
    pub csrf: String,
    /// A message from the previous step (e.g. "thank you").
    pub flash: Option<(String, String)>,
    /// This page's local URL (path and query), for "come back here" links.
    pub here: String,
    /// Cookies carry `Secure` (the site is served over https).
    pub secure: bool,
}

/// Where the site is, as its users reach it: every absolute link and QR code is built from
/// `public_url`, never from the request's `Host` header.
#[derive(Debug, Clone)]
pub struct Site {
    /// `https://bookbridge.example.org`, without a trailing slash.
    pub public_url: String,
}

impl Site {
    /// The site at `public_url`.
    pub fn new(public_url: &str) -> Self {
        Site {
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Whether it is served over https (cookies are then `Secure`, and HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// An absolute link to a local `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

impl Page {
    /// The page's translations, for `t!`.
    pub fn loader(&self) -> &'static i18n_embed::fluent::FluentLanguageLoader {
        self.lang.loader()
    }

    /// A day as people in China count it (UTC+8), for every date a page shows.
    pub fn date(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
        at.with_timezone(&china).format("%Y-%m-%d").to_string()
    }

    /// A moment as people in China read a clock (UTC+8), to the minute: for logs, where the
    /// page says the times are China time.
    pub fn china_time(&self, at: chrono::DateTime<chrono::Utc>) -> String {
        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
        at.with_timezone(&china)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// A stored province in the page's language (云南省 on Chinese pages).
    pub fn province<'a>(&self, stored: &'a str) -> &'a str {
        crate::domain::provinces::display(stored, self.lang == super::i18n::Lang::Zh)
    }

    /// A curated list's note written in both languages as "中文 · English" (as the demo's
    /// lists are): the half in the page's language. Any other note as written.
    pub fn in_my_language<'a>(&self, note: &'a str) -> &'a str {
        match note.split_once(" · ") {
            Some((zh, en)) if zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) => {
                if self.lang == super::i18n::Lang::Zh {
                    zh
                } else {
                    en
                }
            }
            _ => note,
        }
    }

    /// This page's URL, encoded to travel as a query value (`?back=…`, `?next=…`).
    pub fn here_encoded(&self) -> String {
        rocket::http::RawStr::new(&self.here)
            .percent_encode()
            .to_string()
    }
}

fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(rocket::time::Duration::days(30))
        .build()
}

fn new_csrf(jar: &CookieJar<'_>, secure: bool) -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    jar.add(
        Cookie::build((CSRF_COOKIE, token.clone()))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .build(),
    );
    token
}

/// Sets the session cookie after signing in, and a fresh CSRF token (a token planted before
/// sign-in is worth nothing after it).
pub fn start_session(p: &Page, jar: &CookieJar<'_>, token: String) {
    jar.add(cookie(SESSION_COOKIE, token, p.secure));
    new_csrf(jar, p.secure);
}

/// Sets a preference cookie.
pub fn remember(p: &Page, jar: &CookieJar<'_>, name: &'static str, value: &str) {
    jar.add(cookie(name, value.to_owned(), p.secure));
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Page {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let jar = request.cookies();
        let lang = Lang::choose(
            jar.get(LANG_COOKIE).map(|c| c.value()),
            request.headers().get_one("Accept-Language"),
        );
        let easy = jar.get(EASY_COOKIE).is_some_and(|c| c.value() == "1");
        let secure = request.rocket().state::<Site>().is_some_and(Site::is_https);
        let csrf = match jar.get(CSRF_COOKIE) {
            Some(c) if c.value().len() == 32 => c.value().to_owned(),
            _ => new_csrf(jar, secure),
        };
        let mut actor = None;
        if let (Some(token), Some(service)) = (
            jar.get(SESSION_COOKIE),
            request.rocket().state::<Bookbridge>(),
        ) {
            match service.authenticate(token.value()).await {
                Ok(mut a) => {
                    a.client = crate::api::client::client_address(request);
                    actor = Some(a);
                }
                Err(_) => jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()),
            }
        }
        let flash = match request.guard::<Option<FlashMessage<'_>>>().await {
            Outcome::Success(Some(f)) => Some((f.kind().to_owned(), f.message().to_owned())),
            _ => None,
        };
        let page = Page {
            lang,
            easy,
            actor,
            csrf,
            flash,
            here: request.uri().to_string(),
            secure,
        };
        // Kept for the pages' error responder, which answers in this page's language and
        // layout whatever the handler was doing when it failed.
        request.local_cache(|| Some(page.clone()));
        Outcome::Success(page)
    }
}

/// The page a guard read for this request, if one did.
pub fn cached<'r>(request: &'r Request<'_>) -> Option<&'r Page> {
    request.local_cache(|| None::<Page>).as_ref()
}
