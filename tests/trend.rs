//! `vigie trend` through the binary (issue 13), on a fixture with known
//! dates: the counts, the shares and the periods are worked out by hand
//! from the French below, not read off the program.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;

/// SYNTHETIC statements written for these tests. Paragraphs mentioning
/// cyberdéfense, per statement: s2013a 1 of 3; s2013b 0 of 2; s2014 2 of
/// 4; (nothing in 2015); s2016 1 of 2; undated 1 of 2; the English
/// statement of 2014 has 1 paragraph.
const FIXTURE: &str = concat!(
    r#"{"id":"s2013a","lang":"fr","date":"2013-03-10","title":"Communiqué A","paragraphs":["La cyberdéfense devient une priorité.","Le budget augmente.","Les alliés se consultent."]}"#,
    "\n",
    r#"{"id":"s2013b","lang":"fr","date":"2013-11-02","title":"Communiqué B","paragraphs":["Rien sur ce thème.","La coopération continue."]}"#,
    "\n",
    r#"{"id":"s2014","lang":"fr","date":"2014-09-05","title":"Déclaration du sommet","paragraphs":["La cyberdéfense fait partie de la défense collective.","Les capacités de cyberdéfense sont renforcées.","Un sommet a eu lieu.","Les ministres se réunissent."]}"#,
    "\n",
    r#"{"id":"s2016","lang":"fr","date":"2016-07-09","title":"Communiqué C","paragraphs":["Nous réaffirmons notre engagement en matière de cyberdéfense.","Autre sujet."]}"#,
    "\n",
    r#"{"id":"nodate","lang":"fr","title":"Note","paragraphs":["La cyberdéfense reste essentielle.","Fin."]}"#,
    "\n",
    r#"{"id":"en2014","lang":"en","date":"2014-09-05","title":"Summit Declaration","paragraphs":["Leaders met in Wales."]}"#,
    "\n",
);

fn fixture() -> (tempfile::TempDir, PathBuf) {
    index_of(FIXTURE)
}

