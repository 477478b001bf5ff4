//! Children's own reading wishes: one child, one book from a curated list, one sentence of
//! why. These are minors' details, so this file also decides what is asked of a teacher
//! (a given name only, a guardian's consent), who sees a child's details, and how long they
//! are kept.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use super::actor::Actor;
use super::error::Invalid;
use super::ids::{AccountId, BookListId, ChildWishId, PledgeId, SchoolId};
use super::isbn::Isbn;
use super::pledge_status::PledgeStatus;
use super::role::Role;

/// Longest sentence a child's wish (or thanks) may hold, in characters.
pub const MAX_SENTENCE_CHARS: usize = 60;

/// A child's given name or nickname: never a full name. At most two Chinese characters
/// (a Chinese full name is usually three, its surname first) or one Latin word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ChildName(String);

impl ChildName {
    /// Most letters a Latin nickname may have.
    pub const MAX_LATIN: usize = 20;

    /// Checks what a teacher typed.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        let refuse = |why: &str| Err(Invalid::new("child_name", why.to_owned()));
        if name.is_empty() {
            return refuse(
                "`child_name` must not be empty: give the child's given name or a nickname",
            );
        }
        let han = name.chars().filter(|c| is_han(*c)).count();
        if han > 0 {
            if han != name.chars().count() {
                return refuse("`child_name` must be Chinese characters only, or one Latin word");
            }
            if han > 2 {
                return refuse("`child_name` may have at most two Chinese characters: a given name or nickname, never the surname");
            }
            return Ok(ChildName(name.to_owned()));
        }
        if name.split_whitespace().count() > 1 {
            return refuse(
                "`child_name` must be one word: a given name or nickname, never the surname",
            );
        }
        let letters_only = name
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'');
        if !letters_only || !name.chars().next().is_some_and(char::is_alphabetic) {
            return refuse("`child_name` must be letters only");
        }
        if name.chars().count() > Self::MAX_LATIN {
            return refuse("`child_name` must be at most 20 letters");
        }
        Ok(ChildName(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A stored name (checked when it was written).
    pub fn from_stored(name: String) -> Self {
        ChildName(name)
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

/// The child's own sentence (why this book), or the child's thanks: 1 to 60 characters.
pub fn sentence(field: &'static str, raw: &str) -> Result<String, Invalid> {
    super::text::required(field, raw, MAX_SENTENCE_CHARS)
}

/// Which book a wish card is for, from the form's two ways of saying it: a book ticked on a
/// curated list's shelf, or any ISBN typed. Either alone will do; both are taken only when
/// they are the same book (a teacher who ticked one and typed another is asked which).
/// `Ok((isbn, from_the_shelf))`.
pub fn choose_book(
    ticked: Option<&str>,
    typed: Option<&str>,
) -> Result<(Isbn, bool), super::error::DomainError> {
    use super::error::DomainError;
    fn present(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let read = |raw: &str, field: &'static str| {
        Isbn::parse(raw).map_err(|e| DomainError::InvalidIsbn(e, field))
    };
    match (present(ticked), present(typed)) {
        (Some(ticked), None) => Ok((read(ticked, "isbn")?, true)),
        (None, Some(typed)) => Ok((read(typed, "isbn_typed")?, false)),
        (Some(ticked), Some(typed)) => {
            let (ticked, typed) = (read(ticked, "isbn")?, read(typed, "isbn_typed")?);
            if ticked == typed {
                Ok((ticked, true))
            } else {
                Err(Invalid::new(
                    "book_choice",
                    "a book is ticked and another ISBN typed: keep one of them",
                )
                .into())
            }
        }
        (None, None) => Err(Invalid::new(
            "book_choice",
            "tick the book the child chose, or type its ISBN",
        )
        .into()),
    }
}

/// A school grade: 1-6 primary, 7-9 junior middle school (初一 to 初三).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Grade(u8);

impl Grade {
    /// The lowest grade.
    pub const FIRST: u8 = 1;
    /// The highest grade.
    pub const LAST: u8 = 9;

    /// Checks a grade number.
    pub fn new(n: i64) -> Result<Self, Invalid> {
        match u8::try_from(n) {
            Ok(g) if (Self::FIRST..=Self::LAST).contains(&g) => Ok(Grade(g)),
            _ => Err(Invalid::new("grade", "`grade` must be from 1 to 9")),
        }
    }

    /// Reads a grade typed or sent as text (a query parameter, a form field).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        raw.trim()
            .parse::<i64>()
            .map_err(|_| Invalid::new("grade", "`grade` must be from 1 to 9"))
            .and_then(Grade::new)
    }

    /// Every grade.
    pub fn all() -> impl Iterator<Item = Grade> {
        (Self::FIRST..=Self::LAST).map(Grade)
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }

    /// "Grade 3" or 三年级 (初一 for grade 7).
    pub fn label(self, chinese: bool) -> String {
        const ZH: [&str; 9] = [
            "一年级",
            "二年级",
            "三年级",
            "四年级",
            "五年级",
            "六年级",
            "初一",
            "初二",
            "初三",
        ];
        if chinese {
            ZH[usize::from(self.0 - 1)].to_owned()
        } else {
            format!("Grade {}", self.0)
        }
    }
}

/// Where a wish stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WishStatus {
    /// Written down, but the guardian's consent is not yet recorded: seen by its school only.
    AwaitingConsent,
    /// Published: donors may claim it.
    Open,
    /// A donor's pledge of the book is under way.
    Claimed,
    /// The book reached the child.
    Delivered,
    /// The teacher withdrew it; the child's details are gone.
    Withdrawn,
}

/// What happens to a wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WishEvent {
    /// The teacher records that the guardian agreed.
    Consent,
    /// A donor claims it.
    Claim,
    /// The claim's pledge ended without the book (cancelled, expired, lost, returned).
    Release,
    /// The school confirmed the book arrived.
    Deliver,
    /// The teacher withdraws it.
    Withdraw,
}

