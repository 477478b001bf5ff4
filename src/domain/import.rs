//! Bulk import: catalogue files (CSV with a header row, or JSON lines) and wish-list CSVs
//! (`isbn,quantity[,note]`). Each bad row is reported with its line number and reason;
//! good rows are kept. Files may start with a byte-order mark and use Windows line endings.

use std::collections::HashMap;

use serde::Serialize;

use super::books::{BookDetails, BookFields, NewBook};
use super::error::{DomainError, Invalid};
use super::isbn::Isbn;
use super::quantity::Quantity;
use super::text;
use super::uploads::{OverLimit, MAX_BOOK_LIST_BYTES, MAX_BOOK_LIST_ROWS};
use super::workbook;

/// Rows written per transaction (and so per change-log batch).
pub const BATCH_ROWS: usize = 5_000;
/// Rejections listed in a report; the count covers all of them.
const MAX_LISTED_REJECTIONS: usize = 1_000;

/// What was wrong with a row, as a stable code a page can explain in its own language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowProblem {
    /// Not readable as CSV or JSON.
    Unreadable,
    /// The ISBN is not one.
    InvalidIsbn,
    /// The ISBN's last digit does not match the others (a typo).
    CheckDigit,
    /// The quantity is not a whole number in range.
    BadQuantity,
    /// Another field is missing, too long or malformed.
    BadField,
    /// More copies of one book than one wish list may ask for.
    TooManyCopies,
    /// Fewer copies than donors have already promised (a list that sets the counts).
    BelowCommitted,
}

/// What a book list file's numbers mean for books the wish list already asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMode {
    /// The file's copies are added to what the list asks for (the API's default).
    Add,
    /// The file says how many copies the list asks for: uploading the same file twice
    /// changes nothing (the pages' default: what a teacher means by "our book list").
    Set,
}

impl ListMode {
    /// Reads `add` or `set`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "add" => Some(ListMode::Add),
            "set" => Some(ListMode::Set),
            _ => None,
        }
    }
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rejected {
    /// Line in the file (1 is the first line, the header when there is one).
    pub line: u64,
    /// What kind of problem, for programs and translations.
    pub code: RowProblem,
    /// Why, in English.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Rows (or, for wish lists, distinct ISBNs) written.
    pub imported: u64,
    /// Rows refused, up to the first 1,000.
    pub rejected: Vec<Rejected>,
    /// All rows refused.
    pub rejected_total: u64,
    /// Wish lists: books the list did not ask for before.
    pub added: u64,
    /// Wish lists: books already on the list whose copies changed.
    pub changed: u64,
    /// Wish lists (`mode=set`): books already on the list with the same copies.
    pub unchanged: u64,
}

impl ImportReport {
    /// Records a rejected row.
    pub fn reject(&mut self, line: u64, code: RowProblem, reason: impl Into<String>) {
        self.rejected_total += 1;
        if self.rejected.len() < MAX_LISTED_REJECTIONS {
            self.rejected.push(Rejected {
                line,
                code,
                reason: reason.into(),
            });
        }
    }
}

