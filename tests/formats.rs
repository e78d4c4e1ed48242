//! Input formats through the binary (issue 7): HTML pages saved from a
//! browser, Markdown, files in Windows-1252 / UTF-16, and language
//! detection on a mixed French/English folder. The pages are synthetic, in
//! `tests/data/formats/` (see its README). Each test indexes into its own
//! temporary `--index`, with `VIGIE_INDEX` pointing at a temporary path, and
//! reads the hits of `vigie search --json`.
//!
//! The parsers never panic: property tests at the end feed them arbitrary
//! strings and bytes.

mod common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

use common::vigie;
use vigie::corpus::{self, encoding, html, markdown};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats")
        .join(rel)
}

/// Result of `vigie index`: the index directory and the run's stderr.
struct Indexed {
    _scratch: tempfile::TempDir,
    scratch: PathBuf,
    index: PathBuf,
    stderr: String,
}

/// Indexes the given paths (relative to `tests/data/formats`) into a fresh
/// temporary index; the run must succeed.
fn index(paths: &[&str]) -> Indexed {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path().to_path_buf();
    let index = scratch.join("index");
    let out = vigie(&scratch)
        .arg("index")
        .arg("--index")
        .arg(&index)
        .args(paths.iter().map(|p| data(p)))
        .output()
        .expect("running vigie index");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "vigie index failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    Indexed {
        _scratch: tmp,
        scratch,
        index,
        stderr,
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
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON line"))
        .filter(|v| v["type"] == "hit")
        .collect()
}

/// The first hit of `query`, which must exist.
fn first_hit(ix: &Indexed, query: &str) -> Value {
    search(ix, &[], query)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no hit for {query:?}"))
}

/// Every paragraph of the statement that `query` finds first, as (number,
/// text), through `-C` context.
fn paragraphs(ix: &Indexed, query: &str) -> Vec<(u64, String)> {
    let hit = search(ix, &["-C", "1000"], query)
        .into_iter()
        .next()
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
    all.push(one(&hit));
    all.extend(around("after"));
    all
}

fn str_field<'a>(hit: &'a Value, key: &str) -> Option<&'a str> {
    hit[key].as_str()
}

#[test]
fn html_statement_page_without_its_chrome() {
    let ix = index(&["pages/statement-chrome.html"]);
    let hit = first_hit(&ix, "câbles gazoducs");
    assert_eq!(str_field(&hit, "doc_id"), Some("statement-chrome"));
    assert_eq!(
        str_field(&hit, "title"),
        Some(
            "Déclaration du Conseil de l'Atlantique Nord sur la sécurité des \
             infrastructures sous-marines"
        )
    );
    assert_eq!(str_field(&hit, "date"), Some("2023-09-14"));
    assert_eq!(
        str_field(&hit, "reference"),
        Some("Communiqué de presse (2023) 131")
    );
    assert_eq!(str_field(&hit, "lang"), Some("fr"));
    assert_eq!(
        str_field(&hit, "url"),
        Some("https://example.org/otan/textes/131")
    );
    assert_eq!(hit["paragraph"], 1);

    let all = paragraphs(&ix, "câbles gazoducs");
    let numbers: Vec<u64> = all.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, [1, 2, 3, 4], "{all:#?}");
    assert_eq!(
        all[0].1,
        "Nous, membres du Conseil de l'Atlantique Nord, constatons que les câbles et \
         les gazoducs sous-marins sont essentiels à la prospérité et à la sécurité de \
         nos sociétés."
    );
    assert_eq!(
        all[1].1,
        // The two list items inside paragraph 2 stay on their own lines.
        "Nous condamnons les actes de sabotage visant ces infrastructures & nous \
         appelons à :\nrenforcer la surveillance des fonds marins ;\néchanger le \
         renseignement entre Alliés."
    );
    assert!(all[2].1.starts_with("Nous renforcerons notre coopération"));
    assert!(all[3].1.ends_with("riposte unie et déterminée."));

    const CHROME: [&str; 16] = [
        "cookies",
        "Accepter",
        "Accueil",
        "Actualités",
        "Rechercher",
        "Partager",
        "Facebook",
        "Imprimer",
        "Voir aussi",
        "Abonnez",
        "newsletter",
        "Mentions légales",
        "Plan du site",
        "Issued",
        "dataLayer",
        "contenu",
    ];
    for (_, text) in &all {
        for word in CHROME {
            assert!(
                !text.to_lowercase().contains(&word.to_lowercase()),
                "chrome {word:?} in {text:?}"
            );
        }
    }
    for word in CHROME {
        let hits = search(&ix, &["--exact"], &format!("\"{word}\""));
        assert!(hits.is_empty(), "{word:?} is indexed: {hits:#?}");
    }
}