/// A wish event its status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a wish that is `{}` cannot be {}", from.as_str(), event_words(*event))]
pub struct WishRefused {
    /// Where the wish is.
    pub from: WishStatus,
    /// What was tried.
    pub event: WishEvent,
}

impl From<WishRefused> for super::error::DomainError {
    fn from(err: WishRefused) -> Self {
        super::error::DomainError::WishRefused(err.to_string())
    }
}

fn event_words(event: WishEvent) -> &'static str {
    match event {
        WishEvent::Consent => "given consent",
        WishEvent::Claim => "claimed",
        WishEvent::Release => "released",
        WishEvent::Deliver => "delivered",
        WishEvent::Withdraw => "withdrawn",
    }
}

impl WishStatus {
    /// Every status.
    pub const ALL: [WishStatus; 5] = [
        WishStatus::AwaitingConsent,
        WishStatus::Open,
        WishStatus::Claimed,
        WishStatus::Delivered,
        WishStatus::Withdrawn,
    ];

    /// The one place that decides a wish's moves:
    /// `awaiting_consent -> open -> claimed -> delivered`, `claimed -> open` (its pledge
    /// ended without the book), and withdrawal from any status but `delivered` (a delivered
    /// wish is withdrawn by removing its details; it still counts as answered).
    pub fn after(self, event: WishEvent) -> Result<WishStatus, WishRefused> {
        use WishEvent as E;
        use WishStatus as S;
        match (self, event) {
            (S::AwaitingConsent, E::Consent) => Ok(S::Open),
            (S::Open, E::Claim) => Ok(S::Claimed),
            (S::Claimed, E::Release) => Ok(S::Open),
            (S::Claimed, E::Deliver) => Ok(S::Delivered),
            (S::AwaitingConsent | S::Open | S::Claimed, E::Withdraw) => Ok(S::Withdrawn),
            (from, event) => Err(WishRefused { from, event }),
        }
    }

