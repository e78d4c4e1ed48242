//! Typo correction on the cluster, by the local planner's rules
//! ([`crate::search::fuzzy`], `Planner::fuzzy` and `Planner::also_typo`):
//! - a top-level word that no paragraph holds — neither its folded form
//!   nor its French or English stem — is searched **instead** as the
//!   indexed words closest to it (the same first letter; one edit for
//!   words of 5 to 8 characters, two from 9 on, one edit first; the
//!   closest distance only, the 3 most frequent), with the local note
//!   (`no hits for securiti; showing securite`);
//! - a word whose folded form no paragraph holds but whose stem some do
//!   (`compromision` stems like `compromis`) is **also** searched as the
//!   words one edit away that have another stem and more paragraphs than
//!   its stem (`compromission`), with the local note (`… is not in the
//!   index as typed; also showing …`), unless the texts hold it in the
//!   other grammatical number, stemmed alike (`canon` beside `canons`
//!   is a word, not a misspelt `canot`).
//!
//! One request, sent with the search itself (`_msearch`), asks for every
//! such word how many paragraphs hold its folded form and each stem
//! (`filter` aggregations) and which indexed words are close to it (a
//! `term` suggester on `body_exact`, Damerau–Levenshtein, as the local
//! Levenshtein automaton with transpositions); the search is sent again,
//! with the corrected words ([`super::dsl::translate_corrected`]: each
//! close word searched as a word of its own, without synonyms), only when
//! a word is corrected.
//!
//! As locally, a word inside `OR`, under `NOT`, with a field, `*` or `~N`,
//! or that names a thesaurus entry (its synonyms answer), is never
//! corrected; an elided word (`l'ingérance`) is corrected as its
//! remainder. Unlike locally: a word found only in the other language's
//! paragraphs is not widened; a word in a quoted phrase is not corrected;
//! words longer than [`MAX_CHARS`] are not corrected (the suggester's cost
//! grows with the word); a close word's own paragraphs stand for its
//! stem's (the local planner counts the stem's, per language). The notes
//! name the close words as the text writes them, read from one paragraph
//! holding each ([`written_forms`], one more `_msearch` when a word is
//! corrected), as the local search does.

use serde_json::{json, Value};

use crate::analysis;
use crate::analysis::elision::elided_prefix_len;
use crate::search::fuzzy::{self, auto_distance, MIN_FUZZY_CHARS};
use crate::search::query::{self, Node, QueryNote};
use crate::search::synonym::{self, Expansion};
use crate::thesaurus::Thesaurus;

/// Longest word (in characters of its folded form) checked for a typo.
pub const MAX_CHARS: usize = 64;

/// Suggestions asked for one word: room for the closest distance.
const SUGGESTIONS: usize = 50;

/// A word of the query searched with, or instead of, close indexed words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// Byte offset of the word in the query.
    pub position: usize,
    /// The word as typed.
    pub typed: String,
    /// The folded indexed words searched, best first.
    pub words: Vec<String>,
    /// Whether the word as typed is searched too (its stem is indexed).
    pub also: bool,
    /// `words` as the text writes them, for the note ([`written_forms`]).
    pub shown: Vec<String>,
}

impl Correction {
    /// The note the local search prints for it.
    pub fn note(&self) -> QueryNote {
        QueryNote {
            position: Some(self.position),
            message: fuzzy::correction_note(&self.typed, &self.shown, self.also),
        }
    }

    /// The `--explain` line the local search prints for it.
    pub fn explain(&self) -> String {
        if self.also {
            format!(
                "{} → {} OR {} (possible typo)",
                self.typed,
                self.typed,
                self.words.join(" OR ")
            )
        } else {
            format!(
                "{} → {} (typo corrected)",
                self.typed,
                self.words.join(" OR ")
            )
        }
    }
}

/// A word that may be a typo: where it is, as typed, folded, and its
/// French and English stems; for a solid compound (`cybermalveillanse`),
/// those of the whole word, and the French and English stems of its parts.
#[derive(Debug, Clone)]
pub struct Suspect {
    position: usize,
    typed: String,
    folded: String,
    french: String,
    english: String,
    parts: Vec<(String, String)>,
    /// The spellings of the word in the other grammatical number
    /// ([`analysis::number::number_forms`]) that stem like it, in French
    /// and in English: a word the texts hold in the other number is no
    /// typo (as locally).
    other_number: (Vec<String>, Vec<String>),
}

