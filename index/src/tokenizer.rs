//! Text analysis that works for English and Chinese in the same field.
//!
//! Letters and digits form words (lower-cased, accents folded, English-stemmed). Han, kana
//! and hangul runs have no spaces between words, so they are indexed as overlapping
//! character bigrams plus single characters: 《小王子》 gives 小, 王, 子, 小王, 王子.
//! A query uses bigrams only (or the lone character), so "王子" and "小王子" both find it,
//! with no dictionary to load and no segmentation mistakes.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Name under which the indexing analyzer is registered.
pub const INDEX_ANALYZER: &str = "bookbridge_text";

/// Splits mixed Latin/CJK text; see the module comment.
#[derive(Clone, Debug)]
pub struct MixedTokenizer {
    /// Emit single CJK characters beside bigrams (indexing) or not (querying).
    unigrams: bool,
}

/// Tokens, computed up front: titles are short, and this keeps the stream trivial.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FA1F) // extensions B..
}

impl Tokenizer for MixedTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        let push = |from: usize, to: usize, tokens: &mut Vec<Token>| {
            let position = tokens.len();
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: text[from..to].to_owned(),
                position_length: 1,
            });
        };
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |&(o, _)| o);
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            if is_cjk(c) {
                let mut j = i;
                while j < chars.len() && is_cjk(chars[j].1) {
                    j += 1;
                }
                let run = j - i;
                for (k, &(offset, _)) in chars.iter().enumerate().take(j).skip(i) {
                    if self.unigrams || run == 1 {
                        push(offset, end_of(k), &mut tokens);
                    }
                    if k + 1 < j {
                        push(offset, end_of(k + 1), &mut tokens);
                    }
                }
                i = j;
            } else if c.is_alphanumeric() {
                let mut j = i;
                while j < chars.len() && chars[j].1.is_alphanumeric() && !is_cjk(chars[j].1) {
                    j += 1;
                }
                push(
                    start,
                    chars.get(j).map_or(text.len(), |&(o, _)| o),
                    &mut tokens,
                );
                i = j;
            } else {
                i += 1;
            }
        }
        VecTokenStream { tokens, next: 0 }
    }
}

fn analyzer(unigrams: bool) -> TextAnalyzer {
    TextAnalyzer::builder(MixedTokenizer { unigrams })
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer used when indexing.
pub fn index_analyzer() -> TextAnalyzer {
    analyzer(true)
}

/// The analyzer used on query text.
pub fn query_analyzer() -> TextAnalyzer {
    analyzer(false)
}

/// The terms the index stores for `text` (for comparing engines on equal analysis).
pub fn index_terms(text: &str) -> Vec<String> {
    let mut analyzer = index_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Query text as terms, each with its length in characters before stemming (for deciding
/// how fuzzy a term may be) and whether it is CJK (never fuzzed).
pub fn query_terms(text: &str) -> Vec<QueryTerm> {
    let mut analyzer = query_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms: Vec<QueryTerm> = Vec::new();
    while let Some(token) = stream.next() {
        let original = &text[token.offset_from..token.offset_to];
        let term = QueryTerm {
            text: token.text.clone(),
            chars: original.chars().count(),
            cjk: original.chars().any(is_cjk),
        };
        if !terms.iter().any(|t| t.text == term.text) {
            terms.push(term);
        }
    }
    terms
}

/// One analysed query term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The term as indexed.
    pub text: String,
    /// Characters in the word as typed.
    pub chars: usize,
    /// Chinese/Japanese/Korean text.
    pub cjk: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn chinese_is_indexed_as_characters_and_bigrams() {
        assert_eq!(
            tokens(index_analyzer(), "小王子"),
            ["小", "小王", "王", "王子", "子"]
        );
        assert_eq!(tokens(query_analyzer(), "小王子"), ["小王", "王子"]);
        assert_eq!(tokens(query_analyzer(), "猫"), ["猫"]);
    }

    #[test]
    fn english_is_lowercased_folded_and_stemmed() {
        assert_eq!(
            tokens(index_analyzer(), "The Very Hungry Caterpillars"),
            ["the", "veri", "hungri", "caterpillar"]
        );
        assert_eq!(tokens(index_analyzer(), "Café Żółć"), ["cafe", "zolc"]);
    }

    #[test]
    fn mixed_text_splits_at_script_boundaries() {
        assert_eq!(
            tokens(query_analyzer(), "Harry Potter与魔法石"),
            ["harri", "potter", "与魔", "魔法", "法石"]
        );
        assert_eq!(
            tokens(query_analyzer(), "  ::\"()-  "),
            Vec::<String>::new()
        );
    }

    #[test]
    fn query_terms_know_their_script_and_length() {
        let terms = query_terms("caterpilar 王子 caterpilar");
        assert_eq!(terms.len(), 2);
        assert_eq!((terms[0].chars, terms[0].cjk), (10, false));
        assert!(terms[1].cjk);
    }
}
