//! Path and query parameters parsed straight into domain types.

use rocket::request::FromParam;

use crate::domain::error::{DomainError, Invalid};
use crate::domain::ids::{
    AccountId, BookListId, BoxId, ChildWishId, ParcelId, PledgeId, SchoolId, WishlistItemId,
};
use crate::domain::isbn::{InvalidIsbn, Isbn};
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::quantity::Quantity;

macro_rules! id_param {
    ($name:ident) => {
        impl<'a> FromParam<'a> for $name {
            type Error = std::num::ParseIntError;
            fn from_param(param: &'a str) -> Result<Self, Self::Error> {
                param.parse::<i64>().map($name)
            }
        }
    };
}

id_param!(SchoolId);
id_param!(WishlistItemId);
id_param!(PledgeId);
id_param!(AccountId);
id_param!(BookListId);
id_param!(ChildWishId);
id_param!(ParcelId);
id_param!(BoxId);

impl<'a> FromParam<'a> for Isbn {
    type Error = InvalidIsbn;
    fn from_param(param: &'a str) -> Result<Self, Self::Error> {
        Isbn::parse(param)
    }
}

/// An ISBN from a body field named `isbn`.
pub(super) fn parse_isbn(raw: &str) -> Result<Isbn, DomainError> {
    Isbn::parse(raw).map_err(|e| DomainError::InvalidIsbn(e, "isbn"))
}

/// A copy count from a body field named `quantity`.
pub(super) fn parse_quantity(raw: i64) -> Result<Quantity, DomainError> {
    Quantity::new(raw)
        .map_err(|e| crate::domain::error::Invalid::new("quantity", e.to_string()).into())
}

/// A pledge status from a body field or query parameter named `status`.
pub(super) fn parse_status(raw: &str) -> Result<PledgeStatus, DomainError> {
    raw.parse::<PledgeStatus>().map_err(|_| {
        Invalid::new(
            "status",
            "`status` must be one of pledged, shipped, delivered, cancelled, lost, returned",
        )
        .into()
    })
}
