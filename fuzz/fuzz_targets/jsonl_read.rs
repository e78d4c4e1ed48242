//! The JSON Lines reader never panics on any bytes; every document it
//! yields has an id and paragraphs numbered 1..n.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut docs = Vec::new();
    let result = vigie::corpus::jsonl::read_jsonl(
        bytes,
        Path::new("fuzz.jsonl"),
        &mut |d| docs.push(d),
        &mut |_| {},
    );
    assert!(result.is_ok(), "in-memory reads do not fail");
    for d in &docs {
        assert!(!d.id.is_empty());
        for (i, p) in d.paragraphs.iter().enumerate() {
            assert_eq!(p.number, i as u64 + 1);
        }
    }
});
