//! Webhook receivers and their deliveries. Deliveries are made from notices by the sender
//! job (`fan_out`), once per receiver (a unique index), then tried until taken or given up.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::notices::notice_from;
use super::{to_i64, Store, StoreResult};
use crate::domain::audit::AuditEntry;
use crate::domain::ids::AccountId;
use crate::domain::language::Language;
use crate::domain::notices::{Channel, Delivery, Notice};
use crate::domain::webhooks::{NewWebhook, Webhook};

/// A delivery due to be tried.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    /// Its id.
    pub id: i64,
    /// The receiver's address.
    pub url: String,
    /// The receiver's secret.
    pub secret: String,
    /// The notice it carries.
    pub notice: Notice,
    /// The language of the person the notice is for.
    pub language: Language,
    /// Tries so far.
    pub attempts: u32,
}

impl Store {
    /// Registers a receiver.
    pub async fn insert_webhook(
        &self,
        hook: &NewWebhook,
        by: AccountId,
        now: DateTime<Utc>,
    ) -> StoreResult<Webhook> {
        let events = hook.events.as_ref().map(|kinds| {
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(",")
        });
        let row = self
            .db
            .query_one_raw(self.stmt(
                "INSERT INTO webhooks (url, secret, events, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                vec![
                    hook.url.clone().into(),
                    hook.secret.clone().into(),
                    events.clone().into(),
                    by.get().into(),
                    now.into(),
                ],
            ))
            .await?
            .ok_or_else(|| super::StoreError::Corrupt("insert returned no id".into()))?;
        Ok(Webhook {
            id: row.try_get("", "id")?,
            url: hook.url.clone(),
            events: events.map(|e| e.split(',').map(str::to_owned).collect()),
            created_at: now,
        })
    }

    /// Webhook deliveries waiting to be taken (pending).
    pub async fn deliveries_pending(&self) -> StoreResult<u64> {
        self.count(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM webhook_deliveries WHERE delivery = $1",
            vec![Delivery::Pending.as_str().into()],
        )
        .await
    }

    /// Every receiver, oldest first (never their secrets).
    pub async fn webhooks(&self) -> StoreResult<Vec<Webhook>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT id, url, events, created_at FROM webhooks ORDER BY id",
                vec![],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let events: Option<String> = r.try_get("", "events")?;
                Ok(Webhook {
                    id: r.try_get("", "id")?,
                    url: r.try_get("", "url")?,
                    events: events.map(|e| e.split(',').map(str::to_owned).collect()),
                    created_at: r.try_get("", "created_at")?,
                })
            })
            .collect()
    }

    /// Removes a receiver with all its deliveries, and audits it, in one transaction;
    /// false when there is no such receiver.
    pub async fn delete_webhook(
        &self,
        id: i64,
        entry: &AuditEntry,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let backend = txn.get_database_backend();
        txn.execute_raw(super::stmt(
            backend,
            "DELETE FROM webhook_deliveries WHERE webhook_id = $1",
            vec![id.into()],
        ))
        .await?;
        let removed = txn
            .execute_raw(super::stmt(
                backend,
                "DELETE FROM webhooks WHERE id = $1",
                vec![id.into()],
            ))
            .await?
            .rows_affected();
        if removed == 0 {
            txn.rollback().await?;
            return Ok(false);
        }
        super::audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Makes a delivery for each receiver that wants each notice not yet handed out (at
    /// most `limit` notices), in one transaction; answers how many notices it handled.
    pub async fn fan_out(&self, now: DateTime<Utc>, limit: u64) -> StoreResult<u64> {
        let txn = self.begin_write().await?;
        let backend = txn.get_database_backend();
        let rows = txn
            .query_all_raw(super::stmt(
                backend,
                "SELECT id, kind FROM notifications WHERE fanned_out = $1 ORDER BY id LIMIT $2",
                vec![false.into(), to_i64(limit).into()],
            ))
            .await?;
        for row in &rows {
            let id: i64 = row.try_get("", "id")?;
            let kind: String = row.try_get("", "kind")?;
            txn.execute_raw(super::stmt(
                backend,
                "INSERT INTO webhook_deliveries (webhook_id, notification_id, delivery, attempts, \
                 created_at) SELECT w.id, $1, $2, 0, $3 FROM webhooks w \
                 WHERE w.events IS NULL OR (',' || w.events || ',') LIKE $4 \
                 ON CONFLICT (webhook_id, notification_id) DO NOTHING",
                vec![
                    id.into(),
                    Delivery::Pending.as_str().into(),
                    now.into(),
                    format!("%,{kind},%").into(),
                ],
            ))
            .await?;
            txn.execute_raw(super::stmt(
                backend,
                "UPDATE notifications SET fanned_out = $1 WHERE id = $2",
                vec![true.into(), id.into()],
            ))
            .await?;
        }
        txn.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Claims the deliveries due at `now` (see [`super::notices::LEASE_SECONDS`]), oldest
    /// first.
    pub async fn deliveries_due(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<DueDelivery>> {
        let ids = self.claim_due(Channel::Webhook, now, limit).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut values = Vec::with_capacity(ids.len());
        let listed = super::bind_all(&mut values, ids.iter().copied());
        let rows = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT d.id AS delivery_id, d.attempts, w.url, w.secret, a.language, \
                     n.id, n.account_id, n.kind, n.pledge_id, n.detail, n.created_at, b.title, CAST(NULL AS TEXT) AS thanks \
                     FROM webhook_deliveries d \
                     JOIN webhooks w ON w.id = d.webhook_id \
                     JOIN notifications n ON n.id = d.notification_id \
                     JOIN accounts a ON a.id = n.account_id \
                     LEFT JOIN pledges p ON p.id = n.pledge_id \
                     LEFT JOIN books b ON b.isbn = p.isbn \
                     WHERE d.id IN ({listed}) ORDER BY d.id"
                ),
                values,
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let language: String = r.try_get("", "language")?;
                Ok(DueDelivery {
                    id: r.try_get("", "delivery_id")?,
                    url: r.try_get("", "url")?,
                    secret: r.try_get("", "secret")?,
                    notice: notice_from(r)?,
                    language: Language::parse(&language).unwrap_or(Language::Zh),
                    attempts: u32::try_from(r.try_get::<i32>("", "attempts")?).unwrap_or(0),
                })
            })
            .collect()
    }

    /// Webhook deliveries given up on, newest first: `(delivery id, receiver url, notice)`.
    pub async fn failed_deliveries(&self, limit: u64) -> StoreResult<Vec<(i64, String, Notice)>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT d.id AS delivery_id, w.url, n.id, n.account_id, n.kind, n.pledge_id, \
                 n.detail, n.created_at, b.title, CAST(NULL AS TEXT) AS thanks FROM webhook_deliveries d \
                 JOIN webhooks w ON w.id = d.webhook_id \
                 JOIN notifications n ON n.id = d.notification_id \
                 LEFT JOIN pledges p ON p.id = n.pledge_id \
                 LEFT JOIN books b ON b.isbn = p.isbn \
                 WHERE d.delivery = $1 ORDER BY d.id DESC LIMIT $2",
                vec![Delivery::Failed.as_str().into(), to_i64(limit).into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("", "delivery_id")?,
                    r.try_get("", "url")?,
                    notice_from(r)?,
                ))
            })
            .collect()
    }

    /// Records how a delivery went (as [`Store::notice_tried`] does for emails).
    pub async fn delivery_tried(
        &self,
        id: i64,
        outcome: Delivery,
        retry: (Option<DateTime<Utc>>, Option<&str>),
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.record_try(Channel::Webhook, id, (outcome, retry), now)
            .await
    }
}
