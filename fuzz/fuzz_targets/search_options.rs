//! Any numeric and string options of a search (`limit`, `offset`,
//! `context` up to `usize::MAX`, since/until dates from `date_interval` or
//! at jiff's extremes, any `lang`, any ranking rule turned off, every
//! switch) on a real small index never panic, and the results keep their
//! shape: at most `limit` hits, at most `context` neighbours on each side,
//! highlights inside the text. `date_interval` (what `--since`/`--until`
//! and `date:` read) gives a first day no later than its last. Past bug:
//! `-n`, `--offset`, `-C` with huge values panicked.
#![no_main]

mod common;

use jiff::civil::Date;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use vigie::search::rank::{RankConfig, RULES};
use vigie::search::{SearchOptions, SortOrder};

const QUERIES: &[&str] = &[
    "otan",
    "cyberdéfense",
    "compromission serveurs",
    "\"serveurs Microsoft Exchange\"",
    "(otan OR chine) -russie",
    "date:2021 menaces",
    "lang:en threats",
    "",
];

fn number(u: &mut Unstructured) -> Result<usize> {
    Ok(match u.int_in_range(0..=7u8)? {
        0 => 0,
        1 => 1,
        2 => u.int_in_range(2..=30)?,
        3 => usize::MAX,
        4 => usize::MAX - u.int_in_range(0..=3)?,
        5 => u32::MAX as usize + u.int_in_range(0..=3)?,
        6 => i64::MAX as usize,
        _ => u.arbitrary()?,
    })
}

/// Whether dates outside the years 1678–2261 (those an index holds;
/// Tantivy dates are nanoseconds in an i64) are tried: on since the
/// conversion clamps instead of overflowing (`--since 2300`, `date:1500`).
const FAR_DATES: bool = true;

fn date(u: &mut Unstructured) -> Result<Option<Date>> {
    let date = far_date(u)?;
    let near = |d: &Date| (1678..=2261).contains(&d.year());
    Ok(date.filter(|d| FAR_DATES || near(d)))
}

fn far_date(u: &mut Unstructured) -> Result<Option<Date>> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => None,
        5 => Date::new(
            u.int_in_range(1678..=2261)?,
            u.int_in_range(1..=12)?,
            u.int_in_range(1..=31)?,
        )
        .ok(),
        1 => Some(Date::MIN),
        2 => Some(Date::MAX),
        3 => Date::new(u.arbitrary()?, u.arbitrary()?, u.arbitrary()?).ok(),
        _ => {
            let text: &str = u.arbitrary()?;
            let interval = vigie::search::query::date_interval(text);
            if let Some((first, last)) = interval {
                assert!(first <= last, "{text:?} gives {first} after {last}");
            }
            interval.map(|(first, last)| {
                if u.arbitrary().unwrap_or(false) {
                    first
                } else {
                    last
                }
            })
        }
    })
}

fn options(u: &mut Unstructured) -> Result<SearchOptions> {
    let mut ranking = RankConfig::default();
    for rule in RULES {
        if u.arbitrary()? {
            ranking = ranking.without(rule).expect("a known rule");
        }
    }
    Ok(SearchOptions {
        limit: number(u)?,
        offset: number(u)?,
        context: number(u)?,
        since: date(u)?,
        until: date(u)?,
        lang: match u.int_in_range(0..=3u8)? {
            0 => None,
            1 => Some("fr".to_string()),
            2 => Some("en".to_string()),
            _ => Some(u.arbitrary::<&str>()?.to_string()),
        },
        strict: u.arbitrary()?,
        exact: u.arbitrary()?,
        sort: if u.arbitrary()? {
            SortOrder::Date
        } else {
            SortOrder::Score
        },
        group_by_statement: u.arbitrary()?,
        count_statements: u.arbitrary()?,
        parallel: u.arbitrary()?,
        all_words: u.arbitrary()?,
        ranking,
    })
}

fuzz_target!(|bytes: &[u8]| {
    let mut u = Unstructured::new(bytes);
    let Ok(options) = options(&mut u) else {
        return;
    };
    let query = if u.arbitrary().unwrap_or(false) {
        u.arbitrary::<&str>().unwrap_or("")
    } else {
        QUERIES[u.choose_index(QUERIES.len()).unwrap_or(0)]
    };
    let Ok(results) = common::searcher().search(query, &options) else {
        return;
    };
    assert!(results.hits.len() <= options.limit);
    for hit in &results.hits {
        assert!(hit.before.len() <= options.context);
        assert!(hit.after.len() <= options.context);
        for &[from, to] in &hit.highlights {
            assert!(
                from <= to && to <= hit.text.len(),
                "{from}..{to} in {hit:?}"
            );
            assert!(hit.text.is_char_boundary(from) && hit.text.is_char_boundary(to));
        }
    }
});
