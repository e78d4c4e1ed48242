//! Which runs of query words name a thesaurus entry, and what else they
//! search (issue 11).
//!
//! A run is one quoted phrase, or consecutive free words (longest first,
//! left to right, never overlapping): `Nations unies`, `droits de
//! l'homme`, `ONU`. Its key ([`crate::thesaurus::key`]) is looked up in the
//! [`Thesaurus`]; an ambiguous entry (`UN`, `EU`) counts only when typed
//! exactly as written. The run's [`Expansion`] lists the other entries of
//! the group as [`Target`]s; the planner searches each as a phrase,
//! weighted below the words as typed ([`SYNONYM_WEIGHT`]).

use std::ops::Range;

use crate::analysis::{acronym::acronym_term, stopwords::is_stop_word};
use crate::thesaurus::{self, EntryRef, Thesaurus};

use super::query::Node;

/// Weight of a match through a synonym, relative to the words as typed:
/// a paragraph with what the analyst typed ranks first, all else equal.
pub const SYNONYM_WEIGHT: f32 = 0.8;

/// Weight of a match through a related concept ([`Group::related`]:
/// `protection des données` for `vie privée`), relative to the words as
/// typed: below a synonym, which names the same thing.
///
/// [`Group::related`]: crate::thesaurus::Group::related
pub const RELATED_WEIGHT: f32 = 0.5;

/// Most entries one run searches besides itself (the largest group of
/// the default thesaurus has 15; a user's file can hold many groups with
/// one key).
pub const MAX_TARGETS: usize = 64;

/// Most query words after the longest key that a run may hold (function
/// words the keys leave out: `droits de l'homme`).
const RUN_SLACK: usize = 4;

/// What a run also searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An entry, searched as a phrase through the analysis
    /// (`Nations unies`, `OTAN`).
    Words(String),
    /// An ambiguous entry written in capitals, searched only where the text
    /// has it in capitals: `written` (`UN`) and its `body_exact` acronym
    /// term (`=un`, see [`crate::analysis::acronym`]).
    Acronym {
        /// The entry as written.
        written: String,
        /// Its acronym term.
        term: String,
    },
}

impl Target {
    /// The entry as written.
    pub fn text(&self) -> &str {
        match self {
            Target::Words(t) => t,
            Target::Acronym { written, .. } => written,
        }
    }
}

/// A run of query items that names a thesaurus entry.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// The top-level items it covers.
    pub items: Range<usize>,
    /// The run as typed.
    pub typed: String,
    /// The entries it names (one per group that has its key).
    pub entries: Vec<EntryRef>,
    /// What it also searches, in file order, without repeats: first the
    /// synonyms, then from `related` on the related concepts (weighted
    /// [`RELATED_WEIGHT`] instead of [`SYNONYM_WEIGHT`]).
    pub targets: Vec<Target>,
    /// Where the related concepts start in `targets`.
    pub related: usize,
    /// The groups the related concepts were read from (one entry of each).
    pub related_groups: Vec<EntryRef>,
}

impl Expansion {
    /// This expansion without its related concepts (for `--all-words`, a
    /// loosened phrase, the cluster search); `None` when nothing is left
    /// to search.
    pub fn without_related(mut self) -> Option<Expansion> {
        self.targets.truncate(self.related);
        self.related_groups.clear();
        (!self.targets.is_empty()).then_some(self)
    }

    /// One line for `--explain`: the run, its targets, and where each group
    /// was read (`ONU → also "Nations unies" OR UN (synonyms:
    /// thesaurus/default.txt:27, source: official names …)`).
    pub fn explain(&self, thesaurus: &Thesaurus) -> String {
        let show = |t: &Target| match t {
            Target::Words(w) => format!("\"{w}\""),
            Target::Acronym { written, .. } => format!("{written} (in capitals)"),
        };
        let mut targets: Vec<String> = self.targets[..self.related].iter().map(show).collect();
        if self.related < self.targets.len() {
            let related: Vec<String> = self.targets[self.related..].iter().map(show).collect();
            targets.push(format!(
                "related, weighted {RELATED_WEIGHT}: {}",
                related.join(" OR ")
            ));
        }
        let origin = |&e: &EntryRef| {
            let group = thesaurus.group(e);
            match &group.source {
                Some(source) => format!(
                    "{}:{}, source: {source}",
                    group.origin.file, group.origin.line
                ),
                None => format!("{}:{}", group.origin.file, group.origin.line),
            }
        };
        let origins: Vec<String> = self.entries.iter().map(origin).collect();
        let mut line = format!(
            "{} → also {} (synonyms: {}",
            self.typed,
            targets.join(" OR "),
            origins.join("; ")
        );
        if self.related < self.targets.len() {
            let related: Vec<String> = self.related_groups.iter().map(origin).collect();
            line.push_str(&format!("; related: {}", related.join("; ")));
        }
        line.push(')');
        line
    }
}

