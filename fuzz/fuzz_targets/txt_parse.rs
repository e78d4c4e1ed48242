//! The `.txt` statement parser never panics; a parsed statement has
//! paragraphs. (Numbers are the printed ones: a paragraph printed `0.` is
//! number 0, as this target found.)
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(doc) = vigie::corpus::txt::parse_txt(text, Path::new("fuzz.txt")) {
        assert!(!doc.paragraphs.is_empty());
    }
});
