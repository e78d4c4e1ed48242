//! Numbered statements keep their unnumbered text, through the binary: a
//! preamble before paragraph 1 is paragraph 0, bullets, `a)` sub-points and
//! unnumbered sub-paragraphs belong to the numbered paragraph before them,
//! closing lines to the last one; page chrome stays out. The statements are
//! synthetic, in `tests/data/formats/unnumbered/` (see the README there).
//! Each test indexes into its own temporary `--index`, with `VIGIE_INDEX`
//! pointing at a temporary path, and reads `vigie search --json`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats/unnumbered")
        .join(name)
}

/// A temporary index holding the given files.
struct Indexed {
    _tmp: tempfile::TempDir,
    scratch: PathBuf,
    index: PathBuf,
}

fn vigie(scratch: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vigie").expect("vigie binary");
    cmd.env("VIGIE_INDEX", scratch.join("default-index"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn index(names: &[&str]) -> Indexed {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path().to_path_buf();
    let index = scratch.join("index");
    let out = vigie(&scratch)
        .arg("index")
        .arg("--index")
        .arg(&index)
        .args(names.iter().map(|n| data(n)))
        .output()
        .expect("running vigie index");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "vigie index failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    Indexed {
        _tmp: tmp,
        scratch,
        index,
    }
}

/// The hit objects of `vigie search --json ARGS -- QUERY`.
fn search(ix: &Indexed, args: &[&str], query: &str) -> Vec<Value> {
    let out = vigie(&ix.scratch)
        .args(["search", "--json", "-n", "50", "--index"])
        .arg(&ix.index)
        .args(args)
        .arg("--")
        .arg(query)
        .output()
        .expect("running vigie search");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    String::from_utf8(out.stdout)
        .expect("stdout is UTF-8")
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON line"))
        .filter(|v| v["type"] == "hit")
        .collect()
}

/// (paragraph, text) of the first hit of `query`, which must exist.
fn first(ix: &Indexed, query: &str) -> (u64, String) {
    let hits = search(ix, &[], query);
    let hit = hits
        .first()
        .unwrap_or_else(|| panic!("no hit for {query:?}"));
    (
        hit["paragraph"].as_u64().expect("paragraph"),
        hit["text"].as_str().expect("text").to_string(),
    )
}

/// Every paragraph of the statement that `query` finds first, as (number,
/// text), through `-C` context.
fn all_paragraphs(ix: &Indexed, query: &str) -> Vec<(u64, String)> {
    let hits = search(ix, &["-C", "1000"], query);
    let hit = hits
        .first()
        .unwrap_or_else(|| panic!("no hit for {query:?}"));
    let one = |v: &Value| {
        (
            v["paragraph"].as_u64().expect("paragraph"),
            v["text"].as_str().expect("text").to_string(),
        )
    };
    let around = |key: &str| {
        hit[key]
            .as_array()
            .map(|a| a.iter().map(one).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut all = around("before");
    all.push(one(hit));
    all.extend(around("after"));
    all
}

const PARAGRAPH_1: &str = "Nous sommes convenus de renforcer notre posture de dissuasion et \
                           de défense :\n\
                           • en accroissant nos stocks de munitions ;\n\
                           • en améliorant la disponibilité de nos forces.\n\
                           a) Les capacités seront évaluées chaque année.\n\
                           b) Les résultats seront rendus publics.\n\
                           Cet effort sera partagé équitablement entre Alliés.";

#[test]
fn txt_bullets_and_sub_points_are_in_their_paragraph() {
    let ix = index(&["communique-sommet.txt"]);
    let (number, text) = first(&ix, "munitions");
    assert_eq!(number, 1);
    assert_eq!(text, PARAGRAPH_1);
    for word in ["évaluées", "publics", "équitablement"] {
        assert_eq!(first(&ix, word), (1, PARAGRAPH_1.to_string()), "{word}");
    }
}

#[test]
fn txt_closing_line_is_in_the_last_paragraph() {
    let ix = index(&["communique-sommet.txt"]);
    assert_eq!(
        first(&ix, "Bruxelles"),
        (
            2,
            "Nous restons pleinement attachés au lien transatlantique.\n\
             Fait à Bruxelles, le 14 juin 2021."
                .to_string()
        )
    );
}

#[test]
fn txt_preamble_is_paragraph_zero() {
    let ix = index(&["communique-sommet.txt"]);
    let preamble = "Les dirigeants des pays membres de l'Alliance ont publié le \
                    communiqué suivant :";
    assert_eq!(first(&ix, "dirigeants"), (0, preamble.to_string()));

    let hit = &search(&ix, &[], "dirigeants")[0];
    assert_eq!(
        hit["title"].as_str(),
        Some("Communiqué du sommet des chefs d'État et de gouvernement")
    );
    assert_eq!(hit["date"].as_str(), Some("2021-06-14"));
    assert_eq!(
        hit["reference"].as_str(),
        Some("Communiqué de presse (2021) 086")
    );

    let numbers: Vec<u64> = all_paragraphs(&ix, "dirigeants")
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(numbers, [0, 1, 2]);
    // The header bullets are page chrome, not content.
    for chrome in ["Issued", "18:30"] {
        assert!(
            search(&ix, &["--exact"], &format!("\"{chrome}\"")).is_empty(),
            "{chrome}"
        );
    }
}

#[test]
fn html_introduction_list_and_conclusion_are_all_searchable() {
    let ix = index(&["declaration-ol.html"]);
    assert_eq!(
        first(&ix, "siège"),
        (
            0,
            "Les ministres de la Défense se sont réunis au siège et ont adopté la \
             déclaration suivante."
                .to_string()
        )
    );
    assert_eq!(
        first(&ix, "obus"),
        (
            1,
            "Nous augmenterons la production d'obus et de missiles.".to_string()
        )
    );
    let last = (
        2,
        "Nous renforcerons la défense aérienne intégrée.\n\
         Les ministres se retrouveront à Vilnius en juillet."
            .to_string(),
    );
    assert_eq!(first(&ix, "aérienne"), last);
    assert_eq!(first(&ix, "Vilnius"), last);
    let numbers: Vec<u64> = all_paragraphs(&ix, "obus")
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(numbers, [0, 1, 2]);
    for chrome in ["Accueil", "Mentions"] {
        assert!(search(&ix, &["--exact"], chrome).is_empty(), "{chrome}");
    }
}

#[test]
fn markdown_preamble_sub_paragraphs_and_closing_line() {
    let ix = index(&["declaration-md.md"]);
    assert_eq!(
        all_paragraphs(&ix, "détroits"),
        [
            (
                0,
                "Les ministres des Affaires étrangères ont adopté la déclaration suivante :"
                    .to_string()
            ),
            (
                1,
                "Nous protégerons les routes maritimes essentielles.\n\
                 Cette protection s'étend aux ports du littoral.\n\
                 surveillance des détroits ;\n\
                 escorte des convois."
                    .to_string()
            ),
            (
                2,
                "Nous coopérerons avec les garde-côtes.\n\
                 Fait à Lisbonne, le 3 mars 2022."
                    .to_string()
            ),
        ]
    );
    assert_eq!(first(&ix, "Lisbonne").0, 2);
    assert_eq!(first(&ix, "littoral").0, 1);
}
