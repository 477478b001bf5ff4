//! Reading Open Library's Books API answer (`/api/books?bibkeys=ISBN:…&format=json&jscmd=data`).
//! Its shape varies (numbers as strings, text as `{type, value}`), so it is read leniently,
//! but it must be about the ISBN asked for.

use serde_json::Value;

use super::Lookup;
use crate::domain::isbn::Isbn;

/// What Open Library told us about a book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookMetadata {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Author names, comma-separated.
    pub authors: Option<String>,
    /// First publisher.
    pub publisher: Option<String>,
    /// Year from `publish_date`.
    pub publication_year: Option<i32>,
    /// Pages.
    pub page_count: Option<i32>,
    /// Up to 20 subject names, "; "-separated.
    pub subjects: Option<String>,
    /// Description or notes.
    pub description: Option<String>,
    /// Medium cover image.
    pub cover_url: Option<String>,
    /// The work it is an edition of (from the edition record, see [`edition_work`]).
    pub work: Option<String>,
}

/// Reads an answer for `isbn`.
pub fn books_api(isbn: &Isbn, body: &[u8]) -> Result<Lookup, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not valid JSON ({e})"))?;
    let Some(records) = value.as_object() else {
        return Err("the answer is not a JSON object".into());
    };
    // The Books API drops ISBNs it does not know: an empty object means "not found".
    let Some((key, record)) = records.iter().next() else {
        return Ok(Lookup::NotFound);
    };
    let expected = format!("ISBN:{isbn}");
    if key != &expected || records.len() > 1 {
        return Err(format!("the answer is about {key}, not {expected}"));
    }
    if !names_isbn(record, isbn) {
        return Err(format!("the answer's identifiers do not include {isbn}"));
    }
    let title = text(record.get("title")).ok_or("the answer has no title")?;
    Ok(Lookup::Found(BookMetadata {
        title,
        subtitle: text(record.get("subtitle")),
        authors: names(record.get("authors"), ", ", 10),
        publisher: names(record.get("publishers"), ", ", 1),
        publication_year: record
            .get("publish_date")
            .and_then(Value::as_str)
            .and_then(year),
        page_count: record
            .get("number_of_pages")
            .and_then(number)
            .and_then(|n| i32::try_from(n).ok()),
        subjects: names(record.get("subjects"), "; ", 20),
        description: text(record.get("description")).or_else(|| text(record.get("notes"))),
        cover_url: record
            .get("cover")
            .and_then(|c| {
                c.get("medium")
                    .or_else(|| c.get("large"))
                    .or_else(|| c.get("small"))
            })
            .and_then(Value::as_str)
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(|u| u.chars().take(500).collect()),
        work: None,
    }))
}

/// The work an edition record (`/isbn/{isbn}.json`) names: the first of its `works`, as a
/// bare key (`OL468431W`). `None` for anything else, which only costs the book its work.
pub fn edition_work(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let key = value
        .get("works")?
        .as_array()?
        .first()?
        .get("key")?
        .as_str()?;
    crate::domain::books::work_key(key)
        .ok()
        .filter(|k| k.starts_with("OL"))
}

