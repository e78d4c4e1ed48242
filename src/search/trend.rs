//! How a query moves over time: matching paragraphs and statements per
//! year or month, and their share of all paragraphs of the period.
//!
//! This module answers "when did a theme rise?". A raw count rises with
//! the number of statements published, so each period also carries its
//! denominator, every paragraph dated in it (after the same `--lang`,
//! `--since` and `--until` filters), and the *share* is matching
//! paragraphs over all paragraphs of the period. Matching means holding
//! every part of the query, as [`super::Searcher::matching`] finds them
//! (no partial matches). Periods run without gaps from the first to the
//! last period holding a paragraph, so a year with nothing shows as zero
//! instead of vanishing; undated statements are counted apart.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::query::QueryNote;
use super::{SearchError, SearchOptions, Searcher};

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar years, labelled `2021`.
    #[default]
    Year,
    /// Calendar months, labelled `2021-07`.
    Month,
}

impl Period {
    /// The label of the period holding `date`: `2021` or `2021-07`.
    pub fn label(self, date: jiff::civil::Date) -> String {
        match self {
            Period::Year => format!("{:04}", date.year()),
            Period::Month => format!("{:04}-{:02}", date.year(), date.month()),
        }
    }

    /// The period after the one holding `date`, as its first day.
    fn next(self, date: jiff::civil::Date) -> Option<jiff::civil::Date> {
        let (y, m) = match self {
            Period::Year => (date.year().checked_add(1)?, 1),
            Period::Month if date.month() == 12 => (date.year().checked_add(1)?, 1),
            Period::Month => (date.year(), date.month() + 1),
        };
        jiff::civil::Date::new(y, m, 1).ok()
    }

    /// The first day of the period holding `date`.
    fn start(self, date: jiff::civil::Date) -> jiff::civil::Date {
        let month = if self == Period::Year {
            1
        } else {
            date.month()
        };
        jiff::civil::Date::new(date.year(), month, 1).unwrap_or(date)
    }
}

/// Counts of one period (or of the undated statements).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PeriodCounts {
    /// `2021` or `2021-07`; `null` for the undated statements.
    pub period: Option<String>,
    /// Paragraphs holding every part of the query.
    pub paragraphs: usize,
    /// Statements with at least one such paragraph.
    pub statements: usize,
    /// All paragraphs of the period (after the filters).
    pub all_paragraphs: usize,
    /// All statements of the period (after the filters).
    pub all_statements: usize,
    /// `paragraphs / all_paragraphs`, 0 when the period is empty: a ratio
    /// in `[0, 1]`, not a percentage.
    pub share: f64,
}

impl PeriodCounts {
    fn finish(&mut self) {
        self.share = if self.all_paragraphs == 0 {
            0.0
        } else {
            self.paragraphs as f64 / self.all_paragraphs as f64
        };
    }
}

/// The trend of one query.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// The query as given.
    pub query: String,
    /// The period length.
    pub by: Period,
    /// One entry per period, oldest first, without gaps.
    pub periods: Vec<PeriodCounts>,
    /// The undated statements (`period` null), when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undated: Option<PeriodCounts>,
    /// Matching paragraphs in all (dated and undated).
    pub paragraphs: usize,
    /// Matching statements in all.
    pub statements: usize,
    /// Problems worked around while reading the query.
    #[serde(skip)]
    pub notes: Vec<QueryNote>,
    /// How each query word was understood.
    #[serde(skip)]
    pub explain: Vec<String>,
}

