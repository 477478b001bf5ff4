//! The pages' one error responder. The status comes from `crate::error::classify` (the same
//! decision as the API's); the words come from here, in the page's language, field errors
//! included. Pages never pick an error status by hand.

use maud::{html, Markup};
use rocket::http::Status;

use super::context::Page;
use super::i18n::Lang;
use super::layout::page;
use crate::domain::error::DomainError;
use crate::error::classify;

/// A domain error as a person reads it, in `lang`.
pub fn explain(lang: Lang, err: &DomainError) -> String {
    use DomainError as E;
    let (_, code) = classify(err);
    match (lang, err) {
        (_, E::Invalid(invalid)) => field_message(lang, invalid.field, &invalid.message),
        (Lang::Zh, E::OverLimit { refusal, .. }) => refusal.in_chinese(),
        (_, E::InvalidIsbn(e, _)) if e.is_check_digit() => t!(lang, "bad_check_digit"),
        (_, E::InvalidIsbn(..)) => t!(lang, "bad_isbn"),
        (_, E::Unauthenticated(_)) => t!(lang, "need_sign_in"),
        (_, E::Forbidden(_)) => t!(lang, "not_allowed"),
        (_, E::Unavailable(_)) => t!(lang, "err_internal_error"),
        (_, E::Internal(cause)) => {
            log::error!("internal error behind a page: {cause}");
            t!(lang, "err_internal_error")
        }
        (_, E::InvalidTransition(t)) => t!(
            lang,
            "err_invalid_transition",
            from = lang.pledge_status(t.from),
            to = lang.pledge_status(t.to)
        ),
        (
            _,
            E::TooManyAttempts {
                retry_after_seconds,
            },
        ) => t!(
            lang,
            "err_too_many_attempts",
            minutes = retry_after_seconds.div_ceil(60)
        ),
        (_, E::AccountPending) => t!(lang, "account_pending"),
        (_, E::WishTaken) => t!(lang, "wish_taken_msg"),
        (_, E::PlanStale(_)) => t!(lang, "err_plan_stale"),
        (_, E::AlreadyOnShelf { isbn }) => t!(lang, "err_already_on_shelf", isbn = isbn.as_str()),
        (Lang::Zh, E::WishRefused(_)) => t!(lang, "err_wish_refused"),
        (_, E::InvalidVetting(t)) => t!(
            lang,
            "err_invalid_vetting",
            status = lang.account_status(t.from)
        ),
        (_, E::InsufficientNeed { outstanding }) => {
            t!(
                lang,
                "err_insufficient_need",
                count = u64::from(*outstanding)
            )
        }
        (_, E::CannotExtend(crate::domain::deadlines::CannotExtend::AlreadyExtended)) => {
            t!(lang, "err_already_extended")
        }
        (_, E::CannotExtend(_)) => t!(lang, "err_cannot_extend"),
        (_, E::BelowCommitted { committed }) => {
            t!(lang, "err_below_committed", count = u64::from(*committed))
        }
        (Lang::Zh, _) => by_code(lang, code),
        (Lang::En, other) => sentence(&other.to_string()),
    }
}

/// A refused row of an uploaded file, in `lang`: its line and what was wrong.
pub fn row_problem(lang: Lang, rejected: &crate::domain::import::Rejected) -> String {
    use crate::domain::import::RowProblem as R;
    let problem = match rejected.code {
        R::Unreadable => t!(lang, "row_unreadable"),
        R::InvalidIsbn => t!(lang, "bad_isbn"),
        R::CheckDigit => t!(lang, "bad_check_digit"),
        R::BadQuantity => t!(lang, "row_bad_quantity"),
        R::BadField => t!(lang, "row_bad_field"),
        R::TooManyCopies => t!(lang, "row_too_many_copies"),
        R::BelowCommitted => t!(lang, "row_below_committed"),
    };
    t!(lang, "row_problem", line = rejected.line, problem = problem)
}

/// The message for an error code that has no words of its own above.
fn by_code(lang: Lang, code: &'static str) -> String {
    match code {
        "invalid_credentials" => t!(lang, "err_invalid_credentials"),
        "not_found" => t!(lang, "err_not_found"),
        "email_taken" => t!(lang, "err_email_taken"),
        "school_exists" => t!(lang, "err_school_exists"),
        "wishlist_item_closed" => t!(lang, "err_wishlist_item_closed"),
        "conflict" => t!(lang, "err_conflict"),
        "school_not_verified" => t!(lang, "err_school_not_verified"),
        _ => t!(lang, "err_internal_error"),
    }
}

