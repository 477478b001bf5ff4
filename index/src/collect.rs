//! One pass over a plan's matches that stops at a bound: the page, the count and the facets.
//!
//! Counting every match to show the first page is what made search grow with the catalogue
//! (a common word matches a tenth of a ten-million-book index). [`FirstMatches`] reads
//! matches in index order and stops after [`COUNT_BOUND`]: the total and the facets are
//! exact below it and "more than" at it. The page must stay right, so when the bound is
//! reached the books some school needs are ranked again over every match
//! ([`Catalogue::search`](crate::Catalogue::search) does it with [`needed_only`]): the need
//! lift only ever raises a needed book, so the best of all matches is among the needed
//! ones or among the first matches. What a bounded answer may miss is an unneeded book
//! further down the index that matches the words slightly better than those shown.

use std::collections::{BTreeMap, BinaryHeap};
use std::sync::atomic::{AtomicU64, Ordering};

use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};

use tantivy::columnar::{ColumnValues, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::query::need_first;

/// Matches counted (and faceted) before a search says "more than". Measured
/// (`cargo bench --bench search`): at ten million books, a bound of ten thousand keeps every
/// kind of query under ten milliseconds at p99.
pub const COUNT_BOUND: u64 = 10_000;

/// Counts per facet value.
pub type Counts = BTreeMap<String, u64>;

/// What one pass found.
#[derive(Debug, Default)]
pub struct Found {
    /// The best `keep` matches seen, best first, with their need-lifted scores.
    pub best: Vec<(Score, DocAddress)>,
    /// Matches seen: all of them when `complete`, else the bound.
    pub seen: u64,
    /// Whether every match was seen.
    pub complete: bool,
    /// Per language, over the matches seen.
    pub languages: Counts,
    /// Per age band, over the matches seen.
    pub ages: Counts,
}

/// A match on the page being built: higher score first, then lower address (as tantivy's
/// own top-k breaks ties, so answers below the bound are the ones it gave).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked(Score, DocAddress);

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // The heap keeps the worst on top: "greater" means worse.
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The best `keep` of `ranked`, best first.
fn best_of(ranked: impl IntoIterator<Item = Ranked>, keep: usize) -> Vec<(Score, DocAddress)> {
    let mut heap = BinaryHeap::with_capacity(keep + 1);
    for r in ranked {
        push_bounded(&mut heap, r, keep);
    }
    let mut out = heap.into_vec();
    out.sort();
    out.into_iter().map(|Ranked(s, a)| (s, a)).collect()
}

fn push_bounded(heap: &mut BinaryHeap<Ranked>, r: Ranked, keep: usize) {
    if heap.len() < keep {
        heap.push(r);
    } else if heap.peek().is_some_and(|worst| r < *worst) {
        heap.pop();
        heap.push(r);
    }
}

/// Merges two passes' best matches (a book may be in both, with one score), best first.
pub fn merge_best(
    a: Vec<(Score, DocAddress)>,
    b: Vec<(Score, DocAddress)>,
    keep: usize,
) -> Vec<(Score, DocAddress)> {
    let mut seen = std::collections::HashSet::new();
    best_of(
        a.into_iter()
            .chain(b)
            .filter(|(_, address)| seen.insert(*address))
            .map(|(s, a)| Ranked(s, a)),
        keep,
    )
}

/// Reads matches in index order up to `bound`, keeping the best `keep` by need-lifted score
/// and counting languages and age bands. With `bound = u64::MAX` it reads them all.
pub struct FirstMatches {
    keep: usize,
    bound: u64,
    need_weight: f32,
    facets: bool,
    /// Matches read so far, over all segments (searched one after another).
    read: AtomicU64,
}

impl FirstMatches {
    /// A pass keeping `keep` matches and counting up to `bound`.
    pub fn new(keep: usize, bound: u64, need_weight: f32) -> Self {
        FirstMatches {
            keep: keep.max(1),
            bound,
            need_weight,
            facets: true,
            read: AtomicU64::new(0),
        }
    }

    /// A pass over every match that only ranks (no facets): the needed books' pass.
    pub fn ranking_only(keep: usize, need_weight: f32) -> Self {
        FirstMatches {
            facets: false,
            ..Self::new(keep, u64::MAX, need_weight)
        }
    }
}

/// One segment's share of a pass.
pub struct SegmentMatches {
    segment: SegmentOrdinal,
    keep: usize,
    need_weight: f32,
    outstanding: Option<Arc<dyn ColumnValues<u64>>>,
    language: Option<StrColumn>,
    age: Option<StrColumn>,
    language_counts: Vec<u64>,
    age_counts: Vec<u64>,
    heap: BinaryHeap<Ranked>,
    seen: u64,
}

impl SegmentMatches {
    fn count(column: &Option<StrColumn>, counts: &mut [u64], doc: DocId) {
        if let Some(column) = column {
            for ord in column.term_ords(doc) {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn named(column: Option<StrColumn>, counts: Vec<u64>) -> Counts {
        let mut out = Counts::new();
        let Some(column) = column else {
            return out;
        };
        let mut name = String::new();
        for (ord, n) in counts.into_iter().enumerate() {
            if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                out.insert(name.clone(), n);
            }
        }
        out
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        let outstanding = self.outstanding.as_ref().map_or(0, |c| c.get_val(doc));
        let score = need_first(score, outstanding, self.need_weight);
        push_bounded(
            &mut self.heap,
            Ranked(score, DocAddress::new(self.segment, doc)),
            self.keep,
        );
        Self::count(&self.language, &mut self.language_counts, doc);
        Self::count(&self.age, &mut self.age_counts, doc);
        self.seen += 1;
    }

    fn harvest(self) -> Found {
        Found {
            best: best_of(self.heap, self.keep),
            seen: self.seen,
            complete: true,
            languages: Self::named(self.language, self.language_counts),
            ages: Self::named(self.age, self.age_counts),
        }
    }
}

impl Collector for FirstMatches {
    type Fruit = Found;
    type Child = SegmentMatches;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<SegmentMatches> {
        let fast = reader.fast_fields();
        let (language, age) = if self.facets {
            (fast.str("language")?, fast.str("age_band")?)
        } else {
            (None, None)
        };
        let terms = |c: &Option<StrColumn>| vec![0; c.as_ref().map_or(0, |c| c.num_terms())];
        Ok(SegmentMatches {
            segment,
            keep: self.keep,
            need_weight: self.need_weight,
            outstanding: fast
                .u64("outstanding")
                .map(|c| c.first_or_default_col(0))
                .ok(),
            language_counts: terms(&language),
            age_counts: terms(&age),
            language,
            age,
            heap: BinaryHeap::with_capacity(self.keep + 1),
            seen: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// Walks the segment's matches itself so it can stop at the bound (tantivy's own walk
    /// cannot be stopped).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Found> {
        let mut matches = self.for_segment(segment, reader)?;
        // Once the bound is reached (here or in an earlier segment), one more match only
        // tells that the count is incomplete.
        let left = self.bound.saturating_sub(self.read.load(Ordering::Relaxed));
        let mut complete = true;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if matches.seen == left {
                    complete = false;
                    break;
                }
                matches.collect(doc, scorer.score());
            }
            doc = scorer.advance();
        }
        self.read.fetch_add(matches.seen, Ordering::Relaxed);
        let mut found = matches.harvest();
        found.complete = complete;
        Ok(found)
    }

    fn merge_fruits(&self, fruits: Vec<Found>) -> tantivy::Result<Found> {
        let mut merged = Found {
            complete: true,
            ..Found::default()
        };
        let mut best = Vec::new();
        for fruit in fruits {
            merged.seen += fruit.seen;
            merged.complete &= fruit.complete;
            best.extend(fruit.best.into_iter().map(|(s, a)| Ranked(s, a)));
            for (key, n) in fruit.languages {
                *merged.languages.entry(key).or_insert(0) += n;
            }
            for (key, n) in fruit.ages {
                *merged.ages.entry(key).or_insert(0) += n;
            }
        }
        merged.best = best_of(best, self.keep);
        Ok(merged)
    }
}