/// The plain top-level words of `query_text` long enough to correct
/// (and not longer than [`MAX_CHARS`]) that name no entry of `thesaurus`,
/// each one word in every analysis (a compound's joined form, an elided
/// word's remainder).
pub fn suspects(query_text: &str, thesaurus: &Thesaurus) -> Vec<Suspect> {
    let parsed = query::parse(query_text);
    let top: Vec<&Node> = match &parsed.root {
        Some(Node::And(items)) => items.iter().collect(),
        Some(node) => vec![node],
        None => Vec::new(),
    };
    // A word that names a thesaurus entry is not a typo (as locally).
    let named: Vec<std::ops::Range<usize>> = synonym::find(thesaurus, &top)
        .into_iter()
        .filter_map(Expansion::without_related)
        .map(|e| e.items)
        .collect();
    // The whole word (a compound's joined form) and the parts.
    let whole = |mut analyzer: tantivy::tokenizer::TextAnalyzer, text: &str| {
        let mut tokens = analysis::tokens(&mut analyzer, text);
        // An elided form kept whole beside its remainder, and the acronym
        // term beside a word in capitals, are not the word.
        tokens.retain(|t| {
            elided_prefix_len(&t.text) == 0 && !t.text.starts_with(analysis::acronym::ACRONYM_MARK)
        });
        let word = match tokens.as_slice() {
            [t] => t.text.clone(),
            _ => tokens.iter().find(|t| t.position_length > 1)?.text.clone(),
        };
        let parts: Vec<String> = match tokens.as_slice() {
            [_] => Vec::new(),
            _ => tokens
                .iter()
                .filter(|t| t.position_length == 1)
                .map(|t| t.text.clone())
                .collect(),
        };
        Some((word, parts))
    };
    top.into_iter()
        .enumerate()
        .filter(|(at, _)| !named.iter().any(|r| r.contains(at)))
        .map(|(_, node)| node)
        .filter_map(|node| match node {
            Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none() => Some(t),
            _ => None,
        })
        .filter(|t| query_text[t.position..].starts_with(t.text.as_str()))
        // A compound written with a hyphen is its parts, as locally.
        .filter(|t| !analysis::compound::has_split_joiner(&t.text))
        .filter_map(|t| {
            let (folded, _) = whole(analysis::french_exact(), &t.text)?;
            if !(MIN_FUZZY_CHARS..=MAX_CHARS).contains(&folded.chars().count()) {
                return None;
            }
            let (french, french_parts) = whole(analysis::french(), &t.text)?;
            let (english, english_parts) = whole(analysis::english(), &t.text)?;
            if french_parts.len() != english_parts.len() {
                return None;
            }
            let other_number = (
                analysis::number::forms_stemmed_as(&folded, &mut analysis::french(), &french),
                analysis::number::forms_stemmed_as(&folded, &mut analysis::english(), &english),
            );
            Some(Suspect {
                position: t.position,
                typed: t.text.clone(),
                other_number,
                french,
                english,
                folded,
                parts: french_parts.into_iter().zip(english_parts).collect(),
            })
        })
        .collect()
}

/// A `filter` aggregation counting the paragraphs that hold any of
/// `terms` (`(field, term)`), in the field or its `_alt` companion
/// ([`super::mapping`]: a compound's joined form is there).
fn held(terms: &[(&str, &str)]) -> Value {
    let should: Vec<Value> = terms
        .iter()
        .flat_map(|(field, term)| {
            [
                json!({"term": {*field: term}}),
                json!({"term": {format!("{field}_alt"): term}}),
            ]
        })
        .collect();
    json!({"filter": {"bool": {"should": should}}})
}

