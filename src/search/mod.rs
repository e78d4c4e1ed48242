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

pub mod collect;
pub mod fuzzy;
pub mod highlight;
pub mod plan;
pub mod query;

use std::time::Instant;

use serde::Serialize;
use std::collections::HashMap;

use tantivy::collector::{Count, DocSetCollector, TopDocs};
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

/// The ranking order: higher score first, ties broken by statement id,
/// then paragraph number (so the same index and query give the same order).
fn rank_order(a: (f32, &str, u64), b: (f32, &str, u64)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| a.2.cmp(&b.2))
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
    /// Never correct words that find nothing (no typo tolerance).
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
    /// Number of matching paragraphs in the whole index.
    pub total: usize,
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

/// Searches one index; cheap to reuse for many queries.
pub struct Searcher {
    handle: IndexHandle,
    reader: IndexReader,
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl Searcher {
    /// A searcher over `handle`'s last commit.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] if the index cannot be read.
    pub fn new(handle: IndexHandle) -> Result<Searcher, SearchError> {
        let reader = handle
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Searcher { handle, reader })
    }

    /// The index this searcher reads.
    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    /// Runs `query` and returns the hits of the requested page.
    ///
    /// # Errors
    /// [`SearchError::Syntax`] with `strict` when the query had problems;
    /// [`SearchError::Tantivy`] on index read errors.
    pub fn search(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults, SearchError> {
        let start = Instant::now();
        let parsed = query::parse(query);
        if options.strict && !parsed.notes.is_empty() {
            return Err(SearchError::Syntax(parsed.notes));
        }
        let searcher = self.reader.searcher();
        let fields = self.handle.fields;
        let plan_options = plan::PlanOptions {
            exact: options.exact,
            since: options.since,
            until: options.until,
        };
        // Plan once per language present in the index (a paragraph is in
        // exactly one of `body` and `body_en`), and OR the plans.
        let wanted = options.lang.as_deref().map(str::to_lowercase);
        let want_english = wanted.as_deref().map(crate::analysis::is_english);
        // English statements carry `lang = en` (normalised at reading).
        let en_docs = searcher
            .doc_freq(&Term::from_field_text(fields.lang, "en"))
            .unwrap_or(0);
        let has_english = want_english != Some(false) && en_docs > 0;
        let has_french =
            want_english != Some(true) && (searcher.num_docs() > en_docs || !has_english);
        let plan_lang = |english: bool| {
            plan::Planner::new(&searcher, fields, english)
                .with_options(plan_options.clone())
                .plan(parsed.root.as_ref())
        };
        let french = has_french.then(|| plan_lang(false));
        let english = has_english.then(|| plan_lang(true));
        let mut notes = parsed.notes.clone();
        let mut explain = vec![format!(
            "query: {}",
            parsed
                .root
                .as_ref()
                .map_or("(nothing to search)".to_string(), |r| r.to_string())
        )];
        use tantivy::query::{BooleanQuery, Occur, Query};
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut rescore_clauses: Vec<Box<dyn Query>> = Vec::new();
        let mut highlight_fr = highlight::HighlightSpec::default();
        let mut highlight_en = highlight::HighlightSpec {
            english: true,
            ..Default::default()
        };
        for (plan, english) in [(french, false), (english, true)] {
            let Some(plan) = plan else { continue };
            for n in plan.notes {
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            for line in plan.explain {
                if !explain.contains(&line) {
                    explain.push(if english && has_french {
                        format!("[en] {line}")
                    } else {
                        line
                    });
                }
            }
            clauses.push((Occur::Should, plan.query));
            rescore_clauses.extend(plan.rescore);
            if english {
                highlight_en = plan.highlight;
            } else {
                highlight_fr = plan.highlight;
            }
        }
        let mut query: Box<dyn Query> = if clauses.len() == 1 {
            clauses
                .pop()
                .map(|c| c.1)
                .unwrap_or_else(|| Box::new(tantivy::query::EmptyQuery))
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        if let Some(code) = wanted {
            let filter = TermQuery::new(
                Term::from_field_text(fields.lang, &code),
                IndexRecordOption::Basic,
            );
            explain.push(format!("only statements with lang = {code}"));
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, Box::new(filter)),
            ]));
        }
        let want = options.offset.saturating_add(options.limit);
        let needs_all = options.sort == SortOrder::Date
            || options.group_by_statement
            || options.count_statements;

