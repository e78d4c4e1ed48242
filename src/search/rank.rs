//! Ranking: which paragraphs answer the query best, when the query has
//! several parts and the index holds much more than statements.
//!
//! A query is split into *slots*, one per top-level word, phrase or group
//! of the user's conjunction (`cyber défense "mesures de confiance"` has
//! three). Every paragraph holding at least one slot is visited once; its
//! own score is the sum of its slots' paragraph BM25 ([`super::bm25`]).
//! The order then follows these rules, each measured on
//! `../shared/relevance/` (BENCHMARKS.md, "Ranking rules"); rules 5 to 7
//! act on the ranking's result in [`super::Searcher::search`]:
//!
//! 1. **All words first.** Paragraphs holding every slot ([`Tier::Full`])
//!    rank above all others.
//! 2. **The statement counts.** Each statement gets a BM25 of its own over
//!    its paragraphs (how many mention each slot, against how many it has)
//!    and its title; a paragraph's score adds a share of its statement's.
//!    When a statement holds every slot between its paragraphs and title,
//!    its other paragraphs become candidates just below the full matches
//!    ([`Tier::Statement`]): the analyst is reading that statement.
//! 3. **Then the most important words.** When fewer than [`ENOUGH`]
//!    paragraphs hold every slot, paragraphs holding slots worth at least
//!    half of the query's weight follow ([`Tier::Partial`]); a slot's
//!    weight is its idf, so `Nord` alone never stands for `Corée du Nord`.
//!    A slot no paragraph holds weighs nothing: a misspelt or absent word
//!    never hides the paragraphs holding the others. When no paragraph
//!    holds every slot, no statement lends and none reaches half the
//!    weight (three words never two in one paragraph), the floor falls to
//!    the weight of the heaviest slot any paragraph holds: something is
//!    shown rather than nothing.
//! 4. **The query's language first.** A paragraph in the language the
//!    query's words belong to scores more than one in the other language.
//!    An acronym the texts write in capitals (`EENA`, `POC`) belongs to
//!    both and tells none; a query that shows no English is French. A
//!    query whose own wording shows its language (a French function
//!    word, an elided article or an accent; an English function word:
//!    [`super::language`]) is in that language whatever the index holds.
//! 5. **Words near each other** score a bonus in the best candidates
//!    (the rescore window of [`super::Searcher::search`]).
//! 6. **The statement's own translation.** A paragraph among the best whose
//!    statement has a twin in the other language brings the twin
//!    paragraph: never above a paragraph that holds every part (it holds
//!    none), then just above its source in the query's language, just
//!    below it otherwise.
//! 7. **A phrase found too rarely goes on.** When fewer than [`ENOUGH`]
//!    paragraphs hold a phrase as written, the paragraphs holding its words
//!    follow as partial matches, nearest first.
//!
//! Rules 8 and 9 are the thesaurus's synonyms and related concepts (issue
//! 11, [`super::synonym`]): slots of their own, their hits below the words
//! as typed; a paragraph holding every slot but some only through a
//! related concept does not hold what was asked, and follows every
//! paragraph that does ([`Tier::Related`]). Rule 10 acts in the rescore window of
//! [`super::Searcher::search`]:
//!
//! 10. **A repeated text follows.** A paragraph whose text repeats, word
//!     for word, a better candidate's of the same tier (an agreement's
//!     amendments restating an article, a notice copied on several pages)
//!     follows the rest of its tier ([`Candidate::repeat`]): the next
//!     place goes to something the analyst has not read yet.
//!
//! Rule 11 acts in query planning ([`super::plan`]): the bonus of a word
//! found as typed rather than only through its stem is earned by the word
//! in either grammatical number (`hôpital`, `hôpitaux`), so that a query
//! ranks the same in the singular and in the plural. Rule 12 orders the
//! paragraphs rule 2 lends:
//!
//! 12. **The match's neighbours first.** A lending statement's other
//!     paragraphs come nearest its paragraphs holding some part of the
//!     query first, the one after a match before the one before it (a
//!     heading's matter follows it), instead of in paragraph order, where
//!     the opening of a long statement came before what surrounds its
//!     match ([`nearness`]).
//!
//! Speed: a statement's paragraphs are contiguous documents (added in one
//! batch), and the `statement_span` column says where each statement
//! starts and how long it is, so statements are found without hashing; the
//! slots are read in one tight pass per segment ([`visit_plain`] for one
//! slot, whose statement counts follow from its number of hits), and only
//! the best `page + HEAD_MARGIN` candidates are kept ([`Best`]), whole
//! statements that cannot reach them skipped. Of two words of unequal
//! weight, the common one is read only in the statements holding the rare
//! one and counted elsewhere ([`visit_narrowed`]): its paragraphs alone
//! could never be candidates there (rule 3).

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::columnar::{Column, ColumnIndex, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::{EnableScoring, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use super::bm25::{idf, Bm25Params, Bm25TermQuery, Bm25TermScorer};
use crate::schema::StatementSpan;

/// Most slots a query is ranked by; a query with more parts is ranked as
/// one block (every part required).
pub const MAX_SLOTS: usize = 16;

/// A [`SlotQuery`] found through the thesaurus has its slots' bits shifted
/// left by this much: its paragraphs hold the slots, but through a synonym
/// ([`Via::Synonym`]).
pub const SYNONYM_SHIFT: u32 = 16;

/// Factor on the whole score (paragraph and statement) of a candidate that
/// holds some part of the query only through a synonym.
pub const SYNONYM_FACTOR: f32 = 0.8;

/// Factor on the whole score (paragraph and statement) of a candidate that
/// holds some part of the query only through a related concept: below a
/// synonym, which names the same thing.
pub const RELATED_FACTOR: f32 = 0.5;

/// The bits of the slots themselves, below [`SYNONYM_SHIFT`].
const TYPED: u32 = (1 << SYNONYM_SHIFT) - 1;

/// Candidates ordered beyond the page: room for the rescore window.
pub const HEAD_MARGIN: usize = 64;

/// Paragraphs holding every part of the query past which no partial
/// match, lent translation or loosened phrase is added. A fixed number
/// rather than the page asked for, so that a query ranks the same whatever
/// `-n` and `--offset` are, and pages add up to one list.
pub const ENOUGH: usize = 100;

/// Score added to a partial match per share of the query's weight it
/// holds: large enough that holding rarer words outranks any score.
const PARTIAL_STEP: f32 = 1000.0;

/// The ranking rules and their settings; [`RankConfig::default`] is what
/// vigie ships, the other values exist to measure each rule's worth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankConfig {
    /// Paragraph BM25 settings.
    pub bm25: Bm25Params,
    /// Rule 3: partial matches after the full ones (`--all-words` turns it
    /// off).
    pub partial: bool,
    /// Rule 3: the share of the query's weight (sum of the idf of its
    /// slots that some paragraph holds) a paragraph must hold to come in
    /// as a partial match.
    pub partial_share: f32,
    /// Rule 2: weight of the statement's score in a paragraph's (0 = off).
    pub statement: f32,
    /// Rule 2: how many best statements lend their other paragraphs as
    /// candidates (0 = off).
    pub siblings: usize,
    /// Rule 4: factor applied to paragraphs in the other language (1 = off).
    pub other_language: f32,
    /// Bonus for the query's words near each other (0 = off).
    pub proximity: f32,
    /// Rule 6: a paragraph among the best whose statement has a twin in
    /// the other language brings the twin paragraph.
    pub twins: bool,
    /// Rule 7: a phrase found on fewer than a page of paragraphs goes on
    /// with its words near each other, then anywhere.
    pub loosen: bool,
    /// Rule 8 (issue 11): words that name a thesaurus entry also find its
    /// synonyms, weighted below the words as typed (`--exact` turns it off
    /// with typo correction).
    pub synonyms: bool,
    /// Rule 9 (issue 11): free words that name a thesaurus entry also find
    /// its related concepts (`# related:`), below its synonyms.
    pub related: bool,
    /// Rule 10: a paragraph whose text repeats a better candidate's of its
    /// tier word for word follows the rest of the tier.
    pub repeats: bool,
    /// Rule 11: the exact-form bonus (a word found as typed, not only
    /// through its stem) is earned by the word in either grammatical
    /// number, so that `hôpital` and `hôpitaux` rank alike.
    pub number: bool,
    /// Rule 12: a statement lends its paragraphs nearest its matches
    /// first, the one after a match before the one before it.
    pub nearness: bool,
}

impl Default for RankConfig {
    fn default() -> Self {
        RankConfig {
            bm25: Bm25Params::default(),
            partial: true,
            partial_share: 0.5,
            statement: 2.0,
            siblings: 10,
            other_language: 0.9,
            proximity: 1.0,
            twins: true,
            loosen: true,
            synonyms: true,
            related: true,
            repeats: true,
            number: true,
            nearness: true,
        }
    }
}

/// Names accepted by [`RankConfig::without`], one per rule.
pub const RULES: &[&str] = &[
    "bm25",
    "partial",
    "statement",
    "siblings",
    "language",
    "proximity",
    "twins",
    "loosen",
    "synonyms",
    "related",
    "repeats",
    "number",
    "nearness",
];

impl RankConfig {
    /// This configuration with the named rule turned off (`bm25` means
    /// Tantivy's own BM25 parameters).
    ///
    /// # Errors
    /// The unknown name, when it is not one of [`RULES`].
    pub fn without(mut self, rule: &str) -> Result<RankConfig, String> {
        match rule {
            "bm25" => self.bm25 = Bm25Params::TANTIVY,
            "partial" => self.partial = false,
            "statement" => self.statement = 0.0,
            "siblings" => self.siblings = 0,
            "language" => self.other_language = 1.0,
            "proximity" => self.proximity = 0.0,
            "synonyms" => self.synonyms = false,
            "related" => self.related = false,
            "twins" => self.twins = false,
            "loosen" => self.loosen = false,
            "repeats" => self.repeats = false,
            "number" => self.number = false,
            "nearness" => self.nearness = false,
            other => return Err(other.to_string()),
        }
        Ok(self)
    }
}

/// How a candidate qualified (best first in the ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Holds the most important slots but not all.
    Partial = 1,
    /// Another paragraph of a statement that holds every slot.
    Statement = 2,
    /// Holds every slot, some only through a related concept (rule 9):
    /// not as asked, so shown partial, after every paragraph that holds
    /// them as asked.
    Related = 3,
    /// Holds every slot as asked (as typed or through a synonym).
    Full = 4,
}

