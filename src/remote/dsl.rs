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
//! | `UN` (a stop word in capitals) | `term` `=un` on `body_exact_alt` |
//! | `title:` / `source:` / `ref:` | `match_phrase` on `title_terms` / `source_terms` / `reference_terms` |
//! | `lang:en` | `term` on `lang` |
//! | `date:[a TO b]` | `range` on `date` |
//! | AND / OR / NOT | `bool` `must` / `should` / `must_not` (NOT in both languages) |
//!
//! Stop words are dropped from free words unless the query has nothing
//! else, as locally. What the local search adds and this does not: typo
//! correction of a word that finds nothing and thesaurus synonyms (the
//! cluster search is always `--exact`), paragraphs lent by their statement
//! or translation (always `--all-words`), and prefix expansion capped at
//! the 128 most frequent words (the cluster's `prefix` has no cap).
//! The highlight specification is built alongside, as the planner builds
//! it, so that hits are highlighted exactly as locally.

use serde_json::{json, Value};
use tantivy::tokenizer::{TextAnalyzer, Token};

use crate::analysis::{
    self,
    acronym::{acronym_term, ACRONYM_MARK},
    elision::{elided_prefix_len, ELIDED},
    stopwords::is_stop_word,
};
use crate::search::highlight::{HighlightSpec, PhraseSpec};
use crate::search::query::{self, Node, QueryNote, TermNode};

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

/// Terms with their positions, as a phrase takes them.
type Positioned = Vec<(usize, String)>;

/// Splits analysed tokens into the parts (one-position tokens) and, when
/// there is a compound, the sequence with each compound replaced by its
/// joined form (as the local planner does).
fn variants(tokens: &[Token]) -> (Positioned, Option<Positioned>) {
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

/// Positions relative to the first.
fn relative(v: &[(usize, String)]) -> Vec<(usize, String)> {
    let base = v.first().map_or(0, |f| f.0);
    v.iter().map(|(p, s)| (p - base, s.clone())).collect()
}

/// Whether a free query word is a stop word (after elision, lowercased).
fn is_stop(word: &str) -> bool {
    let w = &word[elided_prefix_len(word)..];
    let w = w
        .trim_end_matches(crate::analysis::tokenizer::is_apostrophe)
        .to_lowercase();
    is_stop_word(&w) || ELIDED.contains(&w.as_str())
}

/// Free positive words of `node` (not under NOT, no field, no prefix).
fn free_terms<'n>(node: &'n Node, negated: bool, out: &mut Vec<&'n TermNode>) {
    match node {
        Node::Term(t) if !negated && t.field.is_none() && !t.prefix => out.push(t),
        Node::Term(_) | Node::Phrase { .. } | Node::DateRange { .. } => {}
        Node::Not(n) => free_terms(n, true, out),
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| free_terms(n, negated, out)),
    }
}

/// Translates one language's side of a query.
struct Translator {
    english: bool,
    /// Whether stop words are searched (the query has nothing else).
    keep_stop_words: bool,
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
}

impl Translator {
    fn new(english: bool, keep_stop_words: bool) -> Translator {
        Translator {
            english,
            keep_stop_words,
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
        let note = QueryNote { position, message };
        if self.record && !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn node(&mut self, node: &Node) -> Option<Clause> {
        match node {
            Node::Term(t) => self.term(t).map(Clause::Positive),
            Node::Phrase {
                text,
                slop,
                field,
                position,
            } => self
                .phrase(text, *slop, field.as_deref(), *position)
                .map(Clause::Positive),
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
                let q = self.node(inner);
                self.highlight = saved;
                self.prefixes.truncate(saved_prefixes);
                self.fuzzy.truncate(saved_fuzzy);
                let mut other = Translator::new(!self.english, self.keep_stop_words);
                other.record = false;
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
        for n in items {
            let single = match n {
                Node::Term(t) if t.field.is_none() && !t.prefix && t.fuzzy.is_none() => {
                    Some(t.text.clone())
                }
                _ => None,
            };
            if top {
                if let Some(q) = self.top_compound(n) {
                    must.push(q);
                    plain.push(None);
                    continue;
                }
            }
            match self.node(n) {
                Some(Clause::Positive(q)) => {
                    must.push(q);
                    plain.push(single);
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
            let mut alt: Vec<Value> = must
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != i && *k != i + 1)
                .map(|(_, q)| q.clone())
                .collect();
            alt.push(term_any(self.body(), &j.text));
            alternatives.push(json!({"bool": {"must": alt, "must_not": must_not.clone()}}));
        }
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

    fn term(&mut self, t: &TermNode) -> Option<Value> {
        if let Some(field) = &t.field {
            return self.field_term(field, &t.text, t.position);
        }
        if t.prefix {
            return Some(self.prefix(t));
        }
        // `UN`, `AU` typed in capitals: the acronym, not the stop word.
        if t.fuzzy.is_none() && is_stop(&t.text) {
            if let Some(term) = acronym_term(&t.text) {
                self.explain(format!("{} → {term} (in capitals only)", t.text));
                if self.record {
                    self.highlight.exact.insert(term.clone());
                }
                return Some(term_any("body_exact", &term));
            }
        }
        if !self.keep_stop_words && is_stop(&t.text) {
            self.explain(format!("{} → (stop word, ignored)", t.text));
            return None;
        }
        if is_stop(&t.text) && elided_prefix_len(&t.text) > 0 {
            let whole = crate::analysis::fold::fold(&t.text);
            self.explain(format!("{} → {whole} (the elided form as written)", t.text));
            if self.record {
                self.highlight.exact.insert(whole.clone());
            }
            return Some(term_any("body_exact", &whole));
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
        let analyzer = if exact {
            &mut self.exact
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

/// Translates `query_text` with `filters` (see the module docs). A query
/// with nothing to search becomes `match_none`, with a note.
pub fn translate(query_text: &str, filters: &Filters) -> Translation {
    let parsed = query::parse(query_text);
    let mut notes = parsed.notes;
    notes.extend(parsed.hints);
    let mut free = Vec::new();
    if let Some(root) = &parsed.root {
        free_terms(root, false, &mut free);
    }
    let keep_stop_words = !free.is_empty() && free.iter().all(|t| is_stop(&t.text));
    let mut fr = Translator::new(false, keep_stop_words);
    let mut en = Translator::new(true, keep_stop_words);
    let side = |t: &mut Translator| -> Option<Value> {
        let root = parsed.root.as_ref()?;
        let clause = match root {
            Node::And(items) => t.and(items, true),
            Node::Term(_) => t.and(std::slice::from_ref(root), true),
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
                position: 0,
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
