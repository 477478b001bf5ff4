//! Query-string values, parsed with errors that name the parameter.

use crate::error::ApiError;

/// Default page size for lists.
pub const DEFAULT_LIMIT: u64 = 100;
/// Largest page a client may ask for.
pub const MAX_LIMIT: u64 = 500;

/// `limit` (1..=500, default 100) and `offset` (default 0).
pub fn page(limit: Option<&str>, offset: Option<&str>) -> Result<(u64, u64), ApiError> {
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<u64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid(
                    "limit",
                    format!("`limit` must be a whole number from 1 to {MAX_LIMIT}"),
                ))
            }
        },
    };
    let offset = match offset {
        None => 0,
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|&n| n <= i64::MAX as u64)
            .ok_or_else(|| {
                ApiError::invalid("offset", "`offset` must be a whole number, 0 or more")
            })?,
    };
    Ok((limit, offset))
}

/// An optional id-like number.
pub fn optional_id(name: &'static str, raw: Option<&str>) -> Result<Option<i64>, ApiError> {
    raw.map(|r| {
        r.parse::<i64>()
            .map_err(|_| ApiError::invalid(name, format!("`{name}` must be a whole number")))
    })
    .transpose()
}
