//! A book list saved as an Excel or WPS workbook (.xlsx), read within caps whatever the file
//! declares. A workbook is a zip of XML parts, and both can lie: a 1.6 KB file may declare a
//! sheet of 17 billion cells, or a part that unzips to gigabytes. So, before calamine opens
//! it, every part is unzipped once into nothing, counting bytes against one cap, and the
//! number of texts the workbook declares (calamine reserves room for them) is checked; then
//! the first sheet is read as a stream of cells, refused at the first cell past the row or
//! column cap, never as a range sized by the sheet's own `dimension`.

use std::collections::BTreeMap;
use std::io::{BufReader, Cursor, Read};

use calamine::{Data, DataRef, Reader};

use super::error::{DomainError, Invalid};
use super::uploads::{
    OverLimit, MAX_BOOK_LIST_ROWS, MAX_SHARED_STRINGS, MAX_SHEET_COLUMNS, MAX_UNZIPPED_BYTES,
    MAX_ZIP_ENTRIES,
};

/// Whether a file is a zip archive, as every .xlsx workbook is.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn unreadable(e: &dyn std::fmt::Display) -> DomainError {
    Invalid::new("file", format!("the spreadsheet cannot be read: {e}")).into()
}

fn over(refusal: OverLimit) -> DomainError {
    DomainError::OverLimit {
        field: "file",
        refusal,
    }
}

/// The first sheet of a workbook as CSV, so it is read row by row like any book list: line
/// numbers are row numbers. A whole number in a cell (how Excel keeps an ISBN typed as
/// digits) is written without a decimal point or exponent.
pub fn first_sheet_as_csv(bytes: &[u8]) -> Result<Vec<u8>, DomainError> {
    measure(bytes)?;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let first = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| unreadable(&"it has no sheets"))?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| unreadable(&e))?;
    // Rows by number, each its cells by column: at most (rows + header) x columns entries.
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
        let (row, column) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            // A formatted empty cell far away holds nothing to read, and costs nothing.
            continue;
        }
        if row > MAX_BOOK_LIST_ROWS {
            return Err(over(OverLimit::Rows {
                max: MAX_BOOK_LIST_ROWS,
            }));
        }
        if column >= MAX_SHEET_COLUMNS {
            return Err(over(OverLimit::Columns {
                max: MAX_SHEET_COLUMNS,
            }));
        }
        rows.entry(row).or_default().push((column, text));
    }
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    let last = rows.keys().next_back().copied().unwrap_or(0);
    for number in 0..=last {
        let mut record: Vec<String> = Vec::new();
        for (column, text) in rows.remove(&number).unwrap_or_default() {
            let at = column as usize;
            if record.len() <= at {
                record.resize(at + 1, String::new());
            }
            record[at] = text;
        }
        if record.is_empty() {
            // An empty row stays a line, so the lines after it keep their row numbers.
            record.push(String::new());
        }
        out.write_record(&record).map_err(|e| unreadable(&e))?;
    }
    out.into_inner().map_err(|e| unreadable(&e))
}

/// A cell as the text a book list reads.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Empty => String::new(),
        other => Data::from(other.clone()).to_string(),
    }
}

/// Unzips every part into nothing, counting: the parts together within
/// [`MAX_UNZIPPED_BYTES`] (whatever sizes the zip declares), at most [`MAX_ZIP_ENTRIES`]
/// parts, and the shared strings declaring at most [`MAX_SHARED_STRINGS`] texts.
fn measure(bytes: &[u8]) -> Result<(), DomainError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(over(OverLimit::ZipEntries {
            max: MAX_ZIP_ENTRIES,
        }));
    }
    let too_big = || {
        over(OverLimit::Unzipped {
            max_bytes: MAX_UNZIPPED_BYTES,
        })
    };
    let mut left = MAX_UNZIPPED_BYTES;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| unreadable(&e))?;
        if part.size() > left {
            return Err(too_big());
        }
        let shared_strings = part
            .name()
            .map_err(|e| unreadable(&e))?
            .ends_with("sharedStrings.xml");
        let mut counted = Counted {
            inner: (&mut part).take(left + 1),
            read: 0,
        };
        if shared_strings {
            check_shared_strings(&mut counted)?;
        } else {
            std::io::copy(&mut counted, &mut std::io::sink()).map_err(|e| unreadable(&e))?;
        }
        if counted.read > left {
            return Err(too_big());
        }
        left -= counted.read;
    }
    Ok(())
}

/// Reads the shared-strings part to its end, refusing it when its `uniqueCount` is past the
/// cap (calamine reserves that many entries before reading one).
fn check_shared_strings<R: Read>(part: &mut Counted<R>) -> Result<(), DomainError> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(&mut *part));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(tag) | Event::Empty(tag)) if tag.local_name().as_ref() == "sst" => {
                let declared = tag
                    .try_get_attribute("uniqueCount")
                    .map_err(|e| unreadable(&e))?
                    .map(|a| a.value.trim().to_owned());
                if let Some(declared) = declared {
                    // A number too long for u64 is past the cap too.
                    let n = declared.parse::<u64>().unwrap_or(u64::MAX);
                    if n > MAX_SHARED_STRINGS {
                        return Err(over(OverLimit::SharedStrings {
                            max: MAX_SHARED_STRINGS,
                        }));
                    }
                }
                break;
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(unreadable(&e)),
        }
    }
    let mut rest = xml.into_inner();
    std::io::copy(&mut rest, &mut std::io::sink()).map_err(|e| unreadable(&e))?;
    Ok(())
}

/// A reader that counts the bytes it hands out.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(bytes: &[u8]) -> OverLimit {
        match first_sheet_as_csv(bytes) {
            Err(DomainError::OverLimit { refusal, .. }) => refusal,
            other => panic!("not refused over a cap: {other:?}"),
        }
    }

    macro_rules! corpus {
        ($name:literal) => {
            include_bytes!(concat!("../../tests/api/fixtures/hostile/", $name))
        };
    }

    #[test]
    fn a_sheet_declaring_billions_of_cells_is_refused_at_its_first_cell_past_a_cap() {
        assert_eq!(
            refusal(corpus!("sheet-a1-xfd1048576.xlsx")),
            OverLimit::Rows { max: 10_000 }
        );
        assert_eq!(
            refusal(corpus!("sheet-column-aa.xlsx")),
            OverLimit::Columns { max: 26 }
        );
        assert_eq!(
            refusal(corpus!("sheet-10001-rows.xlsx")),
            OverLimit::Rows { max: 10_000 }
        );
    }

    #[test]
    fn parts_are_measured_by_what_they_unzip_to_not_what_they_declare() {
        let cap = OverLimit::Unzipped {
            max_bytes: MAX_UNZIPPED_BYTES,
        };
        assert_eq!(refusal(corpus!("sheet-zip-bomb.xlsx")), cap);
        assert!(first_sheet_as_csv(corpus!("sheet-lying-sizes.xlsx")).is_err());
        assert_eq!(
            refusal(corpus!("sheet-shared-strings-count.xlsx")),
            OverLimit::SharedStrings {
                max: MAX_SHARED_STRINGS
            }
        );
    }

    #[test]
    fn a_good_workbook_reads_as_the_csv_of_its_first_sheet() {
        let csv =
            first_sheet_as_csv(include_bytes!("../../tests/api/fixtures/book-list.xlsx")).unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with("isbn,"), "{text}");
        assert!(text.contains("9787020031566,2,"), "{text}");
    }
}
