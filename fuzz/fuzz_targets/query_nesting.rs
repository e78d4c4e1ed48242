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

/// Longest query built: 30,000 levels of `NOT ` and then some.
const MAX_LEN: usize = 256 * 1024;

/// The bound of one search (release build with the address sanitizer):
/// 2 s, plus 200 µs a byte so that a long query may take linear time
/// (10,000 `(otan OR chine)` groups, 160 KB, take 8 s alone, twice that
/// on a busy machine) but not
/// quadratic or exponential time.
fn bound(query: &str) -> Duration {
    Duration::from_secs(2) + Duration::from_micros(200) * query.len() as u32
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
