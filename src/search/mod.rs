//! Search: a query string in, ranked paragraph hits with highlights out.
//!
//! This module answers "which paragraphs match, in what order, and where
//! are the matched words?". It is the *searcher*: it finds and never
//! formats (that is [`crate::output`]). Steps: [`query::parse`] reads the
//! user's query leniently, [`plan::Planner`] turns it into a Tantivy query
//! through the French analysis, Tantivy ranks paragraphs by BM25, and
//! [`highlight::HighlightSpec`] marks the matched words in each hit.
//! Ties in score are broken by statement id, then paragraph number, so the
//! same index and query always give the same order.

pub mod highlight;
pub mod plan;
pub mod query;

use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{IndexReader, ReloadPolicy, TantivyDocument};

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

/// Options of one search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Number of hits to return.
    pub limit: usize,
    /// Number of best hits to skip first.
    pub offset: usize,
    /// Report query problems as errors instead of working around them.
    pub strict: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            strict: false,
        }
    }
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
    /// 1-based paragraph number.
    pub paragraph: u64,
    /// The paragraph exactly as in the source.
    pub text: String,
    /// Matched words as `[start, end)` UTF-8 byte offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Hits, best first.
    pub hits: Vec<Hit>,
    /// Number of matching paragraphs in the whole index.
    pub total: usize,
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
        let plan = plan::Planner::new(&searcher, fields).plan(parsed.root.as_ref());
        let mut notes = parsed.notes;
        notes.extend(plan.notes);
        let want = options.offset.saturating_add(options.limit);
        let (top, total) = if want == 0 {
            (Vec::new(), searcher.search(&plan.query, &Count)?)
        } else {
            searcher.search(
                &plan.query,
                &(TopDocs::with_limit(want).order_by_score(), Count),
            )?
        };
        let search_micros = start.elapsed().as_micros();
        let fetch_start = Instant::now();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = text_of(&doc, fields.body).unwrap_or_default();
            hits.push(Hit {
                rank: 0,
                score,
                doc_id: text_of(&doc, fields.doc_id).unwrap_or_default(),
                title: text_of(&doc, fields.title).unwrap_or_default(),
                date: doc
                    .get_first(fields.date)
                    .and_then(|v| v.as_datetime())
                    .and_then(from_tantivy_date)
                    .map(|d| d.to_string()),
                reference: text_of(&doc, fields.reference),
                lang: text_of(&doc, fields.lang).unwrap_or_default(),
                source: text_of(&doc, fields.source),
                url: text_of(&doc, fields.url),
                paragraph: doc
                    .get_first(fields.paragraph)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
                highlights: Vec::new(),
                text,
            });
        }
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.doc_id.cmp(&b.doc_id))
                .then_with(|| a.paragraph.cmp(&b.paragraph))
        });
        let mut hits: Vec<Hit> = hits.into_iter().skip(options.offset).collect();
        for (i, hit) in hits.iter_mut().enumerate() {
            hit.rank = options.offset + i + 1;
            hit.highlights = plan.highlight.ranges(&hit.text);
        }
        Ok(SearchResults {
            hits,
            total,
            notes,
            explain: plan.explain,
            search_micros,
            fetch_micros: fetch_start.elapsed().as_micros(),
        })
    }
}
