//! Turning a donor's words into tantivy queries without ever parsing query syntax, and the
//! ranking that puts needed books first.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DfaWrapper, FuzzyTermQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Score, Searcher, Term};

use crate::schema::Fields;
use crate::tokenizer::{query_terms, QueryTerm};

/// A plan with at least this many hits is used as is: typo forgiveness is for queries the
/// exact words find nothing for, not a way to pad good answers (and fuzzy plans cost more).
pub const ENOUGH_HITS: u64 = 1;
/// Words of a query beyond this are ignored (a pasted page is not a better query).
pub const MAX_TERMS: usize = 24;
/// How much outstanding need lifts a book: `score × (1 + NEED_WEIGHT × ln(1 + outstanding))`.
pub const NEED_WEIGHT: f32 = 1.0;
/// The same lift when typos were forgiven. A donor who misspells is after one book they
/// have in mind: how well the words match decides, and need only separates near-equals
/// (×1.2 for 40 copies, where exact words get ×4.7).
pub const TYPO_NEED_WEIGHT: f32 = 0.05;

/// What a donor asked for, already checked by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    /// Free text (may be empty: then books are ranked by need alone).
    pub text: String,
    /// The text read as an ISBN-13, when it is one.
    pub isbn: Option<String>,
    /// Only books some school still needs.
    pub needed_only: bool,
    /// Only this language code.
    pub language: Option<String>,
    /// Only this age band.
    pub age_band: Option<String>,
    /// Page size.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct SearchHit {
    /// ISBN-13: what `POST /pledges` takes.
    pub isbn: String,
    /// Title.
    pub title: String,
    /// Authors.
    pub authors: Option<String>,
    /// Year first published.
    pub year: Option<i64>,
    /// Language code.
    pub language: Option<String>,
    /// Age band.
    pub age_band: Option<String>,
    /// Copies still needed.
    pub outstanding: u64,
    /// Schools that need it.
    pub schools_needing: u64,
    /// Relevance after the need boost.
    pub score: f32,
}

/// Counts of matching books by language and age band (over the first `total` matches when
/// the total is not exact).
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Facets {
    /// Per language code.
    pub language: BTreeMap<String, u64>,
    /// Per age band.
    pub age: BTreeMap<String, u64>,
}

/// A page of results.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct SearchResults {
    /// Matching books: all of them when `total_exact`, otherwise a lower bound ("more
    /// than 10,000"): a search stops counting there.
    pub total: u64,
    /// Whether `total` and the facets counted every match; when false they count the first
    /// `total` matches, and the page still ranks every needed book.
    pub total_exact: bool,
    /// This page.
    pub hits: Vec<SearchHit>,
    /// Counts over all matches.
    pub facets: Facets,
}

/// The ranking: relevance lifted by need, so a needed book beats an unneeded one of similar
/// relevance, and an exact title match still beats a weak match that is needed.
pub fn need_first(score: Score, outstanding: u64, weight: f32) -> Score {
    score * (1.0 + weight * (1.0 + outstanding as f32).ln())
}

/// Text fields and their weights.
fn weighted(fields: &Fields) -> [(Field, Score); 7] {
    [
        (fields.title, 3.0),
        (fields.authors, 2.0),
        (fields.pinyin, 1.5),
        (fields.subtitle, 1.5),
        (fields.subjects, 1.0),
        (fields.publisher, 0.5),
        (fields.description, 0.5),
    ]
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A word matched exactly in any text field.
fn exact(fields: &Fields, term: &QueryTerm) -> Box<dyn Query> {
    let clauses = weighted(fields)
        .into_iter()
        .map(|(field, weight)| {
            (
                Occur::Should,
                Box::new(BoostQuery::new(term_query(field, &term.text), weight)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// Edits allowed for a word of `chars` characters: none below 4, one up to 10 (a swapped
/// pair of letters counts as one), then two. Two-edit automata cost milliseconds to build,
/// so they are kept for long words, where one edit is too strict.
fn typo_distance(term: &QueryTerm) -> u8 {
    match (term.cjk, term.chars) {
        (true, _) | (_, 0..=3) => 0,
        (_, 4..=10) => 1,
        _ => 2,
    }
}

/// How much a word found with `edits` typos counts against the same word typed right: an
/// exact word beats a one-edit word, which beats a two-edit word, in the same field.
fn typo_weight(edits: usize) -> Score {
    match edits {
        0 => 1.0,
        1 => 0.4,
        _ => 0.15,
    }
}

/// Most catalogue words one typed word may stand for (a short word near many others).
const MAX_EXPANSIONS: usize = 24;

/// The catalogue's words in `field` that `near` (the automaton of `term` within its allowed
/// edits) accepts, with their edits (a swapped pair counts as one), nearest first.
fn near_words(
    searcher: &Searcher,
    field: Field,
    term: &QueryTerm,
    near: &DfaWrapper,
) -> Vec<(String, usize)> {
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(near).into_stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(word) = std::str::from_utf8(stream.key()) {
                found.insert(word.to_owned());
            }
        }
    }
    let mut words: Vec<(String, usize)> = found
        .into_iter()
        .map(|word| {
            let edits = strsim::osa_distance(&term.text, &word);
            (word, edits)
        })
        .collect();
    words.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    words.truncate(MAX_EXPANSIONS);
    words
}

/// A word matched exactly anywhere, or with a typo in the title or authors. Each catalogue
/// word it may stand for is scored like a typed word (so a rarer, shorter-field match counts
/// more), weighed down by its edits: several typos in one query still rank the book whose
/// title holds all the near words above books that hold one.
fn forgiving(fields: &Fields, searcher: &Searcher, term: &QueryTerm) -> Box<dyn Query> {
    let distance = typo_distance(term);
    if distance == 0 {
        return exact(fields, term);
    }
    let mut clauses = vec![(Occur::Should, exact(fields, term))];
    // One automaton for the word, whatever the field and segment: building a two-edit
    // automaton costs milliseconds. (The field of this query does not enter it.)
    let Ok(near) = FuzzyTermQuery::new(
        Term::from_field_text(fields.title, &term.text),
        distance,
        true,
    )
    .automaton() else {
        return exact(fields, term);
    };
    for (field, weight) in [(fields.title, 3.0), (fields.authors, 2.0)] {
        for (word, edits) in near_words(searcher, field, term, &near) {
            if edits == 0 {
                continue; // already in the exact clause
            }
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    term_query(field, &word),
                    weight * typo_weight(edits),
                )),
            ));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

fn filters(fields: &Fields, request: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if request.needed_only {
        // As the range over `outstanding` it replaces scored it, so rankings stay as they were.
        out.push((Occur::Must, needed(fields, 1.0)));
    }
    if let Some(language) = &request.language {
        out.push((Occur::Must, term_query_raw(fields.language, language)));
    }
    if let Some(age) = &request.age_band {
        out.push((Occur::Must, term_query_raw(fields.age_band, age)));
    }
    out
}

/// The word [`Fields::needed`] holds on needed books.
pub const NEEDED: &str = "yes";

/// Books some school still needs, adding `score` to each match's.
fn needed(fields: &Fields, score: Score) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(fields.needed, NEEDED),
            IndexRecordOption::Basic,
        )),
        score,
    ))
}

