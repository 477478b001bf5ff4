//! The time a donor has to post a pledge's books: the date, the one extension, the reminders
//! before it, and when a pledge has run out of time. Pure: "now" is always passed in.

use chrono::{DateTime, Duration, Utc};

pub use super::error::CannotExtend;
use super::model::Pledge;
use super::pledge_status::PledgeStatus;

/// The time rules (from the settings `pledge_ship_days`, `pledge_extend_days`,
/// `pledge_reminder_days`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipRules {
    /// Days from pledging to the date to post by.
    pub ship_days: u32,
    /// Days one extension adds.
    pub extend_days: u32,
    /// Days before the date on which the donor is reminded, largest first.
    pub reminder_days: Vec<u32>,
    /// Days after shipping when a school that has not confirmed is reminded (never
    /// confirmed for it).
    pub confirm_days: u32,
}

impl Default for ShipRules {
    fn default() -> Self {
        ShipRules {
            ship_days: 21,
            extend_days: 14,
            reminder_days: vec![7, 2],
            confirm_days: 30,
        }
    }
}

impl ShipRules {
    /// Rules with reminders sorted largest first and never beyond the time a donor has.
    pub fn new(ship_days: u32, extend_days: u32, mut reminder_days: Vec<u32>) -> Self {
        let ship_days = ship_days.max(1);
        reminder_days.retain(|d| *d > 0 && *d < ship_days);
        reminder_days.sort_unstable_by(|a, b| b.cmp(a));
        reminder_days.dedup();
        ShipRules {
            ship_days,
            extend_days,
            reminder_days,
            confirm_days: ShipRules::default().confirm_days,
        }
    }

    /// The same rules, reminding schools `days` after shipping.
    pub fn confirm_after(mut self, days: u32) -> Self {
        self.confirm_days = days.max(1);
        self
    }

    /// Parcels shipped at or before this moment and still not confirmed get a reminder.
    pub fn confirm_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(i64::from(self.confirm_days))
    }

    /// The date to post by for a pledge made at `pledged_at`.
    pub fn first_date(&self, pledged_at: DateTime<Utc>) -> DateTime<Utc> {
        pledged_at + Duration::days(i64::from(self.ship_days))
    }

    /// A pledge's date to post by: the one it was given (pledges made before dates were
    /// recorded count from when they were made).
    pub fn post_by(&self, pledge: &Pledge) -> DateTime<Utc> {
        pledge
            .ship_by
            .unwrap_or_else(|| self.first_date(pledge.created_at))
    }

    /// The new date when the donor asks for more time, or why not.
    pub fn extend(&self, pledge: &Pledge) -> Result<DateTime<Utc>, CannotExtend> {
        if pledge.status != PledgeStatus::Pledged {
            return Err(CannotExtend::NotPledged);
        }
        if pledge.extended {
            return Err(CannotExtend::AlreadyExtended);
        }
        Ok(self.post_by(pledge) + Duration::days(i64::from(self.extend_days)))
    }

    /// Whether a pledge has run out of time at `now`.
    pub fn is_overdue(&self, pledge: &Pledge, now: DateTime<Utc>) -> bool {
        pledge.status == PledgeStatus::Pledged && self.post_by(pledge) <= now
    }

    /// The reminder due at `now`, as its days before the date: the nearest one whose day has
    /// come (a donor who pledged late in the window gets only the last, not all at once).
    /// `None` when none is due or the pledge is no longer waiting to be posted.
    pub fn reminder_due(&self, pledge: &Pledge, now: DateTime<Utc>) -> Option<u32> {
        if pledge.status != PledgeStatus::Pledged || self.is_overdue(pledge, now) {
            return None;
        }
        let date = self.post_by(pledge);
        self.reminder_days
            .iter()
            .copied()
            .filter(|d| date - Duration::days(i64::from(*d)) <= now)
            .min()
    }

    /// For pledges with no recorded date (made before dates were recorded): those whose
    /// date is at or before `date` were made at or before this moment.
    pub fn made_by_for(&self, date: DateTime<Utc>) -> DateTime<Utc> {
        date - Duration::days(i64::from(self.ship_days))
    }

    /// The earliest moment a reminder can be due for pledges at `now`: pledges whose date is
    /// further off than the largest reminder need no look.
    pub fn reminder_horizon(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::days(i64::from(self.reminder_days.first().copied().unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{AccountId, PledgeId, SchoolId, WishlistItemId};
    use crate::domain::isbn::Isbn;

    fn pledge(at: DateTime<Utc>) -> Pledge {
        Pledge {
            id: PledgeId(1),
            donor_id: AccountId(2),
            school_id: SchoolId(3),
            wishlist_item_id: WishlistItemId(4),
            isbn: Isbn::parse("9780060775858").unwrap(),
            quantity: 1,
            status: PledgeStatus::Pledged,
            carrier: None,
            tracking_number: None,
            created_at: at,
            updated_at: at,
            ship_by: None,
            extended: false,
            child_wish_id: None,
            wish: None,
            parcel_id: crate::domain::ids::ParcelId(1),
        }
    }

    fn day(n: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z")
            .unwrap()
            .to_utc()
            + Duration::days(n)
    }

    #[test]
    fn the_date_is_the_given_one_or_counted_from_pledging() {
        let rules = ShipRules::default();
        let mut p = pledge(day(0));
        assert_eq!(rules.post_by(&p), day(21));
        p.ship_by = Some(day(30));
        assert_eq!(rules.post_by(&p), day(30));
    }

    #[test]
    fn reminders_come_on_their_days_nearest_first_and_stop_when_overdue() {
        let rules = ShipRules::default();
        let p = pledge(day(0));
        assert_eq!(rules.reminder_due(&p, day(13)), None);
        assert_eq!(rules.reminder_due(&p, day(14)), Some(7));
        assert_eq!(rules.reminder_due(&p, day(18)), Some(7));
        assert_eq!(rules.reminder_due(&p, day(19)), Some(2));
        assert_eq!(
            rules.reminder_due(&p, day(21)),
            None,
            "overdue, not reminded"
        );
        assert!(!rules.is_overdue(&p, day(20)));
        assert!(rules.is_overdue(&p, day(21)));
        let mut shipped = p.clone();
        shipped.status = PledgeStatus::Shipped;
        assert!(!rules.is_overdue(&shipped, day(60)));
        assert_eq!(rules.reminder_due(&shipped, day(19)), None);
    }

    #[test]
    fn one_extension_moves_the_date_once() {
        let rules = ShipRules::default();
        let mut p = pledge(day(0));
        assert_eq!(rules.extend(&p), Ok(day(35)));
        p.ship_by = Some(day(35));
        p.extended = true;
        assert_eq!(rules.extend(&p), Err(CannotExtend::AlreadyExtended));
        p.extended = false;
        p.status = PledgeStatus::Shipped;
        assert_eq!(rules.extend(&p), Err(CannotExtend::NotPledged));
    }

    #[test]
    fn reminder_days_are_cleaned_up() {
        let rules = ShipRules::new(10, 5, vec![2, 30, 7, 0, 7]);
        assert_eq!(rules.reminder_days, [7, 2]);
    }
}
