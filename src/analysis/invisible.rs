//! Invisible format characters inside words.
//!
//! Typesetting and bidirectional-text controls that are written inside a
//! word without ending it: the soft hyphen U+00AD (HTML `&shy;`, which
//! official sites put in long words such as `cyber&shy;sécu&shy;rité`), the
//! zero-width non-joiner and joiner U+200C and U+200D, the left-to-right and
//! right-to-left marks U+200E and U+200F, the bidirectional embeddings,
//! overrides and isolates U+202A–U+202E and U+2066–U+2069, the word joiner
//! and invisible operators U+2060–U+2064, and U+FEFF (a byte order mark
//! left inside a text). The tokenizer ([`super::tokenizer`]) reads through
//! them, so a word they sit in stays one token whose offsets cover them,
//! and folding ([`super::fold`]) drops them, so `sécu\u{AD}rité` is indexed
//! and searched as `sécurité`. The zero-width space U+200B is not one of
//! them: it marks where a word may break, and separates words.

/// Whether `c` is an invisible format character that a word may hold
/// without ending (see the [module docs](self)).
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200C}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_hyphen_joiners_and_direction_marks_are_invisible() {
        for c in [
            '\u{AD}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{2066}',
            '\u{FEFF}',
        ] {
            assert!(is_invisible(c), "U+{:04X} should be read through", c as u32);
        }
    }

    #[test]
    fn spaces_hyphens_and_letters_are_not() {
        for c in [
            '\u{200B}', ' ', '\u{A0}', '\u{202F}', '-', '\u{2011}', 'é', 'a', '\'',
        ] {
            assert!(
                !is_invisible(c),
                "U+{:04X} is no invisible format character",
                c as u32
            );
        }
    }
}
