//! Ranking: which paragraphs answer the query best, when the query has
//! several parts and the index holds much more than statements.
//!
//! A query is split into *slots*, one per top-level word, phrase or group
//! of the user's conjunction (`cyber défense "mesures de confiance"` has
//! three). Every paragraph holding at least one slot is visited once; its
//! own score is the sum of its slots' paragraph BM25 ([`super::bm25`]).
//! The order then follows four rules, each measured on
//! `../shared/relevance/` (BENCHMARKS.md, "Ranking rules"):
//!
//! 1. **All words first.** Paragraphs holding every slot ([`Tier::Full`])
//!    rank above all others.
//! 2. **The statement counts.** Each statement gets a BM25 of its own over
//!    its paragraphs (how many mention each slot, against how many it has)
//!    and its title; a paragraph's score adds a share of its statement's.
//!    When a statement holds every slot between its paragraphs and title,
//!    its other paragraphs become candidates just below the full matches
//!    ([`Tier::Statement`]): the analyst is reading that statement.
//! 3. **Then the most important words.** When fewer than a page of
//!    paragraphs hold every slot, paragraphs holding slots worth at least
//!    half of the query's weight follow ([`Tier::Partial`]); a slot's
//!    weight is its idf, so `Nord` alone never stands for `Corée du Nord`.
//! 4. **The query's language first.** A paragraph in the language the
//!    query's words belong to scores more than one in the other language.

use rustc_hash::FxHashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, TERMINATED};

use super::bm25::{idf, Bm25Params};

/// Most slots a query is ranked by; a query with more parts is ranked as
/// one block (every part required).
pub const MAX_SLOTS: usize = 16;

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
    /// Rule 2: weight of the statement's score in a paragraph's (0 = off).
    pub statement: f32,
    /// Rule 2: how many best statements lend their other paragraphs as
    /// candidates (0 = off).
    pub siblings: usize,
    /// Rule 4: factor applied to paragraphs in the other language (1 = off).
    pub other_language: f32,
    /// Bonus for the query's words near each other (0 = off).
    pub proximity: f32,
}

impl Default for RankConfig {
    fn default() -> Self {
        RankConfig {
            bm25: Bm25Params::default(),
            partial: true,
            statement: 2.0,
            siblings: 10,
            other_language: 0.8,
            proximity: 1.0,
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
    /// Holds every slot.
    Full = 3,
}

/// One part of the query to rank by.
pub struct SlotQuery {
    /// Matches the paragraphs holding the part (paragraph text fields),
    /// scored.
    pub query: Box<dyn Query>,
    /// Matches the paragraphs whose statement title holds the part.
    pub title: Option<Box<dyn Query>>,
    /// The slots it stands for: one bit, or two for the joined form of two
    /// adjacent words.
    pub bits: u32,
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
    /// Index of its statement in [`Ranking::statements`].
    pub statement: usize,
}

/// What the ranking knows of one statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Segment holding it.
    pub segment: SegmentOrdinal,
    /// Ordinal of its id in the segment's `doc_id` column.
    pub ord: u64,
    /// Its number of paragraphs.
    pub size: u32,
    /// Whether it is an English statement.
    pub english: bool,
    /// Paragraphs holding each slot.
    pub counts: [u16; MAX_SLOTS],
    /// Slots found in its title.
    pub title: u32,
    /// Its statement-level score.
    pub score: Score,
}

/// The outcome of [`rank`].
pub struct Ranking {
    /// Every candidate, best first (ties in index order).
    pub candidates: Vec<Candidate>,
    /// Number of paragraphs holding every slot.
    pub full: usize,
    /// The statements the candidates belong to.
    pub statements: Vec<Statement>,
    /// Per slot: the number of paragraphs holding it.
    pub found: Vec<u64>,
    /// Whether the query's words were judged English.
    pub english_query: bool,
}

/// Per-segment readers of the columns ranking needs.
struct Columns {
    doc_id: Option<StrColumn>,
    size: Column<u64>,
    lang: Option<StrColumn>,
}

/// Ranks the paragraphs matching `slots` (`words` slots in all) among
/// those passing `filter` (dates, fields, exclusions; `None` = all).
/// `page` is the number of hits the caller will show (offset included):
/// partial matches are added only when fewer full matches exist.
/// `english_docs` is the number of English paragraphs in the index.
///
/// # Errors
/// Tantivy errors while reading the index.
pub fn rank(
    searcher: &tantivy::Searcher,
    slots: &[SlotQuery],
    words: usize,
    filter: Option<&dyn Query>,
    page: usize,
    english_docs: u64,
    config: &RankConfig,
) -> tantivy::Result<Ranking> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights = slots
        .iter()
        .map(|s| s.query.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let title_weights = slots
        .iter()
        .map(|s| s.title.as_ref().map(|t| t.weight(scoring)).transpose())
        .collect::<tantivy::Result<Vec<_>>>()?;
    let filter_weight = filter
        .map(|f| f.weight(EnableScoring::disabled_from_searcher(searcher)))
        .transpose()?;
    let mut visits = Vec::new();
    let mut statements: Vec<Statement> = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let segment = ord as SegmentOrdinal;
        let fast = reader.fast_fields();
        let columns = Columns {
            doc_id: fast.str("doc_id")?,
            size: fast.u64("statement_size")?,
            lang: fast.str("lang")?,
        };
        let mut scorers: Vec<(Box<dyn Scorer>, u32, bool)> = Vec::new();
        for (i, w) in weights.iter().enumerate() {
            scorers.push((w.scorer(reader, 1.0)?, slots[i].bits, false));
        }
        for (i, w) in title_weights.iter().enumerate() {
            if let Some(w) = w {
                scorers.push((w.scorer(reader, 1.0)?, slots[i].bits, true));
            }
        }
        let mut filter = filter_weight
            .as_ref()
            .map(|w| w.scorer(reader, 1.0))
            .transpose()?;
        let alive = reader.alive_bitset();
        let mut seen: FxHashMap<u64, usize> = FxHashMap::default();
        visit_union(&mut scorers, |doc, body, title, score| {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return;
            }
            if let Some(f) = filter.as_mut() {
                if f.doc() < doc {
                    f.seek(doc);
                }
                if f.doc() != doc {
                    return;
                }
            }
            let key = columns
                .doc_id
                .as_ref()
                .and_then(|c| c.ords().first(doc))
                .unwrap_or(u64::MAX);
            let at = *seen.entry(key).or_insert_with(|| {
                statements.push(new_statement(&columns, segment, key, doc));
                statements.len() - 1
            });
            let st = &mut statements[at];
            st.title |= title;
            for (bit, count) in st.counts.iter_mut().enumerate().take(words) {
                if body & (1 << bit) != 0 {
                    *count = count.saturating_add(1);
                }
            }
            visits.push(Candidate {
                address: DocAddress::new(segment, doc),
                score,
                tier: Tier::Partial,
                matched: body,
                statement: at,
            });
        })?;
    }
    Ok(order(
        searcher,
        visits,
        statements,
        words,
        page,
        english_docs,
        config,
    ))
}

