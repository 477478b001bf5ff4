//! The bench catalogue: the real seed records plus deterministic variants, written as the
//! CSV `bookbridge import books` reads (shared by the import and rush benches).

use std::io::Write;
use std::path::Path;

use bookbridge::seed::{read_chinese, read_goodbooks};

/// A synthetic but valid ISBN-13 for variant `i` (979-0…, which real books never use here).
pub fn synthetic_isbn(i: usize) -> String {
    let body = format!("9790{:08}", i);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(k, b)| u32::from(b - b'0') * if k % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Writes `rows` books to `path`; returns the file's size in bytes.
pub fn write_csv(path: &Path, rows: usize) -> anyhow::Result<u64> {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
    let mut base = read_goodbooks(&seed.join("goodbooks_books.csv"))?;
    base.extend(read_chinese(&seed.join("chinese_children_books.csv"))?);
    base.retain(|b| !b.isbn.as_str().starts_with("9790"));
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(std::fs::File::create(path)?));
    out.write_record([
        "isbn",
        "title",
        "authors",
        "year",
        "language",
        "publisher",
        "subjects",
    ])?;
    for i in 0..rows {
        let b = &base[i % base.len()];
        let variant = i / base.len();
        let isbn = if variant == 0 {
            b.isbn.as_str().to_owned()
        } else {
            synthetic_isbn(i)
        };
        let title = b.details.title.clone().unwrap_or_default();
        let title = if variant == 0 {
            title
        } else {
            format!("{title} (edition {variant})")
        };
        out.write_record([
            isbn,
            title,
            b.details.authors.clone().unwrap_or_default(),
            b.details
                .publication_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            b.details.language.clone().unwrap_or_default(),
            b.details.publisher.clone().unwrap_or_default(),
            b.details.subjects.clone().unwrap_or_default(),
        ])?;
    }
    out.into_inner()?.flush()?;
    Ok(std::fs::metadata(path)?.len())
}
