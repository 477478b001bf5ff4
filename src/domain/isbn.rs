//! The ISBN a book is known by everywhere in bookbridge.

use super::typed::{is_dash, narrow};
use std::fmt;
use std::str::FromStr;

/// A checked ISBN, always held as its 13 digits with no separators.
///
/// Accepts ISBN-10 or ISBN-13, with or without hyphens or spaces, and a lower-case `x`
/// check digit; an ISBN-10 is converted to its ISBN-13 (`978` prefix).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Isbn(String);

/// Why a string is not an ISBN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid ISBN-10 or ISBN-13: {reason}")]
pub struct InvalidIsbn {
    /// What the client sent, shortened so an error never echoes a huge body back.
    pub input: String,
    /// Which rule it broke.
    pub reason: &'static str,
}

/// The reason given when every character is right but the check digit does not match.
const CHECK_DIGIT: &str = "the check digit does not match";

impl InvalidIsbn {
    /// Whether the digits are all there but one is mistyped (the check digit disagrees).
    pub fn is_check_digit(&self) -> bool {
        self.reason == CHECK_DIGIT
    }
}

impl Isbn {
    /// The valid ISBNs one digit away from `input`, when `input` is an ISBN whose check digit
    /// does not match: each digit changed in turn (the check digit included). A typo in one
    /// digit is the usual cause, so the book meant is among these.
    pub fn one_digit_away(input: &str) -> Vec<Isbn> {
        match Isbn::parse(input) {
            Err(e) if e.is_check_digit() => {}
            _ => return Vec::new(),
        }
        let narrow: String = input.chars().map(narrow).collect();
        let digits: Vec<char> = without_label(narrow.trim())
            .chars()
            .filter(|c| !c.is_whitespace() && !is_dash(*c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let mut near = Vec::new();
        for at in 0..digits.len() {
            let last = at + 1 == digits.len();
            let choices = "0123456789X"
                .chars()
                .filter(|c| *c != 'X' || (last && digits.len() == 10));
            for replacement in choices {
                if replacement == digits[at] {
                    continue;
                }
                let mut candidate = digits.clone();
                candidate[at] = replacement;
                let text: String = candidate.into_iter().collect();
                if let Ok(isbn) = Isbn::parse(&text) {
                    if !near.contains(&isbn) {
                        near.push(isbn);
                    }
                }
            }
        }
        near
    }

    /// Parses an ISBN the way people type or scan it into its ISBN-13: ISBN-10 or -13; an
    /// `ISBN`, `ISBN-13` or `ISBN-10` label with or without `:` (or the Chinese `：`);
    /// full-width digits and letters from a Chinese input method; spaces and any kind of dash;
    /// a lower-case `x`. A wrong check digit has its own reason.
    pub fn parse(input: &str) -> Result<Self, InvalidIsbn> {
        let fail = |reason| InvalidIsbn {
            input: input.chars().take(40).collect(),
            reason,
        };
        let narrow: String = input.chars().map(narrow).collect();
        let cleaned: String = without_label(narrow.trim())
            .chars()
            .filter(|c| !c.is_whitespace() && !is_dash(*c))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if cleaned.len() != 10 && cleaned.len() != 13 {
            return Err(fail("an ISBN has 10 or 13 digits"));
        }
        let parsed = isbn3::Isbn::from_str(&cleaned).map_err(|e| match e {
            isbn3::IsbnError::InvalidLength => fail("an ISBN has 10 or 13 digits"),
            _ if cleaned.chars().all(|c| c.is_ascii_digit() || c == 'X') => fail(CHECK_DIGIT),
            _ => fail("only digits, hyphens and spaces (and X last in an ISBN-10) are allowed"),
        })?;
        let thirteen = match parsed {
            isbn3::Isbn::_10(ten) => isbn3::Isbn13::from(ten),
            isbn3::Isbn::_13(thirteen) => {
                // 978/979 are the only Bookland prefixes; anything else is an EAN, not a book.
                let digits = thirteen.to_string();
                if !(digits.starts_with("978") || digits.starts_with("979")) {
                    return Err(fail("an ISBN-13 starts with 978 or 979"));
                }
                thirteen
            }
        };
        Ok(Isbn(thirteen.to_string()))
    }

    /// The 13 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISBN-10 form, for books in the `978` range (which is all that has one).
    pub fn to_isbn10(&self) -> Option<String> {
        let thirteen = isbn3::Isbn13::from_str(&self.0).ok()?;
        isbn3::Isbn10::try_from(thirteen)
            .ok()
            .map(|ten| ten.to_string())
    }
}

/// The number without a leading `ISBN`, `ISBN-13`, `ISBN-10`, `ISBN13:`, `ISBN 10:` label and
/// its colon.
fn without_label(text: &str) -> &str {
    let Some(rest) = text
        .get(..4)
        .filter(|head| head.eq_ignore_ascii_case("isbn"))
        .and_then(|_| text.get(4..))
    else {
        return text;
    };
    let mut rest = rest;
    // `ISBN-13`/`ISBN-10` (any dash), or `ISBN13:`/`ISBN 10 :` (the colon says it is a label).
    let dashed = rest
        .strip_prefix(is_dash)
        .and_then(|r| r.strip_prefix("13").or_else(|| r.strip_prefix("10")));
    if let Some(after) = dashed {
        rest = after;
    } else {
        let spaced = rest.trim_start();
        if let Some(after) = spaced
            .strip_prefix("13")
            .or_else(|| spaced.strip_prefix("10"))
        {
            if after.trim_start().starts_with(':') {
                rest = after;
            }
        }
    }
    rest.trim_start()
        .strip_prefix(':')
        .unwrap_or(rest)
        .trim_start()
}

impl fmt::Display for Isbn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Isbn {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Read back from what this service wrote (a stored plan): checked again, so a stored value
/// that is no ISBN is an error, never an `Isbn`.
impl<'de> serde::Deserialize<'de> for Isbn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Isbn::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// In answers an ISBN is always its 13 digits; requests take any form `parse` accepts,
/// so request bodies and paths document a plain string instead.
impl utoipa::PartialSchema for Isbn {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^97[89][0-9]{10}$"))
            .description(Some("ISBN-13: 13 digits, no hyphens"))
            .examples(["9780060775858"])
            .into()
    }
}

impl utoipa::ToSchema for Isbn {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbn13_with_hyphens_is_normalised() {
        assert_eq!(
            Isbn::parse("978-0-06-077585-8").unwrap().as_str(),
            "9780060775858"
        );
    }

    #[test]
    fn isbn10_becomes_isbn13() {
        assert_eq!(Isbn::parse("0439023483").unwrap().as_str(), "9780439023481");
        assert_eq!(
            Isbn::parse("0 439 02348 3").unwrap().as_str(),
            "9780439023481"
        );
    }

    #[test]
    fn one_digit_away_lists_each_single_digit_fix() {
        // 9787020031566 with its last digit mistyped.
        let near = Isbn::one_digit_away("978-7-02-003156-7");
        assert!(
            near.iter().any(|i| i.as_str() == "9787020031566"),
            "{near:?}"
        );
        assert!(near.len() >= 2 && near.len() <= 13, "{near:?}");
        for isbn in &near {
            let differing = isbn
                .as_str()
                .chars()
                .zip("9787020031567".chars())
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(differing, 1, "{isbn} is one digit away");
        }
        // A valid ISBN, or something that is not an ISBN at all, has no near list.
        assert!(Isbn::one_digit_away("9787020031566").is_empty());
        assert!(Isbn::one_digit_away("moon").is_empty());
        assert!(Isbn::one_digit_away("97870200315").is_empty());
    }

    #[test]
    fn isbn10_with_lower_case_x_check_digit() {
        assert_eq!(
            Isbn::parse("0-8044-2957-x").unwrap().as_str(),
            "9780804429573"
        );
    }

    #[test]
    fn bad_checksum_is_rejected() {
        let err = Isbn::parse("9780060775859").unwrap_err();
        assert_eq!(err.reason, "the check digit does not match");
    }

    #[test]
    fn wrong_length_and_letters_are_rejected() {
        assert!(Isbn::parse("12345").is_err());
        assert!(Isbn::parse("").is_err());
        assert!(Isbn::parse("97800607758A8").is_err());
        assert!(Isbn::parse("978006077585X").is_err());
        assert!(Isbn::parse("ISBN").is_err());
        assert!(Isbn::parse("ISBN: 12345").is_err());
        assert!(Isbn::parse("ISSN 0317-8471").is_err());
    }

    #[test]
    fn every_way_people_write_an_isbn_is_read() {
        for written in [
            "ISBN 978-7-02-003156-6",
            "ISBN: 978-7-02-003156-6",
            "ISBN：978-7-02-003156-6",
            "isbn978-7-02-003156-6",
            "ISBN-13: 978-7-02-003156-6",
            "ISBN-13 978 7 02 003156 6",
            "ISBN13：9787020031566",
            "ISBN 13: 9787020031566",
            "ＩＳＢＮ　９７８－７－０２－００３１５６－６",
            "９７８７０２００３１５６６",
            "978–7–02–003156–6",
            "978—7—02—003156—6",
            "978\u{2010}7\u{2010}02\u{2010}003156\u{2010}6",
            " 978 7 02 003156 6 ",
            "978\u{a0}7020031566",
        ] {
            assert_eq!(
                Isbn::parse(written).map(|i| i.as_str().to_owned()),
                Ok("9787020031566".to_owned()),
                "{written:?}"
            );
        }
        for written in [
            "ISBN-10: 0-439-02348-3",
            "ISBN 10: 0439023483",
            "ISBN 0-8044-2957-x",
            "０８０４４２９５７ｘ",
        ] {
            assert!(Isbn::parse(written).is_ok(), "{written:?}");
        }
        // A label is only a label: `ISBN 1...` keeps its digits.
        assert_eq!(
            Isbn::parse("ISBN 1-55860-832-X").unwrap().as_str(),
            "9781558608320"
        );
    }

    #[test]
    fn a_wrong_check_digit_says_so_in_any_form() {
        for written in [
            "ISBN 978-7-02-003156-7",
            "９７８７０２００３１５６７",
            "0-439-02348-4",
        ] {
            assert_eq!(
                Isbn::parse(written).unwrap_err().reason,
                "the check digit does not match",
                "{written:?}"
            );
        }
    }

    #[test]
    fn ean_outside_bookland_is_rejected() {
        // A valid EAN-13 checksum, but not a book.
        assert!(Isbn::parse("4006381333931").is_err());
    }

    #[test]
    fn isbn10_form_is_derived_for_978_only() {
        let isbn = Isbn::parse("9780439023481").unwrap();
        assert_eq!(isbn.to_isbn10().as_deref(), Some("0439023483"));
        let isbn979 = Isbn::parse("979-10-90636-07-1").unwrap();
        assert_eq!(isbn979.to_isbn10(), None);
    }
}
