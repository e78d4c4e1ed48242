//! Highlights: where in the paragraph the query matched, as byte ranges.
//!
//! The paragraph is re-analysed with the same French analysis the index
//! used, so every token carries its byte offsets into the stored (original)
//! text, whatever elision, folding and stemming did to it. A token is
//! marked when its stem or its folded form is one the query searched for;
//! a phrase marks only the tokens of its actual occurrences, not every
//! occurrence of its words. Overlapping ranges (a compound's joined form
//! and its parts) are merged, so `cyber-défense` is one range.
//!
//! Paragraphs longer than [`MAX_HIGHLIGHT_BYTES`] are highlighted only in
//! their first [`MAX_HIGHLIGHT_BYTES`] bytes (they are still indexed whole).

use rustc_hash::{FxHashMap, FxHashSet};

use rust_stemmers::{Algorithm, Stemmer};

use crate::analysis::{
    self,
    stem::{stem, stem_english},
};

/// Highlighting looks at most at this many bytes of a paragraph.
pub const MAX_HIGHLIGHT_BYTES: usize = 1 << 20;

/// The first two characters of a word (the whole word when shorter).
fn head(word: &str) -> &str {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    &word[..end]
}

/// A phrase to find, in stemmed terms, with offsets relative to its first
/// term (as built for the phrase query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseSpec {
    /// `(relative position, stem)` pairs, first at 0.
    pub terms: Vec<(usize, String)>,
    /// Allowed extra distance between consecutive terms.
    pub slop: u32,
}

/// What to mark in a paragraph.
#[derive(Debug, Clone, Default)]
pub struct HighlightSpec {
    /// Stems are Snowball English ones (for English statements), not French.
    pub english: bool,
    /// Stemmed terms (as in the `body` field).
    pub stems: FxHashSet<String>,
    /// Folded, unstemmed terms (as in the `body_exact` field).
    pub exact: FxHashSet<String>,
    /// Phrases.
    pub phrases: Vec<PhraseSpec>,
    /// Phrases of the parts of a compound the user typed as one word
    /// (`cyber-défense`); where they match a compound of the text, the
    /// compound is shown whole.
    pub compound_phrases: Vec<PhraseSpec>,
    /// Stems of the parts of a compound the user typed as one word, which
    /// also match on their own (`risque cyber` for `cyber-risques`); inside
    /// a compound of the text that is marked whole, they merge into it.
    pub part_stems: FxHashSet<String>,
}

