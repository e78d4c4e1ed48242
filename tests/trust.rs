//! "Nothing lost, nothing misleading" (issue 12), through the `vigie`
//! binary, from what a user sees: every command treats a closed pipe as
//! `search` does, a mistyped path is an error that creates nothing, and
//! counts read as English.

mod common;

use std::path::Path;
use std::process::Stdio;

use assert_cmd::assert::OutputAssertExt;
use assert_cmd::cargo::CommandCargoExt;
use predicates::prelude::*;

use common::*;

/// Runs `vigie ARGS` with its stdout a pipe whose reading end is already
/// closed (as after `| head` has exited): every write fails with
/// `BrokenPipe`, deterministically.
fn with_closed_stdout(scratch: &Path, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::cargo_bin("vigie")
        .expect("vigie binary")
        .env("VIGIE_INDEX", scratch.join("default-index"))
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("running vigie")
}

#[test]
fn completions_on_a_closed_pipe_exit_0_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        with_closed_stdout(tmp.path(), &["completions", shell])
            .assert()
            .code(0)
            .stderr(predicate::str::is_empty());
    }
}

#[test]
fn man_on_a_closed_pipe_exits_0_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    with_closed_stdout(tmp.path(), &["man"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

#[test]
fn stats_index_and_rm_on_a_closed_pipe_exit_as_without_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = tmp.path().join("idx");
    let idx_arg = idx.to_str().expect("UTF-8 temp path");
    let corpus = bundled_corpus();
    let corpus_arg = corpus.to_str().expect("UTF-8 path");
    with_closed_stdout(tmp.path(), &["index", "--index", idx_arg, corpus_arg])
        .assert()
        .code(0);
    with_closed_stdout(tmp.path(), &["stats", "--index", idx_arg])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
    with_closed_stdout(
        tmp.path(),
        &["rm", "--index", idx_arg, "nac-2021-07-19-cyber-fr"],
    )
    .assert()
    .code(0)
    .stderr(predicate::str::is_empty());
}

#[test]
fn completions_on_a_full_device_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not on this platform
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    std::process::Command::cargo_bin("vigie")
        .expect("vigie binary")
        .env("VIGIE_INDEX", tmp.path().join("default-index"))
        .args(["completions", "bash"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("running vigie")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "vigie: error: writing the completions",
        ))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn indexing_a_path_that_does_not_exist_is_an_error_and_creates_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = tmp.path().join("idx");
    let typo = tmp.path().join("typo/dir");
    vigie(tmp.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(&typo)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("vigie: error:"))
        .stderr(predicate::str::contains(typo.display().to_string()))
        .stderr(predicate::str::contains("does not exist"));
    assert!(!idx.exists(), "an index was created at {}", idx.display());

    // Several paths, none there: same.
    vigie(tmp.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(&typo)
        .arg(tmp.path().join("other.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("other.jsonl"));
    assert!(!idx.exists());

    // Through $VIGIE_INDEX (no --index) too.
    vigie(tmp.path()).arg("index").arg(&typo).assert().code(2);
    assert!(!tmp.path().join("default-index").exists());
}

#[test]
fn a_missing_path_beside_an_existing_one_is_a_warning() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = tmp.path().join("idx");
    let typo = tmp.path().join("typo.jsonl");
    vigie(tmp.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(bundled_corpus())
        .arg(&typo)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("vigie: warning:"))
        .stderr(predicate::str::contains("typo.jsonl"));
    assert!(idx.join("meta.json").is_file());
}

/// One JSON Lines record with a title and paragraphs.
fn record(id: &str, paragraphs: &[&str]) -> String {
    serde_json::json!({
        "id": id,
        "title": format!("Communiqué {id}"),
        "date": "2021-07-19",
        "paragraphs": paragraphs,
    })
    .to_string()
        + "\n"
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("running vigie");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn counts_of_one_read_as_english() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = tmp.path().join("idx");
    let a = tmp.path().join("a.jsonl");
    std::fs::write(&a, record("r1", &["un seul paragraphe"])).expect("write");

    let indexed = stdout_of(
        vigie(tmp.path())
            .arg("index")
            .arg("--index")
            .arg(&idx)
            .arg(&a),
    );
    assert!(
        indexed.contains("1 added, 0 updated, 0 unchanged"),
        "{indexed}"
    );
    assert!(indexed.contains("1 statement, 1 paragraph"), "{indexed}");

    let stats = stdout_of(vigie(tmp.path()).args(["stats", "--index"]).arg(&idx));
    assert!(stats.contains("sources      1 file\n"), "{stats}");
    assert!(
        stats.contains("a.jsonl  1 statement, 1 paragraph,"),
        "{stats}"
    );

    let removed = stdout_of(
        vigie(tmp.path())
            .args(["rm", "--index"])
            .arg(&idx)
            .arg("r1"),
    );
    assert!(
        removed.starts_with("removed 1 statement (1 paragraph) from "),
        "{removed}"
    );

    std::fs::remove_file(&a).expect("remove");
    let pruned = stdout_of(
        vigie(tmp.path())
            .args(["index", "--prune", "--index"])
            .arg(&idx),
    );
    assert!(pruned.contains("1 pruned (0 statements)"), "{pruned}");
    for wrong in ["1 statements", "1 paragraphs", "1 files", "1 warnings"] {
        for out in [&indexed, &stats, &removed, &pruned] {
            assert!(!out.contains(wrong), "{wrong:?} in {out}");
        }
    }
}

#[test]
fn summaries_count_files_and_warnings_in_english() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = tmp.path().join("idx");
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(
        dir.join("a.jsonl"),
        record("r1", &["un", "deux"]) + "not json\n",
    )
    .expect("write");
    std::fs::write(dir.join("notes.xyz"), "unknown").expect("write");
    let out = vigie(tmp.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(&dir)
        .output()
        .expect("running vigie");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(stdout.contains("1 statement, 2 paragraphs"), "{stdout}");
    assert!(stdout.contains("(1 warning, "), "{stdout}");
    assert!(
        stdout.contains("1 file skipped (not a statement file"),
        "{stdout}"
    );

    let stats = stdout_of(vigie(tmp.path()).args(["stats", "--index"]).arg(&idx));
    assert!(stats.contains(", 1 warning"), "{stats}");
    assert!(!stats.contains("1 warnings"), "{stats}");

    // The file is gone: one indexed file no longer exists.
    std::fs::remove_file(dir.join("a.jsonl")).expect("remove");
    vigie(tmp.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(&dir)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 indexed file no longer exists"));
}

#[test]
fn rebuilding_from_sources_that_are_all_gone_keeps_the_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let idx = tmp.path().join("idx");
    let a = tmp.path().join("a.jsonl");
    std::fs::write(&a, record("r1", &["un seul paragraphe"])).expect("write");
    vigie(tmp.path())
        .arg("index")
        .arg("--index")
        .arg(&idx)
        .arg(&a)
        .assert()
        .code(0);
    std::fs::remove_file(&a).expect("remove");
    vigie(tmp.path())
        .args(["index", "--rebuild", "--index"])
        .arg(&idx)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "none of the 1 file recorded as the sources",
        ));
    // Given explicitly, the missing file is refused the same way.
    vigie(tmp.path())
        .args(["index", "--rebuild", "--index"])
        .arg(&idx)
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "does not exist; nothing was indexed",
        ));
    let stats = stdout_of(vigie(tmp.path()).args(["stats", "--index"]).arg(&idx));
    assert!(stats.contains("statements   1\n"), "{stats}");
}

