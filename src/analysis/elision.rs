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
        ElisionTokenizer {
            inner: tokenizer,
            keep_elided_forms: false,
        }
    }
}

/// [`ElisionFilter`] that also keeps the elided form itself: after the
/// stripped word it emits, at the same position, the whole word as written
/// (`jusqu’à`, `lorsqu’il`, `l’OTAN`) when it has no compound joiner. Used
/// for the unstemmed `body_exact` field, so that a query made only of such a
/// form (`jusqu'à`, whose remainder `à` is a stop word) can be searched as
/// written instead of as `à`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ElisionKeepingForms;

impl TokenFilter for ElisionKeepingForms {
    type Tokenizer<T: Tokenizer> = ElisionTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ElisionTokenizer<T> {
        ElisionTokenizer {
            inner: tokenizer,
            keep_elided_forms: true,
        }
    }
}

/// [`Tokenizer`] wrapper produced by [`ElisionFilter`] and
/// [`ElisionKeepingForms`].
#[derive(Clone)]
pub struct ElisionTokenizer<T> {
    inner: T,
    keep_elided_forms: bool,
}

impl<T: Tokenizer> Tokenizer for ElisionTokenizer<T> {
    type TokenStream<'a> = ElisionTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ElisionTokenStream {
            tail: self.inner.token_stream(text),
            keep_elided_forms: self.keep_elided_forms,
            whole: None,
            emitting_whole: false,
        }
    }
}

/// [`TokenStream`] produced by [`ElisionFilter`] and [`ElisionKeepingForms`].
pub struct ElisionTokenStream<S> {
    tail: S,
    keep_elided_forms: bool,
    /// The whole elided form, waiting to be emitted after its remainder.
    whole: Option<Token>,
    /// The current token is `whole`, not the tail's.
    emitting_whole: bool,
}

/// `text` with each elided article typed detached from its word (`période
/// d essai`, `l Alliance`, `qu il`) joined to it by an apostrophe, as the
/// texts write it (`période d'essai`): in a phrase, the detached article
/// would hold a position the indexed text does not have. Only an article
/// of [`ELIDED`] standing alone as a word, followed by one ASCII space and
/// a word that starts with a vowel or `h` (where French elides), is
/// joined; an article of one letter only in lower case, since a capital
/// letter alone is a label (`catégories C ou D`, `article L 1234`). The
/// space becomes the apostrophe, so byte offsets do not move.
pub fn join_detached(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut joins = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() || is_apostrophe(c) {
            continue;
        }
        let word = &text[start..i];
        let next = text[i + c.len_utf8()..].chars().next();
        let alone = start == 0 || !text[..start].ends_with(|p: char| is_apostrophe(p));
        let article = ELIDED.iter().any(|e| e.eq_ignore_ascii_case(word))
            && (word.len() > 1 || word.chars().all(|l| l.is_lowercase()));
        if c == ' ' && alone && article && next.is_some_and(elides_before) {
            joins.push(i);
        }
        start = i + c.len_utf8();
    }
    if joins.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for i in joins {
        out[i] = b'\'';
    }
    // Only ASCII spaces became ASCII apostrophes: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// Whether French elides an article before a word starting with `c`: a
/// vowel (accented or not) or `h`.
fn elides_before(c: char) -> bool {
    let base = crate::analysis::fold::fold(&c.to_string());
    base.starts_with(['a', 'e', 'i', 'o', 'u', 'y', 'h'])
}

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
        if self.emitting_whole {
            self.emitting_whole = false;
            self.whole = None;
        } else if self.whole.is_some() {
            self.emitting_whole = true;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let cut = elided_prefix_len(&token.text);
        if cut > 0 {
            if self.keep_elided_forms && !super::compound::has_split_joiner(&token.text) {
                self.whole = Some(token.clone());
            }
            token.text.drain(..cut);
            token.offset_from += cut;
        }
        true
    }

    fn token(&self) -> &Token {
        match (&self.whole, self.emitting_whole) {
            (Some(whole), true) => whole,
            _ => self.tail.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match (&mut self.whole, self.emitting_whole) {
            (Some(whole), true) => whole,
            _ => self.tail.token_mut(),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn detached_elisions_are_joined_in_phrases() {
        assert_eq!(join_detached("période d essai"), "période d'essai");
        assert_eq!(
            join_detached("l Alliance atlantique"),
            "l'Alliance atlantique"
        );
        assert_eq!(join_detached("d hier"), "d'hier");
        assert_eq!(join_detached("l été"), "l'été");
        // A capital letter alone is a label, and no article is elided
        // before a consonant: left alone.
        assert_eq!(join_detached("catégories C ou D"), "catégories C ou D");
        assert_eq!(join_detached("catégorie D qui"), "catégorie D qui");
        assert_eq!(join_detached("le plan d action"), "le plan d'action");
        assert_eq!(
            join_detached("la lettre d de l annexe"),
            "la lettre d de l'annexe"
        );
        assert_eq!(join_detached("qu il soit"), "qu'il soit");
        assert_eq!(join_detached("jusqu à la fin"), "jusqu'à la fin");
        // A letter before digits, a word that merely ends like an
        // article, and an article already glued are left alone.
        assert_eq!(join_detached("article L 1234"), "article L 1234");
        assert_eq!(join_detached("grand essai"), "grand essai");
        assert_eq!(join_detached("période d'essai"), "période d'essai");
        assert_eq!(join_detached("d"), "d");
        // Separators of several bytes are read whole (and not joined).
        assert_eq!(
            join_detached("\u{a0}sécurité d\u{a0}essai\u{a0}"),
            "\u{a0}sécurité d\u{a0}essai\u{a0}"
        );
        assert_eq!(join_detached("« l Alliance »"), "« l'Alliance »");
        // Offsets do not move: same length in bytes.
        assert_eq!(
            join_detached("la période d essai").len(),
            "la période d essai".len()
        );
    }

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
    fn the_keeping_variant_also_emits_the_elided_form() {
        let text = "jusqu’à l’état-major et aujourd’hui";
        let mut analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(ElisionKeepingForms)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((
                t.text.clone(),
                t.position,
                text[t.offset_from..t.offset_to].to_string(),
            ));
        }
        let want = [
            ("à", 0, "à"),
            ("jusqu’à", 0, "jusqu’à"),
            // A compound keeps only its stripped form (the compound filter splits it).
            ("état-major", 1, "état-major"),
            ("et", 2, "et"),
            ("aujourd’hui", 3, "aujourd’hui"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), *b, c.to_string()))
            .collect();
        assert_eq!(got, want);
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
