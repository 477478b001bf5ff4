//! Path and query parameters parsed straight into domain types.

use rocket::request::FromParam;

use crate::domain::ids::{PledgeId, SchoolId, WishlistItemId};
use crate::domain::isbn::{InvalidIsbn, Isbn};

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

impl<'a> FromParam<'a> for Isbn {
    type Error = InvalidIsbn;
    fn from_param(param: &'a str) -> Result<Self, Self::Error> {
        Isbn::parse(param)
    }
}
