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
fn words_never_two_in_a_paragraph_give_their_most_important_not_nothing() {
    let (dir, idx) = fixture();
    // `stabilité` (cyber ¶1), `missiles` (coree ¶1) and `averses` (meteo
    // ¶2) are each in one paragraph of its own statement: none holds half
    // of the query's weight. The paragraphs holding the rarest words come,
    // partial, those that also hold `nord` (coree ¶1, meteo ¶2 with its
    // nord-est) first; those holding only the common `nord` (meteo ¶1,
    // ¶3, coree ¶3) do not.
    let r = search_json(dir.path(), &idx, "stabilité missiles averses nord", 20);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut k = keys(&r);
    assert_eq!(k.get(2), Some(&("cyber".to_string(), 1, true)), "{k:?}");
    k.sort();
    assert_eq!(
        k,
        [
            ("coree".to_string(), 1, true),
            ("cyber".to_string(), 1, true),
            ("meteo".to_string(), 2, true),
        ],
        "{}",
        r.stderr
    );
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
fn an_excluded_word_keeps_its_paragraph_out_even_through_the_statement() {
    let (dir, idx) = fixture();
    // Without the exclusion both paragraphs of the title-matched statement
    // come in through it; "-Alliés" removes the second one (it says "Les
    // Alliés renforceront…"), and no paragraph comes back as a sibling.
    let all = search_json(dir.path(), &idx, "ingérences étrangères", 10);
    assert_eq!(keys(&all).len(), 2, "{:?}", keys(&all));
    let r = search_json(dir.path(), &idx, "ingérences étrangères -Alliés", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(keys(&r), vec![("ingerences".to_string(), 1, true)]);
}

#[test]
fn a_statement_updated_in_place_lends_only_its_live_paragraphs() {
    let (dir, idx) = fixture();
    // Re-index the statement with one paragraph fewer: its old paragraphs
    // are deleted documents and must never be lent.
    let file = dir.path().join("r.jsonl");
    let changed = FIXTURE.replace(
        r#","SYNTHETIC TEST TEXT. Les Alliés renforceront leur coopération face à ces menaces."]"#,
        "]",
    );
    assert_ne!(changed, FIXTURE);
    std::fs::write(&file, changed).expect("rewrite fixture");
    vigie(dir.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(&file)
        .assert()
        .success();
    let r = search_json(dir.path(), &idx, "ingérences étrangères", 10);
    assert_eq!(keys(&r), vec![("ingerences".to_string(), 1, true)]);
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
fn a_word_in_no_paragraph_never_hides_the_others() {
    let (dir, idx) = fixture();
    // "Russie" is in no paragraph of the fixture; "Corée" and "missiles"
    // share the first paragraph of `coree`.
    let r = search_json(dir.path(), &idx, "Corée missiles Russie", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(keys(&r)[0], ("coree".to_string(), 1, true));
    assert!(
        r.stderr.contains("Russie is in none"),
        "the note names the absent word: {}",
        r.stderr
    );
}

#[test]
fn a_loosened_phrase_beside_other_words_still_shows_partial_hits() {
    let (dir, idx) = fixture();
    // The phrase "Corée Russie" is loosened to its words anywhere, and
    // "Russie" is in no paragraph: the paragraphs holding "missiles" and
    // "Corée" still answer, with the loosening and partial notes.
    let r = search_json(dir.path(), &idx, "missiles \"Corée Russie\"", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(keys(&r)[0], ("coree".to_string(), 1, true));
    assert!(r.stderr.contains("anywhere"), "{}", r.stderr);
    assert!(r.stderr.contains("marked partial"), "{}", r.stderr);
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
        .ends_with(",partial,matched_terms,via"));
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

#[test]
fn a_phrase_found_too_rarely_goes_on_with_its_words_marked_partial() {
    let (dir, idx) = fixture();
    // "stabilité du cyberespace" occurs once as written (cyber ¶1); the
    // paragraphs that only share its words come after it, marked partial.
    let r = search_json(dir.path(), &idx, "\"stabilité du cyberespace\"", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let k = keys(&r);
    assert_eq!(k.first(), Some(&("cyber".to_string(), 1, false)), "{k:?}");
    assert!(k.len() > 1, "the exact hit alone: {k:?}");
    assert!(k[1..].iter().all(|h| h.2), "later hits are partial: {k:?}");
    // ¶3 holds "cyberespace" but not "stabilité".
    assert!(k.contains(&("cyber".to_string(), 3, true)), "{k:?}");
    assert!(
        r.stderr.contains("1 paragraph holds the phrase as written"),
        "{}",
        r.stderr
    );
    // --all-words keeps the phrase as written.
    let strict = search_json_with(
        dir.path(),
        &idx,
        "\"stabilité du cyberespace\"",
        10,
        &["--all-words"],
    );
    assert_eq!(keys(&strict), vec![("cyber".to_string(), 1, false)]);
}

/// SYNTHETIC twin statements (ids differing by their language marker).
const TWINS: &str = concat!(
    r#"{"id":"fr-gti","lang":"fr","title":"Initiative de transparence","paragraphs":["SYNTHETIC TEST TEXT. Le Conseil salue la coopération entre partenaires.","SYNTHETIC TEST TEXT. Un fournisseur spécialisé dans la sécurité des systèmes d'information ouvre ses codes sources."]}"#,
    "\n",
    r#"{"id":"en-gti","lang":"en","title":"Transparency initiative","paragraphs":["SYNTHETIC TEST TEXT. The Council welcomes cooperation between partners.","SYNTHETIC TEST TEXT. An anti-virus provider opens its source code."]}"#,
    "\n",
);

#[test]
fn a_match_in_one_language_brings_its_twin_paragraph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("t.jsonl");
    std::fs::write(&file, TWINS).expect("write twins");
    let idx = build_index(dir.path(), &[&file]);
    // Only the English paragraph says "anti-virus"; its French twin is the
    // same paragraph in the other statement, and comes right after it.
    let r = search_json(dir.path(), &idx, "antivirus", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let k = keys(&r);
    assert_eq!(k.first(), Some(&("en-gti".to_string(), 2, false)), "{k:?}");
    let twin = r
        .hits
        .iter()
        .find(|h| h.doc_id == "fr-gti")
        .expect("the French twin is a hit");
    assert_eq!(twin.paragraph, 2);
    assert!(twin.partial());
    assert_eq!(twin.raw["via"], "twin");
    // Rule 1 first: no translation passes a paragraph that holds the words.
    let first_twin = r.hits.iter().position(|h| h.raw["via"] == "twin");
    let last_full = r.hits.iter().rposition(|h| !h.partial());
    assert!(first_twin > last_full, "{k:?}");
    // Filters hold for twins too: only English paragraphs asked for.
    let en = search_json_with(dir.path(), &idx, "antivirus", 10, &["--lang", "en"]);
    assert!(
        en.hits.iter().all(|h| h.doc_id == "en-gti"),
        "{:?}",
        keys(&en)
    );
    // --all-words: strict, no twin.
    let strict = search_json_with(dir.path(), &idx, "antivirus", 10, &["--all-words"]);
    assert_eq!(keys(&strict), vec![("en-gti".to_string(), 2, false)]);
}

#[test]
fn pages_add_up_to_one_list_whatever_n_and_offset() {
    let (dir, idx) = fixture();
    // Full, partial and lent hits: one list whatever the page.
    let query = "Conseil nord";
    let whole = keys(&search_json(dir.path(), &idx, query, 20));
    assert!(whole.len() >= 4, "{whole:?}");
    assert!(
        whole.iter().any(|h| h.2) && whole.iter().any(|h| !h.2),
        "{whole:?}"
    );
    let mut paged = Vec::new();
    for offset in (0..whole.len()).step_by(2) {
        let page = search_json_with(
            dir.path(),
            &idx,
            query,
            2,
            &["--offset", &offset.to_string()],
        );
        paged.extend(keys(&page));
    }
    assert_eq!(paged, whole);
}

#[test]
fn huge_counts_and_offsets_never_panic() {
    let (dir, idx) = fixture();
    let huge = u64::MAX.to_string();
    for extra in [
        vec!["--offset", huge.as_str()],
        vec!["-n", huge.as_str()],
        vec!["-C", huge.as_str(), "-n", "1"],
    ] {
        let out = vigie(dir.path())
            .args(["search", "--index"])
            .arg(&idx)
            .args(&extra)
            .arg("Corée")
            .output()
            .expect("run vigie");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{extra:?}: {code:?} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_query_of_fields_only_lends_nothing_past_its_exclusions() {
    let (dir, idx) = fixture();
    // Both paragraphs have the title; only ¶2 says "Alliés".
    let r = search_json(dir.path(), &idx, "title:ingérences -Alliés", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(keys(&r), vec![("ingerences".to_string(), 1, false)]);
}

#[test]
fn a_paragraph_repeated_word_for_word_follows_the_rest_of_its_tier() {
    // SYNTHETIC: an agreement's amendment restates article 1 word for word
    // (with other line breaks); a third statement says something else
    // with the same words, in a longer paragraph that scores lower.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"accord","lang":"fr","title":"Accord","paragraphs":["SYNTHETIC TEST TEXT. Le salarié hospitalisé garde son salaire."]}"#,
        "\n",
        r#"{"id":"avenant","lang":"fr","title":"Avenant","paragraphs":["SYNTHETIC TEST TEXT.\nLe salarié hospitalisé  garde son salaire."]}"#,
        "\n",
        r#"{"id":"guide","lang":"fr","title":"Guide","paragraphs":["SYNTHETIC TEST TEXT. Pendant son séjour, le salarié hospitalisé garde en principe la totalité de son salaire de base."]}"#,
        "\n",
    ));
    let ids = |extra: &[&str]| -> Vec<String> {
        let r = search_json_with(dir.path(), &idx, "salarié hospitalisé", 10, extra);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.hits.iter().map(|h| h.doc_id.clone()).collect()
    };
    // Without the rule, the two copies score the same and come first.
    let without = ids(&["--without-rule", "repeats"]);
    assert_eq!(without[2], "guide", "{without:?}");
    // With it, the copy shown second follows the other paragraph.
    let with = ids(&[]);
    assert_eq!(with.len(), 3, "{with:?}");
    assert_eq!(with[1], "guide", "the repeat must follow: {with:?}");
    assert_eq!(with[0], without[0], "the first copy keeps its place");
}

#[test]
fn a_word_ranks_the_same_in_the_singular_and_in_the_plural() {
    // SYNTHETIC: one paragraph says "hôpital", the other "hôpitaux";
    // the analyst typing either number means the same thing.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"un","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. L'hôpital régional a été visé par une attaque."]}"#,
        "\n",
        r#"{"id":"plusieurs","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. Des hôpitaux ont été visés par une attaque."]}"#,
        "\n",
    ));
    let order = |query: &str, extra: &[&str]| -> Vec<(String, String)> {
        let r = search_json_with(dir.path(), &idx, query, 10, extra);
        assert_eq!(r.code, 0, "{query}: {}", r.stderr);
        r.hits
            .iter()
            .map(|h| (h.doc_id.clone(), format!("{:.4}", h.raw["score"])))
            .collect()
    };
    // A solid compound too: its joined form in either number.
    let (cdir, cidx) = index_of(concat!(
        r#"{"id":"une","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. Une cyberattaque vise la région."]}"#,
        "\n",
        r#"{"id":"des","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. Des cyberattaques visent les régions du nord."]}"#,
        "\n",
    ));
    let compound = |q: &str| -> Vec<String> {
        let r = search_json(cdir.path(), &cidx, q, 10);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        r.hits
            .iter()
            .map(|h| format!("{} {:.4}", h.doc_id, h.raw["score"]))
            .collect()
    };
    assert_eq!(compound("cyberattaque"), compound("cyberattaques"));
    // With an English statement in the index, the English plan's title
    // bonus must not tell them apart either ("jeux" in a title).
    let (edir, eidx) = index_of(concat!(
        r#"{"id":"s1","lang":"fr","title":"Règles","paragraphs":["SYNTHETIC TEST TEXT. Le jeu des puissances : les jeux, les jeux et encore les jeux."]}"#,
        "\n",
        r#"{"id":"s3","lang":"fr","title":"Les jeux","paragraphs":["SYNTHETIC TEST TEXT. La règle du jeu pour la sécurité du monde, ouverte à tous les pays membres de l'union et à leurs partenaires proches ou lointains."]}"#,
        "\n",
        r#"{"id":"e","lang":"en","title":"Other","paragraphs":["SYNTHETIC TEST TEXT. Nothing here."]}"#,
        "\n",
    ));
    let with_english = |q: &str| -> Vec<String> {
        let r = search_json(edir.path(), &eidx, q, 10);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        r.hits
            .iter()
            .map(|h| format!("{} {:.4}", h.doc_id, h.raw["score"]))
            .collect()
    };
    assert_eq!(with_english("jeu"), with_english("jeux"));
    let singular = order("hôpital", &[]);
    assert_eq!(singular.len(), 2, "{singular:?}");
    assert_eq!(singular, order("hopitaux", &[]), "same order and scores");
    // Without rule 11 the number typed wins: the lists differ.
    let typed = |q: &str| order(q, &["--without-rule", "number"])[0].0.clone();
    assert_eq!(typed("hôpital"), "un");
    assert_eq!(typed("hôpitaux"), "plusieurs");
}

#[test]
fn the_word_in_no_paragraph_is_named_after_a_phrase_goes_on() {
    // SYNTHETIC: the phrase is found once, so its words go on (rule 7);
    // "xylophone" is in no paragraph, "étrangère" is.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"a","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. L'ingérence étrangère menace les élections.","SYNTHETIC TEST TEXT. Une ingérence venue de la puissance étrangère."]}"#,
        "\n",
    ));
    let r = search_json(dir.path(), &idx, "\"ingérence étrangère\" xylophone", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("xylophone is in none"), "{}", r.stderr);
    assert!(!r.stderr.contains("étrangère is in none"), "{}", r.stderr);
}

#[test]
fn a_misspelt_compound_is_searched_in_parts_as_corrected() {
    // SYNTHETIC: one paragraph holds the compound, two hold its parts
    // apart. `cyberdefnse` is corrected to `cyberdéfense`; its parts must
    // be `cyber` and `défense` (not the unfound `defnse`), so that the
    // paragraphs holding them apart follow, as for the word spelt right.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"whole","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. La cyberdéfense de l'Alliance est renforcée."]}"#,
        "\n",
        r#"{"id":"apart","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. La défense contre les menaces cyber progresse."]}"#,
        "\n",
        r#"{"id":"other","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. Le budget de la défense nationale augmente."]}"#,
        "\n",
    ));
    let hits = |q: &str| -> (Vec<(String, bool)>, String) {
        let r = search_json_with(dir.path(), &idx, q, 10, &["--explain"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        let hits = r
            .hits
            .iter()
            .map(|h| (h.doc_id.clone(), h.raw["partial"] == true))
            .collect();
        (hits, r.stderr)
    };
    let (right, _) = hits("cyberdéfense");
    let (typo, stderr) = hits("cyberdefnse");
    assert!(stderr.contains("showing cyberdéfense"), "{stderr}");
    assert!(
        stderr.contains("parts anywhere: cyb AND defens"),
        "{stderr}"
    );
    assert!(!stderr.contains("AND defns"), "{stderr}");
    assert_eq!(right[0], ("whole".to_string(), false), "{right:?}");
    assert!(right.contains(&("apart".to_string(), false)), "{right:?}");
    assert_eq!(typo, right);
    // Hyphenated, the misspelt part is corrected on its own.
    let (hyphen, stderr) = hits("cyber-defnse");
    assert!(
        stderr.contains("no hits for defnse; showing défense"),
        "{stderr}"
    );
    let ids = |v: &[(String, bool)]| {
        let mut v: Vec<String> = v.iter().map(|h| h.0.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&hyphen), ids(&hits("cyber-défense").0));
}

#[test]
fn the_partial_note_names_a_compound_as_typed() {
    // SYNTHETIC: no paragraph holds `cyberdéfense` nor both its parts.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"a","lang":"fr","title":"Note","paragraphs":["SYNTHETIC TEST TEXT. La défense nationale est renforcée.","SYNTHETIC TEST TEXT. Les menaces cyber progressent.","SYNTHETIC TEST TEXT. Le budget augmente."]}"#,
        "\n",
    ));
    let note = |q: &str| -> String {
        let r = search_json_with(dir.path(), &idx, q, 10, &["--exact"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        r.stderr
    };
    let one = note("cyberdéfense");
    assert!(
        one.contains("no paragraph holds cyberdéfense or all of its parts (cyber, défense)"),
        "{one}"
    );
    let two = note("cyberdéfense budget");
    assert!(
        two.contains("no paragraph holds all of cyberdéfense budget;"),
        "{two}"
    );
}

#[test]
fn the_partial_note_names_what_an_exclusion_removed() {
    // SYNTHETIC: the one paragraph holding Exchange also names la Chine;
    // the title holds Exchange, so the statement's other paragraphs come.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"a","lang":"fr","title":"Serveurs Exchange","paragraphs":["SYNTHETIC TEST TEXT. Les serveurs Exchange ont été compromis depuis la Chine.","SYNTHETIC TEST TEXT. Les Alliés renforcent leur défense.","SYNTHETIC TEST TEXT. Le budget augmente."]}"#,
        "\n",
    ));
    let r = search_json_with(dir.path(), &idx, "Exchange -chine", 10, &[]);
    // "no paragraph holds Exchange" would read as a word the index lacks.
    assert!(
        r.stderr
            .contains("no paragraph holds Exchange without chine; showing other paragraphs"),
        "{}",
        r.stderr
    );
    let r = search_json_with(dir.path(), &idx, "Exchange", 10, &[]);
    assert!(!r.stderr.contains("without"), "{}", r.stderr);
}

#[test]
fn an_acronym_tells_no_language_and_french_comes_first() {
    // SYNTHETIC: the same paragraph in a French and in an English
    // statement (not twins), with the same statistics in both languages.
    // As many English paragraphs as French ones hold each word, which
    // makes a word "English" (rule 4), so the English paragraph comes
    // first. An acronym that the texts write in capitals is shared by both
    // languages and tells none: the query is then French, the language of
    // the statements vigie is for, and the French paragraph comes first.
    let (dir, idx) = index_of(concat!(
        r#"{"id":"fr-note","lang":"fr","title":"Note","paragraphs":["XQZV alpha beta gamma delta"]}"#,
        "\n",
        r#"{"id":"en-note","lang":"en","title":"Note","paragraphs":["XQZV alpha beta gamma delta"]}"#,
        "\n",
        r#"{"id":"fr-other","lang":"fr","title":"Autre","paragraphs":["zeta eta theta iota kappa"]}"#,
        "\n",
        r#"{"id":"en-other","lang":"en","title":"Other","paragraphs":["zeta eta theta iota kappa"]}"#,
        "\n",
    ));
    let order = |q: &str| -> Vec<String> {
        let r = search_json(dir.path(), &idx, q, 10);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        r.hits.iter().map(|h| h.doc_id.clone()).collect()
    };
    assert_eq!(order("XQZV"), ["fr-note", "en-note"]);
    // Typed in lower case it is a word, and votes.
    assert_eq!(order("xqzv"), ["en-note", "fr-note"]);
    // A word beside the acronym tells the language.
    assert_eq!(order("XQZV alpha"), ["en-note", "fr-note"]);
}

#[test]
fn a_statement_lends_the_paragraphs_nearest_its_match_first() {
    // SYNTHETIC statement of six paragraphs; only the third names the
    // query. The analyst reading it wants what surrounds that paragraph
    // first: the one after it (a heading's matter follows it), then the
    // one before it, then two after, two before, three after.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("s.jsonl");
    let paragraphs: Vec<String> = [
        "Le sommet s'ouvre à Bruxelles.",
        "Les chefs d'État se réunissent.",
        "La dissuasion demeure au cœur de la posture.",
        "Elle repose sur des capacités crédibles.",
        "Les ministres rendront compte en juin.",
        "Le prochain sommet aura lieu à Vilnius.",
    ]
    .iter()
    .map(|p| format!("SYNTHETIC TEST TEXT. {p}"))
    .collect();
    let line = serde_json::json!({
        "id": "sommet", "lang": "fr", "title": "Communiqué", "paragraphs": paragraphs
    });
    std::fs::write(&file, format!("{line}\n")).expect("write fixture");
    let idx = build_index(dir.path(), &[&file]);
    let r = search_json(dir.path(), &idx, "dissuasion", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let order: Vec<u64> = r.hits.iter().map(|h| h.paragraph).collect();
    assert_eq!(order, vec![3, 4, 2, 5, 1, 6], "{:?}", keys(&r));
}

#[test]
fn a_query_that_shows_its_language_is_ranked_in_it() {
    // SYNTHETIC: three English paragraphs say "contact point", one French
    // paragraph says "point de contact". By where its words are found the
    // query `contact point` is English; `de`, an elided article or an
    // accent shows a French query whatever the index holds.
    let fixture = concat!(
        r#"{"id":"osce-en","lang":"en","title":"Confidence-building measures","paragraphs":["SYNTHETIC TEST TEXT. Each State names a contact point for incidents.","SYNTHETIC TEST TEXT. The contact point answers within a day.","SYNTHETIC TEST TEXT. A list of every contact point is kept up to date."]}"#,
        "\n",
        r#"{"id":"osce-fr","lang":"fr","title":"Mesures de confiance","paragraphs":["SYNTHETIC TEST TEXT. Chaque État désigne un point de contact pour les incidents."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let language = |query: &str| {
        let r = search_json_with(dir.path(), &idx, query, 10, &["--explain"]);
        assert_eq!(r.code, 0, "{query}: {}", r.stderr);
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains("query language:"))
            .unwrap_or_else(|| panic!("{query}: no language line in {}", r.stderr))
            .to_string();
        (line, r)
    };
    for french in ["point de contact", "d'incidents contact", "contact désigné"] {
        let (line, r) = language(french);
        assert!(
            line.contains("French (shown by its wording)"),
            "{french}: {line}"
        );
        assert_eq!(r.hits[0].doc_id, "osce-fr", "{french}: {:?}", keys(&r));
    }
    let (line, _) = language("contact point");
    assert!(
        line.contains("English (where its words are found)"),
        "{line}"
    );
    let (line, _) = language("the contact");
    assert!(line.contains("English (shown by its wording)"), "{line}");
    // A word found nowhere casts no vote: French, by default, and said so.
    let r = search_json_with(dir.path(), &idx, "zyxwvutsr", 10, &["--explain"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("query language: French (its words are found nowhere, so the default)"),
        "{}",
        r.stderr
    );
}

#[test]
fn sorting_by_date_keeps_matches_before_partial_hits() {
    // SYNTHETIC: the 2023 statement holds both words in one paragraph;
    // the 2024 statement holds them only between two paragraphs, so its
    // paragraphs are partial hits (through their statement). Newest first
    // must not lift them above the match.
    let fixture = concat!(
        r#"{"id":"old","lang":"fr","date":"2023-03-01","title":"Communiqué","paragraphs":["SYNTHETIC TEST TEXT. Les menaces hybrides visent nos démocraties."]}"#,
        "\n",
        r#"{"id":"new","lang":"fr","date":"2024-05-01","title":"Déclaration","paragraphs":["SYNTHETIC TEST TEXT. Les menaces se multiplient.","SYNTHETIC TEST TEXT. Les campagnes hybrides aussi.","SYNTHETIC TEST TEXT. La Commission présentera un rapport."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let r = search_json_with(
        dir.path(),
        &idx,
        "menaces hybrides",
        10,
        &["--sort", "date"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let k = keys(&r);
    assert_eq!(k[0], ("old".to_string(), 1, false), "{k:?}");
    assert!(
        k.len() == 4 && k[1..].iter().all(|h| h.0 == "new" && h.2),
        "{k:?}"
    );
}

#[test]
fn a_word_found_only_in_titles_is_no_typo() {
    // SYNTHETIC: `souveraineté` is in a title only; the paragraphs say
    // `souveraine` (another stem, two edits away). The word is searched
    // as typed and its statement answers through its title, not
    // "corrected" into `souveraine`.
    let fixture = concat!(
        r#"{"id":"a","lang":"fr","title":"Déclaration sur la souveraineté numérique","paragraphs":["SYNTHETIC TEST TEXT. Une Europe souveraine dans le numérique.","SYNTHETIC TEST TEXT. Les États membres coopèrent."]}"#,
        "\n",
        r#"{"id":"b","lang":"fr","title":"Autre","paragraphs":["SYNTHETIC TEST TEXT. La politique souveraine de la France."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let r = search_json(dir.path(), &idx, "souveraineté", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("showing souveraine"), "{}", r.stderr);
    assert!(!r.stderr.contains("is in none"), "said once: {}", r.stderr);
    let k = keys(&r);
    assert_eq!(
        k,
        vec![("a".to_string(), 1, true), ("a".to_string(), 2, true)],
        "{}",
        r.stderr
    );
    // A word in no title and no paragraph is still corrected.
    let typo = search_json(dir.path(), &idx, "souverainne", 10);
    assert!(
        typo.stderr.contains("showing souveraine"),
        "{}",
        typo.stderr
    );
}

#[test]
fn a_name_is_not_corrected_into_a_common_word() {
    // SYNTHETIC: no paragraph names China; `chaîne` is one edit from
    // `Chine`, `Kaspersky` one from `Kaspersy`.
    let fixture = concat!(
        r#"{"id":"a","lang":"fr","title":"Chaînes d'approvisionnement","paragraphs":["SYNTHETIC TEST TEXT. Chaîne d'approvisionnement : la chaîne logistique est exposée.","SYNTHETIC TEST TEXT. L'entreprise Kaspersky publie son code."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let name = search_json(dir.path(), &idx, "Chine", 10);
    assert_eq!(name.code, 1, "{}", name.stderr);
    assert!(name.hits.is_empty());
    assert!(
        name.stderr.contains("a name is not corrected") && name.stderr.contains("chaîne"),
        "{}",
        name.stderr
    );
    // Typed in lower case it is a word, and corrected as one.
    let word = search_json(dir.path(), &idx, "chine", 10);
    assert_eq!(word.code, 0, "{}", word.stderr);
    assert!(word.stderr.contains("showing chaîne"), "{}", word.stderr);
    // A misspelt name the texts write as a name is corrected.
    let misspelt = search_json(dir.path(), &idx, "Kaspersy", 10);
    assert_eq!(misspelt.code, 0, "{}", misspelt.stderr);
    assert_eq!(misspelt.hits[0].paragraph, 2, "{}", misspelt.stderr);
}

#[test]
fn a_misspelt_name_is_corrected_into_the_name_only() {
    // SYNTHETIC: `Chiine` is one edit from `Chine` (written as a name,
    // inside a sentence) and from `chaîne` (a common word). A capitalised
    // word is taken for the name: the paragraph about China, not the supply
    // chain, and no note refusing the correction it did make.
    let fixture = concat!(
        r#"{"id":"a","lang":"fr","title":"Chaînes d'approvisionnement","paragraphs":["SYNTHETIC TEST TEXT. La chaîne logistique est exposée : chaque chaîne compte.","SYNTHETIC TEST TEXT. Les relations avec la Chine se tendent."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let r = search_json(dir.path(), &idx, "Chiine", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("showing chine"), "{}", r.stderr);
    assert!(!r.stderr.contains("chaîne"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("not corrected"),
        "no refusal beside the correction: {}",
        r.stderr
    );
    let full: Vec<_> = keys(&r).into_iter().filter(|k| !k.2).collect();
    assert_eq!(full, vec![("a".to_string(), 2, false)], "{}", r.stderr);
    // Four letters: too short to correct, and --explain says so.
    let short = search_json_with(dir.path(), &idx, "Chne", 10, &["--explain"]);
    assert_eq!(short.code, 1, "{}", short.stderr);
    assert!(
        short
            .stderr
            .contains("Chne → chne (in no paragraph; words under 5 letters are not corrected)"),
        "{}",
        short.stderr
    );
}

#[test]
fn a_word_the_texts_hold_in_the_other_number_is_no_typo() {
    // SYNTHETIC: `canon` is written only in the plural (`canons`, one
    // paragraph); `canot`, one edit away and of another stem, is in three.
    // `canon` is a word of the texts, not a misspelt `canot`.
    let fixture = concat!(
        r#"{"id":"a","lang":"fr","title":"Note A","paragraphs":["SYNTHETIC TEST TEXT. Les canons de la forteresse sont anciens.","SYNTHETIC TEST TEXT. Un canot descend la rivière.","SYNTHETIC TEST TEXT. Le canot est rouge.","SYNTHETIC TEST TEXT. Ce canot prend l'eau."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let r = search_json(dir.path(), &idx, "canon", 10);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("canot"), "{}", r.stderr);
    assert_eq!(
        keys(&r)[0],
        ("a".to_string(), 1, false),
        "the paragraph holding canons first, a full match: {}",
        r.stderr
    );
    assert!(
        r.hits.iter().skip(1).all(|h| h.partial()),
        "the canot paragraphs come only as the statement's other paragraphs: {}",
        r.stderr
    );
}

#[test]
fn a_name_found_through_its_stem_is_not_also_shown_as_a_common_word() {
    // SYNTHETIC: `Corée` is not written anywhere, but its stem is (`cors`
    // de chasse, stemmed `cor` like it), and `créé`, one edit from `coree`, is in two
    // paragraphs: the possible-typo reading adds `créé` for the word
    // `coree`, never for the name `Corée`.
    let fixture = concat!(
        r#"{"id":"a","lang":"fr","title":"Note A","paragraphs":["SYNTHETIC TEST TEXT. Le comité a été créé en 2019.","SYNTHETIC TEST TEXT. Un nouvel organe a été créé à Paris."]}"#,
        "\n",
        r#"{"id":"b","lang":"fr","title":"Note B","paragraphs":["SYNTHETIC TEST TEXT. Les cors de chasse sonnent."]}"#,
        "\n",
    );
    let (dir, idx) = index_of(fixture);
    let name = search_json(dir.path(), &idx, "Corée", 10);
    assert_eq!(name.code, 0, "{}", name.stderr);
    assert!(!name.stderr.contains("créé"), "{}", name.stderr);
    assert_eq!(
        keys(&name),
        vec![("b".to_string(), 1, false)],
        "only the paragraph holding a form of the word, a full match: {}",
        name.stderr
    );
    let word = search_json(dir.path(), &idx, "coree", 10);
    assert!(
        word.stderr.contains("also showing créé"),
        "typed in lower case it is a word, and may be a typo: {}",
        word.stderr
    );
}

/// SYNTHETIC: thirty dated statements of two to six paragraphs. `navire`
/// (ship) is in half the paragraphs, `corsaire` (privateer) in three, and
/// in the title of `s20`, whose paragraphs hold only `navire`.
fn ships_fixture() -> String {
    (0..30).map(ships_statement).collect()
}

/// Statement `s` of [`ships_fixture`], as one JSON line.
fn ships_statement(s: usize) -> String {
    let size = 2 + s % 5;
    let paragraphs: Vec<String> = (0..size)
        .map(|p| {
            let mut text = format!("SYNTHETIC TEST TEXT {s} {p}. Le port reste ouvert");
            if (s + p).is_multiple_of(2) {
                text.push_str(" et le navire appareille");
            }
            match (s, p) {
                (3, 0) => text.push_str(" ; le navire corsaire attend au large"),
                (10, 1) => text.push_str(" ; un corsaire croise au large"),
                (25, 2) => text.push_str(" ; les corsaires rentrent"),
                _ => {}
            }
            format!("{text}.")
        })
        .collect();
    let title = if s == 20 {
        "Le corsaire"
    } else {
        "Avis aux navigateurs"
    };
    let line = serde_json::json!({
        "id": format!("s{s}"),
        "lang": "fr",
        "title": title,
        "date": format!("2020-01-{:02}", s + 1),
        "paragraphs": paragraphs,
    });
    format!("{line}\n")
}

#[test]
fn a_filter_keeping_every_statement_changes_no_score() {
    // A filter must not change scores. With one, every paragraph is
    // read; without, of two words the far more common one is read only
    // inside statements holding the rare one and counted elsewhere: a
    // filter that keeps everything must give the same hits, scores and
    // counts.
    let (dir, idx) = index_of(&ships_fixture());
    let narrow = search_json(dir.path(), &idx, "navire corsaire", 60);
    let full = search_json_with(
        dir.path(),
        &idx,
        "navire corsaire",
        60,
        &["--since", "2000-01-01"],
    );
    assert_eq!(narrow.code, 0, "{}", narrow.stderr);
    let view = |r: &SearchRun| -> Vec<(String, u64, String, bool)> {
        r.hits
            .iter()
            .map(|h| {
                (
                    h.doc_id.clone(),
                    h.paragraph,
                    h.raw["score"].to_string(),
                    h.partial(),
                )
            })
            .collect()
    };
    assert_eq!(view(&narrow), view(&full));
    let summary = |r: &SearchRun| {
        let mut s = r.summary.clone().expect("a summary line");
        s.as_object_mut().map(|o| o.remove("elapsed_ms"));
        s
    };
    assert_eq!(summary(&narrow), summary(&full));
    // `corsaire` alone: the statement titled "Le corsaire" holds it in
    // its title only, and counts in the statements' average size with a
    // filter as without one.
    let plain = search_json(dir.path(), &idx, "corsaire", 60);
    let filtered = search_json_with(dir.path(), &idx, "corsaire", 60, &["--since", "2000-01-01"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(view(&plain), view(&filtered));
    assert_eq!(summary(&plain), summary(&filtered));
    // From the French: the paragraph holding both words comes first; the
    // statement titled "Le corsaire" lends its paragraphs; a paragraph
    // holding only `navire` in a statement without `corsaire` is no hit.
    let k = keys(&narrow);
    assert_eq!(k[0], ("s3".to_string(), 1, false), "{k:?}");
    assert!(k.iter().any(|h| h.0 == "s20" && h.2), "{k:?}");
    assert!(!k.iter().any(|h| h.0 == "s4"), "{k:?}");
}

/// SYNTHETIC: 200 short statements on free software, then 30 whose one
/// long paragraph speaks of open source only (a related concept of
/// `logiciel libre` in the default thesaurus).
fn free_software_fixture() -> String {
    (0..230).map(free_software_statement).collect()
}

/// Statement `s` of [`free_software_fixture`], as one JSON line.
fn free_software_statement(s: usize) -> String {
    let text = if s < 200 {
        format!("SYNTHETIC TEST TEXT {s}. Le logiciel libre est publié.")
    } else {
        format!(
            "SYNTHETIC TEST TEXT {s}. Le code de ce projet open source est publié, \
             relu, traduit, documenté, testé, distribué, maintenu et corrigé \
             par des contributeurs nombreux venus de pays divers."
        )
    };
    let line = serde_json::json!({
        "id": format!("s{s}"),
        "lang": "fr",
        "title": "Note",
        "paragraphs": [text, format!("SYNTHETIC TEST TEXT {s}. Fin de la note.")],
    });
    format!("{line}\n")
}

#[test]
fn the_count_of_partial_hits_does_not_depend_on_the_page() {
    // The 30 open-source paragraphs hold both words only through a
    // related concept: shown partial, and counted as such whether or not
    // they rank among the candidates a page needs.
    let (dir, idx) = index_of(&free_software_fixture());
    let partial = |extra: &[&str]| {
        let r = search_json_with(dir.path(), &idx, "logiciel libre", 10, extra);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.summary.expect("a summary line")["partial"].as_u64()
    };
    let first = partial(&[]);
    assert_eq!(first, partial(&["--offset", "400"]));
    assert!(first >= Some(30), "{first:?}");
}

#[test]
fn a_twin_counted_by_the_ranking_is_not_counted_again_on_a_short_page() {
    // SYNTHETIC. `droit` is common and `international` rarer, so a
    // paragraph holding `international` alone is a partial match (rule 3)
    // and one holding `droit` alone is not. One French paragraph holds
    // both; its English twin says "international" only, so the ranking
    // counts the twin as a partial match, in the other language, long,
    // behind 200 short French ones. A page of 10 keeps fewer candidates
    // than that, and the twin then came back as a translation and was
    // counted a second time: the count of hits changed with `-n`.
    let mut lines = vec![
        r#"{"id":"fr-pacte","lang":"fr","title":"Pacte","paragraphs":["SYNTHETIC TEST TEXT. Le droit international s'applique au cyberespace."]}"#.to_string(),
        format!(
            r#"{{"id":"en-pacte","lang":"en","title":"Pact","paragraphs":["SYNTHETIC TEST TEXT. The {} international order applies to cyberspace."]}}"#,
            "long and carefully worded ".repeat(12)
        ),
    ];
    let short = |i: usize, word: &str| format!(r#""Note {i} : {word} brève.""#);
    let international: Vec<String> = (0..200)
        .map(|i| short(i, "coopération internationale"))
        .collect();
    let droit: Vec<String> = (0..400).map(|i| short(i, "droit du travail")).collect();
    lines.push(format!(
        r#"{{"id":"fr-notes","lang":"fr","title":"Notes","paragraphs":[{}]}}"#,
        international.join(",")
    ));
    lines.push(format!(
        r#"{{"id":"fr-code","lang":"fr","title":"Code","paragraphs":[{}]}}"#,
        droit.join(",")
    ));
    let (dir, idx) = index_of(&(lines.join("\n") + "\n"));
    let summary = |n: usize| {
        let r = search_json(dir.path(), &idx, "droit international", n);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let s = r.summary.expect("a summary line");
        (s["total"].as_u64(), s["partial"].as_u64(), r.hits)
    };
    let (total, partial, hits) = summary(1000);
    // Every hit shown when the page holds them all: the count is the list.
    assert_eq!(total, Some(1));
    assert_eq!(Some(hits.len() as u64), partial.map(|p| p + 1));
    assert!(
        hits.iter().any(|h| h.doc_id == "en-pacte"),
        "the English twin is a hit"
    );
    for n in [1, 10, 100] {
        let (t, p, _) = summary(n);
        assert_eq!((t, p), (total, partial), "-n {n}");
    }
}

#[test]
fn a_loosened_phrase_pages_add_up_to_one_list() {
    // SYNTHETIC. One paragraph says "renforcement des capacités" as
    // written; its English twin does not, and holds one word of it only
    // (a translation the words' plan does not count). The phrase's
    // words follow (rule 7), first the 60 paragraphs holding both words
    // apart, then the 150 holding only `capacités` (rarer than
    // `renforcement`, held by 400 more). The words' ranking orders them by
    // tier; a list sorted again by score alone (as the translations' step
    // sorts the head it joins) put the partial ones first when they fell in
    // that head, and after the 60 otherwise: pages of 10 and one page of
    // 1,000 disagreed. The twin was also left out of the count: the
    // phrase's ranking was asked with the words' slots.
    let para = |text: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!(r#""SYNTHETIC TEST TEXT {i}. {text}""#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let lines = [
        r#"{"id":"fr-plan","lang":"fr","title":"Plan","paragraphs":["SYNTHETIC TEST TEXT. Le renforcement des capacités des partenaires.","SYNTHETIC TEST TEXT. Le budget augmente."]}"#.to_string(),
        r#"{"id":"en-plan","lang":"en","title":"Plan","paragraphs":["SYNTHETIC TEST TEXT. Support for renforcement partners.","SYNTHETIC TEST TEXT. The budget grows."]}"#.to_string(),
        format!(
            r#"{{"id":"fr-apart","lang":"fr","title":"Notes","paragraphs":[{}]}}"#,
            para("Le renforcement de nos propres capacités.", 60)
        ),
        format!(
            r#"{{"id":"fr-only","lang":"fr","title":"Moyens","paragraphs":[{}]}}"#,
            para("Des capacités nouvelles.", 150)
        ),
        format!(
            r#"{{"id":"fr-other","lang":"fr","title":"Autre","paragraphs":[{}]}}"#,
            para("Le renforcement du contrôle.", 400)
        ),
    ];
    let (dir, idx) = index_of(&(lines.join("\n") + "\n"));
    let query = "\"renforcement des capacités\"";
    let key = |h: &JsonHit| (h.doc_id.clone(), h.paragraph);
    let counts = |r: &SearchRun| {
        let s = r.summary.as_ref().expect("a summary line");
        (s["total"].as_u64(), s["partial"].as_u64())
    };
    let whole = search_json(dir.path(), &idx, query, 1000);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let all: Vec<_> = whole.hits.iter().map(key).collect();
    let (total, partial) = counts(&whole);
    assert_eq!(
        total.zip(partial).map(|(t, p)| t + p),
        Some(all.len() as u64)
    );
    // The 60 paragraphs holding both words come before those holding one.
    let first_only = all.iter().position(|k| k.0 == "fr-only");
    let last_apart = all.iter().rposition(|k| k.0 == "fr-apart");
    assert!(
        last_apart < first_only && last_apart.is_some(),
        "{last_apart:?} {first_only:?}"
    );
    let mut paged = Vec::new();
    for offset in (0..all.len()).step_by(10) {
        let r = search_json_with(
            dir.path(),
            &idx,
            query,
            10,
            &["--offset", &offset.to_string()],
        );
        assert_eq!(counts(&r), counts(&whole), "--offset {offset}");
        paged.extend(r.hits.iter().map(key));
    }
    assert_eq!(paged, all, "pages of 10 against one page");
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared (the real statements), absent next to this checkout"
)]
#[test]
fn a_loosened_phrase_under_a_language_filter_counts_what_it_shows() {
    let fr = shared("corpus/statements-fr.jsonl");
    let en = shared("corpus/statements-en.jsonl");
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = build_index(dir.path(), &[&fr, &en]);
    // Under `--lang fr` no kept paragraph holds the phrase; the phrase's
    // ranking lends the paragraphs holding `elections`, the words' ranking
    // those holding `hack` and `back`: two lists that share none. The
    // summary once counted only the larger (3 where 6 were shown).
    let q = "\"hack back\" hospital elections";
    let count = |r: &SearchRun| {
        let s = r.summary.as_ref().expect("a summary");
        s["total"].as_u64().unwrap_or(0) + s["partial"].as_u64().unwrap_or(0)
    };
    let all = search_json_with(dir.path(), &idx, q, 1000, &["--lang", "fr"]);
    assert!(all.hits.len() > 3, "{}", all.stderr);
    assert_eq!(count(&all), all.hits.len() as u64, "{}", all.stdout);
    let few = search_json_with(dir.path(), &idx, q, 3, &["--lang", "fr"]);
    assert_eq!(count(&few), count(&all), "the count does not depend on -n");
}
