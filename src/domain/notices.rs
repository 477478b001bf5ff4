//! What people are told, and who is told what. A notice is recorded in the same transaction
//! as the event that causes it and shown on the person's own page (and, with email set up,
//! sent); its kind is a stable code that pages and messages render in the reader's language.

use chrono::{DateTime, Utc};

use super::ids::{AccountId, PledgeId};
use super::pledge_status::PledgeStatus;

/// Why someone is told something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
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
}

impl NoticeKind {
    /// Every kind.
    pub const ALL: [NoticeKind; 5] = [
        NoticeKind::PledgeMade,
        NoticeKind::PledgeShipped,
        NoticeKind::PledgeDelivered,
        NoticeKind::ShipReminder,
        NoticeKind::PledgeExpired,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::PledgeMade => "pledge_made",
            NoticeKind::PledgeShipped => "pledge_shipped",
            NoticeKind::PledgeDelivered => "pledge_delivered",
            NoticeKind::ShipReminder => "ship_reminder",
            NoticeKind::PledgeExpired => "pledge_expired",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

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
                detail: None,
                dedupe_key: None,
            })
            .collect()
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
    /// Extra words (a reminder's days).
    pub detail: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
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
