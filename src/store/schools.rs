//! Schools.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::entity::schools;
use super::{
    audit, bind, bind_all, changed_one, convert, outbox, to_i64, Store, StoreError, StoreResult,
};
use crate::domain::audit::AuditEntry;
use crate::domain::ids::{AccountId, SchoolId};
use crate::domain::model::{ItemStatus, School, SchoolSummary};
use crate::domain::notices::NoticeKind;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::ShipTo;
use crate::domain::schools::NewSchool;
use crate::domain::vetting::SchoolCheck;
use sea_orm::Value;
use std::collections::HashMap;

/// Copies still needed per school (open items only), binding the open status after `values`.
fn books_needed_sql(values: &mut Vec<Value>) -> String {
    let open = bind(values, ItemStatus::Open.as_str());
    format!(
        "CAST(COALESCE(SUM(CASE WHEN w.status = {open} \
         THEN w.requested - w.committed ELSE 0 END), 0) AS BIGINT)"
    )
}

impl Store {
    /// Registers a school managed by `owner`; `Duplicate` when the owner already has one.
    pub async fn insert_school(
        &self,
        owner: AccountId,
        school: &NewSchool,
        now: DateTime<Utc>,
    ) -> StoreResult<School> {
        let row = schools::ActiveModel {
            owner_account_id: Set(owner.get()),
            name: Set(school.name.clone()),
            province: Set(school.province.clone()),
            county: Set(school.county.clone()),
            address: Set(school.address.clone()),
            contact_phone: Set(school.contact_phone.clone()),
            student_count: Set(i32::try_from(school.student_count).unwrap_or(i32::MAX)),
            school_code: Set(school.school_code.as_ref().map(|c| c.as_str().to_owned())),
            verified: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_write)?;
        convert::school(row, 0)
    }

    /// Marks a school verified with the code that was checked and how, re-indexing its
    /// wish list (its needs now count in search), with its audit entry, in one transaction.
    /// False when there is no such school.
    pub async fn verify_school(
        &self,
        id: SchoolId,
        check: &SchoolCheck,
        entry: &AuditEntry,
        notice: Option<NoticeKind>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let changed = changed_one(
            &txn,
            self.stmt(
                "UPDATE schools SET verified = $1, school_code = $2, verification_note = $3, \
                 verified_by = $4, verified_at = $5 WHERE id = $6",
                vec![
                    true.into(),
                    check.code.as_str().into(),
                    check.note.clone().into(),
                    check.by.map(|id| id.get()).into(),
                    now.into(),
                    id.get().into(),
                ],
            ),
        )
        .await?;
        if !changed {
            txn.rollback().await?;
            return Ok(false);
        }
        let isbns: Vec<String> = txn
            .query_all_raw(self.stmt(
                "SELECT DISTINCT isbn FROM wishlist_items WHERE school_id = $1",
                vec![id.get().into()],
            ))
            .await?
            .into_iter()
            .map(|row| row.try_get::<String>("", "isbn"))
            .collect::<Result<_, _>>()?;
        audit::record(&txn, entry, now).await?;
        outbox::record(&txn, isbns.iter().map(String::as_str), now).await?;
        // The school hears it can receive books now.
        if let Some(kind) = notice {
            if let Some(school) = schools::Entity::find_by_id(id.get()).one(&txn).await? {
                super::notices::record_for_account(
                    &txn,
                    AccountId(school.owner_account_id),
                    kind,
                    now,
                )
                .await?;
            }
        }
        txn.commit().await?;
        Ok(true)
    }

    /// Schools not verified yet, oldest first, with every field (for the vetting queue).
    pub async fn unverified_schools(&self, limit: u64) -> StoreResult<Vec<School>> {
        let rows = schools::Entity::find()
            .filter(schools::Column::Verified.eq(false))
            .order_by_asc(schools::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| convert::school(row, 0))
            .collect()
    }