/// The request (a `_search` body): per suspect `k`, aggregations `wk_exact`,
/// `wk_fr` and `wk_en` count the paragraphs holding its folded form and
/// its stems, and suggester `wk` lists the indexed words close to it.
pub fn request(suspects: &[Suspect]) -> Value {
    let mut aggs = serde_json::Map::new();
    let mut suggest = serde_json::Map::new();
    for (k, s) in suspects.iter().enumerate() {
        aggs.insert(format!("w{k}_exact"), held(&[("body_exact", &s.folded)]));
        aggs.insert(format!("w{k}_fr"), held(&[("body", &s.french)]));
        aggs.insert(format!("w{k}_en"), held(&[("body_en", &s.english)]));
        for (side, forms) in [("fr", &s.other_number.0), ("en", &s.other_number.1)] {
            // None: a `bool` of no clause would match every paragraph.
            if forms.is_empty() {
                continue;
            }
            let terms: Vec<(&str, &str)> =
                forms.iter().map(|f| ("body_exact", f.as_str())).collect();
            aggs.insert(format!("w{k}_num{side}"), held(&terms));
        }
        for (i, (fr, en)) in s.parts.iter().enumerate() {
            aggs.insert(format!("w{k}_p{i}"), held(&[("body", fr), ("body_en", en)]));
        }
        for (name, field) in [
            (format!("w{k}"), "body_exact"),
            (format!("w{k}_alt"), "body_exact_alt"),
        ] {
            suggest.insert(
                name,
                json!({"text": s.folded, "term": {
                    "field": field,
                    "suggest_mode": "always",
                    "max_edits": auto_distance(s.folded.chars().count()).clamp(1, 2),
                    "prefix_length": 1,
                    "min_word_length": MIN_FUZZY_CHARS,
                    "accuracy": 0.0,
                    "size": SUGGESTIONS,
                    "max_inspections": 10,
                    "string_distance": "damerau_levenshtein"
                }}),
            );
        }
    }
    json!({"size": 0, "track_total_hits": false, "aggs": aggs, "suggest": suggest})
}

/// The words of `options` (`(folded word, paragraphs holding it)`) within
/// 1 to `most` edits of `folded` (optimal string alignment, as the local
/// Levenshtein automaton with transpositions) and with its first letter,
/// best first ([`fuzzy::best_first`]).
fn close_words(folded: &str, options: &[(String, u64)], most: usize) -> Vec<fuzzy::Candidate> {
    let mut close: Vec<fuzzy::Candidate> = options
        .iter()
        .filter(|(w, freq)| *freq > 0 && w.chars().next() == folded.chars().next())
        .map(|(w, freq)| (strsim::osa_distance(folded, w), w, *freq))
        .filter(|(d, _, _)| (1..=most).contains(d))
        .map(|(d, w, freq)| fuzzy::Candidate {
            word: w.clone(),
            distance: u8::try_from(d).unwrap_or(u8::MAX),
            doc_freq: freq,
        })
        .collect();
    close.sort_by(fuzzy::best_first);
    close
}

/// The local choice among `options` (`(folded word, paragraphs holding
/// it)`) for the word `folded`: within [`auto_distance`] edits, the closest
/// distance only, most frequent first ([`fuzzy::closest`]).
pub fn choose(folded: &str, options: &[(String, u64)]) -> Vec<String> {
    let allowed = usize::from(auto_distance(folded.chars().count()));
    fuzzy::closest(close_words(folded, options, allowed), |c| c)
        .into_iter()
        .map(|c| c.word)
        .collect()
}

/// The local "also" choice for a word whose stem `stem_df` paragraphs
/// hold: the words one edit away held by more paragraphs, whose stem
/// (`stem_of`) is not the word's `stem`, best first; at most
/// [`fuzzy::MOST_CORRECTIONS`].
pub fn choose_also(
    folded: &str,
    (stem, stem_df): (&str, u64),
    options: &[(String, u64)],
    mut stem_of: impl FnMut(&str) -> Option<String>,
) -> Vec<String> {
    close_words(folded, options, 1)
        .into_iter()
        .filter(|c| c.doc_freq > stem_df)
        .filter(|c| stem_of(&c.word).is_some_and(|other| other != stem))
        .take(fuzzy::MOST_CORRECTIONS)
        .map(|c| c.word)
        .collect()
}

