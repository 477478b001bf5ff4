//! File uploads and downloads: imports take the file itself as the body; exports answer CSV.

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::response::{self, Responder};
use rocket::Request;

use crate::domain::uploads::{MAX_BOOK_LIST_BYTES, MAX_PHOTO_BYTES};
use crate::error::{ApiError, GuardFailure};

/// Default upload limit when `limits.file` is not configured.
const DEFAULT_LIMIT_MIB: u64 = 64;

/// An uploaded catalogue, size-limited by `limits.file` (413 beyond it).
#[derive(Debug)]
pub struct FileBody(pub Vec<u8>);

/// An uploaded book list: at most [`MAX_BOOK_LIST_BYTES`] (or `limits.file`, if smaller).
#[derive(Debug)]
pub struct BookListFile(pub Vec<u8>);

/// An uploaded photo: at most [`MAX_PHOTO_BYTES`] (or `limits.file`, if smaller).
#[derive(Debug)]
pub struct PhotoFile(pub Vec<u8>);

/// Reads a body of at most `cap` bytes (never more into memory); 413 past it.
async fn read_file<'r>(
    request: &'r Request<'_>,
    data: Data<'r>,
    cap: Option<u64>,
) -> data::Outcome<'r, Vec<u8>, ApiError> {
    let configured = request
        .limits()
        .get("file")
        .unwrap_or(DEFAULT_LIMIT_MIB.mebibytes());
    let limit = cap.map_or(configured, |cap| configured.min(cap.bytes()));
    let fail = |error: ApiError| {
        GuardFailure::record(request, error.clone());
        data::Outcome::Error((error.status, error))
    };
    match data.open(limit).into_bytes().await {
        Ok(bytes) if bytes.is_complete() => data::Outcome::Success(bytes.into_inner()),
        Ok(_) => fail(
            ApiError::new(
                Status::PayloadTooLarge,
                "body_too_large",
                format!("the file is larger than the {limit} limit; split it"),
            )
            .with("limit", limit.as_u64()),
        ),
        Err(e) => fail(ApiError::new(
            Status::BadRequest,
            "bad_request",
            format!("the file could not be read: {e}"),
        )),
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for FileBody {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        read_file(request, data, None).await.map(FileBody)
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for BookListFile {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        read_file(request, data, Some(MAX_BOOK_LIST_BYTES))
            .await
            .map(BookListFile)
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for PhotoFile {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        read_file(request, data, Some(MAX_PHOTO_BYTES))
            .await
            .map(PhotoFile)
    }
}

/// A CSV download.
pub struct CsvFile {
    /// Suggested file name.
    pub name: String,
    /// The bytes.
    pub body: Vec<u8>,
}

impl<'r> Responder<'r, 'static> for CsvFile {
    fn respond_to(self, request: &'r Request<'_>) -> response::Result<'static> {
        let mut response = self.body.respond_to(request)?;
        response.set_header(ContentType::new("text", "csv").with_params(("charset", "utf-8")));
        response.set_raw_header(
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", self.name),
        );
        Ok(response)
    }
}

/// Writes rows as CSV. Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) are
/// prefixed with `'`, so a title can never become a formula on a volunteer's laptop.
pub fn csv_bytes(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, ApiError> {
    let internal = |e: csv::Error| {
        log::error!("writing CSV: {e}");
        ApiError::for_status(Status::InternalServerError)
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(internal)?;
    for row in rows {
        let safe = row.into_iter().map(|cell| {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{cell}")
            } else {
                cell
            }
        });
        writer.write_record(safe).map_err(internal)?;
    }
    writer.into_inner().map_err(|e| {
        log::error!("writing CSV: {e}");
        ApiError::for_status(Status::InternalServerError)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_commas_quoted() {
        let bytes = csv_bytes(
            &["a", "b"],
            [vec![
                "=HYPERLINK(\"x\")".into(),
                "Goodnight Moon, board".into(),
            ]],
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "a,b\n\"'=HYPERLINK(\"\"x\"\")\",\"Goodnight Moon, board\"\n"
        );
    }
}
