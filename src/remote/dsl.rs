//! A vigie query → OpenSearch query DSL, through vigie's own analysis.
//!
//! The query is read by [`crate::search::query::parse`] and each word or
//! phrase goes through the same analyzers as the local planner
//! ([`crate::search::plan`]), once for French paragraphs (`body`, French
//! stems) and once for English ones (`body_en`, English stems); the two
//! are ORed, each held to its language by the `lang` field. What each part
//! becomes, on the term fields of [`super::mapping`]:
//!
//! | query | DSL |
//! |---|---|
//! | `word` | `term` on `body` or `body_alt` (stem); `-ons` verb forms ORed, as locally |
//! | `cyber-défense` (compound) | joined form OR `match_phrase` of the parts |
//! | `cyber défense` (adjacent words) | both words, OR the joined form `cyberdefens` |
//! | `"a b"~N` | `match_phrase` (slop N) of the parts, OR of the joined forms |
//! | `sécur*` | `prefix` on `body_exact` / `body_exact_alt` (folded prefix) |
//! | `word~N` | `fuzzy` on `body_exact` (N edits) |
//! | `UN` (a stop word in capitals), `WHO` (an ambiguous thesaurus entry in capitals) | `term` `=un` on `body_exact_alt` |
//! | a run of words naming a thesaurus entry (`ONU`) | `bool` of its words (named `fr:typed#k`) OR `dis_max` of its synonyms (`match_phrase`, or `=un` for `UN`; boost 0.8, `fr:synonym#k`); its related concepts are left out, as by the local `--all-words` |
//! | `title:` / `source:` / `ref:` | `match_phrase` on `title_terms` / `source_terms` / `reference_terms` |
//! | `lang:en` | `term` on `lang` |
//! | `date:[a TO b]` | `range` on `date` |
//! | AND / OR / NOT | `bool` `must` / `should` / `must_not` (NOT in both languages) |
//!
//! Stop words are dropped from free words unless the query has nothing
//! else, as locally. Synonyms are searched where the local planner
//! searches them: runs of top-level words or an exact phrase
//! ([`synonym::find`]), a word or phrase on its own inside OR or
//! parentheses ([`synonym::of_node`]), never under NOT, not at all with
//! [`translate`] (`--exact`). What the local search adds and this does
//! not here: typo correction (asked of the cluster by [`super::typo`] and
//! applied by rewriting the query before it is translated), paragraphs lent by
//! their statement or translation (always `--all-words`), and prefix
//! expansion capped at the 128 most frequent words (the cluster's
//! `prefix` has no cap); synonyms are weighted by fixed boosts, not by
//! the local planner's idf-scaled weights.
//! The highlight specification is built alongside, as the planner builds
//! it, so that hits are highlighted exactly as locally.

use serde_json::{json, Value};
use tantivy::tokenizer::{TextAnalyzer, Token};

use crate::analysis::{
    self,
    acronym::{acronym_term, ACRONYM_MARK},
    elision::elided_prefix_len,
    stopwords::is_stop_word,
};
use crate::search::highlight::{HighlightSpec, PhraseSpec};
use crate::search::plan::{
    collect_free_terms, elided_stop_form, is_stop, left_out, variants, MAX_SYNONYMS,
};
use crate::search::query::{self, Node, QueryNote, TermNode};
use crate::search::synonym::{self, Expansion, Target, RELATED_WEIGHT, SYNONYM_WEIGHT};
use crate::thesaurus::Thesaurus;

use super::typo::Correction;

/// Filters of a search besides the query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only statements dated on or after this day.
    pub since: Option<jiff::civil::Date>,
    /// Only statements dated on or before this day.
    pub until: Option<jiff::civil::Date>,
    /// Only statements in this language (lower-case code).
    pub lang: Option<String>,
}

/// A query translated for OpenSearch.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The DSL `query` clause.
    pub query: Value,
    /// What to highlight in French (and other non-English) paragraphs.
    pub highlight_fr: HighlightSpec,
    /// What to highlight in English paragraphs.
    pub highlight_en: HighlightSpec,
    /// Folded prefixes of `word*` parts: words of a hit starting with one
    /// are highlighted.
    pub prefixes: Vec<String>,
    /// `(folded word, edits)` of `word~N` parts: words of a hit within
    /// that many edits are highlighted.
    pub fuzzy: Vec<(String, u8)>,
    /// The positive top-level parts of the query, as typed (every hit
    /// holds them all).
    pub labels: Vec<String>,
    /// How each part was understood, one line each.
    pub explain: Vec<String>,
    /// Problems worked around while reading the query.
    pub notes: Vec<QueryNote>,
    /// How many top-level runs of words were expanded with their synonyms:
    /// run `k`'s clauses are named [`run_name`]`(lang, "typed", k)`,
    /// `(lang, "synonym", k)` and `(lang, "related", k)`, so that a hit's
    /// `matched_queries` tell whether it holds the words as typed
    /// ([`via`]).
    pub runs: usize,
}

/// The `_name` of the clause `what` (`typed`, `synonym` or `related`) of
/// the expanded run `k` on the side of `english` paragraphs or the others.
pub fn run_name(english: bool, what: &str, k: usize) -> String {
    format!("{}:{what}#{k}", if english { "en" } else { "fr" })
}

/// How a hit holds the query, from the names of the clauses it matched
/// (`matched_queries`), as the local ranking says it (`via` in JSON):
/// `Some("related")` when some run is held only through a related
/// concept, else `Some("synonym")` when some run is held only through a
/// synonym, else `None` (the words as typed).
pub fn via(t: &Translation, english: bool, matched: &[&str]) -> Option<&'static str> {
    let has = |what: &str, k: usize| matched.contains(&run_name(english, what, k).as_str());
    let (mut synonym, mut related) = (false, false);
    for k in 0..t.runs {
        if has("typed", k) {
            continue;
        }
        if has("synonym", k) {
            synonym = true;
        } else if has("related", k) {
            related = true;
        }
    }
    if related {
        Some("related")
    } else if synonym {
        Some("synonym")
    } else {
        None
    }
}

/// A clause that must match, or must not.
enum Clause {
    Positive(Value),
    Negative(Value),
}

/// `{"match_all": {}}`.
fn match_all() -> Value {
    json!({"match_all": {}})
}

