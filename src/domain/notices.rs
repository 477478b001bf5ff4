//! What people are told, and who is told what. A notice is recorded in the same transaction
//! as the event that causes it and shown on the person's own page (and, with email set up,
//! sent); its kind is a stable code that pages and messages render in the reader's language.

use chrono::{DateTime, Utc};

use super::ids::{AccountId, PledgeId};
use super::pledge_status::PledgeStatus;

/// Why someone is told something.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A donor pledged books to the school (told: the school).
    PledgeMade,
    /// The books are on their way (told: the school and the donor).
    PledgeShipped,
    /// The school confirmed they arrived (told: the donor, with the school's thanks).
    PledgeDelivered,
    /// The date to post by is near (told: the donor).
    ShipReminder,
    /// The pledge ran out of time; its copies are needed again (told: donor and school).
    PledgeExpired,
    /// A parcel shipped long ago is still not confirmed (told: the school).
    ConfirmReminder,
    /// A coordinator approved the account (told: that account).
    AccountApproved,
    /// A coordinator suspended the account (told: that account).
    AccountSuspended,
    /// The school recorded a child's thanks for a wish the donor answered (told: the donor).
    WishThanked,
    /// A coordinator verified the school: donors can now send it books (told: its account).
    SchoolVerified,
}

impl NoticeKind {
    /// Every kind.
    pub const ALL: [NoticeKind; 10] = [
        NoticeKind::PledgeMade,
        NoticeKind::PledgeShipped,
        NoticeKind::PledgeDelivered,
        NoticeKind::ShipReminder,
        NoticeKind::PledgeExpired,
        NoticeKind::ConfirmReminder,
        NoticeKind::AccountApproved,
        NoticeKind::AccountSuspended,
        NoticeKind::WishThanked,
        NoticeKind::SchoolVerified,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::PledgeMade => "pledge_made",
            NoticeKind::PledgeShipped => "pledge_shipped",
            NoticeKind::PledgeDelivered => "pledge_delivered",
            NoticeKind::ShipReminder => "ship_reminder",
            NoticeKind::PledgeExpired => "pledge_expired",
            NoticeKind::ConfirmReminder => "confirm_reminder",
            NoticeKind::AccountApproved => "account_approved",
            NoticeKind::AccountSuspended => "account_suspended",
            NoticeKind::WishThanked => "wish_thanked",
            NoticeKind::SchoolVerified => "school_verified",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Where a notice's email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting to be sent (or to be tried again).
    Pending,
    /// Sent.
    Sent,
    /// Not sent by choice: no mail server is set up, or the person turned email off. The
    /// notice still shows on their page.
    Kept,
    /// Every try failed; an admin can send it again.
    Failed,
}

impl Delivery {
    /// Every state.
    pub const ALL: [Delivery; 4] = [
        Delivery::Pending,
        Delivery::Sent,
        Delivery::Kept,
        Delivery::Failed,
    ];

    /// Reads a stored name.
    pub fn parse(stored: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == stored)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Pending => "pending",
            Delivery::Sent => "sent",
            Delivery::Kept => "kept",
            Delivery::Failed => "failed",
        }
    }
}

/// How a sent notice reached its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentVia {
    /// By email.
    Email,
    /// As a WeChat subscribe message.
    WeChat,
}

impl SentVia {
    /// Reads a stored name.
    pub fn parse(stored: &str) -> Option<SentVia> {
        [SentVia::Email, SentVia::WeChat]
            .into_iter()
            .find(|v| v.as_str() == stored)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SentVia::Email => "email",
            SentVia::WeChat => "wechat",
        }
    }
}

/// How a notice goes out beyond the person's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// An email to the person.
    Email,
    /// A signed POST to one of the charity's webhook receivers.
    Webhook,
}

/// Tries before a notice's email is given up on.
pub const MAX_SEND_ATTEMPTS: u32 = 5;

/// When to try again after `attempts` failed tries: 1, 2, 4, 8 minutes…; `None` once
/// [`MAX_SEND_ATTEMPTS`] have failed.
pub fn retry_after(attempts: u32) -> Option<chrono::Duration> {
    (attempts < MAX_SEND_ATTEMPTS)
        .then(|| chrono::Duration::minutes(1i64 << attempts.saturating_sub(1).min(10)))
}

/// Where a message stands after its `attempts`-th try failed at `now`: due again after the
/// back-off, or given up.
pub fn after_failure(attempts: u32, now: DateTime<Utc>) -> (Delivery, Option<DateTime<Utc>>) {
    match retry_after(attempts) {
        Some(wait) => (Delivery::Pending, Some(now + wait)),
        None => (Delivery::Failed, None),
    }
}

/// A notice in words, for a page or an email: a subject line and one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The subject (an email's subject; a page's bold line).
    pub subject: String,
    /// What happened and what to do now.
    pub body: String,
}