/// One part of the query to rank by.
pub struct SlotQuery {
    /// Matches the paragraphs holding the part (paragraph text fields),
    /// scored.
    pub query: Box<dyn Query>,
    /// Matches the paragraphs whose statement title holds the part.
    pub title: Option<Box<dyn Query>>,
    /// The slots it stands for: one bit, or two for the joined form of two
    /// adjacent words; shifted by [`SYNONYM_SHIFT`] for a synonym.
    pub bits: u32,
    /// Whether it searches related concepts of the words rather than
    /// synonyms ([`Via::Related`]).
    pub related: bool,
}

/// A ranked candidate paragraph.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Where it is stored.
    pub address: DocAddress,
    /// Its score within its tier (higher is better).
    pub score: Score,
    /// How it qualified.
    pub tier: Tier,
    /// The slots the paragraph itself holds (bit i = slot i).
    pub matched: u32,
    /// Those of `matched` it holds only through a related concept
    /// ([`Via::Related`]): it does not hold them as asked, so it is not
    /// counted among the paragraphs that hold every part.
    pub related: u32,
    /// Index of its statement in [`Ranking::statements`].
    pub statement: u32,
    /// How it came in when it does not hold the words itself.
    pub via: Via,
    /// Rule 10: its text repeats, word for word, a better candidate's of
    /// the same tier: it follows the rest of the tier.
    pub repeat: bool,
    /// Rule 12: for a paragraph lent by its statement, how far it stands
    /// from the nearest paragraph of its statement holding some part of
    /// the query, in half paragraphs (the one after a match 2, the one
    /// before 3; [`nearness`]); 0 for every other candidate. Orders
    /// candidates of equal score, before their index order.
    pub distance: u16,
    /// Rule 7: 0 for a candidate of the ranking itself; for one found by
    /// a loosened phrase's words and appended after the phrase's own
    /// ([`Tier::Partial`]), its tier in the words' ranking, as
    /// [`Candidate::loosened_from`] gives it. Candidates order by it
    /// before their score ([`best_first`]): scores are comparable within a
    /// tier of one ranking only, and a list sorted again must keep the
    /// words' order whatever its length, so that pages add up to one list.
    pub loosened: u8,
}

impl Candidate {
    /// [`Candidate::loosened`] for a candidate of the words' ranking in
    /// `tier`: 1 for a full match, then 2, 3 and 4.
    pub fn loosened_from(tier: Tier) -> u8 {
        Tier::Full as u8 + 1 - tier as u8
    }
}

/// A paragraph met while visiting the slots' postings: what
/// [`Candidate`] holds but its statement, segment and tier, which the
/// statement's visit gives. Half a candidate's size, because a broad
/// query visits tens of thousands and a cold process faults in every
/// page they fill.
#[derive(Debug, Clone, Copy)]
struct Visit {
    doc: DocId,
    score: Score,
    /// [`Candidate::matched`] (the slots fit in 16 bits, [`MAX_SLOTS`]).
    matched: u16,
    /// [`Candidate::related`].
    related: u16,
    via: Via,
}

impl Visit {
    /// The candidate this visit is, in `statement` (its index) of
    /// `segment`, before the ranking rules give it a tier and score.
    fn candidate(&self, segment: SegmentOrdinal, statement: u32) -> Candidate {
        Candidate {
            address: DocAddress::new(segment, self.doc),
            score: self.score,
            tier: Tier::Partial,
            matched: u32::from(self.matched),
            related: u32::from(self.related),
            statement,
            via: self.via,
            repeat: false,
            distance: 0,
            loosened: 0,
        }
    }
}

/// How a candidate that does not hold the query's words came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Via {
    /// It holds (some of) the words itself.
    #[default]
    Words,
    /// Lent by its statement, which holds every part of the query.
    Statement,
    /// The twin, in the other language, of a matching paragraph.
    Twin,
    /// It holds a synonym of some of the words, not the words as typed.
    Synonym,
    /// It holds a concept related to some of the words (the thesaurus's
    /// `# related:`), neither the words as typed nor a synonym.
    Related,
}

impl Via {
    /// The name shown in JSON (`via`), `None` for [`Via::Words`].
    pub fn name(self) -> Option<&'static str> {
        match self {
            Via::Words => None,
            Via::Statement => Some("statement"),
            Via::Twin => Some("twin"),
            Via::Synonym => Some("synonym"),
            Via::Related => Some("related"),
        }
    }
}

/// What the ranking knows of one statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Segment holding it.
    pub segment: SegmentOrdinal,
    /// Its first document in the segment.
    pub start: DocId,
    /// Its number of paragraphs (documents `start..start + size`).
    pub size: u32,
    /// Whether it is an English statement.
    pub english: bool,
    /// Slots found in its title.
    pub title: u32,
    /// Its statement-level score.
    pub score: Score,
}

/// The outcome of [`rank`].
pub struct Ranking {
    /// The best `page + HEAD_MARGIN` candidates, best first (ties in index
    /// order); every candidate when `sort_all` was asked.
    pub candidates: Vec<Candidate>,
    /// Number of paragraphs holding every slot.
    pub full: usize,
    /// Number of other candidates (partial matches and paragraphs lent by
    /// their statement).
    pub others: usize,
    /// The statements the candidates belong to.
    pub statements: Vec<Statement>,
    /// Per slot: the number of paragraphs holding it.
    pub found: Vec<u64>,
    /// With a filter: per slot, the number of paragraphs holding it
    /// whether or not they pass the filter; `None` without a filter.
    pub unfiltered: Option<Vec<u64>>,
    /// Whether the query's words were judged English.
    pub english_query: bool,
    /// Whether a paragraph met after the ranking was counted by it: one
    /// per query plan ranked, in order (a phrase, then its loosened words:
    /// `super::Searcher::search`), each to be asked with that plan's
    /// slots ([`held`]).
    pub counting: Vec<Counting>,
}

/// What decides whether [`rank`] counted a paragraph in [`Ranking::full`]
/// or [`Ranking::others`], kept for paragraphs met after it (a statement's
/// translation, in [`super::Searcher::search`]): such a paragraph may have
/// been counted without being among the kept candidates, and must not be
/// counted twice, or the count of hits would change with the page asked.
#[derive(Debug, Clone, Default)]
pub struct Counting {
    /// The bits of all slots.
    all: u32,
    /// Each slot's weight (rule 3).
    weight: Vec<f32>,
    /// Whether partial matches were counted, and the share of the weight
    /// they needed.
    partial: Option<f32>,
    /// The lending statements (rule 2), as (segment, first document).
    lenders: Vec<(SegmentOrdinal, DocId)>,
}

impl Counting {
    /// The share of the query's weight the slots `matched` hold (rule 3).
    fn covered(&self, matched: u32) -> f32 {
        (0..self.weight.len())
            .filter(|b| matched & (1 << b) != 0)
            .map(|b| self.weight[b])
            .sum()
    }

    /// Rule 3's floor when no paragraph holds every slot and no statement
    /// lends: if none of the slot sets `held` (one per paragraph) reaches
    /// it (`lutte informatique offensive`, three words never two in one
    /// paragraph), it falls to the weight of the heaviest slot any
    /// paragraph holds, rather than nothing: the paragraphs holding it, or
    /// lesser slots worth as much together, follow, the most covered first.
    fn lower_unreached_floor(&mut self, held: impl Iterator<Item = u32>) {
        let Some(floor) = self.partial else { return };
        let (mut reached, mut heaviest) = (0.0_f32, 0.0_f32);
        for matched in held.map(|m| m & self.all) {
            reached = reached.max(self.covered(matched));
            let slots = (0..self.weight.len()).filter(|b| matched & (1 << b) != 0);
            heaviest = heaviest.max(slots.map(|b| self.weight[b]).fold(0.0, f32::max));
        }
        if reached < floor && heaviest > 0.0 {
            self.partial = Some(heaviest - 1e-6);
        }
    }

    /// The tier of a paragraph holding the slots `matched`, `related` of
    /// them only through a related concept, in a lending statement or not
    /// (rules 1 to 3 and 9); `None` when the ranking neither ranks nor
    /// counts it.
    #[inline]
    fn tier(&self, matched: u32, related: u32, lending: bool) -> Option<Tier> {
        if matched & self.all == self.all {
            Some(if related == 0 {
                Tier::Full
            } else {
                Tier::Related
            })
        } else if lending {
            Some(Tier::Statement)
        } else if self
            .partial
            .is_some_and(|floor| matched != 0 && self.covered(matched) >= floor)
        {
            Some(Tier::Partial)
        } else {
            None
        }
    }

