//! Who is asking: the caller of a use case, as every rule about "who may" sees it.

use std::net::IpAddr;

use super::ids::{AccountId, SessionId};
use super::role::Role;
use super::vetting::AccountStatus;

/// Who is making a request, once their token has been checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// Their account.
    pub account: AccountId,
    /// What they may do.
    pub role: Role,
    /// Where the account stands (read afresh within `signed_in_seconds`; see `app::signed_in`).
    pub status: AccountStatus,
    /// A volunteer an admin made a coordinator: vets accounts and schools.
    pub coordinator: bool,
    /// The session their token belongs to.
    pub session: SessionId,
    /// The client's address, for the audit log (absent for in-process callers).
    pub client: Option<IpAddr>,
}

impl Actor {
    /// Approved (or a donor or admin, active from the start).
    pub fn is_active(&self) -> bool {
        self.status == AccountStatus::Active
    }

    /// An active volunteer or admin: runs shipping.
    pub fn is_staff(&self) -> bool {
        self.is_active() && self.role.is_staff()
    }

    /// An active admin.
    pub fn is_admin(&self) -> bool {
        self.is_active() && self.role == Role::Admin
    }

    /// An active admin or coordinator: approves accounts and verifies schools.
    pub fn is_vetter(&self) -> bool {
        self.is_active()
            && (self.role == Role::Admin || (self.role == Role::Volunteer && self.coordinator))
    }
}