/// Queries built to exhaust the parser or the planner: a chain of 10,000
/// negations, 10,000 nested parentheses, and 30 nested `NOT (… OR …)`
/// groups (each used to plan its inside twice). Each must answer (exit 0
/// or 1) rather than overflow the stack (134) or run for minutes; the
/// timeout is only a guard against a hang, not a speed target.
#[test]
fn deep_queries_answer_instead_of_crashing_or_hanging() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = build_index(dir.path(), &[&bundled_corpus()]);
    let queries = [
        format!("{}otan", "NOT ".repeat(10_000)),
        format!("{}otan{}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("{}otan{}", "NOT (chine OR ".repeat(30), ")".repeat(30)),
        format!("{}otan", "-".repeat(10_000)),
    ];
    for q in &queries {
        let out = vigie(dir.path())
            .args(["search", "--index"])
            .arg(&index)
            .arg("--")
            .arg(q)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("run vigie");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{}…: exit {code:?}, {}",
            &q[..40.min(q.len())],
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_folder_of_files_named_like_an_index_is_never_replaced() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let folder = scratch.path().join("mine");
    std::fs::create_dir(&folder).expect("mkdir");
    // A user's file whose name looks like a Tantivy segment file.
    let precious = folder.join("d41d8cd98f00b204e9800998ecf8427e.pdf");
    std::fs::write(&precious, b"%PDF-1.4 the user's document").expect("write");
    let corpus = bundled_corpus();
    for extra in [&["--rebuild"][..], &[][..]] {
        let out = vigie(scratch.path())
            .args(["index", "--index"])
            .arg(&folder)
            .args(extra)
            .arg(&corpus)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("refusing"), "{extra:?}: {stderr}");
        assert_eq!(
            std::fs::read(&precious).expect("the user's file is still there"),
            b"%PDF-1.4 the user's document"
        );
        let names: Vec<_> = std::fs::read_dir(&folder).expect("ls").flatten().collect();
        assert_eq!(names.len(), 1, "nothing added beside it ({extra:?})");
    }
}