    /// Whether a paragraph of statement `st` holding the slots `matched`
    /// ([`held`]) was counted: it holds every slot, or its statement lends
    /// its paragraphs, or it holds enough of the query's weight to be a
    /// partial match.
    pub fn counted(&self, st: &Statement, matched: u32) -> bool {
        let lending = self.lenders.contains(&(st.segment, st.start));
        self.tier(matched, 0, lending).is_some()
    }
}

/// The slots the paragraph at `address` holds, as [`Candidate::matched`]
/// gives them (a slot held through a synonym or a related concept counts):
/// each slot's query sought at that one document.
///
/// # Errors
/// Tantivy's, when a slot's scorer cannot be built.
pub fn held(
    searcher: &tantivy::Searcher,
    slots: &[SlotQuery],
    address: DocAddress,
) -> tantivy::Result<u32> {
    let scoring = EnableScoring::disabled_from_searcher(searcher);
    let reader = searcher.segment_reader(address.segment_ord);
    let mut body = 0;
    for slot in slots {
        let mut scorer = slot.query.weight(scoring)?.scorer(reader, 1.0)?;
        let doc = if scorer.doc() < address.doc_id {
            scorer.seek(address.doc_id)
        } else {
            scorer.doc()
        };
        if doc == address.doc_id {
            body |= slot.bits;
        }
    }
    Ok(((body & TYPED) | (body >> SYNONYM_SHIFT)) & TYPED)
}

/// The columns ranking reads, per segment, opened once and kept for as
/// long as the segment is searched: opening a column parses its block
/// index, which costs tens of microseconds per query on a million
/// paragraphs. Share one per [`super::Searcher`].
///
/// It also keeps the buffers of the last ranking for the next one: a
/// broad query fills megabytes, which would otherwise be freed and faulted
/// back in by every query.
#[derive(Default)]
pub struct ColumnCache {
    segments: Mutex<FxHashMap<SegmentId, Arc<Columns>>>,
    /// [`ColumnCache::live_doc_freq`] of a segment with deletions, by
    /// segment, number of deletions and term.
    live: Mutex<FxHashMap<(SegmentId, u32, tantivy::Term), u64>>,
    spare: Mutex<Spare>,
}

/// Buffers kept between rankings (see [`ColumnCache`]).
#[derive(Default)]
struct Spare {
    visits: Vec<Visit>,
    counts: Vec<u32>,
    runs: Vec<Run>,
    /// The statements of a finished ranking ([`ColumnCache::recycle`]).
    list: Vec<Statement>,
    /// The slots' matches of a query of several slots, per slot.
    lists: Vec<Vec<(DocId, Score)>>,
}

/// Most entries a kept buffer may hold: past a few tens of megabytes, the
/// memory is given back.
const MOST_KEPT: usize = 1 << 21;

impl ColumnCache {
    fn take_spare(&self) -> Spare {
        std::mem::take(&mut *self.spare.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Keeps the per-slot match lists of a query of several slots.
    fn keep_lists(&self, mut lists: Vec<Vec<(DocId, Score)>>) {
        lists.retain(|l| l.capacity() <= MOST_KEPT);
        self.spare.lock().unwrap_or_else(|e| e.into_inner()).lists = lists;
    }

    fn keep_spare(&self, mut visits: Vec<Visit>, mut counts: Vec<u32>, mut runs: Vec<Run>) {
        visits.clear();
        counts.clear();
        runs.clear();
        let mut spare = self.spare.lock().unwrap_or_else(|e| e.into_inner());
        if visits.capacity() <= MOST_KEPT {
            spare.visits = visits;
        }
        if counts.capacity() <= MOST_KEPT {
            spare.counts = counts;
        }
        if runs.capacity() <= MOST_KEPT {
            spare.runs = runs;
        }
    }

    /// Takes back the statements list of a ranking the caller is done
    /// with, for the next ranking to fill: a broad query's list is
    /// megabytes, which the allocator would otherwise hand back to the
    /// system and fault in again at every query.
    pub fn recycle(&self, ranking: &mut Ranking) {
        let mut list = std::mem::take(&mut ranking.statements);
        list.clear();
        if list.capacity() <= MOST_KEPT {
            self.spare.lock().unwrap_or_else(|e| e.into_inner()).list = list;
        }
    }
}

impl ColumnCache {
    /// The `statement_span` column of the segment `reader` reads (see
    /// [`crate::schema::StatementSpan`]), opened once per segment.
    ///
    /// # Errors
    /// Tantivy's, when the column cannot be opened.
    pub fn spans(&self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.get(&reader.segment_id()) {
            return Ok(c.span.clone());
        }
        let c = Arc::new(Columns::new(reader)?);
        cache.insert(reader.segment_id(), c.clone());
        Ok(c.span.clone())
    }

    /// The columns of every segment of `searcher`, in segment order;
    /// segments no longer searched are forgotten.
    fn columns(&self, searcher: &tantivy::Searcher) -> tantivy::Result<Vec<Arc<Columns>>> {
        let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        let readers = searcher.segment_readers();
        cache.retain(|id, _| readers.iter().any(|r| r.segment_id() == *id));
        readers
            .iter()
            .map(|reader| match cache.get(&reader.segment_id()) {
                Some(c) => Ok(c.clone()),
                None => {
                    let c = Arc::new(Columns::new(reader)?);
                    cache.insert(reader.segment_id(), c.clone());
                    Ok(c)
                }
            })
            .collect()
    }
}

impl ColumnCache {
    /// The number of live paragraphs holding `term`. `Searcher::doc_freq`
    /// also counts the deleted paragraphs a segment still holds (until a
    /// merge drops them), so that after `vigie rm` of English statements
    /// the English count could reach every live paragraph and French ones
    /// would no longer be searched. In a segment with deletions the
    /// postings are read, once per segment and number of deletions (a
    /// broad term would otherwise be read at every query); elsewhere the
    /// term's document frequency is exact.
    pub fn live_doc_freq(&self, searcher: &tantivy::Searcher, term: &tantivy::Term) -> u64 {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let readers = searcher.segment_readers();
        live.retain(|k, _| {
            readers
                .iter()
                .any(|r| r.segment_id() == k.0 && r.num_deleted_docs() == k.1)
        });
        let mut count = 0u64;
        for reader in readers {
            let Ok(inverted) = reader.inverted_index(term.field()) else {
                continue;
            };
            let Some(alive) = reader.alive_bitset() else {
                count += u64::from(inverted.doc_freq(term).unwrap_or(0));
                continue;
            };
            let key = (reader.segment_id(), reader.num_deleted_docs(), term.clone());
            count += *live.entry(key).or_insert_with(|| {
                inverted
                    .read_postings(term, tantivy::schema::IndexRecordOption::Basic)
                    .ok()
                    .flatten()
                    .map_or(0, |p| u64::from(p.doc_freq_given_deletes(alive)))
            });
        }
        count
    }

    /// The id of statement `st` of a ranking done on `searcher` (empty when
    /// it cannot be read).
    pub fn statement_id(&self, searcher: &tantivy::Searcher, st: &Statement) -> String {
        let mut id = String::new();
        let Ok(columns) = self.columns(searcher) else {
            return id;
        };
        let column = columns.get(st.segment as usize).and_then(|c| c.doc_id());
        if let Some((c, ord)) = column.and_then(|c| c.ords().first(st.start).map(|o| (c, o))) {
            let _ = c.ord_to_str(ord, &mut id);
        }
        id
    }

    /// The statement holding the paragraph at `address`, as the ranking
    /// sees it (no counts, no score); `None` when it cannot be read.
    pub fn statement_of(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> Option<Statement> {
        let columns = self.columns(searcher).ok()?;
        let c = columns.get(address.segment_ord as usize)?;
        Some(c.statement(address.segment_ord, address.doc_id))
    }

    /// The `text_hash` of each candidate (equal for paragraphs that repeat
    /// each other word for word), in order; `None` where it cannot be read.
    pub fn text_hashes(
        &self,
        searcher: &tantivy::Searcher,
        candidates: &[Candidate],
    ) -> Vec<Option<u64>> {
        let columns = self.columns(searcher).unwrap_or_default();
        candidates
            .iter()
            .map(|c| {
                let at = c.address;
                columns
                    .get(at.segment_ord as usize)
                    .and_then(|col| col.text_hash.first(at.doc_id))
            })
            .collect()
    }
}

/// Per-segment readers of the columns that place a paragraph in its
/// statement. The statement ids are opened when first asked for: opening
/// a string column reads its dictionary's index, a few percent of a cold
/// `vigie search` that never needs an id.
struct Columns {
    fast: tantivy::fastfield::FastFieldReaders,
    doc_id: std::sync::OnceLock<Option<StrColumn>>,
    span: Column<u64>,
    text_hash: Column<u64>,
}

impl Columns {
    fn new(reader: &SegmentReader) -> tantivy::Result<Columns> {
        let fast = reader.fast_fields();
        Ok(Columns {
            fast: fast.clone(),
            doc_id: std::sync::OnceLock::new(),
            span: fast.u64("statement_span")?,
            text_hash: fast.u64("text_hash")?,
        })
    }

    /// The statement ids; `None` when the column cannot be read.
    fn doc_id(&self) -> Option<&StrColumn> {
        self.doc_id
            .get_or_init(|| self.fast.str("doc_id").ok().flatten())
            .as_ref()
    }

    /// The statement holding `doc`: its paragraphs are contiguous (added
    /// in one batch), from `doc - position` for `size` documents.
    fn statement(&self, segment: SegmentOrdinal, doc: DocId) -> Statement {
        let alone = StatementSpan {
            position: 0,
            size: 1,
            english: false,
        };
        // Every paragraph has a span: the values are read without the
        // column index's row lookup.
        let value = match self.span.index {
            ColumnIndex::Full => Some(self.span.values.get_val(doc)),
            _ => self.span.first(doc),
        };
        let span = value.map_or(alone, StatementSpan::decode);
        let position = span.position.min(doc);
        Statement {
            segment,
            start: doc - position,
            size: span.size.max(position + 1),
            english: span.english,
            title: 0,
            score: 0.0,
        }
    }
}

/// What rule 4 decides the query's language from.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryLanguage {
    /// English paragraphs in the index (0: every query is French).
    pub english_docs: u64,
    /// Slots (bit i = slot i) that tell no language: acronyms the texts
    /// also write in capitals.
    pub neutral: u32,
    /// The language the query's own wording shows
    /// ([`super::language::shown`]): `Some(true)` English, `Some(false)`
    /// French; `None` lets the slots vote by where they are found.
    pub shown: Option<bool>,
}

/// Ranks the paragraphs matching `slots` (`words` slots in all) among
/// those passing `filter` (dates, fields, exclusions; `None` = all).
/// `page` is the number of hits the caller will show (offset included):
/// partial matches are added only when fewer full matches exist, and only
/// the first `page + HEAD_MARGIN` candidates are in order unless
/// `sort_all`.
/// `language` says how the query's language is decided (rule 4).
///
/// Each slot's paragraphs are collected in one tight pass per segment
/// (`Weight::for_each`), merged in document order, and placed in their
/// statement by its contiguous span, so the cost per matching paragraph
/// is a few nanoseconds; titles are checked once per statement.
///
/// # Errors
/// Tantivy errors while reading the index.
#[allow(clippy::too_many_arguments)]
pub fn rank(
    searcher: &tantivy::Searcher,
    slots: &[SlotQuery],
    words: usize,
    filter: Option<&dyn Query>,
    page: usize,
    sort_all: bool,
    language: QueryLanguage,
    (config, cache): (&RankConfig, &ColumnCache),
) -> tantivy::Result<Ranking> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights = slots
        .iter()
        .map(|s| Ok((s.query.weight(scoring)?, s.bits, s.related)))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let title_weights = slots
        .iter()
        .filter_map(|s| s.title.as_ref().map(|t| Ok((t.weight(scoring)?, s.bits))))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let filter_weight = filter
        .map(|f| f.weight(EnableScoring::disabled_from_searcher(searcher)))
        .transpose()?;
    let Spare {
        mut visits,
        counts,
        runs,
        list,
        lists: mut spare_lists,
    } = cache.take_spare();
    let synonyms = slots.iter().any(|s| s.bits > TYPED);
    let mut statements = Statements {
        list,
        counts,
        runs,
        words,
        typed: synonyms.then(|| Box::new([[0; 2]; MAX_SLOTS])),
        unfiltered: filter.is_some().then(|| Box::new([[0; 4]; MAX_SLOTS])),
        unfiltered_sizes: (0, 0),
        found: [[0; 2]; MAX_SLOTS],
        outside: Outside::default(),
    };
    let columns = cache.columns(searcher)?;
    let narrow = narrowing(searcher, slots, &statements, filter.is_some(), config);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let segment = ord as SegmentOrdinal;
        let columns = &columns[ord];
        let titles = title_spans(&title_weights, reader)?;
        let mut visit = SegmentVisit {
            columns,
            segment,
            alive: reader.alive_bitset(),
            filter: filter_weight
                .as_ref()
                .map(|w| w.scorer(reader, 1.0))
                .transpose()?,
            titles,
            next_title: 0,
            all: full_mask(words),
            end: 0,
            at: u32::MAX,
            run: Run::default(),
            counts: [0; MAX_SLOTS],
            unfiltered_end: 0,
            unfiltered_starts: Vec::new(),
        };
        if let [(weight, bits, _)] = weights.as_slice() {
            // One slot: its paragraphs come in document order already.
            let mut scorer = weight.scorer(reader, 1.0)?;
            visits.reserve(scorer.size_hint() as usize);
            // A word's one term (the common case) is read without a
            // virtual call per paragraph.
            let plain = visit.is_plain(*bits, &statements);
            match scorer.downcast_mut::<Bm25TermScorer>() {
                Some(term) => visit_one(
                    term,
                    (*bits, plain),
                    &mut visit,
                    &mut statements,
                    &mut visits,
                ),
                None => visit_one(
                    scorer.as_mut(),
                    (*bits, plain),
                    &mut visit,
                    &mut statements,
                    &mut visits,
                ),
            }
        } else {
            let narrowed = match (narrow, visit.alive) {
                (Some(pair), None) => read_narrowed(
                    &weights,
                    pair,
                    reader,
                    &mut visit,
                    &mut statements,
                    &mut visits,
                )?,
                _ => false,
            };
            if !narrowed {
                visit_lists(
                    &weights,
                    reader,
                    &mut spare_lists,
                    &mut visit,
                    &mut statements,
                    &mut visits,
                )?;
            }
        }
        visit.title_only(&mut statements);
    }
    cache.keep_lists(spare_lists);
    Ok(order(
        searcher,
        (visits, statements),
        words,
        (page, sort_all),
        language,
        (config, filter_weight.as_deref(), cache),
    ))
}

