//! File uploads and downloads: imports take the file itself as the body; exports answer CSV.

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::response::{self, Responder};
use rocket::Request;

use crate::error::{ApiError, GuardFailure};

/// Default upload limit when `limits.file` is not configured.
const DEFAULT_LIMIT_MIB: u64 = 64;

/// An uploaded file, size-limited by `limits.file` (413 beyond it).
#[derive(Debug)]
pub struct FileBody(pub Vec<u8>);

#[rocket::async_trait]
impl<'r> FromData<'r> for FileBody {
    type Error = ApiError;

    async fn from_data(request: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let limit = request
            .limits()
            .get("file")
            .unwrap_or(DEFAULT_LIMIT_MIB.mebibytes());
        let fail = |error: ApiError| {
            GuardFailure::record(request, error.clone());
            data::Outcome::Error((error.status, error))
        };
        match data.open(limit).into_bytes().await {
            Ok(bytes) if bytes.is_complete() => {
                data::Outcome::Success(FileBody(bytes.into_inner()))
            }
            Ok(_) => fail(ApiError::new(
                Status::PayloadTooLarge,
                "body_too_large",
                format!("the file is larger than the {limit} limit; split it"),
            )),
            Err(e) => fail(ApiError::new(
                Status::BadRequest,
                "bad_request",
                format!("the file could not be read: {e}"),
            )),
        }
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
