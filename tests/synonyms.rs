//! Synonyms and cross-language search through the binary (issue 11), on a
//! small synthetic fixture written here: acronyms in both directions,
//! multi-word entries matched as phrases, ambiguous acronyms only in
//! capitals, English and French queries finding the other language through
//! twins and through the thesaurus, the user's own synonym files (flag,
//! environment, stored with the index), `--exact`, highlights on the
//! synonym as written, and `--explain`.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// SYNTHETIC statements: paragraphs written for these tests. `fr-x` and
/// `en-x` are twins (the same statement in French and English).
const FIXTURE: &str = concat!(
    r#"{"id":"fr-onu","lang":"fr","title":"Communiqué sur la coopération","paragraphs":["SYNTHETIC TEST TEXT. Les Nations unies appellent au dialogue.","SYNTHETIC TEST TEXT. L'ONU réunit ses membres.","SYNTHETIC TEST TEXT. Les nations du monde sont unies par un traité.","SYNTHETIC TEST TEXT. Un accord a été trouvé."]}"#,
    "\n",
    r#"{"id":"en-onu","lang":"en","title":"Statement on cooperation","paragraphs":["SYNTHETIC TEST TEXT. The United Nations call for dialogue.","SYNTHETIC TEST TEXT. The UN brings its members together.","SYNTHETIC TEST TEXT. The nations of the world are united by a treaty.","SYNTHETIC TEST TEXT. An agreement was found."]}"#,
    "\n",
    r#"{"id":"fr-rancon","lang":"fr","title":"Menaces","paragraphs":["SYNTHETIC TEST TEXT. Les logiciels rançonneurs visent les hôpitaux.","SYNTHETIC TEST TEXT. La concertation entre États se poursuit."]}"#,
    "\n",
    r#"{"id":"en-rancon","lang":"en","title":"Threats","paragraphs":["SYNTHETIC TEST TEXT. Ransomware targets hospitals.","SYNTHETIC TEST TEXT. Consultation between States goes on."]}"#,
    "\n",
    r#"{"id":"sante","lang":"fr","title":"Santé","paragraphs":["SYNTHETIC TEST TEXT. Les établissements de santé renforcent leur sécurité.","SYNTHETIC TEST TEXT. Le dialogue social reprend.","SYNTHETIC TEST TEXT. DÉCLARATION COMMUNE SUR UN ACCORD","SYNTHETIC TEST TEXT. Nobody knows who decides.","SYNTHETIC TEST TEXT. The WHO decides."]}"#,
    "\n",
);

fn fixture() -> (tempfile::TempDir, PathBuf) {
    index_of(FIXTURE)
}