/// A validation message: the field's own words in the page's language; a field without
/// them gets the rule as the domain wrote it (English) or, in Chinese, a general sentence,
/// never a raw field name.
pub fn field_message(lang: Lang, field: &str, english: &str) -> String {
    match (rule(lang, field), lang) {
        (Some(rule), _) => rule,
        (None, Lang::En) => sentence(&english.replace('`', "")),
        (None, Lang::Zh) => t!(lang, "rule_unknown"),
    }
}

/// What a field must hold, in `lang`; `None` for a field this table does not know.
fn rule(lang: Lang, field: &str) -> Option<String> {
    let rule = match field {
        "name" => t!(lang, "rule_name"),
        "email" => t!(lang, "rule_email"),
        "password" => t!(lang, "rule_password"),
        "role" => t!(lang, "rule_role"),
        "province" => t!(lang, "rule_province"),
        "county" => t!(lang, "rule_county"),
        "address" => t!(lang, "rule_address"),
        "contact_phone" => t!(lang, "rule_contact_phone"),
        "student_count" => t!(lang, "rule_student_count"),
        "quantity" => t!(lang, "rule_quantity"),
        "isbn" | "isbn_typed" => t!(lang, "rule_isbn"),
        "book_choice" => t!(lang, "rule_book_choice"),
        "note" => t!(lang, "rule_note"),
        "carrier" => t!(lang, "rule_carrier"),
        "tracking_number" => t!(lang, "rule_tracking_number"),
        "file" => t!(lang, "rule_file"),
        "needed" => t!(lang, "rule_needed"),
        "lang" => t!(lang, "rule_lang"),
        "age" | "age_band" => t!(lang, "rule_age"),
        "limit" | "offset" | "page" => t!(lang, "rule_page"),
        "child_name" => t!(lang, "rule_child_name"),
        "sentence" => t!(lang, "rule_sentence"),
        "grade" | "grades" => t!(lang, "rule_grade"),
        "photo" => t!(lang, "rule_photo"),
        "reason" => t!(lang, "rule_reason"),
        "school_code" => t!(lang, "rule_school_code"),
        "language" => t!(lang, "rule_language"),
        "title" => t!(lang, "rule_title"),
        "authors" => t!(lang, "rule_authors"),
        "subtitle" => t!(lang, "rule_subtitle"),
        "publisher" => t!(lang, "rule_publisher"),
        "subjects" => t!(lang, "rule_subjects"),
        "description" => t!(lang, "rule_description"),
        "url" => t!(lang, "rule_url"),
        "secret" => t!(lang, "rule_secret"),
        "events" => t!(lang, "rule_events"),
        _ => return None,
    };
    Some(rule)
}

/// Starts with a capital and ends with a full stop, as a message on a page should.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Why a page could not be shown, as a handler's `?` makes it: a domain error (answered with
/// its status and an error page in the page's language and layout), or a redirect the
/// handler chose (to register the school first, say).
pub enum PageError {
    /// The use case refused or failed.
    Refused(DomainError),
    /// Somewhere else to go, with a message.
    Moved(Box<rocket::response::Flash<rocket::response::Redirect>>),
}

impl From<DomainError> for PageError {
    fn from(err: DomainError) -> Self {
        PageError::Refused(err)
    }
}

impl From<rocket::response::Flash<rocket::response::Redirect>> for PageError {
    fn from(moved: rocket::response::Flash<rocket::response::Redirect>) -> Self {
        PageError::Moved(Box::new(moved))
    }
}

impl<'r> rocket::response::Responder<'r, 'static> for PageError {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        match self {
            PageError::Moved(moved) => (*moved).respond_to(request),
            PageError::Refused(err) => {
                let status = status_of(&err);
                match super::context::cached(request) {
                    Some(p) => {
                        let message = explain(p.lang, &err);
                        (status, error_page(p, status, &message)).respond_to(request)
                    }
                    None => Err(status),
                }
            }
        }
    }
}

/// The status a page answers with for `err`.
pub fn status_of(err: &DomainError) -> Status {
    classify(err).0
}

