//! Acronyms written in capitals, kept apart from the common words they fold
//! to.
//!
//! Folding makes `UE` and a stray `ue`, `UN` and the article `un`, `EU` and
//! the participle `eu` the same term. A thesaurus that expands `Union
//! européenne` to `UE` must not find every `ue` (issue 11), so
//! [`AcronymFilter`] emits, after a token written entirely in capitals
//! (see [`is_acronym`]), a second token at the same position: the
//! [`ACRONYM_MARK`] followed by the word (folded later in the chain like
//! any token, so `ÉTATS` gives `=etats`). Words of a passage written in
//! capitals (a heading, a legal title: `SUR UN ACCORD`, `L'UN OU
//! L'AUTRE`) are not acronyms: a run of two or more words in capitals
//! that holds a function word marks none of them ([`shouted_runs`]). It
//! runs in the unstemmed chain only (the `body_exact` field); a query
//! reaches it through [`acronym_term`].

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The first character of an acronym term. The word tokenizer never puts
/// it in a token, so no text word can meet an acronym term.
pub const ACRONYM_MARK: char = '=';

/// Most characters of a word taken as an acronym (`UNIDIR`, `ENISA`,
/// `CERT-EU` parts); longer capitals are headings, not acronyms.
pub const MAX_ACRONYM_CHARS: usize = 8;

/// Whether `word` (as written) is an acronym: 2 to [`MAX_ACRONYM_CHARS`]
/// letters or digits, at least two letters, and no lowercase letter
/// (`UE`, `OTAN`, `G20`, `ÉTATS`; not `Ue`, `G7`, `1er`, `l’UE`).
pub fn is_acronym(word: &str) -> bool {
    let mut chars = 0;
    let mut letters = 0;
    for c in word.chars() {
        chars += 1;
        if chars > MAX_ACRONYM_CHARS || !c.is_alphanumeric() || c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// The `body_exact` term of `word` written in capitals (`UE` → `=ue`), or
/// `None` when `word` is not an acronym ([`is_acronym`]).
pub fn acronym_term(word: &str) -> Option<String> {
    is_acronym(word).then(|| format!("{ACRONYM_MARK}{}", super::fold::fold(word)))
}

/// Byte ranges of `text` written in capitals as prose, not as acronyms:
/// runs of two or more words without a lowercase letter (words are runs of
/// letters and digits; a word of digits alone or of one letter, such as an
/// elided article, neither counts nor breaks a run) of which one is a
/// French or English function word (`SUR UN
/// ACCORD`, `J'AI`, `WHO WE ARE`). `ONU, OTAN et UE` has no such run.
pub fn shouted_runs(text: &str) -> Vec<std::ops::Range<usize>> {
    use super::stopwords::{is_english_stop_word, is_stop_word};
    let mut runs = Vec::new();
    let (mut start, mut end, mut words, mut function) = (0, 0, 0, false);
    let mut close = |start: usize, end: usize, words: usize, function: bool| {
        if words >= 2 && function {
            runs.push(start..end);
        }
    };
    let mut rest = text.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut stop = at + c.len_utf8();
        while let Some(&(i, d)) = rest.peek() {
            if !d.is_alphanumeric() {
                break;
            }
            stop = i + d.len_utf8();
            rest.next();
        }
        let word = &text[at..stop];
        // Digits and elided articles (`L'ONU`) neither count nor break a run.
        if !word.chars().any(char::is_alphabetic) || word.chars().nth(1).is_none() {
            continue;
        }
        if word.chars().any(char::is_lowercase) {
            close(start, end, words, function);
            words = 0;
            function = false;
            continue;
        }
        if words == 0 {
            start = at;
        }
        words += 1;
        end = stop;
        let lower = word.to_lowercase();
        function |= is_stop_word(&lower) || is_english_stop_word(&lower);
    }
    close(start, end, words, function);
    runs
}

/// Token filter adding the acronym term after each acronym (module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct AcronymFilter;

impl TokenFilter for AcronymFilter {
    type Tokenizer<T: Tokenizer> = AcronymTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> AcronymTokenizer<T> {
        AcronymTokenizer { inner: tokenizer }
    }
}

/// [`Tokenizer`] wrapper produced by [`AcronymFilter`].
#[derive(Clone)]
pub struct AcronymTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AcronymTokenizer<T> {
    type TokenStream<'a> = AcronymTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AcronymTokenStream {
            tail: self.inner.token_stream(text),
            text,
            shouted: None,
            marked: Token::default(),
            pending: false,
            emitting_marked: false,
        }
    }
}

