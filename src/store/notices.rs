//! Notices: recorded in the transaction of the event that causes them, read on a person's
//! own page. A dedupe key makes a reminder at most once (`ON CONFLICT DO NOTHING`, which
//! SQLite and Postgres both speak).

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::{stmt, Store, StoreError, StoreResult};
use crate::domain::ids::{AccountId, PledgeId};
use crate::domain::language::Language;
use crate::domain::model::Pledge;
use crate::domain::notices::{
    Channel, Delivery, NewNotice, Notice, NoticeKind, Outgoing, Recipient, SentVia,
};

/// How one notice went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDelivery {
    /// The notice.
    pub id: i64,
    /// Where it stands.
    pub delivery: Delivery,
    /// How it went, once sent.
    pub sent_via: Option<SentVia>,
    /// Tries so far.
    pub attempts: i32,
    /// Why the last try failed.
    pub last_error: Option<String>,
}

/// Records `notices` about `pledge` on `conn` (the event's own transaction).
pub(super) async fn record(
    conn: &impl ConnectionTrait,
    pledge: &Pledge,
    notices: &[NewNotice],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    for notice in notices {
        let account = match notice.to {
            Recipient::Donor => "$1".to_owned(),
            Recipient::School => "(SELECT owner_account_id FROM schools WHERE id = $7)".to_owned(),
        };
        conn.execute_raw(stmt(
            backend,
            &format!(
                "INSERT INTO notifications (account_id, kind, pledge_id, detail, dedupe_key, \
                 created_at, delivery, attempts) \
                 SELECT {account}, $2, $3, $4, $5, $6, $8, 0 WHERE 1 = 1 \
                 ON CONFLICT (dedupe_key) DO NOTHING"
            ),
            vec![
                pledge.donor_id.get().into(),
                notice.kind.as_str().into(),
                pledge.id.get().into(),
                notice.detail.clone().into(),
                notice.dedupe_key.clone().into(),
                now.into(),
                pledge.school_id.get().into(),
                Delivery::Pending.as_str().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// Records a notice to one account about the account itself (a vetting decision).
pub(super) async fn record_for_account(
    conn: &impl ConnectionTrait,
    account: AccountId,
    kind: NoticeKind,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "INSERT INTO notifications (account_id, kind, created_at, delivery, attempts) \
         VALUES ($1, $2, $3, $4, 0)",
        vec![
            account.get().into(),
            kind.as_str().into(),
            now.into(),
            Delivery::Pending.as_str().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The table a channel's tries are kept in.
fn table(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "notifications",
        Channel::Webhook => "webhook_deliveries",
    }
}

/// How long a round's claim on the rows it took lasts. Rows are claimed before they are
/// sent (their next try moved to the lease's end), so servers sharing the database never
/// take the same row in normal running; a server that dies mid-round leaves its rows to be
/// taken again when the lease ends, so at most the rows of one round may go twice. Longer
/// than a round of 50 tries at their 10-second timeouts.
pub const LEASE_SECONDS: i64 = 600;

impl Store {
    /// Claims up to `limit` rows of `channel` due at `now` (pending, never tried or due to be
    /// tried again): their next try moves to the lease's end, in one statement on the
    /// writer (SQLite has one writer; Postgres locks the rows `FOR UPDATE`, and a server
    /// that waited on another's claim finds those rows no longer due when the lock is
    /// released). Not `SKIP LOCKED`: a notice locked for a moment by the webhook fan-out
    /// would be skipped and a person's later email sent before their earlier one. Returns
    /// their ids, oldest first.
    pub(super) async fn claim_due(
        &self,
        channel: Channel,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<i64>> {
        let table = table(channel);
        let skip_locked = match self.writer.get_database_backend() {
            sea_orm::DbBackend::Postgres => " FOR UPDATE",
            _ => "",
        };
        let rows = self
            .writer
            .query_all_raw(self.stmt(
                &format!(
                    "UPDATE {table} SET next_attempt_at = $1 WHERE id IN (\
                     SELECT id FROM {table} WHERE delivery = $2 \
                     AND (next_attempt_at IS NULL OR next_attempt_at <= $3) \
                     ORDER BY id LIMIT $4{skip_locked}) RETURNING id"
                ),
                vec![
                    (now + chrono::Duration::seconds(LEASE_SECONDS)).into(),
                    Delivery::Pending.as_str().into(),
                    now.into(),
                    super::to_i64(limit).into(),
                ],
            ))
            .await?;
        let mut ids = rows
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Records notices about a pledge on their own (reminders: no other change goes with them).
    pub async fn record_notices(
        &self,
        pledge: &Pledge,
        notices: &[NewNotice],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        record(&self.db, pledge, notices, now).await
    }

    /// Claims the notices whose email is due at `now` (never tried, or due to be tried
    /// again; see [`LEASE_SECONDS`]), oldest first, with who they go to.
    pub async fn notices_to_send(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<Outgoing>> {
        let ids = self.claim_due(Channel::Email, now, limit).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut values = Vec::with_capacity(ids.len());
        let listed = super::bind_all(&mut values, ids.iter().copied());
        let rows = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT n.id, n.account_id, n.kind, n.pledge_id, n.detail, n.created_at, \
                     n.attempts, b.title, cw.thanks, a.email, a.language, a.email_notices, \
                     w.openid FROM notifications n JOIN accounts a ON a.id = n.account_id \
                     LEFT JOIN wechat_accounts w ON w.account_id = n.account_id \
                     LEFT JOIN pledges p ON p.id = n.pledge_id \
                     LEFT JOIN books b ON b.isbn = p.isbn \
                     LEFT JOIN child_wishes cw ON cw.id = p.child_wish_id \
                     WHERE n.id IN ({listed}) ORDER BY n.id"
                ),
                values,
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                let language: String = r.try_get("", "language")?;
                Ok(Outgoing {
                    notice: notice_from(&r)?,
                    email: r.try_get("", "email")?,
                    language: Language::parse(&language).unwrap_or(Language::Zh),
                    email_notices: r.try_get("", "email_notices")?,
                    openid: r.try_get("", "openid")?,
                    attempts: u32::try_from(r.try_get::<i32>("", "attempts")?).unwrap_or(0),
                })
            })
            .collect()
    }

    /// Records how sending a notice went: `Sent`, `Kept`, `Failed`, or `Pending` again at
    /// `retry_at` with the error.
    pub async fn notice_tried(
        &self,
        id: i64,
        outcome: Delivery,
        retry: (Option<DateTime<Utc>>, Option<&str>),
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.record_try(Channel::Email, id, (outcome, retry), now)
            .await
    }

    /// Records that a notice was sent, and how.
    pub async fn notice_sent(&self, id: i64, via: SentVia, now: DateTime<Utc>) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "UPDATE notifications SET delivery = $1, attempts = attempts + 1, \
                 next_attempt_at = NULL, last_error = NULL, sent_at = $2, sent_via = $3 \
                 WHERE id = $4",
                vec![
                    Delivery::Sent.as_str().into(),
                    now.into(),
                    via.as_str().into(),
                    id.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// How an account's notices went out, newest first (for operators and tests).
    pub async fn notice_deliveries(
        &self,
        account: AccountId,
        limit: u64,
    ) -> StoreResult<Vec<NoticeDelivery>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT id, delivery, sent_via, attempts, last_error FROM notifications \
                 WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
                vec![account.get().into(), super::to_i64(limit).into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let delivery: String = r.try_get("", "delivery")?;
                let sent_via: Option<String> = r.try_get("", "sent_via")?;
                let corrupt = |what: &str| StoreError::Corrupt(format!("unknown {what}"));
                Ok(NoticeDelivery {
                    id: r.try_get("", "id")?,
                    delivery: Delivery::parse(&delivery).ok_or_else(|| corrupt("delivery"))?,
                    sent_via: sent_via
                        .map(|v| SentVia::parse(&v).ok_or_else(|| corrupt("sent_via")))
                        .transpose()?,
                    attempts: r.try_get("", "attempts")?,
                    last_error: r.try_get("", "last_error")?,
                })
            })
            .collect()
    }

    /// Records that these notices are kept on their people's pages without email (no mail
    /// server, or email turned off): one statement for a whole round, since with no mail
    /// server every pledge's notice ends here, and a rush makes thousands a second.
    pub async fn notices_kept(&self, ids: &[i64]) -> StoreResult<()> {
        for chunk in ids.chunks(250) {
            let mut values = Vec::with_capacity(chunk.len() + 2);
            let kept = super::bind(&mut values, Delivery::Kept.as_str());
            let pending = super::bind(&mut values, Delivery::Pending.as_str());
            let listed = super::bind_all(&mut values, chunk.iter().copied());
            self.db
                .execute_raw(self.stmt(
                    &format!(
                        "UPDATE notifications SET delivery = {kept}, next_attempt_at = NULL, \
                         last_error = NULL, sent_at = NULL \
                         WHERE id IN ({listed}) AND delivery = {pending}"
                    ),
                    values,
                ))
                .await?;
        }
        Ok(())
    }

    /// Records a try of an email or a webhook delivery: its outcome, when to try again and
    /// why it failed. (Notices kept on the page were not tried: see [`Store::notices_kept`].)
    pub(super) async fn record_try(
        &self,
        channel: Channel,
        id: i64,
        (outcome, (retry_at, error)): (Delivery, (Option<DateTime<Utc>>, Option<&str>)),
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let table = table(channel);
        let sent_at = (outcome == Delivery::Sent).then_some(now);
        self.db
            .execute_raw(self.stmt(
                &format!(
                    "UPDATE {table} SET delivery = $1, attempts = attempts + 1, \
                     next_attempt_at = $2, last_error = $3, sent_at = $4 WHERE id = $5"
                ),
                vec![
                    outcome.as_str().into(),
                    retry_at.into(),
                    error.map(|e| e.chars().take(500).collect::<String>()).into(),
                    sent_at.into(),
                    id.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// Notices whose email was given up on, newest first.
    pub async fn failed_notices(&self, limit: u64) -> StoreResult<Vec<Notice>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT n.id, n.account_id, n.kind, n.pledge_id, n.detail, n.created_at, \
                 b.title, cw.thanks FROM notifications n \
                 LEFT JOIN pledges p ON p.id = n.pledge_id \
                 LEFT JOIN books b ON b.isbn = p.isbn \
                 LEFT JOIN child_wishes cw ON cw.id = p.child_wish_id \
                 WHERE n.delivery = $1 ORDER BY n.id DESC LIMIT $2",
                vec![
                    Delivery::Failed.as_str().into(),
                    super::to_i64(limit).into(),
                ],
            ))
            .await?;
        rows.iter().map(notice_from).collect()
    }

    /// Puts an email or a webhook delivery that was given up on back in line, from its first
    /// try. False when it was not given up on.
    pub async fn send_again(&self, channel: Channel, id: i64) -> StoreResult<bool> {
        let table = table(channel);
        let done = self
            .db
            .execute_raw(self.stmt(
                &format!(
                    "UPDATE {table} SET delivery = $1, attempts = 0, next_attempt_at = NULL \
                     WHERE id = $2 AND delivery = $3"
                ),
                vec![
                    Delivery::Pending.as_str().into(),
                    id.into(),
                    Delivery::Failed.as_str().into(),
                ],
            ))
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// An account's notices, newest first, with their books' titles.
    pub async fn notices_for(&self, account: AccountId, limit: u64) -> StoreResult<Vec<Notice>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT n.id, n.account_id, n.kind, n.pledge_id, n.detail, n.created_at, \
                 b.title, cw.thanks FROM notifications n \
                 LEFT JOIN pledges p ON p.id = n.pledge_id \
                 LEFT JOIN books b ON b.isbn = p.isbn \
                 LEFT JOIN child_wishes cw ON cw.id = p.child_wish_id \
                 WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
                vec![account.get().into(), super::to_i64(limit).into()],
            ))
            .await?;
        rows.iter().map(notice_from).collect()
    }
}

/// A notice from a row with its columns and the book's `title`.
pub(super) fn notice_from(r: &sea_orm::QueryResult) -> StoreResult<Notice> {
    let kind: String = r.try_get("", "kind")?;
    Ok(Notice {
        id: r.try_get("", "id")?,
        account_id: AccountId(r.try_get("", "account_id")?),
        kind: NoticeKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown notice kind `{kind}`")))?,
        pledge_id: r.try_get::<Option<i64>>("", "pledge_id")?.map(PledgeId),
        detail: r.try_get("", "detail")?,
        created_at: r.try_get("", "created_at")?,
        title: r.try_get("", "title")?,
        // Only pages and emails read the child's thanks; webhook queries select none.
        thanks: r.try_get("", "thanks")?,
    })
}