/// A whole error page in the site's layout and the page's language.
pub fn error_page(p: &Page, status: Status, message: &str) -> Markup {
    let heading = match status.code {
        404 => t!(p, "err_page_not_found"),
        401 | 403 => t!(p, "not_allowed"),
        code if code >= 500 => t!(p, "err_internal_error"),
        _ => t!(p, "err_page_refused"),
    };
    page(
        p,
        &heading,
        html! {
            h1 { (heading) }
            @if !message.is_empty() && message != heading { p { (message) } }
            p { a.button href="/" { (t!(p, "err_home")) } }
        },
    )
}

/// The answer to a form whose token is not this browser's (a tab left open across a sign-in,
/// or a form from another site): nothing was done; the way back to the form.
pub fn expired_form(p: &Page, back: &str) -> Markup {
    page(
        p,
        &t!(p, "expired_form"),
        html! {
            h1 { (t!(p, "expired_form")) }
            p { a.button href=(back) { (t!(p, "back_to_form")) } }
        },
    )
}

/// An error page for a domain error: its status from the one mapping, its words in the
/// page's language.
pub fn refused(p: &Page, err: &DomainError) -> (Status, Markup) {
    let status = status_of(err);
    (status, error_page(p, status, &explain(p.lang, err)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_rules_name_has_chinese_words_not_its_raw_name() {
        // Every field name the domain's and the API's checks refuse (grep for
        // `Invalid::new("`, `required("`, `optional("` and `InvalidIsbn(`).
        let fields = [
            "address",
            "age",
            "age_band",
            "authors",
            "carrier",
            "child_name",
            "contact_phone",
            "county",
            "description",
            "email",
            "events",
            "file",
            "grade",
            "grades",
            "isbn",
            "lang",
            "language",
            "limit",
            "name",
            "needed",
            "note",
            "offset",
            "page",
            "password",
            "photo",
            "province",
            "publisher",
            "quantity",
            "reason",
            "role",
            "school_code",
            "secret",
            "sentence",
            "student_count",
            "subjects",
            "subtitle",
            "title",
            "tracking_number",
            "url",
            "isbn_typed",
            "book_choice",
            "mode",
        ];
        for field in fields {
            for lang in [Lang::Zh, Lang::En] {
                let words = field_message(lang, field, "`x` is wrong");
                assert!(
                    rule(lang, field).is_some() || field == "mode",
                    "{field} has no words"
                );
                if lang == Lang::Zh {
                    assert!(!words.contains(field), "{field}: {words}");
                }
            }
        }
        let unknown = field_message(Lang::Zh, "some_new_field", "`x` is wrong");
        assert!(!unknown.contains("some_new_field"), "{unknown}");
    }
    use crate::domain::error::Invalid;

    #[test]
    fn chinese_pages_get_chinese_messages_for_field_and_rule_errors() {
        let short = DomainError::from(Invalid::new(
            "password",
            "`password` must be 8 to 256 characters",
        ));
        assert_eq!(explain(Lang::Zh, &short), "密码需要 8 到 256 个字符。");
        assert_eq!(
            explain(Lang::En, &short),
            "The password needs 8 to 256 characters."
        );
        let need = DomainError::InsufficientNeed { outstanding: 14 };
        assert_eq!(explain(Lang::Zh, &need), "现在只需要 14 本了。");
        assert_eq!(explain(Lang::En, &need), "Only 14 copies are still needed.");
        let one = DomainError::InsufficientNeed { outstanding: 1 };
        assert_eq!(explain(Lang::En, &one), "Only 1 copy is still needed.");
        assert_eq!(
            explain(Lang::Zh, &DomainError::EmailTaken),
            "这个邮箱已经注册过了。"
        );
        for err in [
            DomainError::BadCredentials,
            DomainError::not_found("school", 7),
            DomainError::SchoolExists,
            DomainError::ItemClosed(3),
            DomainError::Conflict("busy"),
            DomainError::Internal("disk full".into()),
            DomainError::from(Invalid::new("mystery", "`mystery` is wrong")),
        ] {
            let zh = explain(Lang::Zh, &err);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{err:?} has no Chinese message: {zh}"
            );
        }
    }

    #[test]
    fn page_statuses_follow_the_one_mapping() {
        assert_eq!(status_of(&DomainError::EmailTaken), Status::Conflict);
        assert_eq!(status_of(&DomainError::not_found("x", 1)), Status::NotFound);
        assert_eq!(
            status_of(&DomainError::from(Invalid::new("name", "bad"))),
            Status::UnprocessableEntity
        );
        assert_eq!(
            status_of(&DomainError::BadCredentials),
            Status::Unauthorized
        );
    }
}