#[test]
#[cfg(unix)]
fn pipes_and_devices_are_skipped_not_read_forever() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let folder = scratch.path().join("in");
    std::fs::create_dir(&folder).expect("mkdir");
    for f in std::fs::read_dir(bundled_corpus())
        .expect("corpus")
        .flatten()
    {
        std::fs::copy(f.path(), folder.join(f.file_name())).expect("copy");
    }
    // A named pipe nobody writes to, and a device that never ends.
    let fifo = folder.join("attente.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let zero = scratch.path().join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let idx = scratch.path().join("idx");
    let start = std::time::Instant::now();
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(&idx)
        .arg(&folder)
        .arg(&zero)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .expect("run");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "it hung"
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["attente.txt", "zero.txt"] {
        assert!(
            stderr.contains(&format!("{name}: not a regular file")),
            "{name}: {stderr}"
        );
    }
    // The statements beside them are indexed and committed.
    let r = search_json(scratch.path(), &idx, "Exchange", 5);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `NOT` over a phrase, found or not: Tantivy's phrase scorer asserts in
/// debug builds when an exclusion starts behind it (see `search::exclude`).
#[test]
fn excluded_phrases_never_panic() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let idx = build_index(scratch.path(), &[&bundled_corpus()]);
    for q in [
        "-\"Microsoft Exchange\"",
        "Exchange -\"Microsoft Exchange\"",
        "-\"Nations unies\"",
        "-ONU",
        "-O.T.A.N:O.T.A.N[",
    ] {
        let r = search_json(scratch.path(), &idx, q, 5);
        assert!(r.code == 0 || r.code == 1, "{q}: {}", r.stderr);
    }
    let all = search_json_with(scratch.path(), &idx, "Exchange", 50, &["--all-words"]);
    let without = search_json_with(
        scratch.path(),
        &idx,
        "Exchange -\"Microsoft Exchange\"",
        50,
        &["--all-words"],
    );
    assert!(
        without.hits.len() < all.hits.len(),
        "the phrase is excluded"
    );
}

/// A commit killed after it wrote a deletion file (`<segment>.<opstamp>.del`)
/// but before `meta.json` named it leaves that file behind; the same run
/// again writes the same name. Injected here as the kill leaves it: the
/// file of the next commit, already present and registered by Tantivy.
#[test]
fn a_commit_killed_after_its_deletions_does_not_stick_the_index() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = scratch.path();
    let f1 = dir.join("f1.jsonl");
    let f2 = dir.join("f2.jsonl");
    std::fs::write(&f1, record("a", &["un texte sur la cyberdéfense"])).expect("write");
    std::fs::write(&f2, record("b", &["un autre texte"])).expect("write");
    let index = |idx: &Path, args: &[&str]| {
        vigie(dir)
            .args(["index", "--threads", "1", "--index"])
            .arg(idx)
            .args(args)
            .arg(&f1)
            .output()
            .expect("run")
    };
    let live = dir.join("live");
    let out = vigie(dir)
        .args(["index", "--threads", "1", "--index"])
        .arg(&live)
        .arg(&f1)
        .arg(&f2)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    // The same index twice: one to run the prune, one to be "killed".
    let killed = dir.join("killed");
    std::fs::create_dir(&killed).expect("mkdir");
    for f in std::fs::read_dir(&live).expect("ls").flatten() {
        std::fs::copy(f.path(), killed.join(f.file_name())).expect("copy");
    }
    std::fs::remove_file(&f2).expect("rm f2");
    assert_eq!(index(&live, &["--prune"]).status.code(), Some(0));
    let dels: Vec<String> = std::fs::read_dir(&live)
        .expect("ls")
        .flatten()
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".del"))
        .collect();
    assert!(!dels.is_empty(), "the prune wrote a deletion file");
    let managed = killed.join(".managed.json");
    let mut names: Vec<String> =
        serde_json::from_slice(&std::fs::read(&managed).expect("read")).expect("json");
    for d in &dels {
        std::fs::copy(live.join(d), killed.join(d)).expect("copy del");
        names.push(d.clone());
    }
    std::fs::write(&managed, serde_json::to_vec(&names).expect("json")).expect("write");
    // The run again: it must commit, not fail on the leftover.
    let out = index(&killed, &["--prune"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let r = search_json(dir, &killed, "texte", 5);
    assert_eq!(r.hits.len(), 1, "only `a` is left: {:?}", r.stderr);
}

#[test]
fn an_index_location_that_is_a_file_is_named_as_such_and_left_alone() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let file = scratch.path().join("notes.txt");
    std::fs::write(&file, b"my notes").expect("write");
    let corpus = bundled_corpus();
    let runs: [&[&str]; 3] = [&["search", "otan"], &["index"], &["index", "--rebuild"]];
    for args in runs {
        let mut cmd = vigie(scratch.path());
        cmd.env("VIGIE_INDEX", &file).args(args);
        if args[0] == "index" {
            cmd.arg(&corpus);
        }
        let out = cmd.output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is a file, not an index directory"),
            "{args:?}: {stderr}"
        );
        assert_eq!(std::fs::read(&file).expect("read"), b"my notes");
    }
}