impl Notice {
    /// This notice in Chinese (`chinese`) or English.
    pub fn words(&self, chinese: bool) -> Words {
        let book = match (self.title.as_deref(), chinese) {
            (Some(t), true) => format!("《{t}》"),
            (Some(t), false) => format!("“{t}”"),
            (None, true) => "这些书".to_owned(),
            (None, false) => "the books".to_owned(),
        };
        let days = self.detail.as_deref().unwrap_or("");
        let thanks = match (self.thanks.as_deref(), chinese) {
            (Some(t), true) => format!("孩子的感谢：“{t}”"),
            (Some(t), false) => format!("The child's thanks: “{t}”"),
            (None, true) => "孩子的感谢可以在认捐页面看到。".to_owned(),
            (None, false) => "You can see the child's thanks on your pledge page.".to_owned(),
        };
        let (subject, body) = match (self.kind, chinese) {
            (NoticeKind::PledgeMade, false) => (
                "A donor pledged books to your school".to_owned(),
                format!("A donor has promised {book} to your school. You will be told when the parcel is posted."),
            ),
            (NoticeKind::PledgeMade, true) => (
                "有捐书人给您的学校认捐了书".to_owned(),
                format!("有捐书人承诺把{book}捐给您的学校。寄出后我们会告诉您。"),
            ),
            (NoticeKind::PledgeShipped, false) if self.detail.as_deref() == Some(FOR_DONOR) => (
                "Your books are on their way".to_owned(),
                format!("{book} has been posted to the school. We will tell you when the school confirms it arrived."),
            ),
            (NoticeKind::PledgeShipped, true) if self.detail.as_deref() == Some(FOR_DONOR) => (
                "您捐的书已经寄出".to_owned(),
                format!("{book}已经寄往学校。学校确认收到后，我们会告诉您。"),
            ),
            (NoticeKind::PledgeShipped, false) => (
                "Books are on their way".to_owned(),
                format!("{book} has been posted. When it arrives, please confirm it on the school page."),
            ),
            (NoticeKind::PledgeShipped, true) => (
                "书已经寄出".to_owned(),
                format!("{book}已经寄出。收到后请在学校页面确认收到。"),
            ),
            (NoticeKind::PledgeDelivered, false) => (
                "Your books arrived: thank you from the school".to_owned(),
                match &self.thanks {
                    Some(_) => format!("The school confirmed that {book} arrived. Thank you for giving! {thanks}"),
                    None => format!("The school confirmed that {book} arrived. Thank you for giving!"),
                },
            ),
            (NoticeKind::PledgeDelivered, true) => (
                "您捐的书已经送到，学校向您致谢".to_owned(),
                match &self.thanks {
                    Some(_) => format!("学校已确认收到{book}。谢谢您的捐赠！{thanks}"),
                    None => format!("学校已确认收到{book}。谢谢您的捐赠！"),
                },
            ),
            (NoticeKind::WishThanked, false) => (
                "A thank-you from the child you gave a book to".to_owned(),
                format!("The child who wished for {book} sends thanks. {thanks}"),
            ),
            (NoticeKind::WishThanked, true) => (
                "孩子给您写了感谢".to_owned(),
                format!("许愿要{book}的孩子向您表示感谢。{thanks}"),
            ),
            (NoticeKind::ShipReminder, false) => (
                format!("Please post your books: {days} days left"),
                format!("Your pledge of {book} should be posted within {days} days. If you need more time, you can ask once on the pledge page."),
            ),
            (NoticeKind::ShipReminder, true) => (
                format!("请寄出您认捐的书：还剩 {days} 天"),
                format!("您认捐的{book}请在 {days} 天内寄出。如果需要更多时间，可以在认捐页面申请延期一次。"),
            ),
            (NoticeKind::PledgeExpired, false) => (
                "A pledge expired".to_owned(),
                format!("The pledge of {book} was not posted in time, so the school's list asks for it again."),
            ),
            (NoticeKind::PledgeExpired, true) => (
                "一份认捐已过期".to_owned(),
                format!("{book}没有按时寄出，认捐已过期，学校的书单重新需要这本书。"),
            ),
            (NoticeKind::ConfirmReminder, false) => (
                "Did the books arrive?".to_owned(),
                format!("{book} was posted a while ago. If it has arrived, please confirm it on the school page; if not, tell a volunteer."),
            ),
            (NoticeKind::ConfirmReminder, true) => (
                "书收到了吗？".to_owned(),
                format!("{book}已经寄出一段时间了。如果已经收到，请在学校页面确认；如果没有收到，请告诉志愿者。"),
            ),
            (NoticeKind::AccountApproved, false) => (
                "Your account is approved".to_owned(),
                "A coordinator approved your bookbridge account: you can now do everything your role allows.".to_owned(),
            ),
            (NoticeKind::AccountApproved, true) => (
                "您的账号已通过审核".to_owned(),
                "协调员已通过您的书桥账号审核，现在可以使用全部功能了。".to_owned(),
            ),
            (NoticeKind::AccountSuspended, false) => (
                "Your account is suspended".to_owned(),
                "A coordinator suspended your bookbridge account. Please contact the charity if you think this is a mistake.".to_owned(),
            ),
            (NoticeKind::SchoolVerified, false) => (
                "Your school is verified".to_owned(),
                "A coordinator checked your school's identification code: your school now shows in search, donors can send you books, and you can upload your book list.".to_owned(),
            ),
            (NoticeKind::SchoolVerified, true) => (
                "您的学校已通过核实".to_owned(),
                "协调员已核实学校标识码：学校现在会出现在搜索结果里，捐书人可以给您寄书，您也可以上传书单了。".to_owned(),
            ),
            (NoticeKind::AccountSuspended, true) => (
                "您的账号已被暂停".to_owned(),
                "协调员暂停了您的书桥账号。如有疑问，请联系我们。".to_owned(),
            ),
        };
        Words { subject, body }
    }
}