fn new_statement(columns: &Columns, segment: SegmentOrdinal, ord: u64, doc: DocId) -> Statement {
    let english = columns.lang.as_ref().is_some_and(|c| {
        let mut s = String::new();
        c.ords()
            .first(doc)
            .is_some_and(|o| c.ord_to_str(o, &mut s).is_ok() && s == "en")
    });
    Statement {
        segment,
        ord,
        size: columns.size.first(doc).unwrap_or(1).max(1) as u32,
        english,
        counts: [0; MAX_SLOTS],
        title: 0,
        score: 0.0,
    }
}

/// Visits, in doc order, every document matched by one of `scorers`, with
/// the bits of the body and title scorers found on it and the summed score
/// of the body ones.
fn visit_union(
    scorers: &mut [(Box<dyn Scorer>, u32, bool)],
    mut visit: impl FnMut(DocId, u32, u32, Score),
) -> tantivy::Result<()> {
    loop {
        let doc = scorers
            .iter()
            .map(|s| s.0.doc())
            .min()
            .unwrap_or(TERMINATED);
        if doc == TERMINATED {
            return Ok(());
        }
        let (mut body, mut title, mut score) = (0u32, 0u32, 0.0f32);
        for (scorer, bits, is_title) in scorers.iter_mut() {
            if scorer.doc() == doc {
                if *is_title {
                    title |= *bits;
                } else {
                    body |= *bits;
                    score += scorer.score();
                }
                scorer.advance();
            }
        }
        visit(doc, body, title, score);
    }
}

