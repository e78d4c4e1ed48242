//! Ranking behaviour through the binary (issue 17), on a small synthetic
//! fixture written here: full matches before partial ones, the partial
//! mark in JSON, CSV and human output, `--all-words`, the phrase fallback,
//! statement-level evidence (titles, paragraphs lent by a statement), the
//! rarity rule for partial matches, and exit codes.

mod common;

use std::path::PathBuf;

use common::*;

/// SYNTHETIC statements: paragraphs written for these tests.
const FIXTURE: &str = concat!(
    r#"{"id":"ingerences","lang":"fr","title":"Déclaration sur les ingérences étrangères","paragraphs":["SYNTHETIC TEST TEXT. Le Conseil condamne les campagnes visant les processus électoraux.","SYNTHETIC TEST TEXT. Les Alliés renforceront leur coopération face à ces menaces."]}"#,
    "\n",
    r#"{"id":"coree","lang":"fr","title":"Communiqué","paragraphs":["SYNTHETIC TEST TEXT. Le Conseil condamne les essais de missiles de la Corée du Nord.","SYNTHETIC TEST TEXT. La Corée est appelée à reprendre le dialogue.","SYNTHETIC TEST TEXT. Le vent du nord souffle sur la côte."]}"#,
    "\n",
    r#"{"id":"meteo","lang":"fr","title":"Bulletin","paragraphs":["SYNTHETIC TEST TEXT. Le nord du pays reste froid.","SYNTHETIC TEST TEXT. Le nord-est connaît des averses.","SYNTHETIC TEST TEXT. Pluie au nord."]}"#,
    "\n",
    r#"{"id":"cyber","lang":"fr","title":"Cyberespace","paragraphs":["SYNTHETIC TEST TEXT. La stabilité du cyberespace est une priorité commune.","SYNTHETIC TEST TEXT. Les vols d’informations ou de données confidentielles se multiplient.","SYNTHETIC TEST TEXT. Le droit international s'applique au cyberespace."]}"#,
    "\n",
);

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.jsonl");
    std::fs::write(&file, FIXTURE).expect("write fixture");
    let idx = build_index(dir.path(), &[&file]);
    (dir, idx)
}

fn keys(r: &SearchRun) -> Vec<(String, u64, bool)> {
    r.hits
        .iter()
        .map(|h| (h.doc_id.clone(), h.paragraph, h.partial()))
        .collect()
}

#[test]
fn two_words_never_together_give_partial_hits_not_nothing() {
    let (dir, idx) = fixture();
    // "stabilité" and "données" never share a paragraph.
    let r = search_json(dir.path(), &idx, "stabilité données", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let k = keys(&r);
    assert!(k.contains(&("cyber".into(), 1, true)), "{k:?}");
    assert!(k.contains(&("cyber".into(), 2, true)), "{k:?}");
    assert!(k.iter().all(|h| h.2), "every hit is partial: {k:?}");
    let first = &r.hits[0];
    assert_eq!(
        first.raw["matched_terms"].as_array().map(|a| a.len()),
        Some(1)
    );
    assert!(r.stderr.contains("marked partial"), "{}", r.stderr);
    // Strict AND: nothing, exit 1.
    let strict = search_json_with(dir.path(), &idx, "stabilité données", 10, &["--all-words"]);
    assert_eq!(strict.code, 1);
    assert!(strict.hits.is_empty());
}

#[test]
fn full_matches_come_before_partial_ones() {
    let (dir, idx) = fixture();
    let r = search_json(dir.path(), &idx, "Corée nord", 10);
    let k = keys(&r);
    assert_eq!(k[0], ("coree".to_string(), 1, false), "{k:?}");
    let first_partial = k.iter().position(|h| h.2).unwrap_or(k.len());
    assert!(k[first_partial..].iter().all(|h| h.2), "{k:?}");
}

#[test]
fn a_common_word_alone_never_stands_for_the_rare_one() {
    let (dir, idx) = fixture();
    // `nord` is far more frequent than `Corée`: weather paragraphs holding
    // only `nord` must not come as partial matches of `Corée du Nord`.
    let r = search_json(dir.path(), &idx, "Corée du Nord", 20);
    let k = keys(&r);
    assert!(!k.iter().any(|h| h.0 == "meteo"), "{k:?}");
    assert!(
        k.contains(&("coree".into(), 2, true)),
        "Corée alone is partial: {k:?}"
    );
}

#[test]
fn a_title_that_holds_the_query_finds_its_statement() {
    let (dir, idx) = fixture();
    // The words are only in the title of the statement.
    let r = search_json(dir.path(), &idx, "ingérences étrangères", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let k = keys(&r);
    assert!(
        !k.is_empty() && k.iter().all(|h| h.0 == "ingerences" && h.2),
        "{k:?}"
    );
    assert!(r.hits.iter().all(|h| h.raw["via"] == "statement"));
}

#[test]
fn a_phrase_that_finds_nothing_falls_back_with_a_note() {
    let (dir, idx) = fixture();
    // "vol de données" never occurs as written (inflections aside);
    // "vols d'informations ou de données" has the words near each other.
    let r = search_json(dir.path(), &idx, "\"vol de données\"", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(keys(&r)[0], ("cyber".to_string(), 2, true));
    assert!(r.stderr.contains("near each other"), "{}", r.stderr);
    // --all-words keeps the phrase strict.
    let strict = search_json_with(dir.path(), &idx, "\"vol de données\"", 10, &["--all-words"]);
    assert_eq!(strict.code, 1);
}

#[test]
fn words_never_near_each_other_are_searched_anywhere() {
    let (dir, idx) = fixture();
    let r = search_json(dir.path(), &idx, "\"stabilité droit\"", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("anywhere"), "{}", r.stderr);
    assert!(r.hits.iter().all(|h| h.partial()));
}

#[test]
fn partial_mark_in_human_and_csv_output() {
    let (dir, idx) = fixture();
    let out = vigie(dir.path())
        .args(["search", "--color", "never", "--index"])
        .arg(&idx)
        .arg("stabilité données")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("partial: stabilité"), "{text}");
    let out = vigie(dir.path())
        .args(["search", "--format", "csv", "--index"])
        .arg(&idx)
        .arg("stabilité données")
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",partial,matched_terms"));
    assert!(csv.lines().nth(1).unwrap().contains(",true,"), "{csv}");
}

#[test]
fn nothing_at_all_still_exits_1() {
    let (dir, idx) = fixture();
    let r = search_json(dir.path(), &idx, "zzzzqx", 10);
    assert_eq!(r.code, 1);
    assert!(r.hits.is_empty());
}

#[test]
fn unknown_rule_is_an_error() {
    let (dir, idx) = fixture();
    let out = vigie(dir.path())
        .args(["search", "--without-rule", "nope", "--index"])
        .arg(&idx)
        .arg("cyberespace")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
