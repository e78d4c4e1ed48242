//! The first issue's "Must hold" list, through the `vigie` binary, on an
//! index of the seed statement plus `../shared/corpus/statements-fr.jsonl`
//! (reported as ignored when `../shared` is absent, see `common::shared`).

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::*;
use unicode_normalization::UnicodeNormalization;

const SEED: &str = "nac-2021-07-19-cyber-fr";

/// One index for the whole file (built on first use).
fn index() -> &'static (tempfile::TempDir, PathBuf) {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let statements = shared("corpus/statements-fr.jsonl");
        let dir = tempfile::tempdir().expect("tempdir");
        let idx = build_index(dir.path(), &[&bundled_corpus(), &statements]);
        (dir, idx)
    })
}

fn run(query: &str) -> SearchRun {
    let (dir, idx) = index();
    search_json(dir.path(), idx, query, 50)
}

fn seed_paragraphs(r: &SearchRun) -> Vec<u64> {
    r.hits
        .iter()
        .filter(|h| h.doc_id == SEED)
        .map(|h| h.paragraph)
        .collect()
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn exchange_first_hit_is_seed_paragraph_3() {
    let r = run("Exchange");
    assert_eq!(r.code, 0);
    let first = &r.hits[0];
    assert_eq!((first.doc_id.as_str(), first.paragraph), (SEED, 3));
    assert!(first.marked().contains(&"Exchange"), "{:?}", first.marked());
    assert!(first.marked().iter().all(|m| *m == "Exchange"));
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn cyberdefense_with_or_without_accents_or_case() {
    for q in ["cyberdéfense", "cyberdefense", "CYBERDÉFENSE"] {
        let r = run(q);
        assert_eq!(r.code, 0, "{q}");
        let hit = r
            .hits
            .iter()
            .find(|h| h.doc_id == SEED && h.paragraph == 2)
            .unwrap_or_else(|| panic!("{q}: no §2"));
        assert!(
            hit.marked().contains(&"cyberdéfense"),
            "{q}: {:?}",
            hit.marked()
        );
    }
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn elided_alliance_finds_the_same_hits_as_alliance() {
    let bare = run("Alliance");
    assert!(!bare.hits.is_empty());
    let ids = |r: &SearchRun| {
        r.hits
            .iter()
            .map(|h| (h.doc_id.clone(), h.paragraph))
            .collect::<Vec<_>>()
    };
    for q in ["l'Alliance", "l’Alliance"] {
        let r = run(q);
        assert_eq!(ids(&r), ids(&bare), "{q}");
        for h in &r.hits {
            assert!(
                h.marked().iter().all(|m| m.to_lowercase() == "alliance"),
                "{:?}",
                h.marked()
            );
        }
    }
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn rançonneur_singular_and_unaccented_plural() {
    for q in ["rançonneur", "ranconneurs"] {
        let r = run(q);
        assert!(
            seed_paragraphs(&r).contains(&1),
            "{q}: {:?}",
            seed_paragraphs(&r)
        );
        let hit = r.hits.iter().find(|h| h.doc_id == SEED).unwrap();
        assert_eq!(hit.marked(), ["rançonneurs"]);
    }
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn phrase_matches_paragraph_3_only() {
    let r = run("\"serveurs Microsoft Exchange\"");
    // Only ¶3 holds the phrase as written; paragraphs that share its words
    // may follow, marked partial (the phrase is found too rarely).
    let exact: Vec<_> = r
        .hits
        .iter()
        .filter(|h| !h.partial())
        .map(|h| (h.doc_id.as_str(), h.paragraph))
        .collect();
    assert_eq!(exact, [(SEED, 3)]);
    assert_eq!((r.hits[0].doc_id.as_str(), r.hits[0].paragraph), (SEED, 3));
    // Both occurrences of the phrase are marked, word by word.
    assert_eq!(
        r.hits[0].marked(),
        [
            "serveurs",
            "Microsoft",
            "Exchange",
            "serveurs",
            "Microsoft",
            "Exchange"
        ]
    );
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn no_match_exits_1_with_empty_stdout_apart_from_json_summary() {
    let (dir, idx) = index();
    let out = vigie(dir.path())
        .args(["search", "--index"])
        .arg(idx)
        .arg("zzzzqx")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn malformed_queries_never_crash() {
    for q in [
        "\"unclosed",
        "AND OR",
        "(",
        ")",
        "-",
        "NOT",
        "a AND",
        "((cyber",
        "title:",
        "~",
        "*",
        "\"\"",
        "l'",
        "«",
    ] {
        let r = run(q);
        assert!(
            r.code == 0 || r.code == 1,
            "{q}: exit {} stderr {}",
            r.code,
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{q}: {}", r.stderr);
    }
    let r = run("\"unclosed");
    assert!(r.stderr.contains("unclosed quote"), "{}", r.stderr);
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn strict_reports_syntax_errors_with_exit_2() {
    let (dir, idx) = index();
    let out = vigie(dir.path())
        .args(["search", "--strict", "--index"])
        .arg(idx)
        .arg("\"unclosed")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("byte 0"));
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn strict_names_stray_operators_and_lone_signs() {
    let (dir, idx) = index();
    // (query, byte the error must name, words the message must hold)
    for (q, byte, words) in [
        ("otan - chine", 5, "`-` alone excludes nothing"),
        ("OR otan", 0, "`OR` has nothing before it"),
        ("défense AND AND otan", 13, "`AND` repeated"),
        ("otan NOT NOT chine", 9, "two negations cancel out"),
    ] {
        let out = vigie(dir.path())
            .args(["search", "--strict", "--index"])
            .arg(idx)
            .arg(q)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{q}: {stderr}");
        assert!(stderr.contains(&format!("byte {byte}")), "{q}: {stderr}");
        assert!(stderr.contains(words), "{q}: {stderr}");
        // Without --strict the same query is searched, with the note.
        let out = vigie(dir.path())
            .args(["search", "--index"])
            .arg(idx)
            .arg(q)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{q}: {stderr}");
        assert!(stderr.contains(words), "{q}: {stderr}");
    }
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn an_empty_query_is_a_usage_error() {
    let (dir, idx) = index();
    // Blank too: a zero-width space or a byte order mark pasted alone, or
    // only soft hyphens, joiners and direction marks.
    for q in ["", "   ", "\u{200B}", "\u{FEFF} ", "\u{AD}\u{200C}\u{200E}"] {
        for command in ["search", "trend"] {
            let out = vigie(dir.path())
                .args([command, "--index"])
                .arg(idx)
                .arg(q)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command} {q:?}: {stderr}");
            assert!(stderr.contains("the query is empty"), "{stderr}");
            assert!(out.stdout.is_empty());
        }
    }
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn json_lines_parse_and_highlights_are_matched_words() {
    let r = run("sécurité internationale");
    assert!(!r.hits.is_empty());
    for (i, h) in r.hits.iter().enumerate() {
        assert_eq!(h.rank, i as u64 + 1);
        for key in ["score", "title", "date", "lang", "doc_id"] {
            assert!(h.raw.get(key).is_some(), "missing {key}");
        }
        // Every hit shows why it matched: its highlighted words, or, for a
        // paragraph found through its statement, the partial mark.
        assert!(
            !h.highlights.is_empty() || (h.partial() && h.raw["via"] == "statement"),
            "hit without highlight or mark: {}",
            h.text
        );
        for m in h.marked() {
            let folded: String = m.nfc().collect::<String>().to_lowercase();
            assert!(
                folded.starts_with("sécur") || folded.starts_with("internation"),
                "unexpected highlight {m:?}"
            );
        }
    }
    let summary = r.summary.expect("summary line");
    let full = r.hits.iter().filter(|h| !h.partial()).count() as u64;
    assert!(summary["total"].as_u64().unwrap() >= full);
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn ties_and_order_are_deterministic() {
    let a = run("cyberespace");
    let b = run("cyberespace");
    let key = |r: &SearchRun| {
        r.hits
            .iter()
            .map(|h| (h.doc_id.clone(), h.paragraph))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
    // Full matches first, then partial ones; by score within each.
    let keys: Vec<(bool, f64)> = a
        .hits
        .iter()
        .map(|h| (!h.partial(), h.raw["score"].as_f64().unwrap()))
        .collect();
    assert!(keys
        .windows(2)
        .all(|w| (w[0].0 && !w[1].0) || (w[0].0 == w[1].0 && w[0].1 >= w[1].1)));
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn human_output_shows_title_date_paragraph_and_markers() {
    let (dir, idx) = index();
    let out = vigie(dir.path())
        .args(["search", "--index"])
        .arg(idx)
        .arg("Exchange")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("1. Déclaration du Conseil"), "{text}");
    assert!(text.contains("2021-07-19 · §3"), "{text}");
    assert!(text.contains("**Exchange**"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when piped");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "line over 80 columns: {line}");
    }
    let colored = vigie(dir.path())
        .args(["search", "--color", "always", "--index"])
        .arg(idx)
        .arg("Exchange")
        .output()
        .unwrap();
    assert!(String::from_utf8(colored.stdout).unwrap().contains("\x1b["));
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real corpus), absent next to this checkout"
)]
#[test]
fn closed_pipe_is_not_an_error() {
    let (dir, idx) = index();
    let bin = assert_cmd::cargo::cargo_bin("vigie");
    // `vigie search OPTIONS QUERY PIPE` in bash → (vigie's exit status as
    // bash saw it, bash's stderr).
    let piped = |options: &str, pipe: &str| -> (String, String) {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "{} search -n 1000 {options} --index {} 'cyberespace OR sécurité OR droit' {pipe}; echo ${{PIPESTATUS[0]}}",
                bin.display(),
                idx.display()
            ))
            .env("VIGIE_INDEX", dir.path().join("default-index"))
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Enough output to overflow the pipe buffer after `head` has gone.
    let (status, stderr) = piped("", "| head -n 1 >/dev/null");
    assert_eq!(status, "0", "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    // The same with stderr closed under the notes and explanations (which
    // used to panic with exit 101): the command still ends as usual.
    let (status, stderr) = piped(
        "--explain --json",
        "2>&1 >/dev/null | { exec 0<&-; sleep 1; }",
    );
    assert_eq!(status, "0", "{stderr}");
}

#[test]
fn context_follows_the_reading_order_when_numbers_start_again() {
    // SYNTHETIC statement whose annex numbers its paragraphs from 1 again.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("annexe.txt");
    std::fs::write(
        &file,
        "Déclaration test\n\n19 juillet 2021\n\n1. Premier alpha.\n\n2. Deuxième beta.\n\n\
         3. Troisième gamma.\n\nAnnexe\n\n1. Annexe un delta.\n\n2. Annexe deux epsilon.\n",
    )
    .expect("write");
    let idx = build_index(dir.path(), &[&file]);
    let neighbours = |query: &str| {
        let r = search_json_with(dir.path(), &idx, query, 1, &["-C", "1", "--all-words"]);
        assert_eq!(r.code, 0, "{query}: {}", r.stderr);
        let texts = |side: &str| -> Vec<String> {
            r.hits[0].raw[side]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|n| n["text"].as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        (texts("before"), texts("after"))
    };
    // The annex's first paragraph: after the body, before the annex's second.
    let (before, after) = neighbours("delta");
    assert!(
        before.len() == 1 && before[0].starts_with("Troisième gamma"),
        "{before:?}"
    );
    assert_eq!(after, vec!["Annexe deux epsilon.".to_string()]);
    // The body's second paragraph: its neighbours are the body's.
    let (before, after) = neighbours("beta");
    assert_eq!(before, vec!["Premier alpha.".to_string()]);
    assert!(
        after.len() == 1 && after[0].starts_with("Troisième gamma"),
        "{after:?}"
    );
}

#[test]
fn a_french_word_kept_to_english_paragraphs_says_how_to_reach_them() {
    // SYNTHETIC: one English statement, one French.
    let fixture = concat!(
        r#"{"id":"en","lang":"en","title":"Statement","paragraphs":["SYNTHETIC TEST TEXT. Security in cyberspace matters."]}"#,
        "\n",
        r#"{"id":"fr","lang":"fr","title":"Déclaration","paragraphs":["SYNTHETIC TEST TEXT. La sécurité du cyberespace compte."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let human = |query: &str| {
        let out = vigie(dir.path())
            .args(["search", "--lang", "en", "--index"])
            .arg(&idx)
            .arg("--")
            .arg(query)
            .output()
            .expect("running vigie");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = human("sécurité");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("try the English word"), "{stderr}");
    // The English word finds it; a word with no language mark gets no hint.
    let (code, stderr) = human("security");
    assert_eq!(code, Some(0), "{stderr}");
    let (_, stderr) = human("zzyzxq");
    assert!(!stderr.contains("try the English word"), "{stderr}");
}