/// One slot's paragraphs, in document order: [`visit_plain`] when `plain`
/// ([`SegmentVisit::is_plain`]), else [`visit_all`].
#[inline]
fn visit_one<S: Scorer + ?Sized>(
    scorer: &mut S,
    (bits, plain): (u32, bool),
    visit: &mut SegmentVisit<'_>,
    statements: &mut Statements,
    visits: &mut Vec<Visit>,
) {
    if plain {
        visit_plain(scorer, bits, visit, statements, visits);
    } else {
        visit_all(scorer, bits, visit, statements, visits);
    }
}

/// [`visit_narrowed`] on the slots `(heavy, light)` of `weights` in one
/// segment; `false` (nothing read) when either term is absent from the
/// segment, whose slots are then read as lists.
fn read_narrowed(
    weights: &[(Box<dyn Weight>, u32, bool)],
    (heavy, light): (usize, usize),
    reader: &SegmentReader,
    visit: &mut SegmentVisit<'_>,
    statements: &mut Statements,
    visits: &mut Vec<Visit>,
) -> tantivy::Result<bool> {
    let mut h = weights[heavy].0.scorer(reader, 1.0)?;
    let mut l = weights[light].0.scorer(reader, 1.0)?;
    let (Some(h), Some(l)) = (
        h.downcast_mut::<Bm25TermScorer>(),
        l.downcast_mut::<Bm25TermScorer>(),
    ) else {
        return Ok(false);
    };
    visits.reserve(h.size_hint() as usize);
    visit_narrowed(
        (h, weights[heavy].1),
        (l, weights[light].1),
        visit,
        statements,
        visits,
    );
    Ok(true)
}

/// Several slots: each slot's matches in the segment are read into a list,
/// and the lists merged in document order.
fn visit_lists(
    weights: &[(Box<dyn Weight>, u32, bool)],
    reader: &SegmentReader,
    spare_lists: &mut Vec<Vec<(DocId, Score)>>,
    visit: &mut SegmentVisit<'_>,
    statements: &mut Statements,
    visits: &mut Vec<Visit>,
) -> tantivy::Result<()> {
    let mut lists = Vec::with_capacity(weights.len());
    for (weight, bits, related) in weights {
        let mut list = spare_lists.pop().unwrap_or_default();
        weight.for_each(reader, &mut |doc, score| list.push((doc, score)))?;
        if list.is_empty() {
            spare_lists.push(list);
        } else {
            lists.push((list, *bits, *related));
        }
    }
    visits.reserve(lists.iter().map(|l| l.0.len()).sum());
    merge_lists(&lists, |doc, bodies, score| {
        visit.visit(doc, bodies, score, statements, visits)
    });
    spare_lists.extend(lists.into_iter().map(|(mut list, _, _)| {
        list.clear();
        list
    }));
    Ok(())
}

/// Visits every paragraph `scorer` matches (one slot, `bits`), in
/// document order.
#[inline]
fn visit_all<S: Scorer + ?Sized>(
    scorer: &mut S,
    bits: u32,
    visit: &mut SegmentVisit<'_>,
    statements: &mut Statements,
    visits: &mut Vec<Visit>,
) {
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        visit.visit(doc, (bits, 0), scorer.score(), statements, visits);
        doc = scorer.advance();
    }
}