/// Line numbers for CSV records, counted forward from the last record (records come in
/// order), so a million-row file is read once, not once per row.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line a record starts on. The CSV reader may report a record as starting
    /// at the end of the previous line (before its `\r\n`), so line breaks are skipped.
    fn at(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else { return 0 };
        let mut start = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.offset {
            // Never expected; count from the top rather than report a wrong line.
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = start;
        self.line
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A file's text as UTF-8: UTF-8 as it is (with or without a byte-order mark); anything else
/// is read as GB18030, which covers GBK and GB2312, what Excel and WPS save in China.
pub fn utf8_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, Invalid> {
    let bytes = strip_bom(bytes);
    // No text file has a NUL byte; a picture, a PDF or an old .xls named .csv does.
    if bytes.contains(&0) {
        return Err(Invalid::new(
            "file",
            "the file is not text (it looks like a picture or another program's file); save it as CSV (UTF-8) or .xlsx and try again",
        ));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(Invalid::new(
            "file",
            "the file is neither UTF-8 nor GBK/GB18030 text; save it as CSV (UTF-8) and try again",
        ));
    }
    Ok(std::borrow::Cow::Owned(text.into_owned().into_bytes()))
}

/// The field names a catalogue file may use for each column.
fn column_of(header: &str) -> Option<&'static str> {
    let name = header.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    Some(match name.as_str() {
        "isbn" | "isbn13" | "isbn_13" | "isbn10" | "isbn_10" => "isbn",
        "title" => "title",
        "subtitle" => "subtitle",
        "authors" | "author" => "authors",
        "publisher" => "publisher",
        "year" | "publication_year" | "original_publication_year" => "year",
        "language" | "language_code" | "lang" => "language",
        "page_count" | "pages" | "number_of_pages" => "page_count",
        "subjects" | "subject" | "tags" => "subjects",
        "age_band" | "age" => "age_band",
        "description" => "description",
        "cover_url" | "cover" => "cover_url",
        "work" | "work_key" | "works" => "work",
        _ => return None,
    })
}

/// Turns one row's named fields into a catalogue record, through the one book-field parser.
fn catalogue_record(fields: &HashMap<&'static str, String>) -> Result<NewBook, String> {
    let get = |k: &str| {
        fields
            .get(k)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let isbn = Isbn::parse(&get("isbn").ok_or("no isbn")?).map_err(|e| e.to_string())?;
    let details = BookDetails::parse(&BookFields {
        title: get("title"),
        subtitle: get("subtitle"),
        authors: get("authors"),
        publisher: get("publisher"),
        publication_year: get("year"),
        language: get("language"),
        page_count: get("page_count"),
        subjects: get("subjects"),
        age_band: get("age_band"),
        description: get("description"),
        cover_url: get("cover_url"),
        work: get("work"),
    })
    .map_err(|invalid| invalid.message)?;
    Ok(NewBook::with_details(isbn, details))
}

/// Reads a catalogue file. JSON lines when the first non-blank character is `{`, else CSV
/// with a header row. Calls `batch` with each run of good records (at most [`BATCH_ROWS`]).
pub fn read_catalogue(
    bytes: &[u8],
    report: &mut ImportReport,
    mut batch: impl FnMut(Vec<NewBook>) -> Result<(), DomainError>,
) -> Result<(), DomainError> {
    let text = utf8_text(bytes)?;
    let bytes = text.as_ref();
    let mut pending = Vec::with_capacity(BATCH_ROWS);
    let mut keep = |record: NewBook, pending: &mut Vec<NewBook>| -> Result<(), DomainError> {
        pending.push(record);
        if pending.len() >= BATCH_ROWS {
            batch(std::mem::take(pending))?;
        }
        Ok(())
    };
    let json_lines = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if json_lines {
        for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let number = i as u64 + 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed: Result<HashMap<String, serde_json::Value>, _> =
                serde_json::from_slice(line);
            let fields = match parsed {
                Ok(map) => map
                    .into_iter()
                    .filter_map(|(k, v)| {
                        let column = column_of(&k)?;
                        let text = match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Number(n) => n.to_string(),
                            serde_json::Value::Array(items) => items
                                .iter()
                                .filter_map(|i| i.as_str().map(str::to_owned))
                                .collect::<Vec<_>>()
                                .join(if column == "authors" { ", " } else { "; " }),
                            _ => return None,
                        };
                        Some((column, text))
                    })
                    .collect(),
                Err(e) => {
                    report.reject(
                        number,
                        RowProblem::Unreadable,
                        format!("not a JSON object: {e}"),
                    );
                    continue;
                }
            };
            match catalogue_record(&fields) {
                Ok(record) => keep(record, &mut pending)?,
                Err(reason) => report.reject(number, RowProblem::BadField, reason),
            }
        }
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| {
                DomainError::from(super::error::Invalid::new(
                    "file",
                    format!("the header row cannot be read: {e}"),
                ))
            })?
            .clone();
        let columns: Vec<Option<&'static str>> = headers.iter().map(column_of).collect();
        let mut lines = Lines::new(bytes);
        if !columns.contains(&Some("isbn")) {
            return Err(
                super::error::Invalid::new("file", "the header row has no `isbn` column").into(),
            );
        }
        for row in reader.records() {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    report.reject(
                        lines.at(e.position()),
                        RowProblem::Unreadable,
                        format!("unreadable row: {e}"),
                    );
                    continue;
                }
            };
            let line = lines.at(row.position());
            let fields: HashMap<&'static str, String> = columns
                .iter()
                .zip(row.iter())
                .filter_map(|(c, v)| c.map(|c| (c, v.to_owned())))
                .collect();
            match catalogue_record(&fields) {
                Ok(record) => keep(record, &mut pending)?,
                Err(reason) => report.reject(line, RowProblem::BadField, reason),
            }
        }
    }
    if !pending.is_empty() {
        batch(pending)?;
    }
    Ok(())
}

