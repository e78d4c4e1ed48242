//! Search: a query string in, ranked paragraph hits with highlights out.
//!
//! This module answers "which paragraphs match, in what order, and where
//! are the matched words?". It is the *searcher*: it finds and never
//! formats (that is [`crate::output`]). Steps: [`query::parse`] reads the
//! user's query leniently, [`plan::Planner`] turns it into a Tantivy query
//! through the French analysis, Tantivy ranks paragraphs by BM25, and
//! [`highlight::HighlightSpec`] marks the matched words in each hit.
//! Ties in score are broken by statement id, then paragraph number, so the
//! same index and query always give the same order. Besides ranking by
//! score, hits can be sorted by date, grouped by statement (`--docs`) and
//! shown with their neighbouring paragraphs (`--context`).

pub mod best_of;
pub mod bm25;
pub mod collect;
pub mod exclude;
pub mod fuzzy;
pub mod highlight;
pub mod language;
pub mod plan;
pub mod query;
pub mod rank;
pub mod synonym;
pub mod title;
pub mod trend;

use std::time::Instant;

use serde::Serialize;
use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::index::{from_tantivy_date, IndexHandle};
use query::QueryNote;

/// Errors while searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// `--strict` and the query had problems.
    #[error("query syntax: {}", .0.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; "))]
    Syntax(Vec<QueryNote>),
    /// The index could not be read.
    #[error("reading the index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A synonym file (stored with the index or given) has bad lines; the
    /// message names the first ones.
    #[error("{}", synonym_errors(.0))]
    Synonyms(Vec<crate::thesaurus::SynonymError>),
}

/// The first bad synonym lines, one a line, and how many more there are.
fn synonym_errors(errors: &[crate::thesaurus::SynonymError]) -> String {
    const SHOWN: usize = 10;
    let mut lines: Vec<String> = errors.iter().take(SHOWN).map(|e| e.to_string()).collect();
    if errors.len() > SHOWN {
        lines.push(format!("… and {} more bad lines", errors.len() - SHOWN));
    }
    lines.join("\n")
}

/// Number of best candidates whose score gets the rescore bonuses (title
/// match, exact form, words side by side) before the final order is taken.
pub const RESCORE_WINDOW: usize = 50;

/// Adds the score of each of `clauses` to each `(score, address)` that it
/// matches, visiting only those documents: per segment and clause, one
/// scorer checks the candidates in ascending order with `seek_danger`,
/// which (unlike `seek`) does not scan on to the next match.
fn rescore(
    searcher: &tantivy::Searcher,
    clauses: &[Box<dyn tantivy::query::Query>],
    docs: &mut [(f32, DocAddress)],
) -> tantivy::Result<()> {
    use tantivy::query::EnableScoring;
    use tantivy::{DocSet, SeekDangerResult};
    let weights = clauses
        .iter()
        .map(|c| c.weight(EnableScoring::enabled_from_searcher(searcher)))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| docs[i].1);
    let mut start = 0;
    while start < order.len() {
        let segment = docs[order[start]].1.segment_ord;
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| docs[i].1.segment_ord == segment)
                .count();
        let reader = searcher.segment_reader(segment);
        for weight in &weights {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut lower = scorer.doc();
            for &i in &order[start..end] {
                let target = docs[i].1.doc_id;
                if target < lower {
                    continue;
                }
                match scorer.seek_danger(target) {
                    SeekDangerResult::Found => {
                        docs[i].0 += scorer.score();
                        lower = target + 1;
                    }
                    SeekDangerResult::SeekLowerBound(bound) => lower = bound,
                }
            }
        }
        start = end;
    }
    Ok(())
}

/// `text` as a language filter: a two-letter ISO 639-1 code (`fr`, `EN`),
/// lower-cased; `None` for anything else.
pub fn lang_code(text: &str) -> Option<String> {
    let code = text.trim();
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| code.to_ascii_lowercase())
}

/// The ranking order: higher score first, then nearer a match (rule 12,
/// [`rank::Candidate::distance`]), ties broken by statement id, then
/// paragraph number (so the same index and query give the same order).
fn rank_order(a: (f32, u16, &str, u64), b: (f32, u16, &str, u64)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then(a.1.cmp(&b.1))
        .then_with(|| a.2.cmp(b.2))
        .then_with(|| a.3.cmp(&b.3))
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best BM25 score first (ties: statement id, paragraph number).
    #[default]
    Score,
    /// Newest statement first, undated last (ties: score, statement id,
    /// paragraph number).
    Date,
}

/// Options of one search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Number of hits to return.
    pub limit: usize,
    /// Number of best hits to skip first.
    pub offset: usize,
    /// Report query problems as errors instead of working around them.
    pub strict: bool,
    /// The words as typed: never correct words that find nothing (no
    /// typo tolerance), no synonyms, and a phrase kept as written (rule 7
    /// does not loosen it).
    pub exact: bool,
    /// Only statements dated on or after this day.
    pub since: Option<jiff::civil::Date>,
    /// Only statements dated on or before this day.
    pub until: Option<jiff::civil::Date>,
    /// Order of the hits.
    pub sort: SortOrder,
    /// One hit per statement (its best paragraph), with the number of its
    /// matching paragraphs.
    pub group_by_statement: bool,
    /// Number of neighbouring paragraphs to attach on each side of a hit.
    pub context: usize,
    /// Also count matching statements (costs a pass over all matches).
    pub count_statements: bool,
    /// Only statements in this language (ISO 639-1 code, e.g. `fr`, `en`);
    /// `None` searches every language, each with its own analyzer.
    pub lang: Option<String>,
    /// Attach to each hit the corresponding paragraph of its twin statement
    /// in another language (see [`crate::twins`]).
    pub parallel: bool,
    /// Only paragraphs holding every part of the query (no partial
    /// matches, no paragraphs lent by a matching statement).
    pub all_words: bool,
    /// The ranking rules (see [`rank`]).
    pub ranking: rank::RankConfig,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            strict: false,
            exact: false,
            since: None,
            until: None,
            sort: SortOrder::Score,
            group_by_statement: false,
            context: 0,
            count_statements: false,
            lang: None,
            parallel: false,
            all_words: false,
            ranking: rank::RankConfig::default(),
        }
    }
}

/// A paragraph shown next to a hit for context.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Neighbour {
    /// Its paragraph number (see `Hit::paragraph`).
    pub paragraph: u64,
    /// Its text, exactly as in the source.
    pub text: String,
}

/// One ranked paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// 1-based rank in the whole result list (offset included).
    pub rank: usize,
    /// BM25 score (higher is better).
    pub score: f32,
    /// Statement id.
    pub doc_id: String,
    /// Statement title.
    pub title: String,
    /// Statement date as `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Statement reference line, or null.
    pub reference: Option<String>,
    /// Language code.
    pub lang: String,
    /// Source (publisher), or null.
    pub source: Option<String>,
    /// URL, or null.
    pub url: Option<String>,
    /// Paragraph number: 1-based, or 0 for the preamble of a numbered statement.
    pub paragraph: u64,
    /// The paragraph exactly as in the source.
    pub text: String,
    /// Matched words as `[start, end)` UTF-8 byte offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// With `group_by_statement`: how many paragraphs of the statement match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching_paragraphs: Option<usize>,
    /// With `context`: neighbouring paragraphs before the hit, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<Neighbour>,
    /// With `context`: neighbouring paragraphs after the hit, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<Neighbour>,
    /// With `parallel`: the corresponding paragraph of the twin statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twin: Option<TwinParagraph>,
    /// Whether the paragraph holds only some parts of the query (see
    /// [`rank::Tier`]), or only the words of a phrase that was not found
    /// as typed.
    pub partial: bool,
    /// The parts of the query the paragraph holds, as typed.
    pub matched_terms: Vec<String>,
    /// `"statement"` when the paragraph was found through its statement
    /// (which holds every part between its paragraphs and title); `"twin"`
    /// when it is the translation, in the query's language, of a matching
    /// paragraph in the other language; `"synonym"` when it holds some part
    /// of the query only through the thesaurus (a synonym, an acronym's
    /// full name, the term in the other language); `"related"` when it
    /// holds some part only through a related concept of the thesaurus
    /// (`# related:`, ranked below synonyms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<&'static str>,
}

/// One paragraph as [`Searcher::all_paragraphs`] sees it: its statement's
/// date, and whether it is the first paragraph of its statement.
pub type DatedParagraph = (Option<jiff::civil::Date>, bool);

/// A whole statement (see [`Searcher::statement`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Statement {
    /// Statement id.
    pub doc_id: String,
    /// Title.
    pub title: String,
    /// Date as `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Reference line, or null.
    pub reference: Option<String>,
    /// Language code.
    pub lang: String,
    /// Source (publisher), or null.
    pub source: Option<String>,
    /// URL, or null.
    pub url: Option<String>,
    /// Every paragraph, in order, exactly as in the source.
    pub paragraphs: Vec<Neighbour>,
    /// The same statement in another language, or null.
    pub twin: Option<StatementTwin>,
}

/// The twin of a [`Statement`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatementTwin {
    /// Twin statement id.
    pub doc_id: String,
    /// Its language code.
    pub lang: String,
    /// For each paragraph of the statement, in order, the number of the
    /// twin paragraph that corresponds to it.
    pub aligned: Vec<u64>,
}

/// The paragraphs holding every part of a query (see [`Searcher::matching`]).
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// One entry per matching paragraph, in no particular order.
    pub paragraphs: Vec<MatchedParagraph>,
    /// Problems worked around while reading the query.
    pub notes: Vec<QueryNote>,
    /// How each query word was understood.
    pub explain: Vec<String>,
}

/// One paragraph holding every part of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchedParagraph {
    /// Its statement, as a number unique within this search (two
    /// paragraphs of one statement share it).
    pub statement: u32,
    /// The statement's date, if any.
    pub date: Option<jiff::civil::Date>,
}

/// The paragraph of a twin statement that corresponds to a hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TwinParagraph {
    /// Twin statement id.
    pub doc_id: String,
    /// Its language code.
    pub lang: String,
    /// Its title.
    pub title: String,
    /// The corresponding paragraph's 1-based number.
    pub paragraph: u64,
    /// That paragraph, exactly as in the source.
    pub text: String,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Hits, best first.
    pub hits: Vec<Hit>,
    /// Number of paragraphs holding every part of the query.
    pub total: usize,
    /// Number of further candidates (partial matches and paragraphs lent
    /// by a matching statement).
    pub partial: usize,
    /// Number of statements with a matching paragraph, when computed
    /// (`count_statements`, `group_by_statement` or date sorting).
    pub statements: Option<usize>,
    /// Problems worked around while reading the query.
    pub notes: Vec<QueryNote>,
    /// How each query word was understood.
    pub explain: Vec<String>,
    /// Time spent finding and counting hits, in microseconds.
    pub search_micros: u128,
    /// Time spent loading and highlighting the returned hits, in microseconds.
    pub fetch_micros: u128,
}

