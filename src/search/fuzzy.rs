//! Typo tolerance: indexed words within a small edit distance of a word.
//!
//! Candidates come from the folded, unstemmed `body_exact` term dictionary,
//! among the words that share the first character,
//! walked with a Levenshtein automaton (transpositions count as one edit,
//! as in Tantivy's `FuzzyTermQuery` and Meilisearch). The allowed distance
//! follows Meilisearch's rule of thumb, in characters of the folded word:
//! none below [`MIN_FUZZY_CHARS`], 1 up to 8, 2 from 9 on.
//!
//! One edit is walked with `levenshtein_automata`'s compiled DFA (cheap to
//! build, a table lookup per byte). Two edits are walked with [`Edits`],
//! which computes the edit distance row by row as the dictionary is walked,
//! in a band of `2 × distance + 1` cells (Ukkonen's cut-off): the DFA for a
//! nine-letter word at distance 2 costs more to build (0.44 M instructions,
//! and 3 M once per process for its builder) than the walk it serves, and
//! a misspelt or absent long word paid for it on every search.

use std::collections::HashMap;
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy::schema::Field;
use tantivy::Searcher;
use tantivy_fst::Automaton;

/// Shortest folded word (in characters) that is ever corrected.
pub const MIN_FUZZY_CHARS: usize = 5;

/// Most candidates returned for one word.
pub const MAX_CANDIDATES: usize = 50;

/// Most close words a word not in the index is searched as (its typo
/// correction, or the words also shown for it).
pub const MOST_CORRECTIONS: usize = 3;

/// The note of a typo correction: `typed` searched as `shown` (the close
/// words as the text writes them), instead of it or, with `also`, beside
/// it. The local planner and the cluster search print the same.
pub fn correction_note(typed: &str, shown: &[String], also: bool) -> String {
    if also {
        format!(
            "{typed} is not in the index as typed; also showing {}",
            shown.join(", ")
        )
    } else {
        format!("no hits for {typed}; showing {}", shown.join(", "))
    }
}

/// Whether `message` is a [`correction_note`] with `also`: close words
/// searched beside the word as typed.
pub fn is_also_note(message: &str) -> bool {
    message.contains(" is not in the index as typed; also showing ")
}

/// The note of a capitalised word whose close words are all common words:
/// `typed` is taken for a name and not corrected into `shown`.
pub fn name_refusal_note(typed: &str, shown: &[String]) -> String {
    format!(
        "no hits for {typed}; {NAME_REFUSAL} (type {} if that is what you meant)",
        shown.join(" or ")
    )
}

/// What [`name_refusal_note`] says after the word.
const NAME_REFUSAL: &str = "a name is not corrected into a common word";

/// Drops from `notes` the refusals ([`name_refusal_note`]) of a word that
/// another language's plan corrected (a note at the same query position
/// saying `no hits for WORD; showing …`): `Chiine` is shown as `Chine` in
/// French, so the English plan's refusal to read it as `chaîne` would only
/// contradict the hits.
pub fn drop_answered_refusals(notes: &mut Vec<super::QueryNote>) {
    let typed = |message: &str| -> Option<String> {
        let rest = message.strip_prefix("no hits for ")?;
        Some(rest[..rest.find("; ")?].to_string())
    };
    let corrected: Vec<(Option<usize>, String)> = notes
        .iter()
        .filter_map(|n| {
            let word = typed(&n.message)?;
            corrected_as(&n.message, &word).map(|_| (n.position, word))
        })
        .collect();
    notes.retain(|n| {
        !(n.message.contains(NAME_REFUSAL)
            && typed(&n.message).is_some_and(|w| corrected.contains(&(n.position, w))))
    });
}

/// The words `typed` was searched as, when `note` is the note of its
/// correction ([`correction_note`] without `also`): `"compromission"` for
/// `no hits for compromision; showing compromission`.
pub fn corrected_as<'a>(note: &'a str, typed: &str) -> Option<&'a str> {
    note.strip_prefix("no hits for ")?
        .strip_prefix(typed)?
        .strip_prefix("; showing ")
}

/// Orders candidates best first: smaller distance, then more frequent,
/// then alphabetical.
pub fn best_first(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    a.distance
        .cmp(&b.distance)
        .then(b.doc_freq.cmp(&a.doc_freq))
        .then_with(|| a.word.cmp(&b.word))
}

