//! The query language and result options (issue 4), through the binary, on
//! the synthetic fixture corpus `tests/data/fixture.jsonl` whose dates,
//! titles, references and sources are known.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

fn fixture() -> &'static (tempfile::TempDir, PathBuf) {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixture.jsonl");
        let idx = build_index(dir.path(), &[&data]);
        (dir, idx)
    })
}

/// These tests are about what the query language matches, so they run
/// with `--all-words` (no partial matches, no paragraphs found through
/// their statement); `tests/ranking.rs` tests those.
fn run(query: &str) -> SearchRun {
    let (dir, idx) = fixture();
    search_json_with(dir.path(), idx, query, 50, &["--all-words"])
}

/// `vigie search --index FIXTURE ARGS...` → (exit code, stdout, stderr).
fn cli(args: &[&str]) -> (i32, String, String) {
    let (dir, idx) = fixture();
    let out = vigie(dir.path())
        .arg("search")
        .arg("--all-words")
        .arg("--index")
        .arg(idx)
        .args(args)
        .output()
        .expect("run vigie");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ids(r: &SearchRun) -> Vec<String> {
    let mut v: Vec<String> = r
        .hits
        .iter()
        .map(|h| format!("{}#{}", h.doc_id, h.paragraph))
        .collect();
    v.sort();
    v
}

fn ids_in_order(r: &SearchRun) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| format!("{}#{}", h.doc_id, h.paragraph))
        .collect()
}

fn set(items: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn words_are_required_by_default() {
    assert_eq!(
        ids(&run("Chine Russie")),
        set(&["fx-2021-chine#3", "fx-2021-chine#4"])
    );
}

#[test]
fn or_not_and_parentheses() {
    assert_eq!(
        ids(&run("désinformation OR agression")),
        set(&["fx-2020-otan#2", "fx-2022-ue#1"])
    );
    let without = set(&["fx-2020-otan#2", "fx-2022-ue#1"]);
    assert_eq!(ids(&run("Russie -Chine")), without);
    assert_eq!(ids(&run("Russie NOT Chine")), without);
    assert_eq!(
        ids(&run("(désinformation OR agression) militaire")),
        set(&["fx-2022-ue#1"])
    );
}

#[test]
fn an_exclusion_typed_unquoted_says_how_to_search_it() {
    // `vigie search Russie -Chine` reads to the option parser as `-C hine`
    // (--context), `-chine` as an unknown `-c`: the error names the word and the two ways to
    // search it, and both ways find what `Russie NOT Chine` finds.
    // `-hongrie` used to print the help and exit 0, as if searched.
    for word in [
        "-Chine",
        "-chine",
        "-sécurité",
        "-nucléaire",
        "-hongrie",
        "-2022",
    ] {
        let (code, out, err) = cli(&["Russie", word]);
        assert_eq!(code, 2, "{word}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains(&format!("`{word}` reads as an option")),
            "{err}"
        );
        // The suggestion is the user's own command.
        assert!(err.contains(&format!("-- Russie {word}`")), "{err}");
        assert!(err.contains("--all-words"), "{err}");
    }
    let without = set(&["fx-2020-otan#2", "fx-2022-ue#1"]);
    let (code, out, _) = cli(&["--json", "--", "Russie", "-chine"]);
    assert_eq!(code, 0);
    let found: Vec<String> = {
        let mut v: Vec<String> = out
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["type"] == "hit")
            .map(|v| format!("{}#{}", v["doc_id"].as_str().unwrap(), v["paragraph"]))
            .collect();
        v.sort();
        v
    };
    assert_eq!(found, without);
    assert_eq!(ids(&run("Russie -chine")), without);
}

#[test]
fn phrases_and_proximity() {
    assert_eq!(
        ids(&run("\"Chine et de la Russie\"")),
        set(&["fx-2021-chine#3"])
    );
    let exact = run("\"menaces Chine\"");
    assert_eq!(exact.code, 1);
    assert_eq!(ids(&run("\"menaces Chine\"~4")), set(&["fx-2021-chine#3"]));
    assert_eq!(
        ids(&run("\"menaces Chine\"~12")),
        set(&["fx-2021-chine#3", "fx-2021-chine#4"])
    );
}

