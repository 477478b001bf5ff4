//! Text as people type it on a phone in China: full-width forms from a Chinese input method
//! (０８７９－５５５０１９９) and any kind of dash, read as the ASCII they stand for wherever
//! numbers are typed (ISBNs, phones, school codes).

/// A full-width form (U+FF01..U+FF5E, from Chinese and Japanese input methods) as its ASCII
/// character; the ideographic space as a space.
pub fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    }
}

/// Hyphens and dashes people put between groups of digits.
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{30FC}'
    )
}

/// `typed` with full-width forms narrowed and every dash a hyphen-minus.
pub fn plain(typed: &str) -> String {
    typed
        .chars()
        .map(narrow)
        .map(|c| if is_dash(c) { '-' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_keyboards_phone_number_reads_as_ascii() {
        assert_eq!(plain("０８７９－５５５０１９９"), "0879-5550199");
        assert_eq!(plain("（０８７９）５５５　０１９９"), "(0879)555 0199");
        assert_eq!(plain("0879—555‐0199"), "0879-555-0199");
        assert_eq!(plain("小王子"), "小王子", "other text is left alone");
    }
}