/// Which languages a search covers (a paragraph is in exactly one of
/// `body` and `body_en`, so a query is planned once per language present).
struct Languages {
    /// The language asked for with `--lang`, lower-cased.
    wanted: Option<String>,
    /// Whether French (and other non-English) paragraphs are searched.
    french: bool,
    /// Whether English paragraphs are searched.
    english: bool,
    /// Number of English paragraphs in the index.
    english_docs: u64,
}

impl Languages {
    /// Whether hits of the plan for English (`english`) or French
    /// paragraphs can be shown: not when `--lang` asks for the other
    /// language.
    fn shows(&self, english: bool) -> bool {
        self.wanted
            .as_deref()
            .is_none_or(|code| crate::analysis::is_english(code) == english)
    }

    /// The notes of the plan for English (`english`) or French paragraphs
    /// worth showing: all of them, but when `--lang` filters that
    /// language out, not the close words it also searched beside a word
    /// the kept language holds (`defence --lang en`: "also showing
    /// défense"), which only speak of paragraphs the filter removes. That
    /// plan still runs (its words weigh in the scores), and its other
    /// notes say why a part bears the name it has.
    fn notes_of(&self, english: bool, mut notes: Vec<QueryNote>) -> Vec<QueryNote> {
        if !self.shows(english) {
            notes.retain(|n| !fuzzy::is_also_note(&n.message));
        }
        notes
    }

    /// A note when `--lang` names a language no statement is in.
    fn absent_note(
        &self,
        searcher: &tantivy::Searcher,
        fields: crate::schema::Fields,
    ) -> Option<QueryNote> {
        let code = self.wanted.as_deref()?;
        plan::absent_language(searcher, fields.lang, code).map(|message| QueryNote {
            position: None,
            message: message.replacen("no statement is in", "--lang: no statement is in", 1),
        })
    }

    fn of(
        searcher: &tantivy::Searcher,
        (fields, columns): (crate::schema::Fields, &rank::ColumnCache),
        options: &SearchOptions,
    ) -> Languages {
        let wanted = options.lang.as_deref().map(str::to_lowercase);
        // English statements carry `lang = en` (normalised at reading).
        let english_docs =
            columns.live_doc_freq(searcher, &Term::from_field_text(fields.lang, "en"));
        // Both languages are planned even under `--lang`, which filters:
        // the words' weights, hence the scores, must not change with it.
        let english = english_docs > 0;
        let french = searcher.num_docs() > english_docs || !english;
        Languages {
            wanted,
            french,
            english,
            english_docs,
        }
    }
}

/// One slot gathered across languages: its key, label, the languages'
/// queries and its title query.
type MergedSlot = (
    plan::SlotKey,
    String,
    Vec<Box<dyn tantivy::query::Query>>,
    Option<Box<dyn tantivy::query::Query>>,
);

/// A query planned for ranking: its slots in every language, filters,
/// bonuses and highlights.
#[derive(Default)]
struct Planned {
    /// Slot queries (one per part, then joined forms of adjacent parts).
    slots: Vec<rank::SlotQuery>,
    /// Each part as typed, by slot bit.
    labels: Vec<String>,
    /// Where each part comes from, by slot bit (`usize::MAX` when the
    /// query is ranked whole).
    items: Vec<plan::SlotKey>,
    /// The compounds ranked by their parts: item index and the word as
    /// searched ([`plan::SlotPlan::compounds`], the first plan's).
    compounds: Vec<(usize, String)>,
    /// Queries standing for several parts, before they become slots.
    joined: Vec<(Vec<plan::SlotKey>, Box<dyn tantivy::query::Query>)>,
    /// Synonyms of runs of parts, before they become slots.
    synonyms: Vec<plan::SynonymSlots>,
    /// What every hit must (not) match.
    filter: Option<Box<dyn tantivy::query::Query>>,
    /// Whether every part is a quoted phrase.
    exact_wording: bool,
    /// Bonus clauses for the best candidates.
    rescore: Vec<Box<dyn tantivy::query::Query>>,
    highlight_fr: highlight::HighlightSpec,
    highlight_en: highlight::HighlightSpec,
    explain: Vec<String>,
    notes: Vec<QueryNote>,
}

impl Planned {
    /// Whether the query is ranked whole, as one part: it has no free word
    /// or phrase to rank by (only fields, dates, exclusions), or too many
    /// parts. Such a query is a precise filter: nothing comes in through a
    /// statement or a translation.
    fn whole(&self) -> bool {
        self.items.iter().any(|i| i.0 == usize::MAX)
    }

    /// Takes one language's highlights, explanations and notes.
    fn absorb(
        &mut self,
        english: bool,
        with_french: bool,
        highlight: highlight::HighlightSpec,
        explain: Vec<String>,
        notes: Vec<QueryNote>,
    ) {
        if english {
            self.highlight_en = highlight;
        } else {
            self.highlight_fr = highlight;
        }
        for line in explain {
            if self.explain.contains(&line) {
                continue;
            }
            let line = if english && with_french {
                format!("[en] {line}")
            } else {
                line
            };
            if !self.explain.contains(&line) {
                self.explain.push(line);
            }
        }
        for n in notes {
            if !self.notes.contains(&n) {
                self.notes.push(n);
            }
        }
        // The languages' notes meet here, and only here.
        fuzzy::drop_answered_refusals(&mut self.notes);
    }
}