/// The `detail` of a pledge notice that goes to its donor.
pub const FOR_DONOR: &str = "donor";

/// Who of a pledge's people is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// Its donor.
    Donor,
    /// The account that runs the receiving school.
    School,
}

/// Who is told of a pledge moving to `to`, and as what.
pub fn on_move(to: PledgeStatus) -> Vec<(Recipient, NoticeKind)> {
    match to {
        PledgeStatus::Pledged => vec![(Recipient::School, NoticeKind::PledgeMade)],
        PledgeStatus::Shipped => vec![
            (Recipient::School, NoticeKind::PledgeShipped),
            (Recipient::Donor, NoticeKind::PledgeShipped),
        ],
        PledgeStatus::Delivered => vec![(Recipient::Donor, NoticeKind::PledgeDelivered)],
        PledgeStatus::Expired => vec![
            (Recipient::Donor, NoticeKind::PledgeExpired),
            (Recipient::School, NoticeKind::PledgeExpired),
        ],
        // The donor cancelled it themselves; losses and returns are handled by volunteers
        // who talk to the people concerned.
        PledgeStatus::Cancelled | PledgeStatus::Lost | PledgeStatus::Returned => Vec::new(),
    }
}

/// A notice on its way out by email: who it goes to, in which language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The notice.
    pub notice: Notice,
    /// The person's email address.
    pub email: String,
    /// The language they read.
    pub language: super::language::Language,
    /// Whether they want email at all.
    pub email_notices: bool,
    /// Their WeChat openid, when WeChat is bound to their account.
    pub openid: Option<String>,
    /// Tries so far.
    pub attempts: u32,
}

/// The once-only key of the reminder to confirm pledge `id` (also used to find pledges
/// whose school has not been reminded).
pub fn confirm_key(id: &str) -> String {
    format!("pledge:{id}:confirm")
}

/// A notice to record about a pledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    /// Who is told.
    pub to: Recipient,
    /// What about.
    pub kind: NoticeKind,
    /// Extra words, e.g. the reminder's days.
    pub detail: Option<String>,
    /// Records it at most once (a reminder per pledge and day count).
    pub dedupe_key: Option<String>,
}

impl NewNotice {
    /// The notices for a pledge moving to `to`.
    pub fn for_move(to: PledgeStatus) -> Vec<NewNotice> {
        on_move(to)
            .into_iter()
            .map(|(to, kind)| NewNotice {
                to,
                kind,
                // The same event reads differently for the one who gave and the one who
                // receives: the donor is not asked to confirm on the school's page.
                detail: (to == Recipient::Donor).then(|| FOR_DONOR.to_owned()),
                dedupe_key: None,
            })
            .collect()
    }

    /// The reminder to confirm a parcel shipped long ago, once per pledge.
    pub fn confirm_reminder(pledge: PledgeId) -> NewNotice {
        NewNotice {
            to: Recipient::School,
            kind: NoticeKind::ConfirmReminder,
            detail: None,
            dedupe_key: Some(confirm_key(&pledge.to_string())),
        }
    }

    /// The child's thanks for a claim, to its donor, once.
    pub fn thanks(pledge: PledgeId) -> NewNotice {
        NewNotice {
            to: Recipient::Donor,
            kind: NoticeKind::WishThanked,
            detail: None,
            dedupe_key: Some(format!("pledge:{pledge}:thanks")),
        }
    }