/// [`visit_all`] for the commonest queries, one slot (a word, a phrase,
/// an `OR` of words) in an index without deletions, with no filter and no
/// synonyms (see [`SegmentVisit::is_plain`]): every paragraph holds the
/// one slot as typed, so a statement's counts and tiers follow from its
/// number of hits, written once when the visit leaves it instead of per
/// paragraph. Same visits and statements as [`visit_all`], in a loop a
/// third as long.
#[inline]
fn visit_plain<S: Scorer + ?Sized>(
    scorer: &mut S,
    bits: u32,
    visit: &mut SegmentVisit<'_>,
    statements: &mut Statements,
    visits: &mut Vec<Visit>,
) {
    let matched = (bits & TYPED) as u16;
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        if visit.at == u32::MAX || doc >= visit.end {
            visit.settle_plain(bits);
            visit.enter(doc, statements, visits);
        }
        let score = scorer.score();
        visit.run.hits += 1;
        visit.run.best = visit.run.best.max(score);
        visits.push(Visit {
            doc,
            score,
            matched,
            related: 0,
            via: Via::Words,
        });
        doc = scorer.advance();
    }
    visit.settle_plain(bits);
}

/// Which of a two-word query's slots may be read narrowly
/// ([`visit_narrowed`]): `(heavy, light)` indices into `slots`, where the
/// light word, the more common one, weighs less than the share of the
/// query a partial match needs (rule 3). A paragraph holding only the
/// light word is then never a candidate unless its statement holds the
/// heavy word too (in a paragraph or its title), and elsewhere only counts.
/// Only for two plain terms without synonyms and without a filter, whose
/// weights the terms' document frequencies give before the visit, as
/// [`order`] computes them after it; an index with deletions is read in
/// full segment by segment (counts of live paragraphs need the visit).
fn narrowing(
    searcher: &tantivy::Searcher,
    slots: &[SlotQuery],
    statements: &Statements,
    filtered: bool,
    config: &RankConfig,
) -> Option<(usize, usize)> {
    let [a, b] = slots else {
        return None;
    };
    if filtered || statements.typed.is_some() || !config.partial {
        return None;
    }
    let docs = searcher.num_docs().max(1);
    let weight = |slot: &SlotQuery| -> Option<f32> {
        if slot.related || slot.bits.count_ones() != 1 || slot.bits & !TYPED != 0 {
            return None;
        }
        let term = slot.query.downcast_ref::<Bm25TermQuery>()?.term();
        let n = searcher.doc_freq(term).ok()?;
        (n > 0).then(|| idf(n, docs))
    };
    let (wa, wb) = (weight(a)?, weight(b)?);
    let (heavy, light, w) = if wa > wb { (0, 1, wb) } else { (1, 0, wa) };
    // The floor of `order`, with room for rounding: a light word near the
    // floor is read in full.
    let floor = config.partial_share * (wa + wb) - 1e-6;
    (w < floor * 0.999).then_some((heavy, light))
}

/// Reads two term slots in document order, the light one narrowly
/// ([`narrowing`]): a paragraph holding the light word whose statement
/// holds the heavy word in some paragraph (the heavy list's next document
/// falls within the statement) or has a title holding a slot is visited as
/// [`SegmentVisit::visit`] would; the light word's other paragraphs are
/// only counted, a statement at a time, in [`Statements::outside`], with no
/// score and no visit. The visits, statements, counts and weights are
/// those of the full merge, less the statements that hold only the light
/// word and can lend nothing.
fn visit_narrowed(
    (heavy, heavy_bits): (&mut Bm25TermScorer, u32),
    (light, light_bits): (&mut Bm25TermScorer, u32),
    visit: &mut SegmentVisit<'_>,
    statements: &mut Statements,
    visits: &mut Vec<Visit>,
) {
    loop {
        let (h, l) = (heavy.doc(), light.doc());
        if h == TERMINATED && l == TERMINATED {
            return;
        }
        if h <= l {
            if h == l {
                let score = heavy.score() + light.score();
                visit.visit(h, (heavy_bits | light_bits, 0), score, statements, visits);
                light.advance();
            } else {
                visit.visit(h, (heavy_bits, 0), heavy.score(), statements, visits);
            }
            heavy.advance();
            continue;
        }
        if visit.at == u32::MAX || l >= visit.end {
            let st = visit.columns.statement(visit.segment, l);
            let end = st.start.saturating_add(st.size);
            if h >= end && !visit.has_title(st.start) {
                let mut hits = 0u64;
                let mut doc = l;
                while doc < end {
                    hits += 1;
                    doc = light.advance();
                }
                statements.outside.add(&st, light_bits, hits);
                continue;
            }
        }
        visit.visit(l, (light_bits, 0), light.score(), statements, visits);
        light.advance();
    }
}

/// The statements whose title holds a slot, as `(first doc, bits)` in
/// document order, one entry per statement. A title is indexed on its
/// statement's first paragraph only (schema v9), so a title match is the
/// statement's first document, with no column read.
fn title_spans(
    weights: &[(Box<dyn Weight>, u32)],
    reader: &SegmentReader,
) -> tantivy::Result<Vec<(DocId, u32)>> {
    let mut spans = Vec::new();
    for (weight, bits) in weights {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            spans.push((doc, (*bits | (*bits >> SYNONYM_SHIFT)) & TYPED));
            doc = scorer.advance();
        }
    }
    spans.sort_unstable();
    spans.dedup_by(|later, kept| {
        if later.0 == kept.0 {
            kept.1 |= later.1;
            true
        } else {
            false
        }
    });
    Ok(spans)
}

/// One slot's matches in one segment, in document order, with the slot's
/// bits and whether it searches related concepts.
type SlotList = (Vec<(DocId, Score)>, u32, bool);

/// Calls `visit(doc, (bits, related bits), score)` for every document of
/// `lists` (each in document order, with its bits and whether it searches
/// related concepts), in document order, with the bits of the other lists
/// holding it, those of the related lists holding it, and the sum of their
/// scores.
fn merge_lists(lists: &[SlotList], mut visit: impl FnMut(DocId, (u32, u32), Score)) {
    if let [(list, bits, related)] = lists {
        let bodies = if *related { (0, *bits) } else { (*bits, 0) };
        for &(doc, score) in list {
            visit(doc, bodies, score);
        }
        return;
    }
    let mut heads = vec![0usize; lists.len()];
    loop {
        let mut doc = TERMINATED;
        for (head, (list, _, _)) in heads.iter().zip(lists) {
            if let Some(&(d, _)) = list.get(*head) {
                doc = doc.min(d);
            }
        }
        if doc == TERMINATED {
            return;
        }
        let (mut body, mut rel, mut score) = (0u32, 0u32, 0.0f32);
        for (head, (list, bits, related)) in heads.iter_mut().zip(lists) {
            if let Some(&(d, s)) = list.get(*head) {
                if d == doc {
                    if *related {
                        rel |= *bits;
                    } else {
                        body |= *bits;
                    }
                    score += s;
                    *head += 1;
                }
            }
        }
        visit(doc, (body, rel), score);
    }
}

/// The state of one segment's visit: the statement being read and the
/// next title span.
struct SegmentVisit<'a> {
    columns: &'a Columns,
    segment: SegmentOrdinal,
    alive: Option<&'a tantivy::fastfield::AliveBitSet>,
    filter: Option<Box<dyn Scorer>>,
    titles: Vec<(DocId, u32)>,
    next_title: usize,
    /// The bits of all slots.
    all: u32,
    /// End of the current statement's span.
    end: DocId,
    /// Index of the current statement in the statements list.
    at: u32,
    /// The current statement's visits and counts, written to the list when
    /// the visit leaves it ([`SegmentVisit::flush`]).
    run: Run,
    counts: [u32; MAX_SLOTS],
    /// End of the last statement counted by `count_unfiltered`.
    unfiltered_end: DocId,
    /// Starts of the statements counted by `count_unfiltered`, in order.
    unfiltered_starts: Vec<DocId>,
}

