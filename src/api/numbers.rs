//! Whole numbers in JSON bodies as JSON Schema's `integer` allows them: `3` and also `3.0`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

struct WholeNumber;

impl Visitor<'_> for WholeNumber {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom("a whole number too large"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // 2^53: past it a float no longer holds every whole number exactly.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if v.fract() == 0.0 && v.abs() <= EXACT {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// Reads a whole number written as `3` or `3.0`.
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(WholeNumber)
}

/// Reads an optional list of whole numbers, each written as `3` or `3.0`.
pub fn optional_whole_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<i64>>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(transparent)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    let list: Option<Vec<Whole>> = serde::Deserialize::deserialize(d)?;
    Ok(list.map(|l| l.into_iter().map(|w| w.0).collect()))
}

/// Reads an optional whole number written as `3`, `3.0` or `null`.
pub fn optional_whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Optional;
    impl<'de> Visitor<'de> for Optional {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            whole(d).map(Some)
        }
    }
    d.deserialize_option(Optional)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Body {
        #[serde(deserialize_with = "whole")]
        n: i64,
        #[serde(default, deserialize_with = "optional_whole")]
        m: Option<i64>,
    }

    #[test]
    fn one_point_zero_is_one_and_one_point_five_is_refused() {
        let read = |json: &str| serde_json::from_str::<Body>(json);
        assert_eq!(read(r#"{"n": 1.0}"#).unwrap().n, 1);
        assert_eq!(read(r#"{"n": 7, "m": 2.0}"#).unwrap().m, Some(2));
        assert_eq!(read(r#"{"n": 7, "m": null}"#).unwrap().m, None);
        assert_eq!(read(r#"{"n": 7}"#).unwrap().m, None);
        assert!(read(r#"{"n": 1.5}"#).is_err());
        assert!(read(r#"{"n": "1"}"#).is_err());
        assert!(read(r#"{"n": 1e300}"#).is_err());
    }
}