impl HighlightSpec {
    /// Whether nothing would ever be marked.
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
            && self.exact.is_empty()
            && self.phrases.is_empty()
            && self.compound_phrases.is_empty()
            && self.part_stems.is_empty()
    }

    /// Byte ranges `[start, end)` of the matched words in `text`, sorted,
    /// non-overlapping and not touching (two matches side by side, the
    /// parts `cyber` and `menaces` of `cybermenaces`, are one range), each
    /// on UTF-8 character boundaries.
    ///
    /// One pass over the analysed text keeps, per token, only its offsets,
    /// positions and what it matched ([`Tok`]): no token text is copied,
    /// and only tokens starting like a searched stem are stemmed.
    pub fn ranges(&self, text: &str) -> Vec<[usize; 2]> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut limit = text.len().min(MAX_HIGHLIGHT_BYTES);
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let (tokens, by_term) = self.read(&text[..limit]);
        let mut marked: Vec<bool> = tokens.iter().map(|t| t.term).collect();
        let mut by_compound = vec![false; tokens.len()];
        if !by_term.is_empty() {
            for phrase in &self.phrases {
                mark_phrase(phrase, &tokens, &by_term, &mut marked);
            }
            for phrase in &self.compound_phrases {
                mark_phrase(phrase, &tokens, &by_term, &mut by_compound);
            }
        }
        show_compounds_or_parts(&tokens, &mut marked);
        for ((m, c), t) in marked.iter_mut().zip(&by_compound).zip(&tokens) {
            *m |= *c || (t.position_length == 1 && t.part);
        }
        let mut ranges: Vec<[usize; 2]> = tokens
            .iter()
            .zip(&marked)
            .filter(|(_, &m)| m)
            .map(|(t, _)| [t.from, t.to])
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// Analyses `text` once: its tokens, and for each stem the phrases
    /// search (keyed as in [`PhraseSpec::terms`]), its tokens in position
    /// order (for the binary searches of [`mark_phrase`]).
    fn read<'s>(&'s self, text: &str) -> (Vec<Tok>, FxHashMap<&'s str, Vec<usize>>) {
        let phrase_terms: FxHashSet<&str> = self
            .phrases
            .iter()
            .chain(&self.compound_phrases)
            .flat_map(|p| p.terms.iter().map(|t| t.1.as_str()))
            .collect();
        // Only tokens that start like some searched stem can have it as
        // their stem (Snowball only rewrites endings): skip the others.
        let heads: FxHashSet<&str> = self
            .stems
            .iter()
            .chain(&self.part_stems)
            .map(String::as_str)
            .chain(phrase_terms.iter().copied())
            .map(head)
            .collect();
        let english = Stemmer::create(Algorithm::English);
        let french = Stemmer::create(Algorithm::French);
        let mut by_term: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut tokens = Vec::new();
        let mut analyzer = analysis::french_exact();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            let mut tok = Tok {
                from: t.offset_from,
                to: t.offset_to,
                position: t.position,
                position_length: t.position_length,
                term: self.exact.contains(t.text.as_str()),
                part: false,
            };
            if heads.contains(head(&t.text)) {
                let stemmed = if self.english {
                    stem_english(&english, &t.text)
                } else {
                    stem(&french, &t.text)
                };
                tok.term |= self.stems.contains(stemmed.as_ref());
                tok.part = self.part_stems.contains(stemmed.as_ref());
                if let Some(&key) = phrase_terms.get(stemmed.as_ref()) {
                    by_term.entry(key).or_default().push(tokens.len());
                }
            }
            tokens.push(tok);
        }
        for list in by_term.values_mut() {
            list.sort_by_key(|&i| tokens[i].position);
        }
        (tokens, by_term)
    }
}

/// What highlighting keeps of one token: where it is and what it matched.
#[derive(Debug, Clone, Copy)]
struct Tok {
    /// Byte offsets in the text.
    from: usize,
    to: usize,
    position: usize,
    position_length: usize,
    /// Its stem is a searched stem, or its folded form a searched form.
    term: bool,
    /// Its stem is one of [`HighlightSpec::part_stems`].
    part: bool,
}

/// A compound whose parts are all marked as free words shows its parts
/// (the user typed them apart: `cyber défense`); otherwise, marked as a
/// whole, it shows whole. `marked` holds the free words' and phrases'
/// marks.
fn show_compounds_or_parts(tokens: &[Tok], marked: &mut [bool]) {
    let marked_before = marked.to_vec();
    // The tokens in position order, to find a compound's parts by binary
    // search: a paragraph of 90,000 compounds took 27 s when each compound
    // scanned every token.
    let mut by_position: Vec<usize> = (0..tokens.len()).collect();
    by_position.sort_by_key(|&k| tokens[k].position);
    for (i, t) in tokens.iter().enumerate() {
        if marked[i] && t.position_length > 1 {
            let span = t.position..t.position + t.position_length;
            let lo = by_position.partition_point(|&k| tokens[k].position < span.start);
            let hi = by_position.partition_point(|&k| tokens[k].position < span.end);
            let within = &by_position[lo..hi];
            // Parts marked as free words, or by a phrase (a phrase shows
            // its words: `"défense sol-air"` marks sol, air). A solid word
            // (`cyberdéfense`) is never cut in pieces.
            let parts: Vec<&Tok> = within
                .iter()
                .map(|&k| &tokens[k])
                .filter(|p| p.position_length == 1)
                .collect();
            let solid = parts.windows(2).all(|w| w[0].to == w[1].from);
            let parts_marked = within.iter().all(|&k| {
                tokens[k].position_length > 1 || tokens[k].term || (marked_before[k] && !solid)
            });
            if parts_marked {
                marked[i] = false;
            }
        }
    }
}

