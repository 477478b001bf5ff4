use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "books")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub isbn: String,
    pub isbn10: Option<String>,
    pub title: Option<String>,
    pub authors: Option<String>,
    pub publication_year: Option<i32>,
    pub language: Option<String>,
    pub subtitle: Option<String>,
    pub publisher: Option<String>,
    pub page_count: Option<i32>,
    pub subjects: Option<String>,
    pub age_band: Option<String>,
    pub description: Option<String>,
    pub cover_url: Option<String>,
    /// The Open Library work the edition belongs to (`OL45804W`).
    pub work: Option<String>,
    pub metadata_status: String,
    pub metadata_error: Option<String>,
    pub metadata_attempts: i32,
    pub metadata_next_attempt_at: Option<DateTimeUtc>,
    pub metadata_fetched_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
