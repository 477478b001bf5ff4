//! WeChat in the domain's words: what its answers mean for a person signing in, the rules of
//! subscribe messages (one acceptance allows one message; fields cut to WeChat's limits) and
//! of the shared access token. No HTTP here: the adapter (`crate::wechat`) calls WeChat and
//! hands back a [`WeChatFailure`] when it says no.

use chrono::{DateTime, FixedOffset, Utc};

use super::error::Invalid;
use super::notices::{Notice, NoticeKind};

/// Why WeChat said no, or could not be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeChatFailure {
    /// WeChat answered with an error code.
    Refused {
        /// WeChat's `errcode`.
        errcode: i64,
        /// WeChat's `errmsg`.
        errmsg: String,
    },
    /// No usable answer: a timeout, a refused connection, a 5xx, an answer that is not JSON.
    Unreachable(String),
}

impl WeChatFailure {
    /// What the failure means.
    pub fn meaning(&self) -> Meaning {
        match self {
            WeChatFailure::Refused { errcode, .. } => match errcode {
                40029 | 40163 => Meaning::InvalidCode,
                45011 => Meaning::TooFrequent,
                40226 => Meaning::Blocked,
                // invalid credential, invalid access token, access token expired
                40001 | 40014 | 42001 => Meaning::InvalidToken,
                43101 => Meaning::NotSubscribed,
                _ => Meaning::Other,
            },
            WeChatFailure::Unreachable(_) => Meaning::Other,
        }
    }
}

impl std::fmt::Display for WeChatFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeChatFailure::Refused { errcode, errmsg } => write!(f, "WeChat {errcode}: {errmsg}"),
            WeChatFailure::Unreachable(why) => write!(f, "WeChat did not answer: {why}"),
        }
    }
}

/// What a WeChat error code means here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// 40029 (or 40163, a code used twice): the sign-in code is not valid.
    InvalidCode,
    /// 45011: this person signs in too often.
    TooFrequent,
    /// 40226: WeChat blocked this person.
    Blocked,
    /// The access token is invalid or expired: refresh it (once) and try again.
    InvalidToken,
    /// 43101: the person has not accepted this template (or used up their acceptance).
    NotSubscribed,
    /// Anything else: WeChat is down, busy or misconfigured.
    Other,
}

/// Why a WeChat request from a person was refused, as the API tells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WeChatRefusal {
    /// The `code` from `wx.login` is unknown, expired or already used.
    #[error(
        "the WeChat sign-in code is not valid (it may have been used already); call wx.login again"
    )]
    InvalidCode,
    /// WeChat refuses sign-ins this often for this person.
    #[error("WeChat says this person signs in too often; try again in a minute")]
    TooFrequent,
    /// WeChat has blocked this person.
    #[error("WeChat has blocked this user")]
    Blocked,
    /// WeChat did not answer, or answered with an error it should not have.
    #[error("WeChat does not answer just now; try again later")]
    Unavailable,
    /// This WeChat user already belongs to another account.
    #[error("this WeChat user is already bound to another account")]
    BoundElsewhere,
    /// The account is bound to another WeChat user.
    #[error("this account is already bound to another WeChat user")]
    AccountHasWeChat,
    /// Subscriptions need WeChat bound to the account first.
    #[error("bind WeChat to this account first")]
    NotBound,
}

impl WeChatRefusal {
    /// The refusal a failed sign-in code exchange becomes.
    pub fn from_sign_in(failure: &WeChatFailure) -> Self {
        match failure.meaning() {
            Meaning::InvalidCode => WeChatRefusal::InvalidCode,
            Meaning::TooFrequent => WeChatRefusal::TooFrequent,
            Meaning::Blocked => WeChatRefusal::Blocked,
            _ => WeChatRefusal::Unavailable,
        }
    }
}

/// Who a sign-in code says the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeChatUser {
    /// The person's id in this mini program.
    pub openid: String,
    /// Their id across the charity's WeChat apps, when WeChat gives one.
    pub unionid: Option<String>,
}