/// The trend of `query` per `by` period over the index of `searcher`.
/// `options` gives the filters (`since`, `until`, `lang`), `exact` and
/// `strict`; paging and sorting are ignored. `source` keeps only the
/// statements whose source holds its words, in the matches and in the
/// periods' totals alike.
///
/// # Errors
/// As [`Searcher::search`]; [`SearchError::Syntax`] when `source` has no
/// searchable word.
pub fn trend(
    searcher: &Searcher,
    query: &str,
    by: Period,
    options: &SearchOptions,
    source: Option<&str>,
) -> Result<Trend, SearchError> {
    let Some(all) = searcher.all_paragraphs(options, source)? else {
        return Err(SearchError::Syntax(vec![QueryNote {
            position: None,
            message: format!("source {:?} has no searchable word", source.unwrap_or("")),
        }]));
    };
    let asked = query;
    let filtered;
    let query = match source {
        Some(s) => {
            filtered = format!("({query}) source:\"{}\"", s.replace('"', " "));
            filtered.as_str()
        }
        None => query,
    };
    // Notes name places in the query as typed: `(` shifted them by one,
    // and the source part is the `--source` option, not the query.
    let typed = |mut n: QueryNote| -> QueryNote {
        if let Some(s) = source.filter(|_| n.position.is_some()) {
            let at = n.position.unwrap_or(0);
            n.position = (1..=asked.len()).contains(&at).then(|| at - 1);
            if n.position.is_none() {
                n.message = n.message.replace(
                    &format!("source:{}", s.replace('"', " ")),
                    &format!("--source {s}"),
                );
            }
        }
        n
    };
    let matching = match searcher.matching(query, options) {
        Ok(m) => m,
        Err(SearchError::Syntax(notes)) => {
            return Err(SearchError::Syntax(notes.into_iter().map(typed).collect()))
        }
        Err(e) => return Err(e),
    };
    let mut periods: BTreeMap<jiff::civil::Date, PeriodCounts> = BTreeMap::new();
    let mut undated = PeriodCounts::default();
    for (date, opens) in all {
        let counts = match date {
            Some(d) => periods.entry(by.start(d)).or_default(),
            None => &mut undated,
        };
        counts.all_paragraphs += 1;
        counts.all_statements += usize::from(opens);
    }
    let mut seen: HashSet<(Option<jiff::civil::Date>, u32)> = HashSet::new();
    let mut statements: HashSet<u32> = HashSet::new();
    for p in &matching.paragraphs {
        let key = p.date.map(|d| by.start(d));
        let counts = match key {
            Some(d) => periods.entry(d).or_default(),
            None => &mut undated,
        };
        counts.paragraphs += 1;
        if seen.insert((key, p.statement)) {
            counts.statements += 1;
        }
        statements.insert(p.statement);
    }
    let rows = fill_gaps(by, periods);
    undated.finish();
    Ok(Trend {
        query: asked.to_string(),
        by,
        periods: rows,
        undated: (undated.all_paragraphs > 0 || undated.paragraphs > 0).then_some(undated),
        paragraphs: matching.paragraphs.len(),
        statements: statements.len(),
        notes: matching.notes.into_iter().map(typed).collect(),
        explain: matching.explain,
    })
}

/// The periods of `found` in order, labelled, with the empty periods
/// between them added as zeros. Dates in an index span at most the years
/// 1678 to 2261 ([`crate::index::storable`]), so at most 7,008 months.
fn fill_gaps(by: Period, found: BTreeMap<jiff::civil::Date, PeriodCounts>) -> Vec<PeriodCounts> {
    let (Some(&first), Some(&last)) = (found.keys().next(), found.keys().next_back()) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut at = Some(first);
    while let Some(day) = at.filter(|d| *d <= last) {
        let mut counts = found.get(&day).cloned().unwrap_or_default();
        counts.period = Some(by.label(day));
        counts.finish();
        rows.push(counts);
        at = by.next(day);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn labels_name_the_year_or_the_month() {
        assert_eq!(Period::Year.label(date(2014, 9, 5)), "2014");
        assert_eq!(Period::Month.label(date(2014, 9, 5)), "2014-09");
    }

    #[test]
    fn gaps_between_periods_are_zero_rows() {
        let mut found = BTreeMap::new();
        found.insert(
            date(2019, 1, 1),
            PeriodCounts {
                paragraphs: 1,
                all_paragraphs: 4,
                ..Default::default()
            },
        );
        found.insert(
            date(2021, 1, 1),
            PeriodCounts {
                all_paragraphs: 2,
                ..Default::default()
            },
        );
        let rows = fill_gaps(Period::Year, found);
        let labels: Vec<_> = rows.iter().map(|r| r.period.clone().unwrap()).collect();
        assert_eq!(labels, ["2019", "2020", "2021"]);
        assert_eq!(rows[0].share, 0.25);
        assert_eq!(rows[1].all_paragraphs, 0, "2020 holds nothing");
        assert_eq!(rows[1].share, 0.0, "an empty period has share 0, not NaN");
    }

    #[test]
    fn months_roll_over_the_year() {
        let mut found = BTreeMap::new();
        found.insert(date(2020, 11, 1), PeriodCounts::default());
        found.insert(date(2021, 2, 1), PeriodCounts::default());
        let labels: Vec<_> = fill_gaps(Period::Month, found)
            .into_iter()
            .map(|r| r.period.unwrap())
            .collect();
        assert_eq!(labels, ["2020-11", "2020-12", "2021-01", "2021-02"]);
    }
}
