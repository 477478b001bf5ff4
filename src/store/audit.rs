//! The audit log: appended with the change it records, read by admins.

use chrono::{DateTime, Utc};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect,
};

use super::entity::audit_log;
use super::{Store, StoreResult};
use crate::domain::audit::{AuditEntry, AuditRecord};
use crate::domain::ids::AccountId;

/// Appends `entry`; inside the transaction of the change it records, where there is one.
pub(super) async fn record(
    conn: &impl ConnectionTrait,
    entry: &AuditEntry,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    audit_log::ActiveModel {
        at: Set(now),
        actor_id: Set(entry.actor.map(AccountId::get)),
        action: Set(entry.action.as_str().to_owned()),
        subject: Set(entry.subject.chars().take(64).collect()),
        detail: Set(entry.detail.clone()),
        client: Set(entry.client.clone()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Appends `entry` on its own (for events with no other change: a sign-in, an export).
    pub async fn audit(&self, entry: &AuditEntry, now: DateTime<Utc>) -> StoreResult<()> {
        record(&self.db, entry, now).await
    }

    /// The log, newest first.
    pub async fn audit_log(&self, limit: u64, offset: u64) -> StoreResult<Vec<AuditRecord>> {
        let rows = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Id)
            .limit(limit)
            .offset(offset)
            .all(&self.db)
            .await?;
        // Who each actor is, by name: one query for the page's actors.
        let names = self
            .account_names(rows.iter().filter_map(|row| row.actor_id).map(AccountId))
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| AuditRecord {
                id: row.id,
                at: row.at,
                actor_name: row
                    .actor_id
                    .and_then(|id| names.get(&AccountId(id)).cloned()),
                actor_id: row.actor_id.map(AccountId),
                action: row.action,
                subject: row.subject,
                detail: row.detail,
                client: row.client,
            })
            .collect())
    }
}
