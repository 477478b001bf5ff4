//! Registration, login and sessions.

use chrono::{DateTime, Utc};

use super::credentials::check_password_rules;
use super::error::Invalid;
use super::role::Role;
use super::text;

/// A checked registration.
#[derive(Debug, Clone)]
pub struct Registration {
    pub(crate) role: Role,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) password: String,
    pub(crate) language: super::language::Language,
}

impl Registration {
    /// Checks a registration form. `admin` cannot be chosen here: admins are made by the CLI.
    pub fn new(role: &str, name: &str, email: &str, password: &str) -> Result<Self, Invalid> {
        let role = match role.parse::<Role>() {
            Ok(Role::Admin) | Err(_) => {
                return Err(Invalid::new(
                    "role",
                    "`role` must be one of `school`, `donor`, `volunteer`",
                ))
            }
            Ok(role) => role,
        };
        Self::with_role(role, name, email, password)
    }

    /// The language notices and emails go out in (Chinese unless chosen otherwise).
    pub fn in_language(mut self, language: super::language::Language) -> Self {
        self.language = language;
        self
    }

    /// Checks a registration for any role, admin included (for `create-admin`).
    pub fn with_role(role: Role, name: &str, email: &str, password: &str) -> Result<Self, Invalid> {
        Ok(Registration {
            role,
            name: text::required("name", name, 200)?,
            email: parse_email(email)?,
            password: {
                check_password_rules(password, &[name, email])?;
                password.to_owned()
            },
            language: super::language::Language::Zh,
        })
    }
}

/// Lower-cases and checks an email address's shape. Deliverability is not our business;
/// a typo'd address only hurts its owner.
pub fn parse_email(email: &str) -> Result<String, Invalid> {
    let email = email.trim().to_lowercase();
    let bad = || Invalid::new("email", "`email` must look like name@example.org");
    if email.chars().count() > 254 || email.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.is_empty() || domain.contains('@') || !domain.contains('.') {
        return Err(bad());
    }
    if domain.starts_with('.') || domain.ends_with('.') {
        return Err(bad());
    }
    Ok(email)
}

/// A fresh bearer token, shown to the client once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NewSession {
    /// The bearer token.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            parse_email(" Wang.Li@Example.ORG ").unwrap(),
            "wang.li@example.org"
        );
        for bad in [
            "",
            "no-at-sign",
            "@example.org",
            "a@",
            "a@b",
            "a b@example.org",
            "a@@b.org",
            "a@.org",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn admin_cannot_self_register() {
        let err = Registration::new("admin", "Eve", "eve@example.org", "long enough").unwrap_err();
        assert_eq!(err.field, "role");
        assert!(Registration::new("donor", "Ann", "ann@example.org", "long enough").is_ok());
    }

    #[test]
    fn registration_names_the_bad_field() {
        assert_eq!(
            Registration::new("donor", " ", "a@b.org", "long enough")
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            Registration::new("donor", "A", "a@b.org", "short")
                .unwrap_err()
                .field,
            "password"
        );
    }
}
