//! French search cases, each run through the `vigie` binary's `--json`
//! output: the case's paragraphs become one statement (paragraph i of the
//! case is paragraph i+1 of the statement), the query runs, and the test
//! checks which paragraphs match, which must not, and which words are
//! highlighted (compared in NFC, since a highlight of NFD text is NFD).
//!
//! Two case files: `../shared/cases/french-cases.jsonl` (drawn from real bug
//! reports of other search tools; reported as ignored when `../shared` is
//! absent, see `common::shared`) and `tests/cases/vigie-cases.jsonl` (ours: synthetic
//! paragraphs written for these tests, one or more cases per kind of
//! French phenomenon).

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    text: Vec<String>,
    query: String,
    must_match: Vec<usize>,
    #[serde(default)]
    must_not_match: Vec<usize>,
    #[serde(default)]
    highlight: Vec<String>,
    #[serde(default)]
    what: String,
}

fn load(path: &Path) -> Vec<Case> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Runs one case; returns a description of what went wrong, if anything.
fn check(case: &Case) -> Option<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = serde_json::json!({
        "id": format!("case-{}", case.id),
        "title": format!("Case {}", case.id),
        "date": null,
        "lang": "fr",
        "source": "vigie tests",
        "url": null,
        "paragraphs": case.text,
    });
    let file = dir.path().join("case.jsonl");
    std::fs::write(&file, format!("{doc}\n")).expect("write case");
    let index = build_index(dir.path(), &[&file]);
    let run = search_json(dir.path(), &index, &case.query, 100);
    let mut problems = Vec::new();
    if run.code == 2 || run.stderr.contains("panicked") {
        problems.push(format!("exit {} stderr {}", run.code, run.stderr));
    }
    // A paragraph matches when it is a full hit; partial hits (some words,
    // or found through the statement) are marked as such and do not count.
    let matched: HashMap<usize, &JsonHit> = run
        .hits
        .iter()
        .filter(|h| !h.partial())
        .map(|h| (h.paragraph as usize - 1, h))
        .collect();
    for i in &case.must_match {
        if !matched.contains_key(i) {
            problems.push(format!("paragraph {i} should match"));
        }
    }
    for i in &case.must_not_match {
        if matched.contains_key(i) {
            problems.push(format!("paragraph {i} must not match"));
        }
    }
    // Expected highlights, as a multiset, must all be found among the
    // highlights of the paragraphs that must match.
    let mut marked: Vec<String> = case
        .must_match
        .iter()
        .filter_map(|i| matched.get(i))
        .flat_map(|h| h.marked().into_iter().map(nfc))
        .collect();
    for want in &case.highlight {
        let want = nfc(want);
        match marked.iter().position(|m| *m == want) {
            Some(k) => {
                marked.remove(k);
            }
            None => problems.push(format!("`{want}` not highlighted (left: {marked:?})")),
        }
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!(
            "{} [{}] query {:?}: {}",
            case.id,
            case.what,
            case.query,
            problems.join("; ")
        ))
    }
}

fn run_file(path: &Path) {
    let cases = load(path);
    assert!(!cases.is_empty(), "{} has no case", path.display());
    let failures: Vec<String> = cases.iter().filter_map(check).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed in {}:\n{}",
        failures.len(),
        cases.len(),
        path.display(),
        failures.join("\n")
    );
    eprintln!("{}: {} cases passed", path.display(), cases.len());
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn shared_french_cases() {
    let path = shared("cases/french-cases.jsonl");
    run_file(&path);
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn shared_french_cases_2() {
    let path = shared("cases/french-cases-2.jsonl");
    run_file(&path);
}

#[test]
fn vigie_french_cases() {
    run_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/vigie-cases.jsonl"));
}
