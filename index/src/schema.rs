//! The index's fields.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::tokenizer::INDEX_ANALYZER;

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub isbn: Field,
    pub title: Field,
    pub subtitle: Field,
    pub authors: Field,
    pub subjects: Field,
    pub publisher: Field,
    pub description: Field,
    /// The Chinese in the title and authors, spelled in pinyin (see `spelling`).
    pub pinyin: Field,
    pub language: Field,
    pub age_band: Field,
    pub year: Field,
    pub outstanding: Field,
    pub schools_needing: Field,
    /// `yes` on books some school needs: a posting list, so "needed" joins other
    /// conditions by skipping, where a range over `outstanding` reads every book's value.
    pub needed: Field,
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Relevance needs term frequencies, not positions: queries here are bags of words.
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(INDEX_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        isbn: builder.add_text_field("isbn", STRING | STORED),
        title: builder.add_text_field("title", text(true)),
        subtitle: builder.add_text_field("subtitle", text(false)),
        authors: builder.add_text_field("authors", text(true)),
        subjects: builder.add_text_field("subjects", text(false)),
        publisher: builder.add_text_field("publisher", text(false)),
        description: builder.add_text_field("description", text(false)),
        pinyin: builder.add_text_field("pinyin", text(false)),
        language: builder.add_text_field("language", STRING | FAST | STORED),
        age_band: builder.add_text_field("age_band", STRING | FAST | STORED),
        year: builder.add_i64_field("year", NumericOptions::default().set_stored()),
        outstanding: builder.add_u64_field(
            "outstanding",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        ),
        schools_needing: builder.add_u64_field("schools_needing", FAST | STORED),
        needed: builder.add_text_field("needed", STRING),
    };
    (builder.build(), fields)
}
