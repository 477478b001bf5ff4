//! What can go wrong in bookbridge's rules, in the domain's words.

use super::isbn::InvalidIsbn;
use super::pledge_status::InvalidTransition;
use super::vetting::{InvalidSchoolCode, InvalidVetting};

/// A client value that breaks a rule, naming the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The JSON field (or query parameter) at fault.
    pub field: &'static str,
    /// What is wrong with it, for a person.
    pub message: String,
}

impl Invalid {
    /// A validation failure on `field`.
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Invalid {
            field,
            message: message.into(),
        }
    }
}

/// Why a pledge cannot be extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CannotExtend {
    /// Only a pledge not yet posted has a date to post by.
    #[error("only a pledge that is not yet posted can be given more time")]
    NotPledged,
    /// Once is the rule.
    #[error("this pledge has already been given more time once")]
    AlreadyExtended,
}

/// Every way a bookbridge operation can fail.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A field failed validation.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// An uploaded file past one of its caps (bytes, rows, pixels...), refused unread.
    #[error("{refusal}")]
    OverLimit {
        /// The field the file came in (`file`, `photo`).
        field: &'static str,
        /// Which cap, and its value.
        refusal: super::uploads::OverLimit,
    },
    /// A field that should be an ISBN is not one.
    #[error("{0}")]
    InvalidIsbn(#[source] InvalidIsbn, &'static str),
    /// No token, or a token that is unknown, revoked or expired.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Wrong email or password at login.
    #[error("the email or password is wrong")]
    BadCredentials,
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The thing named does not exist (or the caller may not know that it does).
    #[error("{what} {id} does not exist")]
    NotFound {
        /// The kind of thing, e.g. "school".
        what: &'static str,
        /// The id or ISBN asked for.
        id: String,
    },
    /// Registration with an email that already has an account.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// A school account tried to create a second school.
    #[error("this account already manages a school")]
    SchoolExists,
    /// A pledge move the lifecycle forbids.
    #[error(transparent)]
    InvalidTransition(#[from] InvalidTransition),
    /// A vetting decision the account's standing does not allow.
    #[error(transparent)]
    InvalidVetting(#[from] InvalidVetting),
    /// The caller's account is waiting to be vetted (or is suspended): it may see its own
    /// status and nothing private, and move nothing.
    #[error("your account is waiting for a coordinator to approve it")]
    AccountPending,
    /// The school has not been verified yet, so it cannot receive pledges.
    #[error("this school has not been verified yet, so it cannot receive pledges")]
    SchoolNotVerified,
    /// Too many failed sign-ins (or registrations) from this account or address.
    #[error("too many attempts; try again in {retry_after_seconds} seconds")]
    TooManyAttempts {
        /// Seconds until the next attempt is allowed.
        retry_after_seconds: u64,
    },
    /// A pledge for more copies than are still needed.
    #[error("only {outstanding} copies are still needed")]
    InsufficientNeed {
        /// Copies still needed where the donor asked.
        outstanding: u32,
    },
    /// A wish-list quantity lowered below the copies already pledged.
    #[error("quantity cannot go below the {committed} copies already pledged")]
    BelowCommitted {
        /// Copies held by active pledges.
        committed: u32,
    },
    /// A pledge that cannot be given more time (posted already, or extended once).
    #[error(transparent)]
    CannotExtend(#[from] CannotExtend),
    /// A title the school already has on its shelf (this edition, or another of its work),
    /// asked for without saying another copy is wanted.
    #[error("the school already has {isbn} on its shelf")]
    AlreadyOnShelf {
        /// The edition on the shelf.
        isbn: crate::domain::isbn::Isbn,
    },
    /// A box's plan that no longer fits the need (another donor took some of it): nothing was
    /// pledged, and here is a fresh plan for what is left.
    #[error("another donor has just taken some of this need; here is a fresh plan")]
    PlanStale(Box<crate::domain::boxes::ProposedPlan>),
    /// A child's wish someone else claimed first (or that is no longer open).
    #[error("another donor has just answered this wish")]
    WishTaken,
    /// A change a child's wish does not allow in its status.
    #[error("{0}")]
    WishRefused(String),
    /// A change to a wish-list item that has been closed.
    #[error("wish-list item {0} is closed")]
    ItemClosed(i64),
    /// WeChat refused, or this WeChat user or account cannot be bound as asked.
    #[error(transparent)]
    WeChat(#[from] super::wechat::WeChatRefusal),
    /// Someone else changed the same record at the same moment; the caller may retry.
    #[error("{0}")]
    Conflict(&'static str),
    /// A part the service depends on (the database) does not answer; try again later.
    #[error("{0}")]
    Unavailable(&'static str),
    /// The database, the index or another internal step failed; nothing the client sent
    /// caused it. The text is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    /// A `NotFound` for an id-like value.
    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        DomainError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

impl From<InvalidSchoolCode> for Invalid {
    fn from(err: InvalidSchoolCode) -> Self {
        Invalid::new("school_code", err.to_string())
    }
}

impl From<InvalidSchoolCode> for DomainError {
    fn from(err: InvalidSchoolCode) -> Self {
        DomainError::Invalid(err.into())
    }
}

/// Result of a domain operation.
pub type DomainResult<T> = Result<T, DomainError>;