/// Checks a `wx.login` code before it is sent anywhere: 1 to 128 visible ASCII characters.
pub fn parse_code(code: &str) -> Result<String, Invalid> {
    let code = code.trim();
    if code.is_empty() || code.len() > 128 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Invalid::new(
            "code",
            "`code` must be the code wx.login gave (1 to 128 visible ASCII characters)",
        ));
    }
    Ok(code.to_owned())
}

/// The most credits one person holds for one template: an acceptance is for one message,
/// and nobody is told 50 things about one pledge before opening the mini program again.
pub const MAX_CREDITS: i32 = 50;

/// Template ids accepted in one request.
pub const MAX_TEMPLATES_PER_REQUEST: usize = 10;

/// The name a WeChat donor's account gets when the mini program sends none.
pub fn default_name(chinese: bool) -> &'static str {
    if chinese {
        "微信用户"
    } else {
        "WeChat user"
    }
}

/// The domain of the placeholder login email of an account made by WeChat sign-in: it has no
/// mailbox (`.invalid` is reserved, RFC 2606), so no email is ever sent to it.
pub const NO_MAILBOX_DOMAIN: &str = "@wechat.invalid";

/// The placeholder login email of a WeChat-made account, from random hex.
pub fn placeholder_email(random_hex: &str) -> String {
    format!("wechat.{random_hex}{NO_MAILBOX_DOMAIN}")
}

/// Whether email can go to this address (not a WeChat account's placeholder).
pub fn has_mailbox(email: &str) -> bool {
    !email.ends_with(NO_MAILBOX_DOMAIN)
}

/// How long before its expiry the access token is refreshed: no message goes out with a
/// token in its last five minutes.
pub const TOKEN_MARGIN_SECONDS: i64 = 300;

/// Forced token refreshes WeChat allows a day.
pub const FORCED_REFRESHES_PER_DAY: i32 = 20;

/// Whether a token expiring at `expires_at` must be refreshed at `now`.
pub fn token_stale(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    expires_at - chrono::Duration::seconds(TOKEN_MARGIN_SECONDS) <= now
}

/// China time, in which WeChat days and message times are read.
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset")
}

/// The day (China time) forced refreshes are counted under.
pub fn token_day(now: DateTime<Utc>) -> String {
    now.with_timezone(&china()).format("%Y-%m-%d").to_string()
}

/// The kind of a template field, which decides how long its value may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `thing`: 20 characters.
    Thing,
    /// `number`: 32 characters.
    Number,
    /// `character_string`: 32 characters.
    CharacterString,
    /// `phrase`: 5 characters (Chinese).
    Phrase,
    /// `name`: 10 characters.
    Name,
    /// `time`: a date and time.
    Time,
}

impl FieldKind {
    /// The kind of a field key (`thing1`, `character_string2`…), by its prefix.
    pub fn of_key(key: &str) -> Option<FieldKind> {
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
        Some(match stem {
            "thing" => FieldKind::Thing,
            "number" => FieldKind::Number,
            "character_string" => FieldKind::CharacterString,
            "phrase" => FieldKind::Phrase,
            "name" => FieldKind::Name,
            "time" => FieldKind::Time,
            _ => return None,
        })
    }

    /// The most characters WeChat takes.
    pub fn limit(self) -> usize {
        match self {
            FieldKind::Thing => 20,
            FieldKind::Number | FieldKind::CharacterString => 32,
            FieldKind::Phrase => 5,
            FieldKind::Name => 10,
            FieldKind::Time => 19,
        }
    }

    /// `value` cut to the limit, in characters (not bytes), with an ellipsis when cut where
    /// words are shown (`thing`, `name`).
    pub fn cut(self, value: &str) -> String {
        let limit = self.limit();
        if value.chars().count() <= limit {
            return value.to_owned();
        }
        match self {
            FieldKind::Thing | FieldKind::Name => {
                let mut cut: String = value.chars().take(limit - 1).collect();
                cut.push('…');
                cut
            }
            _ => value.chars().take(limit).collect(),
        }
    }
}