/// Marks the tokens of `phrase`'s occurrences; `by_term` gives, per
/// stem, its tokens in position order.
fn mark_phrase(
    phrase: &PhraseSpec,
    tokens: &[Tok],
    by_term: &FxHashMap<&str, Vec<usize>>,
    marked: &mut [bool],
) {
    let Some((_, first)) = phrase.terms.first() else {
        return;
    };
    let Some(starts) = by_term.get(first.as_str()) else {
        return;
    };
    'start: for &s in starts {
        let base = tokens[s].position;
        let mut found = vec![s];
        let mut shift = 0usize;
        for (off, term) in &phrase.terms[1..] {
            let want = base + off + shift;
            let Some(cands) = by_term.get(term.as_str()) else {
                continue 'start;
            };
            // With slop, the words may also come in another order (as
            // Tantivy's sloppy phrases match them): any occurrence
            // within reach of the first word counts.
            let reach = phrase.slop as usize + off;
            // Only the candidates within reach are looked at (they are
            // in position order): a paragraph repeating a phrase's
            // words 90,000 times was quadratic.
            let (lowest, highest) = if phrase.slop > 0 {
                (
                    base.saturating_sub(reach),
                    (want + phrase.slop as usize).max(base + reach),
                )
            } else {
                (want, want)
            };
            let from = cands.partition_point(|&c| tokens[c].position < lowest);
            let hit = cands[from..]
                .iter()
                .copied()
                .take_while(|&c| tokens[c].position <= highest)
                .find(|&c| {
                    let p = tokens[c].position;
                    (p >= want && p <= want + phrase.slop as usize)
                        || (phrase.slop > 0 && p != base && p.abs_diff(base) <= reach)
                });
            match hit {
                Some(c) => {
                    shift += tokens[c].position.saturating_sub(want);
                    found.push(c);
                }
                None => continue 'start,
            }
        }
        for i in found {
            marked[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(stems: &[&str]) -> HighlightSpec {
        HighlightSpec {
            stems: stems.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    fn marked<'a>(text: &'a str, s: &HighlightSpec) -> Vec<&'a str> {
        s.ranges(text).iter().map(|r| &text[r[0]..r[1]]).collect()
    }

    #[test]
    fn marks_original_words_through_folding_and_elision() {
        let s = spec(&["securit", "allianc"]);
        assert_eq!(
            marked("La SÉCURITÉ de l’Alliance et les sécurités.", &s),
            ["SÉCURITÉ", "Alliance", "sécurités"]
        );
        let nfd = "la se\u{301}curite\u{301}";
        assert_eq!(marked(nfd, &s), ["se\u{301}curite\u{301}"]);
    }

    #[test]
    fn compound_is_one_range() {
        let s = spec(&["cyberdefens"]);
        assert_eq!(marked("La cyber-défense est", &s), ["cyber-défense"]);
    }

    #[test]
    fn matched_parts_side_by_side_are_one_range() {
        // "menaces cyber" finds the compound `cybermenaces` through its
        // parts: one mark over the word, not two touching ones.
        let s = HighlightSpec {
            part_stems: ["cyb", "menac"].iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let text = "Les cybermenaces croissent.";
        assert_eq!(s.ranges(text), [[4, 16]], "{:?}", marked(text, &s));
    }

    #[test]
    fn phrase_marks_only_its_occurrences() {
        let s = HighlightSpec {
            phrases: vec![PhraseSpec {
                terms: vec![(0, "soutien".into()), (1, "a".into()), (2, "ukrain".into())],
                slop: 0,
            }],
            ..Default::default()
        };
        assert_eq!(
            marked(
                "Le soutien à l’Ukraine. Le soutien de l’Ukraine à tous.",
                &s
            ),
            ["soutien", "à", "Ukraine"]
        );
    }

    #[test]
    fn near_phrase_marks_its_words_in_either_order() {
        // "Chine populaire"~6 matches "République populaire de Chine".
        let s = HighlightSpec {
            phrases: vec![PhraseSpec {
                terms: vec![(0, "chin".into()), (1, "populair".into())],
                slop: 6,
            }],
            ..Default::default()
        };
        assert_eq!(
            marked(
                "la République populaire de Chine, puis bien plus loin dans le long texte, la Chine",
                &s
            ),
            ["populaire", "Chine"]
        );
        // Without slop the order stays required.
        let exact = HighlightSpec {
            phrases: vec![PhraseSpec {
                terms: vec![(0, "chin".into()), (1, "populair".into())],
                slop: 0,
            }],
            ..Default::default()
        };
        assert!(marked("la République populaire de Chine", &exact).is_empty());
    }
}