/// The corrections among `found` (best first, as [`best_first`]; `of`
/// gives each one's [`Candidate`]): the closest distance only, at most
/// [`MOST_CORRECTIONS`].
pub fn closest<T>(mut found: Vec<T>, of: impl Fn(&T) -> &Candidate) -> Vec<T> {
    if let Some(best) = found.first().map(|c| of(c).distance) {
        found.retain(|c| of(c).distance == best);
    }
    found.truncate(MOST_CORRECTIONS);
    found
}

/// Default edit distance for a folded word of `chars` characters.
pub fn auto_distance(chars: usize) -> u8 {
    match chars {
        0..MIN_FUZZY_CHARS => 0,
        MIN_FUZZY_CHARS..=8 => 1,
        _ => 2,
    }
}

/// Most edits [`Edits`] allows.
pub const MAX_EDITS: u8 = 2;

/// Cells of a band row: `2 × MAX_EDITS + 1`.
const BAND: usize = 2 * MAX_EDITS as usize + 1;

/// A Levenshtein automaton with transpositions (optimal string alignment:
/// a swap of two neighbouring characters is one edit), by characters, for
/// one word and at most [`MAX_EDITS`] edits, evaluated lazily: its state is
/// the band of the dynamic-programming row for the characters read so far.
#[derive(Debug, Clone)]
pub struct Edits {
    word: Vec<char>,
    max: u8,
}

/// The state of [`Edits`] after some bytes of a candidate: the distances
/// from the candidate's first `depth` characters to the word's prefixes
/// `depth − max ..= depth + max` (`row`, capped at `max + 1`), the row
/// before (for transpositions), the last character read, and the UTF-8
/// sequence being decoded (`partial`, `pending` bytes still to come).
#[derive(Debug, Clone, Copy)]
pub struct EditsState {
    depth: u32,
    row: [u8; BAND],
    before: [u8; BAND],
    last: char,
    partial: u32,
    pending: u8,
}

impl Edits {
    /// The automaton of the words within `max` edits of `word` (by
    /// characters); `max` is capped at [`MAX_EDITS`].
    pub fn new(word: &str, max: u8) -> Edits {
        Edits {
            word: word.chars().collect(),
            max: max.min(MAX_EDITS),
        }
    }

    fn width(&self) -> usize {
        2 * usize::from(self.max) + 1
    }

    /// The state after one more character `c` of the candidate: band
    /// cell `b` of depth `i` holds the distance to the word's first
    /// `i + b − max` characters.
    fn step(&self, state: &EditsState, c: char) -> EditsState {
        let over = self.max + 1;
        let depth = state.depth + 1;
        let first = i64::from(depth) - i64::from(self.max);
        let mut row = [over; BAND];
        let mut left = over;
        for (b, slot) in row.iter_mut().enumerate().take(self.width()) {
            let j = first + b as i64;
            let cell = match usize::try_from(j) {
                Ok(0) => u8::try_from(depth).unwrap_or(over).min(over),
                Ok(j) if j <= self.word.len() => {
                    let at = self.word[j - 1];
                    let mut best = (state.row[b] + u8::from(at != c))
                        .min(state.row.get(b + 1).map_or(over, |d| d + 1))
                        .min(left + 1);
                    // A swap: `c` is the word's character before `at`,
                    // and the last one read is `at` (the row before is
                    // all `over` at depth 1).
                    if j >= 2 && at == state.last && self.word[j - 2] == c {
                        best = best.min(state.before[b] + 1);
                    }
                    best.min(over)
                }
                _ => over,
            };
            *slot = cell;
            left = cell;
        }
        EditsState {
            depth,
            row,
            before: state.row,
            last: c,
            partial: 0,
            pending: 0,
        }
    }

    /// The edit distance of the candidate read into `state`, if within the
    /// automaton's `max`.
    pub fn distance(&self, state: &EditsState) -> Option<u8> {
        if state.pending > 0 {
            return None;
        }
        let b = self.word.len() as i64 - i64::from(state.depth) + i64::from(self.max);
        let b = usize::try_from(b).ok().filter(|&b| b < self.width())?;
        Some(state.row[b]).filter(|&d| d <= self.max)
    }

    /// The edit distance of `candidate` to the word, if within `max`.
    pub fn eval(&self, candidate: &str) -> Option<u8> {
        let state = candidate
            .chars()
            .fold(self.start(), |state, c| self.step(&state, c));
        self.distance(&state)
    }
}

impl Automaton for Edits {
    type State = EditsState;

    fn start(&self) -> EditsState {
        let over = self.max + 1;
        let mut row = [over; BAND];
        // Depth 0: the distance to the word's first `j` characters is `j`.
        for (b, cell) in row.iter_mut().enumerate().take(self.width()) {
            let j = b as i64 - i64::from(self.max);
            if (0..=self.word.len() as i64).contains(&j) {
                *cell = u8::try_from(j).unwrap_or(over).min(over);
            }
        }
        EditsState {
            depth: 0,
            row,
            before: [over; BAND],
            last: '\0',
            partial: 0,
            pending: 0,
        }
    }

