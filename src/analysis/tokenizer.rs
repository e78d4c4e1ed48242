//! Word segmentation for French statement text.
//!
//! [`WordTokenizer`] cuts text into word tokens. A word is a run of word
//! characters (alphanumeric characters and Unicode combining marks, so that
//! decomposed NFD input such as `se\u{301}curite\u{301}` stays one word),
//! possibly glued by *joiners* that sit between two word characters:
//!
//! - apostrophes `'` `’` `ʼ` `‘` `＇` (elision, `aujourd'hui`);
//! - hyphens `-` U+2010 U+2011 U+FF0D (compounds, `cyber-défense`);
//! - a full stop (acronyms `O.T.A.N`, numbers `10.5`);
//! - a comma between two digits (decimal comma `2,5`).
//!
//! Invisible format characters (soft hyphen, zero-width joiners, direction
//! marks: [`super::invisible`]) are read through: inside a word they are
//! part of its token, which folding then cleans.
//!
//! Everything else separates words, including every kind of space
//! (U+00A0 and U+202F before French punctuation and inside numbers), so
//! `10 000` is two tokens. Token text is the exact source slice: offsets are
//! UTF-8 byte offsets into the text given to [`Tokenizer::token_stream`], and
//! later filters ([`super::elision`], [`super::compound`]) rely on
//! `token.text == text[offset_from..offset_to]` until folding.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use super::invisible::is_invisible;

/// Splits text into word tokens as described in the [module docs](self).
#[derive(Clone, Copy, Debug, Default)]
pub struct WordTokenizer;

/// Token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next word starts.
    cursor: usize,
    /// Position of the next word (kept apart from `token`, which later
    /// filters may rewrite in place).
    next_position: usize,
    token: Token,
}

/// Whether `c` can be part of a word: alphanumeric or a combining mark.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if (c as u32) < LATIN_END {
        latin_word_char(c)
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// End of the Latin-1 Supplement and Latin Extended-A blocks, where French
/// text has all of its non-ASCII letters.
const LATIN_END: u32 = 0x180;

/// [`is_word_char`] for a non-ASCII character below [`LATIN_END`], from a
/// table the general rule fills once (Unicode's alphanumeric property is a
/// binary search per character).
fn latin_word_char(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..LATIN_END)
            .map(|u| char::from_u32(u).is_some_and(|c| c.is_alphanumeric() || is_combining_mark(c)))
            .collect()
    });
    table.get(c as usize).copied().unwrap_or(false)
}

/// Apostrophes treated as `'`: ASCII, right single quotation mark U+2019,
/// modifier letter apostrophe U+02BC, left single quotation mark U+2018 and
/// fullwidth apostrophe U+FF07.
#[inline]
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{2018}' | '\u{FF07}')
}

/// Hyphens that join compound words: ASCII hyphen-minus, U+2010 hyphen,
/// U+2011 non-breaking hyphen and U+FF0D fullwidth hyphen-minus.
#[inline]
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{FF0D}')
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            cursor: 0,
            next_position: 0,
            token: Token::default(),
        }
    }
}

impl WordTokenStream<'_> {
    /// Returns the byte range of the next word at or after `self.cursor`.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        let rest = &text[self.cursor..];
        let (rel_start, _) = rest.char_indices().find(|&(_, c)| is_word_char(c))?;
        let start = self.cursor + rel_start;
        let mut end = start;
        let mut prev: Option<char> = None;
        let mut iter = text[start..].char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if is_word_char(c) {
                end = start + i + c.len_utf8();
                prev = Some(c);
                continue;
            }
            // Read through: inside the word if a word character follows.
            if is_invisible(c) {
                continue;
            }
            // A joiner is kept only between two word characters.
            let next = iter.peek().map(|&(_, n)| n);
            let joins = match (prev, next) {
                (Some(p), Some(n)) if is_word_char(n) => {
                    is_apostrophe(c)
                        || is_hyphen(c)
                        || c == '.'
                        || (c == ',' && p.is_numeric() && n.is_numeric())
                }
                _ => false,
            };
            if !joins {
                break;
            }
            prev = Some(c);
        }
        self.cursor = end;
        Some((start, end))
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        // A run of combining marks alone (no letter or digit) is no word.
        let (start, end) = loop {
            let Some((start, end)) = self.next_word() else {
                return false;
            };
            if self.text[start..end]
                .chars()
                .any(|c| c.is_alphanumeric() && !is_combining_mark(c))
            {
                break (start, end);
            }
        };
        self.token.position = self.next_position;
        self.next_position += 1;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = WordTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            assert_eq!(t.text, &text[t.offset_from..t.offset_to]);
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.0).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        assert_eq!(
            texts("Participerez-vous à l’exercice\u{202F}? Oui\u{A0}!"),
            ["Participerez-vous", "à", "l’exercice", "Oui"]
        );
        assert_eq!(texts("« Paix »,  guerre;"), ["Paix", "guerre"]);
    }

    #[test]
    fn positions_and_offsets() {
        let w = words("La sécurité");
        assert_eq!(w[0], ("La".into(), 0, 0, 2));
        assert_eq!(w[1], ("sécurité".into(), 1, 3, 13));
    }

    #[test]
    fn keeps_joiners_between_word_chars_only() {
        assert_eq!(
            texts("l'OTAN l’Alliance aujourd'hui"),
            ["l'OTAN", "l’Alliance", "aujourd'hui"]
        );
        assert_eq!(texts("cyber-défense -- euro-"), ["cyber-défense", "euro"]);
        assert_eq!(texts("L’O.T.A.N. a dit."), ["L’O.T.A.N", "a", "dit"]);
        assert_eq!(
            texts("2,5 % et 10 000, puis a,b"),
            ["2,5", "et", "10", "000", "puis", "a", "b"]
        );
        assert_eq!(texts("'guillemets'"), ["guillemets"]);
    }

    #[test]
    fn invisible_characters_inside_a_word_do_not_split_it() {
        // `sécu&shy;rité`, a zero-width joiner, a word joiner, a
        // left-to-right mark: one word each, offsets over the whole source.
        let text = "La sécu\u{AD}rité, cyber\u{200D}défense et O\u{2060}TAN\u{200E} ici";
        let words = words(text);
        let found: Vec<&str> = words.iter().map(|w| w.0.as_str()).collect();
        assert_eq!(
            found,
            [
                "La",
                "sécu\u{AD}rité",
                "cyber\u{200D}défense",
                "et",
                "O\u{2060}TAN",
                "ici"
            ]
        );
        let (_, _, from, to) = &words[1];
        assert_eq!(&text[*from..*to], "sécu\u{AD}rité");
        // Alone or at a word's edge they are no word and join nothing.
        assert_eq!(texts("\u{AD} a\u{AD} \u{200E}b"), ["a", "b"]);
        // The zero-width space still separates.
        assert_eq!(texts("sécu\u{200B}rité"), ["sécu", "rité"]);
    }

    #[test]
    fn decomposed_accents_stay_in_the_word() {
        assert_eq!(
            texts("se\u{301}curite\u{301} de\u{301}fense"),
            ["se\u{301}curite\u{301}", "de\u{301}fense"]
        );
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert!(texts("").is_empty());
        assert!(texts("\u{1A55} \u{301}").is_empty());
        assert!(texts(" ... -- ’ ").is_empty());
    }
}