/// When the record lists ISBNs, ours must be among them (in either form).
fn names_isbn(record: &Value, isbn: &Isbn) -> bool {
    let Some(ids) = record.get("identifiers") else {
        return true;
    };
    let listed: Vec<&str> = ["isbn_13", "isbn_10"]
        .iter()
        .filter_map(|k| ids.get(k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    listed.is_empty()
        || listed
            .iter()
            .any(|s| Isbn::parse(s).is_ok_and(|i| &i == isbn))
}

/// A string, or the `value` of a `{type, value}` object; trimmed, bounded, non-empty.
fn text(value: Option<&Value>) -> Option<String> {
    let s = match value? {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("value")?.as_str()?,
        _ => return None,
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(5_000).collect())
}

/// `[{name}, …]` joined.
fn names(value: Option<&Value>, separator: &str, max: usize) -> Option<String> {
    let names: Vec<&str> = value?
        .as_array()?
        .iter()
        .filter_map(|v| v.get("name").and_then(Value::as_str).or_else(|| v.as_str()))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(max)
        .collect();
    (!names.is_empty()).then(|| names.join(separator))
}

/// A number that may arrive as a string.
fn number(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str()?.trim().parse().ok())
}

/// The first four-digit year in a date like "July 28, 2008" or "2008-07".
fn year(date: &str) -> Option<i32> {
    date.as_bytes()
        .windows(4)
        .find(|w| w.iter().all(u8::is_ascii_digit))
        .and_then(|w| std::str::from_utf8(w).ok()?.parse().ok())
        .filter(|y| (1400..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/openlibrary/");

    fn fixture(name: &str) -> Option<Vec<u8>> {
        std::fs::read(format!("{SHARED}{name}")).ok()
    }

    #[test]
    fn an_edition_record_names_its_work() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/api/fixtures/isbn_9780743273565_edition_OL23109860M.json"
        ))
        .expect("the edition fixture");
        assert_eq!(edition_work(&body).as_deref(), Some("OL468431W"));
        assert_eq!(edition_work(br#"{"works": []}"#), None);
        assert_eq!(
            edition_work(br#"{"works": [{"key": "/authors/OL1A"}]}"#),
            None
        );
        assert_eq!(edition_work(b"<html>"), None);
    }

    #[test]
    fn real_answers_are_read() {
        let Some(body) = fixture("api_books_jscmd_data_ISBN9780316030571.json") else {
            return;
        };
        let isbn = Isbn::parse("9780316030571").unwrap();
        let Lookup::Found(book) = books_api(&isbn, &body).unwrap() else {
            panic!("not found")
        };
        assert_eq!(book.title, "Use of Weapons");
        assert_eq!(book.authors.as_deref(), Some("Iain M. Banks"));
        assert_eq!(book.publisher.as_deref(), Some("Orbit"));
        assert_eq!(book.publication_year, Some(2008));
        assert_eq!(book.page_count, Some(480));
        assert!(book.cover_url.unwrap().ends_with("-M.jpg"));

        let Some(body) = fixture("api_books_jscmd_data_ISBN9780980200447.json") else {
            return;
        };
        let isbn = Isbn::parse("9780980200447").unwrap();
        let Lookup::Found(book) = books_api(&isbn, &body).unwrap() else {
            panic!("not found")
        };
        assert_eq!(book.title, "Slow reading");
        assert_eq!(book.subjects.as_deref(), Some("Books and reading; Reading"));
        assert_eq!(
            book.description.as_deref(),
            Some("Includes bibliographical references and index.")
        );
    }

    #[test]
    fn empty_answer_is_not_found_and_other_books_are_refused() {
        let isbn = Isbn::parse("9780316030571").unwrap();
        assert_eq!(books_api(&isbn, b"{}").unwrap(), Lookup::NotFound);
        let other = br#"{"ISBN:9780980200447": {"title": "Slow reading"}}"#;
        assert!(books_api(&isbn, other)
            .unwrap_err()
            .contains("not ISBN:9780316030571"));
        let lying = br#"{"ISBN:9780316030571": {"title": "X", "identifiers": {"isbn_13": ["9780980200447"]}}}"#;
        assert!(books_api(&isbn, lying).is_err());
    }

    #[test]
    fn malformed_answers_are_errors_not_panics() {
        let isbn = Isbn::parse("9780316030571").unwrap();
        for body in [
            &b"{\"ISBN:9780316030571\": {\"title\": \"Use of"[..],
            b"[]",
            b"null",
            b"",
            b"\xff\xfe",
        ] {
            assert!(books_api(&isbn, body).is_err());
        }
        let odd = br#"{"ISBN:9780316030571": {"title": {"type": "/type/text", "value": " Use of Weapons "}, "number_of_pages": "480", "publish_date": "c1990?"}}"#;
        let Lookup::Found(book) = books_api(&isbn, odd).unwrap() else {
            panic!()
        };
        assert_eq!(
            (book.title.as_str(), book.page_count, book.publication_year),
            ("Use of Weapons", Some(480), Some(1990))
        );
    }
}
