//! The index on its own: documents in, ranked results out.

use super::*;

fn book(isbn: &str, title: &str, authors: &str, language: &str, outstanding: u64) -> BookDoc {
    BookDoc {
        isbn: isbn.into(),
        title: title.into(),
        authors: Some(authors.into()),
        language: Some(language.into()),
        outstanding,
        schools_needing: u64::from(outstanding > 0),
        ..Default::default()
    }
}

fn catalogue() -> Catalogue {
    let c = Catalogue::in_memory(50_000_000, 1).unwrap();
    let mut hungry = book(
        "9780241003008",
        "The Very Hungry Caterpillar",
        "Eric Carle",
        "en",
        0,
    );
    hungry.age_band = Some("early".into());
    hungry.subjects = Some("picture book; animals".into());
    let docs = vec![
        hungry,
        book(
            "9780060775858",
            "Goodnight Moon",
            "Margaret Wise Brown",
            "en",
            4,
        ),
        book("9787020031566", "小王子", "圣埃克苏佩里", "zh", 12),
        book("9787547432075", "小王子", "安托万·德·圣埃克苏佩里", "zh", 0),
        book(
            "9780156012195",
            "The Little Prince",
            "Antoine de Saint-Exupéry",
            "en",
            0,
        ),
        book("9780064410939", "Charlotte's Web", "E.B. White", "en", 20),
        book("9787532757848", "夏洛的网", "E·B·怀特", "zh", 0),
        book(
            "9780439554930",
            "Harry Potter and the Sorcerer's Stone",
            "J.K. Rowling",
            "en",
            0,
        ),
        book(
            "9780439358071",
            "Harry Potter and the Order of the Phoenix",
            "J.K. Rowling",
            "en",
            3,
        ),
    ];
    c.rebuild(docs, 42).unwrap();
    c
}

fn search(c: &Catalogue, text: &str) -> SearchResults {
    c.search(&SearchRequest {
        text: text.into(),
        limit: 10,
        ..Default::default()
    })
    .unwrap()
}

fn isbns(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.isbn.as_str()).collect()
}

#[test]
fn the_commit_payload_records_the_sequence() {
    let c = catalogue();
    assert_eq!(c.applied_seq().unwrap(), Some(42));
    c.apply(
        &[book("9780141301068", "Matilda", "Roald Dahl", "en", 1)],
        &[],
        43,
    )
    .unwrap();
    assert_eq!(c.applied_seq().unwrap(), Some(43));
    assert_eq!(c.len(), 10);
}

#[test]
fn upserts_replace_and_deletes_remove() {
    let c = catalogue();
    c.apply(
        &[book(
            "9780060775858",
            "Goodnight Moon",
            "Margaret Wise Brown",
            "en",
            0,
        )],
        &["9780241003008".into()],
        43,
    )
    .unwrap();
    let r = search(&c, "goodnight moon");
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].outstanding, 0);
    assert_eq!(search(&c, "caterpillar").total, 0);
}

#[test]
fn english_words_find_titles_and_authors() {
    let c = catalogue();
    assert_eq!(isbns(&search(&c, "hungry caterpillar")), ["9780241003008"]);
    assert_eq!(isbns(&search(&c, "eric carle")), ["9780241003008"]);
    assert_eq!(isbns(&search(&c, "animals")), ["9780241003008"]);
}

#[test]
fn chinese_words_find_chinese_titles() {
    let c = catalogue();
    for q in ["小王子", "王子"] {
        let r = search(&c, q);
        assert_eq!(r.total, 2, "{q}");
        // The needed edition first.
        assert_eq!(r.hits[0].isbn, "9787020031566", "{q}");
    }
    assert_eq!(isbns(&search(&c, "夏洛")), ["9787532757848"]);
}

#[test]
fn pinyin_finds_chinese_titles_and_authors_in_full_spaced_and_by_initials() {
    let c = catalogue();
    for q in ["xiaowangzi", "xiao wang zi", "xwz", "XiaoWangZi"] {
        let r = search(&c, q);
        assert_eq!(r.total, 2, "{q}: both editions of 小王子");
        assert_eq!(r.hits[0].isbn, "9787020031566", "{q}: the needed one first");
    }
    assert_eq!(isbns(&search(&c, "xialuodewang")), ["9787532757848"]);
    assert_eq!(isbns(&search(&c, "xia luo")), ["9787532757848"]);
    // An author's name too (怀特, White).
    assert_eq!(isbns(&search(&c, "huaite")), ["9787532757848"]);
    // English words are not bent into pinyin: the English books are found as before.
    assert_eq!(isbns(&search(&c, "little prince")), ["9780156012195"]);
}

#[test]
fn mixed_chinese_and_english_queries() {
    let c = catalogue();
    let r = search(&c, "小王子 prince");
    // No single book has both; the looser plan returns both editions and the English one.
    assert_eq!(r.total, 3);
}