/// One wanted book from a wish-list file, after adding up duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishRow {
    /// The book.
    pub isbn: Isbn,
    /// Copies, summed over the file.
    pub quantity: Quantity,
    /// The last note given for it.
    pub note: Option<String>,
    /// The first line that named it.
    pub line: u64,
}

/// Reads a book-list file's rows whose first column is an ISBN, as every ISBN file is read
/// (an .xlsx workbook's first sheet, or CSV in UTF-8 or GBK; a header row is recognised and
/// skipped; a blank row ignored; a bad ISBN reported with its line), handing each to `row`.
/// A file past [`MAX_BOOK_LIST_BYTES`] or [`MAX_BOOK_LIST_ROWS`] rows (an .xlsx workbook:
/// past any of its caps) is refused whole, before its rows are read.
fn read_isbn_rows(
    bytes: &[u8],
    report: &mut ImportReport,
    mut row: impl FnMut(Isbn, u64, &csv::StringRecord, &mut ImportReport),
) -> Result<(), DomainError> {
    let over = |refusal| DomainError::OverLimit {
        field: "file",
        refusal,
    };
    if bytes.len() as u64 > MAX_BOOK_LIST_BYTES {
        return Err(over(OverLimit::Bytes {
            max_bytes: MAX_BOOK_LIST_BYTES,
        }));
    }
    let workbook;
    let bytes = if workbook::is_xlsx(bytes) {
        workbook = workbook::first_sheet_as_csv(bytes)?;
        workbook.as_slice()
    } else {
        bytes
    };
    let text = utf8_text(bytes)?;
    let bytes = text.as_ref();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut lines = Lines::new(bytes);
    for (i, record) in reader.records().enumerate() {
        if i > MAX_BOOK_LIST_ROWS as usize {
            return Err(over(OverLimit::Rows {
                max: MAX_BOOK_LIST_ROWS,
            }));
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                report.reject(
                    lines.at(e.position()),
                    RowProblem::Unreadable,
                    format!("unreadable row: {e}"),
                );
                continue;
            }
        };
        let line = lines.at(record.position());
        let first = record.get(0).unwrap_or_default();
        if i == 0 && first.eq_ignore_ascii_case("isbn") {
            continue;
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        match Isbn::parse(first) {
            Ok(isbn) => row(isbn, line, &record, report),
            Err(e) => {
                let code = if e.is_check_digit() {
                    RowProblem::CheckDigit
                } else {
                    RowProblem::InvalidIsbn
                };
                report.reject(line, code, e.to_string());
            }
        }
    }
    Ok(())
}

/// Reads a school's shelf from a file of ISBNs (any further columns, such as how many
/// copies, are ignored: a title is on the shelf or not); each ISBN once, in file order.
pub fn read_shelf(bytes: &[u8], report: &mut ImportReport) -> Result<Vec<Isbn>, DomainError> {
    let mut seen = std::collections::HashSet::new();
    let mut isbns = Vec::new();
    read_isbn_rows(bytes, report, |isbn, _, _, _| {
        if seen.insert(isbn.clone()) {
            isbns.push(isbn);
        }
    })?;
    Ok(isbns)
}

