//! French analysis: turns statement text and query words into index terms.
//!
//! This module answers "which terms does this text contain?". It is a
//! pipeline of small Tantivy token filters, each in its own module and
//! tested alone:
//!
//! ```text
//! WordTokenizer → ElisionFilter → CompoundFilter → FoldingFilter → FrenchStemmer
//!  (words,          (l’ d’ qu’      (cyber-défense,   (case, accents,   (Snowball
//!   NFD-safe)        jusqu’ …)        O.T.A.N, 2,5)     œ, 1ᵉʳ)           French)
//! ```
//!
//! Three analyzers are registered under fixed names and used both at index
//! and at query time: [`FRENCH`] (the whole chain, for the `body` and
//! `title` fields), [`FRENCH_EXACT`] (the same without stemming, for the
//! `body_exact` field that serves prefix queries and ranks exact forms
//! higher) and [`ENGLISH`] (Snowball English instead of French, for the
//! `body_en` field that holds English statements; British and American
//! spellings are joined first, [`spelling`]). Offsets of every token are UTF-8 byte offsets into the original
//! text, on character boundaries, so highlights land on the words as
//! written, whatever folding did to their length. No stop word is removed
//! here: see [`stopwords`] for the query side.

pub mod acronym;
pub mod compound;
pub mod elision;
pub mod fold;
pub mod invisible;
pub mod letters;
pub mod number;
pub mod spelling;
pub mod stem;
pub mod stopwords;
pub mod tokenizer;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenizerManager};

use compound::CompoundFilter;
use elision::ElisionFilter;
use fold::FoldingFilter;
use stem::FrenchStemmer;
use tokenizer::WordTokenizer;

/// Name of the full French analyzer (with stemming) in Tantivy's
/// tokenizer manager.
pub const FRENCH: &str = "vigie_fr";

/// Name of the unstemmed analyzer (folding only), shared by all languages.
pub const FRENCH_EXACT: &str = "vigie_fr_exact";

/// Name of the English analyzer (same chain, Snowball English stemmer), used
/// for paragraphs of English statements.
pub const ENGLISH: &str = "vigie_en";

/// Version of the analysis chain. Bump it whenever a change alters the
/// terms produced for some text: indexes record it and refuse to open with
/// another one.
pub const ANALYZER_VERSION: u32 = 10;

/// Builds the full French analyzer (see the module docs).
pub fn french() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(ElisionFilter)
        .filter(CompoundFilter)
        .filter(FoldingFilter)
        .filter(FrenchStemmer)
        .build()
}

/// Builds the unstemmed French analyzer: [`french`] without the stemmer,
/// keeping elided forms whole beside their remainder
/// ([`elision::ElisionKeepingForms`]) and acronyms written in capitals
/// apart from the words they fold to ([`acronym::AcronymFilter`]).
pub fn french_exact() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(elision::ElisionKeepingForms)
        .filter(CompoundFilter)
        .filter(acronym::AcronymFilter)
        .filter(FoldingFilter)
        .build()
}

/// Builds the English analyzer: the same chain with Snowball English,
/// whose words get the spelling their British and American variants share
/// first ([`spelling::canonical`], called by [`stem::stem_english`]).
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(ElisionFilter)
        .filter(CompoundFilter)
        .filter(FoldingFilter)
        .filter(stem::EnglishStemmer)
        .build()
}

/// Whether a statement's language code selects the English analyzer
/// (`en`, `en-GB`, `EN`…); every other language uses the French one.
pub fn is_english(lang: &str) -> bool {
    let l = lang.trim().as_bytes();
    l.len() >= 2
        && l[..2].eq_ignore_ascii_case(b"en")
        && (l.len() == 2 || !l[2].is_ascii_alphabetic())
}

/// Registers [`FRENCH`], [`FRENCH_EXACT`] and [`ENGLISH`] in `manager`. Must
/// be called on every opened index before indexing or searching.
pub fn register(manager: &TokenizerManager) {
    manager.register(FRENCH, french());
    manager.register(FRENCH_EXACT, french_exact());
    manager.register(ENGLISH, english());
}

/// Runs `analyzer` over `text` and collects the tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
}

/// Convenience: the terms [`french`] gives for `text`, in order.
pub fn terms(text: &str) -> Vec<String> {
    tokens(&mut french(), text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_on_a_statement_sentence() {
        assert_eq!(
            terms("L’OTAN continuera de s’adapter à l’évolution des cybermenaces."),
            [
                "otan",
                "continu",
                "de",
                "adapt",
                "a",
                "evolu",
                "de",
                "cybermenac",
                "cyb",
                "menac"
            ]
        );
    }

    #[test]
    fn english_language_codes() {
        for code in ["en", "EN", "en-GB", "en_US"] {
            assert!(is_english(code), "{code}");
        }
        for code in ["fr", "eng", "e", "", "€x", "é"] {
            assert!(!is_english(code), "{code}");
        }
    }

    #[test]
    fn query_and_text_meet() {
        for (a, b) in [
            ("cyberdéfense", "cyberdefense"),
            ("CYBERDÉFENSE", "cyberdéfense"),
            ("sécurité", "Sécurités"),
            ("rançonneur", "ranconneurs"),
            ("l’Alliance", "Alliance"),
            ("O.T.A.N.", "OTAN"),
            ("1ᵉʳ", "1er"),
            ("œuvre", "oeuvre"),
        ] {
            assert_eq!(terms(a), terms(b), "{a} vs {b}");
        }
    }
}