#[test]
fn a_title_filter_finds_every_paragraph_of_its_statements_with_their_title() {
    // The title is indexed and stored with a statement's first paragraph
    // only: "Russie" is in the third and fourth paragraphs of
    // "Déclaration sur les activités cyber de la Chine".
    let r = run("title:activités Russie");
    assert_eq!(ids(&r), set(&["fx-2021-chine#3", "fx-2021-chine#4"]));
    for hit in &r.hits {
        assert_eq!(
            hit.raw["title"], "Déclaration sur les activités cyber de la Chine",
            "§{}",
            hit.paragraph
        );
    }
    // And a title word with no other word: all four paragraphs.
    assert_eq!(
        ids(&run("title:hybrides")),
        set(&[
            "fx-2020-otan#1",
            "fx-2020-otan#2",
            "fx-2020-otan#3",
            "fx-2020-otan#4"
        ])
    );
}

#[test]
fn a_prefix_in_a_field_matches_the_words_starting_with_it() {
    // "hybrides" is the only title word starting with "hybr".
    assert_eq!(
        ids(&run("title:hybr*")),
        set(&[
            "fx-2020-otan#1",
            "fx-2020-otan#2",
            "fx-2020-otan#3",
            "fx-2020-otan#4"
        ])
    );
    // Stemmed titles: `activités*` meets the title term of "activités".
    assert_eq!(
        ids(&run("title:activités* Russie")),
        set(&["fx-2021-chine#3", "fx-2021-chine#4"])
    );
    let none = run("title:zzq*");
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stderr
            .contains("no statement's title holds a word starting with zzq"),
        "{}",
        none.stderr
    );
    // A field with no word is left out, and a note says so.
    let empty = run("title:- menaces");
    assert!(
        empty
            .stderr
            .contains("`title:-` has no word to search; ignored"),
        "{}",
        empty.stderr
    );
    assert!(
        !empty.hits.is_empty(),
        "menaces still searched: {}",
        empty.stderr
    );
    // `~N` is not applied to field words, and a note says so.
    let fuzzy = run("title:hybrides~1");
    assert_eq!(fuzzy.hits.len(), 4, "{}", fuzzy.stderr);
    assert!(
        fuzzy.stderr.contains("`~1` applies to paragraph words"),
        "{}",
        fuzzy.stderr
    );
}

#[test]
fn field_filters() {
    assert_eq!(
        ids(&run("title:hybrides menaces")),
        set(&["fx-2020-otan#1"])
    );
    assert_eq!(ids(&run("lang:en China")), set(&["fx-en#2"]));
    assert_eq!(
        ids(&run("source:\"Conseil européen\" Russie")),
        set(&["fx-2022-ue#1"])
    );
    assert_eq!(
        ids(&run("ref:\"(2021) 120\" Chine")),
        set(&["fx-2021-chine#2", "fx-2021-chine#3", "fx-2021-chine#4"])
    );
}

#[test]
fn date_filters_on_the_command_line_and_in_the_query() {
    let (dir, idx) = fixture();
    let with = |args: &[&str]| {
        let mut cmd = vigie(dir.path());
        cmd.args(["search", "--json", "--all-words", "--index"])
            .arg(idx)
            .args(args);
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let mut v: Vec<String> = stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["type"] == "hit")
            .map(|v| format!("{}#{}", v["doc_id"].as_str().unwrap(), v["paragraph"]))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        with(&["--since", "2021", "Russie"]),
        set(&["fx-2021-chine#3", "fx-2021-chine#4", "fx-2022-ue#1"])
    );
    assert_eq!(
        with(&["--until", "2020", "Russie"]),
        set(&["fx-2020-otan#2"])
    );
    assert_eq!(
        with(&["--since", "2021-01-01", "--until", "2021-12-31", "Russie"]),
        set(&["fx-2021-chine#3", "fx-2021-chine#4"])
    );
    assert_eq!(
        ids(&run("date:[2020-01-01 TO 2020-12-31] Russie")),
        set(&["fx-2020-otan#2"])
    );
    assert_eq!(ids(&run("date:2022 Russie")), set(&["fx-2022-ue#1"]));
    // Undated statements never pass a date filter.
    assert!(with(&["--since", "1900", "cybersécurité"])
        .iter()
        .all(|h| !h.starts_with("fx-undated")));
    let (code, _, err) = cli(&["--since", "hier", "Russie"]);
    assert_eq!(code, 2);
    assert!(err.contains("--since"), "{err}");
}