#[test]
fn html_ordered_list_keeps_its_numbers_and_the_page_language() {
    let ix = index(&["pages/communique-ol.html"]);
    let hit = first_hit(&ix, "seabed");
    assert_eq!(
        str_field(&hit, "title"),
        Some("Joint statement on the protection of undersea cables")
    );
    assert_eq!(str_field(&hit, "date"), Some("2023-10-02"));
    assert_eq!(
        str_field(&hit, "reference"),
        Some("Press Release (2023) 140")
    );
    assert_eq!(str_field(&hit, "lang"), Some("en"));
    assert_eq!(str_field(&hit, "source"), Some("Alliance News"));
    let all = paragraphs(&ix, "seabed");
    assert_eq!(
        all,
        [
            // The introduction before the numbered items is paragraph 0.
            (
                0,
                "The ministers met in Brussels and agreed on the following points.".to_string()
            ),
            (
                5,
                "We will strengthen the monitoring of the seabed around critical \
                 pipelines and cables."
                    .to_string()
            ),
            (
                6,
                "We will share information with industry\nand with our partners\nwithout \
                 delay."
                    .to_string()
            ),
            (
                9,
                "We will hold a follow-up meeting before the end of the year.".to_string()
            ),
        ]
    );
    for chrome in ["Newsroom", "LinkedIn", "Related", "ports", "Terms"] {
        assert!(search(&ix, &["--exact"], chrome).is_empty(), "{chrome}");
    }
}

#[test]
fn soft_hyphens_inside_words_do_not_split_them() {
    // Official pages hyphenate long words with `&shy;`: the word is still
    // found as typed, and highlighted whole.
    let ix = index(&["pages/soft-hyphens.html"]);
    let hit = search(&ix, &["--all-words"], "cybersécurité")
        .into_iter()
        .find(|h| h["paragraph"] == 1)
        .expect("the paragraph of cyber&shy;sécu&shy;rité");
    let text = str_field(&hit, "text").expect("text");
    let [from, to] = [0, 1].map(|i| hit["highlights"][0][i].as_u64().expect("offset") as usize);
    assert_eq!(&text[from..to], "cyber\u{AD}sécu\u{AD}rité", "{hit}");
    // Its parts too, as for `cybersécurité` written without the hyphens.
    assert!(search(&ix, &["--all-words"], "\"cyber sécurité\"")
        .iter()
        .any(|h| h["paragraph"] == 1));
    // Nor does `sécu` alone match the broken-off part.
    assert!(search(&ix, &["--all-words", "--exact"], "sécu").is_empty());
}

#[test]
fn html_documentation_page() {
    let ix = index(&["pages/debian-style.html"]);
    let hit = first_hit(&ix, "gpgv");
    assert_eq!(
        str_field(&hit, "title"),
        Some("3.2. Vérifier la signature d'un paquet")
    );
    assert_eq!(hit["date"], Value::Null);
    assert_eq!(str_field(&hit, "lang"), Some("fr"));
    let all = paragraphs(&ix, "gpgv");
    let texts: Vec<&str> = all.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Chaque dépôt publie un fichier Release signé. Le gestionnaire de paquets \
             vérifie cette signature avant d'installer quoi que ce soit.",
            "La clé publique du dépôt doit être présente dans /etc/apt/trusted.gpg.d/.",
            "Une signature invalide interrompt la mise à jour.",
            "Pour vérifier un fichier à la main :",
            "$ gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg \\ \
             Release.gpg Release",
            "Les paquets téléchargés sont ensuite comparés aux sommes de contrôle du \
             fichier Packages.",
        ]
    );
    let numbers: Vec<u64> = all.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
    for nav in ["Précédent", "Suivant", "Sommaire"] {
        assert!(search(&ix, &["--exact"], nav).is_empty(), "{nav}");
    }
}

#[test]
fn windows_1252_page_is_decoded() {
    let ix = index(&["encodings/securite-1252.html"]);
    // Declared in <meta http-equiv>: no warning.
    assert!(!ix.stderr.contains("securite-1252"), "{}", ix.stderr);
    let hits = search(&ix, &[], "sécurité");
    assert!(!hits.is_empty(), "sécurité finds the page");
    let hit = &hits[0];
    assert_eq!(str_field(hit, "doc_id"), Some("securite-1252"));
    assert_eq!(
        str_field(hit, "title"),
        Some("Déclaration des ministres sur la sécurité énergétique")
    );
    assert_eq!(str_field(hit, "date"), Some("2022-02-03"));
    let text = str_field(hit, "text").expect("text");
    assert!(text.contains("sécurité"), "{text}");
    assert!(!text.contains('\u{fffd}') && !text.contains("Ã"), "{text}");
    let all = paragraphs(&ix, "sécurité");
    assert_eq!(
        all[0],
        (
            1,
            "Les ministres réaffirment que la sécurité énergétique de l’Europe est un \
             enjeu de défense collective."
                .to_string()
        )
    );
    assert_eq!(
        all[1].1,
        "Ils saluent les « efforts » déjà consentis — près de 300 millions d’€ — pour \
         protéger les réseaux électriques."
    );
    assert_eq!(all.len(), 3);
    // The unaccented spelling finds it too; the chrome cell is gone.
    assert!(!search(&ix, &[], "securite energetique").is_empty());
    assert!(search(&ix, &["--exact"], "Mentions").is_empty());
}