/// A subscribe message ready to send (the adapter adds the openid and the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeMessage {
    /// The template.
    pub template_id: String,
    /// The mini program page it opens.
    pub page: String,
    /// Its fields, each cut to its kind's limit.
    pub data: Vec<(String, String)>,
    /// `zh_CN` or `en_US`.
    pub lang: &'static str,
}

/// The page of the mini program a notice opens: its pledge (which shows the wish it
/// answered), else the person's notices.
pub fn page_for(notice: &Notice) -> String {
    match notice.pledge_id {
        Some(pledge) => format!("pages/pledge/pledge?id={pledge}"),
        None => "pages/notices/notices".to_owned(),
    }
}

/// The status a notice reports, in at most five characters.
fn phrase(kind: NoticeKind, chinese: bool) -> &'static str {
    match (kind, chinese) {
        (NoticeKind::PledgeMade, true) => "已认捐",
        (NoticeKind::PledgeMade, false) => "New",
        (NoticeKind::PledgeShipped, true) => "已寄出",
        (NoticeKind::PledgeShipped, false) => "Sent",
        (NoticeKind::PledgeDelivered, true) => "已送达",
        (NoticeKind::PledgeDelivered, false) => "Here",
        (NoticeKind::ShipReminder, true) => "请寄出",
        (NoticeKind::ShipReminder, false) => "Due",
        (NoticeKind::PledgeExpired, true) => "已过期",
        (NoticeKind::PledgeExpired, false) => "Ended",
        (NoticeKind::ConfirmReminder, true) => "请确认",
        (NoticeKind::ConfirmReminder, false) => "Check",
        (NoticeKind::AccountApproved, true) => "已通过",
        (NoticeKind::AccountApproved, false) => "OK",
        (NoticeKind::AccountSuspended, true) => "已暂停",
        (NoticeKind::AccountSuspended, false) => "Held",
        (NoticeKind::WishThanked, true) => "已致谢",
        (NoticeKind::WishThanked, false) => "Thank",
        (NoticeKind::SchoolVerified, true) => "已核实",
        (NoticeKind::SchoolVerified, false) => "OK",
    }
}

