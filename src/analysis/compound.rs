//! Compounds, acronyms and numbers: what to do with words glued by `-` or `.`.
//!
//! [`CompoundFilter`] looks at tokens that contain joiners (see
//! [`super::tokenizer`]) and decides, from the shape of the parts:
//!
//! - **numbers** (`2,5`, `10.5`, `1.2.3`: digits joined by `.` or `,`) stay
//!   one token;
//! - **dotted acronyms** (`O.T.A.N`, `U.E`: single letters joined by `.`)
//!   become one token without the dots (`OTAN`, `UE`), so they meet the solid
//!   spelling; a mix such as `J.-M` is not an acronym;
//! - **compounds** (`cyber-défense`, `état-major`, `Jean-Marc`) give each
//!   part at consecutive positions *and* the joined form (`cyberdéfense`) at
//!   the first part's position, with `position_length` set to the number of
//!   parts, as PostgreSQL's `hword` + `hword_part` and Lucene's
//!   `WordDelimiterGraphFilter` do. So `cyber-défense` is found by
//!   `cyberdéfense`, `cyber défense` and `défense`, and phrase queries over
//!   the parts still line up. Other dotted words (`L.1234`) are split into
//!   parts without a joined form.
//!
//! Solid compounds with a known prefix ([`SOLID_PREFIXES`]: `cyberdéfense`,
//! `cybersécurité`) are split the same way.
//!
//! Parts that start with an elided article (`Saint-Jean-d’Acre`) lose it as
//! in [`super::elision`]. Positions of later tokens shift by the number of
//! extra parts, so positions stay strictly ordered.

use std::collections::VecDeque;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use super::elision::elided_prefix_len;
use super::invisible::is_invisible;
use super::tokenizer::is_hyphen;

/// Largest number of parts for which the joined form of a compound is
/// emitted; longer hyphen chains only give their parts.
pub const MAX_JOINED_PARTS: usize = 6;

/// Token filter splitting compounds and joining acronyms (see module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct CompoundFilter;

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundTokenizer<T> {
        CompoundTokenizer(tokenizer)
    }
}

/// [`Tokenizer`] wrapper produced by [`CompoundFilter`].
#[derive(Clone)]
pub struct CompoundTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundTokenStream {
            tail: self.0.token_stream(text),
            pending: VecDeque::new(),
            current: Token::default(),
            passthrough: false,
            shift: 0,
        }
    }
}

/// [`TokenStream`] produced by [`CompoundFilter`].
pub struct CompoundTokenStream<S> {
    tail: S,
    pending: VecDeque<Token>,
    current: Token,
    /// The tail's token is the current one (no joiner, nothing to expand).
    passthrough: bool,
    /// Extra positions introduced so far by split compounds.
    shift: usize,
}

fn is_split_joiner(c: char) -> bool {
    c == '.' || c == ',' || is_hyphen(c)
}

/// Whether `text` contains a hyphen, full stop or comma: a compound, an
/// acronym or a number, which this filter splits or joins.
pub fn has_split_joiner(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| matches!(b, b'-' | b'.' | b','))
    } else {
        text.chars().any(is_split_joiner)
    }
}

fn is_single_letter(part: &str) -> bool {
    let mut base = part.chars().filter(|&c| !is_combining_mark(c));
    matches!((base.next(), base.next()), (Some(c), None) if c.is_alphabetic())
}

fn is_number(part: &str) -> bool {
    part.chars().all(char::is_numeric)
}

/// What a token with joiners becomes; parts are `(start, end)` byte ranges
/// relative to the token text.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Number,
    Acronym(Vec<(usize, usize)>),
    Compound {
        parts: Vec<(usize, usize)>,
        joined: bool,
    },
}

fn shape(text: &str) -> Shape {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut only_dots = true;
    let mut has_hyphen = false;
    let mut number_joiners = true;
    for (i, c) in text.char_indices() {
        if is_split_joiner(c) {
            parts.push((start, i));
            start = i + c.len_utf8();
            only_dots &= c == '.';
            number_joiners &= c == '.' || c == ',';
            has_hyphen |= is_hyphen(c);
        }
    }
    parts.push((start, text.len()));
    if number_joiners && parts.iter().all(|&(s, e)| is_number(&text[s..e])) {
        Shape::Number
    } else if only_dots && parts.iter().all(|&(s, e)| is_single_letter(&text[s..e])) {
        Shape::Acronym(parts)
    } else {
        let joined = has_hyphen && parts.len() <= MAX_JOINED_PARTS;
        Shape::Compound { parts, joined }
    }
}

