//! `--parallel` on the Paris Call, whose French and English versions
//! (`../shared/corpus/statements-{fr,en}.jsonl`) pair by id and differ by
//! one paragraph (25 French, 24 English: the English merges two).

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::*;

fn index() -> &'static (tempfile::TempDir, PathBuf) {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let fr = shared("corpus/statements-fr.jsonl");
        let en = shared("corpus/statements-en.jsonl");
        let dir = tempfile::tempdir().expect("tempdir");
        let idx = build_index(dir.path(), &[&fr, &en]);
        (dir, idx)
    })
}

/// A hit's (doc_id, paragraph), and its twin's (doc_id, paragraph, text).
type Pair = (String, u64, Option<(String, u64, String)>);

/// The hits of a `--parallel` search, with their twins.
fn pairs(args: &[&str]) -> Vec<Pair> {
    let (dir, idx) = index();
    let out = vigie(dir.path())
        // Full matches only: these tests are about twins, not ranking.
        .args([
            "search",
            "--json",
            "--parallel",
            "--all-words",
            "-n",
            "50",
            "--index",
        ])
        .arg(idx)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "hit")
        .map(|v| {
            let twin = v.get("twin").map(|t| {
                (
                    t["doc_id"].as_str().unwrap().to_string(),
                    t["paragraph"].as_u64().unwrap(),
                    t["text"].as_str().unwrap().to_string(),
                )
            });
            (
                v["doc_id"].as_str().unwrap().to_string(),
                v["paragraph"].as_u64().unwrap(),
                twin,
            )
        })
        .collect()
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn french_hits_show_the_english_paragraph() {
    let hits = pairs(&["--lang", "fr", "\"12 novembre 2018\""]);
    // The date closes the Call (§25) and opens the intention text (§2).
    let (_, _, twin) = hits
        .iter()
        .find(|h| h.0 == "fr-pariscall-call" && h.1 == 25)
        .unwrap_or_else(|| panic!("no Call §25 in {hits:?}"));
    let (tid, tn, ttext) = twin.as_ref().expect("twin");
    assert_eq!((tid.as_str(), *tn), ("en-pariscall-call", 24));
    assert!(ttext.contains("12th of November, 2018"), "{ttext}");
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn first_paragraphs_pair_and_the_merge_is_skipped_over() {
    let hits = pairs(&["--lang", "fr", "cyberespace"]);
    let call: Vec<_> = hits.iter().filter(|h| h.0 == "fr-pariscall-call").collect();
    let first = call
        .iter()
        .find(|h| h.1 == 1)
        .expect("§1 of the Call mentions le cyberespace");
    let twin = first.2.as_ref().expect("twin");
    assert_eq!(twin.1, 1);
    assert!(twin.2.starts_with("Cyberspace now plays"), "{}", twin.2);
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn english_hits_show_the_french_paragraph() {
    let hits = pairs(&["--lang", "en", "\"12th of November\""]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let twin = hits[0].2.as_ref().expect("twin");
    assert_eq!((twin.0.as_str(), twin.1), ("fr-pariscall-call", 25));
    assert!(twin.2.contains("12 novembre 2018"));
}

/// `vigie search ARGS --index IDX QUERY`, run in `scratch`.
fn search(
    scratch: &std::path::Path,
    idx: &std::path::Path,
    args: &[&str],
    query: &str,
) -> std::process::Output {
    vigie(scratch)
        .arg("search")
        .args(args)
        .arg("--index")
        .arg(idx)
        .arg(query)
        .output()
        .unwrap()
}

#[test]
fn statements_without_a_twin_have_none() {
    // The seed statement has no English version in the collection.
    let dir = tempfile::tempdir().unwrap();
    let idx = build_index(dir.path(), &[&bundled_corpus()]);
    let out = search(dir.path(), &idx, &["--json", "--parallel"], "Exchange");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"type\":\"hit\""));
    assert!(!text.contains("\"twin\""), "{text}");
    // CSV has no twin columns: the flag could only be ignored, so it says so.
    let csv = search(
        dir.path(),
        &idx,
        &["--format", "csv", "--parallel"],
        "Exchange",
    );
    assert!(
        String::from_utf8_lossy(&csv.stderr).contains("--parallel: CSV has no columns"),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    // Silence would read as a broken flag: stderr says why.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--parallel: no statement of these hits has a version in the other language"),
        "{err}"
    );
}

#[test]
fn an_explicit_twin_field_links_statements() {
    // SYNTHETIC statements whose ids share nothing; only `twin` links them.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("twins.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"communique-alpha","lang":"fr","twin":"cx-2024","title":"Communiqué","paragraphs":["SYNTHETIC TEST TEXT. Les Alliés condamnent le sabotage des câbles sous-marins.","Ils renforcent la surveillance."]}"#,
            "\n",
            r#"{"id":"statement-omega","lang":"en","twin":"cx-2024","title":"Statement","paragraphs":["SYNTHETIC TEST TEXT. Allies condemn the sabotage of undersea cables.","They strengthen surveillance."]}"#,
            "\n"
        ),
    )
    .unwrap();
    let idx = build_index(dir.path(), &[&file]);
    let out = search(
        dir.path(),
        &idx,
        &["--json", "--parallel", "--all-words"],
        "sabotage",
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("--parallel: no statement"),
        "hits with twins get no note"
    );
    let hits: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["type"] == "hit")
        .collect();
    assert_eq!(hits.len(), 2);
    for h in &hits {
        let other = if h["doc_id"] == "communique-alpha" {
            "statement-omega"
        } else {
            "communique-alpha"
        };
        assert_eq!(h["twin"]["doc_id"], other, "{h}");
        assert_eq!(h["twin"]["paragraph"], 1);
    }
}

#[test]
fn docs_lists_a_statement_found_through_its_translation_once() {
    // SYNTHETIC: three French paragraphs about sabotage; the English
    // translation says "tampering" and holds the word in none. Its
    // paragraphs come as translations of the French matches, and `--docs`
    // names the statement once, not once per paragraph.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("twins.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"communique-fr","lang":"fr","twin":"cx-1","title":"Communiqué","paragraphs":["SYNTHETIC TEST TEXT. Le sabotage des câbles est condamné.","SYNTHETIC TEST TEXT. Un sabotage des gazoducs aussi.","SYNTHETIC TEST TEXT. Tout sabotage sera puni."]}"#,
            "\n",
            r#"{"id":"statement-en","lang":"en","twin":"cx-1","title":"Statement","paragraphs":["SYNTHETIC TEST TEXT. Tampering with cables is condemned.","SYNTHETIC TEST TEXT. Tampering with pipelines too.","SYNTHETIC TEST TEXT. Any tampering will be punished."]}"#,
            "\n"
        ),
    )
    .unwrap();
    let idx = build_index(dir.path(), &[&file]);
    let r = search_json_with(dir.path(), &idx, "sabotage", 10, &["--docs"]);
    let ids: Vec<&str> = r.hits.iter().map(|h| h.doc_id.as_str()).collect();
    assert_eq!(ids, ["communique-fr", "statement-en"], "{}", r.stdout);
    assert_eq!(r.hits[1].raw["via"], "twin", "{}", r.stdout);
}