/// [`TokenStream`] produced by [`AcronymFilter`].
pub struct AcronymTokenStream<'a, S> {
    tail: S,
    /// The text analysed.
    text: &'a str,
    /// Its passages in capitals ([`shouted_runs`]), found at the first
    /// word in capitals.
    shouted: Option<Vec<std::ops::Range<usize>>>,
    /// The acronym term of the last token, when it is one.
    marked: Token,
    /// Whether `marked` is still to be emitted.
    pending: bool,
    /// Whether the current token is `marked`.
    emitting_marked: bool,
}

impl<S: TokenStream> TokenStream for AcronymTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        // The acronym term is prepared when its word arrives: later filters
        // fold the word in place.
        if self.pending {
            self.pending = false;
            self.emitting_marked = true;
            return true;
        }
        self.emitting_marked = false;
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        if is_acronym(&token.text) {
            let text = self.text;
            let shouted = self.shouted.get_or_insert_with(|| shouted_runs(text));
            if shouted.iter().any(|r| r.contains(&token.offset_from)) {
                return true;
            }
            self.marked = token.clone();
            self.marked.text = format!("{ACRONYM_MARK}{}", token.text);
            self.pending = true;
        }
        true
    }

    fn token(&self) -> &Token {
        if self.emitting_marked {
            &self.marked
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.emitting_marked {
            &mut self.marked
        } else {
            self.tail.token_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{french_exact, tokens};

    #[test]
    fn which_words_are_acronyms() {
        for w in ["UE", "OTAN", "G2A", "ÉTATS", "CSNU", "UNIDIR"] {
            assert!(is_acronym(w), "{w} should be an acronym");
        }
        for w in [
            "Ue",
            "ue",
            "G7",
            "G20",
            "1er",
            "l’UE",
            "A",
            "",
            "OTAN-UE",
            "DÉCLARATIONS",
        ] {
            assert!(!is_acronym(w), "{w} should not be an acronym");
        }
    }

    #[test]
    fn exact_chain_marks_capitals_only() {
        let got: Vec<(String, usize)> = tokens(&mut french_exact(), "L’UE et un ue, UN État.")
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect();
        let want = [
            ("ue", 0),
            ("l'ue", 0),
            ("et", 1),
            ("un", 2),
            ("ue", 3),
            ("un", 4),
            ("=un", 4),
            ("etat", 5),
        ];
        let want: Vec<(String, usize)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
        // `L’UE`: the stripped `UE` is an acronym too.
        let mut want = want;
        want.insert(1, ("=ue".to_string(), 0));
        assert_eq!(got, want);
    }

    #[test]
    fn headings_in_capitals_hold_no_acronym() {
        let marked = |text: &str| -> Vec<String> {
            tokens(&mut french_exact(), text)
                .into_iter()
                .filter(|t| t.text.starts_with(ACRONYM_MARK))
                .map(|t| t.text)
                .collect()
        };
        assert!(marked("DÉCLARATION CONJOINTE SUR UN ACCORD").is_empty());
        assert!(marked("PAR L'UN OU L'AUTRE DES PARENTS").is_empty());
        assert!(marked("J'AI APPRIS QU'IL A EU LIEU").is_empty());
        assert!(marked("WHO WE ARE AND WHAT WE DO").is_empty());
        assert_eq!(marked("L'ONU, l'OTAN et l'UE."), ["=onu", "=otan", "=ue"]);
        assert_eq!(marked("The UN adopted it. UN ACCORD"), ["=un"]);
    }

    #[test]
    fn acronym_terms_of_query_words() {
        assert_eq!(acronym_term("UE").as_deref(), Some("=ue"));
        assert_eq!(acronym_term("ÉTATS").as_deref(), Some("=etats"));
        assert_eq!(acronym_term("ue"), None);
    }
}