#[test]
fn undeclared_windows_1252_text_is_decoded_with_a_warning() {
    let ix = index(&["encodings/note-1252.txt"]);
    assert!(
        ix.stderr
            .contains("note-1252.txt:1: invalid UTF-8 at byte offset 16"),
        "{}",
        ix.stderr
    );
    assert!(ix.stderr.contains("Windows-1252"), "{}", ix.stderr);
    let hit = first_hit(&ix, "sécurité maritime");
    assert_eq!(
        str_field(&hit, "title"),
        Some("Note sur la coopération régionale")
    );
    assert_eq!(str_field(&hit, "date"), Some("2022-03-12"));
    assert_eq!(
        str_field(&hit, "text"),
        Some("La délégation française a présenté ses priorités en matière de sécurité maritime.")
    );
    let second = first_hit(&ix, "garde-côtes");
    assert_eq!(
        str_field(&second, "text"),
        Some("Les participants ont salué l’initiative et décidé d’y associer les garde-côtes.")
    );
}

#[test]
fn utf16_markdown_is_decoded() {
    let ix = index(&["encodings/compte-rendu-utf16.md"]);
    assert!(!ix.stderr.contains("compte-rendu"), "{}", ix.stderr);
    let hit = first_hit(&ix, "résilience");
    assert_eq!(
        str_field(&hit, "title"),
        Some("Compte rendu de la réunion d'experts")
    );
    assert_eq!(str_field(&hit, "date"), Some("2022-04-05"));
    assert_eq!(hit["paragraph"], 1);
    assert_eq!(
        str_field(&hit, "text"),
        Some("Les experts ont examiné la résilience des réseaux de télécommunication.")
    );
}

#[test]
fn markdown_statement() {
    let ix = index(&["markdown/declaration-commune.md"]);
    let hit = first_hit(&ix, "rançongiciels");
    assert_eq!(str_field(&hit, "doc_id"), Some("declaration-commune"));
    assert_eq!(
        str_field(&hit, "title"),
        Some("Déclaration commune sur la résilience des réseaux")
    );
    assert_eq!(str_field(&hit, "date"), Some("2021-07-19"));
    assert_eq!(
        str_field(&hit, "reference"),
        Some("Communiqué de presse (2021) 125")
    );
    assert_eq!(str_field(&hit, "lang"), Some("fr"));
    assert_eq!(hit["paragraph"], 2);
    let all = paragraphs(&ix, "rançongiciels");
    assert_eq!(
        all,
        [
            // The sentence introducing the numbered list is paragraph 0.
            (
                0,
                "Les ministres des Affaires étrangères ont adopté la déclaration suivante :"
                    .to_string()
            ),
            (
                1,
                "Nous réaffirmons notre attachement à un cyberespace ouvert, libre et sûr, \
                 conformément au droit international."
                    .to_string()
            ),
            (
                2,
                "Nous condamnons les rançongiciels visant les hôpitaux :\nils mettent des \
                 vies en danger ;\nleurs auteurs doivent répondre de leurs actes."
                    .to_string()
            ),
            (
                3,
                "Nous nous réunirons de nouveau en 2022 pour faire le point.".to_string()
            ),
        ]
    );
    for (_, text) in &all {
        assert!(!text.contains("**") && !text.contains("](") && !text.contains('`'));
    }
    for absent in ["Partager", "Prochaines", "example"] {
        assert!(search(&ix, &["--exact"], absent).is_empty(), "{absent}");
    }
}

#[test]
fn mixed_french_and_english_folder() {
    let ix = index(&["mixed"]);
    for (query, doc, lang) in [
        ("hybrid threats", "statement-en", "en"),
        ("menaces hybrides", "declaration-fr", "fr"),
        ("twenty-four hours", "briefing-en", "en"),
        ("exploitants incidents", "compte-rendu-fr", "fr"),
    ] {
        let hits = search(&ix, &[], query);
        let hit = hits
            .iter()
            .find(|h| h["doc_id"] == doc)
            .unwrap_or_else(|| panic!("{query:?} does not find {doc}: {hits:#?}"));
        assert_eq!(str_field(hit, "lang"), Some(lang), "{doc}");
    }
    // The language filter agrees.
    let english: Vec<Value> = search(&ix, &["--lang", "en"], "port");
    assert!(!english.is_empty());
    for hit in &english {
        assert_eq!(str_field(hit, "lang"), Some("en"), "{hit}");
    }
}

