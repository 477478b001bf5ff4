//! Vetting: an account's standing (pending, active, suspended) with one transition function,
//! who may vet whom, and the school identification code a verifier checks.

use std::fmt;

use super::role::Role;

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Registered, waiting for a coordinator or admin: may sign in and see its own status,
    /// sees nothing private and moves nothing.
    Pending,
    /// Approved (donors are active from the start).
    Active,
    /// Stopped by a coordinator or admin: its tokens stop working at the next request.
    Suspended,
}

/// A vetting decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vetting {
    /// `pending -> active`.
    Approve,
    /// `pending | active -> suspended`.
    Suspend,
    /// `suspended -> active`, or back to `pending` for an account never approved (a
    /// suspension is no way round vetting).
    Reinstate,
}

/// A vetting decision the account's standing does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an account cannot move from `{from}` to `{to}`")]
pub struct InvalidVetting {
    /// Where the account is.
    pub from: AccountStatus,
    /// Where the decision would take it.
    pub to: AccountStatus,
}

impl AccountStatus {
    /// Every status.
    pub const ALL: [AccountStatus; 3] = [
        AccountStatus::Pending,
        AccountStatus::Active,
        AccountStatus::Suspended,
    ];

    /// How a new account starts: donors give at once; volunteers (who see addresses) and
    /// schools (who receive books for children) wait to be vetted. Admins are made by hand.
    pub fn on_registration(role: Role) -> Self {
        match role {
            Role::Donor | Role::Admin => AccountStatus::Active,
            Role::School | Role::Volunteer => AccountStatus::Pending,
        }
    }

    /// The one place that decides which vetting moves are allowed. `vetted`: whether the
    /// account was ever approved (or needed no approval), which a reinstatement returns to.
    pub fn apply(self, decision: Vetting, vetted: bool) -> Result<AccountStatus, InvalidVetting> {
        use AccountStatus::*;
        match (self, decision) {
            (Pending, Vetting::Approve) => Ok(Active),
            (Pending | Active, Vetting::Suspend) => Ok(Suspended),
            (Suspended, Vetting::Reinstate) if vetted => Ok(Active),
            (Suspended, Vetting::Reinstate) => Ok(Pending),
            (from, decision) => Err(InvalidVetting {
                from,
                to: decision.target(),
            }),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Pending => "pending",
            AccountStatus::Active => "active",
            AccountStatus::Suspended => "suspended",
        }
    }

    /// Reads a stored or requested name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

impl Vetting {
    /// The decision's name in a path (`/vetting/accounts/7/approve`).
    pub fn as_str(self) -> &'static str {
        match self {
            Vetting::Approve => "approve",
            Vetting::Suspend => "suspend",
            Vetting::Reinstate => "reinstate",
        }
    }

    /// Reads a decision's name.
    pub fn parse(s: &str) -> Option<Self> {
        [Vetting::Approve, Vetting::Suspend, Vetting::Reinstate]
            .into_iter()
            .find(|decision| decision.as_str() == s)
    }