/// (doc_id, paragraph, via) of every hit.
fn keys(r: &SearchRun) -> Vec<(String, u64, Option<String>)> {
    r.hits
        .iter()
        .map(|h| {
            (
                h.doc_id.clone(),
                h.paragraph,
                h.raw["via"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn key(id: &str, n: u64, via: Option<&str>) -> (String, u64, Option<String>) {
    (id.to_string(), n, via.map(str::to_string))
}

fn hit<'a>(r: &'a SearchRun, id: &str, n: u64) -> &'a JsonHit {
    r.hits
        .iter()
        .find(|h| h.doc_id == id && h.paragraph == n)
        .unwrap_or_else(|| panic!("{id} §{n} is not a hit: {:?}", keys(r)))
}

/// Only paragraphs holding the query (or a synonym of it) as a whole: no
/// partial matches, no paragraphs lent by statements or translations.
fn strict(dir: &Path, idx: &Path, query: &str, extra: &[&str]) -> SearchRun {
    let mut args = vec!["--all-words"];
    args.extend_from_slice(extra);
    search_json_with(dir, idx, query, 20, &args)
}

#[test]
fn an_acronym_finds_the_name_and_the_name_the_acronym() {
    let (dir, idx) = fixture();
    let r = strict(dir.path(), &idx, "ONU", &["--lang", "fr"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The acronym as typed first, then "Nations unies" through the
    // thesaurus; "nations … unies" apart is not the name.
    assert_eq!(
        keys(&r),
        vec![key("fr-onu", 2, None), key("fr-onu", 1, Some("synonym"))]
    );
    assert!(!hit(&r, "fr-onu", 1).partial(), "a synonym match is whole");
    let back = strict(dir.path(), &idx, "\"Nations unies\"", &["--lang", "fr"]);
    assert_eq!(
        keys(&back),
        vec![key("fr-onu", 1, None), key("fr-onu", 2, Some("synonym"))]
    );
}

#[test]
fn an_ambiguous_acronym_counts_only_in_capitals() {
    let (dir, idx) = fixture();
    // `UN` typed in capitals: the United Nations in both languages, never
    // the article of "Un accord" nor "unies" apart.
    let r = strict(dir.path(), &idx, "UN", &[]);
    let mut k = keys(&r);
    k.sort();
    assert_eq!(
        k,
        vec![
            key("en-onu", 1, Some("synonym")),
            key("en-onu", 2, None),
            key("fr-onu", 1, Some("synonym")),
            key("fr-onu", 2, Some("synonym")),
        ]
    );
    // The name searches `UN` in capitals only: not "Un accord".
    let name = strict(dir.path(), &idx, "\"Nations unies\"", &[]);
    let k = keys(&name);
    assert!(k.contains(&key("en-onu", 2, Some("synonym"))), "{k:?}");
    assert!(!k.iter().any(|h| h.1 == 4), "{k:?}");
}

#[test]
fn an_english_query_finds_french_paragraphs_and_the_reverse() {
    let (dir, idx) = fixture();
    // Through the thesaurus: "ransomware" is "logiciels rançonneurs".
    let r = strict(dir.path(), &idx, "ransomware", &["--lang", "fr"]);
    assert_eq!(keys(&r), vec![key("fr-rancon", 1, Some("synonym"))]);
    assert_eq!(
        hit(&r, "fr-rancon", 1).marked(),
        ["logiciels", "rançonneurs"]
    );
    let back = strict(dir.path(), &idx, "rançongiciel", &["--lang", "en"]);
    assert_eq!(keys(&back), vec![key("en-rancon", 1, Some("synonym"))]);
    // Through the twin: "hospitals" is in no thesaurus entry; the French
    // version of the paragraph comes after the English one, marked.
    let twin = search_json(dir.path(), &idx, "hospitals", 10);
    let k = keys(&twin);
    assert_eq!(k.first(), Some(&key("en-rancon", 1, None)), "{k:?}");
    assert!(k.contains(&key("fr-rancon", 1, Some("twin"))), "{k:?}");
    let reverse = search_json(dir.path(), &idx, "hôpitaux", 10);
    let k = keys(&reverse);
    assert_eq!(k.first(), Some(&key("fr-rancon", 1, None)), "{k:?}");
    assert!(k.contains(&key("en-rancon", 1, Some("twin"))), "{k:?}");
    // `--lang` still restricts.
    let only_en = search_json_with(dir.path(), &idx, "hôpitaux", 10, &["--lang", "en"]);
    assert!(only_en.hits.iter().all(|h| h.doc_id.starts_with("en-")));
}

#[test]
fn typed_words_rank_above_their_synonyms() {
    let (dir, idx) = fixture();
    // Both languages: the paragraphs saying "United Nations" as typed come
    // before those saying it otherwise.
    let r = strict(dir.path(), &idx, "United Nations", &[]);
    let k = keys(&r);
    let first_synonym = k.iter().position(|h| h.2.is_some()).expect("synonyms");
    assert!(
        k[..first_synonym].iter().all(|h| h.2.is_none()) && first_synonym > 0,
        "{k:?}"
    );
    assert!(k[first_synonym..].iter().all(|h| h.2.is_some()), "{k:?}");
}

#[test]
fn highlights_land_on_the_synonym_as_written() {
    let (dir, idx) = fixture();
    let r = strict(dir.path(), &idx, "ONU", &[]);
    assert_eq!(hit(&r, "fr-onu", 1).marked(), ["Nations", "unies"]);
    assert_eq!(hit(&r, "fr-onu", 2).marked(), ["ONU"]);
    assert_eq!(hit(&r, "en-onu", 2).marked(), ["UN"]);
    assert_eq!(hit(&r, "en-onu", 1).marked(), ["United", "Nations"]);
}

#[test]
fn exact_turns_expansion_off() {
    let (dir, idx) = fixture();
    let r = strict(dir.path(), &idx, "ONU", &["--exact"]);
    assert_eq!(keys(&r), vec![key("fr-onu", 2, None)]);
    assert!(!r.stderr.contains("synonyms:"), "{}", r.stderr);
    let explained = search_json_with(dir.path(), &idx, "ONU", 5, &["--exact", "--explain"]);
    assert!(
        explained.stderr.contains("--exact: no synonyms"),
        "{}",
        explained.stderr
    );
    let none = strict(dir.path(), &idx, "ransomware", &["--exact", "--lang", "fr"]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    // Nothing as typed, but "Les logiciels rançonneurs visent les
    // hôpitaux." through the synonym: said, so that the empty answer is
    // not read as a subject the texts lack.
    assert!(
        none.stderr.contains(
            "--exact: nothing holds the words as typed; without --exact, 1 paragraph matches"
        ),
        "{}",
        none.stderr
    );
    // A phrase as written only: "rançonneurs hôpitaux" is not in the
    // texts, and is not loosened to its words near each other (which finds
    // the French paragraph, and its English version as a translation).
    let phrase = search_json_with(
        dir.path(),
        &idx,
        "\"rançonneurs hôpitaux\"",
        5,
        &["--exact"],
    );
    assert_eq!(phrase.code, 1, "{:?}", keys(&phrase));
    assert!(
        !phrase.stderr.contains("near each other"),
        "{}",
        phrase.stderr
    );
    assert!(
        phrase
            .stderr
            .contains("without --exact, 2 paragraphs partly match"),
        "{}",
        phrase.stderr
    );
    let loosened = search_json(dir.path(), &idx, "\"rançonneurs hôpitaux\"", 5);
    assert_eq!(loosened.code, 0, "{}", loosened.stderr);
    assert!(
        loosened.stderr.contains("near each other"),
        "{}",
        loosened.stderr
    );
}

#[test]
fn explain_shows_each_expansion_and_its_source() {
    let (dir, idx) = fixture();
    let r = search_json_with(dir.path(), &idx, "ONU", 5, &["--explain"]);
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("vigie: explain: ONU → also"))
        .unwrap_or_else(|| panic!("no expansion line: {}", r.stderr));
    for part in [
        "\"Nations unies\"",
        "UN (in capitals)",
        "\"United Nations\"",
        "synonyms: thesaurus/default.txt:",
        "source: official names",
    ] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
}

#[test]
fn phrase_notes_say_their_counts_hold_synonyms() {
    let (dir, idx) = fixture();
    // "Nations unies" is written in one paragraph (fr-onu §1); `ONU`,
    // `UN` and "United Nations" (fr-onu §2, en-onu §1, §2) are its
    // synonyms: 4 paragraphs, of which only 1 as written.
    let r = search_json_with(dir.path(), &idx, "\"Nations unies\"", 20, &[]);
    let note = r
        .stderr
        .lines()
        .find(|l| l.contains("the phrase as written"))
        .unwrap_or_else(|| panic!("no phrase note: {}", r.stderr));
    assert!(
        note.contains("4 paragraphs hold the phrase as written or its synonyms;"),
        "{note}"
    );
    // Under a filter that removes them all, the count of removed
    // paragraphs is of the same kind.
    let r = search_json_with(dir.path(), &idx, "\"Nations unies\" date:2030", 20, &[]);
    assert!(
        r.stderr.contains("(it or a synonym does in 4 they remove)"),
        "{}",
        r.stderr
    );
}

#[test]
fn user_synonyms_equivalence_one_way_comments_and_bad_lines() {
    let (dir, idx) = fixture();
    let mine = dir.path().join("mine.txt");
    std::fs::write(
        &mine,
        "# my own groups\n\nhôpitaux, établissements de santé\ndialogue => concertation\n",
    )
    .expect("write synonyms");
    let mine = mine.to_str().expect("utf-8 path");
    let with = |q: &str| strict(dir.path(), &idx, q, &["--lang", "fr", "--synonyms", mine]);
    // Without the file, hôpitaux does not find the health establishments.
    let plain = strict(dir.path(), &idx, "hôpitaux", &["--lang", "fr"]);
    assert_eq!(keys(&plain), vec![key("fr-rancon", 1, None)]);
    // Equivalence, both ways.
    let r = with("hôpitaux");
    assert_eq!(
        keys(&r),
        vec![key("fr-rancon", 1, None), key("sante", 1, Some("synonym"))]
    );
    let r = with("établissements de santé");
    assert!(keys(&r).contains(&key("fr-rancon", 1, Some("synonym"))));
    // One-way: dialogue finds concertation, not the reverse.
    let r = with("dialogue");
    assert!(keys(&r).contains(&key("fr-rancon", 2, Some("synonym"))));
    let r = with("concertation");
    assert_eq!(keys(&r), vec![key("fr-rancon", 2, None)]);
    // The environment variable does what the flag does.
    let mut cmd = vigie(dir.path());
    cmd.env("VIGIE_SYNONYMS", mine).args([
        "search",
        "--index",
        idx.to_str().expect("path"),
        "--json",
        "--all-words",
        "hôpitaux",
    ]);
    let out = cmd.output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"sante\""));
    // A bad line: exit 2, file and line named, nothing searched.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "hôpitaux, cliniques\nseul\n").expect("write bad");
    let r = search_json_with(
        dir.path(),
        &idx,
        "hôpitaux",
        5,
        &["--synonyms", bad.to_str().expect("path")],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.txt:2: only one entry"),
        "{}",
        r.stderr
    );
    assert!(r.hits.is_empty());
    assert!(
        !r.stderr.contains("VIGIE_SYNONYMS"),
        "given by flag: {}",
        r.stderr
    );
    // The same bad file from the environment: the variable is named.
    let out = vigie(dir.path())
        .env("VIGIE_SYNONYMS", &bad)
        .args(["search", "--index", idx.to_str().expect("path"), "hôpitaux"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.txt:2: only one entry"), "{stderr}");
    assert!(
        stderr.contains("synonyms file of $VIGIE_SYNONYMS"),
        "{stderr}"
    );
}

#[test]
fn synonyms_stored_with_the_index_serve_every_search() {
    let (dir, idx) = fixture();
    let mine = dir.path().join("mine.txt");
    std::fs::write(&mine, "hôpitaux, établissements de santé\n").expect("write");
    let index = |extra: &[&str]| {
        let mut cmd = vigie(dir.path());
        cmd.args(["index", "--index", idx.to_str().expect("path")])
            .args(extra);
        cmd.output().expect("run")
    };
    // A bad file is refused before anything is indexed or stored.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "a,,b\n").expect("write");
    let out = index(&["--synonyms", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.txt:1: empty entry"));
    assert!(!idx.join("vigie-synonyms.txt").exists());
    // Stored: every search uses it, without a flag.
    let out = index(&["--synonyms", mine.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = strict(dir.path(), &idx, "hôpitaux", &["--lang", "fr"]);
    assert!(
        keys(&r).contains(&key("sante", 1, Some("synonym"))),
        "{:?}",
        keys(&r)
    );
    // `vigie stats` says so.
    let mut cmd = vigie(dir.path());
    cmd.args(["stats", "--index", idx.to_str().expect("path")]);
    let stats = String::from_utf8_lossy(&cmd.output().expect("run").stdout).into_owned();
    assert!(
        stats.contains("synonyms     1 group stored with the index"),
        "{stats}"
    );
    // A rebuild keeps it; --no-synonyms removes it.
    let out = index(&["--rebuild"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = strict(dir.path(), &idx, "hôpitaux", &["--lang", "fr"]);
    assert!(
        keys(&r).contains(&key("sante", 1, Some("synonym"))),
        "{:?}",
        keys(&r)
    );
    let out = index(&["--no-synonyms"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = strict(dir.path(), &idx, "hôpitaux", &["--lang", "fr"]);
    assert_eq!(keys(&r), vec![key("fr-rancon", 1, None)]);
}

/// The queries of `benches/queries.txt` whose expansion is meant: the
/// thesaurus names them (FranceTerme: "rançongiciel" is "logiciel
/// rançonneur", eq. ransomware; "logiciel libre", eq. free software).
const MEANT: &[&str] = &["rançongiciel", "logiciel libre"];

#[test]
#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared/relevance/corpus.jsonl (absent on a fresh clone)"
)]
fn the_thesaurus_changes_bench_queries_only_where_meant() {
    let corpus = shared("relevance/corpus.jsonl");
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = build_index(dir.path(), &[&corpus]);
    let queries =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/queries.txt"))
            .expect("benches/queries.txt");
    let hits = |q: &str, extra: &[&str]| {
        let r = search_json_with(dir.path(), &idx, q, 20, extra);
        (
            r.hits
                .iter()
                .map(|h| (h.doc_id.clone(), h.paragraph))
                .collect::<Vec<_>>(),
            r.stderr,
        )
    };
    let mut expanded = Vec::new();
    for q in queries
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (with, explain) = hits(q, &["--explain"]);
        let (without, _) = hits(q, &["--without-rule", "synonyms"]);
        let expands = explain.contains("synonyms: thesaurus/default.txt");
        if expands {
            expanded.push(q.to_string());
            assert_ne!(with, without, "{q}: expanded, yet the same hits");
        } else {
            assert_eq!(with, without, "{q}: no expansion, yet other hits");
        }
    }
    assert_eq!(expanded, MEANT);
}

#[test]
fn acronyms_in_capitals_only_not_in_headings_nor_in_lower_case() {
    let (dir, idx) = fixture();
    // A heading in capitals says "un", not the United Nations.
    let r = strict(dir.path(), &idx, "UN", &[]);
    assert!(!keys(&r).iter().any(|h| h.0 == "sante"), "{:?}", keys(&r));
    // An ambiguous acronym typed in capitals is searched in capitals only.
    let r = strict(dir.path(), &idx, "WHO", &[]);
    assert_eq!(keys(&r), vec![key("sante", 5, None)]);
}

#[test]
fn exclusions_are_not_widened_and_exact_ignores_synonym_files() {
    let (dir, idx) = fixture();
    // `-ONU` excludes what it says: the paragraph naming the United
    // Nations otherwise stays.
    let r = strict(dir.path(), &idx, "dialogue -ONU", &["--lang", "fr"]);
    assert!(keys(&r).contains(&key("fr-onu", 1, None)), "{:?}", keys(&r));
    // A broken synonym file does not stop --exact, which reads none.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "seul\n").expect("write");
    let r = search_json_with(
        dir.path(),
        &idx,
        "ONU",
        5,
        &["--exact", "--synonyms", bad.to_str().expect("path")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// SYNTHETIC statements for related concepts (`# related:` in the
/// thesaurus): `vie privée` is related to `protection des données` and
/// `données personnelles` in the default thesaurus, and is `privacy` in
/// English.
const RELATED_FIXTURE: &str = concat!(
    r#"{"id":"fr-vie","lang":"fr","title":"Libertés","paragraphs":["SYNTHETIC TEST TEXT. Le respect de la vie privée des citoyens est garanti.","SYNTHETIC TEST TEXT. La concertation se poursuit."]}"#,
    "\n",
    r#"{"id":"fr-donnees","lang":"fr","title":"Usagers","paragraphs":["SYNTHETIC TEST TEXT. Les données personnelles des usagers sont chiffrées.","SYNTHETIC TEST TEXT. Les horaires changent."]}"#,
    "\n",
    r#"{"id":"en-priv","lang":"en","title":"Rights","paragraphs":["SYNTHETIC TEST TEXT. Privacy is a right of every citizen.","SYNTHETIC TEST TEXT. Opening hours change."]}"#,
    "\n",
);

/// Every hit, ranked: partial matches, lent and related paragraphs too.
fn ranked(dir: &Path, idx: &Path, query: &str, extra: &[&str]) -> SearchRun {
    search_json_with(dir, idx, query, 20, extra)
}

#[test]
fn related_concepts_come_after_the_words_and_are_marked_related() {
    let (dir, idx) = index_of(RELATED_FIXTURE);
    let r = ranked(dir.path(), &idx, "vie privée", &["--explain"]);
    let k = keys(&r);
    // The words as typed first; the English synonym and the related
    // concept ("données personnelles") after them, each marked.
    assert_eq!(k.first(), Some(&key("fr-vie", 1, None)), "{k:?}");
    assert!(k.contains(&key("en-priv", 1, Some("synonym"))), "{k:?}");
    assert!(k.contains(&key("fr-donnees", 1, Some("related"))), "{k:?}");
    let related = hit(&r, "fr-donnees", 1);
    assert_eq!(related.marked(), ["données", "personnelles"]);
    // It holds none of the words asked for: partial, with no matched term.
    assert_eq!(related.raw["partial"], true, "{:?}", related.raw);
    assert_eq!(related.raw["matched_terms"], serde_json::json!([]));
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("vigie: explain: vie privée → also"))
        .unwrap_or_else(|| panic!("no expansion line: {}", r.stderr));
    assert!(
        line.contains("\"privacy\"")
            && line.contains("related, weighted 0.5: ")
            && line.contains("\"données personnelles\"")
            && line.contains("; related: thesaurus/default.txt:"),
        "{line}"
    );
    // Counted apart from the paragraphs that hold the words: one paragraph
    // says "vie privée", one "privacy".
    let summary = r.summary.as_ref().expect("a summary line");
    assert_eq!(summary["total"], 2, "{summary}");
    // A quoted phrase asks for its wording: synonyms, no related concept.
    let quoted = ranked(dir.path(), &idx, "\"vie privée\"", &[]);
    let k = keys(&quoted);
    assert!(k.contains(&key("en-priv", 1, Some("synonym"))), "{k:?}");
    assert!(k.iter().all(|h| h.0 != "fr-donnees"), "{k:?}");
    // `--all-words` keeps to the words and their synonyms; `--exact` to
    // the words.
    let strict_run = strict(dir.path(), &idx, "vie privée", &[]);
    assert!(
        keys(&strict_run)
            .iter()
            .all(|h| h.2.as_deref() != Some("related")),
        "{:?}",
        keys(&strict_run)
    );
    let exact = strict(dir.path(), &idx, "vie privée", &["--exact"]);
    assert_eq!(keys(&exact), vec![key("fr-vie", 1, None)]);
}

#[test]
fn a_phrase_loosened_to_its_words_does_not_reach_related_concepts() {
    let (dir, idx) = index_of(RELATED_FIXTURE);
    // Found as written nowhere: loosened to its words near each other,
    // then anywhere. With related concepts, the paragraph saying "données
    // personnelles des usagers" would hold every part (`usagers` as
    // typed, "vie privée" through its related concept); without, it holds
    // too little of the query to be shown.
    let r = ranked(dir.path(), &idx, "\"la vie privée des usagers\"", &[]);
    assert!(r.stderr.contains("showing them anywhere"), "{}", r.stderr);
    assert!(
        keys(&r).iter().all(|h| h.2.as_deref() != Some("related")),
        "{:?}\n{}",
        keys(&r),
        r.stderr
    );
}

#[test]
fn a_user_file_can_relate_its_groups() {
    let (dir, idx) = index_of(RELATED_FIXTURE);
    let file = dir.path().join("related.txt");
    let with = |text: &str, query: &str, extra: &[&str]| {
        std::fs::write(&file, text).expect("write");
        let mut args = vec!["--synonyms", file.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        ranked(dir.path(), &idx, query, &args)
    };
    let relates = "# related: horaires\nconcertation, dialogue\nhoraires, opening hours\n";
    let r = with(relates, "concertation", &[]);
    let k = keys(&r);
    assert_eq!(k.first(), Some(&key("fr-vie", 2, None)), "{k:?}");
    assert!(k.contains(&key("fr-donnees", 2, Some("related"))), "{k:?}");
    assert!(k.contains(&key("en-priv", 2, Some("related"))), "{k:?}");
    // One way, as written: `horaires` has no related concept.
    let back = with(relates, "horaires", &["--lang", "fr", "--all-words"]);
    assert_eq!(keys(&back), vec![key("fr-donnees", 2, None)]);
    // Bad `# related:` lines are named with their file and line, never
    // ignored: a group related to itself, a name found nowhere, a line
    // naming nothing, a line followed by no group.
    for (text, line, words) in [
        ("# related: dialogue\nconcertation, dialogue\n", 1, "itself"),
        (
            "# related: zorglub\nconcertation, dialogue\n",
            2,
            "names no entry",
        ),
        ("# related:\nconcertation, dialogue\n", 1, "names no entry"),
        (
            "concertation, dialogue\n# related: horaires\n",
            2,
            "not followed by a group",
        ),
    ] {
        let bad = with(text, "concertation", &[]);
        assert_eq!(bad.code, 2, "{text:?}: {}", bad.stderr);
        assert!(
            bad.stderr.contains(&format!("related.txt:{line}:")) && bad.stderr.contains(words),
            "{text:?}: {}",
            bad.stderr
        );
    }
}

#[test]
fn a_paragraph_holding_the_words_only_through_a_related_concept_follows_every_full_match() {
    // SYNTHETIC. Forty short paragraphs say "La vie et une affaire
    // privée" (both words are common), and one long paragraph says "vie
    // privée" once among many other words: a low score. Six short ones
    // say "données personnelles" (rare), a concept related to "vie
    // privée": a higher score than the long one's, even halved. They hold
    // the query only through that concept, so they are partial hits, and
    // come after every paragraph that holds the words as asked.
    let filler = "Le comité examine les budgets, les calendriers et les effectifs. ".repeat(20);
    let texts = |text: &str, n: usize| {
        (0..n)
            .map(|i| format!(r#""SYNTHETIC TEST TEXT {i}. {text}""#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let (dir, idx) = index_of(&format!(
        "{}\n{}\n{}\n",
        format_args!(
            r#"{{"id":"fr-long","lang":"fr","title":"Comité","paragraphs":["SYNTHETIC TEST TEXT. {filler} La vie privée aussi."]}}"#
        ),
        format_args!(
            r#"{{"id":"fr-donnees","lang":"fr","title":"Données","paragraphs":[{}]}}"#,
            texts("Les données personnelles.", 6)
        ),
        format_args!(
            r#"{{"id":"fr-vie","lang":"fr","title":"Vie","paragraphs":[{}]}}"#,
            texts("La vie et une affaire privée.", 40)
        ),
    ));
    let r = search_json(dir.path(), &idx, "vie privée", 60);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.hits.iter().any(|h| h.doc_id == "fr-long"),
        "{:?}",
        keys(&r)
    );
    let partial: Vec<bool> = r.hits.iter().map(JsonHit::partial).collect();
    assert_eq!(partial.first(), Some(&false), "{:?}", keys(&r));
    assert!(
        partial.windows(2).all(|w| w[0] <= w[1]),
        "a partial hit before a full one: {:?}",
        keys(&r)
    );
    assert!(
        keys(&r).iter().any(|h| h.2.as_deref() == Some("related")),
        "{:?}",
        keys(&r)
    );
}