#[test]
fn a_date_filter_that_leaves_nothing_says_what_it_removed() {
    // Four paragraphs of the fixture name la Russie, dated 2020 to 2022.
    let (code, out, err) = cli(&["--since", "2023", "Russie"]);
    assert_eq!(code, 1, "nothing is shown: {out}");
    assert!(
        err.contains(
            "--since 2023-01-01: nothing of those dates matches; 4 paragraphs match at other dates"
        ),
        "{err}"
    );
    let (code, _, err) = cli(&["--since", "2020-07-01", "--until", "2021-06-30", "Russie"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--since 2020-07-01 --until 2021-06-30: nothing"),
        "{err}"
    );
    assert!(err.contains("4 paragraphs match"), "{err}");
    // Only the undated statement says "La cybersécurité concerne aussi
    // les archives": no date filter can keep it.
    let (code, _, err) = cli(&["--since", "2030", "cybersécurité"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "nothing of those dates matches; 1 paragraph matches in statements without a date"
        ),
        "{err}"
    );
    // A word at no date gets no such note; a filter that keeps hits none.
    let (code, _, err) = cli(&["--since", "2023", "zzyzx"]);
    assert_eq!(code, 1);
    assert!(!err.contains("nothing of those dates"), "{err}");
    let (code, _, err) = cli(&["--since", "2021", "Russie"]);
    assert_eq!(code, 0);
    assert!(!err.contains("nothing of those dates"), "{err}");
    // The same for a date filter written in the query.
    let (code, _, err) = cli(&["Russie date:2023"]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "query at byte 7: date:[2023-01-01 TO 2023-12-31]: nothing of those dates matches; \
             4 paragraphs match at other dates"
        ),
        "{err}"
    );
    // --explain says what a date filter leaves out.
    let (_, _, err) = cli(&["--explain", "--since", "2021", "Russie"]);
    assert!(
        err.contains(
            "only statements dated from 2021-01-01; statements without a date are left out"
        ),
        "{err}"
    );
    let (code, _, err) = cli(&["date:2030 -Russie"]);
    assert_eq!(code, 1);
    assert!(!err.contains("nothing of those dates"), "{err}");
}

#[test]
fn notes_say_when_the_filters_removed_what_they_name_absent() {
    // "La Russie mène des campagnes de désinformation." is the fixture's
    // one paragraph with the phrase and the word, dated 2020-06-15.
    let (dir, idx) = fixture();
    let r = search_json_with(
        dir.path(),
        idx,
        "\"campagnes de désinformation\"",
        10,
        &["--since", "2021"],
    );
    assert!(
        r.stderr.contains(
            "the phrase \"campagnes de désinformation\" does not occur as written in the \
             paragraphs the filters keep (it does in 1 they remove)"
        ),
        "{}",
        r.stderr
    );
    // Russie is held after 2021; désinformation only before.
    let r = search_json_with(
        dir.path(),
        idx,
        "Russie désinformation",
        10,
        &["--since", "2021"],
    );
    assert!(
        r.stderr
            .contains("désinformation is in none of the paragraphs the filters keep"),
        "{}",
        r.stderr
    );
    // Without a filter, a word in no paragraph is in none.
    let r = search_json(dir.path(), idx, "Russie zzyzx", 10);
    assert!(r.stderr.contains("; zzyzx is in none; "), "{}", r.stderr);
    let r = search_json(dir.path(), idx, "\"désinformation des campagnes\"", 10);
    assert!(
        r.stderr.contains("does not occur as written; showing"),
        "{}",
        r.stderr
    );
}

#[test]
fn prefixes_fold_like_the_index() {
    let accented = run("sécur*");
    assert_eq!(ids(&accented), ids(&run("secur*")));
    assert!(ids(&accented).contains(&"fx-2022-ue#2".to_string()));
    let cyber = run("cyber*");
    for want in [
        "fx-2019-conseil#1",
        "fx-2020-otan#4",
        "fx-2022-ue#3",
        "fx-undated#1",
    ] {
        assert!(
            ids(&cyber).contains(&want.to_string()),
            "cyber* misses {want}"
        );
    }
}

#[test]
fn misspellings_are_corrected_visibly() {
    let r = run("lang:fr compromision");
    assert_eq!(r.code, 0);
    assert_eq!(ids(&r), set(&["fx-2019-conseil#2", "fx-2021-chine#1"]));
    assert!(r.stderr.contains("showing compromission"), "{}", r.stderr);
    let r = run("cyberdefance");
    assert_eq!(ids(&r), set(&["fx-2020-otan#4", "fx-2022-ue#3"]));
    assert!(r.stderr.contains("showing cyberdéfense"), "{}", r.stderr);
    // The English spelling is no typo: the thesaurus gives its French
    // term, and nothing is "corrected".
    let r = run("cyberdefence");
    assert_eq!(ids(&r), set(&["fx-2020-otan#4", "fx-2022-ue#3"]));
    assert!(!r.stderr.contains("showing"), "{}", r.stderr);
    // --exact forbids the correction.
    let (code, out, err) = cli(&["--exact", "--json", "lang:fr compromision"]);
    assert_eq!(code, 1);
    assert!(!err.contains("showing"), "{err}");
    assert!(!out.contains("\"type\":\"hit\""));
}