/// `{"match_none": {}}`.
fn match_none() -> Value {
    json!({"match_none": {}})
}

/// `term` on a term field or its `_alt` companion.
fn term_any(field: &str, term: &str) -> Value {
    json!({"bool": {"should": [
        {"term": {field: term}},
        {"term": {format!("{field}_alt"): term}}
    ], "minimum_should_match": 1}})
}

/// Any of `terms` on a term field or its `_alt` companion (`term_any`
/// when there is one).
fn terms_any(field: &str, terms: &[String]) -> Value {
    if let [t] = terms {
        return term_any(field, t);
    }
    json!({"bool": {"should": [
        {"terms": {field: terms}},
        {"terms": {format!("{field}_alt"): terms}}
    ], "minimum_should_match": 1}})
}

/// The OR of `clauses` (the clause itself when there is one).
fn or(mut clauses: Vec<Value>) -> Value {
    if clauses.len() == 1 {
        return clauses.remove(0);
    }
    json!({"bool": {"should": clauses, "minimum_should_match": 1}})
}

/// A phrase of `terms` (with positions) on `field`: a `term` when it has
/// one term, `match_phrase` (whitespace analysis) otherwise.
fn phrase(field: &str, terms: &[(usize, String)], slop: u32) -> Value {
    match terms {
        [] => match_none(),
        [(_, t)] => term_any(field, t),
        _ => {
            let text: Vec<&str> = terms.iter().map(|(_, t)| t.as_str()).collect();
            json!({"match_phrase": {field: {"query": text.join(" "), "slop": slop}}})
        }
    }
}

/// Positions relative to the first.
fn relative(v: &[(usize, String)]) -> Vec<(usize, String)> {
    let base = v.first().map_or(0, |f| f.0);
    v.iter().map(|(p, s)| (p - base, s.clone())).collect()
}

/// Translates one language's side of a query.
struct Translator<'t> {
    english: bool,
    /// Entries for synonyms and ambiguous acronyms (`WHO` in capitals).
    thesaurus: &'t Thesaurus,
    /// Whether words that name a thesaurus entry also search its synonyms
    /// (off with `--exact`).
    synonyms: bool,
    /// Whether a free word or phrase met by [`Translator::node`] is
    /// expanded on its own (false for the top-level items, expanded by
    /// runs, and under NOT).
    expand_nodes: bool,
    /// How many more synonyms this side may search ([`MAX_SYNONYMS`]).
    synonym_budget: usize,
    /// Top-level runs expanded so far (for their clause names).
    runs: usize,
    /// Whether stop words are searched (the query has nothing else).
    keep_stop_words: bool,
    /// Whether the query's wording shows English: its English function
    /// words are left out too, as locally
    /// ([`crate::search::plan::PlanOptions::english_wording`]).
    english_wording: bool,
    /// Whether highlights, explanations and notes are recorded (not for
    /// the other language's side of a NOT).
    record: bool,
    stem: TextAnalyzer,
    exact: TextAnalyzer,
    highlight: HighlightSpec,
    prefixes: Vec<String>,
    fuzzy: Vec<(String, u8)>,
    explain: Vec<String>,
    notes: Vec<QueryNote>,
    /// Typo corrections of top-level words, by the word's byte offset
    /// ([`super::typo`]).
    corrections: &'t [Correction],
}

impl<'t> Translator<'t> {
    fn new(
        english: bool,
        keep_stop_words: bool,
        thesaurus: &'t Thesaurus,
        synonyms: bool,
        corrections: &'t [Correction],
    ) -> Translator<'t> {
        Translator {
            corrections,
            english,
            thesaurus,
            synonyms,
            expand_nodes: true,
            synonym_budget: MAX_SYNONYMS,
            runs: 0,
            keep_stop_words,
            english_wording: false,
            record: true,
            stem: if english {
                analysis::english()
            } else {
                analysis::french()
            },
            exact: analysis::french_exact(),
            highlight: HighlightSpec {
                english,
                ..HighlightSpec::default()
            },
            prefixes: Vec::new(),
            fuzzy: Vec::new(),
            explain: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The stemmed paragraph field of this language.
    fn body(&self) -> &'static str {
        if self.english {
            "body_en"
        } else {
            "body"
        }
    }

    fn explain(&mut self, line: String) {
        if self.record && !self.explain.contains(&line) {
            self.explain.push(line);
        }
    }

