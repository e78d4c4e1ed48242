//! Property tests, run in CI: the query parser, the French analyzer and the
//! statement readers never panic, whatever Unicode (or bytes) they get, and
//! keep their documented invariants. The same inputs are fuzzed for longer
//! by the cargo-fuzz targets in `fuzz/` (not run in CI).

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;

use vigie::corpus::{self, jsonl, txt, CorpusError, Document};

/// Text mixing what the parsers care about (operators, quotes, brackets,
/// digits, line breaks, bullets, elisions, combining marks) with any
/// Unicode scalar.
fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("’".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("*".to_string()),
        Just("~".to_string()),
        Just(":".to_string()),
        Just("OR".to_string()),
        Just("AND".to_string()),
        Just("NOT".to_string()),
        Just("1.".to_string()),
        Just("12. ".to_string()),
        Just("• ".to_string()),
        Just("l'".to_string()),
        Just("qu’".to_string()),
        Just("cyber-défense".to_string()),
        Just("O.T.A.N".to_string()),
        Just("e\u{301}".to_string()),
        Just("1ᵉʳ".to_string()),
        Just("œ".to_string()),
        Just("ß".to_string()),
        Just("İ".to_string()),
        Just("19 juillet 2021".to_string()),
        Just("(2021) 120".to_string()),
        Just("Issued on".to_string()),
        "[a-zA-Zéèêàçù0-9]{1,12}",
    ];
    proptest::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn query_parser_never_panics(q in tricky_text(40)) {
        let parsed = vigie::search::query::parse(&q);
        for note in &parsed.notes {
            prop_assert!(note.position.is_none_or(|at| at <= q.len()), "{note:?} in {q:?}");
        }
    }

    #[test]
    fn query_parser_never_panics_on_any_string(q in any::<String>()) {
        vigie::search::query::parse(&q);
    }

    #[test]
    fn french_analyzer_offsets_stay_on_char_boundaries(text in tricky_text(60)) {
        for mut analyzer in [vigie::analysis::french(), vigie::analysis::french_exact()] {
            let mut stream = analyzer.token_stream(&text);
            while stream.advance() {
                let t = stream.token();
                prop_assert!(t.offset_from <= t.offset_to, "{t:?} in {text:?}");
                prop_assert!(t.offset_to <= text.len(), "{t:?} in {text:?}");
                prop_assert!(text.is_char_boundary(t.offset_from), "{t:?} in {text:?}");
                prop_assert!(text.is_char_boundary(t.offset_to), "{t:?} in {text:?}");
                prop_assert!(!t.text.is_empty(), "{t:?} in {text:?}");
            }
        }
    }

    #[test]
    fn french_analyzer_never_panics_on_any_string(text in any::<String>()) {
        let mut analyzer = vigie::analysis::french();
        let mut stream = analyzer.token_stream(&text);
        while stream.advance() {}
    }

    #[test]
    fn txt_parser_never_panics(text in tricky_text(80)) {
        // Paragraph numbers are the printed ones (`0.` gives 0).
        if let Ok(doc) = txt::parse_txt(&text, Path::new("x.txt")) {
            prop_assert!(!doc.paragraphs.is_empty());
        }
    }

    #[test]
    fn txt_parser_never_panics_on_any_string(text in any::<String>()) {
        let _ = txt::parse_txt(&text, Path::new("x.txt"));
    }

    #[test]
    fn jsonl_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let (docs, problems, records) = read_jsonl(&bytes);
        prop_assert!(docs.len() as u64 <= records);
        prop_assert!(problems.len() as u64 <= 2 * records);
    }

    #[test]
    fn jsonl_reader_never_panics_on_near_json(lines in proptest::collection::vec(json_ish_line(), 0..8)) {
        let input = lines.join("\n");
        let (docs, _, _) = read_jsonl(input.as_bytes());
        for d in &docs {
            prop_assert!(!d.id.is_empty());
            let numbers: Vec<u64> = d.paragraphs.iter().map(|p| p.number).collect();
            let expected: Vec<u64> = (1..=d.paragraphs.len() as u64).collect();
            prop_assert_eq!(numbers, expected);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The whole reading path, through files (sniffing, size checks, UTF-8
    /// checks), for both formats.
    #[test]
    fn read_file_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256), text in tricky_text(40)) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, content) in [
            ("a.txt", bytes.clone()),
            ("b.jsonl", bytes.clone()),
            ("c.txt", text.clone().into_bytes()),
            ("d.jsonl", text.clone().into_bytes()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &content).expect("write");
            let _ = corpus::read_file(&path, &mut |_| {}, &mut |_| {});
        }
    }

    /// Queries go through the planner and a real index without panicking.
    #[test]
    fn search_never_panics(q in tricky_text(24)) {
        let searcher = searcher();
        let options = vigie::search::SearchOptions {
            limit: 5,
            ..Default::default()
        };
        let _ = searcher.search(&q, &options);
    }
}

fn json_ish_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_string()),
        Just("1".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("[1,\"a\"]".to_string()),
        tricky_text(6).prop_map(|s| serde_json::Value::String(s).to_string()),
        proptest::collection::vec(tricky_text(6), 0..4)
            .prop_map(|v| serde_json::Value::from(v).to_string()),
    ];
    let key = prop_oneof![
        Just("id"),
        Just("paragraphs"),
        Just("title"),
        Just("date"),
        Just("lang"),
        Just("source"),
        Just("url"),
        Just("reference"),
        Just("other"),
    ];
    let object = proptest::collection::vec((key, value), 0..6).prop_map(|fields| {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    });
    prop_oneof![
        4 => object,
        1 => tricky_text(10),
        1 => object_prefix(),
    ]
}

/// A truncated object: JSON cut anywhere.
fn object_prefix() -> impl Strategy<Value = String> {
    (0usize..40).prop_map(|cut| {
        let full = "{\"id\":\"a\",\"date\":\"2021-07-19\",\"paragraphs\":[\"é\",\"ü\"]}";
        let mut end = cut.min(full.len());
        while !full.is_char_boundary(end) {
            end -= 1;
        }
        full[..end].to_string()
    })
}

fn read_jsonl(bytes: &[u8]) -> (Vec<Document>, Vec<CorpusError>, u64) {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    let records = jsonl::read_jsonl(
        bytes,
        Path::new("p.jsonl"),
        &mut |d| docs.push(d),
        &mut |p| problems.push(p),
    )
    .expect("in-memory reads do not fail");
    (docs, problems, records)
}

/// A searcher over the bundled statement, built once.
fn searcher() -> &'static vigie::search::Searcher {
    struct Shared {
        _dir: tempfile::TempDir,
        searcher: vigie::search::Searcher,
    }
    static SHARED: OnceLock<Shared> = OnceLock::new();
    let shared = SHARED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let handle = vigie::index::IndexHandle::open_or_create(dir.path()).expect("index");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        vigie::ingest::ingest(
            &handle,
            &[corpus],
            &vigie::ingest::IngestOptions {
                memory_bytes: 32 << 20,
                threads: 1,
            },
            &mut |e| panic!("{e}"),
            &mut |_| {},
        )
        .expect("ingest");
        let searcher = vigie::search::Searcher::new(handle).expect("searcher");
        Shared {
            _dir: dir,
            searcher,
        }
    });
    &shared.searcher
}
