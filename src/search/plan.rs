//! Query planning: turns a parsed [`Node`] tree into a Tantivy query, the
//! highlight specification and a readable account of how each word was
//! understood.
//!
//! Each free word goes through the same French analysis as the index:
//! - one term: must match the stemmed `body` field; a match of the folded,
//!   unstemmed form in `body_exact` adds to the score, so `armes` ranks
//!   paragraphs saying `armes` above those saying `armées`; the same word
//!   in the other grammatical number earns it too (`arme`, `hôpitaux` for
//!   `hôpital`: [`crate::analysis::number`]);
//! - a compound (`cyber-défense`): its joined form OR the phrase of its
//!   parts; two adjacent words (`cyber défense`) also match their joined
//!   form (`cyberdéfense`) when the index has it;
//! - stop words (`et`, `la`, `à`) are dropped from free words unless the
//!   query has nothing else; phrases keep them, at their positions;
//! - `word*` expands to the indexed folded words starting with the folded
//!   prefix (at most [`MAX_EXPANSIONS`], most frequent first).

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, Token};
use tantivy::{Searcher, Term};

use super::bm25::{idf, Bm25Params, Bm25TermQuery};
use super::exclude::Excluded;
use super::fuzzy;
use super::highlight::{HighlightSpec, PhraseSpec};
use super::query::{Node, QueryNote, TermNode};
use super::rank::ColumnCache;
use super::synonym::{self, Expansion, Target, RELATED_WEIGHT, SYNONYM_WEIGHT};
use super::title::InStatement;
use crate::analysis::{
    self, acronym::acronym_term, elision::elided_prefix_len, stopwords::is_stop_word,
};
use crate::schema::Fields;
use crate::thesaurus::Thesaurus;

/// Most synonyms one query searches, all its words together: each is a
/// phrase to match, and a query of many words that each name a large group
/// would otherwise take seconds.
pub const MAX_SYNONYMS: usize = 128;

/// Most indexed words a prefix query expands to.
pub const MAX_EXPANSIONS: usize = 128;

/// Weight of a match on the exact (unstemmed) form, relative to the stem.
pub const EXACT_BOOST: f32 = 0.3;

/// Weight of a paragraph whose statement title has the word.
pub const TITLE_BOOST: f32 = 0.5;

/// Weight of the free words found next to each other, in query order.
pub const PHRASE_BOOST: f32 = 1.0;

/// Most positions between the free words for the proximity bonus.
pub const PROXIMITY_SLOP: u32 = 8;

/// Query-wide settings of a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Never replace a word that finds nothing by its closest indexed words.
    pub exact: bool,
    /// Only statements dated on or after this day.
    pub since: Option<jiff::civil::Date>,
    /// Only statements dated on or before this day.
    pub until: Option<jiff::civil::Date>,
    /// Scoring of word matches (see [`super::bm25`]).
    pub bm25: Bm25Params,
    /// Weight of the words found near each other (0 = off).
    pub proximity: f32,
    /// Whether words and phrases that name a thesaurus entry also search
    /// its synonyms (off with `--exact`).
    pub synonyms: bool,
    /// Whether free words that name a thesaurus entry also search its
    /// related concepts (`# related:`), when `synonyms` is on.
    pub related: bool,
    /// Whether the exact-form bonus rewards only the grammatical number
    /// typed (`hôpital` above `hôpitaux`); off, the default, either number
    /// earns it (rule 11, [`super::rank::RankConfig::number`]).
    pub typed_number_only: bool,
    /// Whether the query's wording shows English ([`super::language::shown`]):
    /// its English function words (`of`, `the`) are then left out as the
    /// French ones always are, in every language's plan alike.
    pub english_wording: bool,
}

/// The result of planning a query.
pub struct Plan {
    /// The Tantivy query to run.
    pub query: Box<dyn Query>,
    /// Bonus clauses (title matches, exact forms, words side by side),
    /// each added to the score of the best candidates it matches, like
    /// Elasticsearch's rescore window: it reorders, never filters.
    pub rescore: Vec<Box<dyn Query>>,
    /// What to highlight in the hits.
    pub highlight: HighlightSpec,
    /// One line per query word: how it was analysed.
    pub explain: Vec<String>,
    /// Notes for the user (dropped words, capped expansions).
    pub notes: Vec<QueryNote>,
}

/// Where a slot comes from: (top-level item, 0 or 1 + part of a compound).
pub type SlotKey = (usize, usize);

/// One part of a query that ranking weighs on its own (see
/// [`super::rank`]).
pub struct Slot {
    /// The part as typed (rendered from the query tree).
    pub label: String,
    /// Its index among the top-level items of the query, and 0 for the
    /// item itself or 1 + the part's index for a part of a compound.
    pub key: SlotKey,
    /// Its query on the paragraph text fields.
    pub query: Box<dyn Query>,
    /// Its query on the statement title, for free words and phrases.
    pub title: Option<Box<dyn Query>>,
}

/// A query planned as ranking slots ([`Planner::plan_slots`]).
pub struct SlotPlan {
    /// The positive parts, in query order.
    pub slots: Vec<Slot>,
    /// Queries standing for several slots at once: the joined form of two
    /// adjacent words, a compound word whole.
    pub joined: Vec<(Vec<SlotKey>, Box<dyn Query>)>,
    /// The synonyms of runs of slots ([`synonym::find`]): the slots they
    /// stand for, their query on the paragraph text (weighted by
    /// [`SYNONYM_WEIGHT`]) and on the statement title.
    pub synonyms: Vec<SynonymSlots>,
    /// What every hit must match (`Must`) or not match (`MustNot`):
    /// exclusions, dates, field filters.
    pub filters: Vec<(Occur, Box<dyn Query>)>,
    /// Bonus clauses scored on the best candidates (see [`Plan::rescore`]).
    pub rescore: Vec<Box<dyn Query>>,
    /// What to highlight in the hits.
    pub highlight: HighlightSpec,
    /// One line per query word: how it was analysed.
    pub explain: Vec<String>,
    /// Notes for the user.
    pub notes: Vec<QueryNote>,
    /// The compounds ranked by their parts: the top-level item's index and
    /// the word as searched (typed, or as corrected), for the notes that
    /// name the query's words.
    pub compounds: Vec<(usize, String)>,
}

/// The synonyms of a run of slots (see [`SlotPlan::synonyms`]).
pub struct SynonymSlots {
    /// The slots the run stands for.
    pub keys: Vec<SlotKey>,
    /// Its synonyms on the paragraph text, weighted.
    pub query: Box<dyn Query>,
    /// Its synonyms in the statement title (French plans only).
    pub title: Option<Box<dyn Query>>,
    /// Whether `query` searches the run's related concepts rather than its
    /// synonyms (see [`crate::search::rank::Via::Related`]).
    pub related: bool,
}

/// Whether a top-level item filters rather than ranks: an exclusion, a
/// date range or a `field:` filter.
fn is_filter(node: &Node) -> bool {
    match node {
        Node::Not(_) | Node::DateRange { .. } => true,
        Node::Term(t) => t.field.is_some(),
        Node::Phrase { field, .. } => field.is_some(),
        _ => false,
    }
}

/// The text of a plain single word (no field, prefix or fuzziness).
fn plain_word(node: &Node) -> Option<String> {
    match node {
        Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none() => {
            Some(t.text.clone())
        }
        _ => None,
    }
}

/// Builds [`Plan`]s against one searcher (for term statistics).
pub struct Planner<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    /// The stemmed body field of this plan's language.
    body: Field,
    /// Whether this plan is for English statements.
    english: bool,
    /// How many enclosing reasons forbid guessing a typo for the node
    /// being planned: an OR around it (the other branches answer), a
    /// synonym being planned (searched as written), a word that names a
    /// thesaurus entry (its synonyms answer). A word is corrected only at 0.
    no_guessing: usize,
    /// Bonus clauses, scored only on the best candidates.
    rescore: Vec<Box<dyn Query>>,
    stem: TextAnalyzer,
    exact: TextAnalyzer,
    /// The French analyzer, whatever the plan's language: grammatical
    /// number is French grammar ([`analysis::number`]).
    french: TextAnalyzer,
    highlight: HighlightSpec,
    explain: Vec<String>,
    notes: Vec<QueryNote>,
    keep_stop_words: bool,
    options: PlanOptions,
    /// Whether an excluded part is also planned in the other language
    /// (false inside that other-language plan, so that nested exclusions
    /// cost linear, not exponential, work).
    cross_language: bool,
    /// Whether the index holds paragraphs in the other language (French
    /// for the English plan, English for the French one): a word is
    /// looked up in the other language only then.
    other_language: bool,
    /// Synonyms to search with the words that name an entry.
    thesaurus: Option<&'a Thesaurus>,
    /// Whether `node` expands a free word or phrase with its synonyms
    /// (false for the items of a slot plan, which are expanded by runs).
    expand_nodes: bool,
    /// How many more synonyms this plan may search ([`MAX_SYNONYMS`]).
    synonym_budget: usize,
    /// The last typo correction: the byte position of the word in the
    /// query and the one indexed word (folded) it was replaced by.
    last_correction: Option<(usize, String)>,
    /// The searcher's columns, for title queries ([`Planner::with_columns`]).
    columns: Option<Arc<ColumnCache>>,
}

/// Whether `word` is written as a name: a capital, then at least one
/// lower-case letter (`Chine`, not `CHINE` nor `chine`).
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A term of an analysed text field, scored with the paragraph BM25.
fn text_term(field: Field, text: &str, params: Bm25Params) -> Box<dyn Query> {
    Box::new(Bm25TermQuery::new(
        Term::from_field_text(field, text),
        params,
    ))
}

