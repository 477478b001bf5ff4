//! Parcels: the pledges one donor posts to one school together, with one address, one date to
//! post by and one tracking number.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ids::{AccountId, ParcelId, SchoolId};
use super::model::{Actor, Pledge};
use super::pledges::ShipTo;
use super::role::Role;

/// A parcel as its caller may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParcelView {
    /// Its id (its first pledge's).
    pub id: ParcelId,
    /// The school it goes to.
    pub school_id: SchoolId,
    /// Who posts it.
    pub donor_id: AccountId,
    /// The date to post it by (the earliest of its pledges').
    pub ship_by: Option<DateTime<Utc>>,
    /// Carrier, once posted.
    pub carrier: Option<String>,
    /// Tracking number, once posted.
    pub tracking_number: Option<String>,
    /// Where to send it, for callers who may see the school's address.
    pub ship_to: Option<ShipTo>,
    /// Its pledges, one per book (or copies of one book).
    pub pledges: Vec<Pledge>,
}

impl ParcelView {
    /// The view of a parcel's pledges (first pledge first; never empty).
    pub fn new(pledges: Vec<Pledge>, ship_to: Option<ShipTo>) -> Option<ParcelView> {
        let first = pledges.first()?;
        let posted = pledges.iter().find(|p| p.tracking_number.is_some());
        Some(ParcelView {
            id: first.parcel_id,
            school_id: first.school_id,
            donor_id: first.donor_id,
            ship_by: pledges.iter().filter_map(|p| p.ship_by).min(),
            carrier: posted.and_then(|p| p.carrier.clone()),
            tracking_number: posted.and_then(|p| p.tracking_number.clone()),
            ship_to,
            pledges,
        })
    }
}

/// Who may record a parcel as posted, with its tracking number: its donor, or a volunteer or
/// an admin.
pub fn may_post(actor: &Actor, donor: AccountId) -> bool {
    actor.is_staff() || (actor.is_active() && actor.role == Role::Donor && actor.account == donor)
}

/// Who may correct a parcel's tracking number before it arrives: whoever entered it, or a
/// volunteer or an admin.
pub fn may_correct_tracking(actor: &Actor, entered_by: Option<AccountId>) -> bool {
    actor.is_staff() || (actor.is_active() && Some(actor.account) == entered_by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vetting::AccountStatus;

    fn actor(account: i64, role: Role, status: AccountStatus) -> Actor {
        Actor {
            account: AccountId(account),
            role,
            status,
            coordinator: false,
            session: crate::domain::ids::SessionId(1),
            client: None,
        }
    }

    #[test]
    fn a_parcel_is_posted_by_its_donor_or_staff_and_corrected_by_whoever_entered_it() {
        use AccountStatus::{Active, Suspended};
        let donor = AccountId(7);
        assert!(may_post(&actor(7, Role::Donor, Active), donor));
        assert!(!may_post(&actor(7, Role::Donor, Suspended), donor));
        assert!(!may_post(&actor(8, Role::Donor, Active), donor));
        assert!(may_post(&actor(3, Role::Volunteer, Active), donor));
        assert!(!may_post(
            &actor(3, Role::Volunteer, AccountStatus::Pending),
            donor
        ));
        assert!(!may_post(&actor(9, Role::School, Active), donor));

        assert!(may_correct_tracking(
            &actor(7, Role::Donor, Active),
            Some(donor)
        ));
        assert!(!may_correct_tracking(
            &actor(7, Role::Donor, Active),
            Some(AccountId(3))
        ));
        assert!(!may_correct_tracking(
            &actor(8, Role::Donor, Active),
            Some(donor)
        ));
        assert!(may_correct_tracking(
            &actor(3, Role::Volunteer, Active),
            Some(donor)
        ));
    }
}
