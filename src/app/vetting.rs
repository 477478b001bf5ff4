//! Vetting: coordinators and admins approve, suspend and reinstate accounts, make
//! coordinators and verify schools. Every decision is audited in its own transaction.

use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ids::{AccountId, SchoolId};
use crate::domain::model::{Account, Actor, School};
use crate::domain::notices::NoticeKind;
use crate::domain::role::Role;
use crate::domain::schools::SchoolView;
use crate::domain::text;
use crate::domain::vetting::{may_vet, AccountStatus, SchoolCheck, SchoolCode, Vettee, Vetting};

/// Longest note with a vetting decision.
const MAX_NOTE_CHARS: usize = 1_000;

impl Bookbridge {
    /// Accounts, optionally in one standing (`?status=pending` is the queue to vet):
    /// coordinators and admins.
    pub async fn accounts(
        &self,
        actor: &Actor,
        status: Option<AccountStatus>,
        limit: u64,
        offset: u64,
    ) -> DomainResult<Vec<Account>> {
        if !actor.is_vetter() {
            return Err(forbid_vetting(actor));
        }
        Ok(self.store.accounts(status, limit, offset).await?)
    }

    /// Schools waiting to be verified, with the address and phone a coordinator needs to
    /// check them (coordinators, admins).
    pub async fn schools_to_verify(&self, actor: &Actor, limit: u64) -> DomainResult<Vec<School>> {
        if !actor.is_vetter() {
            return Err(forbid_vetting(actor));
        }
        Ok(self.store.unverified_schools(limit).await?)
    }

    /// Approves, suspends or reinstates an account. A suspension takes effect at the
    /// account's next request: its tokens stop working.
    pub async fn decide(
        &self,
        actor: &Actor,
        target: AccountId,
        decision: Vetting,
        note: Option<&str>,
    ) -> DomainResult<Account> {
        let note = text::optional("note", note, MAX_NOTE_CHARS)?;
        let account = self.account_to_vet(actor, target).await?;
        let vetted = self.store.account_vetted(target).await?;
        let to = account.status.apply(decision, vetted)?;
        let action = match decision {
            Vetting::Approve => AuditAction::Approved,
            Vetting::Suspend => AuditAction::Suspended,
            Vetting::Reinstate => AuditAction::Reinstated,
        };
        let mut entry = AuditEntry::by(actor, action, format!("account:{target}"));
        entry.detail = note;
        // The person hears of an approval or a suspension (a reinstatement to active is an
        // approval; one back to waiting says nothing new).
        let notice = match to {
            AccountStatus::Active => Some(NoticeKind::AccountApproved),
            AccountStatus::Suspended => Some(NoticeKind::AccountSuspended),
            AccountStatus::Pending => None,
        };
        if !self
            .store
            .set_account_status(target, (account.status, to), &entry, notice, self.now())
            .await?
        {
            return Err(DomainError::Conflict(
                "the account changed meanwhile; please try again",
            ));
        }
        self.signed_in.forget(target);
        self.happened(Happened::NoticesRecorded);
        self.account(target).await
    }

