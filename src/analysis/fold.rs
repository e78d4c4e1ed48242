//! Accent and compatibility folding.
//!
//! [`FoldingFilter`] maps each token to a plain, caseless spelling so that
//! queries typed with or without accents meet the text:
//!
//! 1. Unicode compatibility decomposition (NFKD): `é` → `e` + U+0301,
//!    `1ᵉʳ` → `1er`, fullwidth `ＯＴＡＮ` → `OTAN`, `ﬁ` → `fi`;
//! 2. combining marks are dropped (accents, cedilla, diaeresis);
//! 3. letters with no decomposition are mapped by hand: `œ` → `oe`,
//!    `æ` → `ae`, `ß` → `ss`, `ø` → `o`, `đ` → `d`, `ł` → `l`, `ı` → `i`;
//! 4. apostrophes become `'`, every character is lowercased;
//! 5. invisible format characters ([`super::invisible`]: soft hyphen,
//!    zero-width joiners, direction marks) are dropped.
//!
//! Folding is idempotent (`fold(fold(x)) == fold(x)`). It runs *before*
//! stemming (fold-then-stem): the Snowball French stemmer gives `sécurité`
//! → `sécur` but `securite` → `securit`, so only folding first lets accented
//! and unaccented spellings reach the same term (see `ARCHITECTURE.md`).
//! Offsets are untouched: they still point at the original word.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::tokenizer::is_apostrophe;

/// Folds `text` into `out` (cleared first), as described in the module docs.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = latin(c) {
            out.push_str(folded);
        } else {
            fold_char(c, out);
        }
    }
}

/// The folded form of a Latin letter with diacritics (`é`, `Ç`, `œ`, the
/// Latin-1 Supplement and Latin Extended-A blocks, where French text has
/// all of its non-ASCII letters), from a table [`fold_char`] fills once:
/// the same result, without a decomposition per character. `None` above
/// those blocks.
#[inline]
fn latin(c: char) -> Option<&'static str> {
    const END: u32 = 0x180;
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let at = c as u32;
    if !(0x80..END).contains(&at) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (0x80..END)
            .map(|u| {
                let mut folded = String::new();
                if let Some(c) = char::from_u32(u) {
                    fold_char(c, &mut folded);
                }
                folded
            })
            .collect()
    });
    table.get((at - 0x80) as usize).map(String::as_str)
}

/// Appends the folded form of the non-ASCII character `c` to `out` (steps
/// 1 to 4 of the module docs).
fn fold_char(c: char, out: &mut String) {
    if super::invisible::is_invisible(c) {
        return;
    }
    if let Some(mapped) = special(c) {
        out.push_str(mapped);
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if let Some(mapped) = special(d) {
            out.push_str(mapped);
        } else {
            out.extend(d.to_lowercase());
        }
    });
}

/// Folds `text` into a new string (see [`fold_into`]).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Letters that NFKD does not decompose ([`super::letters`]), and
/// apostrophe variants.
fn special(c: char) -> Option<&'static str> {
    if is_apostrophe(c) {
        return Some("'");
    }
    super::letters::undecomposed(c)
}

/// Token filter applying [`fold_into`] to every token.
#[derive(Clone, Copy, Debug, Default)]
pub struct FoldingFilter;

impl TokenFilter for FoldingFilter {
    type Tokenizer<T: Tokenizer> = FoldingTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldingTokenizer<T> {
        FoldingTokenizer(tokenizer)
    }
}

/// [`Tokenizer`] wrapper produced by [`FoldingFilter`].
#[derive(Clone)]
pub struct FoldingTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for FoldingTokenizer<T> {
    type TokenStream<'a> = FoldingTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldingTokenStream {
            tail: self.0.token_stream(text),
            buffer: String::new(),
        }
    }
}

/// [`TokenStream`] produced by [`FoldingFilter`].
pub struct FoldingTokenStream<S> {
    tail: S,
    buffer: String,
}

impl<S: TokenStream> TokenStream for FoldingTokenStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token_mut();
            if token.text.is_ascii() {
                token.text.make_ascii_lowercase();
            } else {
                fold_into(&token.text, &mut self.buffer);
                std::mem::swap(&mut token.text, &mut self.buffer);
            }
            // A token that folds to nothing (only marks) is dropped.
            if !token.text.is_empty() {
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_ligatures_and_compat_forms() {
        assert_eq!(fold("SÉCURITÉ"), "securite");
        assert_eq!(fold("États"), "etats");
        assert_eq!(fold("ÉTATS"), "etats");
        assert_eq!(fold("œuvre"), "oeuvre");
        assert_eq!(fold("Cœur"), "coeur");
        assert_eq!(fold("Ægide"), "aegide");
        assert_eq!(fold("français"), "francais");
        assert_eq!(fold("maïs"), "mais");
        assert_eq!(fold("1ᵉʳ"), "1er");
        assert_eq!(fold("ＯＴＡＮ"), "otan");
        assert_eq!(fold("se\u{301}curite\u{301}"), "securite");
        assert_eq!(fold("aujourd’hui"), "aujourd'hui");
        assert_eq!(fold("ﬁn"), "fin");
    }

    #[test]
    fn every_french_letter_of_the_latin_table_folds_to_its_base_letter() {
        assert_eq!(
            fold("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ àâäçéèêëîïôöùûüÿœæ"),
            "aaaceeeeiioouuuyoeae aaaceeeeiioouuuyoeae"
        );
        // Other letters of the same blocks, and signs that are no letters.
        assert_eq!(fold("ñøßłĳ"), "nosslij");
        assert_eq!(fold("«»×°"), "«»×°");
    }

    #[test]
    fn invisible_format_characters_are_dropped() {
        assert_eq!(fold("Sécu\u{AD}rité"), "securite", "soft hyphen");
        assert_eq!(fold("cyber\u{200D}défense\u{200E}"), "cyberdefense");
        assert_eq!(fold("\u{FEFF}OTAN"), "otan");
    }

    #[test]
    fn idempotent_on_samples() {
        for s in ["Œuvre", "É.U", "ǅ", "İstanbul", "ﬃ", "ß", "Ⅻ"] {
            let once = fold(s);
            assert_eq!(fold(&once), once, "{s}");
        }
    }
}
