//! Public pages kept as rendered: the home page without words, a school's shared page, its
//! class pages and the directory, for visitors who are not signed in (a rush from a group
//! chat). Each is kept with the version of what it shows (the index's commit; the school's
//! page version, which the database moves on every change to the school, its list, its
//! pledges or its wishes; the directory's sum of those), read before rendering, so a rush of
//! visitors costs one small read each and one render per change, on every server. Pages for a
//! signed-in person, or carrying a message from the last step, are rendered every time.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use maud::{Markup, PreEscaped};

use super::context::Page;
use super::i18n::Lang;

/// Most pages kept; when full, all go (the public pages are a few per school and language).
const MOST_KEPT: usize = 2_048;

/// Kept pages carry this in place of the visitor's own form token (as long as a real one),
/// put back per visitor when served.
const FORM_TOKEN_STANDIN: &str = "0kept0page0form0token0standin000";

/// What a kept page showed: it is served only while this is still current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shown {
    /// The search index at this commit.
    Index(i64),
    /// One school at this page version.
    School(i64),
    /// Every school: the sum of their page versions, and how many there are.
    Directory(i64, i64),
}

/// A kept page's address, language and easy mode.
type PageKey = (String, Lang, bool);

/// Pages kept, each with what it showed.
type Kept = HashMap<PageKey, (Shown, Arc<String>)>;

/// The pages kept on this server.
#[derive(Debug)]
pub struct KeptPages {
    on: bool,
    kept: Mutex<Kept>,
}

impl KeptPages {
    /// Pages are kept when `on` (`public_page_cache`); else every visit renders.
    pub fn new(on: bool) -> Self {
        KeptPages {
            on,
            kept: Mutex::new(HashMap::new()),
        }
    }

    /// The page at `path` (its canonical address: the rendered page's own links use it) as
    /// `shown`: the kept one when it is current and the visitor may have it, else `render`'s,
    /// kept for the next visitor. `render` gets the page context to render with.
    pub(super) async fn page<E, F, Fut>(
        &self,
        p: &Page,
        path: &str,
        shown: Option<Shown>,
        render: F,
    ) -> Result<Markup, E>
    where
        F: FnOnce(Page) -> Fut,
        Fut: Future<Output = Result<Markup, E>>,
    {
        let shown = match shown {
            Some(shown) if self.on && p.actor.is_none() && p.flash.is_none() => shown,
            _ => return render(p.clone()).await,
        };
        let key = (path.to_owned(), p.lang, p.easy);
        let current = self
            .kept()
            .get(&key)
            .filter(|(at, _)| *at == shown)
            .map(|(_, body)| body.clone());
        let body = match current {
            Some(body) => body,
            None => {
                let mut standing_in = p.clone();
                standing_in.csrf = FORM_TOKEN_STANDIN.to_owned();
                standing_in.here = path.to_owned();
                let body = Arc::new(render(standing_in).await?.into_string());
                let mut kept = self.kept();
                if kept.len() >= MOST_KEPT && !kept.contains_key(&key) {
                    kept.clear();
                }
                kept.insert(key, (shown, body.clone()));
                body
            }
        };
        Ok(PreEscaped(body.replace(FORM_TOKEN_STANDIN, &p.csrf)))
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn visitor(token: char, lang: Lang) -> Page {
        Page {
            lang,
            easy: false,
            actor: None,
            csrf: std::iter::repeat_n(token, 32).collect(),
            flash: None,
            here: "/schools/1?from=chat".to_owned(),
            secure: false,
        }
    }

    /// A page whose form carries the visitor's token and whose links carry its address.
    async fn visit(kept: &KeptPages, p: &Page, shown: i64, renders: &AtomicUsize) -> String {
        let page = kept
            .page(
                p,
                "/schools/1",
                Some(Shown::School(shown)),
                |p| async move {
                    renders.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, ()>(PreEscaped(format!(
                        r#"<form><input name="csrf" value="{}"></form><a href="/signin?next={}">"#,
                        p.csrf, p.here
                    )))
                },
            )
            .await;
        page.expect("renders").into_string()
    }

    #[tokio::test]
    async fn a_page_is_rendered_once_per_version_and_each_visitor_gets_their_own_token() {
        let kept = KeptPages::new(true);
        let renders = AtomicUsize::new(0);
        let (a, b) = (visitor('a', Lang::Zh), visitor('b', Lang::Zh));
        let first = visit(&kept, &a, 1, &renders).await;
        assert!(
            first.contains(&a.csrf) && first.contains("next=/schools/1\""),
            "{first}"
        );
        let second = visit(&kept, &b, 1, &renders).await;
        assert_eq!(
            renders.load(Ordering::SeqCst),
            1,
            "kept for the second visitor"
        );
        assert!(
            second.contains(&b.csrf) && !second.contains(&a.csrf),
            "{second}"
        );
        // What the page shows changed: rendered again, once.
        visit(&kept, &a, 2, &renders).await;
        visit(&kept, &b, 2, &renders).await;
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        // Another language is another page.
        visit(&kept, &visitor('c', Lang::En), 2, &renders).await;
        assert_eq!(renders.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_signed_in_visitor_a_message_or_the_setting_off_renders_every_time() {
        use crate::domain::actor::Actor;
        use crate::domain::ids::{AccountId, SessionId};
        use crate::domain::role::Role;
        use crate::domain::vetting::AccountStatus;

        let kept = KeptPages::new(true);
        let renders = AtomicUsize::new(0);
        let mut signed_in = visitor('s', Lang::Zh);
        signed_in.actor = Some(Actor {
            account: AccountId(7),
            role: Role::Donor,
            status: AccountStatus::Active,
            coordinator: false,
            session: SessionId(7),
            client: None,
        });
        let mut told = visitor('t', Lang::Zh);
        told.flash = Some(("success".into(), "谢谢".into()));
        for p in [&signed_in, &signed_in, &told, &told] {
            let page = visit(&kept, p, 1, &renders).await;
            assert!(
                page.contains("next=/schools/1?from=chat"),
                "its own address: {page}"
            );
        }
        assert_eq!(renders.load(Ordering::SeqCst), 4);
        let off = KeptPages::new(false);
        let anonymous = visitor('a', Lang::Zh);
        visit(&off, &anonymous, 1, &renders).await;
        visit(&off, &anonymous, 1, &renders).await;
        assert_eq!(renders.load(Ordering::SeqCst), 6);
    }
}
