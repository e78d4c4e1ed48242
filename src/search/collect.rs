//! Collecting every match with the fields needed to group and sort them.
//!
//! The default ranking uses Tantivy's `TopDocs` (only the best hits are
//! kept). Sorting by date, grouping by statement (`--docs`) and counting
//! statements need every matching paragraph instead: [`AllMatches`]
//! collects, per match, its score, address, statement id, paragraph number
//! and date, read from the fast (columnar) fields.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// One matching paragraph.
#[derive(Debug, Clone)]
pub struct Match {
    /// BM25 score.
    pub score: Score,
    /// Where the paragraph is stored.
    pub address: DocAddress,
    /// Statement id.
    pub doc_id: String,
    /// Paragraph number.
    pub paragraph: u64,
    /// Statement date, if any.
    pub date: Option<DateTime>,
}

/// Collects every match (see the module docs).
pub struct AllMatches;

/// A match before its statement id is resolved:
/// (score, doc, statement id ordinal, paragraph, date).
type RawMatch = (Score, DocId, Option<u64>, u64, Option<DateTime>);

/// Per-segment part of [`AllMatches`].
pub struct AllMatchesSegment {
    segment: SegmentOrdinal,
    doc_ids: Option<StrColumn>,
    paragraphs: Column<u64>,
    dates: Column<DateTime>,
    matches: Vec<RawMatch>,
}

impl Collector for AllMatches {
    type Fruit = Vec<Match>;
    type Child = AllMatchesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<AllMatchesSegment> {
        let fast = reader.fast_fields();
        Ok(AllMatchesSegment {
            segment,
            doc_ids: fast.str("doc_id")?,
            paragraphs: fast.u64("paragraph")?,
            dates: fast.date("date")?,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllMatchesSegment {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ord = self.doc_ids.as_ref().and_then(|c| c.term_ords(doc).next());
        self.matches.push((
            score,
            doc,
            ord,
            self.paragraphs.first(doc).unwrap_or(0),
            self.dates.first(doc),
        ));
    }

    /// Turns statement-id ordinals into strings once per distinct id (a
    /// dictionary lookup per match would dominate broad queries).
    fn harvest(self) -> Vec<Match> {
        let mut names: HashMap<u64, String> = HashMap::new();
        let mut out = Vec::with_capacity(self.matches.len());
        for (score, doc, ord, paragraph, date) in self.matches {
            let doc_id = match (ord, &self.doc_ids) {
                (Some(ord), Some(col)) => names
                    .entry(ord)
                    .or_insert_with(|| {
                        let mut s = String::new();
                        let _ = col.ord_to_str(ord, &mut s);
                        s
                    })
                    .clone(),
                _ => String::new(),
            };
            out.push(Match {
                score,
                address: DocAddress::new(self.segment, doc),
                doc_id,
                paragraph,
                date,
            });
        }
        out
    }
}

/// Paragraph number and statement date of each candidate, read from the
/// fast fields, in the order given.
///
/// # Errors
/// Tantivy errors while opening the columns.
pub fn paragraph_info(
    searcher: &tantivy::Searcher,
    candidates: &[super::rank::Candidate],
) -> tantivy::Result<Vec<(u64, Option<DateTime>)>> {
    let mut columns: HashMap<SegmentOrdinal, (Column<u64>, Column<DateTime>)> = HashMap::new();
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        let segment = c.address.segment_ord;
        let (paragraphs, dates) = match columns.entry(segment) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let fast = searcher.segment_reader(segment).fast_fields();
                e.insert((fast.u64("paragraph")?, fast.date("date")?))
            }
        };
        let doc = c.address.doc_id;
        out.push((paragraphs.first(doc).unwrap_or(0), dates.first(doc)));
    }
    Ok(out)
}