    fn is_match(&self, state: &EditsState) -> bool {
        self.distance(state).is_some()
    }

    fn can_match(&self, state: &EditsState) -> bool {
        state.row[..self.width()].iter().any(|&d| d <= self.max)
    }

    /// One byte of the candidate: a UTF-8 sequence is decoded across
    /// calls and steps the row once complete (a stray byte counts as
    /// U+FFFD).
    fn accept(&self, state: &EditsState, byte: u8) -> EditsState {
        let (partial, pending) = if state.pending > 0 {
            (
                (state.partial << 6) | u32::from(byte & 0x3F),
                state.pending - 1,
            )
        } else {
            match byte {
                0x00..=0x7F => (u32::from(byte), 0),
                0xC0..=0xDF => (u32::from(byte & 0x1F), 1),
                0xE0..=0xEF => (u32::from(byte & 0x0F), 2),
                0xF0..=0xF7 => (u32::from(byte & 0x07), 3),
                _ => (u32::from(char::REPLACEMENT_CHARACTER), 0),
            }
        };
        if pending > 0 {
            return EditsState {
                partial,
                pending,
                ..*state
            };
        }
        let c = char::from_u32(partial).unwrap_or(char::REPLACEMENT_CHARACTER);
        self.step(state, c)
    }
}

/// An indexed word close to the one asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The folded indexed word.
    pub word: String,
    /// Edit distance to the asked word (0 = the word itself).
    pub distance: u8,
    /// Number of paragraphs containing it (summed over segments).
    pub doc_freq: u64,
}

/// Indexed words of `field` within `distance` edits of `word` (folded),
/// best first: smaller distance, then more frequent, then alphabetical;
/// at most [`MAX_CANDIDATES`].
pub fn candidates(searcher: &Searcher, field: Field, word: &str, distance: u8) -> Vec<Candidate> {
    let mut found: HashMap<String, (u8, u64)> = HashMap::new();
    if distance <= 1 {
        // One edit: the compiled DFA, cheap to build for this distance
        // and a table lookup per byte of the walk.
        static BUILDER: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
        let builder = BUILDER.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true));
        let dfa = Dfa(builder.build_dfa(word));
        walk(searcher, field, word, &dfa, &mut found, |key| {
            match dfa.0.eval(key) {
                Distance::Exact(d) if d <= distance => Some(d),
                _ => None,
            }
        });
    } else {
        let edits = Edits::new(word, distance);
        walk(searcher, field, word, &edits, &mut found, |key| {
            edits.eval(key)
        });
    }
    let mut out: Vec<Candidate> = found
        .into_iter()
        .map(|(word, (distance, doc_freq))| Candidate {
            word,
            distance,
            doc_freq,
        })
        .collect();
    out.sort_by(best_first);
    out.truncate(MAX_CANDIDATES);
    out
}

/// Adds to `found` (word → distance, paragraphs) the words of `field` that
/// `automaton` accepts among those sharing `word`'s first character, with
/// their distance by `distance`, in every segment.
fn walk<A: Automaton<State: Clone>>(
    searcher: &Searcher,
    field: Field,
    word: &str,
    automaton: &A,
    found: &mut HashMap<String, (u8, u64)>,
    distance: impl Fn(&str) -> Option<u8>,
) {
    // Only words with the same first character (a typo on the first letter
    // is rare, and Meilisearch counts it double): one subtree of the term
    // dictionary instead of all of it.
    let range = first_char_range(word);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let search = inverted.terms().search(automaton);
        let search = match &range {
            Some((lo, hi)) => search.ge(lo).lt(hi),
            None => search,
        };
        let Ok(mut stream) = search.into_stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let Some(d) = distance(key) else {
                continue;
            };
            let entry = found.entry(key.to_string()).or_insert((d, 0));
            entry.1 += u64::from(stream.value().doc_freq);
        }
    }
}

/// `levenshtein_automata`'s DFA as an FST automaton.
struct Dfa(DFA);