/// Applies the ranking rules to the visited paragraphs.
fn order(
    searcher: &tantivy::Searcher,
    visits: Vec<Candidate>,
    mut statements: Vec<Statement>,
    words: usize,
    page: usize,
    english_docs: u64,
    config: &RankConfig,
) -> Ranking {
    let all: u32 = if words >= 32 {
        u32::MAX
    } else {
        (1u32 << words) - 1
    };
    let docs = searcher.num_docs().max(1);
    let mut found = vec![0u64; words];
    let mut found_en = vec![0u64; words];
    for v in &visits {
        for (bit, f) in found.iter_mut().enumerate() {
            if v.matched & (1 << bit) != 0 {
                *f += 1;
                if statements[v.statement].english {
                    found_en[bit] += 1;
                }
            }
        }
    }
    let weight: Vec<f32> = found.iter().map(|&n| idf(n.max(1), docs)).collect();
    let total_weight: f32 = weight.iter().sum();
    let english_query = english_query(&found, &found_en, english_docs, docs);
    statement_scores(&mut statements, &weight, config);
    let full = visits.iter().filter(|v| v.matched & all == all).count();
    // Rule 2: the best statements holding every slot lend their paragraphs.
    let mut lenders: Vec<usize> = (0..statements.len())
        .filter(|&i| statement_mask(&statements[i], words) & all == all)
        .collect();
    lenders.sort_by(|&a, &b| statements[b].score.total_cmp(&statements[a].score));
    lenders.truncate(config.siblings);
    let partial_wanted = config.partial && full < page;
    let mut candidates: Vec<Candidate> = Vec::with_capacity(visits.len());
    for mut v in visits {
        let st = &statements[v.statement];
        let covered: f32 = (0..words)
            .filter(|b| v.matched & (1 << b) != 0)
            .map(|b| weight[b])
            .sum();
        v.tier = if v.matched & all == all {
            Tier::Full
        } else if lenders.contains(&v.statement) {
            Tier::Statement
        } else if partial_wanted && v.matched != 0 && covered >= 0.5 * total_weight - 1e-6 {
            Tier::Partial
        } else {
            continue;
        };
        let language = if st.english == english_query {
            1.0
        } else {
            config.other_language
        };
        v.score = v.score * language + config.statement * st.score;
        if v.tier == Tier::Partial {
            // Rule 3: the most important words first, then the score.
            v.score += PARTIAL_STEP * covered / total_weight.max(f32::EPSILON);
        }
        candidates.push(v);
    }
    let lent = lend_siblings(
        searcher,
        &statements,
        &lenders,
        &candidates,
        config,
        english_query,
    );
    candidates.extend(lent);
    candidates.sort_by(|a, b| {
        b.tier
            .cmp(&a.tier)
            .then(b.score.total_cmp(&a.score))
            .then(a.address.cmp(&b.address))
    });
    Ranking {
        candidates,
        full,
        statements,
        found,
        english_query,
    }
}

/// Slots a statement holds in its paragraphs or title.
fn statement_mask(st: &Statement, words: usize) -> u32 {
    let mut mask = st.title;
    for (bit, &c) in st.counts.iter().enumerate().take(words) {
        if c > 0 {
            mask |= 1 << bit;
        }
    }
    mask
}

/// Statement-level BM25: each slot's count of paragraphs against the
/// statement's number of paragraphs, plus the slot's weight when the title
/// holds it.
fn statement_scores(statements: &mut [Statement], weight: &[f32], config: &RankConfig) {
    const K1: f32 = 1.2;
    const B: f32 = 0.5;
    if statements.is_empty() {
        return;
    }
    let average = statements.iter().map(|s| s.size as f32).sum::<f32>() / statements.len() as f32;
    let _ = config;
    for st in statements.iter_mut() {
        let norm = K1 * (1.0 - B + B * st.size as f32 / average.max(1.0));
        let mut score = 0.0;
        for (bit, &w) in weight.iter().enumerate() {
            let c = st.counts[bit] as f32;
            score += w * (K1 + 1.0) * c / (c + norm);
            if st.title & (1 << bit) != 0 {
                score += w;
            }
        }
        st.score = score;
    }
}

/// Whether the query's words are English: for most slots, at least as
/// many matching paragraphs are English as not. (Shares of each language
/// would mislead: an index's few English paragraphs are often all on the
/// subject of its statements.)
fn english_query(found: &[u64], found_en: &[u64], english_docs: u64, docs: u64) -> bool {
    if english_docs == 0 || english_docs >= docs {
        return english_docs > 0;
    }
    let votes = found
        .iter()
        .zip(found_en)
        .filter(|(&all, &en)| en > 0 && en >= all - en)
        .count();
    votes * 2 > found.len()
}

/// The other paragraphs of the lending statements, as [`Tier::Statement`]
/// candidates scored by their statement.
fn lend_siblings(
    searcher: &tantivy::Searcher,
    statements: &[Statement],
    lenders: &[usize],
    candidates: &[Candidate],
    config: &RankConfig,
    english_query: bool,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for &at in lenders {
        let st = &statements[at];
        let reader = searcher.segment_reader(st.segment);
        let Ok(Some(column)) = reader.fast_fields().str("doc_id") else {
            continue;
        };
        let ords = column.ords();
        let alive = reader.alive_bitset();
        // A statement's paragraphs are contiguous (added in one batch):
        // scan around a paragraph already seen.
        let Some(seed) = candidates
            .iter()
            .find(|c| c.statement == at)
            .map(|c| c.address.doc_id)
        else {
            continue;
        };
        let same = |d: DocId| ords.first(d) == Some(st.ord);
        let mut first = seed;
        while first > 0 && same(first - 1) {
            first -= 1;
        }
        let mut doc = first;
        while doc < reader.max_doc() && same(doc) {
            let taken = candidates
                .iter()
                .any(|c| c.address.segment_ord == st.segment && c.address.doc_id == doc);
            if !taken && !alive.is_some_and(|a| a.is_deleted(doc)) {
                out.push(Candidate {
                    address: DocAddress::new(st.segment, doc),
                    score: config.statement.max(0.1)
                        * st.score
                        * if st.english == english_query {
                            1.0
                        } else {
                            config.other_language
                        },
                    tier: Tier::Statement,
                    matched: 0,
                    statement: at,
                });
            }
            doc += 1;
        }
    }
    out
}
