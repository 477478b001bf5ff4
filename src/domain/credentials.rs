//! Password hashing and bearer tokens: secrets are stored only as hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use super::error::{DomainError, Invalid};

/// Shortest password accepted at registration.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted; argon2 does not need more and it bounds the work per request.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks the password rules before anything is hashed: 8 to 256 characters, and not one
/// of the most common passwords (zxcvbn's lists: a top-10, top-100 or common password as a
/// whole) nor trivially guessable (repeats, sequences, the person's own name or email).
pub fn check_password_rules(password: &str, own_words: &[&str]) -> Result<(), Invalid> {
    use zxcvbn::feedback::Warning;
    let n = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        return Err(Invalid::new(
            "password",
            format!("`password` must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, own_words);
    let common = matches!(
        estimate.feedback().and_then(|f| f.warning()),
        Some(
            Warning::ThisIsATop10Password
                | Warning::ThisIsATop100Password
                | Warning::ThisIsACommonPassword
        )
    );
    if common {
        return Err(Invalid::new(
            "password",
            "`password` is one of the most common passwords; choose another (a few unrelated words work well)",
        ));
    }
    if estimate.score() == zxcvbn::Score::Zero {
        return Err(Invalid::new(
            "password",
            "`password` is too easy to guess (a repeat, a sequence, or your own name or email); choose another",
        ));
    }
    Ok(())
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, DomainError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches a stored PHC hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A PHC hash of a password nobody knows, verified when the email is unknown so that a
/// failed login takes as long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

/// A fresh bearer token (256 random bits, hex) and the hash under which it is stored.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a bearer token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), ha);
        assert_ne!(a, ha);
    }

    #[test]
    fn password_length_rules() {
        assert!(check_password_rules("short", &[]).is_err());
        assert!(check_password_rules("long enough", &[]).is_ok());
        assert!(check_password_rules(&"x".repeat(257), &[]).is_err());
    }

    #[test]
    fn common_and_trivial_passwords_are_refused_with_a_reason() {
        for common in [
            "12345678",
            "password",
            "iloveyou",
            "qwertyuiop",
            "88888888",
            "abcdefgh",
        ] {
            let err = check_password_rules(common, &[]).unwrap_err();
            assert_eq!(err.field, "password", "{common}");
        }
        assert!(check_password_rules("password", &[])
            .unwrap_err()
            .message
            .contains("most common"));
        let own = check_password_rules("wang.li@example.org", &["Wang Li", "wang.li@example.org"]);
        assert!(own.is_err(), "the person's own email");
        for fine in [
            "chalk and slate",
            "books for all",
            "demo-password",
            "long password",
            "admin password",
            "correct horse",
        ] {
            assert!(check_password_rules(fine, &[]).is_ok(), "{fine}");
        }
    }
}
