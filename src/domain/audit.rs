//! The audit log's entries: who did what to which record, when and from where.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ids::AccountId;
use super::model::Actor;

/// What happened, named for people reading the log (and stable for tools that filter it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A sign-in that worked.
    SignIn,
    /// A sign-in with a wrong email or password.
    SignInFailed,
    /// A sign-in refused because the account or address is waiting out a lock.
    SignInThrottled,
    /// An account locked after too many failed sign-ins.
    AccountLocked,
    /// A client address locked after too many failed sign-ins.
    AddressLocked,
    /// A registration.
    Registered,
    /// An account approved.
    Approved,
    /// An account suspended.
    Suspended,
    /// An account reinstated.
    Reinstated,
    /// A volunteer made a coordinator, or no longer one.
    CoordinatorChanged,
    /// Every session of an account ended.
    SignedOutEverywhere,
    /// A school verified.
    SchoolVerified,
    /// A book's metadata edited by hand.
    BookEdited,
    /// A wish-list item added to, changed or closed, or a list imported.
    WishlistChanged,
    /// Titles put on a school's shelf (the books it already has).
    ShelfChanged,
    /// A pledge moved.
    PledgeMoved,
    /// An export with addresses downloaded.
    Exported,
    /// A webhook receiver registered.
    WebhookRegistered,
    /// A webhook receiver removed.
    WebhookRemoved,
    /// A curated book list made, or a book added to one.
    BookListChanged,
    /// A child's wish written down, given consent, thanked, withdrawn or its details
    /// removed.
    ChildWishChanged,
    /// WeChat bound to an account.
    WeChatBound,
}

impl AuditAction {
    /// Every action, for reading a stored name back.
    pub const ALL: [AuditAction; 22] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignInThrottled,
        AuditAction::AccountLocked,
        AuditAction::AddressLocked,
        AuditAction::Registered,
        AuditAction::Approved,
        AuditAction::Suspended,
        AuditAction::Reinstated,
        AuditAction::CoordinatorChanged,
        AuditAction::SignedOutEverywhere,
        AuditAction::SchoolVerified,
        AuditAction::BookEdited,
        AuditAction::WishlistChanged,
        AuditAction::ShelfChanged,
        AuditAction::PledgeMoved,
        AuditAction::Exported,
        AuditAction::WebhookRegistered,
        AuditAction::WebhookRemoved,
        AuditAction::BookListChanged,
        AuditAction::ChildWishChanged,
        AuditAction::WeChatBound,
    ];

    /// Reads a stored name (`pledge.move`).
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|action| action.as_str() == stored)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "signin",
            AuditAction::SignInFailed => "signin.failed",
            AuditAction::SignInThrottled => "signin.throttled",
            AuditAction::AccountLocked => "account.lock",
            AuditAction::AddressLocked => "address.lock",
            AuditAction::Registered => "account.register",
            AuditAction::Approved => "account.approve",
            AuditAction::Suspended => "account.suspend",
            AuditAction::Reinstated => "account.reinstate",
            AuditAction::CoordinatorChanged => "account.coordinator",
            AuditAction::SignedOutEverywhere => "account.signout_everywhere",
            AuditAction::SchoolVerified => "school.verify",
            AuditAction::BookEdited => "book.edit",
            AuditAction::WishlistChanged => "wishlist.change",
            AuditAction::ShelfChanged => "shelf.change",
            AuditAction::PledgeMoved => "pledge.move",
            AuditAction::Exported => "export",
            AuditAction::WebhookRegistered => "webhook.register",
            AuditAction::WebhookRemoved => "webhook.remove",
            AuditAction::BookListChanged => "booklist.change",
            AuditAction::ChildWishChanged => "wish.change",
            AuditAction::WeChatBound => "account.wechat_bind",
        }
    }
}

/// One line of the audit log, to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who did it (none for the system, or a sign-in by an unknown email).
    pub actor: Option<AccountId>,
    /// What.
    pub action: AuditAction,
    /// To which record, as `kind:id` (`account:12`, `pledge:40`, `address:203.0.113.9`).
    pub subject: String,
    /// Anything else worth keeping (a note, the new status, a lock's end).
    pub detail: Option<String>,
    /// The client's address.
    pub client: Option<String>,
}

impl AuditEntry {
    /// An entry for something `actor` did to `subject`.
    pub fn by(actor: &Actor, action: AuditAction, subject: impl Into<String>) -> Self {
        AuditEntry {
            actor: Some(actor.account),
            action,
            subject: subject.into(),
            detail: None,
            client: actor.client.map(|ip| ip.to_string()),
        }
    }

    /// An entry for something that came from a client address without a signed-in caller
    /// (a registration, a sign-in and its failures), about `subject`.
    pub fn from_client(
        actor: Option<AccountId>,
        action: AuditAction,
        subject: impl Into<String>,
        client: Option<std::net::IpAddr>,
    ) -> Self {
        AuditEntry {
            actor,
            action,
            subject: subject.into(),
            detail: None,
            client: client.map(|ip| ip.to_string()),
        }
    }

    /// An entry for something the operator did outside any account (the demo seed, the
    /// command line, tests).
    pub fn by_operator(action: AuditAction, subject: impl Into<String>) -> Self {
        AuditEntry {
            actor: None,
            action,
            subject: subject.into(),
            detail: Some("by the operator".into()),
            client: None,
        }
    }

    /// An entry for something the service did on its own (a pledge expiring).
    pub fn by_system(action: AuditAction, subject: impl Into<String>) -> Self {
        AuditEntry {
            actor: None,
            action,
            subject: subject.into(),
            detail: None,
            client: None,
        }
    }

    /// Adds a detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// One line of the audit log, as read back.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    /// Its id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (absent for the system or an unknown email).
    pub actor_id: Option<AccountId>,
    /// Their name, as the account holds it now (absent with `actor_id`).
    pub actor_name: Option<String>,
    /// What: `signin`, `signin.failed`, `account.lock`, `account.approve`, …
    pub action: String,
    /// To which record, as `kind:id`.
    pub subject: String,
    /// Anything else kept.
    pub detail: Option<String>,
    /// From where.
    pub client: Option<String>,
}
