//! Deeply nested queries (parentheses, NOT, `-`, quotes, OR/AND, field
//! prefixes, repeated tens of thousands of times) neither panic nor
//! overflow the stack in the parser or in a real search over a small index,
//! and each search ends within a time bound. Past bugs: 10,000 nested
//! parentheses or NOTs overflowed the stack; `NOT NOT … otan` was
//! exponential.
#![no_main]

mod common;

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "(",
    ")",
    "NOT ",
    "-",
    "+",
    "\"",
    " OR ",
    " AND ",
    " ",
    "title:",
    "date:",
    "lang:",
    "source:",
    "ref:",
    "otan ",
    "cyber* ",
    "compromision~1 ",
    "l'Alliance ",
    "sécurité ",
    "\"menaces cyber\"~3 ",
    "date:[2021 TO 2022-06] ",
    "ONU ",
    "(otan OR chine) ",
    "~",
    "*",
    ":",
    "[",
    "]",
    " TO ",
    "not ",
    "or ",
    "é",
];

/// Longest query built: 32,768 levels of `NOT `.
const MAX_LEN: usize = 128 * 1024;

/// The bound of one search (release build with the address sanitizer):
/// 2 s, plus 3 ms a word and 100 µs a byte, so that a long query may take
/// linear time but not quadratic or exponential time. Every word costs
/// about 2 ms in this build (4,096 times `otan`: 8 s; 32,768 `NOT` alone,
/// searched as words: 49 s); a `NOT NOT … otan` as deep costs 0.2 s.
fn bound(query: &str) -> Duration {
    let words = query.split_whitespace().count() as u32;
    Duration::from_secs(2)
        + Duration::from_millis(3) * words
        + Duration::from_micros(100) * query.len() as u32
}

fuzz_target!(|bytes: &[u8]| {
    let query = common::expand(bytes, PIECES, MAX_LEN);
    let parsed = vigie::search::query::parse(&query);
    for note in &parsed.notes {
        assert!(note.position <= query.len(), "{note:?}");
    }
    let options = vigie::search::SearchOptions {
        limit: 5,
        ..Default::default()
    };
    let start = Instant::now();
    let _ = common::searcher().search(&query, &options);
    let elapsed = start.elapsed();
    assert!(
        elapsed < bound(&query),
        "search took {elapsed:?} for a query of {} bytes",
        query.len()
    );
});