#[test]
fn typos_are_forgiven_when_the_exact_words_find_nothing() {
    let c = catalogue();
    assert_eq!(isbns(&search(&c, "hungry catterpillar")), ["9780241003008"]);
    assert_eq!(isbns(&search(&c, "charlote")), ["9780064410939"]);
    assert_eq!(search(&c, "zzzzqqqq").total, 0);
}

#[test]
fn needed_books_rank_first_and_can_be_the_only_ones() {
    let c = catalogue();
    let r = search(&c, "harry potter");
    assert_eq!(r.hits[0].isbn, "9780439358071", "the needed volume first");
    let needed = c
        .search(&SearchRequest {
            text: "harry potter".into(),
            needed_only: true,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(isbns(&needed), ["9780439358071"]);
}

#[test]
fn an_isbn_finds_exactly_that_book() {
    let c = catalogue();
    let r = c
        .search(&SearchRequest {
            text: "9780064410939".into(),
            isbn: Some("9780064410939".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(isbns(&r), ["9780064410939"]);
}

#[test]
fn filters_and_facets() {
    let c = catalogue();
    let all = c
        .search(&SearchRequest {
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.total, 9);
    assert_eq!(all.facets.language.get("en"), Some(&6));
    assert_eq!(all.facets.language.get("zh"), Some(&3));
    assert_eq!(all.facets.age.get("early"), Some(&1));
    // With no words, need alone orders the list.
    assert_eq!(all.hits[0].isbn, "9780064410939");

    let zh = c
        .search(&SearchRequest {
            language: Some("zh".into()),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(zh.total, 3);
    assert!(zh.hits.iter().all(|h| h.language.as_deref() == Some("zh")));
    let early = c
        .search(&SearchRequest {
            age_band: Some("early".into()),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(isbns(&early), ["9780241003008"]);
}

#[test]
fn pages_do_not_overlap() {
    let c = catalogue();
    let page = |offset| {
        c.search(&SearchRequest {
            limit: 4,
            offset,
            ..Default::default()
        })
        .unwrap()
    };
    let (a, b, last) = (page(0), page(4), page(8));
    assert_eq!((a.hits.len(), b.hits.len(), last.hits.len()), (4, 4, 1));
    let mut seen: Vec<String> = a
        .hits
        .iter()
        .chain(&b.hits)
        .chain(&last.hits)
        .map(|h| h.isbn.clone())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 9);
}

#[test]
fn hostile_text_is_just_words() {
    let c = catalogue();
    for q in [
        "\"",
        "title:moon",
        "(((",
        "-",
        "AND",
        "moon AND OR NOT",
        "*",
        "~2",
        "\\",
        &"x".repeat(10_000),
        &"moon ".repeat(2_000),
    ] {
        let r = search(&c, q);
        assert!(r.total <= 9, "{q:.20}");
    }
    assert_eq!(isbns(&search(&c, "title:moon")), ["9780060775858"]);
}

#[test]
fn a_folder_index_survives_reopening() {
    let dir = tempfile_dir();
    {
        let c = Catalogue::open(&dir).unwrap();
        assert_eq!(c.applied_seq().unwrap(), None);
        c.apply(
            &[book("9780141301068", "Matilda", "Roald Dahl", "en", 1)],
            &[],
            7,
        )
        .unwrap();
    }
    let c = Catalogue::open(&dir).unwrap();
    assert_eq!(c.applied_seq().unwrap(), Some(7));
    assert_eq!(search(&c, "matilda").total, 1);
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "bookbridge-index-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

/// A catalogue of near-misses for the typo tests: needed books whose words are one edit from
/// the query's, beside the unneeded book the donor meant.
fn near_misses() -> Catalogue {
    let c = Catalogue::in_memory(50_000_000, 1).unwrap();
    let mut decoy = book(
        "9780000000002",
        "Gardens of the North",
        "Tom Secret",
        "en",
        40,
    );
    decoy.description = Some("A walk through secret gardens".into());
    let docs = vec![
        book(
            "9780141336534",
            "The Secret Garden",
            "Frances Hodgson Burnett",
            "en",
            0,
        ),
        decoy,
        book("9780000000003", "Tiler Moon", "Ann Reed", "en", 5),
        book("9780000000004", "Tiger Moon", "Ann Reed", "en", 5),
        book("9780000000005", "Tiger Moth", "Ann Reed", "en", 30),
    ];
    c.rebuild(docs, 7).unwrap();
    c
}

#[test]
fn two_misspelt_title_words_still_find_the_book_first() {
    let c = near_misses();
    // "secret" with a swapped pair, "garden" with a letter missing: both one edit away. The
    // needed decoy holds both near words too, but one of them only in its authors.
    let r = search(&c, "secrte gardn");
    assert_eq!(r.hits[0].isbn, "9780141336534", "{:?}", isbns(&r));
}

#[test]
fn under_typos_an_exact_word_beats_a_one_edit_word() {
    let c = near_misses();
    // "mooon" is nowhere, so typos are forgiven; "tiger" is exact in one title and one edit
    // from "tiler" in another, equally needed.
    let r = search(&c, "tiger mooon");
    assert_eq!(r.hits[0].isbn, "9780000000004", "{:?}", isbns(&r));
    assert!(
        r.hits.windows(2).all(|w| w[0].score >= w[1].score),
        "ordered by score"
    );
    let scores: Vec<f32> = r.hits.iter().map(|h| h.score).collect();
    assert!(
        scores.windows(2).any(|w| w[0] != w[1]),
        "typo matches are scored, not all equal: {scores:?}"
    );
}

#[test]
fn compacting_merges_every_segment_and_keeps_every_book_and_the_payload() {
    let c = Catalogue::in_memory(50_000_000, 1).unwrap();
    let titles = [
        "Goodnight Moon",
        "The Gruffalo",
        "Matilda",
        "Charlotte's Web",
    ];
    let codes = [
        "9780060775858",
        "9780333710937",
        "9780141301068",
        "9780064410939",
    ];
    for (seq, (isbn, title)) in codes.iter().zip(titles).enumerate() {
        c.apply(
            &[book(isbn, title, "someone", "en", 0)],
            &[],
            seq as i64 + 1,
        )
        .unwrap();
    }
    let segments = || c.reader.searcher().segment_readers().len();
    assert!(segments() > 1, "one commit, one segment");
    assert_eq!(c.compact().unwrap(), 4);
    assert_eq!(segments(), 1);
    assert_eq!(c.len(), 4);
    assert_eq!(isbns(&search(&c, "gruffalo")), vec!["9780333710937"]);
    assert_eq!(c.applied_seq().unwrap(), Some(4));
}

/// `n` books titled "Moon …", every seventh needed (more for later ones), in index order.
fn moons(n: usize) -> Vec<BookDoc> {
    (0..n)
        .map(|i| {
            let mut b = book(
                &format!("97800000{i:05}"),
                &format!("Moon Story {i}"),
                "Anon",
                if i % 2 == 0 { "en" } else { "zh" },
                if i % 7 == 3 { 1 + (i as u64) / 7 } else { 0 },
            );
            b.age_band = Some(["early", "teen"][i % 3 % 2].into());
            b
        })
        .collect()
}

fn both(bound: u64, docs: Vec<BookDoc>) -> (Catalogue, Catalogue) {
    let bounded = Catalogue::in_memory(50_000_000, 1)
        .unwrap()
        .with_count_bound(bound);
    let whole = Catalogue::in_memory(50_000_000, 1).unwrap();
    bounded.rebuild(docs.clone(), 1).unwrap();
    whole.rebuild(docs, 1).unwrap();
    (bounded, whole)
}

#[test]
fn counts_stop_at_the_bound_and_say_so() {
    let (bounded, whole) = both(25, moons(120));
    let ask = |c: &Catalogue, text: &str| {
        c.search(&SearchRequest {
            text: text.into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
    };
    let all = ask(&whole, "moon");
    assert_eq!((all.total, all.total_exact), (120, true));
    let first = ask(&bounded, "moon");
    assert_eq!((first.total, first.total_exact), (25, false));
    // The facets count the same first matches.
    assert_eq!(first.facets.language.values().sum::<u64>(), 25);
    assert_eq!(first.facets.age.values().sum::<u64>(), 25);
    // Below the bound nothing changes.
    let few = ask(&bounded, "story 7");
    assert!(few.total_exact);
    assert_eq!(isbns(&few), isbns(&ask(&whole, "story 7")));
}

#[test]
fn a_bounded_search_still_ranks_every_needed_book() {
    let (bounded, whole) = both(25, moons(400));
    for (text, needed_only, language) in [
        ("moon", false, None),
        ("moon", true, None),
        ("moon", false, Some("zh")),
        ("", false, None),
        ("", true, Some("en")),
    ] {
        let ask = |c: &Catalogue, offset| {
            c.search(&SearchRequest {
                text: text.into(),
                needed_only,
                language: language.map(str::to_owned),
                limit: 8,
                offset,
                ..Default::default()
            })
            .unwrap()
        };
        for offset in [0, 8] {
            let (first, all) = (ask(&bounded, offset), ask(&whole, offset));
            assert!(!first.total_exact, "{text:?} {needed_only} {language:?}");
            // The neediest books are last in index order, far past the bound, and the whole
            // index's page is all needed books: the bounded page is the same page.
            assert!(all.hits.iter().all(|h| h.outstanding > 0));
            assert_eq!(
                isbns(&first),
                isbns(&all),
                "{text:?} {needed_only} {language:?}"
            );
            let scores = |r: &SearchResults| r.hits.iter().map(|h| h.score).collect::<Vec<_>>();
            assert_eq!(
                scores(&first),
                scores(&all),
                "{text:?} {needed_only} {language:?}"
            );
        }
    }
}
