//! Typo tolerance: indexed words within a small edit distance of a word.
//!
//! Candidates come from the folded, unstemmed `body_exact` term dictionary,
//! among the words that share the first character,
//! walked with a Levenshtein automaton (transpositions count as one edit,
//! as in Tantivy's `FuzzyTermQuery` and Meilisearch). The allowed distance
//! follows Meilisearch's rule of thumb, in characters of the folded word:
//! none below [`MIN_FUZZY_CHARS`], 1 up to 8, 2 from 9 on.

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
    let distance = distance.min(2);
    // Building the automaton builder is costly (tens of milliseconds for
    // distance 2); build each once per process, as Tantivy does.
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let builder = BUILDERS[usize::from(distance)]
        .get_or_init(|| LevenshteinAutomatonBuilder::new(distance, true));
    let mut found: HashMap<String, (u8, u64)> = HashMap::new();
    let dfa = Dfa(builder.build_dfa(word));
    // Only words with the same first character (a typo on the first letter
    // is rare, and Meilisearch counts it double): one subtree of the term
    // dictionary instead of all of it.
    let range = first_char_range(word);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let search = inverted.terms().search(&dfa);
        let search = match &range {
            Some((lo, hi)) => search.ge(lo).lt(hi),
            None => search,
        };
        let Ok(mut stream) = search.into_stream() else {
            continue;
        };
        let eval = &dfa.0;
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let d = match eval.eval(key) {
                Distance::Exact(d) => d,
                Distance::AtLeast(_) => continue,
            };
            let entry = found.entry(key.to_string()).or_insert((d, 0));
            entry.1 += u64::from(stream.value().doc_freq);
        }
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
    fn distance_grows_with_length() {
        assert_eq!(auto_distance(4), 0);
        assert_eq!(auto_distance(5), 1);
        assert_eq!(auto_distance(8), 1);
        assert_eq!(auto_distance(12), 2);
    }
}
