use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_account_id: i64,
    pub name: String,
    pub province: String,
    pub county: String,
    pub address: String,
    pub contact_phone: String,
    pub student_count: i32,
    pub created_at: DateTimeUtc,
    pub school_code: Option<String>,
    pub verified: bool,
    pub verified_at: Option<DateTimeUtc>,
    pub verified_by: Option<i64>,
    pub verification_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
