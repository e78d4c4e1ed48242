//! BM25 fitted to paragraphs: a term query whose length normalisation can
//! be set.
//!
//! Tantivy's `TermQuery` scores with BM25 at fixed `k1 = 1.2, b = 0.75`
//! (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and
//! Beyond", 2009, eq. 3.15). On paragraphs that normalisation lets a
//! three-word heading ("Gestion de la transparence") outrank the paragraph
//! that discusses the subject, because the heading is far shorter than the
//! average paragraph. [`Bm25TermQuery`] is the same formula with `k1`, `b`
//! and a length floor taken from [`Bm25Params`]: a paragraph shorter than
//! `floor × average length` is normalised as if it had that length, and a
//! small `b` keeps long paragraphs from being punished for their length.
//!
//! The idf is Lucene's and Tantivy's, `ln(1 + (N - n + 0.5) / (n + 0.5))`,
//! over all paragraphs of the index (N) and those holding the term (n);
//! lengths are Tantivy's field norms (tokens, compressed to one byte).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Parameters of the paragraph BM25 (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    /// Term-frequency saturation (Tantivy: 1.2).
    pub k1: f32,
    /// Length normalisation, 0 (none) to 1 (full) (Tantivy: 0.75).
    pub b: f32,
    /// Shortest length, as a share of the average length, that a
    /// paragraph is normalised with (0 = no floor).
    pub floor: f32,
}

impl Default for Bm25Params {
    /// The values measured best on `../shared/relevance/` (BENCHMARKS.md).
    fn default() -> Self {
        Bm25Params {
            k1: 1.2,
            b: 0.3,
            floor: 0.5,
        }
    }
}

impl Bm25Params {
    /// Tantivy's own BM25 (no floor), for comparison.
    pub const TANTIVY: Bm25Params = Bm25Params {
        k1: 1.2,
        b: 0.75,
        floor: 0.0,
    };
}

/// The idf of a term held by `doc_freq` of `docs` documents (Lucene's).
pub fn idf(doc_freq: u64, docs: u64) -> f32 {
    let n = doc_freq as f32;
    (1.0 + (docs as f32 - n + 0.5) / (n + 0.5)).ln()
}

/// A term query scored with [`Bm25Params`]; matches exactly what
/// Tantivy's `TermQuery` matches.
#[derive(Debug, Clone)]
pub struct Bm25TermQuery {
    term: Term,
    params: Bm25Params,
}

impl Bm25TermQuery {
    /// A query for `term` (a text field indexed with frequencies).
    pub fn new(term: Term, params: Bm25Params) -> Bm25TermQuery {
        Bm25TermQuery { term, params }
    }
}

impl Bm25TermQuery {
    /// The term it searches.
    pub fn term(&self) -> &Term {
        &self.term
    }
}

impl Query for Bm25TermQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let (weight, average) = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let docs = statistics_provider.total_num_docs()?.max(1);
                let tokens = statistics_provider.total_num_tokens(self.term.field())?;
                let df = statistics_provider.doc_freq(&self.term)?;
                (
                    idf(df, docs) * (1.0 + self.params.k1),
                    (tokens as f32 / docs as f32).max(1.0),
                )
            }
            EnableScoring::Disabled { .. } => (0.0, 1.0),
        };
        let mut norms = [0f32; 256];
        let floor = self.params.floor * average;
        for (id, norm) in norms.iter_mut().enumerate() {
            let length = (FieldNormReader::id_to_fieldnorm(id as u8) as f32).max(floor);
            *norm = self.params.k1 * (1.0 - self.params.b + self.params.b * length / average);
        }
        Ok(Box::new(Bm25TermWeight {
            term: self.term.clone(),
            weight,
            norms: Box::new(norms),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

struct Bm25TermWeight {
    term: Term,
    /// idf × (k1 + 1).
    weight: f32,
    /// k1 × (1 − b + b × length / average), by field-norm id.
    norms: Box<[f32; 256]>,
}

impl Bm25TermWeight {
    fn term_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<Bm25TermScorer>> {
        let field = self.term.field();
        let inverted = reader.inverted_index(field)?;
        let Some(postings) = inverted.read_postings(&self.term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let fieldnorms = reader.get_fieldnorms_reader(field)?;
        Ok(Some(Bm25TermScorer {
            postings,
            fieldnorms,
            weight: self.weight * boost,
            norms: self.norms.clone(),
        }))
    }
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.term_scorer(reader, boost)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        let label = format!("paragraph BM25 of {:?}", self.term);
        Ok(Explanation::new_with_string(label, scorer.score()))
    }
}

/// The scorer of a [`Bm25TermQuery`] in one segment (named so that the
/// ranking can read it without a virtual call per paragraph).
pub(super) struct Bm25TermScorer {
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    weight: f32,
    norms: Box<[f32; 256]>,
}

impl DocSet for Bm25TermScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }
    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }
    fn doc(&self) -> DocId {
        self.postings.doc()
    }
    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for Bm25TermScorer {
    fn score(&mut self) -> Score {
        let doc = self.postings.doc();
        if doc == TERMINATED {
            return 0.0;
        }
        let tf = self.postings.term_freq() as f32;
        let norm = self.norms[self.fieldnorms.fieldnorm_id(doc) as usize];
        self.weight * tf / (tf + norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_is_lucenes() {
        // ln(1 + (10 - 1 + 0.5) / 1.5) = ln(7.333…)
        assert!((idf(1, 10) - 7.333_333_f32.ln()).abs() < 1e-5);
        assert!(idf(1, 1000) > idf(100, 1000));
    }

    #[test]
    fn default_normalises_less_than_tantivy() {
        let d = Bm25Params::default();
        assert!(d.b < Bm25Params::TANTIVY.b);
        assert!(d.floor > 0.0);
    }
}