/// The OR of `queries` (the query itself when there is one).
fn or_all(mut queries: Vec<Box<dyn tantivy::query::Query>>) -> Box<dyn tantivy::query::Query> {
    use tantivy::query::{BooleanQuery, Occur};
    if queries.len() == 1 {
        if let Some(q) = queries.pop() {
            return q;
        }
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// `root` with every unfielded phrase of its top level replaced by its
/// words (each a part of the query of its own); `None` when it has no
/// phrase of several words.
fn phrase_words(root: &query::Node) -> Option<query::Node> {
    use query::Node;
    let items: Vec<Node> = match root {
        Node::And(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut out = Vec::with_capacity(items.len());
    let mut changed = false;
    for item in items {
        match item {
            Node::Phrase {
                text,
                field: None,
                position,
                ..
            } if text.split_whitespace().nth(1).is_some() => {
                changed = true;
                out.extend(phrase_terms(&text, position));
            }
            other => out.push(other),
        }
    }
    if !changed {
        return None;
    }
    Some(if out.len() == 1 {
        out.pop()?
    } else {
        Node::And(out)
    })
}

/// Whether every candidate is put in order, not only the head a page can
/// reach (`--sort date` and `--docs` order all of them).
fn orders_every_candidate(options: &SearchOptions) -> bool {
    options.sort == SortOrder::Date || options.group_by_statement
}

/// `options` for a search whose counts alone are wanted: no page, no date
/// order, no statement grouping, no context or translations.
fn counting_options(options: &SearchOptions) -> SearchOptions {
    SearchOptions {
        limit: 0,
        offset: 0,
        sort: SortOrder::Score,
        group_by_statement: false,
        count_statements: false,
        context: 0,
        parallel: false,
        ..options.clone()
    }
}

/// `options` without the thesaurus's related concepts.
fn without_related(options: &SearchOptions) -> SearchOptions {
    let mut options = options.clone();
    options.ranking.related = false;
    options
}

/// Appends the candidates of `more` (a loosened query's ranking) that
/// `ranking` lacks, after its own, as partial matches, their statements
/// after its statements. Returns how many candidates were appended.
fn append_loosened(ranking: &mut rank::Ranking, more: rank::Ranking) -> usize {
    // A ranking whose every counted paragraph is a candidate, at the
    // smallest head any page gets: then the union is counted exactly, and
    // the same way whatever the page asked.
    let whole = |r: &rank::Ranking| {
        let counted = r.full + r.others;
        counted <= rank::ENOUGH + rank::HEAD_MARGIN && r.candidates.len() == counted
    };
    let exact = whole(ranking) && whole(&more);
    let have: std::collections::HashSet<DocAddress> =
        ranking.candidates.iter().map(|c| c.address).collect();
    let base = ranking.statements.len() as u32;
    let before = ranking.candidates.len();
    ranking.candidates.extend(
        more.candidates
            .into_iter()
            .filter(|c| !have.contains(&c.address))
            .map(|mut c| {
                c.loosened = rank::Candidate::loosened_from(c.tier);
                c.tier = rank::Tier::Partial;
                c.statement += base;
                c
            }),
    );
    ranking.statements.extend(more.statements);
    ranking.counting.extend(more.counting);
    let added = ranking.candidates.len() - before;
    if added > 0 {
        // The loosened query's parts are the ones named from now on.
        ranking.found = more.found;
    }
    if exact {
        // Both lists whole: the phrase's hits and the words' others.
        ranking.others += added;
        return added;
    }
    // Else an estimate: the words find most paragraphs the phrase did,
    // and more (not all: rule 3 weighs the words apart, the phrase whole).
    let found = more.full + more.others;
    ranking.others = ranking
        .others
        .max(found.saturating_sub(ranking.full))
        .max(added);
    added
}

/// Whether some part of `planned` is also searched through its synonyms
/// (counts of paragraphs holding a part then include theirs).
fn has_synonyms(planned: &Planned) -> bool {
    planned
        .slots
        .iter()
        .any(|s| s.bits >= 1 << rank::SYNONYM_SHIFT)
}

/// Positions a phrase may spread over once its exact wording found nothing.
pub const NEAR_SLOP: u32 = 6;

/// The words of the phrase `text` (whose opening quote is at byte
/// `position`) as free words, each at its own byte inside the quotes;
/// signs without a letter (`🙂`, `–`) are no words to search. Function
/// words stay: the planner leaves them out as in any query
/// ([`plan::left_out`]: `of` in `"rule of law"`, whose wording shows
/// English).
fn phrase_terms(text: &str, position: usize) -> Vec<query::Node> {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            let at = w.as_ptr() as usize - text.as_ptr() as usize;
            query::Node::Term(query::TermNode {
                text: w.to_string(),
                field: None,
                prefix: false,
                fuzzy: None,
                position: position + 1 + at,
            })
        })
        .collect()
}

/// A phrase that found nothing, relaxed: the exact phrase becomes its words
/// near each other ([`NEAR_SLOP`]), and words near each other become the
/// words anywhere (each a part of the query of its own). Returns the new
/// query tree and a note, or `None` when no phrase slot came back empty.
fn relax(
    root: Option<&query::Node>,
    planned: &Planned,
    ranking: &rank::Ranking,
) -> Option<(query::Node, QueryNote)> {
    use query::Node;
    let root = root?;
    // Each empty phrase's item, and how many paragraphs the filters
    // removed hold it.
    let empty: Vec<(usize, u64)> = (0..planned.labels.len())
        .filter(|&b| ranking.found.get(b) == Some(&0) && planned.items[b].1 == 0)
        .map(|b| {
            let elsewhere = ranking.unfiltered.as_ref().map_or(0, |u| u[b]);
            (planned.items[b].0, elsewhere)
        })
        .collect();
    let mut items: Vec<Node> = match root {
        Node::And(items) => items.clone(),
        other => vec![other.clone()],
    };
    for (at, elsewhere) in empty {
        let Some(Node::Phrase {
            text,
            slop,
            field: None,
            position,
        }) = items.get(at).cloned()
        else {
            continue;
        };
        // One word quoted (a compound: `"cyberharcèlement"`) has parts.
        let (what, of) = if text.trim().contains(char::is_whitespace) {
            ("words", "the words of")
        } else {
            ("parts", "the parts of")
        };
        // The phrase may occur where the filters do not look: say so (the
        // count holds the paragraphs matching through a synonym too).
        let kept = match (elsewhere, slop < NEAR_SLOP, has_synonyms(planned)) {
            (0, _, _) => String::new(),
            (n, true, false) => {
                format!(" in the paragraphs the filters keep (it does in {n} they remove)")
            }
            (n, true, true) => format!(
                " in the paragraphs the filters keep (it or a synonym does in {n} they remove)"
            ),
            (n, false, false) => {
                format!(" in the paragraphs the filters keep (they are in {n} they remove)")
            }
            (n, false, true) => format!(
                " in the paragraphs the filters keep (they or a synonym are in {n} they remove)"
            ),
        };
        let (replacement, message) = if slop < NEAR_SLOP {
            (
                vec![Node::Phrase {
                    text: text.clone(),
                    slop: NEAR_SLOP,
                    field: None,
                    position,
                }],
                format!(
                    "the phrase \"{text}\" does not occur as written{kept}; showing its {what} near \
                     each other"
                ),
            )
        } else {
            (
                phrase_terms(&text, position),
                format!("{of} \"{text}\" are never near each other{kept}; showing them anywhere"),
            )
        };
        items.splice(at..=at, replacement);
        let relaxed = if items.len() == 1 {
            items.pop()?
        } else {
            Node::And(items)
        };
        return Some((
            relaxed,
            QueryNote {
                position: Some(position),
                message,
            },
        ));
    }
    None
}

/// The note shown when partial matches follow the full ones: `words` are
/// the query's words as typed ([`query_words`]), `labels` its parts as
/// searched, `found` how many paragraphs hold each (a part no paragraph
/// holds is named as such).
/// What the partial hits shown are (see [`partial_note`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct PartialKinds {
    /// Paragraphs holding some of the parts (or their synonyms).
    parts: bool,
    /// Paragraphs holding some part only through a related concept.
    related: bool,
    /// Paragraphs lent by a statement holding every part.
    statement: bool,
    /// Translations of matching paragraphs.
    twin: bool,
}

impl PartialKinds {
    fn of(hits: &[Hit]) -> PartialKinds {
        let mut kinds = PartialKinds::default();
        for hit in hits.iter().filter(|h| h.partial) {
            match hit.via {
                Some("statement") => kinds.statement = true,
                Some("twin") => kinds.twin = true,
                Some("related") => kinds.related = true,
                _ => kinds.parts = true,
            }
        }
        kinds
    }
}

/// The note on partial hits: how many paragraphs hold the query as asked,
/// then what the partial hits shown are (`kinds`), in words that fit the
/// query (one part or several).
fn partial_note(
    full: usize,
    (words, labels, found): (&[String], &[String], &[u64]),
    synonyms: bool,
    kinds: PartialKinds,
    excluded: &[String],
    unfiltered: Option<&[u64]>,
) -> String {
    let parts = labels.join(", ");
    let mut all = match (words, synonyms) {
        // One compound, ranked by its parts.
        ([word], false) if labels.len() > 1 => format!("{word} or all of its parts ({parts})"),
        ([word], true) if labels.len() > 1 => {
            format!("{word} (or its synonyms) or all of its parts ({parts})")
        }
        ([word], false) => word.clone(),
        ([word], true) => format!("{word} (or its synonyms)"),
        (_, false) => format!("all of {}", words.join(" ")),
        (_, true) => format!("all of {} (or their synonyms)", words.join(" ")),
    };
    // `Exchange -chine`: a paragraph holding Exchange may have been
    // excluded; "no paragraph holds Exchange" would read as an absent word.
    if !excluded.is_empty() {
        all.push_str(&format!(" without {}", excluded.join(" or ")));
    }
    // Parts no paragraph holds, and parts only paragraphs the filters
    // removed hold (`--since 2022`: "cyber is in none" would read as a
    // word the index lacks).
    let (mut absent, mut removed): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for (at, (label, &n)) in labels.iter().zip(found).enumerate() {
        match unfiltered.and_then(|u| u.get(at)) {
            _ if n > 0 => {}
            Some(&elsewhere) if elsewhere > 0 => removed.push(label),
            _ => absent.push(label),
        }
    }
    // A query of one part held by no paragraph says so once.
    if labels.len() > 1 {
        for (parts, place) in [
            (absent, "in none"),
            (removed, "in none of the paragraphs the filters keep"),
        ] {
            if !parts.is_empty() {
                let verb = if parts.len() == 1 { "is" } else { "are" };
                all.push_str(&format!("; {} {verb} {place}", parts.join(", ")));
            }
        }
    }
    let several = labels.len() > 1;
    let mut shown: Vec<&str> = Vec::new();
    if kinds.parts {
        shown.push(if several {
            "paragraphs that hold the most important of them"
        } else {
            "paragraphs that hold some of its words"
        });
    }
    if kinds.related {
        shown.push("paragraphs that hold a related concept");
    }
    if kinds.statement {
        shown.push(if several {
            "paragraphs whose statement holds them all"
        } else {
            "other paragraphs of the statements that hold it"
        });
    }
    if kinds.twin {
        shown.push("translations of matches");
    }
    if shown.is_empty() {
        shown.push("partial matches");
    }
    let then = format!(
        "{} (marked partial; --all-words for none)",
        shown.join(", ")
    );
    match full {
        0 => format!("no paragraph holds {all}; showing {then}"),
        1 => format!("only 1 paragraph holds {all}; then {then}"),
        n => format!("only {n} paragraphs hold {all}; then {then}"),
    }
}

/// The parts of `root` excluded at its top level (`-chine`,
/// `NOT "mer de Chine"`), as typed: hits hold the words without them.
fn excluded_parts(root: Option<&query::Node>) -> Vec<String> {
    let items = match root {
        Some(query::Node::And(items)) => items.as_slice(),
        Some(node) => std::slice::from_ref(node),
        None => &[],
    };
    items
        .iter()
        .filter_map(|n| match n {
            query::Node::Not(inner) => Some(inner.to_string()),
            _ => None,
        })
        .collect()
}

/// The slots (bit i = slot i) that tell no language: a word typed as an
/// acronym (`EENA`, `POC`) that the texts also write in capitals (the
/// index holds its acronym term), which French and English statements
/// share.
fn language_neutral(
    searcher: &tantivy::Searcher,
    fields: crate::schema::Fields,
    planned: &Planned,
) -> u32 {
    let mut neutral = 0;
    for (bit, (label, item)) in planned.labels.iter().zip(&planned.items).enumerate() {
        let Some(term) = crate::analysis::acronym::acronym_term(label) else {
            continue;
        };
        if bit >= 32 || item.1 > 0 {
            continue;
        }
        let term = Term::from_field_text(fields.body_exact, &term);
        if searcher.doc_freq(&term).is_ok_and(|n| n > 0) {
            neutral |= 1 << bit;
        }
    }
    neutral
}

/// Where `hit` stands among its statement's `paragraphs` (in reading
/// order; `key` gives a paragraph's number and text): the paragraph with
/// its number and its text, since printed numbers may repeat (an annex
/// numbered from 1 again), else the first with its number.
fn position_of<P>(
    paragraphs: &[P],
    hit: &Hit,
    key: impl Fn(&P) -> (u64, &String),
) -> Option<usize> {
    paragraphs
        .iter()
        .position(|p| key(p) == (hit.paragraph, &hit.text))
        .or_else(|| paragraphs.iter().position(|p| key(p).0 == hit.paragraph))
}

/// Whether `node` holds a phrase with a distance (`"a b"~3`).
fn has_slop(node: &query::Node) -> bool {
    match node {
        query::Node::Phrase { slop, .. } => *slop > 0,
        query::Node::And(v) | query::Node::Or(v) => v.iter().any(has_slop),
        query::Node::Not(n) => has_slop(n),
        _ => false,
    }
}

/// The query's words as the user reads them, in order: each slot's label,
/// except that the parts of a compound are named once by the word
/// (`cyberharcèlement`, not `cyber harcèlement`).
fn query_words(planned: &Planned) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut last = None;
    for (label, &(at, part)) in planned.labels.iter().zip(&planned.items) {
        let compound = planned.compounds.iter().find(|c| c.0 == at);
        match compound {
            Some((_, word)) if part > 0 => {
                if last != Some(at) {
                    words.push(word.clone());
                }
            }
            _ => words.push(label.clone()),
        }
        last = Some(at);
    }
    words
}

/// `words` with each word a typo correction replaced (its note is among
/// `notes`) by the words it was searched as, so that the partial note
/// names what was searched (`compromission`, not `compromision`).
fn as_searched(words: Vec<String>, notes: &[QueryNote]) -> Vec<String> {
    words
        .into_iter()
        .map(|w| {
            notes
                .iter()
                .find_map(|n| fuzzy::corrected_as(&n.message, &w))
                .map_or(w.clone(), str::to_string)
        })
        .collect()
}

/// A query read and ready to plan (see `Searcher::read_query`).
struct QueryReading {
    /// The query tree; `None` when nothing is left to search.
    root: Option<query::Node>,
    /// The parser's notes and hints, then the `--lang` note.
    notes: Vec<QueryNote>,
    /// How many of `notes` come from the parser.
    parser_notes: usize,
    /// The last commit.
    searcher: tantivy::Searcher,
    /// The languages to plan for.
    langs: Languages,
}

/// One stored paragraph of a statement.
struct StatementParagraph {
    /// Its paragraph number.
    number: u64,
    /// Its text as in the source.
    text: String,
    /// The stored document.
    doc: TantivyDocument,
    /// Where it is stored.
    address: DocAddress,
}

/// For each paragraph of `own`, the index of its counterpart in `other`,
/// paired by length ([`crate::twins::align`]).
fn aligned(own: &[StatementParagraph], other: &[StatementParagraph]) -> Vec<usize> {
    let lens =
        |v: &[StatementParagraph]| v.iter().map(|p| p.text.chars().count()).collect::<Vec<_>>();
    crate::twins::align(&lens(own), &lens(other))
}

/// Searches one index; cheap to reuse for many queries.
pub struct Searcher {
    handle: IndexHandle,
    reader: IndexReader,
    columns: std::sync::Arc<rank::ColumnCache>,
    /// The thesaurus, or the bad lines of the index's stored synonyms.
    thesaurus:
        Result<std::sync::Arc<crate::thesaurus::Thesaurus>, Vec<crate::thesaurus::SynonymError>>,
}