/// Prefixes that form solid compounds whose second part is a word of its
/// own (`cyberdéfense` = `cyber` + `défense`). Such words are split like
/// `cyber-défense`, so `défense` and `cyber défense` find them too. Kept
/// short on purpose: a prefix belongs here only if nearly every word it
/// starts is such a compound (`euro` is not: `européen`).
pub const SOLID_PREFIXES: &[&str] = &["cyber"];

/// Shortest second part (in characters) for a solid compound split.
pub const MIN_SOLID_PART_CHARS: usize = 4;

/// Byte length of a [`SOLID_PREFIXES`] prefix of `text`, if the rest is a
/// plausible word.
fn solid_prefix_len(text: &str) -> Option<usize> {
    SOLID_PREFIXES.iter().find_map(|p| {
        let head = text.get(..p.len())?;
        let rest = &text[p.len()..];
        (head.eq_ignore_ascii_case(p)
            && rest.chars().filter(|c| c.is_alphabetic()).count() >= MIN_SOLID_PART_CHARS
            && rest
                .chars()
                .find(|&c| !is_invisible(c))
                .is_some_and(char::is_alphabetic))
        .then_some(p.len())
    })
}

impl<S: TokenStream> CompoundTokenStream<S> {
    fn expand(&mut self) {
        let token = self.tail.token();
        let position = token.position.wrapping_add(self.shift);
        if let (false, Some(cut)) = (has_split_joiner(&token.text), solid_prefix_len(&token.text)) {
            let (base, end) = (token.offset_from, token.offset_to);
            self.pending.push_back(Token {
                offset_from: base,
                offset_to: end,
                position,
                text: token.text.clone(),
                position_length: 2,
            });
            for (k, (s, e)) in [(0, cut), (cut, token.text.len())].into_iter().enumerate() {
                self.pending.push_back(Token {
                    offset_from: base + s,
                    offset_to: base + e,
                    position: position + k,
                    text: token.text[s..e].to_string(),
                    position_length: 1,
                });
            }
            self.shift += 1;
            if let Some(first) = self.pending.pop_front() {
                self.current = first;
            }
            return;
        }
        if !has_split_joiner(&token.text) {
            self.current.clone_from(token);
            self.current.position = position;
            return;
        }
        let text = token.text.as_str();
        let base = token.offset_from;
        match shape(text) {
            Shape::Number => {
                self.current.clone_from(token);
                self.current.position = position;
            }
            Shape::Acronym(parts) => {
                self.current.clone_from(token);
                self.current.position = position;
                self.current.text = parts.iter().map(|&(s, e)| &text[s..e]).collect();
            }
            Shape::Compound { parts, joined } => {
                let n = parts.len();
                if joined {
                    self.pending.push_back(Token {
                        offset_from: token.offset_from,
                        offset_to: token.offset_to,
                        position,
                        text: parts.iter().map(|&(s, e)| &text[s..e]).collect(),
                        position_length: n,
                    });
                }
                for (k, &(s, e)) in parts.iter().enumerate() {
                    let cut = elided_prefix_len(&text[s..e]);
                    self.pending.push_back(Token {
                        offset_from: base + s + cut,
                        offset_to: base + e,
                        position: position + k,
                        text: text[s + cut..e].to_string(),
                        position_length: 1,
                    });
                }
                self.shift += n - 1;
                if let Some(first) = self.pending.pop_front() {
                    self.current = first;
                }
            }
        }
    }
}

