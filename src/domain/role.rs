//! Who an account is, which decides what it may do.

use std::fmt;
use std::str::FromStr;

/// The role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages one school and its wish list; confirms deliveries to it.
    School,
    /// Pledges copies and cancels their own pledges.
    Donor,
    /// Moves pledges through shipping.
    Volunteer,
    /// Everything a volunteer can, and more; made only by `bookbridge create-admin`.
    Admin,
}

impl Role {
    /// The name stored in the database and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::School => "school",
            Role::Donor => "donor",
            Role::Volunteer => "volunteer",
            Role::Admin => "admin",
        }
    }

    /// Volunteers and admins run the logistics and see every pledge and address.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Volunteer | Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "school" => Ok(Role::School),
            "donor" => Ok(Role::Donor),
            "volunteer" => Ok(Role::Volunteer),
            "admin" => Ok(Role::Admin),
            other => Err(UnknownRole(other.chars().take(40).collect())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in [Role::School, Role::Donor, Role::Volunteer, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