/// The text of a plain free word.
fn word(node: &Node) -> Option<&str> {
    match node {
        Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none() => Some(&t.text),
        _ => None,
    }
}

/// The text of an exact phrase (no field, no slop).
fn phrase(node: &Node) -> Option<&str> {
    match node {
        Node::Phrase {
            text,
            slop: 0,
            field: None,
            ..
        } => Some(text),
        _ => None,
    }
}

/// The entries named by `typed` (a run's text), honouring ambiguity.
fn named(thesaurus: &Thesaurus, typed: &str, key: &[String]) -> Vec<EntryRef> {
    let written: String = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut named: Vec<EntryRef> = Vec::new();
    let mut groups = rustc_hash::FxHashSet::default();
    for at in thesaurus.lookup(key) {
        let entry = thesaurus.entry(at);
        // One entry per group (`cyberattaque` and `cyber-attaque` meet).
        if (!entry.ambiguous || entry.text == written) && groups.insert(at.0) {
            named.push(at);
        }
    }
    named
}

/// The expansion of the run `items` typed as `typed`, if it names entries
/// with something else to search.
///
/// A quoted phrase asks for its wording: its synonyms are searched, its
/// related concepts are not (`quoted`).
fn expansion(
    thesaurus: &Thesaurus,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    items: Range<usize>,
    (typed, quoted): (&str, bool),
) -> Option<Expansion> {
    let key = thesaurus::key(analyzer, typed);
    if key.is_empty() || key.len() > thesaurus.longest_key() {
        return None;
    }
    let entries = named(thesaurus, typed, &key);
    let mut targets: Vec<Target> = Vec::new();
    // Spellings of the words typed (`cyber défense`, `cyber-défense`,
    // `cyberdéfense`) are found by the analysis already: they meet here
    // once their terms are run together.
    let mut seen = rustc_hash::FxHashSet::default();
    seen.insert(key.concat());
    let mut push = |entry: &crate::thesaurus::Entry, targets: &mut Vec<Target>| {
        let k = thesaurus::key(analyzer, &entry.text).concat();
        if targets.len() >= MAX_TARGETS || seen.contains(&k) {
            return;
        }
        let target = if entry.ambiguous {
            match acronym_term(&entry.text) {
                Some(term) => Target::Acronym {
                    written: entry.text.clone(),
                    term,
                },
                None => return,
            }
        } else {
            Target::Words(entry.text.clone())
        };
        seen.insert(k);
        targets.push(target);
    };
    for &at in &entries {
        for entry in thesaurus.targets(at) {
            push(&entry, &mut targets);
        }
    }
    let related = targets.len();
    let mut related_groups = Vec::new();
    for &at in entries.iter().filter(|_| !quoted) {
        for g in thesaurus.related_groups(at) {
            let before = targets.len();
            for entry in thesaurus.group((g, 0)).entries.iter() {
                push(entry, &mut targets);
            }
            if targets.len() > before {
                related_groups.push((g, 0));
            }
        }
    }
    (!targets.is_empty()).then(|| Expansion {
        items,
        typed: typed.to_string(),
        entries,
        targets,
        related,
        related_groups,
    })
}