/// A notice as a subscribe message with `template_id`, in the reader's language. The fields
/// every bookbridge template uses (the README says how to choose templates with them):
/// `thing1` the book's title (or the notice's subject when it is about no book), `phrase2`
/// the status, `time3` when it happened (China time), `thing4` the notice's subject.
pub fn subscribe_message(notice: &Notice, chinese: bool, template_id: &str) -> SubscribeMessage {
    let words = notice.words(chinese);
    let title = notice
        .title
        .clone()
        .unwrap_or_else(|| words.subject.clone());
    let when = notice
        .created_at
        .with_timezone(&china())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let data = [
        ("thing1", title),
        ("phrase2", phrase(notice.kind, chinese).to_owned()),
        ("time3", when),
        ("thing4", words.subject),
    ]
    .into_iter()
    .map(|(key, value)| {
        let kind = FieldKind::of_key(key).expect("the keys above have known kinds");
        (key.to_owned(), kind.cut(&value))
    })
    .collect();
    SubscribeMessage {
        template_id: template_id.to_owned(),
        page: page_for(notice),
        data,
        lang: if chinese { "zh_CN" } else { "en_US" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{AccountId, PledgeId};

    fn shipped(title: &str) -> Notice {
        Notice {
            id: 1,
            account_id: AccountId(1),
            kind: NoticeKind::PledgeShipped,
            pledge_id: Some(PledgeId(42)),
            detail: Some(crate::domain::notices::FOR_DONOR.into()),
            created_at: DateTime::parse_from_rfc3339("2026-12-04T02:30:00Z")
                .unwrap()
                .with_timezone(&Utc),
            title: Some(title.into()),
            thanks: None,
        }
    }

    #[test]
    fn fields_are_cut_to_wechats_limits_in_characters() {
        let long = "The Very Hungry Caterpillar and Friends";
        let message = subscribe_message(&shipped(long), false, "T1");
        let field = |key: &str| {
            message
                .data
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(field("thing1").chars().count(), 20);
        assert_eq!(field("thing1"), "The Very Hungry Cat…");
        assert_eq!(field("time3"), "2026-12-04 10:30:00", "China time");
        assert_eq!(message.page, "pages/pledge/pledge?id=42");
        assert_eq!(message.lang, "en_US");
        // Chinese is cut by characters, never inside a character.
        let zh = subscribe_message(&shipped(&"好".repeat(30)), true, "T1");
        assert_eq!(zh.data[0].1.chars().count(), 20);
        assert_eq!(zh.data[1].1, "已寄出");
        assert_eq!(zh.lang, "zh_CN");
        assert_eq!(FieldKind::Phrase.cut("一二三四五六"), "一二三四五");
        assert_eq!(FieldKind::CharacterString.cut(&"9".repeat(40)).len(), 32);
        assert_eq!(FieldKind::Name.cut("短名"), "短名");
    }

    #[test]
    fn every_kind_fits_in_both_languages() {
        for kind in NoticeKind::ALL {
            for chinese in [true, false] {
                let notice = Notice {
                    kind,
                    pledge_id: None,
                    title: None,
                    ..shipped("x")
                };
                let message = subscribe_message(&notice, chinese, "T");
                for (key, value) in &message.data {
                    let limit = FieldKind::of_key(key).unwrap().limit();
                    assert!(value.chars().count() <= limit, "{kind:?} {key}: {value}");
                    assert!(!value.is_empty(), "{kind:?} {key}");
                }
                assert_eq!(message.page, "pages/notices/notices");
            }
        }
    }

    #[test]
    fn wechat_errors_mean_what_the_documentation_says() {
        let refused = |errcode| WeChatFailure::Refused {
            errcode,
            errmsg: String::new(),
        };
        assert_eq!(
            WeChatRefusal::from_sign_in(&refused(40029)),
            WeChatRefusal::InvalidCode
        );
        assert_eq!(
            WeChatRefusal::from_sign_in(&refused(45011)),
            WeChatRefusal::TooFrequent
        );
        assert_eq!(
            WeChatRefusal::from_sign_in(&refused(40226)),
            WeChatRefusal::Blocked
        );
        assert_eq!(
            WeChatRefusal::from_sign_in(&refused(-1)),
            WeChatRefusal::Unavailable
        );
        assert_eq!(
            WeChatRefusal::from_sign_in(&WeChatFailure::Unreachable("timeout".into())),
            WeChatRefusal::Unavailable
        );
        assert_eq!(refused(42001).meaning(), Meaning::InvalidToken);
        assert_eq!(refused(43101).meaning(), Meaning::NotSubscribed);
    }

    #[test]
    fn codes_are_checked_before_they_go_anywhere() {
        assert!(parse_code("081aBc0w3").is_ok());
        assert!(parse_code("").is_err());
        assert!(parse_code("a b").is_err());
        assert!(parse_code(&"a".repeat(129)).is_err());
        assert!(parse_code("码").is_err());
    }

    #[test]
    fn a_token_is_refreshed_five_minutes_before_it_expires() {
        let now = shipped("x").created_at;
        assert!(!token_stale(now + chrono::Duration::seconds(301), now));
        assert!(token_stale(now + chrono::Duration::seconds(300), now));
        assert!(token_stale(now - chrono::Duration::seconds(1), now));
        assert!(!has_mailbox(&placeholder_email("ab12")));
        assert!(has_mailbox("lina@example.org"));
    }
}