        // (score, address, matching paragraphs of its statement)
        let mut picked: Vec<(f32, DocAddress, Option<usize>)>;
        let total;
        let mut statements = None;
        if needs_all {
            let mut all = searcher.search(&query, &collect::AllMatches)?;
            total = all.len();
            if !rescore_clauses.is_empty() && options.limit > 0 {
                // Every match is ranked here, so every match gets the bonuses.
                let mut scored: Vec<(f32, DocAddress)> =
                    all.iter().map(|m| (m.score, m.address)).collect();
                rescore(&searcher, &rescore_clauses, &mut scored)?;
                for (m, (score, _)) in all.iter_mut().zip(scored) {
                    m.score = score;
                }
            }
            let mut per_statement: HashMap<String, usize> = HashMap::new();
            for m in &all {
                *per_statement.entry(m.doc_id.clone()).or_default() += 1;
            }
            statements = Some(per_statement.len());
            if options.limit == 0 {
                all.clear();
            }
            let by_score = |a: &collect::Match, b: &collect::Match| {
                rank_order(
                    (a.score, &a.doc_id, a.paragraph),
                    (b.score, &b.doc_id, b.paragraph),
                )
            };
            all.sort_by(by_score);
            if options.group_by_statement {
                let mut seen = std::collections::HashSet::new();
                all.retain(|m| seen.insert(m.doc_id.clone()));
            }
            if options.sort == SortOrder::Date {
                all.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| by_score(a, b)));
            }
            picked = all
                .into_iter()
                .skip(options.offset)
                .take(options.limit)
                .map(|m| {
                    let n = options
                        .group_by_statement
                        .then(|| per_statement.get(&m.doc_id).copied().unwrap_or(1));
                    (m.score, m.address, n)
                })
                .collect();
        } else if want == 0 {
            total = searcher.search(&query, &Count)?;
            picked = Vec::new();
        } else {
            let window = want.max(RESCORE_WINDOW);
            let (mut top, count) = searcher.search(
                &query,
                &(TopDocs::with_limit(window).order_by_score(), Count),
            )?;
            total = count;
            if !rescore_clauses.is_empty() {
                rescore(&searcher, &rescore_clauses, &mut top)?;
            }
            // Keep the page (and any candidates tied with its last score, so
            // the tie-break below decides), before loading stored fields.
            top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            if let Some(&(last, _)) = top.get(want.saturating_sub(1)) {
                let keep = top.iter().take_while(|t| t.0 >= last).count();
                top.truncate(keep.max(want));
            }
            picked = top.into_iter().map(|(s, a)| (s, a, None)).collect();
        }
        let search_micros = start.elapsed().as_micros();
        let fetch_start = Instant::now();
        let mut hits = Vec::with_capacity(picked.len());
        for (score, address, matching) in picked.drain(..) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit_from(&doc, score);
            hit.matching_paragraphs = matching;
            hits.push(hit);
        }
        if !needs_all {
            hits.sort_by(|a, b| {
                rank_order(
                    (a.score, &a.doc_id, a.paragraph),
                    (b.score, &b.doc_id, b.paragraph),
                )
            });
            hits = hits
                .into_iter()
                .skip(options.offset)
                .take(options.limit)
                .collect();
        }
        for (i, hit) in hits.iter_mut().enumerate() {
            hit.rank = options.offset + i + 1;
            let spec = if crate::analysis::is_english(&hit.lang) {
                &highlight_en
            } else {
                &highlight_fr
            };
            hit.highlights = spec.ranges(&hit.text);
        }
        if options.context > 0 {
            for hit in &mut hits {
                self.attach_context(&searcher, hit, options.context)?;
            }
        }
        if options.parallel {
            for hit in &mut hits {
                hit.twin = self.find_twin(&searcher, hit)?;
            }
        }
        Ok(SearchResults {
            hits,
            total,
            statements,
            notes,
            explain,
            search_micros,
            fetch_micros: fetch_start.elapsed().as_micros(),
        })
    }

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
        }
    }

    /// Every paragraph of statement `doc_id`: (number, text, stored document),
    /// in paragraph order.
    fn statement_paragraphs(
        &self,
        searcher: &tantivy::Searcher,
        doc_id: &str,
    ) -> Result<Vec<(u64, String, TantivyDocument)>, SearchError> {
        let fields = self.handle.fields;
        let q = TermQuery::new(
            Term::from_field_text(fields.doc_id, doc_id),
            IndexRecordOption::Basic,
        );
        let mut out = Vec::new();
        for address in searcher.search(&q, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let number = doc
                .get_first(fields.paragraph)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            out.push((number, text_of(&doc, fields.text).unwrap_or_default(), doc));
        }
        out.sort_by_key(|p| p.0);
        Ok(out)
    }

    /// The paragraph of `hit`'s twin statement (another language, sharing a
    /// twin key) that corresponds to the hit, aligned by [`crate::twins::align`].
    fn find_twin(
        &self,
        searcher: &tantivy::Searcher,
        hit: &Hit,
    ) -> Result<Option<TwinParagraph>, SearchError> {
        use tantivy::query::{BooleanQuery, Occur, Query};
        let fields = self.handle.fields;
        let own = self.statement_paragraphs(searcher, &hit.doc_id)?;
        let Some((_, _, first)) = own.first() else {
            return Ok(None);
        };
        let keys: Vec<String> = first
            .get_all(fields.twin)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if keys.is_empty() {
            return Ok(None);
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = keys
            .iter()
            .map(|k| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(fields.twin, k),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        let mut candidates: Vec<(String, String)> = Vec::new();
        for address in searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = text_of(&doc, fields.doc_id).unwrap_or_default();
            let lang = text_of(&doc, fields.lang).unwrap_or_default();
            if id != hit.doc_id && lang != hit.lang && !candidates.iter().any(|c| c.0 == id) {
                candidates.push((id, lang));
            }
        }
        candidates.sort();
        let Some((twin_id, twin_lang)) = candidates.into_iter().next() else {
            return Ok(None);
        };
        let other = self.statement_paragraphs(searcher, &twin_id)?;
        let Some(at) = own.iter().position(|p| p.0 == hit.paragraph) else {
            return Ok(None);
        };
        let lens = |v: &[(u64, String, TantivyDocument)]| {
            v.iter().map(|p| p.1.chars().count()).collect::<Vec<_>>()
        };
        let map = crate::twins::align(&lens(&own), &lens(&other));
        let Some((number, text, doc)) = map.get(at).and_then(|&j| other.get(j)) else {
            return Ok(None);
        };
        Ok(Some(TwinParagraph {
            doc_id: twin_id,
            lang: twin_lang,
            title: text_of(doc, fields.title).unwrap_or_default(),
            paragraph: *number,
            text: text.clone(),
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
            .map(|(paragraph, text, _)| Neighbour { paragraph, text })
            .collect();
        let Some(at) = paragraphs.iter().position(|p| p.paragraph == hit.paragraph) else {
            return Ok(());
        };
        hit.before = paragraphs[at.saturating_sub(n)..at].to_vec();
        hit.after = paragraphs[at + 1..(at + 1 + n).min(paragraphs.len())].to_vec();
        Ok(())
    }
}