    /// Where the decision takes an account.
    pub fn target(self) -> AccountStatus {
        match self {
            Vetting::Approve | Vetting::Reinstate => AccountStatus::Active,
            Vetting::Suspend => AccountStatus::Suspended,
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The account a vetting decision is about, as far as the rule needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vettee {
    /// Its role.
    pub role: Role,
    /// Whether it is a coordinator.
    pub coordinator: bool,
    /// Whether it is the vetter's own account.
    pub is_self: bool,
}

/// Who may approve, suspend or reinstate whom: active admins any account but their own or
/// another admin's; active coordinators donors, schools and volunteers who are not
/// coordinators themselves. Nobody vets their own account.
pub fn may_vet(
    vetter_role: Role,
    vetter_coordinator: bool,
    vetter_active: bool,
    who: Vettee,
) -> bool {
    if !vetter_active || who.is_self || who.role == Role::Admin {
        return false;
    }
    match vetter_role {
        Role::Admin => true,
        Role::Volunteer if vetter_coordinator => !who.coordinator,
        _ => false,
    }
}

/// A verifier's check of a school: the code they confirmed, how, and who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolCheck {
    /// The code confirmed.
    pub code: SchoolCode,
    /// How it was checked (e.g. "called the county education bureau").
    pub note: Option<String>,
    /// The verifier (none for the operator: the demo seed, tests).
    pub by: Option<super::ids::AccountId>,
}

/// A school code that is not ten digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("`school_code` must be the school's 10-digit identification code (学校标识码)")]
pub struct InvalidSchoolCode;

/// A national school identification code (学校标识码): ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct SchoolCode(String);

impl SchoolCode {
    /// Reads a code as people type it: ten digits, full-width digits, spaces and any dash
    /// allowed.
    pub fn parse(raw: &str) -> Result<Self, InvalidSchoolCode> {
        let digits: String = super::typed::plain(raw)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(SchoolCode(digits))
        } else {
            Err(InvalidSchoolCode)
        }
    }

    /// The ten digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountStatus::*;

    #[test]
    fn every_vetting_move_is_allowed_or_refused_in_one_place() {
        let cases = [
            (Pending, Vetting::Approve, Some(Active)),
            (Pending, Vetting::Suspend, Some(Suspended)),
            (Pending, Vetting::Reinstate, None),
            (Active, Vetting::Approve, None),
            (Active, Vetting::Suspend, Some(Suspended)),
            (Active, Vetting::Reinstate, None),
            (Suspended, Vetting::Approve, None),
            (Suspended, Vetting::Suspend, None),
            (Suspended, Vetting::Reinstate, Some(Active)),
        ];
        for (from, decision, to) in cases {
            assert_eq!(from.apply(decision, true).ok(), to, "{from} {decision:?}");
        }
    }

    #[test]
    fn an_account_suspended_while_pending_is_reinstated_to_pending_not_approved() {
        let suspended = Pending.apply(Vetting::Suspend, false).unwrap();
        assert_eq!(suspended.apply(Vetting::Reinstate, false), Ok(Pending));
        let approved = Pending.apply(Vetting::Approve, false).unwrap();
        let suspended = approved.apply(Vetting::Suspend, true).unwrap();
        assert_eq!(suspended.apply(Vetting::Reinstate, true), Ok(Active));
    }

    #[test]
    fn volunteers_and_schools_wait_donors_do_not() {
        assert_eq!(AccountStatus::on_registration(Role::Donor), Active);
        assert_eq!(AccountStatus::on_registration(Role::Volunteer), Pending);
        assert_eq!(AccountStatus::on_registration(Role::School), Pending);
    }

    #[test]
    fn who_may_vet_whom() {
        let donor = Vettee {
            role: Role::Donor,
            coordinator: false,
            is_self: false,
        };
        let volunteer = Vettee {
            role: Role::Volunteer,
            coordinator: false,
            is_self: false,
        };
        let coordinator = Vettee {
            role: Role::Volunteer,
            coordinator: true,
            is_self: false,
        };
        let admin = Vettee {
            role: Role::Admin,
            coordinator: false,
            is_self: false,
        };
        assert!(may_vet(Role::Admin, false, true, coordinator));
        assert!(!may_vet(Role::Admin, false, true, admin));
        assert!(
            !may_vet(Role::Admin, false, false, donor),
            "a suspended admin vets nobody"
        );
        assert!(may_vet(Role::Volunteer, true, true, volunteer));
        assert!(!may_vet(Role::Volunteer, true, true, coordinator));
        assert!(
            !may_vet(Role::Volunteer, false, true, donor),
            "a plain volunteer vets nobody"
        );
        assert!(!may_vet(Role::Donor, false, true, donor));
        assert!(!may_vet(
            Role::Admin,
            false,
            true,
            Vettee {
                is_self: true,
                ..donor
            }
        ));
    }

    #[test]
    fn school_codes_are_ten_digits() {
        assert_eq!(
            SchoolCode::parse("2153 000 123").unwrap().as_str(),
            "2153000123"
        );
        assert_eq!(
            SchoolCode::parse("２１５３０００１２３").unwrap().as_str(),
            "2153000123"
        );
        for bad in ["", "123456789", "12345678901", "21530001x3"] {
            assert!(SchoolCode::parse(bad).is_err(), "{bad:?}");
        }
    }
}