    fn note(&mut self, position: usize, message: String) {
        let note = QueryNote {
            position: Some(position),
            message,
        };
        if self.record && !self.notes.contains(&note) {
            self.notes.push(note);
        }
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
                // Not highlighted; excluded in every language.
                let saved = std::mem::replace(
                    &mut self.highlight,
                    HighlightSpec {
                        english: self.english,
                        ..HighlightSpec::default()
                    },
                );
                let (saved_prefixes, saved_fuzzy) = (self.prefixes.len(), self.fuzzy.len());
                // `-ONU` excludes what it says, not its synonyms.
                let saved_expand = std::mem::replace(&mut self.expand_nodes, false);
                let q = self.node(inner);
                self.expand_nodes = saved_expand;
                self.highlight = saved;
                self.prefixes.truncate(saved_prefixes);
                self.fuzzy.truncate(saved_fuzzy);
                let mut other = Translator::new(
                    !self.english,
                    self.keep_stop_words,
                    self.thesaurus,
                    false,
                    &[],
                );
                other.record = false;
                other.expand_nodes = false;
                other.english_wording = self.english_wording;
                let q = match (q, other.node(inner)) {
                    (Some(Clause::Positive(a)), Some(Clause::Positive(b))) => {
                        Some(Clause::Positive(or(vec![a, b])))
                    }
                    (q, _) => q,
                };
                match q? {
                    Clause::Positive(q) => Some(Clause::Negative(q)),
                    Clause::Negative(q) => Some(Clause::Positive(q)),
                }
            }
            Node::DateRange { since, until, .. } => {
                self.explain(format!(
                    "date between {} and {}",
                    since.map_or("…".to_string(), |d| d.to_string()),
                    until.map_or("…".to_string(), |d| d.to_string())
                ));
                date_range(*since, *until).map(Clause::Positive)
            }
            Node::And(items) => self.and(items, false),
            Node::Or(items) => {
                let clauses: Vec<Value> = items
                    .iter()
                    .filter_map(|n| self.node(n))
                    .map(|c| match c {
                        Clause::Positive(q) => q,
                        Clause::Negative(q) => {
                            json!({"bool": {"must": [match_all()], "must_not": [q]}})
                        }
                    })
                    .collect();
                if clauses.is_empty() {
                    None
                } else {
                    Some(Clause::Positive(or(clauses)))
                }
            }
        }
    }

    /// An AND of `items`; `top` for the query's top level, where a
    /// compound word also matches with its parts anywhere (as the local
    /// ranking's slots do).
    fn and(&mut self, items: &[Node], top: bool) -> Option<Clause> {
        let mut must: Vec<Value> = Vec::new();
        let mut must_not: Vec<Value> = Vec::new();
        // Plain single words of the positive clauses, in order, for the
        // adjacent-pair join; `None` for other clauses.
        let mut plain: Vec<Option<String>> = Vec::new();
        // The item of each clause of `must`.
        let mut item_of: Vec<usize> = Vec::new();
        // Runs of top-level words that name a thesaurus entry, as the
        // local planner finds them (`synonym::find`).
        let expansions: Vec<Expansion> = if top && self.synonyms {
            let refs: Vec<&Node> = items.iter().collect();
            synonym::find(self.thesaurus, &refs)
                .into_iter()
                .filter_map(Expansion::without_related)
                .collect()
        } else {
            Vec::new()
        };
        for (at, n) in items.iter().enumerate() {
            // A free word or phrase of the top level is expanded with its
            // run, below.
            let saved_expand = self.expand_nodes;
            if top && matches!(n, Node::Term(_) | Node::Phrase { .. }) {
                self.expand_nodes = false;
            }
            let single = match n {
                Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none() => {
                    Some(t.text.clone())
                }
                _ => None,
            };
            if top {
                if let Some(q) = self.top_compound(n) {
                    self.expand_nodes = saved_expand;
                    must.push(q);
                    plain.push(None);
                    item_of.push(at);
                    continue;
                }
            }
            let planned = self.node(n);
            self.expand_nodes = saved_expand;
            match planned {
                Some(Clause::Positive(q)) => {
                    must.push(q);
                    plain.push(single);
                    item_of.push(at);
                }
                Some(Clause::Negative(q)) => {
                    must_not.push(q);
                }
                None => {}
            }
        }
        if must.is_empty() && must_not.is_empty() {
            return None;
        }
        if must.is_empty() {
            must.push(match_all());
            plain.push(None);
            item_of.push(usize::MAX);
        }
        // Each run: its words as typed OR one of its synonyms (a paragraph
        // holds each word of the run, or a synonym standing for them all).
        let mut runs: Vec<(std::ops::Range<usize>, usize, Value)> = Vec::new();
        for e in &expansions {
            if !item_of.iter().any(|i| e.items.contains(i)) {
                continue;
            }
            let k = self.runs;
            if let Some(also) = self.synonym_clauses(e, Some(k)) {
                self.runs += 1;
                runs.push((e.items.clone(), k, also));
            }
        }
        // `cyber défense` also finds `cyberdéfense`: at most 3 such joins.
        let mut alternatives: Vec<Value> = Vec::new();
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
            if self.record {
                self.highlight.stems.insert(j.text.clone());
            }
            self.explain(format!("{a} {b} → also {} (joined)", j.text));
            let rest: Vec<(usize, Value)> = must
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != i && *k != i + 1)
                .map(|(k, q)| (item_of[k], q.clone()))
                .collect();
            let mut alt = self.group_runs(rest, &runs, false);
            alt.push(term_any(self.body(), &j.text));
            alternatives.push(json!({"bool": {"must": alt, "must_not": must_not.clone()}}));
        }
        let mut must = self.group_runs(item_of.iter().copied().zip(must).collect(), &runs, true);
        if alternatives.is_empty() && must_not.is_empty() && must.len() == 1 {
            return Some(Clause::Positive(must.remove(0)));
        }
        let base = json!({"bool": {"must": must, "must_not": must_not}});
        if alternatives.is_empty() {
            return Some(Clause::Positive(base));
        }
        let mut should = vec![base];
        should.extend(alternatives);
        Some(Clause::Positive(or(should)))
    }

    /// `clauses` (each with its top-level item) with the clauses of each
    /// expanded run replaced by one: `bool` of them (named as typed when
    /// `named`: a name is given once, to the query's main branch, not to
    /// the branches of joined words) OR the run's synonyms (`runs`: items,
    /// number, synonym clause).
    fn group_runs(
        &self,
        clauses: Vec<(usize, Value)>,
        runs: &[(std::ops::Range<usize>, usize, Value)],
        named: bool,
    ) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        let mut owns: Vec<Vec<Value>> = vec![Vec::new(); runs.len()];
        // Where each run's clause goes: at its first item's clause.
        let mut slot: Vec<Option<usize>> = vec![None; runs.len()];
        for (item, q) in clauses {
            match runs.iter().position(|r| r.0.contains(&item)) {
                Some(r) => {
                    if slot[r].is_none() {
                        slot[r] = Some(out.len());
                        out.push(Value::Null);
                    }
                    owns[r].push(q);
                }
                None => out.push(q),
            }
        }
        for (r, (_, k, also)) in runs.iter().enumerate() {
            let Some(at) = slot[r] else { continue };
            let mut typed = json!({"bool": {"must": std::mem::take(&mut owns[r])}});
            if named {
                typed["bool"]["_name"] = json!(run_name(self.english, "typed", *k));
            }
            let mut should = vec![typed];
            match also {
                Value::Array(v) => should.extend(v.iter().cloned()),
                other => should.push(other.clone()),
            }
            out[at] = json!({"bool": {"should": should, "minimum_should_match": 1}});
        }
        out
    }

    /// `query` (for `node`, a free word or phrase met on its own: inside OR,
    /// parentheses) OR the synonyms of `node`, when it names a thesaurus
    /// entry and expansion is on.
    fn with_synonyms(&mut self, node: &Node, query: Value) -> Value {
        if !self.expand_nodes || !self.synonyms {
            return query;
        }
        let Some(e) = synonym::of_node(self.thesaurus, node).and_then(Expansion::without_related)
        else {
            return query;
        };
        match self.synonym_clauses(&e, None) {
            Some(Value::Array(also)) => {
                let mut should = vec![query];
                should.extend(also);
                or(should)
            }
            Some(also) => or(vec![query, also]),
            None => query,
        }
    }

    /// What `e` also searches, as the local planner searches it: each
    /// synonym as an exact phrase of its analysed words (an ambiguous
    /// acronym as its `body_exact` term, `=un`), never corrected; the
    /// synonyms in one `dis_max` boosted [`SYNONYM_WEIGHT`], the related
    /// concepts in another boosted [`RELATED_WEIGHT`] (the best one counts,
    /// not their sum). Named after run `k` when it is one. An array of the
    /// clauses (one or two); `None` when nothing can be searched or the
    /// query has used up its [`MAX_SYNONYMS`].
    fn synonym_clauses(&mut self, e: &Expansion, k: Option<usize>) -> Option<Value> {
        if self.synonym_budget < e.targets.len() {
            self.note(
                0,
                format!(
                    "the query names too many thesaurus entries: the synonyms of `{}` are not searched",
                    e.typed
                ),
            );
            return None;
        }
        self.synonym_budget -= e.targets.len();
        let explain = std::mem::take(&mut self.explain);
        let notes = std::mem::take(&mut self.notes);
        let mut synonyms: Vec<Value> = Vec::new();
        let mut related: Vec<Value> = Vec::new();
        for (i, target) in e.targets.iter().enumerate() {
            let q = match target {
                Target::Acronym { term, .. } => {
                    if self.record {
                        self.highlight.exact.insert(term.clone());
                    }
                    Some(term_any("body_exact", term))
                }
                Target::Words(text) => {
                    let before = self.highlight.phrases.len();
                    let stems = self.highlight.stems.clone();
                    let q = self.phrase(text, 0, None, 0);
                    // A name of several words is marked only where it
                    // occurs whole, never one of its words alone.
                    if text.split_whitespace().nth(1).is_some() {
                        self.highlight.stems = stems;
                    }
                    // Where it matches inside a compound, the compound is
                    // shown whole (as locally).
                    let added: Vec<PhraseSpec> = self.highlight.phrases.drain(before..).collect();
                    self.highlight.compound_phrases.extend(added);
                    q
                }
            };
            if let Some(q) = q {
                if i < e.related {
                    synonyms.push(q);
                } else {
                    related.push(q);
                }
            }
        }
        self.explain = explain;
        self.notes = notes;
        let mut out = Vec::new();
        for (what, queries, boost) in [
            ("synonym", synonyms, SYNONYM_WEIGHT),
            ("related", related, RELATED_WEIGHT),
        ] {
            if queries.is_empty() {
                continue;
            }
            // 0.8, not the f32's 0.800000011920929.
            let boost = (f64::from(boost) * 1e6).round() / 1e6;
            let mut q = json!({"dis_max": {"queries": queries, "boost": boost}});
            if let Some(k) = k {
                q["dis_max"]["_name"] = json!(run_name(self.english, what, k));
            }
            out.push(q);
        }
        if out.is_empty() {
            return None;
        }
        self.explain(e.explain(self.thesaurus));
        Some(Value::Array(out))
    }

    /// Whether `word`, as typed, is an ambiguous thesaurus entry written in
    /// capitals (`WHO`, `SOC`, `IA`): then it is searched in capitals
    /// only, as locally.
    ///
    /// (A word with a typo correction: see [`Translator::corrected`].)
    fn ambiguous_acronym(&self, word: &str) -> bool {
        if self.thesaurus.is_empty() || acronym_term(word).is_none() {
            return false;
        }
        let key = crate::thesaurus::key(&mut crate::thesaurus::key_analyzer(), word);
        self.thesaurus.lookup(&key).into_iter().any(|at| {
            let entry = self.thesaurus.entry(at);
            entry.ambiguous && entry.text == word
        })
    }

    /// The word `t` corrected by `c`: its close words (and the word itself
    /// when `c.also`), each searched as a word of its own with neither
    /// synonyms nor correction, as the local planner does.
    fn corrected(&mut self, t: &TermNode, c: &Correction) -> Option<Value> {
        let word = |text: &str| TermNode {
            text: text.to_string(),
            field: None,
            prefix: false,
            fuzzy: None,
            // No correction is at this offset: no recursion.
            position: usize::MAX,
        };
        let mut words: Vec<TermNode> = c.words.iter().map(|w| word(w)).collect();
        if c.also {
            words.insert(0, word(&t.text));
        }
        let clauses: Vec<Value> = words.iter().filter_map(|w| self.term(w)).collect();
        (!clauses.is_empty()).then(|| or(clauses))
    }

    fn term(&mut self, t: &TermNode) -> Option<Value> {
        if let Some(c) = self.corrections.iter().find(|c| c.position == t.position) {
            return self.corrected(t, c);
        }
        if let Some(field) = &t.field {
            return self.field_term(field, &t.text, t.position);
        }
        if t.prefix {
            return Some(self.prefix(t));
        }
        // `UN`, `AU` typed in capitals: the acronym, not the stop word.
        if t.fuzzy.is_none() && (is_stop(&t.text) || self.ambiguous_acronym(&t.text)) {
            if let Some(term) = acronym_term(&t.text) {
                self.explain(format!("{} → {term} (in capitals only)", t.text));
                if self.record {
                    self.highlight.exact.insert(term.clone());
                }
                return Some(term_any("body_exact", &term));
            }
        }
        if !self.keep_stop_words && left_out(&t.text, self.english_wording) {
            self.explain(format!("{} → (stop word, ignored)", t.text));
            return None;
        }
        if let Some(whole) = elided_stop_form(&t.text) {
            return Some(self.elided_as_written(&t.text, whole));
        }
        let stems = analysis::tokens(&mut self.stem, &t.text);
        let exact = self.exact_tokens(&t.text);
        if stems.is_empty() {
            self.note(
                t.position,
                if t.text.is_empty() {
                    "`*` alone matches no word: a prefix needs letters before the `*`; ignored"
                        .to_string()
                } else {
                    format!("`{}` has no searchable word; ignored", t.text)
                },
            );
            return None;
        }
        if let Some(distance) = t.fuzzy {
            let e = exact
                .iter()
                .find(|e| e.position_length > 1)
                .or_else(|| exact.last())
                .map_or_else(String::new, |e| e.text.clone());
            self.explain(format!(
                "{}~{distance} → words within {distance} edits of {e}",
                t.text
            ));
            if self.record {
                self.fuzzy.push((e.clone(), distance));
            }
            return Some(or(vec![
                json!({"fuzzy": {"body_exact": {"value": e, "fuzziness": distance, "transpositions": false}}}),
                json!({"fuzzy": {"body_exact_alt": {"value": e, "fuzziness": distance, "transpositions": false}}}),
            ]));
        }
        if let [s] = stems.as_slice() {
            let forms = self.verb_forms(&s.text);
            if self.record {
                self.highlight.stems.insert(s.text.clone());
                self.highlight.stems.extend(forms.iter().cloned());
            }
            let mut all = vec![s.text.clone()];
            all.extend(forms.iter().cloned());
            if forms.is_empty() {
                self.explain(format!("{} → {}", t.text, s.text));
            } else {
                self.explain(format!(
                    "{} → {} OR {} (verb forms)",
                    t.text,
                    s.text,
                    forms.join(" OR ")
                ));
            }
            return Some(terms_any(self.body(), &all));
        }
        // Compound: joined form OR phrase of the parts.
        let (parts, joined) = variants(&stems);
        let mut alts = Vec::new();
        let mut shown = Vec::new();
        if let Some(joined) = joined {
            for (_, j) in joined
                .iter()
                .filter(|(_, s)| !parts.iter().any(|(_, p)| p == s))
            {
                if self.record {
                    self.highlight.stems.insert(j.clone());
                }
                shown.push(j.clone());
                alts.push(term_any(self.body(), j));
            }
        }
        let texts: Vec<&str> = parts.iter().map(|p| p.1.as_str()).collect();
        shown.push(format!("\"{}\"", texts.join(" ")));
        self.explain(format!("{} → {}", t.text, shown.join(" OR ")));
        if self.record {
            self.highlight.compound_phrases.push(PhraseSpec {
                terms: relative(&parts),
                slop: 0,
            });
        }
        alts.push(phrase(self.body(), &parts, 0));
        Some(or(alts))
    }

    /// A plain top-level word that the analysis splits into parts
    /// (`cyber-risques`, `cyberstabilité`): the word whole OR every part
    /// that is not a stop word, anywhere in the paragraph (`risque cyber`,
    /// `stabilité du cyberespace`), as the local ranking counts it.
    /// `None` for other items.
    fn top_compound(&mut self, item: &Node) -> Option<Value> {
        let Node::Term(t) = item else { return None };
        if t.field.is_some() || t.prefix || t.fuzzy.is_some() {
            return None;
        }
        let tokens = analysis::tokens(&mut self.stem, &t.text);
        let (parts, joined) = variants(&tokens);
        joined.as_ref()?;
        if parts.len() < 2 || parts.iter().any(|p| p.1.chars().count() < 2) {
            return None;
        }
        let mut found = Vec::new();
        for part in tokens.iter().filter(|t| t.position_length == 1) {
            let source =
                &t.text[part.offset_from.min(t.text.len())..part.offset_to.min(t.text.len())];
            if is_stop(source) || is_stop_word(&part.text) {
                continue;
            }
            found.push(part.text.clone());
        }
        if found.is_empty() {
            return None;
        }
        let whole = self.term(t)?;
        if self.record {
            self.highlight.part_stems.extend(found.iter().cloned());
        }
        self.explain(format!(
            "{} → also its parts anywhere: {}",
            t.text,
            found.join(" AND ")
        ));
        let every: Vec<Value> = found.iter().map(|p| term_any(self.body(), p)).collect();
        Some(or(vec![whole, json!({"bool": {"must": every}})]))
    }

    /// The other stem of a French verb that Snowball keeps apart (`-ons`),
    /// by the local planner's rule. Locally it is searched only when the
    /// index has it; a term the cluster does not have matches nothing, so
    /// it is always sent.
    fn verb_forms(&self, stem: &str) -> Vec<String> {
        if self.english {
            return Vec::new();
        }
        match stem.strip_suffix("on") {
            Some(base) if base.chars().count() >= 5 && !base.ends_with('i') => {
                vec![base.to_string()]
            }
            Some(_) => Vec::new(),
            None if stem.chars().count() >= 5 && !stem.ends_with('i') => {
                vec![format!("{stem}on")]
            }
            None => Vec::new(),
        }
    }

    /// Tokens of `text` through the unstemmed analyzer, without the whole
    /// elided forms kept beside their remainders (`l'otan` beside `otan`)
    /// and the acronym terms (`=otan`), as the local planner takes them.
    fn exact_tokens(&mut self, text: &str) -> Vec<Token> {
        let mut tokens = analysis::tokens(&mut self.exact, text);
        tokens.retain(|t| elided_prefix_len(&t.text) == 0 && !t.text.starts_with(ACRONYM_MARK));
        tokens
    }

    fn prefix(&mut self, t: &TermNode) -> Value {
        let exact = self.exact_tokens(&t.text);
        let Some(prefix) = exact
            .iter()
            .find(|e| e.position_length > 1)
            .or_else(|| exact.last())
            .map(|e| e.text.clone())
        else {
            return match_none();
        };
        self.explain(format!("{}* → {prefix}*", t.text));
        if self.record {
            self.prefixes.push(prefix.clone());
        }
        or(vec![
            json!({"prefix": {"body_exact": prefix}}),
            json!({"prefix": {"body_exact_alt": prefix}}),
        ])
    }

    /// The clause for an elided form searched as written (as locally:
    /// [`elided_stop_form`] gave `whole`), `shown` as the user typed it.
    fn elided_as_written(&mut self, shown: &str, whole: String) -> Value {
        self.explain(format!("{shown} → {whole} (the elided form as written)"));
        if self.record {
            self.highlight.exact.insert(whole.clone());
        }
        term_any("body_exact", &whole)
    }

    fn phrase(
        &mut self,
        text: &str,
        slop: u32,
        field: Option<&str>,
        position: usize,
    ) -> Option<Value> {
        if let Some(field) = field {
            return self.field_term(field, text, position);
        }
        // `"période d essai"` read as the texts write it, as locally.
        let joined = analysis::elision::join_detached(text);
        let text = if self.english { text } else { joined.as_ref() };
        // `"jusqu'à"`: the elided form as written, as unquoted (and locally).
        if let Some(whole) = elided_stop_form(text) {
            return Some(self.elided_as_written(&format!("\"{}\"", text.trim()), whole));
        }
        let tokens = analysis::tokens(&mut self.stem, text);
        if tokens.is_empty() {
            self.note(position, "empty phrase; ignored".into());
            return None;
        }
        let (parts, joined) = variants(&tokens);
        if self.record {
            for t in tokens.iter().filter(|t| t.position_length > 1) {
                self.highlight.stems.insert(t.text.clone());
            }
            self.highlight.phrases.push(PhraseSpec {
                terms: relative(&parts),
                slop,
            });
        }
        let body = self.body();
        let mut alts = vec![phrase(body, &parts, slop)];
        let mut shown = format!(
            "\"{}\"",
            parts
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        );
        if let Some(joined) = joined {
            alts.push(phrase(body, &joined, slop));
            if self.record {
                self.highlight.phrases.push(PhraseSpec {
                    terms: relative(&joined),
                    slop,
                });
            }
            shown.push_str(&format!(
                " OR \"{}\"",
                joined
                    .iter()
                    .map(|p| p.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if parts.len() == 1 && self.record {
            self.highlight.stems.insert(parts[0].1.clone());
        }
        if slop > 0 {
            shown.push_str(&format!("~{slop}"));
        }
        self.explain(format!("\"{text}\" → {shown}"));
        Some(or(alts))
    }

    fn field_term(&mut self, field: &str, text: &str, position: usize) -> Option<Value> {
        let field = query::field_alias(field);
        let (target, exact) = match field {
            "title" => ("title_terms", false),
            "source" => ("source_terms", true),
            "ref" => ("reference_terms", true),
            "lang" => {
                let code = text.trim().to_lowercase();
                self.explain(format!("lang:{text} → lang = {code}"));
                return Some(json!({"term": {"lang": code}}));
            }
            other => {
                self.note(position, format!("unknown field `{other}`; ignored"));
                return None;
            }
        };
        // Titles hold French stems for every statement (as locally).
        let mut french;
        let analyzer = if exact {
            &mut self.exact
        } else if self.english {
            french = analysis::french();
            &mut french
        } else {
            &mut self.stem
        };
        let mut tokens = analysis::tokens(analyzer, text);
        tokens.retain(|t| !t.text.starts_with(ACRONYM_MARK));
        let (parts, _) = variants(&tokens);
        if parts.is_empty() {
            return None;
        }
        self.explain(format!(
            "{field}:{text} → {field} has \"{}\"",
            parts
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ));
        Some(phrase(target, &parts, 0))
    }
}

/// The `range` on `date` of `[since, until]` (days, inclusive), held to the
/// dates an index can store; `match_none` when nothing can match.
fn date_range(since: Option<jiff::civil::Date>, until: Option<jiff::civil::Date>) -> Option<Value> {
    use crate::index::{FIRST_DATE, LAST_DATE};
    if since.is_none() && until.is_none() {
        return None;
    }
    if since.is_some_and(|d| d > LAST_DATE)
        || until.is_some_and(|d| d < FIRST_DATE)
        || matches!((since, until), (Some(s), Some(u)) if s > u)
    {
        return Some(match_none());
    }
    let mut range = serde_json::Map::new();
    if let Some(d) = since {
        range.insert("gte".into(), json!(d.max(FIRST_DATE).to_string()));
    }
    if let Some(d) = until {
        range.insert("lte".into(), json!(d.min(LAST_DATE).to_string()));
    }
    range.insert("format".into(), json!("yyyy-MM-dd"));
    Some(json!({"range": {"date": range}}))
}

/// Translates `query_text` with `filters` as `--exact` does (see the
/// module docs): no thesaurus. A query with nothing to search becomes
/// `match_none`, with a note.
pub fn translate(query_text: &str, filters: &Filters) -> Translation {
    translate_with(query_text, filters, &Thesaurus::empty(), false)
}

/// Translates `query_text` with `filters` and `thesaurus`: its ambiguous
/// acronyms are searched in capitals only (`WHO`), and with `synonyms`
/// (the local search without `--exact`) the runs of words that name an
/// entry also search its synonyms and related concepts, as the local
/// planner finds them ([`synonym::find`], [`synonym::of_node`]). A query
/// with nothing to search becomes `match_none`, with a note.
pub fn translate_with(
    query_text: &str,
    filters: &Filters,
    thesaurus: &Thesaurus,
    synonyms: bool,
) -> Translation {
    translate_corrected(query_text, filters, (thesaurus, synonyms), &[])
}

/// [`translate_with`], with the top-level words that `corrections` name
/// (by byte offset) searched as their corrections ([`super::typo`]); the
/// corrections' notes and explanations are the caller's.
pub fn translate_corrected(
    query_text: &str,
    filters: &Filters,
    (thesaurus, synonyms): (&Thesaurus, bool),
    corrections: &[Correction],
) -> Translation {
    let parsed = query::parse(query_text);
    let mut notes = parsed.notes;
    notes.extend(parsed.hints);
    let mut free = Vec::new();
    if let Some(root) = &parsed.root {
        collect_free_terms(root, false, &mut free);
    }
    let english_wording = crate::search::language::shown(parsed.root.as_ref()) == Some(true);
    let keep_stop_words =
        !free.is_empty() && free.iter().all(|t| left_out(&t.text, english_wording));
    let mut fr = Translator::new(false, keep_stop_words, thesaurus, synonyms, corrections);
    let mut en = Translator::new(true, keep_stop_words, thesaurus, synonyms, corrections);
    fr.english_wording = english_wording;
    en.english_wording = english_wording;
    let side = |t: &mut Translator| -> Option<Value> {
        let root = parsed.root.as_ref()?;
        let clause = match root {
            Node::And(items) => t.and(items, true),
            Node::Term(_) | Node::Phrase { .. } => t.and(std::slice::from_ref(root), true),
            other => t.node(other),
        };
        Some(match clause? {
            Clause::Positive(q) => q,
            Clause::Negative(q) => json!({"bool": {"must": [match_all()], "must_not": [q]}}),
        })
    };
    let q_fr = side(&mut fr);
    let q_en = side(&mut en);
    let labels = match &parsed.root {
        Some(Node::And(items)) => items
            .iter()
            .filter(|n| !matches!(n, Node::Not(_) | Node::DateRange { .. }))
            .map(|n| n.to_string())
            .collect(),
        Some(Node::Not(_)) | None => Vec::new(),
        Some(other) => vec![other.to_string()],
    };
    let mut filter = Vec::new();
    if let Some(r) = date_range(filters.since, filters.until) {
        filter.push(r);
    }
    if let Some(code) = &filters.lang {
        filter.push(json!({"term": {"lang": code.to_lowercase()}}));
    }
    let query = match (q_fr, q_en) {
        (Some(f), Some(e)) => json!({"bool": {
            "should": [
                {"bool": {"must": [f], "must_not": [{"term": {"lang": "en"}}]}},
                {"bool": {"must": [e], "filter": [{"term": {"lang": "en"}}]}}
            ],
            "minimum_should_match": 1,
            "filter": filter
        }}),
        _ => {
            notes.push(QueryNote {
                position: None,
                message: "nothing to search".to_string(),
            });
            match_none()
        }
    };
    let mut explain = fr.explain;
    for line in en.explain {
        let line = format!("[en] {line}");
        if !explain.contains(&line) {
            explain.push(line);
        }
    }
    for n in fr.notes.into_iter().chain(en.notes) {
        if !notes.contains(&n) {
            notes.push(n);
        }
    }
    let mut prefixes = fr.prefixes;
    prefixes.extend(en.prefixes);
    prefixes.sort();
    prefixes.dedup();
    let mut fuzzy = fr.fuzzy;
    fuzzy.extend(en.fuzzy);
    fuzzy.sort();
    fuzzy.dedup();
    Translation {
        query,
        highlight_fr: fr.highlight,
        highlight_en: en.highlight,
        prefixes,
        fuzzy,
        labels,
        explain,
        notes,
        runs: fr.runs.max(en.runs),
    }
}

/// The French side of a translated query: `query.bool.should[0].bool.must[0]`.
pub fn french_side(query: &Value) -> Option<&Value> {
    query.pointer("/bool/should/0/bool/must/0")
}
#[cfg(test)]
mod tests {
    use super::*;

    fn fr(q: &str) -> Value {
        french_side(&translate(q, &Filters::default()).query)
            .cloned()
            .unwrap_or(Value::Null)
    }

    #[test]
    fn a_word_is_its_stem_in_the_stemmed_field() {
        // sécurité → securit (folded, then stemmed), in body or body_alt,
        // or its `-ons` verb form, which matches nothing unless a
        // paragraph has it (locally: searched only when the index has it).
        let words = ["securit".to_string(), "securiton".to_string()];
        assert_eq!(fr("sécurité"), terms_any("body", &words));
        assert_eq!(fr("otan"), term_any("body", "otan"));
        let t = translate("sécurité", &Filters::default());
        assert!(t.highlight_fr.stems.contains("securit"));
        assert_eq!(t.labels, ["sécurité"]);
    }

    #[test]
    fn words_are_anded_and_stop_words_dropped() {
        let q = fr("la otan chine");
        let must = q.pointer("/bool/should/0/bool/must").unwrap();
        assert_eq!(
            must,
            &json!([term_any("body", "otan"), term_any("body", "chin")])
        );
        // …or the joined form of the two words.
        let alt = q.pointer("/bool/should/1/bool/must").unwrap();
        assert_eq!(alt, &json!([term_any("body", "otanchin")]));
    }

    #[test]
    fn an_english_query_leaves_its_function_words_out_as_locally() {
        // `the` shows English: left out on both sides, as the local
        // planner does, where a French query keeps searching `the` (the
        // folded `thé`).
        let ignored = |q: &str| {
            let t = translate(q, &Filters::default());
            t.explain
                .iter()
                .any(|l| l.ends_with("→ (stop word, ignored)"))
        };
        assert!(ignored("the alliance"));
        assert!(!ignored("thé alliance"));
        let both = |q: &str| french_side(&translate(q, &Filters::default()).query).cloned();
        assert_eq!(both("the alliance"), both("alliance"));
    }

    #[test]
    fn or_not_and_phrases() {
        assert_eq!(
            fr("otan OR chine"),
            or(vec![term_any("body", "otan"), term_any("body", "chin")])
        );
        let q = fr("otan -chine");
        assert_eq!(q["bool"]["must"], json!([term_any("body", "otan")]));
        // Excluded in both languages.
        assert_eq!(
            q["bool"]["must_not"],
            json!([or(vec![
                term_any("body", "chin"),
                term_any("body_en", "chine")
            ])])
        );
        assert_eq!(
            fr("\"droit international\"~2"),
            json!({"match_phrase": {"body": {"query": "droit international", "slop": 2}}})
        );
    }

    #[test]
    fn a_compound_is_its_joined_form_or_its_parts_in_order() {
        let whole = or(vec![
            term_any("body", "cyberdefens"),
            json!({"match_phrase": {"body": {"query": "cyb defens", "slop": 0}}}),
        ]);
        // Inside an OR: the word whole.
        assert_eq!(
            fr("cyber-défense OR otan"),
            or(vec![whole.clone(), term_any("body", "otan")])
        );
        // At the top level, as the local ranking counts it: also its parts
        // anywhere in the paragraph.
        assert_eq!(
            fr("cyber-défense"),
            or(vec![
                whole,
                json!({"bool": {"must": [term_any("body", "cyb"), term_any("body", "defens")]}})
            ])
        );
    }

    #[test]
    fn prefixes_fields_dates_and_acronyms() {
        assert_eq!(
            fr("Sécur*"),
            or(vec![
                json!({"prefix": {"body_exact": "secur"}}),
                json!({"prefix": {"body_exact_alt": "secur"}})
            ])
        );
        assert_eq!(fr("lang:EN"), json!({"term": {"lang": "en"}}));
        assert_eq!(fr("source:OTAN"), term_any("source_terms", "otan"));
        assert_eq!(
            fr("date:2021"),
            json!({"range": {"date": {"gte": "2021-01-01", "lte": "2021-12-31", "format": "yyyy-MM-dd"}}})
        );
        // `UN` in capitals is the acronym, not the article.
        assert_eq!(fr("UN"), term_any("body_exact", "=un"));
        assert_eq!(fr("date:[2022 TO 2021]"), match_none());
    }

    #[test]
    fn filters_and_an_empty_query() {
        let t = translate(
            "otan",
            &Filters {
                since: Some(jiff::civil::date(2020, 1, 1)),
                until: None,
                lang: Some("FR".into()),
            },
        );
        assert_eq!(
            t.query["bool"]["filter"],
            json!([
                {"range": {"date": {"gte": "2020-01-01", "format": "yyyy-MM-dd"}}},
                {"term": {"lang": "fr"}}
            ])
        );
        let none = translate("", &Filters::default());
        assert_eq!(none.query, match_none());
    }

    /// A thesaurus of one group: `ONU`, its names, and `UN` (ambiguous:
    /// only in capitals), with a related concept.
    fn onu_thesaurus() -> Thesaurus {
        let mut t = Thesaurus::empty();
        t.extend(
            crate::thesaurus::parse::parse(
                "multilatéralisme, multilatéral\n\
                 # ambiguous: UN\n# related: multilatéralisme\nONU, Nations unies, UN\n",
                "t.txt",
            )
            .expect("valid"),
        );
        t
    }

    fn fr_syn(q: &str) -> Value {
        let t = translate_with(q, &Filters::default(), &onu_thesaurus(), true);
        french_side(&t.query).cloned().unwrap_or(Value::Null)
    }

    #[test]
    fn a_word_naming_an_entry_also_searches_its_synonyms_below_it() {
        // ONU as typed (named, to tell synonym hits), OR the phrase
        // "Nations unies" (stems nation, uni) OR the acronym UN in
        // capitals (its body_exact term `=un`), the better one counting,
        // boosted 0.8. Not its related concept (`multilatéralisme`): the
        // cluster search is the local `--all-words`, which keeps to the
        // words and their synonyms.
        let expected = json!({"bool": {"should": [
            {"bool": {"must": [term_any("body", "onu")], "_name": "fr:typed#0"}},
            {"dis_max": {"queries": [
                {"match_phrase": {"body": {"query": "nation uni", "slop": 0}}},
                term_any("body_exact", "=un")
            ], "boost": 0.8, "_name": "fr:synonym#0"}}
        ], "minimum_should_match": 1}});
        assert_eq!(fr_syn("ONU"), expected);
        let t = translate_with("ONU", &Filters::default(), &onu_thesaurus(), true);
        assert_eq!(t.runs, 1);
        // Highlighted on the synonym as written: the phrase whole, the
        // acronym in capitals.
        assert!(t.highlight_fr.exact.contains("=un"));
        let text = "Les Nations unies, l'ONU et l'UN ; un nation, une unie.";
        let ranges = t.highlight_fr.ranges(text);
        let words: Vec<&str> = ranges.iter().map(|r| &text[r[0]..r[1]]).collect();
        // (each word of the phrase is its own range, as locally; the
        // lone "nation" and "unie" are not marked).
        assert_eq!(words, ["Nations", "unies", "ONU", "UN"]);
    }

    #[test]
    fn a_run_of_words_is_held_whole_or_through_a_synonym() {
        // Both words as typed, or the entry's other names (a quoted phrase
        // asks for its wording: synonyms, no related concept).
        let q = fr_syn("\"Nations unies\" sécurité");
        let run = &q["bool"]["must"][0]["bool"]["should"];
        assert_eq!(
            run[0],
            json!({"bool": {"must": [
                {"match_phrase": {"body": {"query": "nation uni", "slop": 0}}}
            ], "_name": "fr:typed#0"}})
        );
        assert_eq!(
            run[1],
            json!({"dis_max": {"queries": [
                term_any("body", "onu"),
                term_any("body_exact", "=un")
            ], "boost": 0.8, "_name": "fr:synonym#0"}})
        );
        assert_eq!(run.as_array().map(Vec::len), Some(2));
        // The other word stays on its own.
        assert_eq!(
            q["bool"]["must"][1],
            terms_any("body", &["securit".into(), "securiton".into()])
        );
    }

    #[test]
    fn no_synonyms_with_exact_under_not_or_for_other_words() {
        // --exact: the word alone.
        assert_eq!(
            french_side(&translate_with("ONU", &Filters::default(), &onu_thesaurus(), false).query)
                .cloned(),
            Some(term_any("body", "onu"))
        );
        assert_eq!(fr("ONU"), term_any("body", "onu"));
        // `-ONU` excludes what it says.
        let q = fr_syn("otan -ONU");
        assert_eq!(
            q["bool"]["must_not"],
            json!([or(vec![
                term_any("body", "onu"),
                term_any("body_en", "onu")
            ])])
        );
        // Inside OR: expanded on its own, not named (not a run).
        let q = fr_syn("otan OR ONU");
        assert_eq!(q["bool"]["should"][0], term_any("body", "otan"));
        let onu = &q["bool"]["should"][1]["bool"]["should"];
        assert_eq!(onu[0], term_any("body", "onu"));
        assert_eq!(onu[1]["dis_max"]["boost"], json!(0.8));
        assert!(onu[1]["dis_max"].get("_name").is_none());
        // `un` in lower case is the article: no entry.
        assert_eq!(
            fr_syn("un accord"),
            terms_any("body", &["accord".into(), "accordon".into()])
        );
    }

    #[test]
    fn a_hit_is_via_a_synonym_when_it_lacks_the_words_of_a_run() {
        let t = translate_with("ONU", &Filters::default(), &onu_thesaurus(), true);
        assert_eq!(via(&t, false, &["fr:typed#0", "fr:synonym#0"]), None);
        assert_eq!(via(&t, false, &["fr:synonym#0"]), Some("synonym"));
        assert_eq!(via(&t, false, &["fr:related#0"]), Some("related"));
        // The other language's names say nothing of a French paragraph.
        assert_eq!(
            via(&t, false, &["en:typed#0", "fr:synonym#0"]),
            Some("synonym")
        );
        assert_eq!(via(&t, true, &["en:typed#0", "fr:synonym#0"]), None);
    }

    #[test]
    fn english_paragraphs_get_english_stems() {
        let t = translate("attacks", &Filters::default());
        assert_eq!(
            t.query.pointer("/bool/should/1/bool/must/0").unwrap(),
            &term_any("body_en", "attack")
        );
        assert!(t.highlight_en.stems.contains("attack"));
    }
}