#[test]
#[cfg(unix)]
fn rebuilding_through_a_symbolic_link_keeps_the_link() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let real = scratch.path().join("real-index");
    let link = scratch.path().join("link");
    let corpus = bundled_corpus();
    let idx = build_index(scratch.path(), &[&corpus]);
    std::fs::rename(&idx, &real).expect("move");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let out = vigie(scratch.path())
        .args(["index", "--rebuild", "--index"])
        .arg(&link)
        .arg(&corpus)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(link.is_symlink(), "the link is still a link");
    assert_eq!(
        std::fs::canonicalize(&link).expect("resolve"),
        std::fs::canonicalize(&real).expect("real")
    );
    let r = search_json(scratch.path(), &link, "Exchange", 3);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn what_a_killed_rebuild_left_is_removed_by_the_next_run() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let corpus = bundled_corpus();
    let idx = build_index(scratch.path(), &[&corpus]);
    // As a kill leaves them: an unfinished staging index and a retired copy.
    let staging = scratch.path().join(".index.vigie-rebuild");
    let retired = scratch.path().join(".index.vigie-old");
    for d in [&staging, &retired] {
        std::fs::create_dir(d).expect("mkdir");
        std::fs::copy(idx.join("vigie.json"), d.join("vigie.json")).expect("stamp");
    }
    // A folder of the user's with the same kind of name is never touched.
    let theirs = scratch.path().join(".other.vigie-old");
    std::fs::create_dir(&theirs).expect("mkdir");
    std::fs::write(theirs.join("keep.txt"), b"mine").expect("write");
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(&idx)
        .arg(&corpus)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!staging.exists() && !retired.exists());
    assert!(theirs.join("keep.txt").is_file());
}

#[test]
#[cfg(unix)]
fn control_characters_in_file_names_are_shown_escaped() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let folder = scratch.path().join("in");
    std::fs::create_dir(&folder).expect("mkdir");
    // A name holding an escape sequence (red text) and a newline.
    std::fs::write(folder.join("bad\u{1b}[31mred\nfake.txt"), b"x").expect("write");
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(scratch.path().join("idx"))
        .arg(&folder)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        stderr.contains("bad\\u{1b}[31mred\\u{a}fake.txt"),
        "{stderr:?}"
    );
}

#[test]
fn a_file_repeating_one_id_keeps_the_last_and_writes_it_once() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let file = scratch.path().join("rep.jsonl");
    let text: String = (0..2000)
        .map(|i| record("same", &[&format!("version {i} du texte")]))
        .collect();
    std::fs::write(&file, text).expect("write");
    let idx = build_index(scratch.path(), &[&file]);
    let r = search_json(scratch.path(), &idx, "texte", 10);
    assert_eq!(r.hits.len(), 1, "{}", r.stderr);
    assert!(
        r.hits[0].text.contains("version 1999"),
        "{}",
        r.hits[0].text
    );
}

#[test]
fn searches_during_rebuild_swaps_never_fail() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let corpus = bundled_corpus();
    let idx = build_index(scratch.path(), &[&corpus]);
    let rebuilds = {
        let (dir, idx, corpus) = (scratch.path().to_path_buf(), idx.clone(), corpus.clone());
        std::thread::spawn(move || {
            for _ in 0..15 {
                let out = vigie(&dir)
                    .args(["index", "--rebuild", "--index"])
                    .arg(&idx)
                    .arg(&corpus)
                    .output()
                    .expect("rebuild");
                assert_eq!(out.status.code(), Some(0), "{out:?}");
            }
        })
    };
    let mut searches = 0;
    while !rebuilds.is_finished() {
        let r = search_json(scratch.path(), &idx, "Exchange", 1);
        assert_eq!(
            r.code, 0,
            "search {searches} during a rebuild: {}",
            r.stderr
        );
        searches += 1;
    }
    rebuilds.join().expect("rebuilds");
    assert!(searches > 0);
}