/// The corrections `answer` (to [`request`]) gives for `suspects`: the
/// words no paragraph holds, searched instead as their close words, and
/// the words held only through their stem, searched also as close words
/// that are more frequent (none for a word nothing is close to).
pub fn read(suspects: &[Suspect], answer: &Value) -> Vec<Correction> {
    let count = |k: usize, what: &str| {
        answer
            .pointer(&format!("/aggregations/w{k}_{what}/doc_count"))
            .and_then(Value::as_u64)
    };
    let mut out = Vec::new();
    for (k, s) in suspects.iter().enumerate() {
        let (Some(exact), Some(fr), Some(en)) = (count(k, "exact"), count(k, "fr"), count(k, "en"))
        else {
            continue;
        };
        // A solid compound whose parts are all indexed is read as its
        // parts (`cyberassurance` as `cyber assurance`), as locally.
        let parts_held = (0..s.parts.len()).all(|i| count(k, &format!("p{i}")).unwrap_or(1) > 0);
        if exact > 0 || (!s.parts.is_empty() && parts_held) {
            continue;
        }
        // Each word with the paragraphs holding it, in either field.
        let mut options: Vec<(String, u64)> = Vec::new();
        for name in [format!("w{k}"), format!("w{k}_alt")] {
            let found = answer
                .pointer(&format!("/suggest/{name}/0/options"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|o| Some((o["text"].as_str()?.to_string(), o["freq"].as_u64()?)));
            for (word, freq) in found {
                match options.iter_mut().find(|o| o.0 == word) {
                    Some(o) => o.1 += freq,
                    None => options.push((word, freq)),
                }
            }
        }
        let (words, also) = if fr == 0 && en == 0 {
            (choose(&s.folded, &options), false)
        } else {
            let mut words = Vec::new();
            let sides = [
                (
                    fr,
                    &s.french,
                    analysis::french as fn() -> tantivy::tokenizer::TextAnalyzer,
                    "numfr",
                ),
                (en, &s.english, analysis::english, "numen"),
            ];
            for (df, stem, analyzer, number) in sides {
                // Held in the other grammatical number: a word, not a typo.
                if df == 0 || count(k, number).unwrap_or(0) > 0 {
                    continue;
                }
                let mut a = analyzer();
                let stem_of = |w: &str| analysis::tokens(&mut a, w).first().map(|t| t.text.clone());
                for w in choose_also(&s.folded, (stem, df), &options, stem_of) {
                    if !words.contains(&w) {
                        words.push(w);
                    }
                }
            }
            (words, true)
        };
        if !words.is_empty() {
            out.push(Correction {
                position: s.position,
                typed: s.typed.clone(),
                shown: words.clone(),
                words,
                also,
            });
        }
    }
    out
}

/// The `_search` bodies that read, for each word of `corrections` in
/// order, one paragraph holding it (its text), so that notes name the word
/// as the text writes it (`rançongiciel`, not the folded `rancongiciel`),
/// as the local search does.
pub fn written_requests(corrections: &[Correction]) -> Vec<Value> {
    corrections
        .iter()
        .flat_map(|c| &c.words)
        .map(|w| {
            json!({"size": 1, "_source": ["text"], "query": {"bool": {"should": [
                {"term": {"body_exact": w}},
                {"term": {"body_exact_alt": w}}
            ]}}})
        })
        .collect()
}

/// Sets [`Correction::shown`] from the answers to [`written_requests`]:
/// the word's spelling in the paragraph found, lowercased unless written
/// in capitals (as the local planner's `written_form`); the folded word
/// where none is found.
pub fn written_forms(corrections: &mut [Correction], answers: &[Value]) {
    let mut answers = answers.iter();
    let mut exact = analysis::french_exact();
    for c in corrections {
        c.shown = c
            .words
            .iter()
            .map(|w| {
                let text = answers
                    .next()
                    .and_then(|a| a.pointer("/hits/hits/0/_source/text"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                analysis::tokens(&mut exact, text)
                    .into_iter()
                    .find(|t| &t.text == w)
                    .and_then(|t| text.get(t.offset_from..t.offset_to))
                    .map(|written| {
                        if written.chars().all(|ch| !ch.is_lowercase()) {
                            written.to_string()
                        } else {
                            written.to_lowercase()
                        }
                    })
                    .unwrap_or_else(|| w.clone())
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(words: &[(&str, u64)]) -> Vec<(String, u64)> {
        words.iter().map(|(w, f)| (w.to_string(), *f)).collect()
    }

    #[test]
    fn one_edit_first_most_frequent_first_three_at_most() {
        let o = opts(&[
            ("securite", 9),
            ("securites", 2),
            ("secouriste", 30),
            ("securitaire", 1),
        ]);
        // "securit" (7 characters): one edit gives securite (add e); the
        // others are two or more edits away.
        assert_eq!(choose("securit", &o), vec!["securite"]);
        let o = opts(&[("sanction", 4), ("sanctions", 9), ("sanctionne", 1)]);
        // "sanctiona" (9 characters, two edits allowed): sanction and
        // sanctions are one edit away; sanctionne is two and not kept.
        assert_eq!(choose("sanctiona", &o), vec!["sanctions", "sanction"]);
    }

    #[test]
    fn also_words_are_one_edit_away_more_frequent_and_of_another_stem() {
        // "compromision" is held through its stem "compromis" (3
        // paragraphs); "compromission" (5 paragraphs, stem "compromiss")
        // is searched too; "compromissions" is two edits away.
        let o = opts(&[
            ("compromission", 5),
            ("compromissions", 9),
            ("compromis", 30),
        ]);
        let stem = |w: &str| {
            Some(
                if w.starts_with("compromiss") {
                    "compromiss"
                } else {
                    "compromis"
                }
                .to_string(),
            )
        };
        assert_eq!(
            choose_also("compromision", ("compromis", 3), &o, stem),
            vec!["compromission"]
        );
        // Fewer paragraphs than the stem reading: not worth showing.
        assert!(choose_also("compromision", ("compromis", 6), &o, stem).is_empty());
        // The same stem is not another word.
        assert!(choose_also("compromision", ("compromiss", 3), &o, stem).is_empty());
    }

    #[test]
    fn two_edits_only_for_long_words_and_only_when_one_finds_nothing() {
        let o = opts(&[("cybersecurite", 4), ("cybersecurites", 2)]);
        assert_eq!(
            choose("cybresecurite", &o),
            vec!["cybersecurite"],
            "a transposition is one edit"
        );
        let o = opts(&[("otan", 5), ("otage", 3)]);
        assert!(choose("otagi", &o).contains(&"otage".to_string()));
        let o = opts(&[("securite", 5)]);
        assert!(
            choose("secirota", &o).is_empty(),
            "8 characters: one edit at most"
        );
    }

    #[test]
    fn the_first_letter_is_never_corrected() {
        let o = opts(&[("securite", 5)]);
        assert!(choose("zecurite", &o).is_empty());
    }

    #[test]
    fn ties_by_frequency_then_alphabet() {
        let o = opts(&[("chines", 2), ("chinea", 2), ("chinez", 7), ("chineb", 1)]);
        assert_eq!(choose("chinex", &o), vec!["chinez", "chinea", "chines"]);
    }

    #[test]
    fn only_plain_top_level_words_are_suspects() {
        let s: Vec<String> = suspects(
            "compromision title:compromision (otage OR chinex) -russie cyber* securiti~1 otan",
            &Thesaurus::empty(),
        )
        .into_iter()
        .map(|s| s.typed)
        .collect();
        assert_eq!(
            s,
            vec!["compromision"],
            "short, fielded, OR, NOT, prefix, fuzzy are left alone"
        );
    }

    #[test]
    fn an_elided_word_is_checked_as_its_remainder() {
        let s = suspects("l'ingérance", &Thesaurus::empty());
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].folded, "ingerance");
        assert_eq!(s[0].typed, "l'ingérance");
    }

    #[test]
    fn a_word_naming_a_thesaurus_entry_is_not_a_typo() {
        // `cyberdefence` is an entry of the default thesaurus (the English
        // name of cyberdéfense): its synonyms answer, as locally.
        let thesaurus = Thesaurus::with_default();
        assert!(suspects("cyberdefence", &thesaurus).is_empty());
        assert_eq!(suspects("cyberdefence", &Thesaurus::empty()).len(), 1);
    }

    #[test]
    fn a_word_held_in_the_other_number_is_not_also_corrected() {
        // `canon` is not indexed as typed, its stem is (through `canons`),
        // and `canot`, one edit away, of another stem, is more frequent.
        let s = suspects("canon", &Thesaurus::empty());
        assert_eq!(s.len(), 1);
        assert!(s[0].other_number.0.contains(&"canons".to_string()), "{s:?}");
        let answer = |plural: u64| {
            json!({
                "aggregations": {
                    "w0_exact": {"doc_count": 0},
                    "w0_fr": {"doc_count": 1},
                    "w0_en": {"doc_count": 0},
                    "w0_numfr": {"doc_count": plural},
                },
                "suggest": {"w0": [{"options": [{"text": "canot", "freq": 3}]}]}
            })
        };
        // Without `canons` in the index, `canot` is also searched …
        let without = read(&s, &answer(0));
        assert_eq!(without.len(), 1);
        assert_eq!(without[0].words, vec!["canot".to_string()]);
        // … with it, `canon` is a word of the texts, not a typo.
        assert!(read(&s, &answer(1)).is_empty());
    }

    #[test]
    fn very_long_words_are_not_checked() {
        let long = "a".repeat(MAX_CHARS + 1);
        assert!(suspects(&long, &Thesaurus::empty()).is_empty());
    }
}
