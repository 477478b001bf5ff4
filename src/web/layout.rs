//! The page shell: header, switches for language and easy mode, and the stylesheet.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::context::Page;
use crate::domain::role::Role;

const STYLE: &str = include_str!("style.css");

/// Wraps `body` in the common page.
pub fn page(p: &Page, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(p.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="description" content=(t!(p, "meta_description"));
                link rel="icon" href="/favicon.ico" type="image/svg+xml";
                title { (title) " · " (t!(p, "app")) }
                style { (PreEscaped(STYLE)) }
            }
            body class=[p.easy.then_some("easy")] {
                header {
                    a.brand href="/" { (t!(p, "app")) }
                    // Easy mode keeps the header short (the task is the page): the links fold
                    // into one menu button.
                    @if p.easy {
                        details.menu {
                            summary { (t!(p, "menu")) }
                            (site_nav(p))
                        }
                    } @else {
                        (site_nav(p))
                    }
                    // Buttons, not links: a thumb-sized target in every mode, and each says
                    // what it switches to.
                    div.switches {
                        form.inline method="get" action="/prefs" {
                            input type="hidden" name="lang" value=(if p.lang.code() == "en" { "zh" } else { "en" });
                            input type="hidden" name="back" value=(p.here);
                            button.switch type="submit" lang=(if p.lang.code() == "en" { "zh" } else { "en" }) {
                                (if p.lang.code() == "en" { "中文" } else { "English" })
                            }
                        }
                        form.inline method="get" action="/prefs" {
                            input type="hidden" name="easy" value=(if p.easy { "0" } else { "1" });
                            input type="hidden" name="back" value=(p.here);
                            button.switch type="submit" aria-pressed=(if p.easy { "true" } else { "false" }) {
                                (if p.easy { t!(p, "easy_off") } else { t!(p, "easy_on") })
                            }
                        }
                    }
                }
                main {
                    @if let Some((kind, message)) = &p.flash {
                        p class={ "flash " (kind) } role="status" { (message) }
                    }
                    (body)
                }
                footer { a href="/docs" { (t!(p, "api_docs")) } }
            }
        }
    }
}

/// The site's links for who is signed in.
fn site_nav(p: &Page) -> Markup {
    html! {
        nav aria-label=(t!(p, "main_nav")) {
            a href="/schools" { (t!(p, "schools_nav")) }
            a href="/wishes" { (t!(p, "wishes_nav")) }
            @match p.actor.map(|a| a.role) {
                Some(Role::Donor) => { a href="/my/pledges" { (t!(p, "my_pledges")) } }
                Some(Role::School) => { a href="/my/school" { (t!(p, "my_school")) } a href="/my/school/wishes" { (t!(p, "my_wishes")) } }
                Some(Role::Volunteer) | Some(Role::Admin) => { a href="/volunteer" { (t!(p, "queue")) } }
                None => { a href="/signin" { (t!(p, "sign_in")) } a href="/register" { (t!(p, "register")) } }
            }
            @if let Some(actor) = p.actor {
                a href="/notices" { (t!(p, "notices")) }
                @if actor.is_vetter() { a href="/vetting" { (t!(p, "vetting")) } a href="/booklists" { (t!(p, "booklists_nav")) } }
                @if actor.is_admin() { a href="/admin" { (t!(p, "admin_console")) } }
                a href="/me" { (t!(p, "my_account")) }
                form.inline method="post" action="/signout" {
                    input type="hidden" name="csrf" value=(p.csrf);
                    button.link type="submit" { (t!(p, "sign_out")) }
                }
            }
        }
    }
}