/// The runs of `items` (the top-level items of a query, in order) that
/// name thesaurus entries: longest first, left to right, not overlapping.
pub fn find(thesaurus: &Thesaurus, items: &[&Node]) -> Vec<Expansion> {
    let mut found = Vec::new();
    if thesaurus.is_empty() {
        return found;
    }
    let mut analyzer = thesaurus::key_analyzer();
    let longest = thesaurus.longest_key() + RUN_SLACK;
    let mut i = 0;
    while i < items.len() {
        if let Some(text) = phrase(items[i]) {
            found.extend(expansion(thesaurus, &mut analyzer, i..i + 1, (text, true)));
            i += 1;
            continue;
        }
        let words: Vec<&str> = items[i..]
            .iter()
            .take(longest)
            .map_while(|n| word(n))
            .collect();
        let mut next = i + 1;
        // A longer run starts and ends on words that count.
        let function: Vec<bool> = words
            .iter()
            .map(|w| {
                thesaurus::key(&mut analyzer, w)
                    .iter()
                    .all(|t| is_stop_word(t))
            })
            .collect();
        for len in (1..=words.len()).rev() {
            if len > 1 && (function[0] || function[len - 1]) {
                continue;
            }
            let typed = words[..len].join(" ");
            if let Some(e) = expansion(thesaurus, &mut analyzer, i..i + len, (&typed, false)) {
                found.push(e);
                next = i + len;
                break;
            }
        }
        i = next;
    }
    found
}

/// The expansion of one free word or exact phrase on its own (inside `OR`,
/// parentheses or `NOT`), if it names an entry.
pub fn of_node(thesaurus: &Thesaurus, node: &Node) -> Option<Expansion> {
    let (text, quoted) = match word(node) {
        Some(w) => (w, false),
        None => (phrase(node)?, true),
    };
    if thesaurus.is_empty() {
        return None;
    }
    expansion(
        thesaurus,
        &mut thesaurus::key_analyzer(),
        0..1,
        (text, quoted),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;
    use crate::thesaurus::parse::parse as parse_synonyms;

    fn thesaurus() -> Thesaurus {
        let mut t = Thesaurus::empty();
        t.extend(
            parse_synonyms(
                "# ambiguous: UN\nONU, Nations unies, UN, United Nations\n\
                 droits de l'homme, droits humains, human rights\n\
                 ransomware => rançongiciel",
                "t.txt",
            )
            .expect("valid"),
        );
        t
    }

    fn runs(query: &str) -> Vec<(Range<usize>, Vec<String>)> {
        let parsed = parse(query);
        let root = parsed.root.expect("a query");
        let items: Vec<&Node> = match &root {
            Node::And(items) => items.iter().collect(),
            other => vec![other],
        };
        find(&thesaurus(), &items)
            .into_iter()
            .map(|e| {
                (
                    e.items,
                    e.targets.iter().map(|t| t.text().to_string()).collect(),
                )
            })
            .collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_multi_word_run_is_found_among_other_words() {
        assert_eq!(
            runs("respect des Droits de l’Homme en ligne"),
            [(2..5, strings(&["droits humains", "human rights"]))]
        );
    }

    #[test]
    fn an_acronym_expands_to_names_and_capitals_only() {
        assert_eq!(
            runs("onu"),
            [(0..1, strings(&["Nations unies", "UN", "United Nations"]))]
        );
        let e = find(&thesaurus(), &[&parse("onu").root.expect("q")]);
        assert!(matches!(&e[0].targets[1], Target::Acronym { term, .. } if term == "=un"));
    }

    #[test]
    fn an_ambiguous_entry_counts_only_as_written() {
        assert_eq!(runs("un accord").len(), 0);
        assert_eq!(runs("Un accord").len(), 0);
        assert_eq!(
            runs("UN accord"),
            [(0..1, strings(&["ONU", "Nations unies", "United Nations"]))]
        );
    }

    #[test]
    fn one_way_rules_go_one_way_and_phrases_count_whole() {
        assert_eq!(runs("ransomware"), [(0..1, strings(&["rançongiciel"]))]);
        assert!(runs("rançongiciel").is_empty());
        assert_eq!(
            runs("\"nations unies\""),
            [(0..1, strings(&["ONU", "UN", "United Nations"]))]
        );
        // A phrase with slop, a prefix or a field is not an entry.
        assert!(runs("\"nations unies\"~2").is_empty());
        assert!(runs("onu*").is_empty());
        assert!(runs("title:onu").is_empty());
    }
}
