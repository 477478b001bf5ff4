//! Chinese and English text for the pages, chosen from a cookie or `Accept-Language`.
//!
//! The texts live in Fluent files, `i18n/en/bookbridge.ftl` and `i18n/zh/bookbridge.ftl`,
//! embedded in the binary. Pages ask for them with `t!`, which is `i18n-embed-fl`'s
//! `fl!`: a message id or argument missing from the English file does not compile, and the
//! test below fails on a message present in one language only.

use std::sync::LazyLock;

use i18n_embed::fluent::{fluent_language_loader, FluentLanguageLoader};
use i18n_embed::LanguageLoader;
use rust_embed::RustEmbed;

use crate::domain::audit::AuditAction;
use crate::domain::child_wishes::WishStatus;
use crate::domain::figures::Figure;
pub use crate::domain::language::Language as Lang;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::role::Role;
use crate::domain::search::AgeBand;
use crate::domain::vetting::{AccountStatus, Vetting};

/// A page text in a language: `t!(p, "pledge")`, `t!(p, "n_copies", count = 3)`. The first
/// argument is anything with a `loader()` (a [`Lang`] or a page); the id must be a literal,
/// checked against `i18n/en/bookbridge.ftl` when the code compiles.
macro_rules! t {
    ($lang:expr, $id:literal) => {
        i18n_embed_fl::fl!($lang.loader(), $id)
    };
    ($lang:expr, $id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($lang.loader(), $id, $($args)*)
    };
}

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Translations;

fn loader_for(lang: Lang) -> FluentLanguageLoader {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    let id = lang
        .as_str()
        .parse()
        .expect("en and zh are language identifiers");
    loader
        .load_languages(&Translations, &[id])
        .expect("the translation files are embedded");
    // No Unicode isolation marks around numbers and names: they would show as stray
    // characters in text copied from a page, and the pages are all one direction.
    loader.set_use_isolating(false);
    loader
}

static ENGLISH: LazyLock<FluentLanguageLoader> = LazyLock::new(|| loader_for(Lang::En));
static CHINESE: LazyLock<FluentLanguageLoader> = LazyLock::new(|| loader_for(Lang::Zh));

impl Lang {
    /// The translations in this language (English for a message Chinese lacks, which the
    /// test below forbids).
    pub fn loader(self) -> &'static FluentLanguageLoader {
        match self {
            Lang::En => &ENGLISH,
            Lang::Zh => &CHINESE,
        }
    }
}

/// The names of the domain's states and kinds, in a language: one `match` each, so a new
/// variant without words does not compile.
impl Lang {
    /// A pledge's status.
    pub fn pledge_status(self, status: PledgeStatus) -> String {
        match status {
            PledgeStatus::Pledged => t!(self, "pledged"),
            PledgeStatus::Shipped => t!(self, "shipped"),
            PledgeStatus::Delivered => t!(self, "delivered"),
            PledgeStatus::Cancelled => t!(self, "cancelled"),
            PledgeStatus::Lost => t!(self, "lost"),
            PledgeStatus::Returned => t!(self, "returned"),
            PledgeStatus::Expired => t!(self, "expired"),
        }
    }

    /// An account's vetting status.
    pub fn account_status(self, status: AccountStatus) -> String {
        match status {
            AccountStatus::Pending => t!(self, "pending"),
            AccountStatus::Active => t!(self, "active"),
            AccountStatus::Suspended => t!(self, "suspended"),
        }
    }

    /// A coordinator's decision, as its button says it.
    pub fn vetting(self, decision: Vetting) -> String {
        match decision {
            Vetting::Approve => t!(self, "approve"),
            Vetting::Suspend => t!(self, "suspend"),
            Vetting::Reinstate => t!(self, "reinstate"),
        }
    }

    /// What kind of person an account is.
    pub fn role(self, role: Role) -> String {
        match role {
            Role::School => t!(self, "role_school"),
            Role::Donor => t!(self, "role_donor"),
            Role::Volunteer => t!(self, "role_volunteer"),
            Role::Admin => t!(self, "role_admin"),
        }
    }

    /// A reader's age band.
    pub fn age_band(self, band: AgeBand) -> String {
        match band {
            AgeBand::Early => t!(self, "early"),
            AgeBand::Primary => t!(self, "primary"),
            AgeBand::Teen => t!(self, "teen"),
            AgeBand::Adult => t!(self, "adult"),
        }
    }

    /// One of the console's figures.
    pub fn figure(self, figure: Figure) -> String {
        match figure {
            Figure::Requested => t!(self, "requested"),
            Figure::Pledged => t!(self, "pledged"),
            Figure::Shipped => t!(self, "shipped"),
            Figure::Delivered => t!(self, "delivered"),
        }
    }

