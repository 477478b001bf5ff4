//! Who sees a school's postal address and phone: decided here, once, for the pledge API,
//! the pledge lists and exports, the school API and every page.
//!
//! The address is where children live and study. It goes only to those who need it to send
//! or receive books, only while they need it, and never to an account that is waiting to be
//! vetted or has been suspended.

use super::ids::AccountId;
use super::model::{Actor, Pledge};
use super::role::Role;

/// Whether `actor` may see where `pledge` goes:
/// - an active admin: always;
/// - an active volunteer: while the pledge can still be acted on (pledged: to ship it;
///   shipped: to record a loss or return), never once it has ended;
/// - the pledge's donor, active: while it is pledged or shipped, not after it ends;
/// - the receiving school's own active account: always (it is their own address);
/// - anyone else, and any pending or suspended account: never.
pub fn may_see_address(actor: &Actor, pledge: &Pledge, school_owner: AccountId) -> bool {
    if !actor.is_active() {
        return false;
    }
    match actor.role {
        Role::Admin => true,
        Role::Volunteer => pledge.status.is_active(),
        Role::Donor => actor.account == pledge.donor_id && pledge.status.is_active(),
        Role::School => actor.account == school_owner,
    }
}

/// Whether `actor` may see who gives a pledge, by name: the active staff who move parcels
/// (to tell one donor's box from another's, and to ask the right person about it). A school
/// thanks donors through the service and is not told their names; nor is anyone else.
pub fn may_see_donor_name(actor: &Actor) -> bool {
    actor.is_active() && matches!(actor.role, Role::Admin | Role::Volunteer)
}

/// Whether `actor` may see a school's address on the school itself (`GET /schools/{id}`):
/// an active admin; the school's own account (its own entry, even while it waits to be
/// vetted); an active donor while one of their pledges to it is pledged or shipped
/// (`donor_pledge_under_way`). Volunteers see addresses only on the pledges they act on.
pub fn may_see_school_address(
    actor: Option<&Actor>,
    school_owner: AccountId,
    donor_pledge_under_way: bool,
) -> bool {
    let Some(actor) = actor else { return false };
    match actor.role {
        Role::School => actor.account == school_owner,
        Role::Admin => actor.is_active(),
        Role::Donor => actor.is_active() && donor_pledge_under_way,
        Role::Volunteer => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{PledgeId, SchoolId, SessionId, WishlistItemId};
    use crate::domain::isbn::Isbn;
    use crate::domain::pledge_status::PledgeStatus;
    use crate::domain::vetting::AccountStatus;

    const DONOR: AccountId = AccountId(1);
    const OTHER_DONOR: AccountId = AccountId(2);
    const SCHOOL: AccountId = AccountId(3);
    const OTHER_SCHOOL: AccountId = AccountId(4);
    const VOLUNTEER: AccountId = AccountId(5);
    const ADMIN: AccountId = AccountId(6);

    fn actor(account: AccountId, role: Role, status: AccountStatus) -> Actor {
        Actor {
            account,
            role,
            status,
            coordinator: false,
            session: SessionId(1),
            client: None,
        }
    }

    fn pledge(status: PledgeStatus) -> Pledge {
        let now = chrono::DateTime::UNIX_EPOCH;
        Pledge {
            id: PledgeId(1),
            donor_id: DONOR,
            school_id: SchoolId(1),
            wishlist_item_id: WishlistItemId(1),
            isbn: Isbn::parse("9780060775858").unwrap(),
            quantity: 1,
            status,
            carrier: None,
            tracking_number: None,
            created_at: now,
            updated_at: now,
            ship_by: None,
            extended: false,
            child_wish_id: None,
            wish: None,
            parcel_id: crate::domain::ids::ParcelId(1),
        }
    }

    #[test]
    fn every_role_and_standing_against_every_pledge_status() {
        use AccountStatus::*;
        use PledgeStatus::*;
        // (who, role, standing) -> the pledge statuses in which they see the address.
        let table: [(AccountId, Role, AccountStatus, &[PledgeStatus]); 12] = [
            (DONOR, Role::Donor, Active, &[Pledged, Shipped]),
            (DONOR, Role::Donor, Suspended, &[]),
            (OTHER_DONOR, Role::Donor, Active, &[]),
            (VOLUNTEER, Role::Volunteer, Active, &[Pledged, Shipped]),
            (VOLUNTEER, Role::Volunteer, Pending, &[]),
            (VOLUNTEER, Role::Volunteer, Suspended, &[]),
            (ADMIN, Role::Admin, Active, &PledgeStatus::ALL),
            (ADMIN, Role::Admin, Suspended, &[]),
            (SCHOOL, Role::School, Active, &PledgeStatus::ALL),
            (SCHOOL, Role::School, Pending, &[]),
            (OTHER_SCHOOL, Role::School, Active, &[]),
            (OTHER_SCHOOL, Role::School, Pending, &[]),
        ];
        for (account, role, standing, sees) in table {
            let who = actor(account, role, standing);
            for status in PledgeStatus::ALL {
                assert_eq!(
                    may_see_address(&who, &pledge(status), SCHOOL),
                    sees.contains(&status),
                    "{role} {standing} on a {status} pledge"
                );
            }
        }
    }

    #[test]
    fn only_active_staff_see_who_gives() {
        use AccountStatus::*;
        for (role, status, sees) in [
            (Role::Admin, Active, true),
            (Role::Admin, Suspended, false),
            (Role::Volunteer, Active, true),
            (Role::Volunteer, Pending, false),
            (Role::Volunteer, Suspended, false),
            (Role::School, Active, false),
            (Role::Donor, Active, false),
        ] {
            assert_eq!(
                may_see_donor_name(&actor(VOLUNTEER, role, status)),
                sees,
                "{role:?} {status:?}"
            );
        }
    }

    #[test]
    fn the_school_page_shows_the_address_to_few() {
        use AccountStatus::*;
        let donor = actor(DONOR, Role::Donor, Active);
        assert!(!may_see_school_address(None, SCHOOL, false));
        assert!(may_see_school_address(Some(&donor), SCHOOL, true));
        assert!(!may_see_school_address(Some(&donor), SCHOOL, false));
        assert!(!may_see_school_address(
            Some(&actor(DONOR, Role::Donor, Suspended)),
            SCHOOL,
            true
        ));
        assert!(!may_see_school_address(
            Some(&actor(VOLUNTEER, Role::Volunteer, Active)),
            SCHOOL,
            true
        ));
        assert!(may_see_school_address(
            Some(&actor(ADMIN, Role::Admin, Active)),
            SCHOOL,
            false
        ));
        assert!(!may_see_school_address(
            Some(&actor(ADMIN, Role::Admin, Pending)),
            SCHOOL,
            false
        ));
        assert!(may_see_school_address(
            Some(&actor(SCHOOL, Role::School, Pending)),
            SCHOOL,
            false
        ));
        assert!(!may_see_school_address(
            Some(&actor(OTHER_SCHOOL, Role::School, Active)),
            SCHOOL,
            false
        ));
    }
}
