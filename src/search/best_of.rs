//! The best score among a word's forms, for the exact-form bonus.
//!
//! A word typed `salariés` earns a bonus in the paragraphs that hold it as
//! typed or in the other grammatical number (rule 11 of [`super::rank`]):
//! the highest of the forms' scores, which is what Tantivy's
//! `DisjunctionMaxQuery` (no tie-breaker) gives. The bonus only rescores
//! the best candidates, a few dozen paragraphs seeked one by one
//! ([`super::Searcher::search`]'s rescore window). Tantivy's query scores
//! through a buffered union, which on every seek past its window reads the
//! next 4,096 documents of every form and clears a 32 KB score buffer: for
//! a common word, fifty seeks read most of its postings. [`BestOf`] seeks
//! each form's postings to the target instead, with the same scores.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Matches the paragraphs holding any of its queries, scored by the
/// highest of their scores (0 at least, as Tantivy's
/// `DisjunctionMaxQuery::new`).
#[derive(Debug)]
pub struct BestOf {
    disjuncts: Vec<Box<dyn Query>>,
}

impl BestOf {
    /// The best of `disjuncts`.
    pub fn new(disjuncts: Vec<Box<dyn Query>>) -> BestOf {
        BestOf { disjuncts }
    }
}

impl Clone for BestOf {
    fn clone(&self) -> Self {
        BestOf {
            disjuncts: self.disjuncts.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Query for BestOf {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .disjuncts
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(BestOfWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.disjuncts {
            q.query_terms(visitor);
        }
    }
}

struct BestOfWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for BestOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut subs = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                subs.push(scorer);
            }
        }
        if subs.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let mut scorer = BestOfScorer { subs, doc: 0 };
        scorer.doc = scorer.first();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("best of the forms", scorer.score()))
    }
}

/// The scorer of [`BestOf`] in one segment: its forms' scorers, none
/// exhausted at the start, and the lowest document among them.
struct BestOfScorer {
    subs: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl BestOfScorer {
    /// The lowest current document of the forms.
    fn first(&self) -> DocId {
        self.subs
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for BestOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for s in &mut self.subs {
            if s.doc() == self.doc {
                s.advance();
            }
        }
        self.doc = self.first();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        for s in &mut self.subs {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.doc = self.first();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.subs.iter().map(|s| s.size_hint()).max().unwrap_or(0)
    }
}

impl Scorer for BestOfScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut best: Score = 0.0;
        for s in &mut self.subs {
            if s.doc() == doc {
                best = Score::max(s.score(), best);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{DisjunctionMaxQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    /// Forty documents holding `un`, `deux` or both, with varying counts.
    fn index() -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for i in 0..40 {
            let mut text = String::from("mot");
            for _ in 0..i % 3 {
                text.push_str(" un");
            }
            if i % 4 == 0 {
                text.push_str(" deux deux");
            }
            writer.add_document(doc!(body => text)).expect("add");
        }
        writer.commit().expect("commit");
        (index, body)
    }

    fn forms(body: tantivy::schema::Field) -> Vec<Box<dyn Query>> {
        ["un", "deux", "absent"]
            .iter()
            .map(|w| {
                Box::new(TermQuery::new(
                    Term::from_field_text(body, w),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect()
    }

    /// Every (document, score) of `query`, advancing or seeking every
    /// `step` documents.
    fn matches(index: &Index, query: &dyn Query, step: DocId) -> Vec<(DocId, Score)> {
        let searcher = index.reader().expect("reader").searcher();
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .expect("weight");
        let mut scorer = weight
            .scorer(searcher.segment_reader(0), 2.0)
            .expect("scorer");
        let mut out = Vec::new();
        let mut target = 0;
        while target < 40 {
            let doc = if scorer.doc() >= target {
                scorer.doc()
            } else {
                scorer.seek(target)
            };
            if doc == TERMINATED {
                break;
            }
            if doc == target || step == 1 {
                out.push((doc, scorer.score()));
            }
            target = if step == 1 { doc + 1 } else { target + step };
        }
        out
    }

    #[test]
    fn scores_as_tantivys_disjunction_max_when_walked_and_when_seeked() {
        let (index, body) = index();
        let ours = BestOf::new(forms(body));
        let theirs = DisjunctionMaxQuery::new(forms(body));
        for step in [1, 3, 7] {
            let got = matches(&index, &ours, step);
            assert_eq!(got, matches(&index, &theirs, step), "step {step}");
            assert!(!got.is_empty(), "step {step}");
        }
        // Document 3 is the first holding neither form (`mot` alone).
        let walked = matches(&index, &ours, 1);
        assert_eq!(
            walked.iter().map(|m| m.0).take(4).collect::<Vec<_>>(),
            [0, 1, 2, 4]
        );
    }

    #[test]
    fn no_form_in_the_segment_matches_nothing() {
        let (index, body) = index();
        let only_absent: Vec<Box<dyn Query>> = forms(body).into_iter().skip(2).collect();
        assert!(matches(&index, &BestOf::new(only_absent), 1).is_empty());
    }
}