#[test]
fn damage_found_by_a_query_says_what_to_do() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let idx = build_index(scratch.path(), &[&bundled_corpus()]);
    for f in std::fs::read_dir(&idx).expect("ls").flatten() {
        if f.path().extension().is_some_and(|e| e == "pos") {
            std::fs::remove_file(f.path()).expect("rm");
        }
    }
    // A phrase needs the positions: not zero hits, an error with advice.
    let r = search_json(scratch.path(), &idx, "\"Microsoft Exchange\"", 5);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("not a usable vigie index") && r.stderr.contains("--rebuild"),
        "{}",
        r.stderr
    );
}

#[test]
fn deeply_nested_html_is_refused_with_its_limit_and_unclosed_paragraphs_are_not() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let deep = scratch.path().join("deep.html");
    let n = 100_000;
    std::fs::write(
        &deep,
        format!(
            "<html><body>{}<p>Texte profond.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        ),
    )
    .expect("write");
    // 3,000 paragraphs whose end tags are left out, as HTML allows.
    let flat = scratch.path().join("flat.html");
    let paragraphs: String = (0..3000)
        .map(|i| format!("<p>Paragraphe {i} sur la cyberdéfense."))
        .collect();
    std::fs::write(
        &flat,
        format!("<html><head><title>Communiqué</title></head><body><main>{paragraphs}</main></body></html>"),
    )
    .expect("write");
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(scratch.path().join("idx"))
        .arg(&deep)
        .arg(&flat)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("deep.html: tags nested more than 2000 deep"),
        "{stderr}"
    );
    assert!(!stderr.contains("flat.html"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("3000 paragraphs"), "{stdout}");
}

#[test]
fn odd_records_and_names_are_read_or_refused_with_a_reason() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let folder = scratch.path().join("in");
    std::fs::create_dir(&folder).expect("mkdir");
    // A JSON Lines record in Windows-1252 (é as the byte E9), an id too
    // long to be a key, and a .txt whose file name is not UTF-8.
    let mut jsonl =
        b"{\"id\":\"w\",\"title\":\"T\",\"paragraphs\":[\"Le caf\xE9 du communiqu\xE9.\"]}\n"
            .to_vec();
    jsonl.extend(record(&"x".repeat(70_000), &["trop long"]).into_bytes());
    std::fs::write(folder.join("records.jsonl"), jsonl).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"d\xE9claration.txt");
        std::fs::write(
            folder.join(name),
            "Titre\n\nUn paragraphe sur la cyberdéfense.\n",
        )
        .expect("write");
    }
    let idx = scratch.path().join("idx");
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(&idx)
        .arg(&folder)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read as Windows-1252"), "{stderr}");
    assert!(stderr.contains("`id` of 70000 bytes"), "{stderr}");
    let r = search_json(scratch.path(), &idx, "café", 5);
    assert_eq!(r.hits.len(), 1, "{}", r.stderr);
    assert!(r.hits[0].text.contains("café"));
    #[cfg(unix)]
    {
        let r = search_json(scratch.path(), &idx, "cyberdéfense", 5);
        assert_eq!(r.hits.len(), 1, "the .txt with a non-UTF-8 name: {stderr}");
    }
}

#[test]
fn two_files_with_one_name_in_two_folders_are_not_merged_silently() {
    let scratch = tempfile::tempdir().expect("tempdir");
    for (folder, text) in [("a", "Paragraphe alpha."), ("b", "Paragraphe beta.")] {
        std::fs::create_dir(scratch.path().join(folder)).expect("mkdir");
        std::fs::write(
            scratch.path().join(folder).join("communique.txt"),
            format!("Titre {folder}\n\n{text}\n"),
        )
        .expect("write");
    }
    let idx = scratch.path().join("idx");
    let index = |folder: &str| {
        vigie(scratch.path())
            .args(["index", "--index"])
            .arg(&idx)
            .arg(scratch.path().join(folder).join("communique.txt"))
            .output()
            .expect("run")
    };
    assert_eq!(index("a").status.code(), Some(0));
    let out = index("b");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("statement id `communique` is also that of a statement indexed from")
            && stderr.contains("rename one of them"),
        "{stderr}"
    );
}

#[test]
fn the_man_page_keeps_examples_and_query_syntax_line_for_line() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let out = vigie(scratch.path()).arg("man").output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(!page.contains(".SH EXTRA"), "no section named EXTRA");
    assert!(page.contains(".SH NOTES\n.nf\n"), "notes are not reflowed");
    // The query syntax table: one line per form, as in --help.
    assert!(
        page.lines()
            .any(|l| l.starts_with("  otan OR ukraine") && l.ends_with("either word")),
        "{page}"
    );
}