#[test]
fn proper_names_in_the_index_are_never_fuzzed() {
    // `Chine` exists, so `China` (one edit away) must not be searched.
    let r = run("Chine");
    assert!(r.hits.iter().all(|h| h.doc_id != "fx-en"), "{:?}", ids(&r));
    assert!(!r.stderr.contains("showing"));
}

#[test]
fn explicit_fuzzy_ranks_the_exact_word_first() {
    let r = run("menace~1");
    let order = ids_in_order(&r);
    let exact = order
        .iter()
        .position(|h| h == "fx-2023-menace#2")
        .expect("exact hit");
    let plural = order
        .iter()
        .position(|h| h == "fx-2023-menace#1")
        .expect("plural hit");
    assert!(exact < plural, "{order:?}");
    // A typo within one edit finds the word.
    let r = run("agresion~1");
    assert_eq!(ids(&r), set(&["fx-2022-ue#1"]));
}

#[test]
fn sort_by_date_newest_first() {
    let (_, out, _) = cli(&["--json", "--sort", "date", "Russie"]);
    let order: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "hit")
        .map(|v| v["date"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        order,
        ["2022-03-25", "2021-07-19", "2021-07-19", "2020-06-15"]
    );
}

#[test]
fn docs_groups_by_statement() {
    let r = run_args(&["--docs", "Chine"]);
    let got: Vec<(String, u64)> = r
        .iter()
        .map(|v| {
            (
                v["doc_id"].as_str().unwrap().to_string(),
                v["matching_paragraphs"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("fx-2021-chine".to_string(), 3),
            ("fx-2020-otan".to_string(), 1)
        ]
    );
}

fn run_args(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (_, out, _) = cli(&all);
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "hit")
        .collect()
}

#[test]
fn context_attaches_neighbouring_paragraphs() {
    let hits = run_args(&["-C", "1", "désinformation"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["before"][0]["paragraph"], 1);
    assert_eq!(hits[0]["after"][0]["paragraph"], 3);
    assert!(hits[0]["after"][0]["text"]
        .as_str()
        .unwrap()
        .contains("capacités cyber offensives"));
    let (_, human, _) = cli(&["-C", "1", "désinformation"]);
    assert!(human.contains("│ §1") && human.contains("│ §3"), "{human}");
}

#[test]
fn paging_and_counting() {
    let all = ids_in_order(&run("menace"));
    assert!(all.len() >= 3);
    let second = run_args(&["-n", "1", "--offset", "1", "menace"]);
    assert_eq!(second.len(), 1);
    assert_eq!(
        format!(
            "{}#{}",
            second[0]["doc_id"].as_str().unwrap(),
            second[0]["paragraph"]
        ),
        all[1]
    );
    assert_eq!(second[0]["rank"], 2);
    // Paging has no meaning for a count, and vigie says so.
    let (_, _, err) = cli(&["--count", "--offset", "3", "Russie"]);
    assert!(err.contains("-n and --offset have no effect"), "{err}");
    let (code, out, _) = cli(&["--count", "Russie"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "4 paragraphs in 3 statements");
}

#[test]
fn json_summary_and_csv() {
    let r = run("Russie");
    let summary = r.summary.expect("summary");
    assert_eq!(summary["total"], 4);
    assert!(summary["elapsed_ms"].as_f64().is_some());
    let (_, csv, _) = cli(&["--format", "csv", "désinformation"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "rank,score,title,date,reference,paragraph,url,doc_id,lang,text,partial,matched_terms,via"
        )
    );
    let row = lines.next().expect("row");
    assert!(row.contains("Communiqué de l’OTAN sur les menaces hybrides,2020-06-15,Communiqué de presse (2020) 77,2,https://example.test/fx-2020"), "{row}");
}

#[test]
fn lenient_by_default_strict_on_request() {
    let r = run("(Chine Russie");
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("unclosed `(`"), "{}", r.stderr);
    let (code, _, err) = cli(&["--strict", "(Chine Russie"]);
    assert_eq!(code, 2);
    assert!(err.contains("at byte 0"), "{err}");
}

#[test]
fn explain_shows_analysis_and_matches() {
    let (code, _, err) = cli(&[
        "--explain",
        "--json",
        "\"menaces hybrides\" OR (sécur* énergétique) -Chine l'",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(err);
}

#[test]
fn shell_integration_and_help() {
    let (dir, _) = fixture();
    let out = vigie(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("vigie"));
    let out = vigie(dir.path()).arg("man").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH vigie"));
    let out = vigie(dir.path())
        .args(["search", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("cyberdéfense") && help.contains("l'Alliance"),
        "{help}"
    );
}

#[test]
fn an_exclusion_alone_excludes_in_every_language() {
    let r = run("-Chine");
    assert!(r.summary.as_ref().unwrap()["total"].as_u64().unwrap() > 10);
    for h in &r.hits {
        assert!(
            !h.text.contains("Chine"),
            "{}#{}: {}",
            h.doc_id,
            h.paragraph,
            h.text
        );
    }
}

#[test]
fn no_guessing_inside_an_or() {
    // `agresion` finds nothing, but the OR has another branch that does.
    let r = run("Chine OR agresion");
    assert!(!r.stderr.contains("showing"), "{}", r.stderr);
    assert!(
        r.hits.iter().all(|h| h.text.contains("Chine")),
        "{:?}",
        ids(&r)
    );
}

#[test]
fn french_field_names_and_unknown_fields() {
    assert_eq!(
        ids(&run("titre:hybrides menaces")),
        set(&["fx-2020-otan#1"])
    );
    let r = run("url:désinformation");
    assert_eq!(ids(&r), set(&["fx-2020-otan#2"]));
    assert!(r.stderr.contains("unknown field `url:`"), "{}", r.stderr);
}

#[test]
fn inconsistent_dates_and_counts_as_json() {
    let (code, _, err) = cli(&["--since", "2022", "--until", "2021", "Russie"]);
    assert_eq!(code, 2);
    assert!(err.contains("after --until"), "{err}");
    let (code, out, _) = cli(&["--count", "--json", "Russie"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (v["paragraphs"].as_u64(), v["statements"].as_u64()),
        (Some(4), Some(3))
    );
}

#[test]
fn csv_into_a_closed_pipe_is_not_an_error() {
    // Enough rows to overflow the pipe buffer once `head` has gone.
    let dir = tempfile::tempdir().unwrap();
    let paragraphs: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                "SYNTHETIC TEST TEXT {i}. Une menace pèse sur la sécurité collective des Alliés."
            )
        })
        .collect();
    let doc = serde_json::json!({"id": "big", "title": "Synthétique", "paragraphs": paragraphs});
    let file = dir.path().join("big.jsonl");
    std::fs::write(&file, format!("{doc}\n")).unwrap();
    let idx = build_index(dir.path(), &[&file]);
    let bin = assert_cmd::cargo::cargo_bin("vigie");
    for format in ["csv", "json", "human"] {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "{} search --format {format} -n 3000 --index {} menace | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
                bin.display(),
                idx.display()
            ))
            .env("VIGIE_INDEX", dir.path().join("default-index"))
            .output()
            .unwrap();
        let code = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            code == "0",
            "{format}: exit {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn an_excluded_word_is_never_corrected() {
    // `Chiine` is not indexed; excluding it must not exclude `Chine`.
    let with = run("Russie -Chiine");
    assert!(!with.stderr.contains("showing"), "{}", with.stderr);
    assert_eq!(ids(&with), ids(&run("Russie")));
}

#[test]
fn an_elided_form_alone_is_searched_as_written() {
    // SYNTHETIC: `jusqu'à` must not be searched as the bare `à`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("j.jsonl");
    std::fs::write(
        &file,
        r#"{"id":"j","title":"Synthétique","paragraphs":["SYNTHETIC TEST TEXT. Le mandat court jusqu’à la fin de l’année.","SYNTHETIC TEST TEXT. Le Conseil se réunit à Bruxelles."]}"#.to_string() + "\n",
    )
    .unwrap();
    let idx = build_index(dir.path(), &[&file]);
    let r = search_json(dir.path(), &idx, "jusqu'à", 10);
    // Full matches only (paragraph 2 may follow, marked partial, as a
    // paragraph of the matching statement).
    let got: Vec<u64> = r
        .hits
        .iter()
        .filter(|h| !h.partial())
        .map(|h| h.paragraph)
        .collect();
    assert_eq!(got, [1], "{}", r.stderr);
    assert_eq!(r.hits[0].marked(), ["jusqu’à"]);
}

#[test]
fn a_date_that_is_not_a_date_finds_nothing_rather_than_everything() {
    assert_eq!(run("otan").code, 0);
    for query in ["otan date:2021-13", "otan date:[2021-02-30 TO 2022]"] {
        let r = run(query);
        assert_eq!(r.code, 1, "{query}: {}", r.stderr);
        assert!(r.hits.is_empty(), "{query}");
        assert!(
            r.stderr.contains("no date matches it"),
            "{query}: {}",
            r.stderr
        );
    }
    // --strict makes it an error.
    let (code, _, err) = cli(&["--strict", "otan date:2021-13"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_lower_case_operator_is_searched_as_a_word_with_a_hint() {
    let r = run("Russie or Chine");
    assert!(
        r.stderr
            .contains("`or` is searched as a word; write `OR` in capitals"),
        "{}",
        r.stderr
    );
    // A hint, not a syntax problem: --strict still searches.
    let (code, _, err) = cli(&["--strict", "Russie or Chine"]);
    assert_ne!(code, 2, "{err}");
    // The operator in capitals gets no hint.
    assert!(!run("Russie OR Chine").stderr.contains("searched as a word"));
}

#[test]
fn a_lone_star_says_what_is_missing() {
    let r = run("*");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("`*` alone matches no word"),
        "{}",
        r.stderr
    );
}

#[test]
fn count_follows_the_output_format() {
    let (code, out, _) = cli(&["--count", "--format", "csv", "otan"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "paragraphs,statements");
    let values: Vec<u64> = lines[1]
        .split(',')
        .map(|v| v.parse().expect("a number"))
        .collect();
    assert_eq!(values.len(), 2);
    assert!(values[0] >= values[1] && values[1] > 0, "{out}");
}

#[test]
fn a_filter_chooses_hits_and_never_changes_their_scores() {
    let scores = |args: &[&str]| -> std::collections::HashMap<String, String> {
        let (dir, idx) = fixture();
        let out = vigie(dir.path())
            .args(["search", "--json", "-n", "50", "--index"])
            .arg(idx)
            .args(args)
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["type"] == "hit")
            .map(|v| {
                (
                    format!("{}#{}", v["doc_id"].as_str().unwrap_or(""), v["paragraph"]),
                    format!("{:.4}", v["score"].as_f64().unwrap_or(0.0)),
                )
            })
            .collect()
    };
    let all = scores(&["Russie"]);
    assert!(!all.is_empty());
    for filter in [
        &["--since", "2021", "Russie"][..],
        &["--until", "2020", "Russie"][..],
        &["--lang", "fr", "Russie"][..],
        &["Russie date:2022"][..],
    ] {
        let some = scores(filter);
        assert!(!some.is_empty(), "{filter:?}");
        for (hit, score) in &some {
            assert_eq!(all.get(hit), Some(score), "{filter:?}: {hit}");
        }
    }
}

#[test]
fn french_dates_in_filters() {
    // fx-2021-chine is dated 2021-07-19.
    let month = run("compromission date:\"juillet 2021\"");
    assert!(
        ids(&month).iter().any(|i| i == "fx-2021-chine#1"),
        "{}",
        month.stderr
    );
    let day = run("compromission date:\"19 juillet 2021\"");
    assert!(
        ids(&day).iter().any(|i| i == "fx-2021-chine#1"),
        "{}",
        day.stderr
    );
    let other_month = run("compromission date:\"août 2021\"");
    assert_eq!(other_month.code, 1, "{}", other_month.stderr);
    let (code, out, err) = cli(&[
        "--since",
        "1er juillet 2021",
        "--until",
        "juillet 2021",
        "--json",
        "compromission",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("fx-2021-chine"), "{out}");
}

#[test]
fn csv_keeps_context_and_statement_counts() {
    let (code, out, _) = cli(&["--format", "csv", "-C", "1", "menaces hybrides"]);
    assert_eq!(code, 0);
    let mut rows = csv_rows(&out);
    let header = rows.remove(0);
    assert_eq!(&header[header.len() - 2..], ["before", "after"]);
    assert!(
        rows.iter().any(|r| r[header.len() - 1].starts_with('§')),
        "{out}"
    );
    let (code, out, _) = cli(&["--format", "csv", "--docs", "Russie"]);
    assert_eq!(code, 0);
    let rows = csv_rows(&out);
    assert_eq!(
        rows[0].last().map(String::as_str),
        Some("matching_paragraphs")
    );
    assert!(
        rows[1]
            .last()
            .is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n >= 1)),
        "{out}"
    );
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn a_query_of_operators_alone_says_they_are_searched() {
    let r = run("AND");
    assert!(
        r.stderr.contains("only operators: searched as words"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("ignored"),
        "searched, not ignored: {}",
        r.stderr
    );
}

#[test]
fn a_typo_inside_a_phrase_is_corrected_as_for_a_word() {
    // "menaces hybrydes": hybrydes is in no paragraph; the phrase as
    // corrected, "menaces hybrides", is in fx-2020-otan §1.
    let r = run("\"menaces hybrydes\"");
    assert_eq!(ids(&r), set(&["fx-2020-otan#1"]));
    assert!(
        r.stderr
            .contains("no hits for \"menaces hybrydes\"; showing \"menaces hybrides\""),
        "the note shows the phrase as corrected: {}",
        r.stderr
    );
    assert_eq!(r.hits[0].marked(), ["menaces", "hybrides"]);
    // --exact corrects nothing.
    let (code, _, _) = cli(&["--exact", "--json", "\"menaces hybrydes\""]);
    assert_eq!(code, 1, "no paragraph holds the phrase as typed");
}

#[test]
fn a_source_matches_in_capitals_or_not_and_an_unknown_one_says_so() {
    // Three statements have the source "OTAN"; fx-2020-otan §2 names the
    // Russia: the same hits whether the source is typed OTAN or otan.
    let upper = run("source:OTAN Russie");
    let lower = run("source:otan Russie");
    assert!(
        !upper.hits.is_empty(),
        "source:OTAN finds the OTAN statements"
    );
    assert_eq!(ids(&upper), ids(&lower));
    let (code, _, err) = cli(&["source:inconnue Russie"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no statement's source holds the words of source:inconnue"),
        "{err}"
    );
}

/// A note about one place of the query names its byte offset; a note about
/// the whole query names none (it used to say "at byte 0", pointing at the
/// first word for no reason).
#[test]
fn notes_name_a_position_only_when_they_have_one() {
    let (_, _, err) = cli(&["(Chine Russie"]);
    assert!(
        err.contains("vigie: note: query at byte 0: unclosed `(`"),
        "an unclosed parenthesis at byte 0 is a positional note: {err}"
    );
    let (_, _, err) = cli(&["AND OR"]);
    assert!(
        err.contains("vigie: note: only operators"),
        "operators alone are a note about the whole query: {err}"
    );
    assert!(
        !err.contains("at byte"),
        "a whole-query note names no byte offset: {err}"
    );
}

#[test]
fn a_typo_tolerance_out_of_range_is_brought_in_with_a_note() {
    // `é` is two bytes: `sécurité` is 10 bytes, its `~` at byte 10.
    let (_, _, err) = cli(&["sécurité~9"]);
    assert!(
        err.contains("query at byte 10: `~9`") && err.contains("searched with `~2`"),
        "{err}"
    );
    let (_, _, err) = cli(&["otan title:sécurité~0"]);
    assert!(
        err.contains("query at byte 21: `~0`") && err.contains("searched with `~1`"),
        "{err}"
    );
    let (_, _, err) = cli(&["sécurité~2"]);
    assert!(
        !err.contains("edits"),
        "an allowed tolerance has no note: {err}"
    );
}

#[test]
fn an_and_with_nothing_after_it_says_so() {
    // `défense` is 8 bytes: the AND is at byte 9.
    let (_, _, err) = cli(&["défense AND OR otan"]);
    assert!(
        err.contains("query at byte 9: `AND` has nothing after it"),
        "{err}"
    );
    let (_, _, err) = cli(&["(otan AND) défense"]);
    assert!(
        err.contains("query at byte 6: `AND` has nothing after it"),
        "{err}"
    );
    let (_, _, err) = cli(&["otan AND défense"]);
    assert!(!err.contains("nothing"), "{err}");
}

#[test]
fn a_title_filter_finds_titles_of_both_languages_without_a_false_note() {
    // SYNTHETIC: a French and an English statement; titles are analysed
    // the French way for both, so `title:paris` must not say that no
    // title holds it (the English plan stemmed it to `pari`).
    let (dir, idx) = index_of(concat!(
        r#"{"id":"fr-appel","lang":"fr","title":"Appel de Paris","paragraphs":["SYNTHETIC TEST TEXT. La confiance dans le cyberespace."]}"#,
        "\n",
        r#"{"id":"en-call","lang":"en","title":"Paris Call","paragraphs":["SYNTHETIC TEST TEXT. Trust in cyberspace."]}"#,
        "\n",
    ));
    for (query, want) in [
        ("title:paris", vec!["en-call#1", "fr-appel#1"]),
        ("title:\"Paris Call\"", vec!["en-call#1"]),
    ] {
        let r = search_json_with(dir.path(), &idx, query, 10, &["--strict"]);
        assert_eq!(r.code, 0, "{query}: {}", r.stderr);
        assert!(
            !r.stderr.contains("nothing can match"),
            "{query}: {}",
            r.stderr
        );
        assert_eq!(ids(&r), set(&want), "{query}");
    }
    // A title no statement has still says so.
    let r = search_json_with(dir.path(), &idx, "title:berlin", 10, &[]);
    assert!(r.stderr.contains("nothing can match"), "{}", r.stderr);
}

#[test]
fn a_phrase_typed_with_a_detached_elision_and_counts_after_loosening() {
    // SYNTHETIC: the texts write `période d'essai`.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"a","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. La période d'essai est renouvelable une fois.","SYNTHETIC TEST TEXT. Un essai a eu lieu pendant la période de test."]}"#,
        "\n",
    ));
    // Typed without the apostrophe, the phrase finds the paragraph that
    // holds it as written, which ranks first and is not partial.
    let r = search_json_with(dir.path(), &idx, "\"période d essai\"", 10, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.hits[0].paragraph, 1);
    assert!(!r.hits[0].partial(), "{:?}", r.hits[0].raw);
    assert!(!r.stderr.contains("does not occur"), "{}", r.stderr);
    // A capital letter alone is a label, not an article: a phrase that
    // holds one is searched as written.
    let (ldir, lidx) = index_of(concat!(
        r#"{"id":"b","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. Les salariés des catégories C ou D sont concernés."]}"#,
        "\n",
    ));
    let r = search_json_with(ldir.path(), &lidx, "\"catégories C ou D\"", 10, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.hits[0].partial(), "{}", r.stderr);
    // A phrase found nowhere counts no paragraph and so no statement.
    let out = vigie(dir.path())
        .args(["search", "--count", "--index"])
        .arg(&idx)
        .arg("\"essai période\"")
        .output()
        .expect("run vigie");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.trim(), "0 paragraphs in 0 statements", "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_quoted_elided_form_is_searched_as_written() {
    // SYNTHETIC: `jusqu'à` in one paragraph, `à` alone in the other.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"a","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. Ouvert jusqu'à midi.","SYNTHETIC TEST TEXT. Rendez-vous à midi."]}"#,
        "\n",
    ));
    for q in ["\"jusqu'à\"", "jusqu'à"] {
        let r = search_json_with(dir.path(), &idx, q, 10, &["--all-words"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        let got: Vec<u64> = r.hits.iter().map(|h| h.paragraph).collect();
        assert_eq!(got, vec![1], "{q}");
    }
}

#[test]
fn a_word_that_shows_its_language_is_not_corrected_into_the_other() {
    // SYNTHETIC: a French paragraph on "sécurité", an English one on
    // "secure" networks (not translations of each other).
    let (dir, idx) = index_of(concat!(
        r#"{"id":"fr-res","lang":"fr","title":"Réseaux","paragraphs":["SYNTHETIC TEST TEXT. La sécurité des réseaux progresse."]}"#,
        "\n",
        r#"{"id":"en-net","lang":"en","title":"Networks","paragraphs":["SYNTHETIC TEST TEXT. Secure networks matter."]}"#,
        "\n",
    ));
    let ids = |r: &SearchRun| -> Vec<String> { r.hits.iter().map(|h| h.doc_id.clone()).collect() };
    // The accent shows French: "sécurté" is a typo for sécurité, not for
    // the English "secure".
    let accented = search_json_with(dir.path(), &idx, "sécurté", 10, &["--all-words"]);
    assert_eq!(
        ids(&accented),
        vec!["fr-res".to_string()],
        "{}",
        accented.stderr
    );
    assert!(!accented.stderr.contains("secure"), "{}", accented.stderr);
    // Without an accent the word shows no language: both are close.
    let plain = search_json_with(dir.path(), &idx, "securte", 10, &["--all-words"]);
    let mut found = ids(&plain);
    found.sort();
    assert_eq!(
        found,
        vec!["en-net".to_string(), "fr-res".to_string()],
        "{}",
        plain.stderr
    );
}

#[test]
fn english_function_words_are_left_out_of_an_english_query() {
    // SYNTHETIC: "the" is written in neither paragraph that speaks of the
    // Alliance; the third says "thé" (tea), which folds to "the".
    let (dir, idx) = index_of(concat!(
        r#"{"id":"en","lang":"en","title":"T","paragraphs":["SYNTHETIC TEST TEXT. Allies and Alliance members met."]}"#,
        "\n",
        r#"{"id":"fr","lang":"fr","title":"T","paragraphs":["SYNTHETIC TEST TEXT. L'Alliance se réunit.","SYNTHETIC TEST TEXT. Un thé est servi."]}"#,
        "\n",
    ));
    // `the` shows the query English, and is no word of its need: both
    // Alliance paragraphs hold the query whole; the tea does not come.
    let r = search_json_with(dir.path(), &idx, "the Alliance", 10, &["--all-words"]);
    assert_eq!(
        r.sorted_keys(),
        [("en".to_string(), 1), ("fr".to_string(), 1)],
        "{}",
        r.stderr
    );
    // A query of function words only still searches them.
    let only = search_json_with(dir.path(), &idx, "the", 10, &[]);
    assert!(!only.hits.is_empty(), "{}", only.stderr);
}