    /// What a claim's pledge moving to `to` does to its wish, if anything.
    pub fn event_for_pledge(to: PledgeStatus) -> Option<WishEvent> {
        match to {
            PledgeStatus::Delivered => Some(WishEvent::Deliver),
            PledgeStatus::Pledged | PledgeStatus::Shipped => None,
            _ => Some(WishEvent::Release),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WishStatus::AwaitingConsent => "awaiting_consent",
            WishStatus::Open => "open",
            WishStatus::Claimed => "claimed",
            WishStatus::Delivered => "delivered",
            WishStatus::Withdrawn => "withdrawn",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    /// Answered: a donor took it (under way or arrived).
    pub fn is_answered(self) -> bool {
        matches!(self, WishStatus::Claimed | WishStatus::Delivered)
    }
}

/// A child's wish as stored. The child's details are `None` once removed.
#[derive(Debug, Clone)]
pub struct ChildWish {
    /// Its id.
    pub id: ChildWishId,
    /// The school.
    pub school_id: SchoolId,
    /// The account that runs the school.
    pub school_owner: AccountId,
    /// The school's name.
    pub school_name: String,
    /// Whether the school is verified (only verified schools' wishes are public).
    pub school_verified: bool,
    /// Its province.
    pub province: String,
    /// Its county.
    pub county: String,
    /// The one-copy item its claim counts against.
    pub wishlist_item_id: super::ids::WishlistItemId,
    /// The book.
    pub isbn: Isbn,
    /// Its title, when known.
    pub title: Option<String>,
    /// The child's grade.
    pub grade: Grade,
    /// The curated list it was chosen from, if any.
    pub booklist_id: Option<BookListId>,
    /// Given name or nickname (removed with the details).
    pub child_name: Option<ChildName>,
    /// The child's sentence (removed with the details).
    pub sentence: Option<String>,
    /// File name of the card's photo (removed with the details).
    pub photo: Option<String>,
    /// Where it stands.
    pub status: WishStatus,
    /// Who recorded the guardian's consent, and when.
    pub consent: Option<(AccountId, DateTime<Utc>)>,
    /// The child's thanks (removed with the details).
    pub thanks: Option<String>,
    /// File name of the thanks card's photo (removed with the details).
    pub thanks_photo: Option<String>,
    /// When the thanks was recorded.
    pub thanked_at: Option<DateTime<Utc>>,
    /// When the book arrived.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When the child's details were removed.
    pub details_removed_at: Option<DateTime<Utc>>,
    /// The donor whose pledge answers it now (or answered it), if any.
    pub donor: Option<AccountId>,
    /// That pledge.
    pub pledge_id: Option<PledgeId>,
    /// When it was written down.
    pub created_at: DateTime<Utc>,
}

impl ChildWish {
    /// Published: open, claimed or delivered at a verified school. Anyone may know such a wish
    /// exists; any other is its school's and the admins' alone.
    pub fn is_published(&self) -> bool {
        self.school_verified
            && matches!(
                self.status,
                WishStatus::Open | WishStatus::Claimed | WishStatus::Delivered
            )
    }

    /// A donor may claim it now: open, with the child's details still kept.
    pub fn is_claimable(&self) -> bool {
        self.is_published() && self.status == WishStatus::Open && self.details_removed_at.is_none()
    }
}

/// A wish on the pledge that answers it: the child's details only for those who may see
/// them ([`may_see_child`]); the thanks once the school recorded it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgedWish {
    /// The wish.
    pub id: ChildWishId,
    /// The child's grade.
    #[schema(value_type = u8)]
    pub grade: Grade,
    /// Where the wish stands.
    pub status: WishStatus,
    /// The child's given name or nickname.
    pub child_name: Option<String>,
    /// The child's sentence: why this book.
    pub sentence: Option<String>,
    /// The child's thanks, once the school recorded it.
    pub thanks: Option<String>,
    /// When the thanks was recorded.
    pub thanked_at: Option<DateTime<Utc>>,
    /// Whether there is a photo of the wish card to see.
    pub has_photo: bool,
    /// Whether there is a photo of the thanks card to see.
    pub has_thanks_photo: bool,
    /// Whether the child's details have been removed (withdrawn, or kept their time).
    pub details_removed: bool,
}

impl PledgedWish {
    /// The wish as `actor` may see it.
    pub fn for_actor(actor: Option<&Actor>, wish: &ChildWish) -> Self {
        let sees = may_see_child(actor, wish);
        let shown = |v: &Option<String>| if sees { v.clone() } else { None };
        PledgedWish {
            id: wish.id,
            grade: wish.grade,
            status: wish.status,
            child_name: if sees {
                wish.child_name.as_ref().map(|n| n.as_str().to_owned())
            } else {
                None
            },
            sentence: shown(&wish.sentence),
            thanks: shown(&wish.thanks),
            thanked_at: wish.thanked_at,
            has_photo: sees && wish.photo.is_some(),
            has_thanks_photo: sees && wish.thanks_photo.is_some(),
            details_removed: wish.details_removed_at.is_some()
                || wish.status == WishStatus::Withdrawn,
        }
    }
}

/// A wish card as listed (the public list, a class page, the school's own list): the
/// school's public fields, never its address; the child's details only for those who may
/// see them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WishCard {
    /// The wish.
    pub id: ChildWishId,
    /// Where it stands.
    pub status: WishStatus,
    /// The school.
    pub school_id: SchoolId,
    /// Its name.
    pub school_name: String,
    /// Its province.
    pub province: String,
    /// Its county.
    pub county: String,
    /// The child's grade (1-9).
    #[schema(value_type = u8)]
    pub grade: Grade,
    /// The book.
    pub isbn: Isbn,
    /// Its title, when known.
    pub title: Option<String>,
    /// The child's given name or nickname.
    pub child_name: Option<String>,
    /// The child's sentence.
    pub sentence: Option<String>,
    /// Whether there is a photo of the card to see.
    pub has_photo: bool,
    /// The curated list it was chosen from.
    pub booklist_id: Option<BookListId>,
    /// When the guardian's consent was recorded (the school and admins only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_at: Option<DateTime<Utc>>,
    /// The child's thanks (those who may see the child).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thanks: Option<String>,
    /// When it was published or written down.
    pub created_at: DateTime<Utc>,
}

