use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pledges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub donor_account_id: i64,
    pub school_id: i64,
    pub wishlist_item_id: i64,
    pub isbn: String,
    pub quantity: i32,
    pub status: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub ship_by: Option<DateTimeUtc>,
    pub extended: bool,
    pub child_wish_id: Option<i64>,
    /// The parcel it travels in (its first pledge's id); empty: a parcel of its own.
    pub parcel_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