    /// Where pledges to each of `ids` go, with the account that runs each school (for the
    /// address rule), in one query per few hundred schools.
    pub async fn destinations(
        &self,
        ids: &[SchoolId],
    ) -> StoreResult<HashMap<SchoolId, (AccountId, ShipTo)>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(250) {
            let rows = schools::Entity::find()
                .filter(schools::Column::Id.is_in(chunk.iter().map(|id| id.get())))
                .all(&self.db)
                .await?;
            for row in rows {
                out.insert(
                    SchoolId(row.id),
                    (
                        AccountId(row.owner_account_id),
                        ShipTo {
                            school_id: SchoolId(row.id),
                            name: row.name,
                            address: row.address,
                            contact_phone: row.contact_phone,
                        },
                    ),
                );
            }
        }
        Ok(out)
    }

    /// One school with its private fields and current need.
    pub async fn school(&self, id: SchoolId) -> StoreResult<Option<School>> {
        let Some(row) = schools::Entity::find_by_id(id.get()).one(&self.db).await? else {
            return Ok(None);
        };
        let mut values = vec![id.get().into()];
        let needed = books_needed_sql(&mut values);
        let needed = self
            .db
            .query_one_raw(self.stmt(
                &format!("SELECT {needed} AS n FROM wishlist_items w WHERE w.school_id = $1"),
                values,
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        convert::school(row, u64::try_from(needed).unwrap_or(0)).map(Some)
    }

    /// The school an account manages, if any.
    pub async fn school_of(&self, owner: AccountId) -> StoreResult<Option<SchoolId>> {
        Ok(schools::Entity::find()
            .filter(schools::Column::OwnerAccountId.eq(owner.get()))
            .one(&self.db)
            .await?
            .map(|s| SchoolId(s.id)))
    }

    /// Every school (in one province, when given) with its current need, public fields only,
    /// oldest first.
    pub async fn list_schools(
        &self,
        province: Option<&str>,
        limit: u64,
        offset: u64,
    ) -> StoreResult<Vec<SchoolSummary>> {
        let mut values = vec![to_i64(limit).into(), to_i64(offset).into()];
        let filter = match province {
            Some(province) => format!("WHERE s.province = {}", bind(&mut values, province)),
            None => String::new(),
        };
        let needed = books_needed_sql(&mut values);
        self.summaries(
            &format!(
                "SELECT s.id, s.name, s.province, s.county, s.verified, \
                 CAST(s.student_count AS BIGINT) AS student_count, {needed} AS books_needed \
                 FROM schools s LEFT JOIN wishlist_items w ON w.school_id = s.id {filter} \
                 GROUP BY s.id, s.name, s.province, s.county, s.student_count, s.verified \
                 ORDER BY s.id LIMIT $1 OFFSET $2"
            ),
            values,
        )
        .await
    }

    /// The public directory: verified schools (in one province, when given), those needing
    /// the most books first, and how many there are in all.
    pub async fn school_directory(
        &self,
        province: Option<&str>,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<SchoolSummary>, u64)> {
        let mut values = vec![to_i64(limit).into(), to_i64(offset).into()];
        let verified = bind(&mut values, true);
        let mut filter = format!("s.verified = {verified}");
        if let Some(province) = province {
            filter.push_str(&format!(
                " AND s.province = {}",
                bind(&mut values, province)
            ));
        }
        let needed = books_needed_sql(&mut values);
        let schools = self
            .summaries(
                &format!(
                    "SELECT s.id, s.name, s.province, s.county, s.verified, \
                     CAST(s.student_count AS BIGINT) AS student_count, {needed} AS books_needed \
                     FROM schools s LEFT JOIN wishlist_items w ON w.school_id = s.id \
                     WHERE {filter} \
                     GROUP BY s.id, s.name, s.province, s.county, s.student_count, s.verified \
                     ORDER BY books_needed DESC, s.id LIMIT $1 OFFSET $2"
                ),
                values,
            )
            .await?;
        let mut values = Vec::new();
        let verified = bind(&mut values, true);
        let mut filter = format!("verified = {verified}");
        if let Some(province) = province {
            filter.push_str(&format!(" AND province = {}", bind(&mut values, province)));
        }
        let total = self
            .db
            .query_one_raw(self.stmt(
                &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM schools WHERE {filter}"),
                values,
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        Ok((schools, u64::try_from(total).unwrap_or(0)))
    }

    /// A school's page version: one more whenever anything its shared page or class pages show
    /// changes (kept by the database's triggers); `None` for no such school.
    pub async fn school_page_version(&self, school: SchoolId) -> StoreResult<Option<i64>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT page_version FROM schools WHERE id = $1",
                vec![school.get().into()],
            ))
            .await?;
        Ok(row.map(|r| r.try_get("", "page_version")).transpose()?)
    }

    /// The directory's version: changes whenever any school's page version does, or a school
    /// is added or removed.
    pub async fn directory_version(&self) -> StoreResult<(i64, i64)> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT CAST(COALESCE(SUM(page_version), 0) AS BIGINT) AS versions, \
                 CAST(COUNT(*) AS BIGINT) AS schools FROM schools",
                Vec::new(),
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("no answer to a count".into()))?;
        Ok((row.try_get("", "versions")?, row.try_get("", "schools")?))
    }

    /// The provinces with verified schools, and how many each has.
    pub async fn directory_provinces(&self) -> StoreResult<Vec<(String, u64)>> {
        let mut values = Vec::new();
        let verified = bind(&mut values, true);
        let rows = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT province, CAST(COUNT(*) AS BIGINT) AS n FROM schools \
                     WHERE verified = {verified} GROUP BY province ORDER BY province"
                ),
                values,
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                let n = r.try_get::<i64>("", "n")?;
                Ok((r.try_get("", "province")?, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }

    async fn summaries(&self, sql: &str, values: Vec<Value>) -> StoreResult<Vec<SchoolSummary>> {
        let rows = self.db.query_all_raw(self.stmt(sql, values)).await?;
        rows.into_iter()
            .map(|r| {
                Ok(SchoolSummary {
                    id: SchoolId(r.try_get("", "id")?),
                    name: r.try_get("", "name")?,
                    province: r.try_get("", "province")?,
                    county: r.try_get("", "county")?,
                    student_count: convert::count(r.try_get::<i64>("", "student_count")?)?,
                    books_needed: u64::try_from(r.try_get::<i64>("", "books_needed")?).unwrap_or(0),
                    verified: r.try_get("", "verified")?,
                })
            })
            .collect()
    }

    /// Whether a donor has a pledge to the school that is still under way (pledged or shipped).
    pub async fn has_active_pledge(&self, donor: AccountId, school: SchoolId) -> StoreResult<bool> {
        let mut values = vec![donor.get().into(), school.get().into()];
        let active = bind_all(&mut values, PledgeStatus::ACTIVE.map(PledgeStatus::as_str));
        let row = self
            .db
            .query_one_raw(self.stmt(
                &format!(
                    "SELECT 1 AS one FROM pledges WHERE donor_account_id = $1 AND school_id = $2 \
                     AND status IN ({active}) LIMIT 1"
                ),
                values,
            ))
            .await?;
        Ok(row.is_some())
    }
}

impl Store {
    /// Schools whose `committed_copies` is not the sum of their items' `committed` (it is
    /// kept in step in the same transactions; this finds any drift, for tests and checks).
    pub async fn committed_copies_drift(&self) -> StoreResult<Vec<SchoolId>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT s.id FROM schools s WHERE s.committed_copies <> \
                 (SELECT COALESCE(SUM(w.committed), 0) FROM wishlist_items w WHERE w.school_id = s.id)",
                vec![],
            ))
            .await?;
        rows.iter()
            .map(|r| Ok(SchoolId(r.try_get("", "id")?)))
            .collect()
    }
}