/// On a terminal, an empty result says so (piped output stays empty, as
/// for grep). Run under `script`, which gives the command a terminal.
#[test]
fn an_empty_page_on_a_terminal_says_why() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let scratch = tempfile::tempdir().expect("tempdir");
    let idx = build_index(scratch.path(), &[&bundled_corpus()]);
    let bin = assert_cmd::cargo::cargo_bin("vigie");
    let run = |args: &str| {
        let out = std::process::Command::new("script")
            .args([
                "-qc",
                &format!("{} search --index {} {args}", bin.display(), idx.display()),
                "/dev/null",
            ])
            .env("NO_COLOR", "1")
            .output()
            .expect("script");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("--exact zzzqqqxx").contains("no paragraph matches"));
    // With --explain, the explanation is there: no hint to ask for it.
    let explained = run("--explain --exact zzzqqqxx");
    assert!(
        explained.contains("vigie: no paragraph matches"),
        "{explained}"
    );
    assert!(!explained.contains("--explain shows"), "{explained}");
    let past = run("--offset 500 Exchange");
    assert!(past.contains("--offset 500 is past them"), "{past}");
    // The count --count gives (one paragraph holds Exchange) is named
    // beside the partial matches that follow it.
    assert!(
        past.contains("4 in all, 1 of them holding every part"),
        "{past}"
    );
    // -n 0 asks for no hit: the offset is not to blame.
    let none = run("-n 0 Exchange");
    assert!(none.contains("-n 0 shows no hit"), "{none}");
    assert!(!none.contains("past them"), "{none}");
}

/// SYNTHETIC pages pasted as text, in three layouts: a government news page
/// (breadcrumb and share bar above), an alliance statement with numbered
/// paragraphs (share line above, social and copyright footer below) and a
/// council press release in English (breadcrumb with `›`, footer links).
#[test]
fn page_chrome_around_a_pasted_statement_is_left_out() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let folder = scratch.path().join("pages");
    std::fs::create_dir(&folder).expect("mkdir");
    let pages = [
        (
            "gouv.txt",
            "Accueil > Actualités > Communiqués de presse\nPartager Imprimer Envoyer par courriel\n\nDéclaration sur la protection des hôpitaux\n\n19 juillet 2021\n\nLe Gouvernement condamne les attaques visant les hôpitaux.\n\nUn plan de renforcement est engagé.\n\nSuivez-nous sur les réseaux sociaux\nMentions légales\n",
        ),
        (
            "alliance.txt",
            "Partager sur Facebook | Partager sur X | Imprimer\n\nDéclaration du Conseil sur les rançongiciels\n\n20 juillet 2021\n\n1. Les Alliés condamnent les rançongiciels.\n\n2. Ils renforceront la résilience des réseaux.\n\n© OTAN 2026 – Tous droits réservés\n",
        ),
        (
            "council.txt",
            "Home › Press › Press releases\n\nCouncil statement on ransomware\n\n21 July 2021\n\nThe Council condemns ransomware against hospitals.\n\nMember States will share information.\n\nBack to top\nPrivacy policy\n",
        ),
    ];
    for (name, text) in pages {
        std::fs::write(folder.join(name), text).expect("write");
    }
    let idx = build_index(scratch.path(), &[&folder]);
    let all = search_json_with(
        scratch.path(),
        &idx,
        "hôpitaux OR rançongiciels OR ransomware OR résilience OR information OR renforcement",
        50,
        &[],
    );
    let titles: std::collections::BTreeSet<String> = all
        .hits
        .iter()
        .map(|h| h.raw["title"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        titles.into_iter().collect::<Vec<_>>(),
        [
            "Council statement on ransomware",
            "Déclaration du Conseil sur les rançongiciels",
            "Déclaration sur la protection des hôpitaux",
        ]
    );
    for hit in &all.hits {
        for chrome in [
            "Suivez-nous",
            "Tous droits réservés",
            "Back to top",
            "Partager",
            "Accueil",
            "Mentions",
        ] {
            assert!(!hit.text.contains(chrome), "{chrome} in {:?}", hit.text);
        }
    }
    let last = all
        .hits
        .iter()
        .find(|h| h.doc_id == "alliance" && h.paragraph == 2)
        .expect("§2 of the alliance statement");
    assert_eq!(last.text, "Ils renforceront la résilience des réseaux.");
}

#[test]
fn a_language_no_statement_is_in_says_so_instead_of_finding_nothing_silently() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let idx = build_index(scratch.path(), &[&bundled_corpus()]);
    for args in [vec!["--lang", "de", "otan"], vec!["otan lang:de"]] {
        let out = vigie(scratch.path())
            .args(["search", "--index"])
            .arg(&idx)
            .args(&args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}: nothing matches");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no statement is in language `de`") && err.contains("holds: fr"),
            "{args:?}: the note names the language and those the index holds: {err}"
        );
    }
}