    /// Makes an active volunteer a coordinator, or not: admins only.
    pub async fn set_coordinator(
        &self,
        actor: &Actor,
        target: AccountId,
        coordinator: bool,
    ) -> DomainResult<Account> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins make coordinators"));
        }
        let account = self.account(target).await?;
        if account.role != Role::Volunteer || account.status != AccountStatus::Active {
            return Err(DomainError::Conflict(
                "only an approved volunteer can be a coordinator",
            ));
        }
        let entry = AuditEntry::by(
            actor,
            AuditAction::CoordinatorChanged,
            format!("account:{target}"),
        )
        .detail(coordinator.to_string());
        self.store
            .set_coordinator(target, coordinator, &entry, self.now())
            .await?;
        self.signed_in.forget(target);
        self.account(target).await
    }

    /// Verifies a school after checking its identification code: from now on it receives
    /// pledges and its needs count in search.
    pub async fn verify_school(
        &self,
        actor: &Actor,
        school: SchoolId,
        code: &str,
        note: Option<&str>,
    ) -> DomainResult<SchoolView> {
        if !actor.is_vetter() {
            return Err(forbid_vetting(actor));
        }
        let check = SchoolCheck {
            code: SchoolCode::parse(code)?,
            note: text::optional("note", note, MAX_NOTE_CHARS)?,
            by: Some(actor.account),
        };
        let entry = AuditEntry::by(
            actor,
            AuditAction::SchoolVerified,
            format!("school:{school}"),
        )
        .detail(check.code.as_str().to_owned());
        // The school hears of a coordinator's check (not of the operator's or the demo's).
        self.record_verification(school, &check, &entry, Some(NoticeKind::SchoolVerified))
            .await?;
        self.school(Some(actor), school).await
    }

    async fn record_verification(
        &self,
        school: SchoolId,
        check: &SchoolCheck,
        entry: &AuditEntry,
        notice: Option<NoticeKind>,
    ) -> DomainResult<()> {
        if !self
            .store
            .verify_school(school, check, entry, notice, self.now())
            .await?
        {
            return Err(DomainError::not_found("school", school));
        }
        self.happened(Happened::CatalogueChanged);
        self.happened(Happened::NoticesRecorded);
        Ok(())
    }

    /// Approves an account without a vetter (the demo seed; tests).
    pub async fn approve_unchecked(&self, target: AccountId) -> DomainResult<()> {
        let account = self.account(target).await?;
        if account.status == AccountStatus::Pending {
            let entry = AuditEntry::by_operator(AuditAction::Approved, format!("account:{target}"));
            self.store
                .set_account_status(
                    target,
                    (AccountStatus::Pending, AccountStatus::Active),
                    &entry,
                    None,
                    self.now(),
                )
                .await?;
            self.signed_in.forget(target);
        }
        Ok(())
    }

    /// Makes a volunteer a coordinator without an admin (the demo seed; tests).
    pub async fn make_coordinator_unchecked(&self, target: AccountId) -> DomainResult<()> {
        let entry =
            AuditEntry::by_operator(AuditAction::CoordinatorChanged, format!("account:{target}"))
                .detail("true");
        if !self
            .store
            .set_coordinator(target, true, &entry, self.now())
            .await?
        {
            return Err(DomainError::Conflict(
                "only a volunteer can be a coordinator",
            ));
        }
        self.signed_in.forget(target);
        Ok(())
    }

    /// Verifies a school without a vetter (the demo seed; tests).
    pub async fn verify_school_unchecked(&self, school: SchoolId, code: &str) -> DomainResult<()> {
        let check = SchoolCheck {
            code: SchoolCode::parse(code)?,
            note: Some("verified by the operator".into()),
            by: None,
        };
        let entry =
            AuditEntry::by_operator(AuditAction::SchoolVerified, format!("school:{school}"))
                .detail(check.code.as_str().to_owned());
        self.record_verification(school, &check, &entry, None).await
    }

    async fn account(&self, id: AccountId) -> DomainResult<Account> {
        self.store
            .account(id)
            .await?
            .ok_or_else(|| DomainError::not_found("account", id))
    }

    /// The account `actor` is about to vet, if they may.
    async fn account_to_vet(&self, actor: &Actor, target: AccountId) -> DomainResult<Account> {
        if !actor.is_vetter() {
            return Err(forbid_vetting(actor));
        }
        let account = self.account(target).await?;
        let who = Vettee {
            role: account.role,
            coordinator: account.coordinator,
            is_self: account.id == actor.account,
        };
        if !may_vet(actor.role, actor.coordinator, actor.is_active(), who) {
            return Err(DomainError::Forbidden(
                "you may not vet this account (admins, other coordinators and yourself are out of reach)",
            ));
        }
        Ok(account)
    }
}

fn forbid_vetting(actor: &Actor) -> DomainError {
    if actor.is_active() {
        DomainError::Forbidden("only coordinators and admins vet accounts and schools")
    } else {
        DomainError::AccountPending
    }
}