/// The default thesaurus with the index's stored synonyms and `more`
/// added; `None` when there is nothing to add to the shared default. A
/// stored file that vanished since it was seen (a concurrent
/// `--no-synonyms`) counts as none.
fn stored_thesaurus(
    handle: &IndexHandle,
    more: Vec<crate::thesaurus::Group>,
) -> Result<Option<crate::thesaurus::Thesaurus>, Vec<crate::thesaurus::SynonymError>> {
    let mut stored = Vec::new();
    if let Some(path) = handle.stored_synonyms() {
        match crate::thesaurus::Thesaurus::read_file(&path) {
            Ok(groups) => stored = groups,
            Err(e) if !path.exists() => drop(e),
            Err(mut errors) => {
                errors.push(crate::thesaurus::SynonymError {
                    file: path.display().to_string(),
                    line: 0,
                    message: "this is the synonym file stored with the index: \
                              `vigie index --synonyms FILE` replaces it, `vigie index \
                              --no-synonyms` removes it (`--exact` searches without it)"
                        .to_string(),
                });
                return Err(errors);
            }
        }
    }
    if stored.is_empty() && more.is_empty() {
        return Ok(None);
    }
    let mut t = crate::thesaurus::Thesaurus::with_default();
    t.extend(stored);
    t.extend(more);
    Ok(Some(t))
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl Searcher {
    /// A searcher over `handle`'s last commit, expanding queries with
    /// vigie's default thesaurus and the synonyms stored with the index.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] if the index cannot be read. A stored
    /// synonym file with bad lines is reported by the searches that expand
    /// synonyms ([`SearchError::Synonyms`]), not here: `--exact` still works.
    pub fn new(mut handle: IndexHandle) -> Result<Searcher, SearchError> {
        let reader = match handle.take_opened_reader() {
            Some(reader) => reader,
            None => handle
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?,
        };
        let thesaurus = stored_thesaurus(&handle, Vec::new()).map(|t| match t {
            Some(t) => std::sync::Arc::new(t),
            None => crate::thesaurus::Thesaurus::builtin(),
        });
        Ok(Searcher {
            handle,
            reader,
            columns: std::sync::Arc::default(),
            thesaurus,
        })
    }

    /// Adds the synonym groups of the file at `path` (Solr format, see
    /// [`crate::thesaurus::parse`]) to the thesaurus this searcher uses.
    ///
    /// # Errors
    /// [`SearchError::Synonyms`] with every bad line (`file:line: …`), or
    /// the file that cannot be read.
    pub fn add_synonyms(mut self, path: &std::path::Path) -> Result<Searcher, SearchError> {
        let groups = crate::thesaurus::Thesaurus::read_file(path).map_err(SearchError::Synonyms)?;
        let t = stored_thesaurus(&self.handle, groups).map_err(SearchError::Synonyms)?;
        self.thesaurus = Ok(std::sync::Arc::new(t.unwrap_or_default()));
        Ok(self)
    }

    /// Searches the synonyms of `thesaurus` instead of vigie's default
    /// thesaurus ([`crate::thesaurus::Thesaurus::builtin`]) alone: give the
    /// default extended with the user's groups to keep both.
    pub fn with_thesaurus(
        mut self,
        thesaurus: std::sync::Arc<crate::thesaurus::Thesaurus>,
    ) -> Searcher {
        self.thesaurus = Ok(thesaurus);
        self
    }

    /// The thesaurus this searcher expands queries with.
    ///
    /// # Errors
    /// [`SearchError::Synonyms`] when the index's stored synonym file has
    /// bad lines.
    pub fn thesaurus(&self) -> Result<&crate::thesaurus::Thesaurus, SearchError> {
        self.thesaurus
            .as_deref()
            .map_err(|e| SearchError::Synonyms(e.clone()))
    }

    /// The thesaurus this searcher expands queries with, shared (for a
    /// search run elsewhere: `vigie search --opensearch`).
    ///
    /// # Errors
    /// [`SearchError::Synonyms`] when the index's stored synonym file has
    /// bad lines.
    pub fn shared_thesaurus(
        &self,
    ) -> Result<std::sync::Arc<crate::thesaurus::Thesaurus>, SearchError> {
        self.thesaurus
            .clone()
            .map_err(|e| SearchError::Synonyms(e.clone()))
    }

    /// The index this searcher reads.
    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    /// Runs `query` and returns the hits of the requested page.
    ///
    /// Steps, one method each: [`query::parse`], `plan` (slots through the
    /// French analysis, once per language present), `rank`
    /// ([`rank::rank`] plus the rescore window), a phrase that finds
    /// nothing relaxed and run again (`relax`), then `page` (the hits
    /// wanted, in order) and `fetch` (stored fields, highlights, context,
    /// twins).
    ///
    /// When `--since`/`--until` leave nothing, a note counts what they
    /// removed (`date_filter_note`).
    ///
    /// # Errors
    /// [`SearchError::Syntax`] with `strict` when the query had problems;
    /// [`SearchError::Tantivy`] on index read errors.
    pub fn search(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults, SearchError> {
        let mut results = self.search_once(query, options)?;
        if results.total > 0 || results.partial > 0 {
            return Ok(results);
        }
        if self.reader.searcher().num_docs() == 0 {
            results.notes.push(QueryNote {
                position: None,
                message: format!(
                    "the index at {} holds no paragraph yet: `vigie index --index DIR FILES…` \
                     adds statement files",
                    self.handle.dir.display()
                ),
            });
        } else {
            let note = match (options.since, options.until) {
                (None, None) => self.query_date_note(query, options),
                (Some(s), Some(u)) => {
                    self.date_filter_note(query, options, format!("--since {s} --until {u}"))
                }
                (Some(s), None) => self.date_filter_note(query, options, format!("--since {s}")),
                (None, Some(u)) => self.date_filter_note(query, options, format!("--until {u}")),
            };
            results.notes.extend(note);
            if options.exact {
                results.notes.extend(self.exact_note(query, options));
            }
        }
        Ok(results)
    }

    /// When `--exact` leaves nothing: a note with the number of paragraphs
    /// the query matches without it (through synonyms, typo corrections or
    /// a phrase loosened to its words), from one more search, counted only.
    /// `None` when that finds nothing either.
    fn exact_note(&self, query: &str, options: &SearchOptions) -> Option<QueryNote> {
        let counting = SearchOptions {
            exact: false,
            ..counting_options(options)
        };
        let all = self.search_once(query, &counting).ok()?;
        let (n, how) = match (all.total, all.partial) {
            (0, 0) => return None,
            (0, p) => (p, "partly "),
            (t, _) => (t, ""),
        };
        Some(QueryNote {
            position: None,
            message: format!(
                "--exact: nothing holds the words as typed; without --exact, {n} paragraph{} \
                 {how}match{} (through synonyms, typo corrections or a phrase's words)",
                if n == 1 { "" } else { "s" },
                if n == 1 { "es" } else { "" }
            ),
        })
    }

    /// [`Searcher::date_filter_note`] for the `date:` filters of the query
    /// itself (those joined to the rest by AND): the rest of the query is
    /// counted without them. `None` when the query has no such filter or
    /// nothing but filters.
    fn query_date_note(&self, query: &str, options: &SearchOptions) -> Option<QueryNote> {
        use query::Node;
        let items = match query::parse(query).root? {
            Node::And(items) => items,
            other => vec![other],
        };
        let (dates, rest): (Vec<Node>, Vec<Node>) = items
            .into_iter()
            .partition(|n| matches!(n, Node::DateRange { .. }));
        let Some(&Node::DateRange { position, .. }) = dates.first() else {
            return None;
        };
        if rest.iter().all(|n| matches!(n, Node::Not(_))) {
            return None;
        }
        let label = dates
            .iter()
            .map(Node::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        let rest = match rest.len() {
            1 => rest.into_iter().next()?.to_string(),
            _ => Node::And(rest).to_string(),
        };
        let mut note = self.date_filter_note(&rest, options, label)?;
        note.position = Some(position);
        Some(note)
    }

    /// [`Searcher::search`] without the date filters' note.
    fn search_once(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults, SearchError> {
        let start = Instant::now();
        let QueryReading {
            mut root,
            mut notes,
            parser_notes,
            searcher,
            langs,
        } = self.read_query(query, options)?;
        let mut relaxed_phrase = false;
        // A phrase loosened to its words still asks for its wording: its
        // words search their synonyms, not their related concepts.
        let loosened = without_related(options);
        // The language the query's wording shows (rule 4).
        let shown = language::shown(root.as_ref());
        let (planned, ranking) = loop {
            let plan_options = if relaxed_phrase { &loosened } else { options };
            let planned = self.plan(&searcher, root.as_ref(), plan_options, &langs);
            let mut ranking = self.rank(&searcher, &planned, options, (&langs, shown))?;
            // `--exact` keeps a phrase's wording as `--all-words` does.
            if !options.all_words && !options.exact {
                if let Some((relaxed, note)) = relax(root.as_ref(), &planned, &ranking) {
                    notes.push(note);
                    root = Some(relaxed);
                    relaxed_phrase = true;
                    continue;
                }
            }
            self.rescore_window(&searcher, &planned, &mut ranking, options)?;
            self.repeats_follow(&searcher, &mut ranking, options);
            break (planned, ranking);
        };
        let (plans, ranking) =
            if options.all_words || options.exact || relaxed_phrase || !options.ranking.loosen {
                (vec![(0, planned)], ranking)
            } else {
                self.continue_phrases(
                    &searcher,
                    (root.as_ref(), planned, ranking),
                    options,
                    (&langs, shown, &mut notes),
                )?
            };
        let plans_by_from: Vec<(u32, &Planned)> = plans.iter().map(|(f, p)| (*f, p)).collect();
        // The plan the query's notes, explanation and labels come from.
        let Some(&(_, planned)) = plans_by_from.last() else {
            return Err(SearchError::Tantivy(tantivy::TantivyError::InternalError(
                "no query plan".to_string(),
            )));
        };
        // Notes of every plan (the exact phrase's typo correction too),
        // before those about loosening, which follow from them.
        let mut at = parser_notes;
        for n in plans_by_from.iter().flat_map(|(_, p)| &p.notes) {
            if !notes.contains(n) {
                notes.insert(at.min(notes.len()), n.clone());
                at += 1;
            }
        }
        let mut explain = vec![format!(
            "query: {}",
            root.as_ref()
                .map_or("(nothing to search)".to_string(), |r| r.to_string())
        )];
        explain.extend(planned.explain.iter().cloned());
        if langs.english_docs > 0 {
            let language = if ranking.english_query {
                "English"
            } else {
                "French"
            };
            let why = match shown {
                Some(_) => "shown by its wording",
                // Nothing to vote: French, the language vigie is for.
                None if ranking.found.iter().all(|&n| n == 0) => {
                    "its words are found nowhere, so the default"
                }
                None => "where its words are found",
            };
            explain.push(format!(
                "query language: {language} ({why}): {language} paragraphs first among equal matches"
            ));
        }
        if let Some(code) = &langs.wanted {
            explain.push(format!("only statements with lang = {code}"));
        }
        let dates: Vec<String> = [("from", options.since), ("to", options.until)]
            .into_iter()
            .filter_map(|(word, day)| day.map(|d| format!("{word} {d}")))
            .collect();
        if !dates.is_empty() {
            explain.push(format!(
                "only statements dated {}; statements without a date are left out",
                dates.join(" ")
            ));
        }
        if options.exact {
            explain.push("--exact: no synonyms, no typo correction".to_string());
        }
        let mut ranking = ranking;
        if options.ranking.twins && !options.all_words {
            self.lend_twins(&searcher, (&plans_by_from, &mut ranking), options)?;
        }
        let (picked, statements) = self.page(&searcher, &ranking, options)?;
        let search_micros = start.elapsed().as_micros();
        let fetch_start = Instant::now();
        let mut hits = self.fetch(&searcher, &plans_by_from, &ranking, picked, options)?;
        if options.parallel && !hits.is_empty() && hits.iter().all(|h| h.twin.is_none()) {
            notes.push(QueryNote {
                position: None,
                message: "--parallel: no statement of these hits has a version in the other \
                          language here (versions are linked by their reference number, a \
                          shared `twin` value, or ids that differ only by fr/en)"
                    .to_string(),
            });
        }
        // Hits that miss a part of the query as it was searched (after
        // any loosening): the partial note says so.
        let missing_parts = hits.iter().any(|h| h.partial);
        if relaxed_phrase {
            // The phrase as typed was not found: every hit is partial.
            for hit in &mut hits {
                hit.partial = true;
            }
        }
        // A phrase found nowhere as written: nothing holds the query, and
        // every hit is partial.
        let (total, partial) = if relaxed_phrase {
            (0, ranking.full + ranking.others)
        } else {
            (ranking.full, ranking.others)
        };
        // The statements counted are those of the paragraphs counted.
        let statements = if relaxed_phrase {
            statements.map(|_| 0)
        } else {
            statements
        };
        if missing_parts {
            notes.push(QueryNote {
                position: None,
                message: partial_note(
                    ranking.full,
                    (
                        &as_searched(query_words(planned), &notes),
                        &planned.labels,
                        &ranking.found,
                    ),
                    has_synonyms(planned),
                    PartialKinds::of(&hits),
                    &excluded_parts(root.as_ref()),
                    ranking.unfiltered.as_deref(),
                ),
            });
        }
        self.columns.recycle(&mut ranking);
        Ok(SearchResults {
            hits,
            total,
            partial,
            statements,
            notes,
            explain,
            search_micros,
            fetch_micros: fetch_start.elapsed().as_micros(),
        })
    }

    /// Every paragraph holding every part of `query` (what `--all-words`
    /// finds, and what [`SearchResults::total`] counts), in no particular
    /// order, with its statement and date: the material of
    /// [`trend::trend`]. `options` gives the filters (`since`, `until`,
    /// `lang`), `exact`, `strict` and the ranking rules; its paging,
    /// sorting and grouping are ignored.
    ///
    /// # Errors
    /// As [`Searcher::search`].
    pub fn matching(&self, query: &str, options: &SearchOptions) -> Result<Matching, SearchError> {
        let QueryReading {
            root,
            mut notes,
            searcher,
            langs,
            ..
        } = self.read_query(query, options)?;
        let options = SearchOptions {
            all_words: true,
            count_statements: true,
            limit: 1,
            offset: 0,
            ..options.clone()
        };
        let planned = self.plan(&searcher, root.as_ref(), &options, &langs);
        let shown = language::shown(root.as_ref());
        let ranking = self.rank(&searcher, &planned, &options, (&langs, shown))?;
        let full: Vec<rank::Candidate> = ranking
            .candidates
            .iter()
            .filter(|c| c.tier == rank::Tier::Full)
            .copied()
            .collect();
        let info = collect::paragraph_info(&searcher, &full)?;
        let paragraphs = full
            .iter()
            .zip(info)
            .map(|(c, (_, date))| MatchedParagraph {
                statement: c.statement,
                date: date.and_then(from_tantivy_date),
            })
            .collect();
        for n in planned.notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        Ok(Matching {
            paragraphs,
            notes,
            explain: planned.explain,
        })
    }

    /// The whole statement `doc_id`: its metadata, every paragraph in
    /// order, and its twin in the other language with the paragraph
    /// pairing ([`crate::twins::align`]). `None` when no statement has
    /// that id.
    ///
    /// # Errors
    /// Tantivy errors while reading stored documents.
    pub fn statement(&self, doc_id: &str) -> Result<Option<Statement>, SearchError> {
        let searcher = self.reader.searcher();
        let own = self.statement_paragraphs(&searcher, doc_id)?;
        let Some(first) = own.first() else {
            return Ok(None);
        };
        let meta = self.hit_from(&first.doc, 0.0);
        let twin = self
            .twin_statement(&searcher, doc_id, &own)?
            .map(|(id, lang, other)| StatementTwin {
                aligned: aligned(&own, &other)
                    .into_iter()
                    .map(|j| other.get(j).map_or(0, |p| p.number))
                    .collect(),
                doc_id: id,
                lang,
            });
        Ok(Some(Statement {
            doc_id: meta.doc_id,
            title: meta.title,
            date: meta.date,
            reference: meta.reference,
            lang: meta.lang,
            source: meta.source,
            url: meta.url,
            paragraphs: own
                .into_iter()
                .map(|p| Neighbour {
                    paragraph: p.number,
                    text: p.text,
                })
                .collect(),
            twin,
        }))
    }

    /// The paragraphs of the index passing `options`' filters (`since`,
    /// `until`, `lang`) with their date and whether each opens its
    /// statement: the denominators of [`trend::trend`].
    ///
    /// # Errors
    /// Tantivy errors while reading the columns.
    ///
    /// With `source`, only the paragraphs of statements whose source holds
    /// its words (as `source:"…"` in a query); `None` when `source` has no
    /// searchable word.
    pub fn all_paragraphs(
        &self,
        options: &SearchOptions,
        source: Option<&str>,
    ) -> Result<Option<Vec<DatedParagraph>>, SearchError> {
        let searcher = self.reader.searcher();
        let wanted = options.lang.as_deref().map(str::to_lowercase);
        let from_source = match source {
            None => None,
            Some(text) => {
                let planner = plan::Planner::new(&searcher, self.handle.fields, false);
                let Some(query) = planner.source_filter(text) else {
                    return Ok(None);
                };
                Some(searcher.search(query.as_ref(), &DocSetCollector)?)
            }
        };
        let mut out = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let fast = reader.fast_fields();
            let dates = fast.date("date")?;
            let spans = fast.u64("statement_span")?;
            let langs = fast.str("lang")?;
            let mut lang = String::new();
            for doc in reader.doc_ids_alive() {
                if from_source
                    .as_ref()
                    .is_some_and(|set| !set.contains(&DocAddress::new(ord as u32, doc)))
                {
                    continue;
                }
                if let (Some(want), Some(col)) = (&wanted, &langs) {
                    lang.clear();
                    let ord = col.term_ords(doc).next();
                    if let Some(ord) = ord {
                        let _ = col.ord_to_str(ord, &mut lang);
                    }
                    if &lang != want {
                        continue;
                    }
                }
                let date = dates.first(doc).and_then(from_tantivy_date);
                if options.since.is_some_and(|s| date.is_none_or(|d| d < s))
                    || options.until.is_some_and(|u| date.is_none_or(|d| d > u))
                {
                    continue;
                }
                let opens = spans
                    .first(doc)
                    .is_none_or(|v| crate::schema::StatementSpan::decode(v).position == 0);
                out.push((date, opens));
            }
        }
        Ok(Some(out))
    }

    /// The first step of [`Searcher::search`] and [`Searcher::matching`]:
    /// the stored synonyms checked when they will be used, the query
    /// parsed (an error under `strict` when it had problems), the last
    /// commit and the languages to plan for, and the notes so far.
    fn read_query(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<QueryReading, SearchError> {
        if !options.exact && options.ranking.synonyms {
            self.thesaurus()?;
        }
        let parsed = query::parse(query);
        if options.strict && !parsed.notes.is_empty() {
            // Refused, not worked around: nothing was "ignored".
            let notes = parsed.notes.into_iter().map(|mut n| {
                if let Some(m) = n.message.strip_suffix("; ignored") {
                    n.message = m.to_string();
                }
                n
            });
            return Err(SearchError::Syntax(notes.collect()));
        }
        let searcher = self.reader.searcher();
        let langs = Languages::of(&searcher, (self.handle.fields, &self.columns), options);
        let mut notes = parsed.notes;
        notes.extend(parsed.hints);
        let parser_notes = notes.len();
        notes.extend(langs.absent_note(&searcher, self.handle.fields));
        Ok(QueryReading {
            root: parsed.root,
            notes,
            parser_notes,
            searcher,
            langs,
        })
    }

    /// When fewer than a page of paragraphs hold a phrase as written, the
    /// same query with its phrases as separate words ([`phrase_words`]; the
    /// rescore window ranks words near each other first) adds its
    /// paragraphs after them, as partial matches: an analyst who quotes
    /// "renforcement des capacités" also wants "renforcer les capacités"
    /// once the exact wording runs out.
    /// Returns the plans, each with the first statement index of the
    /// candidates it found (the exact plan first, at 0): hits are
    /// highlighted and labelled by the plan that found them.
    #[allow(clippy::type_complexity)]
    fn continue_phrases(
        &self,
        searcher: &tantivy::Searcher,
        (root, planned, mut ranking): (Option<&query::Node>, Planned, rank::Ranking),
        options: &SearchOptions,
        (langs, shown, notes): (&Languages, Option<bool>, &mut Vec<QueryNote>),
    ) -> Result<(Vec<(u32, Planned)>, rank::Ranking), SearchError> {
        let mut plans = vec![(0, planned)];
        if ranking.full >= rank::ENOUGH {
            return Ok((plans, ranking));
        }
        let Some(words) = root.and_then(phrase_words) else {
            return Ok((plans, ranking));
        };
        let words_plan = self.plan(searcher, Some(&words), &without_related(options), langs);
        let mut more = self.rank(searcher, &words_plan, options, (langs, shown))?;
        self.rescore_window(searcher, &words_plan, &mut more, options)?;
        self.repeats_follow(searcher, &mut more, options);
        let from = ranking.statements.len() as u32;
        // The count holds the paragraphs matching through a synonym too.
        let synonyms = if has_synonyms(&plans[0].1) {
            " or its synonyms"
        } else {
            ""
        };
        if append_loosened(&mut ranking, more) > 0 {
            notes.push(QueryNote {
                position: None,
                message: format!(
                    "{} {} the phrase {}{synonyms}; then paragraphs with its words, nearest first \
                     (marked partial)",
                    ranking.full,
                    if ranking.full == 1 {
                        "paragraph holds"
                    } else {
                        "paragraphs hold"
                    },
                    if root.is_some_and(has_slop) {
                        "within the distance asked"
                    } else {
                        "as written"
                    }
                ),
            });
            plans.push((from, words_plan));
        }
        Ok((plans, ranking))
    }

    /// When `--since` or `--until` leaves nothing: a note with the number
    /// of paragraphs the query matches at other dates and in undated
    /// statements (those holding every part; else those partly matching),
    /// from two more searches without the date filters, counted only, so
    /// that an empty answer is not read as words the index lacks; `filter`
    /// names the filter (`--since 2023-01-01`). `None` when the query finds
    /// nothing at any date.
    fn date_filter_note(
        &self,
        query: &str,
        options: &SearchOptions,
        filter: String,
    ) -> Option<QueryNote> {
        let count = |since: Option<jiff::civil::Date>| {
            let counting = SearchOptions {
                since,
                until: None,
                ..counting_options(options)
            };
            self.search_once(query, &counting).ok()
        };
        let any = count(None)?;
        // Every dated statement passes a filter from the first day.
        let dated = count(Some(jiff::civil::Date::MIN))?;
        let (n, dated, how) = if any.total > 0 {
            (any.total, dated.total, "")
        } else {
            (any.partial, dated.partial, "partly ")
        };
        let undated = n.saturating_sub(dated);
        let paragraphs = |k: usize| {
            format!(
                "{k} paragraph{} {how}match{}",
                if k == 1 { "" } else { "s" },
                if k == 1 { "es" } else { "" }
            )
        };
        let elsewhere = match (dated, undated) {
            (0, 0) => return None,
            (d, 0) => format!("{} at other dates", paragraphs(d)),
            (0, u) => format!(
                "{} in statements without a date, which no date filter keeps",
                paragraphs(u)
            ),
            (d, u) => format!(
                "{} at other dates and {u} in statements without a date, which no date \
                 filter keeps",
                paragraphs(d)
            ),
        };
        Some(QueryNote {
            position: None,
            message: format!("{filter}: nothing of those dates matches; {elsewhere}"),
        })
    }

    /// Plans `root` as ranking slots, once per language present, and ORs
    /// the languages' queries slot by slot; a query that has no positive
    /// part to rank by is planned whole, as one slot.
    fn plan(
        &self,
        searcher: &tantivy::Searcher,
        root: Option<&query::Node>,
        options: &SearchOptions,
        langs: &Languages,
    ) -> Planned {
        use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
        let fields = self.handle.fields;
        let plan_options = plan::PlanOptions {
            exact: options.exact,
            since: options.since,
            until: options.until,
            bm25: options.ranking.bm25,
            proximity: options.ranking.proximity,
            synonyms: !options.exact && options.ranking.synonyms,
            // `--all-words` (and what counts matches: trend) keeps to the
            // words and their synonyms.
            related: options.ranking.related && !options.all_words,
            typed_number_only: !options.ranking.number,
            english_wording: false,
        };
        let empty = crate::thesaurus::Thesaurus::empty();
        let thesaurus = self.thesaurus.as_deref().unwrap_or(&empty);
        // A query whose wording shows its language (an accent, an elided
        // article, a function word) is not corrected into the other
        // language's words: `sécurté` is no typo for "secure".
        let shown = language::shown(root);
        let planner = |english: bool| {
            let options = plan::PlanOptions {
                exact: plan_options.exact || shown == Some(!english),
                english_wording: shown == Some(true),
                ..plan_options.clone()
            };
            plan::Planner::new(searcher, fields, english)
                .with_columns(self.columns.clone())
                .with_options(options)
                .with_thesaurus(thesaurus)
                .with_other_language(if english { langs.french } else { langs.english })
        };
        let present: Vec<bool> = [(false, langs.french), (true, langs.english)]
            .into_iter()
            .filter(|p| p.1)
            .map(|p| p.0)
            .collect();
        let mut planned = Planned::default();
        let Some(root) = root else {
            return planned;
        };
        planned.exact_wording = match root {
            query::Node::Phrase { field: None, .. } => true,
            query::Node::And(items) => items.iter().all(|n| {
                matches!(
                    n,
                    query::Node::Phrase { field: None, .. }
                        | query::Node::Not(_)
                        | query::Node::DateRange { .. }
                )
            }),
            _ => false,
        };
        let slot_plans: Option<Vec<(bool, plan::SlotPlan)>> = present
            .iter()
            .map(|&english| planner(english).plan_slots(root).map(|p| (english, p)))
            .collect();
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match slot_plans {
            Some(plans) if !plans.is_empty() => {
                let mut by_item: Vec<MergedSlot> = Vec::new();
                for (n, (english, plan)) in plans.into_iter().enumerate() {
                    planned.absorb(
                        english,
                        langs.french,
                        plan.highlight,
                        plan.explain,
                        langs.notes_of(english, plan.notes),
                    );
                    planned.rescore.extend(plan.rescore);
                    if n == 0 {
                        filters = plan.filters;
                    }
                    for slot in plan.slots {
                        match by_item.iter_mut().find(|e| e.0 == slot.key) {
                            Some(e) => {
                                e.2.push(slot.query);
                                if e.3.is_none() {
                                    e.3 = slot.title;
                                }
                            }
                            None => {
                                by_item.push((slot.key, slot.label, vec![slot.query], slot.title))
                            }
                        }
                    }
                    planned.joined.extend(plan.joined);
                    planned.synonyms.extend(plan.synonyms);
                    for (at, word) in plan.compounds {
                        if !planned.compounds.iter().any(|c| c.0 == at) {
                            planned.compounds.push((at, word));
                        }
                    }
                }
                by_item.sort_by_key(|e| e.0);
                for (bit, (item, label, queries, title)) in by_item.into_iter().enumerate() {
                    planned.items.push(item);
                    planned.labels.push(label);
                    planned.slots.push(rank::SlotQuery {
                        query: or_all(queries),
                        title,
                        bits: 1 << bit,
                        related: false,
                    });
                }
            }
            _ => {
                let mut queries = Vec::new();
                for english in present {
                    let plan = planner(english).plan(Some(root));
                    planned.absorb(
                        english,
                        langs.french,
                        plan.highlight,
                        plan.explain,
                        langs.notes_of(english, plan.notes),
                    );
                    planned.rescore.extend(plan.rescore);
                    queries.push(plan.query);
                }
                planned.labels.push(root.to_string());
                planned.items.push((usize::MAX, 0));
                planned.slots.push(rank::SlotQuery {
                    query: or_all(queries),
                    title: None,
                    bits: 1,
                    related: false,
                });
            }
        }
        // Joined forms stand for several slots, by their bits; synonyms
        // for their run's slots, marked as synonyms.
        let joined = std::mem::take(&mut planned.joined)
            .into_iter()
            .map(|(keys, query)| (keys, query, None, 0, false));
        let synonyms = std::mem::take(&mut planned.synonyms)
            .into_iter()
            .map(|s| (s.keys, s.query, s.title, rank::SYNONYM_SHIFT, s.related));
        for (keys, query, title, shift, related) in joined.chain(synonyms) {
            let bits = keys
                .iter()
                .filter_map(|k| planned.items.iter().position(|i| i == k))
                .fold(0u32, |b, at| b | (1 << at));
            if bits != 0 {
                planned.slots.push(rank::SlotQuery {
                    query,
                    title,
                    bits: bits << shift,
                    related,
                });
            }
        }
        if let Some(code) = &langs.wanted {
            filters.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.lang, code),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if !filters.is_empty() {
            filters.insert(0, (Occur::Must, Box::new(AllQuery)));
            planned.filter = Some(Box::new(BooleanQuery::new(filters)));
        }
        planned
    }

    /// Ranks the planned slots (see [`rank`]).
    fn rank(
        &self,
        searcher: &tantivy::Searcher,
        planned: &Planned,
        options: &SearchOptions,
        (langs, shown): (&Languages, Option<bool>),
    ) -> Result<rank::Ranking, SearchError> {
        let mut config = options.ranking;
        if options.all_words {
            config.partial = false;
            config.siblings = 0;
        }
        // Quoted wording only: the user asked for those words as written,
        // so no paragraph comes in through its statement.
        if planned.exact_wording || planned.whole() {
            config.siblings = 0;
        }
        let page = options.offset.saturating_add(options.limit).max(1);
        let sort_all = options.sort == SortOrder::Date
            || options.group_by_statement
            || options.count_statements;
        Ok(rank::rank(
            searcher,
            &planned.slots,
            planned.labels.len(),
            planned.filter.as_deref(),
            page,
            sort_all,
            rank::QueryLanguage {
                english_docs: langs.english_docs,
                neutral: language_neutral(searcher, self.handle.fields, planned),
                shown,
            },
            (&config, &self.columns),
        )?)
    }

    /// Adds the rescore bonuses (title, exact form, words side by side and
    /// near each other) to the best candidates, and re-sorts them.
    fn rescore_window(
        &self,
        searcher: &tantivy::Searcher,
        planned: &Planned,
        ranking: &mut rank::Ranking,
        options: &SearchOptions,
    ) -> Result<(), SearchError> {
        if planned.rescore.is_empty() || options.limit == 0 {
            return Ok(());
        }
        // A fixed window, whatever page is asked, so that pages add up to
        // one list.
        let window = if orders_every_candidate(options) {
            ranking.candidates.len()
        } else {
            RESCORE_WINDOW.min(ranking.candidates.len())
        };
        let head = &mut ranking.candidates[..window];
        let mut scored: Vec<(f32, DocAddress)> =
            head.iter().map(|c| (c.score, c.address)).collect();
        rescore(searcher, &planned.rescore, &mut scored)?;
        for (c, (score, _)) in head.iter_mut().zip(scored) {
            c.score = score;
        }
        head.sort_by(rank::best_first);
        Ok(())
    }

    /// Rule 10: among the first [`rank::ENOUGH`] candidates (all of them
    /// when every candidate is ordered), a paragraph whose text repeats a
    /// better one's of the same tier word for word is marked
    /// [`rank::Candidate::repeat`] and follows the rest of its tier. The
    /// first candidates do not depend on the page asked, so pages still
    /// add up to one list.
    fn repeats_follow(
        &self,
        searcher: &tantivy::Searcher,
        ranking: &mut rank::Ranking,
        options: &SearchOptions,
    ) {
        if !options.ranking.repeats {
            return;
        }
        let window = if orders_every_candidate(options) {
            ranking.candidates.len()
        } else {
            rank::ENOUGH.min(ranking.candidates.len())
        };
        let head = &mut ranking.candidates[..window];
        let hashes = self.columns.text_hashes(searcher, head);
        let mut seen = rustc_hash::FxHashSet::default();
        let mut any = false;
        for (c, hash) in head.iter_mut().zip(hashes) {
            if let Some(h) = hash {
                if !seen.insert((c.tier as u8, h)) {
                    c.repeat = true;
                    any = true;
                }
            }
        }
        if any {
            head.sort_by(rank::best_first);
        }
    }

    /// The candidates of the requested page, in order, with the number of
    /// matching paragraphs of their statement (`--docs`), and the number of
    /// statements with a full match when it was asked for.
    #[allow(clippy::type_complexity)]
    fn page(
        &self,
        searcher: &tantivy::Searcher,
        ranking: &rank::Ranking,
        options: &SearchOptions,
    ) -> Result<(Vec<(rank::Candidate, Option<usize>)>, Option<usize>), SearchError> {
        let needs_all = options.sort == SortOrder::Date
            || options.group_by_statement
            || options.count_statements;
        if !needs_all {
            // The ranking's order is final (ties in index order, which
            // follows statements and their paragraphs), so every page is a
            // slice of one list.
            let want = options.offset.saturating_add(options.limit);
            let picked: Vec<rank::Candidate> =
                ranking.candidates.iter().take(want).copied().collect();
            return Ok((picked.into_iter().map(|c| (c, None)).collect(), None));
        }
        let ids: Vec<String> = ranking
            .statements
            .iter()
            .map(|st| self.columns.statement_id(searcher, st))
            .collect();
        let info = collect::paragraph_info(searcher, &ranking.candidates)?;
        // A statement by its place in the index: the twins lent by a
        // translation each get an entry of their own in the ranking's list.
        let place = |c: &rank::Candidate| {
            let st = &ranking.statements[c.statement as usize];
            (st.segment, st.start)
        };
        let mut per_statement: HashMap<(u32, u32), usize> = HashMap::new();
        for c in ranking
            .candidates
            .iter()
            .filter(|c| c.tier == rank::Tier::Full && c.related == 0)
        {
            *per_statement.entry(place(c)).or_default() += 1;
        }
        let statements = Some(per_statement.len());
        let mut all: Vec<(rank::Candidate, u64, Option<tantivy::DateTime>)> = ranking
            .candidates
            .iter()
            .zip(info)
            .map(|(c, (paragraph, date))| (*c, paragraph, date))
            .collect();
        if options.limit == 0 {
            return Ok((Vec::new(), statements));
        }
        let by_rank =
            |a: &(rank::Candidate, u64, Option<tantivy::DateTime>),
             b: &(rank::Candidate, u64, Option<tantivy::DateTime>)| {
                b.0.tier
                    .cmp(&a.0.tier)
                    .then(a.0.repeat.cmp(&b.0.repeat))
                    .then_with(|| {
                        rank_order(
                            (a.0.score, a.0.distance, &ids[a.0.statement as usize], a.1),
                            (b.0.score, b.0.distance, &ids[b.0.statement as usize], b.1),
                        )
                    })
            };
        all.sort_by(by_rank);
        if options.group_by_statement {
            let mut seen = std::collections::HashSet::new();
            all.retain(|m| seen.insert(place(&m.0)));
        }
        if options.sort == SortOrder::Date {
            // Newest first among the paragraphs that hold every part, then
            // among those that hold some, then among those found through
            // their statement or translation: a date never lifts a
            // paragraph above one that holds more of the query.
            let holds =
                |m: &(rank::Candidate, _, _)| (m.0.tier == rank::Tier::Full, m.0.matched != 0);
            all.sort_by(|a, b| {
                holds(b)
                    .cmp(&holds(a))
                    .then_with(|| b.2.cmp(&a.2))
                    .then_with(|| by_rank(a, b))
            });
        }
        let picked = all
            .into_iter()
            .skip(options.offset)
            .take(options.limit)
            .map(|m| {
                let n = options
                    .group_by_statement
                    .then(|| per_statement.get(&place(&m.0)).copied().unwrap_or(0).max(1));
                (m.0, n)
            })
            .collect();
        Ok((picked, statements))
    }

    /// Loads, orders and highlights the picked candidates, and attaches
    /// context and twin paragraphs when asked.
    fn fetch(
        &self,
        searcher: &tantivy::Searcher,
        plans: &[(u32, &Planned)],
        ranking: &rank::Ranking,
        picked: Vec<(rank::Candidate, Option<usize>)>,
        options: &SearchOptions,
    ) -> Result<Vec<Hit>, SearchError> {
        let needs_all = options.sort == SortOrder::Date
            || options.group_by_statement
            || options.count_statements;
        let mut hits: Vec<(rank::Tier, Hit, &Planned)> = Vec::with_capacity(picked.len());
        for (c, matching) in picked {
            // The plan that found it: the last one whose candidates start at
            // or before its statement.
            let Some(&(_, planned)) = plans.iter().rev().find(|p| p.0 <= c.statement) else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(c.address)?;
            let mut hit = self.hit_from(&doc, c.score);
            if hit.title.is_empty() {
                hit.title = self.statement_title(searcher, c.address)?;
            }
            hit.matching_paragraphs = matching;
            // A twin holds none of the words: it stands for its
            // translation's match.
            // A related concept is not what was asked for either.
            hit.partial = c.tier != rank::Tier::Full
                || matches!(
                    c.via,
                    rank::Via::Statement | rank::Via::Twin | rank::Via::Related
                );
            hit.matched_terms = (0..planned.labels.len())
                .filter(|b| c.matched & !c.related & (1 << b) != 0)
                .map(|b| planned.labels[b].clone())
                .collect();
            hit.via = c.via.name();
            hits.push((c.tier, hit, planned));
        }
        let _ = ranking;
        if !needs_all {
            // Already in rank order (see `page`).
            hits = hits
                .into_iter()
                .skip(options.offset)
                .take(options.limit)
                .collect();
        }
        for (i, (_, hit, planned)) in hits.iter_mut().enumerate() {
            hit.rank = options.offset + i + 1;
            let spec = if crate::analysis::is_english(&hit.lang) {
                &planned.highlight_en
            } else {
                &planned.highlight_fr
            };
            hit.highlights = spec.ranges(&hit.text);
        }
        let mut hits: Vec<Hit> = hits.into_iter().map(|h| h.1).collect();
        if options.context > 0 {
            for hit in &mut hits {
                self.attach_context(searcher, hit, options.context)?;
            }
        }
        if options.parallel {
            for hit in &mut hits {
                hit.twin = self.find_twin(searcher, hit)?;
            }
        }
        Ok(hits)
    }

    /// The title of the statement holding the paragraph at `address`,
    /// read from the statement's first paragraph, where it is stored
    /// (empty when there is none).
    fn statement_title(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> Result<String, SearchError> {
        let Some(st) = self.columns.statement_of(searcher, address) else {
            return Ok(String::new());
        };
        if st.start == address.doc_id {
            return Ok(String::new());
        }
        let first: TantivyDocument =
            searcher.doc(DocAddress::new(address.segment_ord, st.start))?;
        Ok(text_of(&first, self.handle.fields.title).unwrap_or_default())
    }

    /// The hit of the stored paragraph `doc`; its title is empty unless
    /// `doc` is its statement's first paragraph ([`title`]).
    fn hit_from(&self, doc: &TantivyDocument, score: f32) -> Hit {
        let fields = self.handle.fields;
        Hit {
            rank: 0,
            score,
            doc_id: text_of(doc, fields.doc_id).unwrap_or_default(),
            title: text_of(doc, fields.title).unwrap_or_default(),
            date: doc
                .get_first(fields.date)
                .and_then(|v| v.as_datetime())
                .and_then(from_tantivy_date)
                .map(|d| d.to_string()),
            reference: text_of(doc, fields.reference),
            lang: text_of(doc, fields.lang).unwrap_or_default(),
            source: text_of(doc, fields.source),
            url: text_of(doc, fields.url),
            paragraph: doc
                .get_first(fields.paragraph)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            text: text_of(doc, fields.text).unwrap_or_default(),
            highlights: Vec::new(),
            matching_paragraphs: None,
            before: Vec::new(),
            after: Vec::new(),
            twin: None,
            partial: false,
            matched_terms: Vec::new(),
            via: None,
        }
    }

    /// Rule 6, the statement's own translation: a paragraph among the best
    /// candidates whose statement has a twin in the other language brings
    /// the twin paragraph (the twin statement shares a twin key; paragraphs
    /// are paired by [`crate::twins::align`]): just above it when the twin
    /// is in the query's language (scored as the match would be there),
    /// just below it otherwise. Twins must pass the query's filters (dates,
    /// `--lang`, excluded words); those already among the candidates keep
    /// their own place. At most ten statements are looked at.
    fn lend_twins(
        &self,
        searcher: &tantivy::Searcher,
        (plans, ranking): (&[(u32, &Planned)], &mut rank::Ranking),
        options: &SearchOptions,
    ) -> Result<(), SearchError> {
        use tantivy::query::EnableScoring;
        let Some(&(_, planned)) = plans.last() else {
            return Ok(());
        };
        let filter = planned
            .filter
            .as_ref()
            .map(|f| f.weight(EnableScoring::disabled_from_searcher(searcher)))
            .transpose()?;
        let passes = |address: DocAddress| -> Result<bool, SearchError> {
            let Some(weight) = &filter else {
                return Ok(true);
            };
            let mut scorer = weight.scorer(searcher.segment_reader(address.segment_ord), 1.0)?;
            let doc = if scorer.doc() < address.doc_id {
                tantivy::DocSet::seek(&mut scorer, address.doc_id)
            } else {
                tantivy::DocSet::doc(&scorer)
            };
            Ok(doc == address.doc_id)
        };
        /// Statements in the other language looked at, at most.
        const MOST: usize = 10;
        if planned.whole() {
            return Ok(());
        }
        // Sources: the rescore window, whatever page is asked; the twins join
        // the ordered head of the list.
        let window = RESCORE_WINDOW.min(ranking.candidates.len());
        let head = ranking.candidates.len().min(
            options
                .offset
                .saturating_add(options.limit)
                .max(rank::ENOUGH)
                .saturating_add(rank::HEAD_MARGIN),
        );
        let english = ranking.english_query;
        let mut sources: Vec<u32> = Vec::new();
        for c in &ranking.candidates[..window] {
            if !sources.contains(&c.statement) && sources.len() < MOST {
                sources.push(c.statement);
            }
        }
        if sources.is_empty() || !self.has_twins(searcher)? {
            return Ok(());
        }
        let mut at_of: HashMap<DocAddress, usize> = ranking
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.address, i))
            .collect();
        let lift = 1.0 / options.ranking.other_language.max(0.01);
        let mut lent: Vec<rank::Candidate> = Vec::new();
        let mut raised: Vec<usize> = Vec::new();
        for at in sources {
            let st = ranking.statements[at as usize].clone();
            let id = self.columns.statement_id(searcher, &st);
            let Some(pairs) = self.twin_pairs(searcher, &id)? else {
                continue;
            };
            let sources: Vec<rank::Candidate> = ranking.candidates[..window]
                .iter()
                .filter(|c| c.statement == at && c.via != rank::Via::Twin)
                .copied()
                .collect();
            for c in sources {
                let Some(&(_, twin)) = pairs.iter().find(|p| p.0 == c.address) else {
                    continue;
                };
                if lent.iter().any(|l| l.address == twin) || !passes(twin)? {
                    continue;
                }
                // Into the query's language: as the match would score there,
                // just above it; into the other one: just below it.
                let into_query_language = st.english != english;
                // A twin holds none of the words: it never passes a
                // paragraph that holds them all (rule 1).
                let tier = c.tier.min(rank::Tier::Statement);
                // The same within a loosened phrase's words (rule 7).
                let loosened = match c.loosened {
                    0 => 0,
                    l => l.max(rank::Candidate::loosened_from(rank::Tier::Statement)),
                };
                let score = if into_query_language {
                    c.score * lift
                } else {
                    c.score * options.ranking.other_language
                };
                if let Some(&k) = at_of.get(&twin) {
                    // Already a candidate: it moves up to the twin's place
                    // when that is better, and keeps its own otherwise; it
                    // is shown as a translation only when its own match
                    // ranked lower.
                    let Some(existing) = ranking.candidates.get_mut(k) else {
                        continue;
                    };
                    if tier > existing.tier {
                        existing.tier = tier;
                        existing.score = score;
                        existing.loosened = loosened;
                        existing.via = rank::Via::Twin;
                        raised.push(k);
                    } else if tier == existing.tier
                        && (loosened, std::cmp::Reverse(score))
                            < (existing.loosened, std::cmp::Reverse(existing.score))
                    {
                        existing.score = score;
                        existing.loosened = loosened;
                        raised.push(k);
                    }
                    continue;
                }
                let Some(twin_statement) = self.columns.statement_of(searcher, twin) else {
                    continue;
                };
                ranking.statements.push(twin_statement);
                at_of.insert(twin, usize::MAX);
                lent.push(rank::Candidate {
                    via: rank::Via::Twin,
                    address: twin,
                    score,
                    tier,
                    matched: 0,
                    related: 0,
                    statement: (ranking.statements.len() - 1) as u32,
                    repeat: false,
                    // Translations of lent paragraphs keep their order.
                    distance: c.distance,
                    loosened,
                });
            }
        }
        if lent.is_empty() && raised.is_empty() {
            return Ok(());
        }
        // A twin the ranking counted without keeping it among the
        // candidates is counted once; with a loosened phrase, a twin either
        // plan's ranking counted.
        for twin in &lent {
            let st = &ranking.statements[twin.statement as usize];
            let mut counted = false;
            for ((_, plan), counting) in plans.iter().zip(&ranking.counting) {
                if counted {
                    break;
                }
                let matched = rank::held(searcher, &plan.slots, twin.address)?;
                counted = counting.counted(st, matched);
            }
            if !counted {
                ranking.others += 1;
            }
        }
        // Candidates raised from beyond the ordered head join it.
        raised.sort_unstable();
        raised.dedup();
        let beyond: Vec<rank::Candidate> = raised
            .iter()
            .rev()
            .filter(|&&k| k >= head)
            .map(|&k| ranking.candidates.remove(k))
            .collect();
        let mut head: Vec<rank::Candidate> = ranking.candidates.drain(..head).collect();
        head.extend(beyond);
        head.extend(lent);
        head.sort_by(rank::best_first);
        ranking.candidates.splice(0..0, head);
        Ok(())
    }

    /// Whether any statement of the index has a twin key (a language
    /// marker in its id, a reference number or an explicit twin) and
    /// another statement can be in another language: without both, no
    /// statement can have a twin and nothing needs to be read.
    ///
    /// The languages are counted first because a field no paragraph of a
    /// segment holds costs Tantivy an empty term dictionary built on the
    /// spot (a megabyte of memory faulted in, about 0.3 ms of a cold
    /// `vigie search`), which an index of one language would pay for
    /// nothing.
    fn has_twins(&self, searcher: &tantivy::Searcher) -> Result<bool, SearchError> {
        let mut langs: Vec<Vec<u8>> = Vec::new();
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(self.handle.fields.lang)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                if !langs.iter().any(|l| l == terms.key()) {
                    langs.push(terms.key().to_vec());
                }
            }
        }
        if langs.len() < 2 {
            return Ok(false);
        }
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(self.handle.fields.twin)?;
            if inverted.terms().num_terms() > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The paragraphs of statement `doc_id` paired with those of its twin
    /// in the other language: (address of one of its paragraphs, address
    /// of the twin paragraph). `None` without a twin.
    fn twin_pairs(
        &self,
        searcher: &tantivy::Searcher,
        doc_id: &str,
    ) -> Result<Option<Vec<(DocAddress, DocAddress)>>, SearchError> {
        let own = self.statement_paragraphs(searcher, doc_id)?;
        let Some((_, _, other)) = self.twin_statement(searcher, doc_id, &own)? else {
            return Ok(None);
        };
        Ok(Some(
            own.iter()
                .zip(aligned(&own, &other))
                .filter_map(|(p, j)| other.get(j).map(|o| (p.address, o.address)))
                .collect(),
        ))
    }

    /// The twin of statement `doc_id` (whose paragraphs are `own`): the
    /// statement in another language sharing one of its twin keys (the
    /// first by id when several do), as (id, language, paragraphs).
    #[allow(clippy::type_complexity)]
    fn twin_statement(
        &self,
        searcher: &tantivy::Searcher,
        doc_id: &str,
        own: &[StatementParagraph],
    ) -> Result<Option<(String, String, Vec<StatementParagraph>)>, SearchError> {
        use tantivy::query::{BooleanQuery, Occur, Query};
        let fields = self.handle.fields;
        let Some(first) = own.first() else {
            return Ok(None);
        };
        let lang = text_of(&first.doc, fields.lang).unwrap_or_default();
        let clauses: Vec<(Occur, Box<dyn Query>)> = first
            .doc
            .get_all(fields.twin)
            .filter_map(|v| v.as_str())
            .map(|k| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(fields.twin, k),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(None);
        }
        let mut candidates: Vec<(String, String)> = Vec::new();
        for address in searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = text_of(&doc, fields.doc_id).unwrap_or_default();
            let other_lang = text_of(&doc, fields.lang).unwrap_or_default();
            if id != doc_id && other_lang != lang && !candidates.iter().any(|c| c.0 == id) {
                candidates.push((id, other_lang));
            }
        }
        candidates.sort();
        let Some((twin_id, twin_lang)) = candidates.into_iter().next() else {
            return Ok(None);
        };
        let other = self.statement_paragraphs(searcher, &twin_id)?;
        Ok(Some((twin_id, twin_lang, other)))
    }

    /// Every paragraph of statement `doc_id`, in paragraph order.
    fn statement_paragraphs(
        &self,
        searcher: &tantivy::Searcher,
        doc_id: &str,
    ) -> Result<Vec<StatementParagraph>, SearchError> {
        let fields = self.handle.fields;
        let q = TermQuery::new(
            Term::from_field_text(fields.doc_id, doc_id),
            IndexRecordOption::Basic,
        );
        let mut out = Vec::new();
        for address in searcher.search(&q, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            out.push(StatementParagraph {
                number: doc
                    .get_first(fields.paragraph)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                text: text_of(&doc, fields.text).unwrap_or_default(),
                doc,
                address,
            });
        }
        // In the order they were read (a statement's paragraphs are added
        // in one batch, in order): printed numbers may start again (an
        // annex numbered from 1, two lists in one page).
        out.sort_by_key(|p| p.address);
        Ok(out)
    }

    /// The paragraph of `hit`'s twin statement (another language, sharing a
    /// twin key) that corresponds to the hit, aligned by [`crate::twins::align`].
    fn find_twin(
        &self,
        searcher: &tantivy::Searcher,
        hit: &Hit,
    ) -> Result<Option<TwinParagraph>, SearchError> {
        let own = self.statement_paragraphs(searcher, &hit.doc_id)?;
        let Some((twin_id, twin_lang, other)) = self.twin_statement(searcher, &hit.doc_id, &own)?
        else {
            return Ok(None);
        };
        let Some(at) = position_of(&own, hit, |p| (p.number, &p.text)) else {
            return Ok(None);
        };
        let Some(p) = aligned(&own, &other).get(at).and_then(|&j| other.get(j)) else {
            return Ok(None);
        };
        Ok(Some(TwinParagraph {
            doc_id: twin_id,
            lang: twin_lang,
            // The title is stored with the statement's first paragraph.
            title: other
                .first()
                .and_then(|first| text_of(&first.doc, self.handle.fields.title))
                .unwrap_or_default(),
            paragraph: p.number,
            text: p.text.clone(),
        }))
    }

    /// Fills `hit.before` / `hit.after` with up to `n` paragraphs of the
    /// same statement on each side, by paragraph order.
    fn attach_context(
        &self,
        searcher: &tantivy::Searcher,
        hit: &mut Hit,
        n: usize,
    ) -> Result<(), SearchError> {
        let paragraphs: Vec<Neighbour> = self
            .statement_paragraphs(searcher, &hit.doc_id)?
            .into_iter()
            .map(|p| Neighbour {
                paragraph: p.number,
                text: p.text,
            })
            .collect();
        let Some(at) = position_of(&paragraphs, hit, |p| (p.paragraph, &p.text)) else {
            return Ok(());
        };
        hit.before = paragraphs[at.saturating_sub(n)..at].to_vec();
        hit.after = paragraphs[at + 1..(at + 1).saturating_add(n).min(paragraphs.len())].to_vec();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{partial_note, PartialKinds};

    const ALL: PartialKinds = PartialKinds {
        parts: true,
        related: true,
        statement: true,
        twin: true,
    };

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_partial_note_names_the_words_as_typed() {
        // One word, one part: no "parts" to speak of.
        let note = partial_note(
            3,
            (&words(&["sécurité"]), &words(&["sécurité"]), &[3]),
            true,
            ALL,
            &[],
            None,
        );
        assert!(
            note.starts_with("only 3 paragraphs hold sécurité (or its synonyms); then"),
            "{note}"
        );
        // One compound ranked by its parts.
        let note = partial_note(
            0,
            (
                &words(&["cyberharcèlement"]),
                &words(&["cyber", "harcèlement"]),
                &[5, 7],
            ),
            false,
            ALL,
            &[],
            None,
        );
        assert!(
            note.starts_with(
                "no paragraph holds cyberharcèlement or all of its parts (cyber, harcèlement); showing"
            ),
            "{note}"
        );
        // Several words, one of them in no paragraph.
        let note = partial_note(
            1,
            (
                &words(&["otan", "xylophone"]),
                &words(&["otan", "xylophone"]),
                &[4, 0],
            ),
            false,
            ALL,
            &[],
            None,
        );
        assert!(
            note.starts_with(
                "only 1 paragraph holds all of otan xylophone; xylophone is in none; then"
            ),
            "{note}"
        );
    }

    #[test]
    fn the_partial_note_names_only_the_partial_hits_shown() {
        let one = (
            &words(&["rançonneurs"])[..],
            &words(&["rançonneurs"])[..],
            &[1u64][..],
        );
        // One word; the statement's other paragraphs shown, no translation.
        let lent = PartialKinds {
            statement: true,
            ..PartialKinds::default()
        };
        let note = partial_note(1, one, false, lent, &[], None);
        assert_eq!(
            note,
            "only 1 paragraph holds rançonneurs; then other paragraphs of the \
             statements that hold it (marked partial; --all-words for none)"
        );
        assert!(!note.contains("most important"), "{note}");
        assert!(!note.contains("translations"), "{note}");
        // Two words: the most important of them, and translations.
        let two = (
            &words(&["otan", "chine"])[..],
            &words(&["otan", "chine"])[..],
            &[3u64, 2][..],
        );
        let note = partial_note(
            0,
            two,
            false,
            PartialKinds {
                parts: true,
                twin: true,
                ..PartialKinds::default()
            },
            &[],
            None,
        );
        assert_eq!(
            note,
            "no paragraph holds all of otan chine; showing paragraphs that hold the \
             most important of them, translations of matches (marked partial; \
             --all-words for none)"
        );
    }
}