/// `plan`, restricted to books some school still needs, each scored as `plan` scores it.
pub fn with_needed(fields: &Fields, plan: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, plan),
        (Occur::Must, needed(fields, 0.0)),
    ]))
}

fn term_query_raw(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// How strictly a query's words must match, strictest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Every word, exactly.
    Exact,
    /// Every word, typos forgiven.
    TyposForgiven,
    /// Any word, typos forgiven.
    AnyWord,
}

impl Strictness {
    /// How much need lifts a book found this way.
    pub fn need_weight(self) -> f32 {
        match self {
            Strictness::Exact => NEED_WEIGHT,
            Strictness::TyposForgiven | Strictness::AnyWord => TYPO_NEED_WEIGHT,
        }
    }
}

/// The plans a search tries in turn.
pub const STRICTNESS: [Strictness; 3] = [
    Strictness::Exact,
    Strictness::TyposForgiven,
    Strictness::AnyWord,
];

/// The query for one strictness, or `None` when the request has nothing to loosen (an ISBN,
/// or no words). Built only when it is tried: expanding typos reads the term dictionary.
pub fn plan(
    fields: &Fields,
    searcher: &Searcher,
    request: &SearchRequest,
    strictness: Strictness,
) -> Option<Box<dyn Query>> {
    let with_filters = |main: Box<dyn Query>| -> Box<dyn Query> {
        let mut clauses = vec![(Occur::Must, main)];
        clauses.extend(filters(fields, request));
        Box::new(BooleanQuery::new(clauses))
    };
    let mut terms = query_terms(&request.text);
    terms.truncate(MAX_TERMS);
    if let Some(isbn) = &request.isbn {
        // An ISBN finds that book and nothing else.
        return (strictness == Strictness::Exact)
            .then(|| with_filters(term_query_raw(fields.isbn, isbn)));
    }
    if terms.is_empty() {
        // Every book scores 1 (wrapped: tantivy drops a bare "all books" from a conjunction,
        // score and all, and [`with_needed`] must score a match as this plan does).
        let every_book = Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0));
        return (strictness == Strictness::Exact).then(|| with_filters(every_book));
    }
    let all = |make: &dyn Fn(&QueryTerm) -> Box<dyn Query>, occur: Occur| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            terms.iter().map(|t| (occur, make(t))).collect(),
        ))
    };
    Some(with_filters(match strictness {
        Strictness::Exact => all(&|t| exact(fields, t), Occur::Must),
        Strictness::TyposForgiven => all(&|t| forgiving(fields, searcher, t), Occur::Must),
        Strictness::AnyWord => all(&|t| forgiving(fields, searcher, t), Occur::Should),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn need_lifts_the_score_monotonically() {
        for weight in [NEED_WEIGHT, TYPO_NEED_WEIGHT] {
            assert_eq!(need_first(2.0, 0, weight), 2.0);
            assert!(need_first(2.0, 1, weight) > need_first(2.0, 0, weight));
            assert!(need_first(2.0, 10, weight) > need_first(2.0, 1, weight));
            // A much better text match still wins over a small need.
            assert!(need_first(10.0, 0, weight) > need_first(2.0, 5, weight));
        }
        // Under typos, a quarter better match beats even a large need.
        assert!(need_first(1.25, 0, TYPO_NEED_WEIGHT) > need_first(1.0, 40, TYPO_NEED_WEIGHT));
    }

    #[test]
    fn short_words_and_chinese_are_never_fuzzed() {
        let t = |chars, cjk| QueryTerm {
            text: String::new(),
            chars,
            cjk,
        };
        assert_eq!(typo_distance(&t(3, false)), 0);
        assert_eq!(typo_distance(&t(5, false)), 1);
        assert_eq!(typo_distance(&t(9, false)), 1);
        assert_eq!(typo_distance(&t(11, false)), 2);
        assert_eq!(typo_distance(&t(2, true)), 0);
    }
}