impl WishCard {
    /// The card as `actor` may see it.
    pub fn for_actor(actor: Option<&Actor>, wish: &ChildWish) -> Self {
        let sees = may_see_child(actor, wish);
        let keeper = actor.is_some_and(|a| {
            a.is_admin() || (a.role == Role::School && a.account == wish.school_owner)
        });
        WishCard {
            id: wish.id,
            status: wish.status,
            school_id: wish.school_id,
            school_name: wish.school_name.clone(),
            province: wish.province.clone(),
            county: wish.county.clone(),
            grade: wish.grade,
            isbn: wish.isbn.clone(),
            title: wish.title.clone(),
            child_name: wish
                .child_name
                .as_ref()
                .filter(|_| sees)
                .map(|n| n.as_str().to_owned()),
            sentence: wish.sentence.clone().filter(|_| sees),
            has_photo: sees && wish.photo.is_some(),
            booklist_id: wish.booklist_id,
            consent_at: wish.consent.filter(|_| keeper).map(|(_, at)| at),
            thanks: wish.thanks.clone().filter(|_| sees),
            created_at: wish.created_at,
        }
    }
}

/// Which photo of a wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    /// The handwritten wish card.
    Card,
    /// The thanks card.
    Thanks,
}

/// The wishes of one class (a school's grade) as counts: what a shared class page says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClassCounts {
    /// Published wishes (open, claimed or delivered).
    pub wishes: u32,
    /// Of those, answered by a donor (claimed or delivered).
    pub answered: u32,
    /// Of those, whose book arrived.
    pub delivered: u32,
}

