//! The lenient query parser never panics, and its notes point inside the
//! query.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|query: &str| {
    let parsed = vigie::search::query::parse(query);
    for note in &parsed.notes {
        assert!(note.position <= query.len(), "{note:?}");
    }
});