/// Runs `script` (sh, with `$1` a fresh 2 MiB tmpfs and `$2` the vigie
/// binary, `$3`… `args`) in a private mount namespace, where a full disk
/// can be made without root. `None` when this machine forbids it.
fn on_a_small_disk(args: &[&Path], script: &str) -> Option<std::process::Output> {
    let probe = std::process::Command::new("unshare")
        .args(["-rm", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must allow `unshare -rm` (user and mount namespaces) for the full-disk test"
        );
        eprintln!("SKIPPED: `unshare -rm` is not allowed here, so no full disk can be made");
        return None;
    }
    let mount = tempfile::tempdir().expect("tempdir");
    let full = format!("mount -t tmpfs -o size=2m tmpfs \"$1\" || exit 99\n{script}");
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &full, "sh"])
        .arg(mount.path())
        .arg(assert_cmd::cargo::cargo_bin("vigie"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run unshare");
    assert_ne!(
        out.status.code(),
        Some(99),
        "mounting the small disk failed"
    );
    Some(out)
}

#[test]
fn a_full_disk_is_named_and_leaves_no_partial_files_behind() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // About 5 MB of paragraphs: more than the 2 MiB disk holds.
    let big = scratch.path().join("big.jsonl");
    let mut text = String::new();
    for i in 0..1500 {
        let words: Vec<String> = (0..300).map(|w| format!("mot{}x{}", i % 97, w)).collect();
        text.push_str(&record(&format!("s{i}"), &[&words.join(" ")]));
    }
    std::fs::write(&big, text).expect("write");
    let script = r#"
"$2" index --index "$1/idx" "$3" 2>"$1/../err" ; echo "exit=$?"
echo "kib=$(du -sk "$1" | cut -f1)"
cat "$1/../err"
"$2" index --index "$1/idx" "$4" >/dev/null 2>&1; echo "then=$?"
"#;
    let Some(out) = on_a_small_disk(&[&big, &bundled_corpus()], script) else {
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("exit=2"),
        "indexing onto a full disk is an error: {report}"
    );
    assert!(
        report.contains("is full") && report.contains("free some space"),
        "the message says the disk is full and what to do: {report}"
    );
    let kib: u64 = report
        .lines()
        .find_map(|l| l.strip_prefix("kib="))
        .and_then(|k| k.trim().parse().ok())
        .expect("du output");
    assert!(
        kib < 256,
        "the partial files of the failed run are removed ({kib} KiB left on the 2 MiB disk): {report}"
    );
    assert!(
        report.contains("then=0"),
        "a smaller corpus then indexes on the same disk: {report}"
    );
}

#[test]
fn the_summary_counts_each_statement_once_when_its_id_repeats() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // `a` three times (twice in b.jsonl, once before in a.jsonl): the index
    // holds its last version only, with 1 paragraph; then `x` and `b`.
    let first = scratch.path().join("a.jsonl");
    std::fs::write(
        &first,
        record("a", &["un", "deux", "trois"]) + &record("x", &["p"]),
    )
    .expect("write");
    let second = scratch.path().join("b.jsonl");
    std::fs::write(
        &second,
        record("a", &["quatre"]) + &record("a", &["cinq"]) + &record("b", &["six"]),
    )
    .expect("write");
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(scratch.path().join("idx"))
        .arg(&first)
        .arg(&second)
        .output()
        .expect("run");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("3 statements, 3 paragraphs written"),
        "a, x and b, with 1 + 1 + 1 paragraphs: {summary}"
    );
}