impl ClassCounts {
    /// Adds `n` wishes in `status`.
    pub fn add(&mut self, status: WishStatus, n: u32) {
        if matches!(
            status,
            WishStatus::Open | WishStatus::Claimed | WishStatus::Delivered
        ) {
            self.wishes += n;
        }
        if status.is_answered() {
            self.answered += n;
        }
        if status == WishStatus::Delivered {
            self.delivered += n;
        }
    }
}

/// Whether `actor` (none: the public) may see a wish's child details (name, sentence,
/// photos, thanks): the decision for the API, the pages and the photo files alike.
/// - anyone, while it is open (published with the guardian's consent);
/// - its school's own account, whatever its status (it wrote it down);
/// - the donor whose pledge answers it, once claimed or delivered;
/// - an active admin;
/// - nobody once withdrawn or once the details are removed (there is nothing left).
///
/// Volunteers ship the book without needing to know the child.
pub fn may_see_child(actor: Option<&Actor>, wish: &ChildWish) -> bool {
    if wish.details_removed_at.is_some() || wish.status == WishStatus::Withdrawn {
        return false;
    }
    let owner = actor.is_some_and(|a| a.role == Role::School && a.account == wish.school_owner);
    let admin = actor.is_some_and(Actor::is_admin);
    let answering_donor = actor.is_some_and(|a| {
        a.is_active()
            && a.role == Role::Donor
            && wish.status.is_answered()
            && wish.donor == Some(a.account)
    });
    owner || admin || answering_donor || wish.status == WishStatus::Open
}

/// How long a delivered wish's child details are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Until the end of the school year it was delivered in (China time): this day and
    /// month, e.g. 31 July.
    SchoolYearEnd {
        /// Month (1-12).
        month: u32,
        /// Day of the month.
        day: u32,
    },
    /// This many days after delivery.
    Days(u32),
}

impl Default for Retention {
    fn default() -> Self {
        Retention::SchoolYearEnd { month: 7, day: 31 }
    }
}

