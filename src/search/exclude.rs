//! Exclusions that Tantivy can check from any position.
//!
//! Tantivy's `Exclude` asks its excluded scorer whether it holds the
//! current document with `seek_danger(doc)`, starting with the first
//! document of the query it filters, while a phrase scorer already stands
//! on its own first match (or at the end when the phrase is found
//! nowhere). Tantivy's phrase scorer asserts that a target is never behind
//! it: every `NOT "…"` then aborts a debug build (`-"serveurs Exchange"`),
//! although release builds answer rightly. [`Excluded`] wraps the excluded
//! query; its scorer keeps Tantivy's default `seek_danger`, which goes
//! through `seek`, and `seek` answers a target behind it itself.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

/// A query used under `NOT`: the same documents as its inner query.
#[derive(Debug)]
pub struct Excluded(pub Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExcludedScorer {
            inner: self.0.scorer(reader, boost)?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Delegates to its inner scorer, except `seek_danger`: Tantivy's default
/// (through `doc` and `seek`, never behind the scorer) replaces the inner
/// scorer's own.
struct ExcludedScorer {
    inner: Box<dyn Scorer>,
}

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.inner.doc() >= target {
            return self.inner.doc();
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
