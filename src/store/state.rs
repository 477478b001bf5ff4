//! Small facts about this installation (`app_state`).

use sea_orm::ConnectionTrait;

use super::{Store, StoreResult};

impl Store {
    /// The value stored under `key`, if any.
    pub async fn flag(&self, key: &str) -> StoreResult<Option<String>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT value FROM app_state WHERE key = $1",
                vec![key.into()],
            ))
            .await?;
        Ok(row.map(|r| r.try_get("", "value")).transpose()?)
    }

    /// Stores `value` under `key`, replacing what was there.
    pub async fn set_flag(&self, key: &str, value: &str) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "INSERT INTO app_state (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                vec![key.into(), value.into()],
            ))
            .await?;
        Ok(())
    }
}
