//! A number of copies: never zero, never absurd.

/// A count of copies between 1 and [`Quantity::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Quantity(u32);

/// Why a number is not a usable quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("quantity must be between 1 and {max}, got {got}", max = Quantity::MAX)]
pub struct InvalidQuantity {
    /// The number that was sent.
    pub got: i64,
}

impl Quantity {
    /// No school asks for, and no donor sends, more copies of one book than this in one go.
    pub const MAX: u32 = 10_000;

    /// One copy: what a child's wish asks for.
    pub const ONE: Quantity = Quantity(1);

    /// Checks a client's number.
    pub fn new(got: i64) -> Result<Self, InvalidQuantity> {
        match u32::try_from(got) {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Quantity(n)),
            _ => Err(InvalidQuantity { got }),
        }
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(Quantity::new(0).is_err());
        assert!(Quantity::new(-3).is_err());
        assert!(Quantity::new(10_001).is_err());
        assert!(Quantity::new(i64::MAX).is_err());
        assert_eq!(Quantity::new(1).unwrap().get(), 1);
        assert_eq!(Quantity::new(10_000).unwrap().get(), 10_000);
    }
}
