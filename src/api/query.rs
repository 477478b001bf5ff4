//! Query-string values, parsed with errors that name the parameter.

use crate::error::{ApiError, Repeated};

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

/// Refuses a repeated query parameter (`?status=shipped&status=pledged`) with a 422 naming
/// it, rather than letting Rocket silently keep one of them. The fairing notes the name and
/// sends the request to a path no route serves; the JSON catcher then answers with the note.
pub struct RepeatedParams;

/// The first query parameter name that appears more than once.
pub fn first_repeated(query: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split('=').next().unwrap_or(pair))
        .map(|name| {
            rocket::http::RawStr::new(name)
                .url_decode_lossy()
                .into_owned()
        })
        .find(|name| !seen.insert(name.clone()))
}

#[rocket::async_trait]
impl rocket::fairing::Fairing for RepeatedParams {
    fn info(&self) -> rocket::fairing::Info {
        rocket::fairing::Info {
            name: "refuse repeated query parameters",
            kind: rocket::fairing::Kind::Request,
        }
    }

    async fn on_request(&self, request: &mut rocket::Request<'_>, _: &mut rocket::Data<'_>) {
        if !request.uri().path().starts_with("/api/") {
            return;
        }
        let Some(name) = request
            .uri()
            .query()
            .and_then(|q| first_repeated(q.as_str()))
        else {
            return;
        };
        if let Ok(mut slot) = request.local_cache(Repeated::default).0.lock() {
            *slot = Some(name);
        }
        request.set_uri(rocket::http::uri::Origin::const_new(
            "/api/repeated-query-parameter",
            None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::first_repeated;

    #[test]
    fn a_repeated_name_is_found_even_when_encoded() {
        assert_eq!(
            first_repeated("status=shipped&status=pledged").as_deref(),
            Some("status")
        );
        assert_eq!(first_repeated("a=1&b=2&%61=3").as_deref(), Some("a"));
        assert_eq!(first_repeated("q=moon&needed=true"), None);
        assert_eq!(first_repeated(""), None);
    }
}