impl<S: TokenStream> TokenStream for CompoundTokenStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            self.current = next;
            self.passthrough = false;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        // Most words have no joiner: hand them on without copying.
        let token = self.tail.token();
        if !has_split_joiner(&token.text) && solid_prefix_len(&token.text).is_none() {
            let shift = self.shift;
            let token = self.tail.token_mut();
            token.position = token.position.wrapping_add(shift);
            self.passthrough = true;
            return true;
        }
        self.passthrough = false;
        self.expand();
        true
    }

    fn token(&self) -> &Token {
        if self.passthrough {
            self.tail.token()
        } else {
            &self.current
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.passthrough {
            self.tail.token_mut()
        } else {
            &mut self.current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::elision::ElisionFilter;
    use crate::analysis::tokenizer::WordTokenizer;
    use tantivy::tokenizer::TextAnalyzer;

    /// (text, position, position_length, source slice)
    fn run(text: &str) -> Vec<(String, usize, usize, String)> {
        let mut analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(ElisionFilter)
            .filter(CompoundFilter)
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((
                t.text.clone(),
                t.position,
                t.position_length,
                text[t.offset_from..t.offset_to].to_string(),
            ));
        }
        out
    }

    fn tuple(t: &str, p: usize, l: usize, s: &str) -> (String, usize, usize, String) {
        (t.to_string(), p, l, s.to_string())
    }

    #[test]
    fn compound_gives_joined_form_and_parts() {
        assert_eq!(
            run("La cyber-défense est"),
            [
                tuple("La", 0, 1, "La"),
                tuple("cyberdéfense", 1, 2, "cyber-défense"),
                tuple("cyber", 1, 1, "cyber"),
                tuple("défense", 2, 1, "défense"),
                tuple("est", 3, 1, "est"),
            ]
        );
    }

    #[test]
    fn elided_compound_and_parts() {
        let got = run("l’état-major de Saint-Jean-d’Acre");
        let texts: Vec<_> = got.iter().map(|t| (t.0.as_str(), t.1)).collect();
        assert_eq!(
            texts,
            [
                ("étatmajor", 0),
                ("état", 0),
                ("major", 1),
                ("de", 2),
                ("SaintJeand’Acre", 3),
                ("Saint", 3),
                ("Jean", 4),
                ("Acre", 5),
            ]
        );
    }

    #[test]
    fn solid_cyber_compounds_split_like_hyphenated_ones() {
        assert_eq!(
            run("La cyberdéfense est"),
            [
                tuple("La", 0, 1, "La"),
                tuple("cyberdéfense", 1, 2, "cyberdéfense"),
                tuple("cyber", 1, 1, "cyber"),
                tuple("défense", 2, 1, "défense"),
                tuple("est", 3, 1, "est"),
            ]
        );
        // Too short a second part, or no prefix: untouched.
        assert_eq!(
            run("cyber cybers"),
            [
                tuple("cyber", 0, 1, "cyber"),
                tuple("cybers", 1, 1, "cybers")
            ]
        );
        assert_eq!(run("Cybersécurité").len(), 3);
    }

    #[test]
    fn a_soft_hyphen_after_the_prefix_still_splits_the_compound() {
        // `cyber&shy;sécurité`: the part starts after the invisible soft
        // hyphen, which folding drops later.
        let parts: Vec<String> = run("La cyber\u{AD}sécurité est")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(
            parts,
            [
                "La",
                "cyber\u{AD}sécurité",
                "cyber",
                "\u{AD}sécurité",
                "est"
            ]
        );
    }

    #[test]
    fn dotted_acronyms_join() {
        assert_eq!(run("L’O.T.A.N.")[0], tuple("OTAN", 0, 1, "O.T.A.N"));
        assert_eq!(run("U.E")[0], tuple("UE", 0, 1, "U.E"));
        // Not an acronym: initials followed by a hyphen, or a long part.
        assert_eq!(run("L.1234").len(), 2);
    }

    #[test]
    fn numbers_stay_whole() {
        assert_eq!(run("2,5 %"), [tuple("2,5", 0, 1, "2,5")]);
        assert_eq!(run("1.2.3"), [tuple("1.2.3", 0, 1, "1.2.3")]);
    }

    #[test]
    fn shape_rules() {
        assert_eq!(shape("10,5"), Shape::Number);
        assert!(matches!(shape("É.U"), Shape::Acronym(_)));
        assert!(matches!(
            shape("euro-atlantique"),
            Shape::Compound { joined: true, .. }
        ));
        assert!(matches!(
            shape("fin.Début"),
            Shape::Compound { joined: false, .. }
        ));
    }
}
