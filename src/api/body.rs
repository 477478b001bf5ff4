//! The JSON body guard: size-limited, strict, and precise about what is wrong.

use rocket::data::{self, Data, FromData, Limits, ToByteUnit};
use rocket::http::Status;
use rocket::Request;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, GuardFailure};

/// A JSON request body of type `T`. Malformed JSON is a 400 `malformed_json`; a body of the
/// wrong shape is a 422 naming the field; a body over the `json` limit is a 413.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned> FromData<'r> for JsonBody<T> {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        match read(request, data).await {
            Ok(value) => data::Outcome::Success(JsonBody(value)),
            Err(error) => {
                GuardFailure::record(request, error.clone());
                data::Outcome::Error((error.status, error))
            }
        }
    }
}

/// A JSON body that may be left out: no body (or only white space) is `T::default()`;
/// anything else is read as [`JsonBody`] reads it.
#[derive(Debug)]
pub struct OptionalJsonBody<T>(pub T);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Default> FromData<'r> for OptionalJsonBody<T> {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let read = read_bytes(request, data).await.and_then(|bytes| {
            // No body, or JSON `null` (what the document's nullable body allows).
            if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
                Ok(T::default())
            } else {
                parse(&bytes)
            }
        });
        match read {
            Ok(value) => data::Outcome::Success(OptionalJsonBody(value)),
            Err(error) => {
                GuardFailure::record(request, error.clone());
                data::Outcome::Error((error.status, error))
            }
        }
    }
}

async fn read<T: DeserializeOwned>(request: &Request<'_>, data: Data<'_>) -> Result<T, ApiError> {
    parse(&read_bytes(request, data).await?)
}

async fn read_bytes(request: &Request<'_>, data: Data<'_>) -> Result<Vec<u8>, ApiError> {
    let limit = request.limits().get("json").unwrap_or(Limits::JSON);
    let bytes = data.open(limit).into_bytes().await.map_err(|e| {
        ApiError::new(
            Status::BadRequest,
            "malformed_json",
            format!("the body could not be read: {e}"),
        )
    })?;
    if !bytes.is_complete() {
        return Err(ApiError::new(
            Status::PayloadTooLarge,
            "body_too_large",
            format!(
                "the body is larger than the {} limit",
                limit.as_u64().bytes()
            ),
        ));
    }
    Ok(bytes.into_inner())
}

/// Parses JSON, naming the field at fault (`quantity`, `items[2].isbn`, …).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            ApiError::new(
                Status::BadRequest,
                "malformed_json",
                format!("the body is not valid JSON: {inner}"),
            )
        } else {
            let field = field_of(&path, &inner.to_string());
            let message = strip_position(&inner.to_string());
            let message = match &field {
                Some(field) if !message.contains(field.as_str()) => format!("`{field}`: {message}"),
                _ => message,
            };
            let error = ApiError::new(Status::UnprocessableEntity, "validation_failed", message);
            match field {
                Some(field) => error.field(field),
                None => error,
            }
        }
    })?;
    deserializer.end().map_err(|e| {
        ApiError::new(
            Status::BadRequest,
            "malformed_json",
            format!("trailing data after the JSON value: {e}"),
        )
    })?;
    // Every body is an object: serde would also read a struct from an array of its fields
    // in order (`[null, null]`), which the document does not allow.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError::new(
            Status::UnprocessableEntity,
            "validation_failed",
            "the body must be a JSON object",
        ));
    }
    Ok(value)
}

/// serde names missing and unknown fields only in its message; the path points at the
/// object that holds them.
fn field_of(path: &str, message: &str) -> Option<String> {
    for marker in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.split(marker).nth(1) {
            let name = rest.split('`').next().unwrap_or_default();
            return Some(if path == "." || path.is_empty() {
                name.to_owned()
            } else if path == name || path.ends_with(&format!(".{name}")) {
                path.to_owned()
            } else {
                format!("{path}.{name}")
            });
        }
    }
    (path != "." && !path.is_empty()).then(|| path.to_owned())
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields exist to be deserialised")]
    struct Form {
        name: String,
        quantity: i64,
    }

    #[test]
    fn syntax_errors_are_400() {
        let err = parse::<Form>(b"{\"name\": ").unwrap_err();
        assert_eq!(
            (err.status, err.code),
            (Status::BadRequest, "malformed_json")
        );
        let err = parse::<Form>(br#"{"name": "a", "quantity": 1} trailing"#).unwrap_err();
        assert_eq!(err.status, Status::BadRequest);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let err = parse::<Form>(br#"{"name": "a"}"#).unwrap_err();
        assert_eq!(
            (err.status, err.field.as_deref()),
            (Status::UnprocessableEntity, Some("quantity"))
        );
        let err = parse::<Form>(br#"{"name": "a", "quantity": "two"}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("quantity"));
        let err = parse::<Form>(br#"{"name": "a", "quantity": 2, "extra": 1}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("extra"));
    }
}