impl SegmentVisit<'_> {
    /// Writes the current statement's visits and counts to `statements`.
    fn flush(&mut self, statements: &mut Statements) {
        if self.at == u32::MAX {
            return;
        }
        statements.runs[self.at as usize] = self.run;
        let words = statements.words;
        let english = u64::from(statements.list[self.at as usize].english);
        for (total, &c) in statements.found.iter_mut().zip(&self.counts[..words]) {
            total[0] += u64::from(c);
            total[1] += u64::from(c) * english;
        }
        statements
            .counts_mut(self.at)
            .copy_from_slice(&self.counts[..words]);
    }

    /// Counts `doc`'s slots before the filter (see
    /// [`Statements::unfiltered`]).
    #[inline]
    fn count_unfiltered(&mut self, doc: DocId, body: u32, statements: &mut Statements) {
        let Some(counts) = statements.unfiltered.as_mut() else {
            return;
        };
        let st = self.columns.statement(self.segment, doc);
        if doc >= self.unfiltered_end {
            self.unfiltered_end = st.start.saturating_add(st.size);
            statements.unfiltered_sizes.0 += u64::from(st.size);
            statements.unfiltered_sizes.1 += 1;
            self.unfiltered_starts.push(st.start);
        }
        let english = u64::from(st.english);
        let typed = body & TYPED & self.all;
        let mut bits = (typed | (body >> SYNONYM_SHIFT)) & self.all;
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            let as_typed = u64::from(typed & (1 << b) != 0);
            let c = &mut counts[b];
            c[0] += 1;
            c[1] += english;
            c[2] += as_typed;
            c[3] += as_typed * english;
            bits &= bits - 1;
        }
    }

    #[inline]
    fn passes(&mut self, doc: DocId) -> bool {
        match self.filter.as_mut() {
            Some(f) => {
                if f.doc() < doc {
                    f.seek(doc);
                }
                f.doc() == doc
            }
            None => true,
        }
    }

    #[inline(always)]
    fn visit(
        &mut self,
        doc: DocId,
        (plain, related): (u32, u32),
        score: Score,
        statements: &mut Statements,
        visits: &mut Vec<Visit>,
    ) {
        if self.alive.is_some_and(|a| a.is_deleted(doc)) {
            return;
        }
        let body = plain | related;
        self.count_unfiltered(doc, body, statements);
        if !self.passes(doc) {
            return;
        }
        if self.at == u32::MAX || doc >= self.end {
            self.enter(doc, statements, visits);
        }
        let typed = body & TYPED;
        // The slots held through a synonym; those held only through a
        // related concept.
        let synonym = (plain >> SYNONYM_SHIFT) & !typed;
        let related = (related >> SYNONYM_SHIFT) & !typed & !synonym;
        let body = typed | (body >> SYNONYM_SHIFT);
        if let Some(counts) = statements.typed.as_mut() {
            let english = usize::from(statements.list[self.at as usize].english);
            let mut bits = typed & self.all;
            while bits != 0 {
                let slot = &mut counts[bits.trailing_zeros() as usize];
                slot[0] += 1;
                slot[1] += english as u64;
                bits &= bits - 1;
            }
        }
        self.run.hits += 1;
        self.run.full += u32::from(body & !related & self.all == self.all);
        self.run.whole += u32::from(body & self.all == self.all);
        self.run.best = self.run.best.max(score);
        let mut bits = body & self.all;
        while bits != 0 {
            self.counts[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        visits.push(Visit {
            doc,
            score,
            // Both within the slots' 16 bits (`MAX_SLOTS`).
            matched: (body & TYPED) as u16,
            related: (related & self.all & TYPED) as u16,
            via: if related & self.all != 0 {
                Via::Related
            } else if synonym & self.all != 0 {
                Via::Synonym
            } else {
                Via::Words
            },
        });
    }

    /// Leaves the current statement (written to `statements`) for that of
    /// `doc`, whose visits start at the end of `visits`.
    #[inline]
    fn enter(&mut self, doc: DocId, statements: &mut Statements, visits: &[Visit]) {
        self.flush(statements);
        let mut st = self.columns.statement(self.segment, doc);
        self.end = st.start.saturating_add(st.size);
        st.title = self.title_of(st.start);
        statements.push(st);
        self.at = (statements.len() - 1) as u32;
        self.run = Run {
            first: visits.len() as u32,
            ..Run::default()
        };
        self.counts[..statements.words].fill(0);
    }

    /// Whether [`visit_plain`] may stand for [`visit_all`] on the one slot
    /// `bits`: no deleted paragraph, no filter, no synonym slot, and the
    /// slot's own bits (not a synonym's).
    fn is_plain(&self, bits: u32, statements: &Statements) -> bool {
        self.alive.is_none()
            && self.filter.is_none()
            && statements.typed.is_none()
            && statements.unfiltered.is_none()
            && bits & !TYPED == 0
    }

    /// The counts and tiers of the current statement's run in
    /// [`visit_plain`], where every visit holds exactly the slot `bits`:
    /// what [`SegmentVisit::visit`] adds up per paragraph, from the number
    /// of hits.
    #[inline]
    fn settle_plain(&mut self, bits: u32) {
        let hits = self.run.hits;
        let holds_all = bits & self.all == self.all;
        self.run.full = if holds_all { hits } else { 0 };
        self.run.whole = self.run.full;
        let mut held = bits & self.all;
        while held != 0 {
            self.counts[held.trailing_zeros() as usize] = hits;
            held &= held - 1;
        }
    }

    /// Passes over the title spans of statements before `start` for good
    /// (their bits stay for [`SegmentVisit::title_only`]).
    fn pass_titles_before(&mut self, start: DocId) {
        while self
            .titles
            .get(self.next_title)
            .is_some_and(|s| s.0 < start)
        {
            self.next_title += 1;
        }
    }

    /// Whether the statement starting at `start` has a title holding some
    /// slot, without marking its span as used; statements only counted
    /// ([`visit_narrowed`]) never scan the spans before it again.
    fn has_title(&mut self, start: DocId) -> bool {
        self.pass_titles_before(start);
        self.titles
            .get(self.next_title)
            .is_some_and(|span| span.0 == start && span.1 != 0)
    }

    /// The title bits of the statement starting at `start`, marking its
    /// span as used.
    fn title_of(&mut self, start: DocId) -> u32 {
        self.pass_titles_before(start);
        match self.titles.get_mut(self.next_title) {
            Some(span) if span.0 == start => {
                self.next_title += 1;
                std::mem::take(&mut span.1)
            }
            _ => 0,
        }
    }

    /// Statements whose title holds slots though none of their paragraphs
    /// was visited: they can still lend their paragraphs.
    fn title_only(&mut self, statements: &mut Statements) {
        self.flush(statements);
        self.at = u32::MAX;
        let spans = std::mem::take(&mut self.titles);
        for (start, bits) in spans {
            if bits == 0 {
                continue;
            }
            let mut st = self.columns.statement(self.segment, start);
            if st.start != start {
                // Not a first paragraph: no title of this schema.
                continue;
            }
            // A statement whose title alone holds a slot counts in the
            // statements' average size as it does without a filter (a
            // filter must not change scores).
            if statements.unfiltered.is_some()
                && self.unfiltered_starts.binary_search(&start).is_err()
            {
                statements.unfiltered_sizes.0 += u64::from(st.size);
                statements.unfiltered_sizes.1 += 1;
            }
            let end = st.start.saturating_add(st.size);
            if !(start..end).any(|d| self.passes(d)) {
                continue;
            }
            st.title = bits;
            statements.push(st);
        }
    }
}

/// Applies the ranking rules to the visited paragraphs.
fn order(
    searcher: &tantivy::Searcher,
    (visits, mut table): (Vec<Visit>, Statements),
    words: usize,
    (page, sort_all): (usize, bool),
    language: QueryLanguage,
    (config, filter, cache): (&RankConfig, Option<&dyn Weight>, &ColumnCache),
) -> Ranking {
    let QueryLanguage {
        english_docs,
        neutral,
        shown,
    } = language;
    let all = full_mask(words);
    let docs = searcher.num_docs().max(1);
    let (found, found_en): (Vec<u64>, Vec<u64>) = table
        .found
        .iter()
        .zip(&table.outside.found)
        .take(words)
        .map(|([all, en], [out, out_en])| (all + out, en + out_en))
        .unzip();
    // A filter changes which paragraphs are ranked, not their scores: the
    // weights and the query's language come from every paragraph.
    let (weighed, weighed_en) = match &table.unfiltered {
        Some(u) => (
            u[..words].iter().map(|c| c[0]).collect(),
            u[..words].iter().map(|c| c[1]).collect(),
        ),
        None => (found.clone(), found_en.clone()),
    };
    let weight: Vec<f32> = weighed.iter().map(|&n| idf(n.max(1), docs)).collect();
    // Rule 4: the language the query shows, else the vote of its words.
    let voted = || match (&table.unfiltered, &table.typed) {
        (Some(u), Some(_)) => {
            let all: Vec<u64> = u[..words].iter().map(|c| c[2]).collect();
            let en: Vec<u64> = u[..words].iter().map(|c| c[3]).collect();
            english_query((&all, &en), neutral, english_docs, docs)
        }
        (Some(_), None) => english_query((&weighed, &weighed_en), neutral, english_docs, docs),
        // The words as typed tell the query's language, not their synonyms.
        (None, Some(typed)) => {
            let all: Vec<u64> = typed[..words].iter().map(|c| c[0]).collect();
            let en: Vec<u64> = typed[..words].iter().map(|c| c[1]).collect();
            english_query((&all, &en), neutral, english_docs, docs)
        }
        (None, None) => english_query((&found, &found_en), neutral, english_docs, docs),
    };
    let english_query = match shown {
        Some(english) => english && english_docs > 0,
        None => voted(),
    };
    statement_scores(&mut table, &weight);
    let statements = &table.list;
    // Rule 2: the best statements holding every slot lend their paragraphs.
    // The best `siblings`, best first, kept as they come (a broad query
    // has tens of thousands of statements holding every slot).
    let by_score = |a: &usize, b: &usize| {
        statements[*b]
            .score
            .total_cmp(&statements[*a].score)
            .then(a.cmp(b))
    };
    let mut lenders: Vec<usize> = Vec::with_capacity(config.siblings + 1);
    for i in (0..statements.len()).filter(|&i| table.mask(i as u32) & all == all) {
        // Full, and no better than the worst kept (a later index loses a
        // tie): turned away without a search.
        if lenders.len() == config.siblings
            && lenders
                .last()
                .is_none_or(|&w| statements[i].score.total_cmp(&statements[w].score).is_le())
        {
            continue;
        }
        let place = lenders.partition_point(|j| by_score(j, &i).is_lt());
        if place < config.siblings {
            lenders.insert(place, i);
            lenders.truncate(config.siblings);
        }
    }
    let mut lending = vec![false; statements.len()];
    for &at in &lenders {
        lending[at] = true;
    }
    let language = |st: &Statement| {
        if st.english == english_query {
            1.0
        } else {
            config.other_language
        }
    };
    let full: usize = table.runs.iter().map(|r| r.full as usize).sum();
    let partial_wanted = config.partial && full < ENOUGH;
    // A word in no paragraph (of those the filters keep) cannot be held:
    // the share is of the words that can, so that one absent word never
    // hides the paragraphs holding the others.
    let held_weight: f32 = (0..words)
        .filter(|&b| found[b] > 0)
        .map(|b| weight[b])
        .sum();
    let mut counting = Counting {
        all,
        weight: weight.clone(),
        partial: partial_wanted.then_some(config.partial_share * held_weight - 1e-6),
        lenders: lenders
            .iter()
            .map(|&at| (statements[at].segment, statements[at].start))
            .collect(),
    };
    if full == 0 && lenders.is_empty() {
        counting.lower_unreached_floor(visits.iter().map(|v| u32::from(v.matched)));
    }
    let classify = |v: &Visit, at: usize| -> Option<Candidate> {
        let st = &statements[at];
        let matched = u32::from(v.matched);
        let tier = counting.tier(matched, u32::from(v.related), lending[at])?;
        let mut score = v.score * language(st) + config.statement * st.score;
        if matches!(v.via, Via::Synonym | Via::Related) {
            // Held only through the thesaurus: below the words as typed,
            // its statement evidence too; across languages lower still.
            score *= if v.via == Via::Related {
                RELATED_FACTOR
            } else {
                SYNONYM_FACTOR
            };
            if language(st) < 1.0 {
                score *= config.other_language;
            }
        }
        if tier == Tier::Partial {
            // Rule 3: the most important words first, then the score.
            score += PARTIAL_STEP * counting.covered(matched) / held_weight.max(f32::EPSILON);
        }
        let via = if tier == Tier::Statement {
            Via::Statement
        } else {
            v.via
        };
        Some(Candidate {
            score,
            tier,
            via,
            ..v.candidate(st.segment, at as u32)
        })
    };
    // Only the head that can be shown or rescored needs an order; every
    // candidate is kept only when a caller needs them all in order.
    let mut best = Best::new(if sort_all {
        usize::MAX
    } else {
        page.max(ENOUGH).saturating_add(HEAD_MARGIN)
    });
    let mut others = 0;
    for (at, (st, run)) in statements.iter().zip(&table.runs).enumerate() {
        let visits = &visits[run.range()];
        // The best (tier, score) any of its paragraphs can reach: when the
        // kept candidates already beat it, only the count is needed.
        let lending = lending[at];
        let top = if run.whole > 0 {
            Tier::Full
        } else if lending {
            Tier::Statement
        } else {
            Tier::Partial
        };
        let mut bound = run.best * language(st) + config.statement * st.score;
        if top == Tier::Partial {
            bound += PARTIAL_STEP;
        }
        if best.rejects(top, bound) {
            others += if lending {
                (run.hits - run.full) as usize
            } else if partial_wanted {
                visits
                    .iter()
                    .filter(|v| {
                        (u32::from(v.matched) & all != all || v.related != 0)
                            && classify(v, at).is_some()
                    })
                    .count()
            } else {
                // Full only through a related concept: shown partial.
                visits
                    .iter()
                    .filter(|v| v.related != 0 && u32::from(v.matched) & all == all)
                    .count()
            };
            continue;
        }
        for c in visits.iter().filter_map(|v| classify(v, at)) {
            if c.tier != Tier::Full || c.related != 0 {
                others += 1;
            }
            best.push(c);
        }
    }
    // Lent paragraphs rank in the statement tier: when the best kept are
    // full matches already, none of them can enter, and they are counted
    // without being made into candidates (a lender may hold thousands).
    best.cut();
    let lending = if best.keeps_only(Tier::Full) {
        Lending::Count
    } else {
        Lending::Candidates {
            score: &|st: &Statement| config.statement.max(0.1) * st.score * language(st),
            nearness: config.nearness,
        }
    };
    others += lend_siblings(
        searcher,
        (statements, &table.runs),
        &lenders,
        &visits,
        filter,
        lending,
        &mut best,
    );
    cache.keep_spare(visits, table.counts, table.runs);
    Ranking {
        candidates: best.into_sorted(),
        full,
        others,
        statements: table.list,
        found,
        unfiltered: table
            .unfiltered
            .as_ref()
            .map(|u| u[..words].iter().map(|c| c[0]).collect()),
        english_query,
        counting: vec![counting],
    }
}

/// Orders candidates best first: higher tier, then the ranking's own
/// candidates before a loosened phrase's words' in their order (rule 7,
/// [`Candidate::loosened`]), then a text not repeated before a repeat
/// (rule 10), then higher score, then nearer a match (rule 12), then
/// index order (the order of every ranked list).
pub fn best_first(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.tier
        .cmp(&a.tier)
        .then(a.loosened.cmp(&b.loosened))
        .then(a.repeat.cmp(&b.repeat))
        .then(b.score.total_cmp(&a.score))
        .then(a.distance.cmp(&b.distance))
        .then(a.address.cmp(&b.address))
}

/// The `limit` best candidates pushed (all of them for `usize::MAX`), in
/// a buffer of up to twice the limit that is cut back to the best `limit`
/// (a linear selection) when it fills: a few comparisons per candidate
/// where a heap of the best made a dozen. Once cut, a candidate below the
/// worst kept on tier or score alone is turned away with one comparison.
struct Best {
    limit: usize,
    /// Tier and score of the worst kept at the last cut.
    floor: Option<(Tier, Score)>,
    kept: Vec<Candidate>,
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            limit,
            floor: None,
            kept: Vec::with_capacity(limit.saturating_mul(2).min(2048)),
        }
    }

    /// Whether a candidate of this tier and score would be turned away.
    fn rejects(&self, tier: Tier, score: Score) -> bool {
        self.floor
            .is_some_and(|(t, s)| tier < t || (tier == t && score < s))
    }

    #[inline]
    fn push(&mut self, c: Candidate) {
        if self.limit == usize::MAX {
            self.kept.push(c);
            return;
        }
        // Most candidates lose to the worst kept on tier or score alone.
        if self.rejects(c.tier, c.score) {
            return;
        }
        self.kept.push(c);
        if self.kept.len() >= self.limit.saturating_mul(2) {
            self.cut();
        }
    }

    /// Keeps the best `limit` (by [`best_first`], a total order, so the
    /// same ones whatever order they came in) and notes the worst of them.
    fn cut(&mut self) {
        if self.kept.len() <= self.limit {
            return;
        }
        if self.limit == 0 {
            self.kept.clear();
            return;
        }
        self.kept.select_nth_unstable_by(self.limit - 1, best_first);
        self.kept.truncate(self.limit);
        self.floor = self.kept.last().map(|w| (w.tier, w.score));
    }

    /// Whether `limit` candidates are kept, none below `tier`: a
    /// candidate of a lower tier would be turned away (after a
    /// [`Best::cut`]).
    fn keeps_only(&self, tier: Tier) -> bool {
        self.limit != usize::MAX
            && self.kept.len() >= self.limit
            && self.floor.is_some_and(|(t, _)| t >= tier)
    }

    fn into_sorted(mut self) -> Vec<Candidate> {
        if self.limit != usize::MAX {
            self.cut();
        }
        let mut out = self.kept;
        out.sort_unstable_by(best_first);
        out
    }
}

