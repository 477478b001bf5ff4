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
        (Lang::Zh, E::InvalidTransition(t)) => format!(
            "这份捐赠现在是「{}」，不能改为「{}」。",
            lang.pledge_status(t.from),
            lang.pledge_status(t.to)
        ),
        (
            Lang::Zh,
            E::TooManyAttempts {
                retry_after_seconds,
            },
        ) => {
            format!(
                "尝试次数太多，请 {} 分钟后再试。",
                retry_after_seconds.div_ceil(60)
            )
        }
        (
            Lang::En,
            E::TooManyAttempts {
                retry_after_seconds,
            },
        ) => format!(
            "Too many attempts. Please try again in {} minutes.",
            retry_after_seconds.div_ceil(60)
        ),
        (_, E::AccountPending) => t!(lang, "account_pending"),
        (_, E::WishTaken) => t!(lang, "wish_taken_msg"),
        (Lang::Zh, E::WishRefused(_)) => t!(lang, "err_wish_refused"),
        (Lang::Zh, E::InvalidVetting(t)) => {
            format!(
                "这个账号现在是「{}」，不能这样改。",
                lang.account_status(t.from)
            )
        }
        (Lang::Zh, E::InsufficientNeed { outstanding }) => {
            format!("现在只需要 {outstanding} 本了。")
        }
        (Lang::Zh, E::CannotExtend(crate::domain::deadlines::CannotExtend::AlreadyExtended)) => {
            "这份捐赠已经延期过一次了。".to_owned()
        }
        (Lang::Zh, E::CannotExtend(_)) => "只有还没寄出的捐赠才能延期。".to_owned(),
        (Lang::Zh, E::BelowCommitted { committed }) => {
            format!("数量不能少于已经认捐的 {committed} 本。")
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

/// A validation message: English as the rule wrote it; Chinese from the field's own words.
pub fn field_message(lang: Lang, field: &str, english: &str) -> String {
    match lang {
        Lang::En => sentence(&english.replace('`', "")),
        Lang::Zh => match zh_rule(field) {
            Some(rule) => rule.to_owned(),
            // Never a raw field name: a field without its own words gets the general one.
            None => "有一项填写不正确，请检查后再试。".to_owned(),
        },
    }
}

/// What a field must hold, in Chinese; `None` for a field this table does not know.
fn zh_rule(field: &str) -> Option<&'static str> {
    let rule = match field {
        "name" => "名称不能为空，最多 200 个字。",
        "email" => "请填写有效的电子邮箱，例如 name@example.org。",
        "password" => "密码需要 8 到 256 个字符。",
        "role" => "请选择学校、捐书人或志愿者。",
        "province" => "请填写省份，最多 100 个字。",
        "county" => "请填写县（区），最多 100 个字。",
        "address" => "请填写邮寄地址，最多 500 个字。",
        "contact_phone" => "联系电话只能包含数字（全角半角都可以）、空格和 + - ( )。",
        "student_count" => "学生人数须在 1 到 100000 之间。",
        "quantity" => "数量须在 1 到 10000 之间。",
        "isbn" | "isbn_typed" => "ISBN 不正确：请输入书背面条形码上方的 10 位或 13 位数字。",
        "book_choice" => "请勾选孩子选的书，或者输入那本书的 ISBN（两者只选一种）。",
        "note" => "备注最多 500 个字，不能包含控制字符。",
        "carrier" => "快递公司最多 100 个字，不能包含控制字符。",
        "tracking_number" => "快递单号最多 100 个字，不能包含控制字符。",
        "file" => "文件无法读取：请上传 CSV（UTF-8 或 GBK 编码）或 .xlsx 表格；目录文件的第一行须是表头并包含 isbn 列。",
        "needed" => "「只看需要的书」只能是是或否。",
        "lang" => "请选择一种语言，例如中文或英文。",
        "age" => "请选择年龄段：幼儿、小学、中学或成人。",
        "limit" | "offset" | "page" => "页码不正确。",
        "child_name" => "孩子的名字只写名或小名：最多两个汉字或一个英文单词，不要写姓。",
        "sentence" => "孩子的话不能为空，最多 60 个字。",
        "grade" | "grades" => "年级须在 1 到 9 之间。",
        "photo" => "照片须是 JPEG 或 PNG 图片，最大 8 MB。",
        "reason" => "推荐理由最多 100 个字，不能包含控制字符。",
        "age_band" => "请选择年龄段：幼儿、小学、中学或成人。",
        "school_code" => "学校标识码是 10 位数字（可在县教育局的学校名单上查到）。",
        "language" => "请选择一种语言：中文或英文。",
        "title" => "书名最多 500 个字，不能包含控制字符。",
        "authors" => "作者最多 1000 个字，不能包含控制字符。",
        "subtitle" => "副标题最多 500 个字，不能包含控制字符。",
        "publisher" => "出版社最多 300 个字，不能包含控制字符。",
        "subjects" => "主题最多 2000 个字，不能包含控制字符。",
        "description" => "简介最多 10000 个字，不能包含控制字符。",
        "url" => "请填写以 https:// 开头的公开网址。",
        "secret" => "密钥需要 16 到 200 个字符。",
        "events" => "请选择要接收的通知类型。",
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
        ];
        for field in fields {
            let words = field_message(Lang::Zh, field, "`x` is wrong");
            assert!(zh_rule(field).is_some(), "{field} has no Chinese words");
            assert!(!words.contains(field), "{field}: {words}");
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
            "Password must be 8 to 256 characters."
        );
        let need = DomainError::InsufficientNeed { outstanding: 14 };
        assert_eq!(explain(Lang::Zh, &need), "现在只需要 14 本了。");
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
