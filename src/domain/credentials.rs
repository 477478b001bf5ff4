//! Password hashing and bearer tokens: secrets are stored only as hashes.

use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// Working memory for argon2, kept and reused from one hash to the next. Allocating the
/// ~19 MiB block array afresh for every hash lets the allocator keep each freed copy in a
/// per-thread arena; a flood of sign-ins then grows the server by hundreds of MB. A fixed set
/// of hashing threads, each with one `HashMemory`, bounds it (see `app::hasher`).
pub struct HashMemory(Vec<Block>);

impl HashMemory {
    /// Memory for the default parameters (the ones new hashes use).
    pub fn new() -> Self {
        HashMemory(vec![Block::default(); Params::default().block_count()])
    }

    /// The first `blocks` blocks, growing the memory if a stored hash asks for more.
    fn blocks(&mut self, blocks: usize) -> &mut [Block] {
        if self.0.len() < blocks {
            self.0.resize(blocks, Block::default());
        }
        &mut self.0[..blocks]
    }
}

impl Default for HashMemory {
    fn default() -> Self {
        Self::new()
    }
}

fn hashing_failed(e: impl std::fmt::Display) -> DomainError {
    DomainError::Internal(format!("password hashing failed: {e}"))
}

/// Hashes a password with argon2id (default parameters) and a random salt, into a PHC
/// string, computing in `memory`.
pub fn hash_password_in(password: &str, memory: &mut HashMemory) -> Result<String, DomainError> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(hashing_failed)?;
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let blocks = memory.blocks(params.block_count());
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *blocks)
            .map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(hashing_failed)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(hashing_failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a stored PHC hash, computing in `memory` (in constant time
/// over the hash's bytes).
pub fn verify_password_in(password: &str, stored: &str, memory: &mut HashMemory) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let blocks = memory.blocks(params.block_count());
    let computed = Output::init_with(expected.len(), |out| {
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *blocks)
            .map_err(|_| password_hash::Error::Crypto)
    });
    // `Output`'s equality is constant-time.
    computed.is_ok_and(|computed| computed == expected)
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, DomainError> {
    hash_password_in(password, &mut HashMemory::new())
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
    fn hashes_made_in_reused_memory_verify_either_way() {
        let mut memory = HashMemory::new();
        let reused = hash_password_in("correct horse", &mut memory).unwrap();
        assert!(verify_password_in(
            "correct horse",
            &reused,
            &mut HashMemory::new()
        ));
        // A hash made by the crate's own allocating path verifies in reused memory too.
        let standard = {
            use argon2::PasswordHasher;
            Argon2::default()
                .hash_password(b"battery staple", &SaltString::generate(&mut OsRng))
                .unwrap()
                .to_string()
        };
        assert!(verify_password_in("battery staple", &standard, &mut memory));
        assert!(!verify_password_in(
            "battery stable",
            &standard,
            &mut memory
        ));
        assert!(verify_password_in("correct horse", &reused, &mut memory));
    }

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let mut memory = HashMemory::new();
        assert!(verify_password_in("correct horse", &hash, &mut memory));
        assert!(!verify_password_in("wrong horse", &hash, &mut memory));
        assert!(!verify_password_in(
            "correct horse",
            "not a hash",
            &mut memory
        ));
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