    /// The reminder `days` before a pledge's date to post by, once.
    pub fn reminder(pledge: PledgeId, days: u32) -> NewNotice {
        NewNotice {
            to: Recipient::Donor,
            kind: NoticeKind::ShipReminder,
            detail: Some(days.to_string()),
            dedupe_key: Some(format!("pledge:{pledge}:remind:{days}")),
        }
    }
}

/// A notice as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Notice {
    /// Its id.
    pub id: i64,
    /// Who is told.
    pub account_id: AccountId,
    /// What about.
    pub kind: NoticeKind,
    /// The pledge it is about.
    pub pledge_id: Option<PledgeId>,
    /// Extra words: a reminder's days, or `donor` ([`FOR_DONOR`]) on a pledge notice that
    /// went to its donor.
    pub detail: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// The title of the pledge's book, when the catalogue knows it.
    pub title: Option<String>,
    /// The child's thanks, for a pledge that answered a child's wish (pages and emails
    /// only; gone once the child's details are removed).
    #[serde(skip)]
    pub thanks: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_move_tells_the_people_who_act_next() {
        assert_eq!(
            on_move(PledgeStatus::Pledged),
            [(Recipient::School, NoticeKind::PledgeMade)]
        );
        let shipped = on_move(PledgeStatus::Shipped);
        assert!(shipped.contains(&(Recipient::School, NoticeKind::PledgeShipped)));
        assert!(shipped.contains(&(Recipient::Donor, NoticeKind::PledgeShipped)));
        assert_eq!(
            on_move(PledgeStatus::Delivered),
            [(Recipient::Donor, NoticeKind::PledgeDelivered)]
        );
        assert_eq!(on_move(PledgeStatus::Expired).len(), 2);
        assert!(on_move(PledgeStatus::Cancelled).is_empty());
    }

    #[test]
    fn a_shipped_parcel_asks_the_school_to_confirm_and_tells_the_donor_it_is_on_its_way() {
        let made = NewNotice::for_move(PledgeStatus::Shipped);
        let notice = |to: Recipient| {
            let new = made.iter().find(|n| n.to == to).unwrap();
            Notice {
                id: 1,
                account_id: AccountId(1),
                kind: new.kind,
                pledge_id: Some(PledgeId(2)),
                detail: new.detail.clone(),
                created_at: chrono::DateTime::UNIX_EPOCH,
                title: Some("小王子".into()),
                thanks: None,
            }
        };
        let school = notice(Recipient::School).words(true);
        assert!(
            school.body.contains("请在学校页面确认收到"),
            "{}",
            school.body
        );
        let donor = notice(Recipient::Donor);
        for chinese in [true, false] {
            let words = donor.words(chinese);
            assert!(!words.body.contains("请在学校页面"), "{}", words.body);
            assert!(!words.body.contains("please confirm"), "{}", words.body);
        }
    }

    #[test]
    fn every_notice_reads_in_both_languages() {
        for kind in NoticeKind::ALL {
            let notice = Notice {
                id: 1,
                account_id: AccountId(1),
                kind,
                pledge_id: Some(PledgeId(2)),
                detail: Some("7".into()),
                created_at: chrono::DateTime::UNIX_EPOCH,
                title: Some("Goodnight Moon".into()),
                thanks: None,
            };
            let en = notice.words(false);
            let zh = notice.words(true);
            let about_a_book = !matches!(
                kind,
                NoticeKind::AccountApproved
                    | NoticeKind::AccountSuspended
                    | NoticeKind::SchoolVerified
            );
            assert_eq!(
                en.body.contains("Goodnight Moon"),
                about_a_book,
                "{kind:?}: {}",
                en.body
            );
            assert_eq!(
                zh.body.contains("《Goodnight Moon》"),
                about_a_book,
                "{kind:?}: {}",
                zh.body
            );
            let untitled = Notice {
                title: None,
                ..notice
            };
            assert_eq!(
                untitled.words(false).body.contains("the books"),
                about_a_book
            );
            assert!(!zh.subject.is_ascii(), "{kind:?} has a Chinese subject");
        }
    }

    #[test]
    fn failed_sends_back_off_then_give_up() {
        assert_eq!(retry_after(1), Some(chrono::Duration::minutes(1)));
        assert_eq!(retry_after(2), Some(chrono::Duration::minutes(2)));
        assert_eq!(retry_after(4), Some(chrono::Duration::minutes(8)));
        assert_eq!(retry_after(MAX_SEND_ATTEMPTS), None);
    }

    #[test]
    fn kinds_round_trip_and_reminders_are_once_per_day_count() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
        let a = NewNotice::reminder(PledgeId(5), 7);
        let b = NewNotice::reminder(PledgeId(5), 2);
        assert_ne!(a.dedupe_key, b.dedupe_key);
        assert_eq!(a.dedupe_key, NewNotice::reminder(PledgeId(5), 7).dedupe_key);
    }
}
