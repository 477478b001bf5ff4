//! Pledging copies, and moving pledges through shipping to delivery.

use serde::Serialize;

pub use super::access::may_see_address;
use super::ids::{AccountId, SchoolId};
use super::model::{Actor, Pledge, School};
use super::pledge_status::PledgeStatus;
use super::role::Role;

/// A school a donor could give a book to: public fields only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolChoice {
    /// The school.
    pub id: SchoolId,
    /// Its name.
    pub name: String,
    /// Province.
    pub province: String,
    /// County.
    pub county: String,
    /// Copies of this book it still needs.
    pub outstanding: u32,
    /// Copies the matching rule would send it now (0 when it would send none).
    pub planned: u32,
}

/// Where a pledge would go before it is made: the split the matching rule would make, as
/// one line per school, so a donor can agree to it or pick one school instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgePlan {
    /// Every school that needs the book (those in the split first), at most a page of them.
    pub schools: Vec<SchoolChoice>,
}

impl PledgePlan {
    /// How many schools the split sends copies to.
    pub fn split_over(&self) -> usize {
        self.schools.iter().filter(|s| s.planned > 0).count()
    }
}

/// Where to send a pledge's books.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShipTo {
    /// The school.
    pub school_id: SchoolId,
    /// Its name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Contact phone.
    pub contact_phone: String,
}

impl From<School> for ShipTo {
    fn from(school: School) -> Self {
        ShipTo {
            school_id: school.id,
            name: school.name,
            address: school.address,
            contact_phone: school.contact_phone,
        }
    }
}

/// A pledge, with its destination for those who ship it or receive it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeView {
    /// The pledge.
    #[serde(flatten)]
    pub pledge: Pledge,
    /// Where to send it; absent for callers who need not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<ShipTo>,
}

/// Who may move a pledge to `to`: volunteers and admins run shipping (and losses and
/// returns); the receiving school confirms delivery (admins may too); the donor cancels
/// (admins may too).
pub fn may_move(actor: &Actor, pledge: &Pledge, school_owner: AccountId, to: PledgeStatus) -> bool {
    match to {
        PledgeStatus::Shipped | PledgeStatus::Lost | PledgeStatus::Returned => actor.is_staff(),
        // Only the system expires a pledge (see `app::expiry`); no person can.
        PledgeStatus::Expired => false,
        PledgeStatus::Delivered => {
            actor.is_admin()
                || (actor.is_active()
                    && actor.role == Role::School
                    && actor.account == school_owner)
        }
        PledgeStatus::Cancelled => {
            actor.is_admin()
                || (actor.is_active()
                    && actor.role == Role::Donor
                    && actor.account == pledge.donor_id)
        }
        // Nothing moves back to `pledged`; the lifecycle will say so with a 409.
        PledgeStatus::Pledged => true,
    }
}

impl PledgeView {
    /// The view of `pledge` for `actor`, with the destination when [`may_see_address`] says so.
    pub fn new(actor: &Actor, pledge: Pledge, school: School) -> Self {
        let ship_to =
            may_see_address(actor, &pledge, school.owner_account_id).then(|| ShipTo::from(school));
        PledgeView { pledge, ship_to }
    }
}

/// Whether a caller may see a pledge at all: its donor, its school, volunteers and admins.
pub fn may_see(actor: &Actor, pledge: &Pledge, school_owner: AccountId) -> bool {
    actor.is_staff()
        || (actor.role == Role::Donor && actor.account == pledge.donor_id)
        || (actor.role == Role::School && actor.account == school_owner)
}

/// A pledge in a list: with its book's title, and where it goes for those who may know.
#[derive(Debug, Clone)]
pub struct PledgeLine {
    /// The pledge.
    pub pledge: Pledge,
    /// The book's title, when known.
    pub title: Option<String>,
    /// Where it goes, for callers who may see the school's address.
    pub ship_to: Option<ShipTo>,
    /// Who gives it, for callers who may see donors' names (staff).
    pub donor_name: Option<String>,
}

/// Lines grouped by parcel, in the order their parcels first appear.
pub fn by_parcel(lines: &[PledgeLine]) -> Vec<Vec<&PledgeLine>> {
    let mut parcels: Vec<Vec<&PledgeLine>> = Vec::new();
    for line in lines {
        match parcels
            .iter_mut()
            .find(|p| p[0].pledge.parcel_id == line.pledge.parcel_id)
        {
            Some(parcel) => parcel.push(line),
            None => parcels.push(vec![line]),
        }
    }
    parcels
}

/// Which pledges to list.
#[derive(Debug, Clone, Default)]
pub struct PledgeFilter {
    /// Only this donor's.
    pub donor: Option<AccountId>,
    /// Only to this school.
    pub school: Option<SchoolId>,
    /// Only in this status.
    pub status: Option<PledgeStatus>,
    /// Page size.
    pub limit: u64,
    /// Rows to skip.
    pub offset: u64,
    /// Only pledges of this book (a volunteer's scan).
    pub isbn: Option<super::isbn::Isbn>,
}