fn trend_json(dir: &std::path::Path, idx: &std::path::Path, args: &[&str]) -> Value {
    let out = vigie(dir)
        .arg("trend")
        .arg("--index")
        .arg(idx)
        .arg("--json")
        .args(args)
        .output()
        .expect("run vigie trend");
    assert!(
        out.status.code() == Some(0),
        "vigie trend {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// (period, paragraphs, statements, all_paragraphs, all_statements, share).
fn rows(t: &Value) -> Vec<(String, u64, u64, u64, u64, f64)> {
    t["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap_or("?").to_string(),
                r["paragraphs"].as_u64().unwrap_or(99),
                r["statements"].as_u64().unwrap_or(99),
                r["all_paragraphs"].as_u64().unwrap_or(99),
                r["all_statements"].as_u64().unwrap_or(99),
                r["share"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect()
}

fn row(
    p: &str,
    n: u64,
    s: u64,
    all: u64,
    all_s: u64,
    share: f64,
) -> (String, u64, u64, u64, u64, f64) {
    (p.to_string(), n, s, all, all_s, share)
}

#[test]
fn per_year_counts_shares_and_the_empty_year() {
    let (dir, idx) = fixture();
    let t = trend_json(dir.path(), &idx, &["--lang", "fr", "cyberdéfense"]);
    assert_eq!(
        rows(&t),
        vec![
            row("2013", 1, 1, 5, 2, 0.2),
            row("2014", 2, 1, 4, 1, 0.5),
            row("2015", 0, 0, 0, 0, 0.0),
            row("2016", 1, 1, 2, 1, 0.5),
        ],
        "2015 has no statement and must show as a zero row"
    );
    let undated = &t["undated"];
    assert_eq!(undated["paragraphs"], 1);
    assert_eq!(undated["all_paragraphs"], 2);
    assert_eq!(t["paragraphs"], 5, "5 paragraphs mention cyberdéfense");
    assert_eq!(t["statements"], 4, "in 4 statements");
}

#[test]
fn the_share_counts_every_language_unless_filtered() {
    let (dir, idx) = fixture();
    let t = trend_json(dir.path(), &idx, &["cyberdéfense"]);
    let r2014 = rows(&t).into_iter().find(|r| r.0 == "2014").expect("2014");
    assert_eq!(
        (r2014.3, r2014.4),
        (5, 2),
        "2014 holds 4 French and 1 English paragraph"
    );
    assert_eq!((r2014.1, r2014.5), (2, 0.4));
}

#[test]
fn per_month_within_dates_skips_the_undated() {
    let (dir, idx) = fixture();
    let t = trend_json(
        dir.path(),
        &idx,
        &[
            "--by",
            "month",
            "--since",
            "2013",
            "--until",
            "2013",
            "cyberdéfense",
        ],
    );
    let r = rows(&t);
    let labels: Vec<&str> = r.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        labels,
        [
            "2013-03", "2013-04", "2013-05", "2013-06", "2013-07", "2013-08", "2013-09", "2013-10",
            "2013-11"
        ]
    );
    assert_eq!(r[0], row("2013-03", 1, 1, 3, 1, 1.0 / 3.0));
    assert_eq!(r[8], row("2013-11", 0, 0, 2, 1, 0.0));
    assert!(
        t.get("undated").is_none(),
        "--since leaves undated statements out"
    );
    assert_eq!(t["paragraphs"], 1);
}

#[test]
fn csv_and_table_carry_the_same_numbers() {
    let (dir, idx) = fixture();
    let csv = vigie(dir.path())
        .args(["trend", "--index"])
        .arg(&idx)
        .args(["--lang", "fr", "--format", "csv", "cyberdéfense"])
        .output()
        .expect("run");
    let text = String::from_utf8(csv.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "period,paragraphs,statements,all_paragraphs,all_statements,share"
    );
    assert_eq!(lines[2], "2014,2,1,4,1,0.500000");
    assert_eq!(lines.last().copied(), Some("undated,1,1,2,1,0.500000"));

    let table = vigie(dir.path())
        .args(["trend", "--index"])
        .arg(&idx)
        .args(["--lang", "fr", "cyberdéfense"])
        .output()
        .expect("run");
    let text = String::from_utf8(table.stdout).expect("utf-8");
    let line_2014 = text
        .lines()
        .find(|l| l.starts_with("2014"))
        .expect("a 2014 row");
    assert!(line_2014.contains("50.00 %"), "{line_2014}");
    assert!(
        line_2014.contains('█'),
        "the largest share has a bar: {line_2014}"
    );
    let line_2015 = text.lines().find(|l| l.starts_with("2015")).expect("2015");
    assert!(!line_2015.contains('█'), "no match, no bar: {line_2015}");
    assert!(
        text.contains("5 matching paragraphs in 4 statements"),
        "{text}"
    );
}

#[test]
fn nothing_matching_exits_1_and_a_bad_date_exits_2() {
    let (dir, idx) = fixture();
    let none = vigie(dir.path())
        .args(["trend", "--index"])
        .arg(&idx)
        .arg("hameçonnage")
        .output()
        .expect("run");
    assert_eq!(none.status.code(), Some(1));
    let bad = vigie(dir.path())
        .args(["trend", "--index"])
        .arg(&idx)
        .args(["--since", "2021-13", "otan"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since"));
}

#[test]
fn notes_name_the_query_as_typed_and_the_source_option() {
    let (dir, idx) = fixture();
    let run = |args: &[&str]| -> (Option<i32>, String) {
        let out = vigie(dir.path())
            .arg("trend")
            .arg("--index")
            .arg(&idx)
            .args(args)
            .output()
            .expect("run vigie trend");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The fixture has no source: the note names the option, no byte.
    let (_, stderr) = run(&["--source", "otan", "cyberdéfense"]);
    assert!(
        stderr.contains("note: no statement's source holds the words of --source otan"),
        "{stderr}"
    );
    assert!(!stderr.contains("byte"), "{stderr}");
    // A note on the query names its byte in the query as typed: `OR` is
    // at byte 14 of `cyberdéfense OR` (é is two bytes).
    let (_, stderr) = run(&["--source", "otan", "cyberdéfense OR"]);
    assert!(stderr.contains("query at byte 14: `OR`"), "{stderr}");
    let (code, stderr) = run(&["--strict", "--source", "otan", "cyberdéfense OR"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("at byte 14"), "{stderr}");
}
