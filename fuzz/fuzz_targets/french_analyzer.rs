//! The French analyzers never panic, and every token's offsets are UTF-8
//! character boundaries inside the text (highlights slice the text with
//! them).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for mut analyzer in [vigie::analysis::french(), vigie::analysis::french_exact()] {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            assert!(
                t.offset_from <= t.offset_to && t.offset_to <= text.len(),
                "{t:?}"
            );
            assert!(text.is_char_boundary(t.offset_from), "{t:?}");
            assert!(text.is_char_boundary(t.offset_to), "{t:?}");
        }
    }
});