#[test]
fn the_whole_folder_indexes_cleanly() {
    let ix = index(&["."]);
    // Only the undeclared Windows-1252 file deserves a warning.
    let warnings: Vec<&str> = ix
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", ix.stderr);
    assert!(warnings[0].contains("note-1252.txt"), "{}", ix.stderr);
}

// ---------------------------------------------------------------------------
// Never panic.

/// Tag soup with the constructs the HTML reader looks at.
fn html_ish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Zéèàç ]{0,10}",
        Just("\n".to_string()),
        Just("&nbsp;".to_string()),
        Just("&".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("<br>".to_string()),
        Just("1.".to_string()),
        Just("12. ".to_string()),
        Just("19 juillet 2021".to_string()),
        Just("(2021) 120".to_string()),
        Just("Partager".to_string()),
        Just("Issued on".to_string()),
        "<(p|ol|ul|li|h1|h2|main|article|header|nav|footer|div|table|tr|td|pre|time|form|span|html|body|head|title|script|style|meta)( (start|value|datetime|class|id|lang|hidden|role|charset|reversed)=\"[-0-9a-z]{0,20}\")?>",
        "</(p|ol|ul|li|h1|h2|main|article|header|nav|footer|div|table|tr|td|pre|time|form|span|html|body|head|title|script|style)>",
    ];
    proptest::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

/// Markdown-like text with the constructs the Markdown reader looks at.
fn markdown_ish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zA-Zéèàç ]{0,10}",
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("- ".to_string()),
        Just("  ".to_string()),
        Just("> ".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("---\n".to_string()),
        Just("[".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("![".to_string()),
        Just("|".to_string()),
        Just("<br>".to_string()),
        Just("19 juillet 2021".to_string()),
        Just("(2021) 120".to_string()),
        "[0-9]{1,12}[.)] ",
    ];
    proptest::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

fn check(doc: &corpus::Document) -> Result<(), TestCaseError> {
    prop_assert!(!doc.paragraphs.is_empty());
    prop_assert!(!doc.lang.is_empty());
    for p in &doc.paragraphs {
        prop_assert!(!p.text.is_empty());
        prop_assert_eq!(p.text.trim(), p.text.as_str());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn html_parser_never_panics(text in any::<String>()) {
        if let Ok(doc) = html::parse_html(&text, Path::new("x.html")) {
            check(&doc)?;
        }
    }

    #[test]
    fn html_parser_never_panics_on_tag_soup(text in html_ish()) {
        if let Ok(doc) = html::parse_html(&text, Path::new("x.html")) {
            check(&doc)?;
        }
    }

    #[test]
    fn markdown_parser_never_panics(text in any::<String>()) {
        if let Ok(doc) = markdown::parse_markdown(&text, Path::new("x.md")) {
            check(&doc)?;
        }
    }

    #[test]
    fn markdown_parser_never_panics_on_markdown_like_text(text in markdown_ish()) {
        if let Ok(doc) = markdown::parse_markdown(&text, Path::new("x.md")) {
            check(&doc)?;
        }
    }

    #[test]
    fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = encoding::decode_html(&bytes);
        if let Ok(decoded) = encoding::decode_text(&bytes) {
            if std::str::from_utf8(&bytes).is_ok() && !bytes.starts_with(b"\xEF\xBB\xBF") {
                prop_assert_eq!(decoded.text.as_bytes(), bytes.as_slice());
            }
        }
    }

    #[test]
    fn reading_files_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512), soup in html_ish()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut page = b"<meta charset=windows-1252>".to_vec();
        page.extend_from_slice(&bytes);
        for (name, content) in [
            ("a.html", bytes.clone()),
            ("b.md", bytes.clone()),
            ("c.html", soup.into_bytes()),
            ("d.htm", page),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &content).expect("write");
            let _ = corpus::read_file(&path, &mut |_| {}, &mut |_| {});
        }
    }
}

#[test]
fn a_statement_is_dated_by_its_closing_line() {
    // SYNTHETIC: no date under the title; the signature line has one.
    let ix = index(&["markdown/closing-date.md"]);
    let hit = first_hit(&ix, "coopération numérique réunir");
    assert_eq!(str_field(&hit, "date"), Some("2023-07-14"), "{hit}");
}
