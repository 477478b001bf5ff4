//! "My account" as markup: the account the handler loaded, drawn.

use maud::{html, Markup};

use crate::domain::model::Account;
use crate::domain::role::Role;
use crate::domain::vetting::AccountStatus;
use crate::web::context::Page;

/// The account page.
pub(super) fn account(p: &Page, account: &Account) -> Markup {
    let is_vetter = p.actor.is_some_and(|a| a.is_vetter());
    let is_admin = p.actor.is_some_and(|a| a.is_admin());
    crate::web::layout::page(
        p,
        &t!(p, "my_account"),
        html! {
            h1 { (t!(p, "my_account")) }
            div.card {
                strong { (account.name) } div.meta { (account.email) }
                div { (t!(p, "role")) ": " (p.lang.role(account.role))
                    @if account.coordinator { " · " (t!(p, "coordinator")) } }
                div { (t!(p, "status")) ": " span.status { (p.lang.account_status(account.status)) } }
            }
            @if account.status == AccountStatus::Pending {
                p.flash.info role="status" { (t!(p, "account_pending")) }
                @match account.role {
                    Role::Volunteer => { p { (t!(p, "pending_help_volunteer")) } }
                    Role::School => { p { (t!(p, "pending_help_school")) } p { a.button href="/my/school" { (t!(p, "my_school")) } } }
                    _ => {}
                }
            }
            h2 { (t!(p, "how_told")) }
            form.card method="post" action="/me/preferences" {
                input type="hidden" name="csrf" value=(p.csrf);
                label for="language" { (t!(p, "notice_language")) }
                select #language name="language" {
                    option value="zh" selected[account.language == crate::domain::language::Language::Zh] { "中文" }
                    option value="en" selected[account.language == crate::domain::language::Language::En] { "English" }
                }
                label { input type="checkbox" name="email_notices" value="on" checked[account.email_notices]; " " (t!(p, "email_me")) }
                p { button type="submit" { (t!(p, "save")) } }
            }
            @if is_vetter { p { a.button href="/vetting" { (t!(p, "vetting")) } } }
            @if is_admin { p { a.button.secondary href="/vetting/audit" { (t!(p, "audit")) } } }
            form method="post" action="/me/signout-everywhere" {
                input type="hidden" name="csrf" value=(p.csrf);
                button.secondary type="submit" { (t!(p, "sign_out_everywhere")) }
            }
        },
    )
}