#[test]
fn dates_beyond_what_an_index_holds_are_refused_never_wrapped() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let file = scratch.path().join("dates.jsonl");
    let rec = |id: &str, date: &str| {
        serde_json::json!({"id": id, "title": "T", "date": date, "paragraphs": ["cyberdéfense"]})
            .to_string()
            + "\n"
    };
    std::fs::write(
        &file,
        rec("y1500", "1500-06-15")
            + &rec("y2300", "2300-06-15")
            + &rec("y1700", "1700-01-01")
            + &rec("y2261", "2261-12-31"),
    )
    .expect("write");
    let idx = scratch.path().join("idx");
    let out = vigie(scratch.path())
        .args(["index", "--index"])
        .arg(&idx)
        .arg(&file)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dates.jsonl:1: date \"1500-06-15\"")
            && err.contains("dates.jsonl:2: date \"2300-06-15\""),
        "each refused date is named with its line: {err}"
    );
    let dates: Vec<(String, Option<String>)> =
        search_json(scratch.path(), &idx, "cyberdéfense", 10)
            .hits
            .iter()
            .map(|h| (h.doc_id.clone(), h.raw["date"].as_str().map(str::to_string)))
            .collect();
    for (id, want) in [
        ("y1500", None),
        ("y2300", None),
        ("y1700", Some("1700-01-01")),
        ("y2261", Some("2261-12-31")),
    ] {
        let got = dates.iter().find(|d| d.0 == id).map(|d| d.1.as_deref());
        assert_eq!(got, Some(want), "{id}: {dates:?}");
    }
    let count = |args: &[&str]| {
        let out = vigie(scratch.path())
            .args(["search", "--count", "--index"])
            .arg(&idx)
            .args(args)
            .arg("cyberdéfense")
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(
        count(&["--until", "5000"]),
        "2 paragraphs in 2 statements",
        "the dated ones"
    );
    assert_eq!(count(&["--since", "2263"]), "0 paragraphs in 0 statements");
    assert_eq!(
        count(&["--since", "0100", "--until", "1800"]),
        "1 paragraph in 1 statement"
    );
}

#[test]
fn bench_picks_the_statement_queries_and_warns_when_most_find_nothing() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let idx = build_index(scratch.path(), &[&bundled_corpus()]);
    let out = vigie(scratch.path())
        .args(["bench", "--runs", "1", "--warmup", "0", "--json", "--index"])
        .arg(&idx)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("built-in benches/queries-statements.txt"),
        "an index of one cyber statement gets the statements' queries: {err}"
    );
    // The large corpus's labour-law queries find almost nothing in it.
    let labour = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/queries.txt");
    let out = vigie(scratch.path())
        .args([
            "bench",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--json",
            "--queries",
        ])
        .arg(&labour)
        .arg("--index")
        .arg(&idx)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("find nothing in this index"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn an_index_the_user_may_not_read_is_not_called_missing() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = tempfile::tempdir().expect("tempdir");
    let idx = build_index(scratch.path(), &[&bundled_corpus()]);
    std::fs::set_permissions(&idx, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // As root, permissions are not checked: run as nobody instead.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let vigie_bin = assert_cmd::cargo::cargo_bin("vigie");
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&vigie_bin);
        c
    } else {
        std::process::Command::new(&vigie_bin)
    };
    let out = cmd
        .args(["search", "--index"])
        .arg(&idx)
        .arg("otan")
        .output()
        .expect("run");
    std::fs::set_permissions(&idx, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot read the index at") && !err.contains("no index at"),
        "{err}"
    );
}

#[test]
fn the_default_index_of_an_earlier_vigie_is_rebuilt_not_refused() {
    // The platform default index (no --index, no $VIGIE_INDEX) is vigie's
    // own: built from the bundled corpus on the first search, and rebuilt
    // from its recorded files when a new vigie reads another version.
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let search = || {
        let out = vigie(tmp.path())
            .env_remove("VIGIE_INDEX")
            .env("XDG_DATA_HOME", &data)
            .env("HOME", tmp.path())
            .args(["search", "--count", "cyberdéfense"])
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, first, stderr) = search();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("indexing the bundled corpus"), "{stderr}");
    // Stamp it as built by an earlier schema.
    let stamp = data.join("vigie/index/vigie.json");
    let text = std::fs::read_to_string(&stamp).expect("stamp");
    let schema = format!(
        "\"schema_version\": {}",
        vigie::schema::SchemaSpec::shipped().expect("spec").version
    );
    assert!(text.contains(&schema), "{text}");
    std::fs::write(&stamp, text.replace(&schema, "\"schema_version\": 1")).expect("write");
    let (code, again, stderr) = search();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("was built by an earlier vigie (schema v1") && stderr.contains("rebuilt"),
        "{stderr}"
    );
    assert_eq!(again, first, "the same answer from the rebuilt index");
    let (code, _, stderr) = search();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("rebuil"), "rebuilt once: {stderr}");
}

#[test]
fn a_negative_or_bad_hit_count_is_named_not_taken_for_an_option() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Clap used to answer `--offset -1` with "unexpected argument '-1'"
    // and the tip to write `-- -1`, which would search the word "-1".
    for (args, says) in [
        (&["--offset", "-1"][..], "-1 is below 0"),
        (&["-n", "-5"], "-5 is below 0"),
        (&["-n", "ten"], "ten is not a whole number of hits"),
        (&["--offset", "99999999999999999999999"], "is more than"),
    ] {
        let out = vigie(dir.path())
            .arg("search")
            .args(args)
            .arg("otan")
            .output()
            .expect("run vigie");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("-- -1"), "{args:?}: {stderr}");
    }
}