    /// What an audit-log line records.
    pub fn audit_action(self, action: AuditAction) -> String {
        match action {
            AuditAction::SignIn => t!(self, "audit_signin"),
            AuditAction::SignInFailed => t!(self, "audit_signin_failed"),
            AuditAction::SignInThrottled => t!(self, "audit_signin_throttled"),
            AuditAction::AccountLocked => t!(self, "audit_account_lock"),
            AuditAction::AddressLocked => t!(self, "audit_address_lock"),
            AuditAction::Registered => t!(self, "audit_account_register"),
            AuditAction::Approved => t!(self, "audit_account_approve"),
            AuditAction::Suspended => t!(self, "audit_account_suspend"),
            AuditAction::Reinstated => t!(self, "audit_account_reinstate"),
            AuditAction::CoordinatorChanged => t!(self, "audit_account_coordinator"),
            AuditAction::SignedOutEverywhere => t!(self, "audit_account_signout_everywhere"),
            AuditAction::SchoolVerified => t!(self, "audit_school_verify"),
            AuditAction::BookEdited => t!(self, "audit_book_edit"),
            AuditAction::WishlistChanged => t!(self, "audit_wishlist_change"),
            AuditAction::ShelfChanged => t!(self, "audit_shelf_change"),
            AuditAction::PledgeMoved => t!(self, "audit_pledge_move"),
            AuditAction::Exported => t!(self, "audit_export"),
            AuditAction::WebhookRegistered => t!(self, "audit_webhook_register"),
            AuditAction::WebhookRemoved => t!(self, "audit_webhook_remove"),
            AuditAction::BookListChanged => t!(self, "audit_booklist_change"),
            AuditAction::ChildWishChanged => t!(self, "audit_wish_change"),
            AuditAction::WeChatBound => t!(self, "audit_account_wechat_bind"),
        }
    }

    /// The kind of record an audit-log line is about (`pledge` in `pledge:12`), if known.
    pub fn record_kind(self, kind: &str) -> Option<String> {
        Some(match kind {
            "account" => t!(self, "kind_account"),
            "school" => t!(self, "kind_school"),
            "pledge" => t!(self, "kind_pledge"),
            "wish" => t!(self, "kind_wish"),
            "book" => t!(self, "kind_book"),
            "webhook" => t!(self, "kind_webhook"),
            "booklist" => t!(self, "kind_booklist"),
            "item" => t!(self, "kind_item"),
            "address" => t!(self, "kind_address"),
            "email" => t!(self, "email"),
            _ => return None,
        })
    }

    /// A child's wish card's status.
    pub fn wish_status(self, status: WishStatus) -> String {
        match status {
            WishStatus::AwaitingConsent => t!(self, "wish_awaiting_consent"),
            WishStatus::Open => t!(self, "wish_open"),
            WishStatus::Claimed => t!(self, "wish_claimed_status"),
            WishStatus::Delivered => t!(self, "wish_delivered"),
            WishStatus::Withdrawn => t!(self, "wish_withdrawn"),
        }
    }

    /// How a title came to be on a school's shelf.
    pub fn shelf_source(self, source: crate::domain::shelves::ShelfSource) -> String {
        use crate::domain::shelves::ShelfSource;
        match source {
            ShelfSource::School => t!(self, "shelf_from_school"),
            ShelfSource::Delivered => t!(self, "shelf_from_donor"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fluent_syntax::ast::Entry;

    use super::*;

    fn message_ids(lang: Lang) -> BTreeSet<String> {
        let file = Translations::get(&format!("{}/bookbridge.ftl", lang.as_str()))
            .expect("each language has its file");
        let text = std::str::from_utf8(&file.data).expect("UTF-8");
        let resource = fluent_syntax::parser::parse(text)
            .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", lang.as_str()));
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_message_is_in_both_languages() {
        let (en, zh) = (message_ids(Lang::En), message_ids(Lang::Zh));
        assert!(en.len() > 250, "{} English messages", en.len());
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(only_en.is_empty(), "English only: {only_en:?}");
        assert!(only_zh.is_empty(), "Chinese only: {only_zh:?}");
    }

    #[test]
    fn texts_come_in_both_languages() {
        assert_eq!(t!(Lang::Zh, "pledge"), "捐赠");
        assert_eq!(t!(Lang::En, "pledge"), "Pledge");
        // A leading space survives the file (Fluent trims unquoted ones).
        assert!(t!(Lang::Zh, "next_post_end").starts_with(" 之前"));
    }

    #[test]
    fn english_counts_in_the_plural_and_chinese_with_a_measure_word() {
        assert_eq!(t!(Lang::En, "n_copies", count = 1), "1 copy");
        assert_eq!(t!(Lang::En, "n_copies", count = 2), "2 copies");
        assert_eq!(t!(Lang::En, "n_results", count = 0), "0 books found");
        assert_eq!(t!(Lang::En, "n_schools", count = 1), "1 school");
        assert_eq!(t!(Lang::Zh, "n_copies", count = 1), "1 本");
        assert_eq!(t!(Lang::Zh, "n_schools", count = 3), "3 所学校");
        // No invisible isolation marks around the number.
        assert_eq!(
            t!(Lang::Zh, "row_problem", line = 4, problem = "x"),
            "第 4 行：x"
        );
    }
}
