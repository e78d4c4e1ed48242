//! Title queries: which paragraphs belong to a statement whose title holds
//! the words.
//!
//! A statement's title is indexed (and stored) on its first paragraph only:
//! indexing it with every paragraph analysed and posted it once per
//! paragraph, which cost a tenth of the indexing time and of the index on
//! collective agreements (long titles, a dozen paragraphs each). A query
//! on the `title` field therefore finds first paragraphs; [`InStatement`]
//! turns it into the query the user means, every paragraph of those
//! statements, each scored with the title's score. The statement of a
//! paragraph comes from the `statement_span` column ([`StatementSpan`]).
//!
//! A title is a statement's, so its BM25 is over statements: the number of
//! documents its idf and average length count is the number of statements
//! ([`StatementStatistics`]), not of paragraphs. This is Lucene's rule for
//! a field some documents lack (`BM25Similarity` counts the documents that
//! have the field, `CollectionStatistics.docCount`). Against titles posted
//! with every paragraph, where a big statement's title counted once per
//! paragraph, it moved one of the 60 queries of `../shared/relevance/`
//! (BENCHMARKS.md).

use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::rank::ColumnCache;
use crate::schema::StatementSpan;

/// Every paragraph of the statements whose first paragraph the inner query
/// (a query on the `title` field) matches, scored with the inner query's
/// score there.
pub struct InStatement {
    inner: Box<dyn Query>,
    /// Where the `statement_span` column of each segment is kept open:
    /// opening it reads its block index, which cost more than the rescore
    /// it serves. `None` opens it for each scorer.
    columns: Option<Arc<ColumnCache>>,
}

impl InStatement {
    /// The paragraphs of the statements whose title `inner` matches,
    /// reading the statements' spans through `columns` when given.
    pub fn new(inner: Box<dyn Query>, columns: Option<Arc<ColumnCache>>) -> InStatement {
        InStatement { inner, columns }
    }
}

impl std::fmt::Debug for InStatement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("InStatement").field(&self.inner).finish()
    }
}

impl Clone for InStatement {
    fn clone(&self) -> Self {
        InStatement {
            inner: self.inner.box_clone(),
            columns: self.columns.clone(),
        }
    }
}

impl Query for InStatement {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = match enable_scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => {
                let statistics = StatementStatistics {
                    inner: statistics_provider,
                    statements: statements(searcher),
                };
                self.inner.weight(EnableScoring::Enabled {
                    searcher,
                    statistics_provider: &statistics,
                })?
            }
            disabled => self.inner.weight(disabled)?,
        };
        Ok(Box::new(InStatementWeight {
            inner,
            columns: self.columns.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

/// The number of statements of `searcher`'s index: distinct statement ids,
/// per segment (a statement's paragraphs are in one segment); at least 1.
/// Like Tantivy's own statistics, it counts deleted statements until a
/// merge drops them.
pub fn statements(searcher: &Searcher) -> u64 {
    let Ok(field) = searcher.schema().get_field("doc_id") else {
        return 1;
    };
    searcher
        .segment_readers()
        .iter()
        .filter_map(|r| r.inverted_index(field).ok())
        .map(|i| i.terms().num_terms() as u64)
        .sum::<u64>()
        .max(1)
}

/// BM25 statistics with statements as the documents: the index's own, but
/// for the number of documents.
pub struct StatementStatistics<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    statements: u64,
}

impl Bm25StatisticsProvider for StatementStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.statements)
    }

    /// The index's document frequency, never above the number of
    /// statements (BM25's idf requires it; an index whose `doc_id` terms
    /// were lost must not panic).
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.inner.doc_freq(term)?.min(self.statements))
    }
}

struct InStatementWeight {
    inner: Box<dyn Weight>,
    columns: Option<Arc<ColumnCache>>,
}

impl Weight for InStatementWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let spans = match &self.columns {
            Some(cache) => cache.spans(reader)?,
            None => reader.fast_fields().u64("statement_span")?,
        };
        let mut scorer = InStatementScorer {
            inner: self.inner.scorer(reader, boost)?,
            spans,
            doc: 0,
            end: 0,
            score: 0.0,
        };
        scorer.enter();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "title of the paragraph's statement",
            scorer.score(),
        ))
    }
}

/// The scorer of [`InStatement`] in one segment: it walks the inner
/// scorer's first paragraphs and, for each, the paragraphs up to the end
/// of its statement.
struct InStatementScorer {
    inner: Box<dyn Scorer>,
    spans: Column<u64>,
    /// The current paragraph.
    doc: DocId,
    /// End (exclusive) of the current statement.
    end: DocId,
    /// The inner score at the current statement's first paragraph.
    score: Score,
}

impl InStatementScorer {
    /// The span of the paragraph `doc` (a statement of one paragraph when
    /// the column has no value for it).
    fn span(&self, doc: DocId) -> StatementSpan {
        self.spans.first(doc).map_or(
            StatementSpan {
                position: 0,
                size: 1,
                english: false,
            },
            StatementSpan::decode,
        )
    }