/// Reads `isbn,quantity[,note]` rows, as [`read_isbn_rows`] reads any ISBN file; duplicate
/// ISBNs add up.
pub fn read_wishlist(bytes: &[u8], report: &mut ImportReport) -> Result<Vec<WishRow>, DomainError> {
    let mut order: Vec<Isbn> = Vec::new();
    let mut wanted: HashMap<Isbn, (u64, u64, Option<String>)> = HashMap::new();
    read_isbn_rows(bytes, report, |isbn, line, row, report| {
        let quantity = match row
            .get(1)
            .unwrap_or_default()
            .parse::<i64>()
            .ok()
            .and_then(|q| Quantity::new(q).ok())
        {
            Some(q) => q,
            None => {
                report.reject(
                    line,
                    RowProblem::BadQuantity,
                    format!(
                        "quantity must be a whole number from 1 to {}",
                        Quantity::MAX
                    ),
                );
                return;
            }
        };
        let note = match text::optional("note", row.get(2), 500) {
            Ok(note) => note,
            Err(e) => {
                report.reject(line, RowProblem::BadField, e.message);
                return;
            }
        };
        let entry = wanted.entry(isbn.clone()).or_insert_with(|| {
            order.push(isbn);
            (0, line, None)
        });
        entry.0 += u64::from(quantity.get());
        if note.is_some() {
            entry.2 = note;
        }
    })?;
    Ok(order
        .into_iter()
        .filter_map(|isbn| {
            let (total, first_line, note) = wanted.remove(&isbn)?;
            match Quantity::new(i64::try_from(total).unwrap_or(i64::MAX)) {
                Ok(quantity) => Some(WishRow {
                    isbn,
                    quantity,
                    note,
                    line: first_line,
                }),
                Err(_) => {
                    report.reject(
                        first_line,
                        RowProblem::TooManyCopies,
                        format!(
                            "{total} copies in all is more than {} for one book",
                            Quantity::MAX
                        ),
                    );
                    None
                }
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(bytes: &[u8]) -> (Vec<NewBook>, ImportReport) {
        let mut report = ImportReport::default();
        let mut all = Vec::new();
        read_catalogue(bytes, &mut report, |b| {
            all.extend(b);
            Ok(())
        })
        .unwrap();
        (all, report)
    }

    #[test]
    fn an_excel_book_list_reads_like_a_csv_one() {
        let bytes = include_bytes!("../../tests/api/fixtures/book-list.xlsx");
        let mut report = ImportReport::default();
        let rows = read_wishlist(bytes, &mut report).expect("a workbook");
        let got: Vec<(&str, u32)> = rows
            .iter()
            .map(|r| (r.isbn.as_str(), r.quantity.get()))
            .collect();
        // An ISBN kept as a number, and one with dashes; the header row is skipped.
        assert_eq!(got, [("9787020031566", 2), ("9780060775858", 3)]);
        assert_eq!(rows[0].note.as_deref(), Some("四年级阅读角"));
        // The mistyped one is refused on its own row, as a check-digit problem.
        assert_eq!(report.rejected_total, 1);
        assert_eq!(report.rejected[0].line, 4);
        assert_eq!(report.rejected[0].code, RowProblem::CheckDigit);
        // A zip that is not a workbook is refused as a file, not read as text.
        let mut report = ImportReport::default();
        assert!(read_wishlist(b"PK\x03\x04 not really", &mut report).is_err());
    }

    #[test]
    fn csv_rows_with_bom_and_crlf_are_read_and_bad_rows_reported_by_line() {
        let file = "\u{feff}ISBN,Title,Authors,Year,Language\r\n\
                    9780141301068,Matilda,Roald Dahl,1988.0,eng\r\n\
                    12345,Broken,Nobody,2000,eng\r\n\
                    0-06-077585-8,\"Goodnight Moon, board book\",Margaret Wise Brown,1947,en-US\r\n\
                    9780241003008,The Very Hungry Caterpillar,Eric Carle,nineteen,eng\r\n";
        let (books, report) = catalogue(file.as_bytes());
        assert_eq!(books.len(), 2);
        assert_eq!(books[1].isbn.as_str(), "9780060775858");
        assert_eq!(
            books[1].details.title.as_deref(),
            Some("Goodnight Moon, board book")
        );
        assert_eq!(books[0].details.publication_year, Some(1988));
        assert_eq!(
            report.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            [3, 5]
        );
        assert!(report.rejected[1].reason.contains("year"));
    }

    #[test]
    fn json_lines_are_read() {
        let file = b"{\"isbn\": \"9780141301068\", \"title\": \"Matilda\", \"authors\": [\"Roald Dahl\", \"Quentin Blake\"], \"page_count\": 240}\n\nnot json\n{\"title\": \"no isbn\"}\n";
        let (books, report) = catalogue(file);
        assert_eq!(books.len(), 1);
        assert_eq!(
            books[0].details.authors.as_deref(),
            Some("Roald Dahl, Quentin Blake")
        );
        assert_eq!(books[0].details.page_count, Some(240));
        assert_eq!(
            report.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            [3, 4]
        );
    }

    #[test]
    fn a_catalogue_without_an_isbn_column_is_refused() {
        let mut report = ImportReport::default();
        assert!(read_catalogue(b"title,author\nx,y\n", &mut report, |_| Ok(())).is_err());
    }

    #[test]
    fn a_shelf_file_names_each_title_once_whatever_else_it_says() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "ISBN,册数,备注\r\n9787020031566,3,小王子\r\n\r\n978-7-5353-4741-1\r\n9787020031567\r\n9787020031566,1\r\n",
        );
        let mut report = ImportReport::default();
        let isbns = read_shelf(&gbk, &mut report).unwrap();
        let isbns: Vec<&str> = isbns.iter().map(Isbn::as_str).collect();
        assert_eq!(isbns, ["9787020031566", "9787535347411"]);
        assert_eq!(report.rejected_total, 1);
        assert_eq!(report.rejected[0].line, 5);
        assert_eq!(report.rejected[0].code, RowProblem::CheckDigit);
    }

    #[test]
    fn a_wish_list_saved_in_gbk_is_read() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("isbn,quantity,note\r\n9787020031566,2,四年级阅读角\r\n");
        assert!(std::str::from_utf8(&gbk).is_err(), "the file really is GBK");
        let mut report = ImportReport::default();
        let rows = read_wishlist(&gbk, &mut report).unwrap();
        assert_eq!(rows.len(), 1, "{report:?}");
        assert_eq!(rows[0].note.as_deref(), Some("四年级阅读角"));
        assert_eq!(rows[0].quantity.get(), 2);
        let mut report = ImportReport::default();
        assert!(matches!(
            read_wishlist(b"\xff\xfe\x00\x81", &mut report),
            Err(DomainError::Invalid(Invalid { field: "file", .. }))
        ));
    }

    #[test]
    fn a_file_with_nul_bytes_is_not_text() {
        // A PNG's first bytes, which GB18030 alone would not refuse.
        let mut report = ImportReport::default();
        let refused = read_wishlist(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &mut report);
        assert!(
            matches!(&refused, Err(DomainError::Invalid(i)) if i.message.contains("not text")),
            "{refused:?}"
        );
        assert!(utf8_text(b"isbn,quantity\n9787020031566,1\n").is_ok());
    }

    #[test]
    fn wish_list_duplicates_add_up_and_bad_rows_are_reported() {
        let file = "\u{feff}isbn,quantity,note\r\n9780141301068,2\r\n978-0-14-130106-8,3,grade 4\r\nbad,1\r\n9780060775858,0\r\n9780060775858,1\r\n";
        let mut report = ImportReport::default();
        let rows = read_wishlist(file.as_bytes(), &mut report).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].quantity.get(), rows[0].note.as_deref()),
            (5, Some("grade 4"))
        );
        assert_eq!(rows[1].quantity.get(), 1);
        assert_eq!(
            report.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            [4, 5]
        );
    }
}
