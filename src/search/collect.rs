//! Collecting every match with the fields needed to group and sort them.
//!
//! The default ranking uses Tantivy's `TopDocs` (only the best hits are
//! kept). Sorting by date, grouping by statement (`--docs`) and counting
//! statements need every matching paragraph instead: [`AllMatches`]
//! collects, per match, its score, address, statement id, paragraph number
//! and date, read from the fast (columnar) fields.

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

/// Per-segment part of [`AllMatches`].
pub struct AllMatchesSegment {
    segment: SegmentOrdinal,
    doc_ids: Option<StrColumn>,
    paragraphs: Column<u64>,
    dates: Column<DateTime>,
    matches: Vec<Match>,
    buffer: String,
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
            buffer: String::new(),
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
        self.buffer.clear();
        if let Some(col) = &self.doc_ids {
            if let Some(ord) = col.term_ords(doc).next() {
                let _ = col.ord_to_str(ord, &mut self.buffer);
            }
        }
        self.matches.push(Match {
            score,
            address: DocAddress::new(self.segment, doc),
            doc_id: self.buffer.clone(),
            paragraph: self.paragraphs.first(doc).unwrap_or(0),
            date: self.dates.first(doc),
        });
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}
