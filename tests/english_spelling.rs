//! British and American spellings meet in English statements, through the
//! binary: a query in either spelling finds paragraphs in the other, its
//! highlights land on the words as written, and words spelt alike in both
//! (`laboratory`, `organ`) are not pulled into a family
//! ([`vigie::analysis::spelling`]).

mod common;

use std::path::Path;

use common::*;

/// SYNTHETIC statements: `gb` in British spelling, `us` in American.
const FIXTURE: &str = concat!(
    r#"{"id":"gb","lang":"en","title":"Statement on collective defence","paragraphs":["SYNTHETIC TEST TEXT. Allies strengthen their defence and their organisation.","SYNTHETIC TEST TEXT. A new centre will analyse malicious behaviour.","SYNTHETIC TEST TEXT. The training programme starts in June.","SYNTHETIC TEST TEXT. The laboratory opens in spring.","SYNTHETIC TEST TEXT. The Ministry of Defence’s behaviour analysis."]}"#,
    "\n",
    r#"{"id":"us","lang":"en","title":"Statement on partnership","paragraphs":["SYNTHETIC TEST TEXT. Partners discuss the defense budget.","SYNTHETIC TEST TEXT. The organ donation program is new.","SYNTHETIC TEST TEXT. Labor unions were consulted."]}"#,
    "\n",
);

/// `(doc_id, paragraph)` of every hit of `query` holding all its words.
fn hits(dir: &Path, idx: &Path, query: &str) -> Vec<(String, u64)> {
    search_json_with(dir, idx, query, 20, &["--all-words", "--exact"]).sorted_keys()
}

fn at(id: &str, n: u64) -> (String, u64) {
    (id.to_string(), n)
}

#[test]
fn either_spelling_finds_both() {
    let (dir, idx) = index_of(FIXTURE);
    let (d, i) = (dir.path(), idx.as_path());
    // gb §5 says "Defence’s": the possessive does not hide the word.
    let defence = vec![at("gb", 1), at("gb", 5), at("us", 1)];
    assert_eq!(hits(d, i, "defense"), defence, "American query");
    assert_eq!(hits(d, i, "defence"), defence, "British query");
    assert_eq!(hits(d, i, "organization"), [at("gb", 1)]);
    assert_eq!(hits(d, i, "center"), [at("gb", 2)]);
    assert_eq!(hits(d, i, "analyze"), [at("gb", 2)]);
    assert_eq!(hits(d, i, "behavior"), [at("gb", 2), at("gb", 5)]);
    assert_eq!(hits(d, i, "programs"), [at("gb", 3), at("us", 2)]);
    assert_eq!(hits(d, i, "labour"), [at("us", 3)]);
}

#[test]
fn words_spelt_alike_stay_apart() {
    let (dir, idx) = index_of(FIXTURE);
    let (d, i) = (dir.path(), idx.as_path());
    // `organ` is not `organisation`, `laboratory` is not `labor`.
    assert_eq!(hits(d, i, "organ"), [at("us", 2)]);
    assert_eq!(hits(d, i, "laboratory"), [at("gb", 4)]);
    assert_eq!(hits(d, i, "labor"), [at("us", 3)]);
}

#[test]
fn highlights_land_on_the_spelling_as_written() {
    let (dir, idx) = index_of(FIXTURE);
    let r = search_json_with(
        dir.path(),
        &idx,
        "defense organization",
        20,
        &["--all-words", "--exact"],
    );
    let gb = r
        .hits
        .iter()
        .find(|h| h.doc_id == "gb" && h.paragraph == 1)
        .expect("the British paragraph is a hit");
    assert_eq!(gb.marked(), ["defence", "organisation"]);
    let us = search_json_with(dir.path(), &idx, "defence", 20, &["--exact"]);
    let us = us
        .hits
        .iter()
        .find(|h| h.doc_id == "us" && h.paragraph == 1)
        .expect("the American paragraph is a hit");
    assert_eq!(us.marked(), ["defense"]);
}

#[test]
fn a_phrase_in_the_other_spelling_is_no_typo() {
    let (dir, idx) = index_of(FIXTURE);
    let r = search_json_with(
        dir.path(),
        &idx,
        "\"behavior analysis\"",
        20,
        &["--all-words"],
    );
    // The phrase is found through the stems: no "no hits for" correction.
    assert!(!r.stderr.contains("no hits for"), "{}", r.stderr);
    let keys: Vec<(String, u64)> = r
        .hits
        .iter()
        .map(|h| (h.doc_id.clone(), h.paragraph))
        .collect();
    assert_eq!(keys, [at("gb", 5)]);
    assert_eq!(r.hits[0].marked(), ["behaviour", "analysis"]);
}

#[test]
fn lang_keeps_the_other_languages_corrections_quiet() {
    // SYNTHETIC: the English text writes "defense", the French "défense"
    // (twice, so that the note shows that spelling).
    let (dir, idx) = index_of(concat!(
        r#"{"id":"en","lang":"en","title":"T","paragraphs":["SYNTHETIC TEST TEXT. The defense budget grows."]}"#,
        "\n",
        r#"{"id":"fr","lang":"fr","title":"T","paragraphs":["SYNTHETIC TEST TEXT. Le budget de la défense augmente.","SYNTHETIC TEST TEXT. La défense européenne avance."]}"#,
        "\n",
    ));
    // `defence` is not written in either text; in English it meets
    // "defense" by its spelling, in French it is one letter from "défense".
    let en = search_json_with(dir.path(), &idx, "defence", 10, &["--lang", "en"]);
    assert_eq!(en.hits.len(), 1);
    assert_eq!(en.hits[0].doc_id, "en");
    assert!(!en.stderr.contains("défense"), "{}", en.stderr);
    let fr = search_json_with(dir.path(), &idx, "defence", 10, &["--lang", "fr"]);
    assert_eq!(fr.hits.len(), 2);
    assert!(fr.hits.iter().all(|h| h.doc_id == "fr"));
    assert!(fr.stderr.contains("also showing défense"), "{}", fr.stderr);
}

#[test]
fn a_loosened_english_phrase_leaves_its_function_words_out() {
    // SYNTHETIC: "rule of law" is written nowhere; its words are, apart.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"a","lang":"en","title":"T","paragraphs":["SYNTHETIC TEST TEXT. The rules of the game are new.","SYNTHETIC TEST TEXT. International law applies online.","SYNTHETIC TEST TEXT. One of them spoke."]}"#,
        "\n",
    ));
    let r = search_json_with(dir.path(), &idx, "\"rule of law\"", 10, &[]);
    assert!(r.stderr.contains("showing them anywhere"), "{}", r.stderr);
    let rules = r
        .hits
        .iter()
        .find(|h| h.paragraph == 1)
        .unwrap_or_else(|| panic!("¶1 is a hit: {}", r.stderr));
    // `of` is no word of the need: neither highlighted nor a reason to
    // show ¶3, which holds nothing else.
    assert_eq!(rules.marked(), ["rules"]);
    assert!(
        r.hits
            .iter()
            .all(|h| h.paragraph != 3 || h.raw["via"] == "statement"),
        "{}",
        r.stdout
    );
}