impl Automaton for Dfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Byte range `[lo, hi)` of the words starting with `word`'s first
/// character.
fn first_char_range(word: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let c = word.chars().next()?;
    let lo = c.to_string().into_bytes();
    let mut hi = lo.clone();
    let last = hi.last_mut()?;
    *last = last.checked_add(1)?;
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_also_note_is_told_from_a_correction() {
        let shown = ["défense".to_string()];
        assert!(is_also_note(&correction_note("defence", &shown, true)));
        assert!(!is_also_note(&correction_note("defence", &shown, false)));
    }

    #[test]
    fn a_correction_note_gives_back_the_words_searched() {
        let note = correction_note("compromision", &["compromission".to_string()], false);
        assert_eq!(corrected_as(&note, "compromision"), Some("compromission"));
        assert_eq!(corrected_as(&note, "compromis"), None);
        let also = correction_note("Corée", &["créé".to_string()], true);
        assert_eq!(
            corrected_as(&also, "Corée"),
            None,
            "not a correction: {also}"
        );
    }

    #[test]
    fn a_refusal_beside_a_correction_of_the_same_word_is_dropped() {
        let note = |position, message: String| super::super::QueryNote {
            position: Some(position),
            message,
        };
        let shown = ["chaîne".to_string()];
        let mut notes = vec![
            note(0, correction_note("Chiine", &["chine".to_string()], false)),
            note(0, name_refusal_note("Chiine", &shown)),
            note(7, name_refusal_note("Chaiine", &shown)),
        ];
        drop_answered_refusals(&mut notes);
        let kept: Vec<_> = notes.iter().map(|n| n.position).collect();
        assert_eq!(kept, [Some(0), Some(7)], "{notes:?}");
        assert!(notes[0].message.contains("showing chine"));
        assert!(
            notes[1].message.contains("not corrected"),
            "no correction at 7"
        );
    }

    #[test]
    fn distance_grows_with_length() {
        assert_eq!(auto_distance(4), 0);
        assert_eq!(auto_distance(5), 1);
        assert_eq!(auto_distance(8), 1);
        assert_eq!(auto_distance(12), 2);
    }

    use proptest::prelude::*;

    /// The state of `edits` after the bytes of `text`, and whether every
    /// state on the way could still match.
    fn walk(edits: &Edits, text: &str) -> (EditsState, bool) {
        let mut state = edits.start();
        let mut alive = edits.can_match(&state);
        for byte in text.bytes() {
            state = edits.accept(&state, byte);
            alive &= edits.can_match(&state);
        }
        (state, alive)
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit_and_accents_are_characters() {
        let edits = Edits::new("sécurité", 2);
        assert_eq!(edits.eval("sécurité"), Some(0));
        assert_eq!(edits.eval("sécuirté"), Some(1), "ri swapped");
        assert_eq!(edits.eval("securite"), Some(2), "two é as e");
        assert_eq!(edits.eval("securit"), Some(2), "é as e, last é dropped");
        assert_eq!(edits.eval("securi"), None, "three edits");
        let (state, _) = walk(&edits, "sécuirté");
        assert!(
            edits.is_match(&state),
            "read byte by byte, é is one character"
        );
        let (state, _) = walk(&edits, "sé");
        assert!(!edits.is_match(&state));
        assert!(edits.can_match(&state));
        let (_, alive) = walk(&edits, "zzzz");
        assert!(!alive, "four different letters cannot lead to a match");
    }

    fn word() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(vec!['a', 'b', 'c', 'é']), 0..10)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The distance is the optimal string alignment distance (strsim's)
        /// where it is within `max`, and nothing beyond; the walk never
        /// gives up on a candidate that matches.
        #[test]
        fn edits_agree_with_the_optimal_string_alignment_distance(
            typed in word(), candidate in word(), max in 0u8..=2,
        ) {
            let edits = Edits::new(&typed, max);
            let osa = strsim::osa_distance(&typed, &candidate);
            let expected = u8::try_from(osa).ok().filter(|&d| d <= max);
            prop_assert_eq!(edits.eval(&candidate), expected);
            let (state, alive) = walk(&edits, &candidate);
            prop_assert_eq!(edits.distance(&state), expected);
            if expected.is_some() {
                prop_assert!(alive, "pruned on the way to a match");
            }
        }

        /// The same words as the DFA of `levenshtein_automata` (with
        /// transpositions), which walks one edit.
        #[test]
        fn edits_accept_what_the_levenshtein_dfa_accepts(
            typed in word(), candidate in word(), max in 1u8..=2,
        ) {
            let dfa = levenshtein_automata::LevenshteinAutomatonBuilder::new(max, true)
                .build_dfa(&typed);
            let expected = match dfa.eval(&candidate) {
                levenshtein_automata::Distance::Exact(d) => Some(d),
                levenshtein_automata::Distance::AtLeast(_) => None,
            };
            prop_assert_eq!(Edits::new(&typed, max).eval(&candidate), expected);
        }
    }
}