impl Retention {
    /// When details of a wish delivered at `delivered` are removed: the first moment after
    /// the period ends.
    pub fn removal_at(self, delivered: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Retention::Days(days) => delivered + chrono::Duration::days(i64::from(days)),
            Retention::SchoolYearEnd { month, day } => {
                let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
                let local = delivered.with_timezone(&china).date_naive();
                let end_in = |year: i32| {
                    NaiveDate::from_ymd_opt(year, month, day)
                        .or_else(|| NaiveDate::from_ymd_opt(year, month, 28))
                        .unwrap_or(local)
                };
                let mut end = end_in(local.year());
                if end < local {
                    end = end_in(local.year() + 1);
                }
                let next_day = end.succ_opt().unwrap_or(end).and_hms_opt(0, 0, 0);
                next_day
                    .and_then(|t| china.from_local_datetime(&t).single())
                    .map_or(delivered, |t| t.with_timezone(&Utc))
            }
        }
    }

    /// Wishes delivered at or before this moment have had their time at `now` (removal
    /// time only grows with the delivery time), so one range query finds them all.
    pub fn delivered_by(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Retention::Days(days) => Some(now - chrono::Duration::days(i64::from(days))),
            Retention::SchoolYearEnd { .. } => {
                // The last end of a school year at or before `now`: everything delivered
                // before it is due.
                let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
                let year = now.with_timezone(&china).year();
                let end_of = |year: i32| {
                    let new_year = NaiveDate::from_ymd_opt(year, 1, 1)?.and_hms_opt(0, 0, 0)?;
                    let start = china.from_local_datetime(&new_year).single()?;
                    Some(self.removal_at(start.with_timezone(&Utc)))
                };
                let end = match end_of(year)? {
                    end if end <= now => end,
                    _ => end_of(year - 1)?,
                };
                Some(end - chrono::Duration::nanoseconds(1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_wish_card_names_its_book_one_way_or_the_same_book_both_ways() {
        let prince = "9787020031566";
        let charlotte = "9787532757848";
        assert_eq!(
            choose_book(Some(prince), None).unwrap(),
            (Isbn::parse(prince).unwrap(), true)
        );
        assert_eq!(
            choose_book(None, Some("９７８７０２００３１５６６")).unwrap(),
            (Isbn::parse(prince).unwrap(), false),
            "typed alone, full-width digits and all"
        );
        assert_eq!(
            choose_book(Some(prince), Some("978-7-02-003156-6"))
                .unwrap()
                .0
                .as_str(),
            prince
        );
        let field = |r: Result<(Isbn, bool), crate::domain::error::DomainError>| match r {
            Err(crate::domain::error::DomainError::Invalid(i)) => i.field,
            Err(crate::domain::error::DomainError::InvalidIsbn(_, field)) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(choose_book(Some(prince), Some(charlotte))),
            "book_choice",
            "never silently one of them"
        );
        assert_eq!(field(choose_book(None, Some(" "))), "book_choice");
        assert_eq!(field(choose_book(None, Some("12345"))), "isbn_typed");
    }

    use super::*;

    #[test]
    fn a_given_name_or_nickname_passes_and_a_full_name_does_not() {
        for ok in ["小明", "明", "Lily", "Mei-Mei", "  小红 "] {
            assert!(ChildName::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "王小明",
            "欧阳明月",
            "Li Ming",
            "Zhang Wei",
            "",
            "小明Li",
            "R2D2",
            "明 明",
        ] {
            let err = ChildName::parse(bad).unwrap_err();
            assert_eq!(err.field, "child_name", "{bad}");
        }
        assert!(ChildName::parse("王小明")
            .unwrap_err()
            .message
            .contains("two Chinese"));
    }

    #[test]
    fn a_sentence_is_at_most_sixty_characters() {
        assert!(sentence("sentence", &"书".repeat(60)).is_ok());
        assert!(sentence("sentence", &"书".repeat(61)).is_err());
        assert!(sentence("sentence", "  ").is_err());
    }

    #[test]
    fn grades_run_from_one_to_nine() {
        assert!(Grade::new(0).is_err());
        assert_eq!(Grade::parse(" 3 ").unwrap().get(), 3);
        assert_eq!(Grade::parse("three").unwrap_err().field, "grade");
        assert!(Grade::new(10).is_err());
        assert_eq!(Grade::new(3).unwrap().label(true), "三年级");
        assert_eq!(Grade::new(7).unwrap().label(true), "初一");
        assert_eq!(Grade::new(7).unwrap().label(false), "Grade 7");
    }

    #[test]
    fn the_lifecycle_allows_only_its_moves() {
        use WishEvent as E;
        use WishStatus as S;
        assert_eq!(S::AwaitingConsent.after(E::Consent), Ok(S::Open));
        assert!(S::AwaitingConsent.after(E::Claim).is_err());
        assert_eq!(S::Open.after(E::Claim), Ok(S::Claimed));
        assert!(S::Claimed.after(E::Claim).is_err());
        assert_eq!(S::Claimed.after(E::Release), Ok(S::Open));
        assert_eq!(S::Claimed.after(E::Deliver), Ok(S::Delivered));
        assert!(S::Delivered.after(E::Withdraw).is_err());
        assert!(S::Withdrawn.after(E::Consent).is_err());
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::event_for_pledge(PledgeStatus::Expired), Some(E::Release));
        assert_eq!(S::event_for_pledge(PledgeStatus::Shipped), None);
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn details_go_at_the_end_of_the_school_year_in_china_time() {
        let rule = Retention::default();
        // Delivered in November 2026: kept until the end of 31 July 2027, China time.
        assert_eq!(
            rule.removal_at(at("2026-11-26T10:00:00Z")),
            at("2027-07-31T16:00:00Z")
        );
        // Delivered in June: the same school year ends that July.
        assert_eq!(
            rule.removal_at(at("2027-06-01T00:00:00Z")),
            at("2027-07-31T16:00:00Z")
        );
        // On 1 August (China time) a new school year has begun.
        assert_eq!(
            rule.removal_at(at("2027-07-31T17:00:00Z")),
            at("2028-07-31T16:00:00Z")
        );
        assert_eq!(
            Retention::Days(30).removal_at(at("2026-11-26T00:00:00Z")),
            at("2026-12-26T00:00:00Z")
        );
    }

    #[test]
    fn the_cut_off_finds_exactly_the_wishes_whose_time_came() {
        let rule = Retention::default();
        // Before the first end of a school year after delivery: nothing delivered since
        // the previous one is due.
        let now = at("2027-07-31T15:00:00Z");
        let cut = rule.delivered_by(now).unwrap();
        assert!(rule.removal_at(cut) <= now);
        assert!(rule.removal_at(at("2026-11-26T10:00:00Z")) > now);
        assert!(cut < at("2026-11-26T10:00:00Z"));
        // Just after it: everything delivered in that school year is due.
        let now = at("2027-07-31T16:00:01Z");
        let cut = rule.delivered_by(now).unwrap();
        assert!(cut >= at("2027-07-31T15:59:59Z"));
        assert!(rule.removal_at(cut) <= now);
        let days = Retention::Days(10);
        let now = at("2027-01-10T00:00:00Z");
        assert_eq!(days.delivered_by(now), Some(at("2026-12-31T00:00:00Z")));
    }

    fn wish(status: WishStatus) -> ChildWish {
        ChildWish {
            id: ChildWishId(1),
            school_id: SchoolId(1),
            school_owner: AccountId(3),
            school_name: "Baiyun".into(),
            school_verified: true,
            province: "Yunnan".into(),
            county: "Lancang".into(),
            wishlist_item_id: super::super::ids::WishlistItemId(1),
            isbn: Isbn::parse("9787020002207").unwrap(),
            title: None,
            grade: Grade(3),
            booklist_id: None,
            child_name: Some(ChildName("小明".into())),
            sentence: Some("我想看".into()),
            photo: None,
            status,
            consent: None,
            thanks: None,
            thanks_photo: None,
            thanked_at: None,
            delivered_at: None,
            details_removed_at: None,
            donor: status.is_answered().then_some(AccountId(1)),
            pledge_id: None,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn who_sees_a_child_for_every_role_and_status() {
        use crate::domain::ids::SessionId;
        use crate::domain::vetting::AccountStatus;
        let actor = |account: i64, role: Role| Actor {
            account: AccountId(account),
            role,
            status: AccountStatus::Active,
            coordinator: false,
            session: SessionId(1),
            client: None,
        };
        let donor = actor(1, Role::Donor);
        let other_donor = actor(2, Role::Donor);
        let school = actor(3, Role::School);
        let other_school = actor(4, Role::School);
        let volunteer = actor(5, Role::Volunteer);
        let admin = actor(6, Role::Admin);
        use WishStatus as S;
        // (who, statuses in which they see the child)
        let table: [(Option<&Actor>, &[WishStatus]); 7] = [
            (None, &[S::Open]),
            (Some(&donor), &[S::Open, S::Claimed, S::Delivered]),
            (Some(&other_donor), &[S::Open]),
            (
                Some(&school),
                &[S::AwaitingConsent, S::Open, S::Claimed, S::Delivered],
            ),
            (Some(&other_school), &[S::Open]),
            (Some(&volunteer), &[S::Open]),
            (
                Some(&admin),
                &[S::AwaitingConsent, S::Open, S::Claimed, S::Delivered],
            ),
        ];
        for (who, sees) in table {
            for status in WishStatus::ALL {
                assert_eq!(
                    may_see_child(who, &wish(status)),
                    sees.contains(&status),
                    "{:?} on {status:?}",
                    who.map(|a| a.role)
                );
            }
        }
        let mut removed = wish(S::Delivered);
        removed.details_removed_at = Some(DateTime::UNIX_EPOCH);
        assert!(!may_see_child(Some(&donor), &removed));
        assert!(!may_see_child(Some(&school), &removed));
        let mut suspended = donor;
        suspended.status = AccountStatus::Suspended;
        assert!(!may_see_child(Some(&suspended), &wish(S::Claimed)));
    }
}
