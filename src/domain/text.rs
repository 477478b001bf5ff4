//! Checked free text from clients: names, addresses, notes.

use super::error::Invalid;

/// Trims `value` and checks it is non-empty and at most `max_chars` long.
pub fn required(field: &'static str, value: &str, max_chars: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Invalid::new(field, format!("`{field}` must not be empty")));
    }
    bounded(field, trimmed, max_chars)
}

/// Like [`required`], but an absent or blank value is `None`.
pub fn optional(
    field: &'static str,
    value: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, Invalid> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded(field, v, max_chars).map(Some),
    }
}

fn bounded(field: &'static str, value: &str, max_chars: usize) -> Result<String, Invalid> {
    if value.chars().count() > max_chars {
        return Err(Invalid::new(
            field,
            format!("`{field}` must be at most {max_chars} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Invalid::new(
            field,
            format!("`{field}` must not contain control characters"),
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(
            required("name", "  Hope School ", 11).unwrap(),
            "Hope School"
        );
        assert_eq!(required("name", "   ", 10).unwrap_err().field, "name");
        assert!(required("name", "abcdefghijk", 10).is_err());
        assert!(required("name", "a\u{0}b", 10).is_err());
        // Chinese names count characters, not bytes.
        assert!(required("name", "希望小学希望小学希望", 10).is_ok());
    }

    #[test]
    fn optional_blank_is_none() {
        assert_eq!(optional("note", Some("  "), 10).unwrap(), None);
        assert_eq!(optional("note", None, 10).unwrap(), None);
        assert_eq!(
            optional("note", Some("x"), 10).unwrap().as_deref(),
            Some("x")
        );
    }
}