fn boolean(clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
        return clauses
            .into_iter()
            .next()
            .map(|c| c.1)
            .unwrap_or_else(|| Box::new(EmptyQuery));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Phrase (or single term) query from `(position, text)` pairs.
fn phrase_query(
    field: Field,
    terms: &[(usize, String)],
    slop: u32,
    params: Bm25Params,
) -> Box<dyn Query> {
    match terms {
        [] => Box::new(EmptyQuery),
        [(_, t)] => text_term(field, t, params),
        _ => {
            let base = terms[0].0;
            let terms = terms
                .iter()
                .map(|(p, t)| (p - base, Term::from_field_text(field, t)))
                .collect();
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
        }
    }
}

/// Terms with their positions, as a phrase query takes them.
pub(crate) type Positioned = Vec<(usize, String)>;

/// Splits analysed tokens into the plain sequence (parts) and the sequence
/// where each compound is replaced by its joined form, positions renumbered.
pub(crate) fn variants(tokens: &[Token]) -> (Positioned, Option<Positioned>) {
    let parts: Vec<(usize, String)> = tokens
        .iter()
        .filter(|t| t.position_length == 1)
        .map(|t| (t.position, t.text.clone()))
        .collect();
    if tokens.iter().all(|t| t.position_length == 1) {
        return (parts, None);
    }
    let mut joined = Vec::new();
    let mut skip_until = 0usize;
    let mut removed = 0usize;
    for t in tokens {
        if t.position_length > 1 {
            joined.push((t.position - removed, t.text.clone()));
            skip_until = t.position + t.position_length;
            removed += t.position_length - 1;
        } else if t.position >= skip_until {
            joined.push((t.position - removed, t.text.clone()));
        }
    }
    (parts, Some(joined))
}

impl<'a> Planner<'a> {
    /// A planner over `searcher`, whose index has the vigie schema `fields`.
    ///
    /// The analyzers are the ones registered in the index's tokenizer
    /// manager under [`analysis::FRENCH`] and [`analysis::FRENCH_EXACT`]
    /// (the same objects that analysed the documents), falling back to the
    /// built-in chains if the names are missing.
    ///
    /// `english` selects the English analyzer and the `body_en` field: a
    /// query is planned once per language and the two plans are ORed, since
    /// a paragraph is indexed in exactly one of `body` and `body_en`.
    pub fn new(searcher: &'a Searcher, fields: Fields, english: bool) -> Planner<'a> {
        let manager = searcher.index().tokenizers();
        let (name, fallback, body): (&str, fn() -> TextAnalyzer, Field) = if english {
            (analysis::ENGLISH, analysis::english, fields.body_en)
        } else {
            (analysis::FRENCH, analysis::french, fields.body)
        };
        Planner {
            searcher,
            fields,
            body,
            english,
            no_guessing: 0,
            rescore: Vec::new(),
            stem: manager.get(name).unwrap_or_else(fallback),
            exact: manager
                .get(analysis::FRENCH_EXACT)
                .unwrap_or_else(analysis::french_exact),
            french: manager
                .get(analysis::FRENCH)
                .unwrap_or_else(analysis::french),
            highlight: HighlightSpec {
                english,
                ..HighlightSpec::default()
            },
            explain: Vec::new(),
            notes: Vec::new(),
            keep_stop_words: false,
            options: PlanOptions::default(),
            cross_language: true,
            other_language: true,
            thesaurus: None,
            expand_nodes: true,
            synonym_budget: MAX_SYNONYMS,
            last_correction: None,
            columns: None,
        }
    }

    /// Reads the statements' spans of title queries through `columns`
    /// (the searcher's, kept open), instead of opening the column for
    /// each of them.
    pub fn with_columns(mut self, columns: Arc<ColumnCache>) -> Planner<'a> {
        self.columns = Some(columns);
        self
    }

    /// Searches the synonyms `thesaurus` gives for the query's words, when
    /// [`PlanOptions::synonyms`] is on.
    pub fn with_thesaurus(mut self, thesaurus: &'a Thesaurus) -> Planner<'a> {
        self.thesaurus = Some(thesaurus);
        self
    }

    /// Says whether the index holds paragraphs in the other language
    /// (true unless told): without them, a word found in neither analysis
    /// is not looked up in the other language's field, which no segment
    /// holds (Tantivy builds an empty term dictionary for such a field,
    /// a megabyte faulted in by a cold process).
    pub fn with_other_language(mut self, present: bool) -> Planner<'a> {
        self.other_language = present;
        self
    }

    /// `expansion` without its related concepts when they are off; `None`
    /// when nothing is left to search.
    fn wanted(&self, expansion: Expansion) -> Option<Expansion> {
        if self.options.related {
            Some(expansion)
        } else {
            expansion.without_related()
        }
    }

    /// The thesaurus to expand with, when expansion is on.
    fn synonyms(&self) -> Option<&'a Thesaurus> {
        self.thesaurus.filter(|_| self.options.synonyms)
    }

    /// The query for what `expansion` also searches, weighted by
    /// [`SYNONYM_WEIGHT`], with its highlights and explanation; `None` when
    /// none of it can be searched in this language. Each entry is searched
    /// as an exact phrase, never corrected.
    fn synonym_query(
        &mut self,
        expansion: &Expansion,
        which: std::ops::Range<usize>,
    ) -> Option<Box<dyn Query>> {
        if self.synonym_budget < which.len() {
            let note = QueryNote {
                position: None,
                message: format!(
                    "the query names too many thesaurus entries: the synonyms of `{}` are not searched",
                    expansion.typed
                ),
            };
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
            return None;
        }
        self.synonym_budget -= which.len();
        let explain = std::mem::take(&mut self.explain);
        let notes = std::mem::take(&mut self.notes);
        let rescore = std::mem::take(&mut self.rescore);
        let exact = std::mem::replace(&mut self.options.exact, true);
        self.no_guessing += 1;
        let typed = self.weight_of(&expansion.typed);
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, target) in expansion
            .targets
            .iter()
            .enumerate()
            .skip(which.start)
            .take(which.len())
        {
            // Related concepts weigh less than synonyms (the whole is
            // boosted by SYNONYM_WEIGHT below).
            let relation = if i < expansion.related {
                1.0
            } else {
                RELATED_WEIGHT / SYNONYM_WEIGHT
            };
            match target {
                Target::Acronym { term, .. } => {
                    self.highlight.exact.insert(term.clone());
                    let docs = self.searcher.num_docs();
                    let weight = idf(self.doc_freq(self.fields.body_exact, term), docs);
                    alternatives.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            self.text_term(self.fields.body_exact, term),
                            synonym_scale(typed, weight) * relation,
                        )),
                    ));
                }
                Target::Words(text) => {
                    let before = self.highlight.phrases.len();
                    let stems = self.highlight.stems.clone();
                    let weight = self.weight_of(text);
                    if let Some(q) = self.phrase(text, 0, None, 0) {
                        alternatives.push((
                            Occur::Should,
                            Box::new(BoostQuery::new(q, synonym_scale(typed, weight) * relation)),
                        ));
                    }
                    // A name of several words is marked only where it
                    // occurs whole, never one of its words alone.
                    if text.split_whitespace().nth(1).is_some() {
                        self.highlight.stems = stems;
                    }
                    // A synonym stands for the words typed whole: where it
                    // matches inside a compound (`cyber defense` in
                    // `cyber-défense`), the compound is shown whole.
                    let added: Vec<PhraseSpec> = self.highlight.phrases.drain(before..).collect();
                    self.highlight.compound_phrases.extend(added);
                }
            }
        }
        self.no_guessing -= 1;
        self.options.exact = exact;
        self.rescore = rescore;
        self.notes = notes;
        self.explain = explain;
        if alternatives.is_empty() {
            return None;
        }
        if let Some(thesaurus) = self.thesaurus {
            let line = expansion.explain(thesaurus);
            if !self.explain.contains(&line) {
                self.explain.push(line);
            }
        }
        // The best synonym counts, not their sum: a paragraph that says
        // "contact point (POC)" holds one synonym, not two.
        let alternatives = alternatives.into_iter().map(|a| a.1).collect();
        Some(Box::new(BoostQuery::new(
            Box::new(DisjunctionMaxQuery::new(alternatives)),
            SYNONYM_WEIGHT,
        )))
    }

    /// Whether `word`, as typed, is an ambiguous thesaurus entry written in
    /// capitals (`WHO`, `SOC`, `IA`): then it is searched in capitals only.
    fn ambiguous_acronym(&self, word: &str) -> bool {
        let Some(thesaurus) = self.thesaurus else {
            return false;
        };
        if acronym_term(word).is_none() {
            return false;
        }
        let key = crate::thesaurus::key(&mut crate::thesaurus::key_analyzer(), word);
        thesaurus.lookup(&key).into_iter().any(|at| {
            let entry = thesaurus.entry(at);
            entry.ambiguous && entry.text == word
        })
    }

    /// The weight of `text` in this plan's field: the sum of the idf of
    /// its terms (function words left out), as a phrase of them scores.
    fn weight_of(&mut self, text: &str) -> f32 {
        let docs = self.searcher.num_docs();
        let tokens = analysis::tokens(&mut self.stem, text);
        let (parts, joined) = variants(&tokens);
        joined
            .unwrap_or(parts)
            .iter()
            .filter(|(_, t)| !is_stop_word(t))
            .map(|(_, t)| idf(self.doc_freq(self.body, t), docs))
            .sum()
    }

    /// The statement-title query of `expansion`'s synonyms (French plans).
    fn synonym_title(&mut self, expansion: &Expansion) -> Option<Box<dyn Query>> {
        if self.english {
            return None;
        }
        let titles: Vec<(Occur, Box<dyn Query>)> = expansion.targets[..expansion.related]
            .iter()
            .filter_map(|t| match t {
                Target::Words(text) => self.title_query(&Node::Phrase {
                    text: text.clone(),
                    slop: 0,
                    field: None,
                    position: 0,
                }),
                Target::Acronym { .. } => None,
            })
            .map(|q| (Occur::Should, q))
            .collect();
        (!titles.is_empty()).then(|| boolean(titles))
    }

    /// `query` (for `node`, a free word or phrase planned on its own) ORed
    /// with the synonyms of `node`, when it names a thesaurus entry.
    fn with_synonyms(&mut self, node: &Node, query: Box<dyn Query>) -> Box<dyn Query> {
        if !self.expand_nodes {
            return query;
        }
        let Some(thesaurus) = self.synonyms() else {
            return query;
        };
        let Some(expansion) = synonym::of_node(thesaurus, node).and_then(|e| self.wanted(e)) else {
            return query;
        };
        match self.synonym_query(&expansion, 0..expansion.targets.len()) {
            Some(also) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, query),
                (Occur::Should, also),
            ])),
            None => query,
        }
    }

    /// Sets the query-wide options.
    pub fn with_options(mut self, options: PlanOptions) -> Planner<'a> {
        self.options = options;
        self
    }

    /// Whether `word` is a function word this query leaves out: a French
    /// one ([`is_stop`]), or an English one when the wording shows English
    /// ([`PlanOptions::english_wording`]).
    fn is_stop(&self, word: &str) -> bool {
        left_out(word, self.options.english_wording)
    }

    /// Plans `root` (`None` gives a query matching nothing).
    pub fn plan(mut self, root: Option<&Node>) -> Plan {
        let query = match root {
            Some(node) => {
                let mut free = Vec::new();
                collect_free_terms(node, false, &mut free);
                self.keep_stop_words =
                    !free.is_empty() && free.iter().all(|t| self.is_stop(&t.text));
                match self.node(node) {
                    Some(Clause::Positive(q)) => q,
                    Some(Clause::Negative(q)) => {
                        boolean(vec![(Occur::Must, Box::new(AllQuery)), (Occur::MustNot, q)])
                    }
                    None => Box::new(EmptyQuery),
                }
            }
            None => Box::new(EmptyQuery),
        };
        let query = match date_range(self.fields.date, self.options.since, self.options.until) {
            // `--since`/`--until`: the search's explanation names them
            // once for every plan (`Searcher::search`).
            Some(range) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, range),
            ])),
            None => query,
        };
        let rescore = std::mem::take(&mut self.rescore);
        Plan {
            query,
            rescore,
            highlight: self.highlight,
            explain: self.explain,
            notes: self.notes,
        }
    }

    /// Plans `root` as ranking slots (see [`super::rank`]): one per
    /// top-level word, phrase or group of the user's conjunction, each
    /// planned on its own; exclusions, dates and field filters become
    /// filters. Returns `None` when the query has no positive part to rank
    /// by (`-chine` alone), or more than [`super::rank::MAX_SLOTS`].
    pub fn plan_slots(mut self, root: &Node) -> Option<SlotPlan> {
        let items: Vec<&Node> = match root {
            Node::And(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut free = Vec::new();
        collect_free_terms(root, false, &mut free);
        self.keep_stop_words = !free.is_empty() && free.iter().all(|t| self.is_stop(&t.text));
        let mut slots = Vec::new();
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut plain: Vec<Option<String>> = Vec::new();
        let mut joined = Vec::new();
        let mut compounds = Vec::new();
        let expansions = match self.synonyms() {
            Some(thesaurus) => synonym::find(thesaurus, &items)
                .into_iter()
                .filter_map(|e| self.wanted(e))
                .collect(),
            None => Vec::new(),
        };
        for (at, item) in items.iter().enumerate() {
            if is_filter(item) {
                match self.node(item) {
                    Some(Clause::Positive(q)) => filters.push((Occur::Must, q)),
                    Some(Clause::Negative(q)) => filters.push((Occur::MustNot, q)),
                    None => {}
                }
                continue;
            }
            // A word that names a thesaurus entry is not a typo, even if the
            // index has it only through its synonyms.
            let named = expansions.iter().any(|e| e.items.contains(&at));
            self.no_guessing += usize::from(named);
            let compound = self.compound_slots(item, at);
            self.no_guessing -= usize::from(named);
            if let Some((parts, whole, word)) = compound {
                compounds.push((at, word));
                joined.push((parts.iter().map(|p| p.key).collect(), whole));
                plain.extend(parts.iter().map(|_| None));
                slots.extend(parts);
                continue;
            }
            let title = if self.english {
                None
            } else {
                self.title_query(item)
            };
            // A free word or phrase is expanded with the run it belongs to.
            self.expand_nodes = !matches!(item, Node::Term(_) | Node::Phrase { .. });
            self.no_guessing += usize::from(named);
            let planned = self.node(item);
            self.no_guessing -= usize::from(named);
            self.expand_nodes = true;
            match planned {
                Some(Clause::Positive(query)) => {
                    plain.push(plain_word(item));
                    slots.push(Slot {
                        label: item.to_string(),
                        key: (at, 0),
                        query,
                        title,
                    });
                }
                Some(Clause::Negative(q)) => filters.push((Occur::MustNot, q)),
                None => {}
            }
        }
        if slots.is_empty() || slots.len() > super::rank::MAX_SLOTS {
            return None;
        }
        if let Some(range) = date_range(self.fields.date, self.options.since, self.options.until) {
            filters.push((Occur::Must, range));
        }
        let synonyms = self.synonym_slots(expansions, &slots);
        // `cyber défense` also finds `cyberdéfense`.
        for i in 0..plain.len().saturating_sub(1) {
            if let (Some(a), Some(b)) = (&plain[i], &plain[i + 1]) {
                if let Some(q) = self.joined_pair(a, b) {
                    joined.push((vec![slots[i].key, slots[i + 1].key], q));
                }
            }
        }
        self.proximity_bonus(&plain);
        Some(SlotPlan {
            slots,
            joined,
            synonyms,
            filters,
            rescore: std::mem::take(&mut self.rescore),
            highlight: self.highlight,
            explain: self.explain,
            notes: self.notes,
            compounds,
        })
    }

    /// The synonyms of `expansions` (runs of the top-level items), each
    /// standing for the slots of its items.
    fn synonym_slots(&mut self, expansions: Vec<Expansion>, slots: &[Slot]) -> Vec<SynonymSlots> {
        let mut found = Vec::new();
        for expansion in expansions {
            let keys: Vec<SlotKey> = slots
                .iter()
                .map(|s| s.key)
                .filter(|k| expansion.items.contains(&k.0))
                .collect();
            if keys.is_empty() {
                continue;
            }
            let (synonyms, related) = (
                0..expansion.related,
                expansion.related..expansion.targets.len(),
            );
            if let Some(query) = self.synonym_query(&expansion, synonyms) {
                let title = self.synonym_title(&expansion);
                found.push(SynonymSlots {
                    keys: keys.clone(),
                    query,
                    title,
                    related: false,
                });
            }
            if let Some(query) = self.synonym_query(&expansion, related) {
                found.push(SynonymSlots {
                    keys,
                    query,
                    title: None,
                    related: true,
                });
            }
        }
        found
    }

    /// A plain word that the analysis splits into parts (`cyber-risques`,
    /// `cyberstabilité`, `non-prolifération`): one slot per part that is
    /// not a stop word, so that the parts also match anywhere in a
    /// paragraph (`risque cyber`, `stabilité du cyberespace`), and the
    /// query for the word whole (its joined form or its parts side by
    /// side), which stands for all of them. `None` for other items.
    fn compound_slots(
        &mut self,
        item: &Node,
        at: usize,
    ) -> Option<(Vec<Slot>, Box<dyn Query>, String)> {
        let Node::Term(t) = item else { return None };
        plain_word(item)?;
        let tokens = analysis::tokens(&mut self.stem, &t.text);
        let (parts, joined) = variants(&tokens);
        let joined = joined?;
        if parts.len() < 2 || parts.iter().any(|p| p.1.chars().count() < 2) {
            return None;
        }
        // The word whole: what the planner searches for a compound.
        self.last_correction = None;
        let whole = self.term(t)?;
        // A misspelt compound corrected whole (`cyberattaqeu` →
        // `cyberattaque`) is searched in parts as corrected, not as typed.
        let written = match self.last_correction.take() {
            Some((position, word)) if position == t.position => word,
            _ => t.text.clone(),
        };
        let tokens = if written == t.text {
            tokens
        } else {
            analysis::tokens(&mut self.stem, &written)
        };
        let exact: Vec<Token> = self.exact_tokens(&written);
        let mut slots = Vec::new();
        let mut shown = Vec::new();
        for (k, part) in tokens.iter().filter(|t| t.position_length == 1).enumerate() {
            let source =
                &written[part.offset_from.min(written.len())..part.offset_to.min(written.len())];
            if is_stop(source) || is_stop_word(&part.text) {
                continue;
            }
            let e = exact
                .iter()
                .find(|e| e.position_length == 1 && e.offset_from == part.offset_from)
                .map(|e| e.text.clone())
                .unwrap_or_default();
            // A part no paragraph holds (`cyber-defnse`): corrected on its
            // own, as the word typed alone would be.
            let unheld = written == t.text
                && !self.options.exact
                && self.doc_freq(self.body, &part.text) == 0
                && self.doc_freq(self.fields.body_exact, &e) == 0;
            let (label, query) = match unheld.then(|| self.part_corrected(t, source, part)) {
                Some(Some(found)) => found,
                _ => (source.to_string(), self.word_clause(&part.text, &e)),
            };
            self.highlight.part_stems.insert(part.text.clone());
            shown.push(part.text.clone());
            slots.push(Slot {
                label,
                key: (at, k + 1),
                query,
                title: if self.english {
                    None
                } else {
                    Some(self.text_term(self.fields.title, &part.text))
                },
            });
        }
        let _ = joined;
        if slots.is_empty() {
            return None;
        }
        self.explain.push(format!(
            "{} → also its parts anywhere: {}",
            t.text,
            shown.join(" AND ")
        ));
        Some((slots, whole, written))
    }

    /// The part `source` of the compound `t` (analysed as `part`), which
    /// no paragraph holds, corrected as a word of its own: its label (the
    /// correction as written) and query, or `None` when nothing is close.
    fn part_corrected(
        &mut self,
        t: &TermNode,
        source: &str,
        part: &Token,
    ) -> Option<(String, Box<dyn Query>)> {
        let node = TermNode {
            text: source.to_string(),
            field: None,
            prefix: false,
            fuzzy: None,
            position: t.position + part.offset_from,
        };
        self.last_correction = None;
        let query = self.term(&node)?;
        let (_, word) = self
            .last_correction
            .take()
            .filter(|c| c.0 == node.position)?;
        Some((word, query))
    }

    /// The statement-title query of a slot: the analysed words of a free
    /// word or phrase, as a phrase on `title` (None for other parts).
    fn title_query(&mut self, item: &Node) -> Option<Box<dyn Query>> {
        let text = match item {
            Node::Term(t) if t.field.is_none() && !t.prefix => t.text.as_str(),
            Node::Phrase {
                text, field: None, ..
            } => text.as_str(),
            _ => return None,
        };
        if !self.keep_stop_words && self.is_stop(text) {
            return None;
        }
        // `UN` is searched in capitals only; titles are not.
        if is_stop(text) && acronym_term(text).is_some() {
            return None;
        }
        let tokens = analysis::tokens(&mut self.stem, text);
        let (parts, _) = variants(&tokens);
        let parts: Vec<(usize, String)> = parts
            .into_iter()
            .filter(|(_, s)| !is_stop_word(s))
            .collect();
        match parts.as_slice() {
            [] => None,
            [(_, one)] => Some(self.text_term(self.fields.title, one)),
            _ => Some(phrase_query(
                self.fields.title,
                &parts,
                2,
                self.options.bm25,
            )),
        }
    }

    /// The joined form of two adjacent words (`cyber défense` →
    /// `cyberdéfense`) when the index has it.
    fn joined_pair(&mut self, a: &str, b: &str) -> Option<Box<dyn Query>> {
        let a = &a[elided_prefix_len(a)..];
        let b = &b[elided_prefix_len(b)..];
        let joined = analysis::tokens(&mut self.stem, &format!("{a}{b}"));
        let [j] = joined.as_slice() else {
            return None;
        };
        if self.doc_freq(self.body, &j.text) == 0 {
            return None;
        }
        self.highlight.stems.insert(j.text.clone());
        self.explain
            .push(format!("{a} {b} → also {} (joined)", j.text));
        Some(self.text_term(self.body, &j.text))
    }

    /// Free words side by side (in the order typed) and near each other
    /// rank higher, on the best candidates.
    fn proximity_bonus(&mut self, plain: &[Option<String>]) {
        let words: Vec<&str> = plain.iter().flatten().map(String::as_str).collect();
        if words.len() < 2 {
            return;
        }
        let tokens = analysis::tokens(&mut self.stem, &words.join(" "));
        let (parts, _) = variants(&tokens);
        let parts: Vec<(usize, String)> = parts
            .into_iter()
            .filter(|(_, s)| !is_stop_word(s))
            .collect();
        if parts.len() < 2 {
            return;
        }
        let body = self.body;
        let params = self.options.bm25;
        self.rescore.push(Box::new(BoostQuery::new(
            phrase_query(body, &parts, 0, params),
            PHRASE_BOOST,
        )));
        if self.options.proximity > 0.0 {
            self.rescore.push(Box::new(BoostQuery::new(
                phrase_query(body, &parts, PROXIMITY_SLOP, params),
                self.options.proximity,
            )));
        }
    }

    /// Tokens of `text` through the unstemmed analyzer, without the whole
    /// elided forms it keeps beside their remainders (`l'otan` beside `otan`)
    /// and the acronym terms beside words in capitals (`=otan`).
    fn exact_tokens(&mut self, text: &str) -> Vec<Token> {
        let mut tokens = analysis::tokens(&mut self.exact, text);
        tokens.retain(|t| {
            elided_prefix_len(&t.text) == 0 && !t.text.starts_with(analysis::acronym::ACRONYM_MARK)
        });
        tokens
    }

    /// Plans one node on its own (used for the other language of a NOT).
    fn inner_clause(mut self, node: &Node) -> Option<Clause> {
        self.node(node)
    }

    fn doc_freq(&self, field: Field, text: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    }

    fn node(&mut self, node: &Node) -> Option<Clause> {
        match node {
            Node::Term(t) => self
                .term(t)
                .map(|q| Clause::Positive(self.with_synonyms(node, q))),
            Node::Phrase {
                text,
                slop,
                field,
                position,
            } => self
                .phrase(text, *slop, field.as_deref(), *position)
                .map(|q| Clause::Positive(self.with_synonyms(node, q))),
            Node::Not(inner) => {
                // Words under NOT are not highlighted.
                let saved = std::mem::replace(
                    &mut self.highlight,
                    HighlightSpec {
                        english: self.english,
                        ..HighlightSpec::default()
                    },
                );
                let saved_rescore = std::mem::take(&mut self.rescore);
                // An excluded word is never "corrected" into another one,
                // nor widened to its synonyms: `-ONU` excludes what it says.
                let saved_exact = std::mem::replace(&mut self.options.exact, true);
                let saved_expand = std::mem::replace(&mut self.expand_nodes, false);
                let q = self.node(inner);
                self.expand_nodes = saved_expand;
                self.options.exact = saved_exact;
                self.highlight = saved;
                self.rescore = saved_rescore;
                // Excluded words are excluded in every language: plan the
                // inner node for the other language's field too.
                let other = if self.cross_language && self.other_language {
                    let mut planner = Planner::new(self.searcher, self.fields, !self.english)
                        .with_options(PlanOptions {
                            exact: true,
                            ..self.options.clone()
                        });
                    planner.columns = self.columns.clone();
                    planner.cross_language = false;
                    planner.expand_nodes = false;
                    planner.inner_clause(inner)
                } else {
                    None
                };
                let q = match (q, other) {
                    (Some(Clause::Positive(a)), Some(Clause::Positive(b))) => {
                        Some(Clause::Positive(Box::new(BooleanQuery::new(vec![
                            (Occur::Should, a),
                            (Occur::Should, b),
                        ]))))
                    }
                    (q, _) => q,
                };
                match q? {
                    Clause::Positive(q) => Some(Clause::Negative(Box::new(Excluded(q)))),
                    Clause::Negative(q) => Some(Clause::Positive(q)),
                }
            }
            Node::DateRange { since, until, .. } => {
                // It may be excluded (`-date:2018`) or one side of an OR:
                // what it leaves out is not said here.
                self.explain.push(format!(
                    "date between {} and {}",
                    since.map_or("…".to_string(), |d| d.to_string()),
                    until.map_or("…".to_string(), |d| d.to_string())
                ));
                date_range(self.fields.date, *since, *until).map(Clause::Positive)
            }
            Node::And(items) => self.and(items),
            Node::Or(items) => {
                self.no_guessing += 1;
                let planned: Vec<Clause> = items.iter().filter_map(|n| self.node(n)).collect();
                self.no_guessing -= 1;
                let clauses: Vec<(Occur, Box<dyn Query>)> = planned
                    .into_iter()
                    .map(|c| match c {
                        Clause::Positive(q) => (Occur::Should, q),
                        Clause::Negative(q) => (
                            Occur::Should,
                            boolean(vec![
                                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                                (Occur::MustNot, q),
                            ]),
                        ),
                    })
                    .collect();
                if clauses.is_empty() {
                    None
                } else {
                    Some(Clause::Positive(boolean(clauses)))
                }
            }
        }
    }

    fn and(&mut self, items: &[Node]) -> Option<Clause> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Plain single words, remembered for the adjacent-pair join.
        let mut plain: Vec<Option<String>> = Vec::new();
        for n in items {
            let single = match n {
                Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none() => {
                    Some(t.text.clone())
                }
                _ => None,
            };
            match self.node(n) {
                Some(Clause::Positive(q)) => {
                    clauses.push((Occur::Must, q));
                    plain.push(single);
                }
                Some(Clause::Negative(q)) => {
                    clauses.push((Occur::MustNot, q));
                    plain.push(None);
                }
                None => {}
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if clauses.iter().all(|c| c.0 == Occur::MustNot) {
            clauses.insert(0, (Occur::Must, Box::new(AllQuery)));
            plain.insert(0, None);
        }
        // `cyber défense` also finds `cyberdéfense`.
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for i in 0..plain.len().saturating_sub(1) {
            if alternatives.len() >= 3 {
                break;
            }
            let (Some(a), Some(b)) = (&plain[i], &plain[i + 1]) else {
                continue;
            };
            let a = &a[elided_prefix_len(a)..];
            let b = &b[elided_prefix_len(b)..];
            let joined = analysis::tokens(&mut self.stem, &format!("{a}{b}"));
            let [j] = joined.as_slice() else { continue };
            if self.doc_freq(self.body, &j.text) == 0 {
                continue;
            }
            self.highlight.stems.insert(j.text.clone());
            self.explain
                .push(format!("{a} {b} → also {} (joined)", j.text));
            let mut alt: Vec<(Occur, Box<dyn Query>)> = clauses
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != i && *k != i + 1)
                .map(|(_, (o, q))| (*o, q.box_clone()))
                .collect();
            alt.push((Occur::Must, self.text_term(self.body, &j.text)));
            alternatives.push(boolean(alt));
        }
        // Free words found side by side, in the order typed, rank higher.
        let words: Vec<&Node> = items.iter().filter(|n| matches!(n, Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none())).collect();
        if words.len() >= 2 && words.len() == items.len() {
            let text = words
                .iter()
                .filter_map(|n| match n {
                    Node::Term(t) => Some(t.text.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            let tokens = analysis::tokens(&mut self.stem, &text);
            let (parts, _) = variants(&tokens);
            if parts.len() >= 2 {
                self.rescore.push(Box::new(BoostQuery::new(
                    phrase_query(self.body, &parts, 0, self.options.bm25),
                    PHRASE_BOOST,
                )));
            }
        }
        let base = boolean(clauses);
        if alternatives.is_empty() {
            return Some(Clause::Positive(base));
        }
        let mut should = vec![(Occur::Should, base)];
        should.extend(alternatives.into_iter().map(|q| (Occur::Should, q)));
        Some(Clause::Positive(Box::new(BooleanQuery::new(should))))
    }

    fn term(&mut self, t: &TermNode) -> Option<Box<dyn Query>> {
        if let Some(field) = &t.field {
            if t.prefix {
                return self.field_prefix(field, t);
            }
            if let Some(n) = t.fuzzy {
                self.notes.push(QueryNote {
                    position: Some(t.position),
                    message: format!(
                        "`~{n}` applies to paragraph words, not to {field}: words; \
                         {field}:{} searched as typed",
                        t.text
                    ),
                });
            }
            return self.field_term(field, &t.text, t.position);
        }
        if t.prefix {
            return Some(self.prefix(t));
        }
        // `UN`, `AU`, `US` typed in capitals: the acronym, not `un`, `au`;
        // so too an acronym the thesaurus calls ambiguous (`WHO`, `SOC`).
        if t.fuzzy.is_none() && (is_stop(&t.text) || self.ambiguous_acronym(&t.text)) {
            if let Some(term) = acronym_term(&t.text) {
                self.explain
                    .push(format!("{} → {term} (in capitals only)", t.text));
                self.highlight.exact.insert(term.clone());
                return Some(self.text_term(self.fields.body_exact, &term));
            }
        }
        if !self.keep_stop_words && self.is_stop(&t.text) {
            self.explain
                .push(format!("{} → (stop word, ignored)", t.text));
            return None;
        }
        // A query of function words only: an elided form (`jusqu'à`,
        // `lorsqu'il`) is searched as written, not as its remainder `à`.
        if let Some(whole) = elided_stop_form(&t.text) {
            return Some(self.elided_as_written(&t.text, whole));
        }
        let stems = analysis::tokens(&mut self.stem, &t.text);
        let exact = self.exact_tokens(&t.text);
        if stems.is_empty() {
            self.notes.push(QueryNote {
                position: Some(t.position),
                message: if t.text.is_empty() {
                    "`*` alone matches no word: a prefix needs letters before the `*`; ignored"
                        .to_string()
                } else {
                    format!("`{}` has no searchable word; ignored", t.text)
                },
            });
            return None;
        }
        // A solid compound (`cyberdéfense`) that the index does not know at
        // all is handled as one word: typo tolerance applies to it.
        let solid = !crate::analysis::compound::has_split_joiner(&t.text);
        let unknown_compound = solid
            && stems.len() > 1
            && stems
                .iter()
                .filter(|st| st.position_length > 1)
                .all(|st| self.doc_freq(self.body, &st.text) == 0)
            && stems
                .iter()
                .any(|st| st.position_length == 1 && self.doc_freq(self.body, &st.text) == 0);
        let (stems, exact) = if unknown_compound || (solid && t.fuzzy.is_some() && stems.len() > 1)
        {
            let keep = |v: Vec<Token>| {
                v.into_iter()
                    .filter(|x| x.position_length > 1)
                    .take(1)
                    .collect::<Vec<_>>()
            };
            (keep(stems), keep(exact))
        } else {
            (stems, exact)
        };
        if let ([s], [e]) = (stems.as_slice(), exact.as_slice()) {
            if let Some(distance) = t.fuzzy {
                return Some(self.fuzzy(t, &e.text, distance, true, false));
            }
            // A word in no paragraph, too short to correct.
            let mut short = false;
            if !self.options.exact {
                let stem_df = self.doc_freq(self.body, &s.text);
                let exact_df = self.doc_freq(self.fields.body_exact, &e.text);
                // A word of the titles is no typo (`souveraineté` in a
                // title, `souveraine` in the paragraphs): its statements
                // answer through their title (rule 2).
                let in_titles = stem_df == 0
                    && exact_df == 0
                    && (if self.english {
                        self.french_stem(&e.text)
                    } else {
                        Some(s.text.clone())
                    })
                    .is_some_and(|f| self.doc_freq(self.fields.title, &f) > 0);
                if stem_df == 0 && exact_df == 0 && !in_titles && self.no_guessing == 0 {
                    // Not in this language; found in the other one?
                    let elsewhere = self.found_in_other_language(&t.text);
                    let distance = if elsewhere {
                        1
                    } else {
                        fuzzy::auto_distance(e.text.chars().count())
                    };
                    if distance > 0 && e.text.chars().count() >= fuzzy::MIN_FUZZY_CHARS {
                        let q = self.fuzzy(t, &e.text, distance, false, elsewhere);
                        if !elsewhere {
                            return Some(q);
                        }
                        self.highlight.stems.insert(s.text.clone());
                        return Some(Box::new(BooleanQuery::new(vec![
                            (Occur::Should, self.word_clause(&s.text, &e.text)),
                            (Occur::Should, q),
                        ])));
                    }
                    short = !elsewhere;
                } else if self.no_guessing > 0 {
                    // Inside an OR the other branches answer: no guessing.
                } else if let Some(also) = self.also_typo(t, &s.text, &e.text, stem_df) {
                    return Some(also);
                }
            }
            let forms = self.verb_forms(&s.text);
            if forms.is_empty() {
                self.explain.push(if short {
                    format!(
                        "{} → {} (in no paragraph; words under {} letters are not corrected)",
                        t.text,
                        s.text,
                        fuzzy::MIN_FUZZY_CHARS
                    )
                } else {
                    format!("{} → {}", t.text, s.text)
                });
                self.highlight.stems.insert(s.text.clone());
                return Some(self.word_clause(&s.text, &e.text));
            }
            self.explain.push(format!(
                "{} → {} OR {} (verb forms)",
                t.text,
                s.text,
                forms.join(" OR ")
            ));
            self.highlight.stems.insert(s.text.clone());
            let mut alts = vec![(Occur::Should, self.word_clause(&s.text, &e.text))];
            for f in forms {
                alts.push((Occur::Should, self.word_clause(&f, "")));
                self.highlight.stems.insert(f);
            }
            return Some(Box::new(BooleanQuery::new(alts)));
        }
        // Compound: joined form OR phrase of the parts.
        let (parts, joined) = variants(&stems);
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut shown = Vec::new();
        if let Some(joined) = joined {
            for (_, j) in joined
                .iter()
                .filter(|(_, s)| !parts.iter().any(|(_, p)| p == s))
            {
                self.highlight.stems.insert(j.clone());
                shown.push(j.clone());
                let e = exact
                    .iter()
                    .find(|e| e.position_length > 1)
                    .map(|e| e.text.clone())
                    .unwrap_or_default();
                alts.push((Occur::Should, self.word_clause(j, &e)));
            }
        }
        let part_texts: Vec<String> = parts.iter().map(|p| p.1.clone()).collect();
        shown.push(format!("\"{}\"", part_texts.join(" ")));
        self.explain
            .push(format!("{} → {}", t.text, shown.join(" OR ")));
        self.highlight.compound_phrases.push(PhraseSpec {
            terms: parts
                .iter()
                .map(|(p, s)| (p - parts[0].0, s.clone()))
                .collect(),
            slop: 0,
        });
        alts.push((
            Occur::Should,
            phrase_query(self.body, &parts, 0, self.options.bm25),
        ));
        Some(boolean(alts))
    }

    /// The query for an elided form searched as written
    /// ([`elided_stop_form`] gave `whole`), `shown` as the user typed it.
    fn elided_as_written(&mut self, shown: &str, whole: String) -> Box<dyn Query> {
        self.explain
            .push(format!("{shown} → {whole} (the elided form as written)"));
        self.highlight.exact.insert(whole.clone());
        self.text_term(self.fields.body_exact, &whole)
    }

    /// Other stems of the same French verb that Snowball keeps apart: it
    /// leaves the first person plural `-ons` on (`réaffirmons` →
    /// `reaffirmon`, `réaffirmer` → `reaffirm`), and statements are full
    /// of `nous condamnons`, `nous réaffirmons`. Returns the stem with `on`
    /// added or removed, when the index has it; never for English, and not
    /// for short bases or `-ion` nouns (`maison`/`mais`, `nation`).
    fn verb_forms(&self, stem: &str) -> Vec<String> {
        if self.english {
            return Vec::new();
        }
        let mut forms = Vec::new();
        match stem.strip_suffix("on") {
            Some(base) if base.chars().count() >= 5 && !base.ends_with('i') => {
                if self.doc_freq(self.body, base) > 0 {
                    forms.push(base.to_string());
                }
            }
            Some(_) => {}
            None => {
                let with_on = format!("{stem}on");
                if stem.chars().count() >= 5
                    && !stem.ends_with('i')
                    && self.doc_freq(self.body, &with_on) > 0
                {
                    forms.push(with_on);
                }
            }
        }
        forms
    }

    /// The stem must match; a title match and the exact form add a little,
    /// through the rescore query.
    fn word_clause(&mut self, stem: &str, exact: &str) -> Box<dyn Query> {
        // The bonuses only reorder the best candidates (see `Plan::rescore`).
        // The title field is French-analysed whatever the statement's
        // language: the English plan looks it up by the word's French stem.
        // The French stem of the word as typed, read once: for the title,
        // and for the number forms of the exact-form bonus.
        let french = if exact.is_empty() || (!self.english && self.options.typed_number_only) {
            None
        } else {
            self.french_stem(exact)
        };
        let title_stem = if self.english {
            french.as_deref()
        } else {
            Some(stem)
        };
        if let Some(title_stem) = title_stem {
            self.rescore.push(Box::new(BoostQuery::new(
                self.in_statements_for(
                    self.fields.title,
                    self.text_term(self.fields.title, title_stem),
                ),
                TITLE_BOOST,
            )));
        }
        if !exact.is_empty() {
            let bonus = self.exact_bonus(exact, french.as_deref());
            self.rescore
                .push(Box::new(BoostQuery::new(bonus, EXACT_BOOST)));
        }
        self.text_term(self.body, stem)
    }

    /// The French stem of `word`, or a solid compound's joined stem (the
    /// token spanning its parts: `cyberattaques` → `cyberattaqu`); `None`
    /// when it has none.
    fn french_stem(&mut self, word: &str) -> Option<String> {
        let tokens = analysis::tokens(&mut self.french, word);
        match tokens.as_slice() {
            [t] => Some(t.text.clone()),
            _ => tokens
                .iter()
                .filter(|t| t.position_length > 1)
                .max_by_key(|t| t.position_length)
                .map(|t| t.text.clone()),
        }
    }

    /// The exact-form bonus of a word: its folded form, or the same word
    /// in the other grammatical number (the best of them, so that
    /// `hôpital` and `hôpitaux` rank alike). A number form counts only
    /// when the index holds it and it has the word's stem
    /// ([`analysis::number::number_forms`]); `french` is the word's French
    /// stem ([`Planner::french_stem`]).
    fn exact_bonus(&mut self, exact: &str, french: Option<&str>) -> Box<dyn Query> {
        let mut forms = vec![self.text_term(self.fields.body_exact, exact)];
        if let (false, Some(stem)) = (self.options.typed_number_only, french) {
            for form in analysis::number::number_forms(exact) {
                let same_stem = self.french_stem(&form).as_deref() == Some(stem);
                if same_stem && self.doc_freq(self.fields.body_exact, &form) > 0 {
                    forms.push(self.text_term(self.fields.body_exact, &form));
                }
            }
        }
        if forms.len() == 1 {
            return forms.remove(0);
        }
        // The best form, seeked form by form ([`super::best_of`]).
        Box::new(super::best_of::BestOf::new(forms))
    }

    /// A term of an analysed field, scored with this plan's BM25.
    fn text_term(&self, field: Field, text: &str) -> Box<dyn Query> {
        text_term(field, text, self.options.bm25)
    }

    /// The stored text of the first `most` paragraphs holding the indexed
    /// (folded, unstemmed) word `folded`, in index order.
    fn texts_holding(&self, folded: &str, most: usize) -> Vec<String> {
        use tantivy::schema::Value;
        use tantivy::DocSet;
        let term = Term::from_field_text(self.fields.body_exact, folded);
        let mut texts = Vec::new();
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(self.fields.body_exact) else {
                continue;
            };
            let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED && texts.len() < most {
                let address = tantivy::DocAddress::new(ord as u32, doc);
                if let Ok(stored) = self.searcher.doc::<tantivy::TantivyDocument>(address) {
                    if let Some(text) = stored.get_first(self.fields.text).and_then(|v| v.as_str())
                    {
                        texts.push(text.to_string());
                    }
                }
                doc = postings.advance();
            }
        }
        texts
    }

    /// Whether the texts write the indexed word `folded` as a name: with a
    /// capital inside a sentence, in one of the first five paragraphs
    /// holding it (`Chine`, `Exchange`), not only at the start of
    /// sentences or list items (`Chaîne d'approvisionnement…`).
    fn used_as_name(&mut self, folded: &str) -> bool {
        for text in self.texts_holding(folded, 5) {
            for token in self.exact_tokens(&text) {
                if token.text != folded {
                    continue;
                }
                let written = &text[token.offset_from..token.offset_to];
                let before = text[..token.offset_from].trim_end();
                let opens_sentence = before.is_empty()
                    || before.ends_with([
                        '.', '!', '?', ':', '«', '"', '“', '‘', '(', '–', '—', '-', '•',
                    ]);
                if is_capitalised(written) && !opens_sentence {
                    return true;
                }
            }
        }
        false
    }

    /// How the text writes the folded indexed word `folded` (`cyberdefense`
    /// → `cyberdéfense`): its spelling in the first paragraph that holds it,
    /// lowercased unless written in capitals; `folded` itself when none is
    /// found. For the notes that name a correction in the user's words.
    fn written_form(&mut self, folded: &str) -> String {
        for text in self.texts_holding(folded, 5) {
            for token in self.exact_tokens(&text) {
                if token.text == folded {
                    let written = &text[token.offset_from..token.offset_to];
                    return if written.chars().all(|c| !c.is_lowercase()) {
                        written.to_string()
                    } else {
                        written.to_lowercase()
                    };
                }
            }
        }
        folded.to_string()
    }

    /// Whether `word` has hits through the other language's analyzer.
    fn found_in_other_language(&self, word: &str) -> bool {
        if !self.other_language {
            return false;
        }
        let manager = self.searcher.index().tokenizers();
        let (name, field) = if self.english {
            (analysis::FRENCH, self.fields.body)
        } else {
            (analysis::ENGLISH, self.fields.body_en)
        };
        let Some(mut other) = manager.get(name) else {
            return false;
        };
        analysis::tokens(&mut other, word)
            .first()
            .is_some_and(|t| self.doc_freq(field, &t.text) > 0)
    }

    /// Whether the index holds `folded` in the other grammatical number,
    /// stemmed alike (`sismique` typed, `sismiques` indexed): the word is
    /// then a word of the texts in another number, not a typo, and the
    /// walk through the dictionary for close words is not needed.
    fn other_number_indexed(&mut self, folded: &str, stem: &str) -> bool {
        analysis::number::forms_stemmed_as(folded, &mut self.stem, stem)
            .iter()
            .any(|form| self.doc_freq(self.fields.body_exact, form) > 0)
    }

    /// A word that is not in the index as typed but whose stem is (the
    /// typo `compromision` stems like `compromis`): also search the indexed
    /// words one edit away that have another stem and more paragraphs than
    /// the stem reading, and say so; not when the index holds the word in
    /// the other grammatical number ([`Self::other_number_indexed`]).
    fn also_typo(
        &mut self,
        t: &TermNode,
        stem: &str,
        folded: &str,
        stem_df: u64,
    ) -> Option<Box<dyn Query>> {
        if folded.chars().count() < fuzzy::MIN_FUZZY_CHARS
            || self.doc_freq(self.fields.body_exact, folded) > 0
            || self.other_number_indexed(folded, stem)
        {
            return None;
        }
        let mut found: Vec<(String, String)> = Vec::new();
        // A name is never also shown as a common word (`Corée` as `créé`),
        // as in the correction of a word that finds nothing ([`Self::fuzzy`]).
        let name = is_capitalised(&t.text);
        for c in fuzzy::candidates(self.searcher, self.fields.body_exact, folded, 1) {
            if c.distance == 0 || c.doc_freq <= stem_df || (name && !self.used_as_name(&c.word)) {
                continue;
            }
            let other = analysis::tokens(&mut self.stem, &c.word)
                .into_iter()
                .next()?
                .text;
            if other != stem && self.doc_freq(self.body, &other) > stem_df {
                found.push((c.word, other));
            }
            if found.len() == fuzzy::MOST_CORRECTIONS {
                break;
            }
        }
        if found.is_empty() {
            return None;
        }
        let words: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        let shown: Vec<String> = words.iter().map(|w| self.written_form(w)).collect();
        self.notes.push(QueryNote {
            position: Some(t.position),
            message: fuzzy::correction_note(&t.text, &shown, true),
        });
        self.explain.push(format!(
            "{} → {stem} OR {} (possible typo)",
            t.text,
            words.join(" OR ")
        ));
        self.highlight.stems.insert(stem.to_string());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, self.word_clause(stem, folded))];
        for (word, other) in &found {
            self.highlight.stems.insert(other.clone());
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(self.word_clause(other, word), 0.5)),
            ));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// A word searched through its closest indexed words: `explicit` for
    /// `word~N` (the word itself counts and ranks first), else the
    /// automatic correction of a word that finds nothing as typed.
    fn fuzzy(
        &mut self,
        t: &TermNode,
        folded: &str,
        distance: u8,
        explicit: bool,
        elsewhere: bool,
    ) -> Box<dyn Query> {
        // Closest first: one edit, and two only if one finds nothing.
        let found = if explicit || distance < 2 {
            fuzzy::candidates(self.searcher, self.fields.body_exact, folded, distance)
        } else {
            let one = fuzzy::candidates(self.searcher, self.fields.body_exact, folded, 1);
            if one.iter().any(|c| c.distance > 0) {
                one
            } else {
                fuzzy::candidates(self.searcher, self.fields.body_exact, folded, 2)
            }
        };
        // Only words this plan's language has (their stem is in its field);
        // each candidate is stemmed once, here.
        let mut found: Vec<(fuzzy::Candidate, String)> = found
            .into_iter()
            .filter_map(|c| {
                let stem = analysis::tokens(&mut self.stem, &c.word)
                    .into_iter()
                    .next()?
                    .text;
                (self.doc_freq(self.body, &stem) > 0).then_some((c, stem))
            })
            .collect();
        if !explicit {
            found = fuzzy::closest(found, |c| &c.0);
        }
        if found.is_empty() {
            self.explain.push(format!(
                "{} → {} (no indexed word within {distance} edit{})",
                t.text,
                folded,
                if distance == 1 { "" } else { "s" }
            ));
            return Box::new(EmptyQuery);
        }
        if !explicit && is_capitalised(&t.text) {
            let names: Vec<bool> = found.iter().map(|c| self.used_as_name(&c.0.word)).collect();
            if names.contains(&true) {
                // A capitalised word is corrected into the names among its
                // close words only: `Chiine` into `Chine`, not `chaîne`.
                let mut is_name = names.into_iter();
                found.retain(|_| is_name.next().unwrap_or(false));
            } else {
                // `Chine` is a name: never "corrected" into `chaîne`.
                let shown: Vec<String> =
                    found.iter().map(|c| self.written_form(&c.0.word)).collect();
                self.notes.push(QueryNote {
                    position: Some(t.position),
                    message: fuzzy::name_refusal_note(&t.text, &shown),
                });
                self.explain.push(format!(
                    "{} → (a name; not corrected into {})",
                    t.text,
                    shown.join(" or ")
                ));
                return Box::new(EmptyQuery);
            }
        }
        let words: Vec<&str> = found.iter().map(|c| c.0.word.as_str()).collect();
        if explicit {
            self.explain
                .push(format!("{}~{distance} → {}", t.text, words.join(" OR ")));
        } else {
            let shown: Vec<String> = words.iter().map(|w| self.written_form(w)).collect();
            if let [word] = shown.as_slice() {
                self.last_correction = Some((t.position, word.clone()));
            }
            self.notes.push(QueryNote {
                position: Some(t.position),
                message: fuzzy::correction_note(&t.text, &shown, elsewhere),
            });
            self.explain.push(format!(
                "{} → {} (typo corrected)",
                t.text,
                words.join(" OR ")
            ));
        }
        let clauses = found
            .iter()
            .map(|(c, stem)| {
                self.highlight.stems.insert(stem.clone());
                // Exact spelling first, then one edit, then two.
                let weight = match c.distance {
                    0 => 2.0,
                    1 => 1.0,
                    _ => 0.5,
                };
                let q: Box<dyn Query> =
                    Box::new(BoostQuery::new(self.word_clause(stem, &c.word), weight));
                (Occur::Should, q)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn prefix(&mut self, t: &TermNode) -> Box<dyn Query> {
        let exact = self.exact_tokens(&t.text);
        let Some(prefix) = exact
            .iter()
            .find(|e| e.position_length > 1)
            .or_else(|| exact.last())
            .map(|e| e.text.clone())
        else {
            return Box::new(EmptyQuery);
        };
        let field = self.fields.body_exact;
        let mut terms = self.terms_starting_with(field, &prefix);
        if terms.len() > MAX_EXPANSIONS {
            self.notes.push(QueryNote {
                position: Some(t.position),
                message: format!(
                    "`{}*` matches {} words; searching the {MAX_EXPANSIONS} most frequent",
                    t.text,
                    terms.len()
                ),
            });
            terms.truncate(MAX_EXPANSIONS);
        }
        let shown: Vec<&str> = terms.iter().take(8).map(|t| t.0.as_str()).collect();
        self.explain.push(format!(
            "{}* → {prefix}* ({} word{}: {}{})",
            t.text,
            terms.len(),
            if terms.len() == 1 { "" } else { "s" },
            shown.join(", "),
            if terms.len() > 8 { ", …" } else { "" }
        ));
        if terms.is_empty() {
            return Box::new(EmptyQuery);
        }
        let clauses = terms
            .iter()
            .map(|(w, _)| {
                self.highlight.exact.insert(w.clone());
                (Occur::Should, text_term(field, w, self.options.bm25))
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// The note of a field filter with no word in it (`title:*`,
    /// `source:-`): it is left out of the query.
    fn no_word_in_field(&mut self, field: &str, text: &str, position: usize) {
        self.notes.push(QueryNote {
            position: Some(position),
            message: format!("`{field}:{text}` has no word to search; ignored"),
        });
    }

    /// The indexed terms of `field` starting with `prefix`, with the number
    /// of paragraphs holding each (summed over segments), most frequent
    /// first, then alphabetical.
    fn terms_starting_with(&self, field: Field, prefix: &str) -> Vec<(String, u64)> {
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                continue;
            };
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !key.starts_with(prefix) {
                    break;
                }
                *found.entry(key.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        let mut terms: Vec<(String, u64)> = found.into_iter().collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        terms
    }

    /// `title:word*`, `source:word*`, `ref:word*`: the statements whose
    /// field holds a word starting with `word` (folded; for the stemmed
    /// title, its stem when shorter, so `title:sécurité*` meets the title
    /// term `secur`).
    fn field_prefix(&mut self, field: &str, t: &TermNode) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let Some(target) = self.text_filter_field(field) else {
            return self.field_term(field, &t.text, t.position);
        };
        let Some(folded) = self.exact_tokens(&t.text).last().map(|e| e.text.clone()) else {
            self.no_word_in_field(field, &format!("{}*", t.text), t.position);
            return None;
        };
        let prefix = if target == f.title {
            analysis::tokens(&mut self.french, &folded)
                .into_iter()
                .next()
                .map(|s| s.text)
                .filter(|stem| folded.starts_with(stem.as_str()))
                .unwrap_or(folded)
        } else {
            folded
        };
        let mut terms = self.terms_starting_with(target, &prefix);
        terms.truncate(MAX_EXPANSIONS);
        self.explain.push(format!(
            "{field}:{}* → {field} has a word starting with {prefix} ({} word{})",
            t.text,
            terms.len(),
            if terms.len() == 1 { "" } else { "s" }
        ));
        if terms.is_empty() {
            self.notes.push(QueryNote {
                position: Some(t.position),
                message: format!(
                    "no statement's {field} holds a word starting with {}, so {field}:{}* matches nothing",
                    t.text, t.text
                ),
            });
            return Some(Box::new(EmptyQuery));
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|(w, _)| (Occur::Should, term_query(target, w)))
            .collect();
        Some(self.in_statements_for(target, Box::new(BooleanQuery::new(clauses))))
    }

    /// `text` with each word that finds nothing in the index replaced by
    /// its closest indexed word, as written in the statements (the most
    /// frequent at the smallest distance, as [`Planner::fuzzy`] picks), with
    /// a note; `None` when every word is indexed, a word has no close
    /// indexed word, or typos are not corrected (`exact`). A phrase is
    /// corrected only as a whole: a part left unfound would find nothing.
    fn correct_phrase(&mut self, text: &str, position: usize) -> Option<String> {
        if self.options.exact {
            return None;
        }
        let mut fixes: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for t in self.exact_tokens(text) {
            let chars = t.text.chars().count();
            if t.position_length > 1
                || t.offset_to > text.len()
                || self.doc_freq(self.fields.body_exact, &t.text) > 0
                || self.stem_found(&text[t.offset_from..t.offset_to])
            {
                continue;
            }
            let distance = fuzzy::auto_distance(chars);
            if distance == 0 {
                return None;
            }
            let best = fuzzy::candidates(self.searcher, self.fields.body_exact, &t.text, distance)
                .into_iter()
                .filter(|c| c.distance > 0)
                .min_by_key(|c| (c.distance, std::cmp::Reverse(c.doc_freq)))?;
            let written = self.written_form(&best.word);
            fixes.push((t.offset_from..t.offset_to, written));
        }
        if fixes.is_empty() {
            return None;
        }
        let mut corrected = text.to_string();
        for (range, word) in fixes.iter().rev() {
            corrected.replace_range(range.clone(), word);
        }
        self.notes.push(QueryNote {
            position: Some(position),
            message: format!("no hits for \"{text}\"; showing \"{corrected}\""),
        });
        self.explain
            .push(format!("\"{text}\" → \"{corrected}\" (typo corrected)"));
        Some(corrected)
    }

    /// Whether `word` (as typed) finds paragraphs through its stem in this
    /// plan's language: another inflection (`menaces` where the texts say
    /// *menace*) or spelling (`behavior` where they say *behaviour*) is
    /// no typo to correct.
    fn stem_found(&mut self, word: &str) -> bool {
        let body = self.body;
        analysis::tokens(&mut self.stem, word)
            .iter()
            .any(|t| self.doc_freq(body, &t.text) > 0)
    }

    fn phrase(
        &mut self,
        text: &str,
        slop: u32,
        field: Option<&str>,
        position: usize,
    ) -> Option<Box<dyn Query>> {
        if let Some(field) = field {
            return self.field_term(field, text, position);
        }
        // `"période d essai"`: the elision typed detached, read as written
        // in the texts (`d'essai`), whose positions the phrase must meet.
        let joined = analysis::elision::join_detached(text);
        let text = if self.english { text } else { joined.as_ref() };
        if let Some(corrected) = self.correct_phrase(text, position) {
            return self.phrase(&corrected, slop, None, position);
        }
        // `"jusqu'à"`: an elided form whose remainder is a function word,
        // searched as written (as the same word unquoted), not as `à`.
        if let Some(whole) = elided_stop_form(text) {
            return Some(self.elided_as_written(&format!("\"{}\"", text.trim()), whole));
        }
        let tokens = analysis::tokens(&mut self.stem, text);
        if tokens.is_empty() {
            self.notes.push(QueryNote {
                position: Some(position),
                message: "empty phrase; ignored".into(),
            });
            return None;
        }
        let (parts, joined) = variants(&tokens);
        // Compounds typed whole in the phrase are highlighted whole.
        for t in tokens.iter().filter(|t| t.position_length > 1) {
            self.highlight.stems.insert(t.text.clone());
        }
        let body = self.body;
        let mut alts = vec![(
            Occur::Should,
            phrase_query(body, &parts, slop, self.options.bm25),
        )];
        let rel = |v: &[(usize, String)]| -> Vec<(usize, String)> {
            let base = v.first().map_or(0, |f| f.0);
            v.iter().map(|(p, s)| (p - base, s.clone())).collect()
        };
        self.highlight.phrases.push(PhraseSpec {
            terms: rel(&parts),
            slop,
        });
        let mut shown = format!(
            "\"{}\"",
            parts
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        );
        if let Some(joined) = joined {
            alts.push((
                Occur::Should,
                phrase_query(body, &joined, slop, self.options.bm25),
            ));
            self.highlight.phrases.push(PhraseSpec {
                terms: rel(&joined),
                slop,
            });
            shown.push_str(&format!(
                " OR \"{}\"",
                joined
                    .iter()
                    .map(|p| p.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if parts.len() == 1 {
            self.highlight.stems.insert(parts[0].1.clone());
        }
        if slop > 0 {
            shown.push_str(&format!("~{slop}"));
        }
        self.explain.push(format!("\"{text}\" → {shown}"));
        Some(boolean(alts))
    }

    fn field_term(&mut self, field: &str, text: &str, position: usize) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let (target, analyzer) = match (self.text_filter_field(field), field) {
            // Titles are French-analysed for every statement (an English
            // plan's stems would miss them: `paris` → `pari`).
            (Some(title), _) if title == f.title => (title, &mut self.french),
            (Some(other), _) => (other, &mut self.exact),
            (None, "lang") => {
                let code = text.trim().to_lowercase();
                self.explain.push(format!("lang:{text} → lang = {code}"));
                if let Some(note) = absent_language(self.searcher, f.lang, &code) {
                    self.notes.push(QueryNote {
                        position: Some(position),
                        message: note,
                    });
                }
                return Some(term_query(f.lang, &code));
            }
            (None, other) => {
                self.notes.push(QueryNote {
                    position: Some(position),
                    message: format!("unknown field `{other}`; ignored"),
                });
                return None;
            }
        };
        let mut tokens = analysis::tokens(analyzer, text);
        // A word in capitals also gets its acronym term (`=otan`), which
        // only the paragraph text holds: a source or reference typed in
        // capitals (OTAN) must find the same as in lower case.
        tokens.retain(|t| !t.text.starts_with(analysis::acronym::ACRONYM_MARK));
        let (parts, _) = variants(&tokens);
        if parts.is_empty() {
            self.no_word_in_field(field, text, position);
            return None;
        }
        if parts
            .iter()
            .any(|(_, term)| self.doc_freq(target, term) == 0)
        {
            self.notes.push(QueryNote {
                position: Some(position),
                message: format!(
                    "no statement's {field} holds the words of {field}:{text}, so nothing can match"
                ),
            });
        }
        self.explain.push(format!(
            "{field}:{text} → {field} has \"{}\"",
            parts
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ));
        let query = phrase_query(target, &parts, 0, self.options.bm25);
        Some(self.in_statements_for(target, query))
    }

    /// The text field a `name:` filter searches (`title`, `source`,
    /// `ref`); `None` for `lang` and unknown names.
    fn text_filter_field(&self, name: &str) -> Option<Field> {
        match name {
            "title" => Some(self.fields.title),
            "source" => Some(self.fields.source),
            "ref" => Some(self.fields.reference),
            _ => None,
        }
    }

    /// `query` on `target`, over every paragraph of the matching statements
    /// when `target` is the title, indexed on a statement's first paragraph
    /// only ([`InStatement`]).
    fn in_statements_for(&self, target: Field, query: Box<dyn Query>) -> Box<dyn Query> {
        if target == self.fields.title {
            Box::new(InStatement::new(query, self.columns.clone()))
        } else {
            query
        }
    }
}

impl Planner<'_> {
    /// The query `source:"text"` plans to (statements whose source holds
    /// the words of `text`, in order); `None` when `text` has no
    /// searchable word.
    pub fn source_filter(mut self, text: &str) -> Option<Box<dyn Query>> {
        self.field_term("source", text, 0)
    }
}

/// A note saying that no statement of the index is in language `code`,
/// naming those it holds; `None` when some statement is.
pub fn absent_language(searcher: &Searcher, lang: Field, code: &str) -> Option<String> {
    if searcher
        .doc_freq(&Term::from_field_text(lang, code))
        .unwrap_or(0)
        > 0
    {
        return None;
    }
    let mut present = std::collections::BTreeSet::new();
    for reader in searcher.segment_readers() {
        let Ok(inverted) = reader.inverted_index(lang) else {
            continue;
        };
        let mut terms = inverted.terms().stream().ok()?;
        while terms.advance() {
            present.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    let held: Vec<String> = present.into_iter().collect();
    Some(format!(
        "no statement is in language `{code}` here, so nothing can match (this index holds: {})",
        if held.is_empty() {
            "no statement".to_string()
        } else {
            held.join(", ")
        }
    ))
}

/// The factor that brings a synonym's score to the scale of the words
/// typed: a synonym of three common words would otherwise outscore the one
/// rare word it stands for. `typed` and `synonym` are their weights (see
/// `Planner::weight_of`); a synonym is scaled down, never up, and at most
/// to a fifth.
fn synonym_scale(typed: f32, synonym: f32) -> f32 {
    if synonym <= f32::EPSILON || typed <= f32::EPSILON {
        return 1.0;
    }
    (typed / synonym).clamp(0.2, 1.0)
}

/// Range query on the date field for `[since, until]` (days, inclusive).
fn date_range(
    field: Field,
    since: Option<jiff::civil::Date>,
    until: Option<jiff::civil::Date>,
) -> Option<Box<dyn Query>> {
    use crate::index::{FIRST_DATE, LAST_DATE};
    use std::ops::Bound;
    if since.is_none() && until.is_none() {
        return None;
    }
    // Bounds beyond the dates an index holds: none, or nothing matches.
    if since.is_some_and(|d| d > LAST_DATE) || until.is_some_and(|d| d < FIRST_DATE) {
        return Some(Box::new(EmptyQuery));
    }
    // Otherwise held to them: still only dated statements match.
    let since = since.map(|d| d.max(FIRST_DATE));
    let until = until.map(|d| d.min(LAST_DATE));
    let lower = since.map_or(Bound::Unbounded, |d| {
        Bound::Included(Term::from_field_date(
            field,
            crate::index::to_tantivy_date(d),
        ))
    });
    let upper = until.map_or(Bound::Unbounded, |d| {
        let next = d.tomorrow().unwrap_or(d);
        Bound::Excluded(Term::from_field_date(
            field,
            crate::index::to_tantivy_date(next),
        ))
    });
    Some(Box::new(RangeQuery::new(lower, upper)))
}

enum Clause {
    Positive(Box<dyn Query>),
    Negative(Box<dyn Query>),
}

/// Whether a free query word is a stop word (after elision, lowercased).
/// The folded elided form of `word` when it is one whose remainder is a
/// function word (`jusqu'à`, `lorsqu'il`): such a word is searched as
/// written (`jusqu'a` in `body_exact`), not as its remainder `à`. `None`
/// for any other word, or for several words.
pub(crate) fn elided_stop_form(word: &str) -> Option<String> {
    let word = word.trim();
    (!word.contains(char::is_whitespace) && is_stop(word) && elided_prefix_len(word) > 0)
        .then(|| crate::analysis::fold::fold(word))
}

/// Whether `word` is a function word a query leaves out: a French one
/// ([`is_stop`]), or an English one when the query's wording shows
/// English (`english_wording`, [`PlanOptions::english_wording`]). The
/// cluster search asks the same.
pub(crate) fn left_out(word: &str, english_wording: bool) -> bool {
    is_stop(word)
        || (english_wording
            && crate::analysis::stopwords::is_english_stop_word(&word.to_lowercase()))
}

pub(crate) fn is_stop(word: &str) -> bool {
    let w = &word[elided_prefix_len(word)..];
    // A lone elided article (`l'`, `jusqu’`) is a stop word too.
    let w = w
        .trim_end_matches(crate::analysis::tokenizer::is_apostrophe)
        .to_lowercase();
    is_stop_word(&w) || crate::analysis::elision::ELIDED.contains(&w.as_str())
}

/// Free positive words of `node` (not under NOT, no field, no prefix).
pub(crate) fn collect_free_terms<'n>(node: &'n Node, negated: bool, out: &mut Vec<&'n TermNode>) {
    match node {
        Node::Term(t) if !negated && t.field.is_none() && !t.prefix => out.push(t),
        Node::Term(_) | Node::Phrase { .. } | Node::DateRange { .. } => {}
        Node::Not(n) => collect_free_terms(n, true, out),
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| collect_free_terms(n, negated, out)),
    }
}
