//! Elision: strips an elided article or pronoun glued to a word.
//!
//! French writes `l’Alliance`, `d’acteurs`, `qu’il`, `jusqu’à`: the elided
//! word carries no meaning worth indexing, so [`ElisionFilter`] removes it
//! together with its apostrophe, moving the token's start offset past it.
//! The list is Lucene's French `ElisionFilter` default articles (`l m t qu n
//! s j d c jusqu quoiqu lorsqu puisqu`) plus `presqu` and `quelqu`, compared
//! case-insensitively, with any apostrophe of [`is_apostrophe`]. Only one
//! leading elision is removed (`qu’aujourd’hui` → `aujourd’hui`); the token
//! keeps its position, as in Lucene, where elision is a prefix strip.
//!
//! Must run on unfolded tokens whose text is the source slice (directly after
//! [`super::tokenizer::WordTokenizer`]), so the offset arithmetic is exact.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::tokenizer::is_apostrophe;

/// Elided forms removed by [`ElisionFilter`], lowercase, without apostrophe.
pub const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "quelqu",
];

/// Token filter removing a leading elided article (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct ElisionFilter;

impl TokenFilter for ElisionFilter {
    type Tokenizer<T: Tokenizer> = ElisionTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ElisionTokenizer<T> {
        ElisionTokenizer(tokenizer)
    }
}

/// [`Tokenizer`] wrapper produced by [`ElisionFilter`].
#[derive(Clone)]
pub struct ElisionTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for ElisionTokenizer<T> {
    type TokenStream<'a> = ElisionTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ElisionTokenStream(self.0.token_stream(text))
    }
}

/// [`TokenStream`] produced by [`ElisionFilter`].
pub struct ElisionTokenStream<S>(S);

/// Returns the byte length of the elided prefix (article plus apostrophe) at
/// the start of `word`, or 0 when there is none or nothing would remain.
pub fn elided_prefix_len(word: &str) -> usize {
    let Some((idx, apostrophe)) = word.char_indices().find(|&(_, c)| is_apostrophe(c)) else {
        return 0;
    };
    let article = &word[..idx];
    let after = idx + apostrophe.len_utf8();
    if after >= word.len() {
        return 0;
    }
    if ELIDED.iter().any(|e| e.eq_ignore_ascii_case(article)) {
        after
    } else {
        0
    }
}

impl<S: TokenStream> TokenStream for ElisionTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        let cut = elided_prefix_len(&token.text);
        if cut > 0 {
            token.text.drain(..cut);
            token.offset_from += cut;
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenizer::WordTokenizer;
    use tantivy::tokenizer::TextAnalyzer;

    fn run(text: &str) -> Vec<(String, usize, usize)> {
        let mut analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(ElisionFilter)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            assert_eq!(t.text, &text[t.offset_from..t.offset_to]);
            out.push((t.text.clone(), t.offset_from, t.position));
        }
        out
    }

    #[test]
    fn strips_every_elided_form_with_every_apostrophe() {
        for article in [
            "l", "L", "d", "D", "j", "m", "n", "s", "t", "c", "qu", "Qu", "jusqu", "lorsqu",
            "puisqu", "quoiqu", "presqu", "quelqu", "JUSQU",
        ] {
            for apostrophe in ["'", "’", "ʼ", "‘", "＇"] {
                let text = format!("{article}{apostrophe}Alliance");
                let got = run(&text);
                assert_eq!(got.len(), 1, "{text}");
                assert_eq!(got[0].0, "Alliance", "{text}");
                assert_eq!(got[0].1, article.len() + apostrophe.len(), "{text}");
            }
        }
    }

    #[test]
    fn keeps_words_that_are_not_elisions() {
        assert_eq!(run("aujourd’hui")[0].0, "aujourd’hui");
        assert_eq!(run("prud'hommes")[0].0, "prud'hommes");
        // Only the first elision goes.
        assert_eq!(run("qu’aujourd’hui")[0].0, "aujourd’hui");
    }

    #[test]
    fn positions_unchanged() {
        let got = run("Puisqu’aucun accord n’a été trouvé");
        let words: Vec<_> = got.iter().map(|t| (t.0.as_str(), t.2)).collect();
        assert_eq!(
            words,
            [
                ("aucun", 0),
                ("accord", 1),
                ("a", 2),
                ("été", 3),
                ("trouvé", 4)
            ]
        );
    }
}