/// The statements met while visiting, with their paragraph counts per
/// slot (`words` counts per statement, in one flat list).
struct Statements {
    list: Vec<Statement>,
    counts: Vec<u32>,
    runs: Vec<Run>,
    words: usize,
    /// Per slot, paragraphs holding it as typed, and those of them in
    /// English; kept only when some slot has synonyms (else the counts
    /// say the same).
    typed: Option<Box<[[u64; 2]; MAX_SLOTS]>>,
    /// With a filter: per slot, paragraphs holding it whether or not they
    /// pass the filter (held, held in English, held as typed, held as
    /// typed in English), so that the words' weights and the query's
    /// language, hence the scores, do not change with a filter.
    unfiltered: Option<Box<[[u64; 4]; MAX_SLOTS]>>,
    /// With a filter: the sizes of the statements holding some slot,
    /// filtered out or not (sum, count), for the statement score's average.
    unfiltered_sizes: (u64, u64),
    /// Per slot: the paragraphs of the listed statements holding it, and
    /// those in English (the sums of their counts, added up as each
    /// statement's visit ends).
    found: [[u64; 2]; MAX_SLOTS],
    /// The statements [`visit_narrowed`] only counted.
    outside: Outside,
}

/// Statements holding some slot that are not in [`Statements::list`]
/// because no paragraph of theirs can be a candidate ([`visit_narrowed`]):
/// what they add to the slots' paragraph counts and to the statements'
/// average size.
#[derive(Debug, Clone, Copy, Default)]
struct Outside {
    /// Sum of their sizes (paragraphs), and their number.
    sizes: (u64, u64),
    /// Per slot: their paragraphs holding it, and those in English.
    found: [[u64; 2]; MAX_SLOTS],
}

impl Outside {
    /// Counts statement `st`, whose `hits` paragraphs hold the slots `bits`.
    fn add(&mut self, st: &Statement, bits: u32, hits: u64) {
        self.sizes.0 += u64::from(st.size);
        self.sizes.1 += 1;
        let mut bits = bits & TYPED;
        while bits != 0 {
            let slot = &mut self.found[bits.trailing_zeros() as usize];
            slot[0] += hits;
            slot[1] += hits * u64::from(st.english);
            bits &= bits - 1;
        }
    }
}

