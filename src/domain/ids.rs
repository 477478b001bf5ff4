//! Typed ids, so a school's id can never be passed where a pledge's is expected.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw database key.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An account: a school, donor, volunteer or admin.
    AccountId
);
id_type!(
    /// A school.
    SchoolId
);
id_type!(
    /// One line of a school's wish list.
    WishlistItemId
);
id_type!(
    /// A donor's promise of copies to one school.
    PledgeId
);
id_type!(
    /// A login session.
    SessionId
);
id_type!(
    /// A curated book list (优选书目) children and teachers choose from.
    BookListId
);
id_type!(
    /// One child's reading wish.
    ChildWishId
);
id_type!(
    /// A parcel: pledges one donor posts to one school together (its first pledge's id).
    ParcelId
);
id_type!(
    /// A donor's box of books and the plan proposed for it.
    BoxId
);