    /// Enters the statement of the inner scorer's current paragraph.
    fn enter(&mut self) -> DocId {
        let first = self.inner.doc();
        if first == TERMINATED {
            self.doc = TERMINATED;
            self.end = TERMINATED;
            return TERMINATED;
        }
        let span = self.span(first);
        let start = first - span.position.min(first);
        self.doc = first;
        self.end = start.saturating_add(span.size.max(span.position + 1));
        self.score = self.inner.score();
        first
    }
}

impl DocSet for InStatementScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.doc + 1 < self.end {
            self.doc += 1;
            return self.doc;
        }
        // The inner query only matches first paragraphs; were it to match
        // another paragraph of the statement just left, it is skipped.
        while self.inner.doc() < self.end {
            self.inner.advance();
        }
        self.enter()
    }

    /// Also answers a target behind the current paragraph (as
    /// [`super::exclude`] needs): the current paragraph.
    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        if target < self.end {
            self.doc = target;
            return target;
        }
        if target >= TERMINATED {
            self.doc = TERMINATED;
            return TERMINATED;
        }
        let span = self.span(target);
        let start = target - span.position.min(target);
        if self.inner.doc() < start {
            self.inner.seek(start);
        }
        // The statement of the inner scorer's paragraph: the target's own
        // when its title matches, else the next with a title match. Never
        // a paragraph before the target (an intersection seeking this
        // scorer would go back and forth for ever), whatever the spans
        // say: a statement that ends before the target is passed over.
        loop {
            let first = self.enter();
            if first == TERMINATED {
                return TERMINATED;
            }
            if target < self.end {
                self.doc = target.max(first);
                return self.doc;
            }
            let past = self.end.max(first + 1);
            if self.inner.doc() < past {
                self.inner.seek(past);
            }
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for InStatementScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Fields, SchemaSpec};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument};

    /// An index of three statements of 3, 2 and 2 paragraphs, their titles
    /// on their first paragraphs: "Menaces hybrides", "Rapport annuel",
    /// "Menaces cyber" (documents 0–2, 3–4, 5–6); with `ids`, each
    /// paragraph carries its statement's `doc_id`, as in a built index.
    fn index_with(ids: bool) -> (Index, Fields) {
        let schema = SchemaSpec::shipped().unwrap().build().unwrap();
        let fields = Fields::new(&schema).unwrap();
        let index = Index::create_in_ram(schema);
        crate::analysis::register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (title, size) in [
            ("Menaces hybrides", 3),
            ("Rapport annuel", 2),
            ("Menaces cyber", 2),
        ] {
            for position in 0..size {
                let mut d = TantivyDocument::new();
                let span = StatementSpan {
                    position,
                    size,
                    english: false,
                };
                d.add_u64(fields.statement_span, span.encode());
                if ids {
                    d.add_text(fields.doc_id, title);
                }
                if position == 0 {
                    d.add_text(fields.title, title);
                }
                writer.add_document(d).unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn index() -> (Index, Fields) {
        index_with(true)
    }

    fn scorer_for(index: &Index, fields: Fields, word: &str) -> Box<dyn Scorer> {
        let searcher = index.reader().unwrap().searcher();
        let term = Term::from_field_text(fields.title, word);
        let query = InStatement::new(
            Box::new(tantivy::query::TermQuery::new(
                term,
                IndexRecordOption::WithFreqs,
            )),
            None,
        );
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        weight.scorer(searcher.segment_reader(0), 1.0).unwrap()
    }

    #[test]
    fn a_title_word_matches_every_paragraph_of_its_statements() {
        let (index, fields) = index();
        // "menac" (Menaces) is in the first and third titles.
        let mut scorer = scorer_for(&index, fields, "menac");
        let mut docs = vec![scorer.doc()];
        while scorer.advance() != TERMINATED {
            docs.push(scorer.doc());
        }
        assert_eq!(docs, [0, 1, 2, 5, 6]);
    }

    #[test]
    fn seeking_lands_inside_a_statement_or_on_the_next_one_that_matches() {
        let (index, fields) = index();
        let mut scorer = scorer_for(&index, fields, "menac");
        assert_eq!(
            scorer.seek(2),
            2,
            "the last paragraph of the first statement"
        );
        assert_eq!(scorer.seek(1), 2, "a target behind stays where it is");
        assert_eq!(
            scorer.seek(3),
            5,
            "the second statement's title does not match"
        );
        assert!(scorer.score() > 0.0);
        assert_eq!(scorer.seek(6), 6);
        assert_eq!(scorer.advance(), TERMINATED);
        // "Rapport annuel": documents 3 and 4 only.
        let mut report = scorer_for(&index, fields, "rapport");
        assert_eq!(report.doc(), 3);
        assert_eq!(report.seek(4), 4);
        assert_eq!(report.advance(), TERMINATED);
    }

    #[test]
    fn an_index_without_statement_ids_still_scores_title_matches() {
        // Two titles hold "menac" but no `doc_id` counts the statements:
        // the idf must not see more matches than statements.
        let (index, fields) = index_with(false);
        let mut scorer = scorer_for(&index, fields, "menac");
        assert_eq!(scorer.doc(), 0);
        assert!(scorer.score().is_finite());
    }
}