/// A statement's visited paragraphs: `visits[first..first + hits]`
/// (contiguous, as its paragraphs are), how many hold every slot, and the
/// best paragraph score among them.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    first: u32,
    hits: u32,
    /// Visits holding every slot as asked (typed or through a synonym).
    full: u32,
    /// Visits holding every slot, related concepts included: they rank
    /// in the full tier.
    whole: u32,
    best: Score,
}

impl Run {
    fn range(&self) -> std::ops::Range<usize> {
        self.first as usize..(self.first + self.hits) as usize
    }
}

/// The bits of `words` slots.
fn full_mask(words: usize) -> u32 {
    if words >= 32 {
        u32::MAX
    } else {
        (1u32 << words) - 1
    }
}

impl Statements {
    fn push(&mut self, st: Statement) {
        self.list.push(st);
        self.runs.push(Run::default());
        self.counts.extend(std::iter::repeat_n(0, self.words));
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    /// Paragraphs holding each slot, of statement `at`.
    fn counts(&self, at: u32) -> &[u32] {
        let at = at as usize * self.words;
        &self.counts[at..at + self.words]
    }

    fn counts_mut(&mut self, at: u32) -> &mut [u32] {
        let at = at as usize * self.words;
        &mut self.counts[at..at + self.words]
    }

    /// Slots statement `at` holds in its paragraphs or title.
    fn mask(&self, at: u32) -> u32 {
        let mut mask = self.list[at as usize].title;
        for (bit, &c) in self.counts(at).iter().enumerate() {
            if c > 0 {
                mask |= 1 << bit;
            }
        }
        mask
    }
}

/// Statement-level BM25: each slot's count of paragraphs against the
/// statement's number of paragraphs, plus the slot's weight when the title
/// holds it.
fn statement_scores(table: &mut Statements, weight: &[f32]) {
    const K1: f32 = 1.2;
    const B: f32 = 0.5;
    if table.list.is_empty() {
        return;
    }
    let average = match (&table.unfiltered, table.unfiltered_sizes) {
        // With a filter, the statements filtered out count too: a filter
        // must not change scores.
        (Some(_), (sum, count)) if count > 0 => sum as f32 / count as f32,
        // The counted statements' sizes join the sum: both are sums of
        // whole numbers, exact in f32 below 2^24 paragraphs.
        _ => {
            let (sum, count) = table.outside.sizes;
            (table.list.iter().map(|s| s.size as f32).sum::<f32>() + sum as f32)
                / (table.list.len() as u64 + count) as f32
        }
    };
    for (at, st) in table.list.iter_mut().enumerate() {
        let norm = K1 * (1.0 - B + B * st.size as f32 / average.max(1.0));
        let counts = &table.counts[at * table.words..(at + 1) * table.words];
        let mut score = 0.0;
        for (bit, (&w, &c)) in weight.iter().zip(counts).enumerate() {
            let c = c as f32;
            score += w * (K1 + 1.0) * c / (c + norm);
            if st.title & (1 << bit) != 0 {
                score += w;
            }
        }
        st.score = score;
    }
}

/// Whether the query's words are English: for most slots that tell a
/// language, at least as many matching paragraphs are English as not.
/// (Shares of each language would mislead: an index's few English
/// paragraphs are often all on the subject of its statements.) The slots
/// of `neutral` (bit i = slot i: acronyms the texts write in capitals,
/// `EENA`, `POC`, shared by both languages) do not vote; a query of such
/// words only is French, the language of the statements vigie is for.
fn english_query(
    (found, found_en): (&[u64], &[u64]),
    neutral: u32,
    english_docs: u64,
    docs: u64,
) -> bool {
    if english_docs == 0 || english_docs >= docs {
        return english_docs > 0;
    }
    let voters = (0..found.len()).filter(|&b| b >= 32 || neutral & (1 << b) == 0);
    let (mut votes, mut count) = (0, 0);
    for b in voters {
        count += 1;
        let (all, en) = (found[b], found_en[b]);
        votes += usize::from(en > 0 && en >= all - en);
    }
    votes * 2 > count
}

/// For each paragraph of a statement, how far it stands from the nearest
/// paragraph holding some part of the query (`taken`), in half
/// paragraphs: `2 × d` for one `d` paragraphs after such a paragraph,
/// `2 × d + 1` for one `d` before it, so that the paragraph after a match
/// comes before the one before it (a heading's matter follows it). 0 when
/// none holds any.
fn nearness(taken: &[bool]) -> Vec<u16> {
    let half =
        |d: usize, before: bool| u16::try_from(2 * d + usize::from(before)).unwrap_or(u16::MAX);
    let mut near = vec![u16::MAX; taken.len()];
    let mut last = None;
    for (i, &t) in taken.iter().enumerate() {
        if t {
            last = Some(i);
        }
        if let Some(l) = last {
            near[i] = half(i - l, false);
        }
    }
    last = None;
    for i in (0..taken.len()).rev() {
        if taken[i] {
            last = Some(i);
        }
        if let Some(l) = last {
            near[i] = near[i].min(half(l - i, true));
        }
    }
    if last.is_none() {
        near.fill(0);
    }
    near
}

/// The other paragraphs of the lending statements (those passing
/// `filter`), as [`Tier::Statement`] candidates pushed into `best`, scored
/// by `score` of their statement, with their [`Candidate::distance`] to
/// the nearest paragraph holding some part of the query when `nearness`
/// (rule 12); returns how many there are.
///
/// A lender's candidates share tier and score, so they order among
/// themselves by distance, then index order: only as many of its best as
/// `best` keeps can be kept, and only those are pushed (a Debian
/// document lends up to 19,000 paragraphs); none are when `best` already
/// turns its score away. What `best` keeps is the same as if every
/// candidate were pushed.
fn lend_siblings(
    searcher: &tantivy::Searcher,
    (statements, runs): (&[Statement], &[Run]),
    lenders: &[usize],
    visits: &[Visit],
    filter: Option<&dyn Weight>,
    lending: Lending<'_>,
    best: &mut Best,
) -> usize {
    let mut count = 0;
    // (distance, paragraph) of one lender's candidates.
    let mut lent: Vec<(u16, DocId)> = Vec::new();
    for &at in lenders {
        let st = &statements[at];
        let reader = searcher.segment_reader(st.segment);
        let end = st.start.saturating_add(st.size).min(reader.max_doc());
        // Paragraphs of the lender already among the candidates (its
        // visits).
        let mut taken = vec![false; end.saturating_sub(st.start) as usize];
        for v in &visits[runs[at].range()] {
            if let Some(t) = taken.get_mut(v.doc.wrapping_sub(st.start) as usize) {
                *t = true;
            }
        }
        // `None`: only counted.
        let lent_as = match &lending {
            Lending::Candidates { score, nearness } => {
                let score = score(st);
                (!best.rejects(Tier::Statement, score)).then_some((score, *nearness))
            }
            Lending::Count => None,
        };
        let alive = reader.alive_bitset();
        if let (None, None, None) = (lent_as, filter, alive) {
            count += taken.iter().filter(|t| !**t).count();
            continue;
        }
        let mut filter = match filter.map(|w| w.scorer(reader, 1.0)).transpose() {
            Ok(f) => f,
            Err(_) => continue,
        };
        let near = match lent_as {
            Some((_, true)) => nearness(&taken),
            _ => Vec::new(),
        };
        lent.clear();
        for doc in st.start..end {
            if taken[(doc - st.start) as usize] || alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            if let Some(f) = filter.as_mut() {
                if f.doc() < doc {
                    f.seek(doc);
                }
                if f.doc() != doc {
                    continue;
                }
            }
            count += 1;
            if lent_as.is_some() {
                let distance = near.get((doc - st.start) as usize).copied().unwrap_or(0);
                lent.push((distance, doc));
            }
        }
        let Some((score, _)) = lent_as else {
            continue;
        };
        if lent.len() > best.limit {
            if let Some(nth) = best.limit.checked_sub(1) {
                lent.select_nth_unstable(nth);
            }
            lent.truncate(best.limit);
        }
        for &(distance, doc) in &lent {
            best.push(Candidate {
                address: DocAddress::new(st.segment, doc),
                score,
                distance,
                tier: Tier::Statement,
                matched: 0,
                related: 0,
                statement: at as u32,
                via: Via::Statement,
                repeat: false,
                loosened: 0,
            });
        }
    }
    count
}

/// What [`lend_siblings`] makes of a lender's other paragraphs.
enum Lending<'a> {
    /// Candidates of the statement tier, scored by their statement's
    /// score, nearest a match first when `nearness` (rule 12).
    Candidates {
        score: &'a dyn Fn(&Statement) -> Score,
        nearness: bool,
    },
    /// Only their number: no candidate of the statement tier can rank
    /// among those kept.
    Count,
}

#[cfg(test)]
mod tests {
    use super::nearness;

    #[test]
    fn nearness_counts_paragraphs_to_the_nearest_match_after_first() {
        // Matches at 2 and 6 (0-based) of eight paragraphs.
        let taken = [false, false, true, false, false, false, true, false];
        let near = nearness(&taken);
        // In half paragraphs: 0 and 1 precede the first match by 2 and 1
        // (before costs half a paragraph more: 5, 3); 3 follows it by 1
        // (2), 4 is two after it and two before the next (4), 5 precedes 6
        // by one (3), 7 follows 6 by one (2).
        assert_eq!(near, vec![5, 3, 0, 2, 4, 3, 0, 2]);
    }

    #[test]
    fn a_statement_without_matches_keeps_its_order() {
        assert_eq!(nearness(&[false, false, false]), vec![0, 0, 0]);
    }
}
