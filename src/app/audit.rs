//! The audit log: written with what it records, read by admins.

use super::Bookbridge;
use crate::domain::audit::{AuditEntry, AuditRecord};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::model::Actor;

impl Bookbridge {
    /// Appends an entry on its own. A failure to audit is logged, never shown to the person
    /// signing in (their request already happened).
    pub(crate) async fn audit(&self, entry: AuditEntry) {
        if let Err(err) = self.store.audit(&entry, self.now()).await {
            log::error!("audit entry {:?} not written: {err}", entry.action);
        }
    }

    /// The log, newest first: admins only.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        limit: u64,
        offset: u64,
    ) -> DomainResult<Vec<AuditRecord>> {
        if !actor.is_admin() {
            return Err(DomainError::Forbidden("only admins read the audit log"));
        }
        Ok(self.store.audit_log(limit, offset).await?)
    }
}
