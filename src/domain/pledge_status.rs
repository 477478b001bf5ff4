//! A pledge's lifecycle: one enum, and one function that says which moves are allowed.

use std::fmt;
use std::str::FromStr;

/// Where a pledge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    /// Promised by a donor; copies are held against the wish list.
    Pledged,
    /// Handed to a carrier.
    Shipped,
    /// The school confirmed it arrived. Final.
    Delivered,
    /// Withdrawn before shipping. Final; the copies are needed again.
    Cancelled,
    /// Lost in transit. Final; the copies are needed again.
    Lost,
    /// Came back to the sender. Final; the copies are needed again.
    Returned,
    /// Never posted in the time a donor has (`pledge_ship_days`, once extended by
    /// `pledge_extend_days`): ended by the system. Final; the copies are needed again.
    Expired,
}

/// A move the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a pledge cannot move from `{from}` to `{to}`")]
pub struct InvalidTransition {
    /// Where the pledge is.
    pub from: PledgeStatus,
    /// Where someone tried to move it.
    pub to: PledgeStatus,
}

impl PledgeStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [PledgeStatus; 7] = [
        PledgeStatus::Pledged,
        PledgeStatus::Shipped,
        PledgeStatus::Delivered,
        PledgeStatus::Cancelled,
        PledgeStatus::Lost,
        PledgeStatus::Returned,
        PledgeStatus::Expired,
    ];

    /// The one place that decides which moves are allowed:
    /// `pledged -> shipped -> delivered`, `pledged -> cancelled | expired`,
    /// `shipped -> lost | returned`.
    pub fn transition(self, to: PledgeStatus) -> Result<PledgeStatus, InvalidTransition> {
        use PledgeStatus::*;
        match (self, to) {
            (Pledged, Shipped) | (Pledged, Cancelled) | (Pledged, Expired) => Ok(to),
            (Shipped, Delivered) | (Shipped, Lost) | (Shipped, Returned) => Ok(to),
            (from, to) => Err(InvalidTransition { from, to }),
        }
    }

    /// Pledges under way: promised or on their way, not yet ended. Their donor may see the
    /// school's address.
    pub const ACTIVE: [PledgeStatus; 2] = [PledgeStatus::Pledged, PledgeStatus::Shipped];

    /// Whether a pledge in this status is under way ("an active pledge").
    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    /// Whether copies in this status count against a wish-list item's need.
    pub fn holds_copies(self) -> bool {
        matches!(
            self,
            PledgeStatus::Pledged | PledgeStatus::Shipped | PledgeStatus::Delivered
        )
    }

    /// The name stored in the database and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PledgeStatus::Pledged => "pledged",
            PledgeStatus::Shipped => "shipped",
            PledgeStatus::Delivered => "delivered",
            PledgeStatus::Cancelled => "cancelled",
            PledgeStatus::Lost => "lost",
            PledgeStatus::Returned => "returned",
            PledgeStatus::Expired => "expired",
        }
    }
}

impl fmt::Display for PledgeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not one of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown pledge status `{0}`")]
pub struct UnknownStatus(pub String);

impl FromStr for PledgeStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PledgeStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.chars().take(40).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::PledgeStatus::*;
    use super::*;

    const ALLOWED: [(PledgeStatus, PledgeStatus); 6] = [
        (Pledged, Shipped),
        (Pledged, Cancelled),
        (Pledged, Expired),
        (Shipped, Delivered),
        (Shipped, Lost),
        (Shipped, Returned),
    ];

    #[test]
    fn every_allowed_move_succeeds() {
        for (from, to) in ALLOWED {
            assert_eq!(from.transition(to), Ok(to), "{from} -> {to}");
        }
    }

    #[test]
    fn every_other_pair_is_refused_naming_both_states() {
        for from in PledgeStatus::ALL {
            for to in PledgeStatus::ALL {
                if ALLOWED.contains(&(from, to)) {
                    continue;
                }
                assert_eq!(
                    from.transition(to),
                    Err(InvalidTransition { from, to }),
                    "{from} -> {to} must be refused"
                );
            }
        }
    }

    #[test]
    fn released_statuses_hold_no_copies() {
        assert!(Pledged.holds_copies() && Shipped.holds_copies() && Delivered.holds_copies());
        assert!(!Cancelled.holds_copies() && !Lost.holds_copies() && !Returned.holds_copies());
        assert!(!Expired.holds_copies());
    }

    #[test]
    fn status_names_round_trip() {
        for status in PledgeStatus::ALL {
            assert_eq!(status.as_str().parse::<PledgeStatus>().unwrap(), status);
        }
        assert!("teleported".parse::<PledgeStatus>().is_err());
    }
}
