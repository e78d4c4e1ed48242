//! Indexing an analyst can trust (issue 6), through the `vigie` binary:
//! incremental and idempotent runs, pruning, removal, rebuilds, the writer
//! lock, runs killed with SIGKILL, bad input, and indexes that cannot be
//! opened. Every command gets `--index <tempdir>` and `VIGIE_INDEX` set to a
//! scratch path, so nothing touches the user's data directory.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use assert_cmd::Command;

/// A `vigie` command that can never touch the user's default index.
fn vigie(scratch: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vigie").expect("vigie binary");
    cmd.env("VIGIE_INDEX", scratch.join("default-index"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// The same, as a `std` command, for children that are killed.
fn vigie_std(scratch: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"));
    cmd.env("VIGIE_INDEX", scratch.join("default-index"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Out {
    let output = cmd.output().expect("running vigie");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `vigie index --index IDX ARGS...`
fn index(scratch: &Path, idx: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Out {
    let mut cmd = vigie(scratch);
    cmd.arg("index").arg("--index").arg(idx);
    for a in args {
        cmd.arg(a);
    }
    run(&mut cmd)
}

/// `vigie stats --json --index IDX`, parsed.
fn stats(scratch: &Path, idx: &Path) -> serde_json::Value {
    let out = run(vigie(scratch).args(["stats", "--json", "--index"]).arg(idx));
    assert_eq!(out.code, 0, "{out:?}");
    serde_json::from_str(&out.stdout).expect("stats JSON")
}

fn statements(scratch: &Path, idx: &Path) -> u64 {
    stats(scratch, idx)["statements"]
        .as_u64()
        .expect("statements")
}

fn paragraphs(scratch: &Path, idx: &Path) -> u64 {
    stats(scratch, idx)["paragraphs"]
        .as_u64()
        .expect("paragraphs")
}

/// Number of live paragraphs of statement `id`, read with the library.
fn paragraphs_of(idx: &Path, id: &str) -> usize {
    vigie::index::IndexHandle::open(idx)
        .expect("open")
        .count_statement(id)
        .expect("count")
}

/// `vigie search --json QUERY`: exit code and stdout.
/// The names of the files in `dir` that `keep` accepts.
fn names_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| keep(n))
        .collect()
}

fn search(scratch: &Path, idx: &Path, query: &str) -> Out {
    run(vigie(scratch)
        .args(["search", "--json", "-n", "50", "--index"])
        .arg(idx)
        .arg(query))
}

fn record(id: &str, paragraphs: &[&str]) -> String {
    serde_json::json!({ "id": id, "title": format!("Titre {id}"), "paragraphs": paragraphs })
        .to_string()
        + "\n"
}

/// [`record`] of a statement in language `lang`.
fn record_in(lang: &str, id: &str, paragraphs: &[&str]) -> String {
    serde_json::json!({
        "id": id, "lang": lang, "title": format!("Titre {id}"), "paragraphs": paragraphs
    })
    .to_string()
        + "\n"
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    // A new file (a copy of a read-only file may be read-only).
    let _ = std::fs::remove_file(path);
    std::fs::write(path, content).expect("write");
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/nac-2021-07-19-cyber-fr.txt")
}

/// Name, size, modification time and content of every file in `dir`.
fn snapshot(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime, Vec<u8>)> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| {
            let e = e.expect("entry");
            let meta = e.metadata().expect("metadata");
            (
                e.file_name().to_string_lossy().into_owned(),
                (
                    meta.len(),
                    meta.modified().expect("mtime"),
                    std::fs::read(e.path()).expect("read"),
                ),
            )
        })
        .collect()
}

/// Whether this process may write where permissions say it may not (root):
/// then permission-based cases cannot be produced and are skipped.
fn permissions_are_bypassed(scratch: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = scratch.join("probe");
    write(&probe, "x");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let bypassed = std::fs::File::open(&probe).is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::remove_file(&probe).expect("rm");
    bypassed
}

#[test]
fn rerun_on_unchanged_files_does_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let corpus = scratch.join("corpus");
    write(
        &corpus.join("a.jsonl"),
        record("a", &["un", "deux"]) + &record("b", &["trois"]),
    );
    std::fs::copy(seed(), corpus.join("seed.txt")).expect("copy");

    let first = index(scratch, &idx, &[&corpus]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first.stdout.contains("2 added, 0 updated, 0 unchanged"),
        "{first:?}"
    );
    let before = snapshot(&idx);

    for _ in 0..2 {
        let again = index(scratch, &idx, &[&corpus]);
        assert_eq!(again.code, 0, "{again:?}");
        assert!(
            again.stdout.contains("0 added, 0 updated, 2 unchanged"),
            "{again:?}"
        );
        assert!(
            again.stdout.contains("0 statements, 0 paragraphs"),
            "{again:?}"
        );
        assert!(again.stderr.is_empty(), "{again:?}");
        assert_eq!(snapshot(&idx), before, "the index directory changed");
    }

    // Touched but identical: still unchanged, and still nothing written.
    let content = std::fs::read(corpus.join("a.jsonl")).expect("read");
    write(&corpus.join("a.jsonl"), content);
    let touched = index(scratch, &idx, &[&corpus]);
    assert!(
        touched.stdout.contains("0 added, 0 updated, 2 unchanged"),
        "{touched:?}"
    );
    assert_eq!(snapshot(&idx), before);

    // The same files named another way are the same sources.
    let relative = run(vigie(scratch)
        .current_dir(&corpus)
        .args(["index", "--index"])
        .arg(&idx)
        .args(["a.jsonl", "./seed.txt"]));
    assert!(
        relative.stdout.contains("0 added, 0 updated, 2 unchanged"),
        "{relative:?}"
    );
    assert_eq!(statements(scratch, &idx), 3);
}

#[test]
fn a_changed_file_replaces_its_statements() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    let b = scratch.join("b.jsonl");
    write(
        &a,
        record("a1", &["alpha"]) + &record("a2", &["beta", "gamma"]),
    );
    write(&b, record("b1", &["delta"]));
    assert_eq!(index(scratch, &idx, &[&a, &b]).code, 0);
    assert_eq!(paragraphs_of(&idx, "a2"), 2);

    // a2 disappears from a.jsonl, a3 appears, a1 changes.
    write(
        &a,
        record("a1", &["alpha", "omega"]) + &record("a3", &["epsilon"]),
    );
    let out = index(scratch, &idx, &[&a, &b]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("0 added, 1 updated, 1 unchanged"),
        "{out:?}"
    );
    assert!(out.stdout.contains("2 statements, 3 paragraphs"), "{out:?}");
    assert_eq!(paragraphs_of(&idx, "a1"), 2);
    assert_eq!(paragraphs_of(&idx, "a2"), 0);
    assert_eq!(paragraphs_of(&idx, "a3"), 1);
    assert_eq!(paragraphs_of(&idx, "b1"), 1);
    assert_eq!(statements(scratch, &idx), 3);
    let s = stats(scratch, &idx);
    let key = std::fs::canonicalize(&a).expect("canonical");
    let entry = &s["sources"][key.to_string_lossy().as_ref()];
    assert_eq!(entry["statements"], 2, "{s}");
    assert_eq!(entry["paragraphs"], 3, "{s}");
}

#[test]
fn a_statement_moving_to_another_file_is_replaced_not_doubled() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    let b = scratch.join("b.jsonl");
    write(
        &a,
        record("x", &["un", "deux", "trois"]) + &record("y", &["y"]),
    );
    assert_eq!(index(scratch, &idx, &[&a]).code, 0);
    // Another run, another file, the same id: the new one replaces it.
    write(&b, record("x", &["quatre"]));
    let out = index(scratch, &idx, &[&b]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(paragraphs_of(&idx, "x"), 1);
    assert_eq!(statements(scratch, &idx), 2);
    // a.jsonl changes: its statements (x included) come back from it.
    write(&a, record("x", &["cinq", "six"]) + &record("y", &["y"]));
    let out = index(scratch, &idx, &[&a, &b]);
    assert!(
        out.stdout.contains("0 added, 1 updated, 1 unchanged"),
        "{out:?}"
    );
    assert_eq!(paragraphs_of(&idx, "x"), 2);
    assert_eq!(paragraphs(scratch, &idx), 3);
}

#[test]
fn duplicate_ids_in_one_run_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    let b = scratch.join("b.jsonl");
    write(&a, record("x", &["premier"]) + &record("y", &["y"]));
    write(&b, record("z", &["z"]) + &record("x", &["second", "texte"]));
    let out = index(scratch, &idx, &[&a, &b]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("b.jsonl:2: statement id `x` was already read in this run from")
            && out.stderr.contains("a.jsonl:1"),
        "{out:?}"
    );
    assert!(out.stdout.contains("(1 warning)"), "{out:?}");
    // The later one wins.
    assert_eq!(paragraphs_of(&idx, "x"), 2);
    let strict = index(scratch, &idx, &[&"--strict", &a, &b]);
    assert_eq!(
        strict.code, 2,
        "the warning is remembered while unchanged: {strict:?}"
    );
}

#[test]
fn prune_removes_statements_of_deleted_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let corpus = scratch.join("corpus");
    write(&corpus.join("keep.jsonl"), record("k", &["garder"]));
    write(
        &corpus.join("gone.jsonl"),
        record("g1", &["a"]) + &record("g2", &["b"]),
    );
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    std::fs::remove_file(corpus.join("gone.jsonl")).expect("rm");

    let without = index(scratch, &idx, &[&corpus]);
    assert_eq!(without.code, 0);
    assert!(
        without.stderr.contains("1 indexed file no longer exists"),
        "{without:?}"
    );
    assert_eq!(paragraphs_of(&idx, "g1"), 1, "kept without --prune");

    let pruned = index(scratch, &idx, &[&"--prune"]);
    assert_eq!(pruned.code, 0, "{pruned:?}");
    assert!(
        pruned.stdout.contains("1 pruned (2 statements)"),
        "{pruned:?}"
    );
    assert_eq!(paragraphs_of(&idx, "g1"), 0);
    assert_eq!(paragraphs_of(&idx, "g2"), 0);
    assert_eq!(paragraphs_of(&idx, "k"), 1);
    assert_eq!(
        stats(scratch, &idx)["sources"].as_object().map(|o| o.len()),
        Some(1)
    );
}

#[test]
fn pruning_a_copy_brings_back_the_statement_from_the_file_that_still_exists() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let corpus = scratch.join("corpus");
    let a = corpus.join("a.jsonl");
    write(
        &a,
        record("x", &["un", "deux", "trois"]) + &record("y", &["y"]),
    );
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    // A copy of a.jsonl elsewhere: its statements replace a.jsonl's.
    let copy = scratch.join("copy");
    write(&copy.join("a.jsonl"), std::fs::read(&a).expect("read"));
    assert_eq!(index(scratch, &idx, &[&copy]).code, 0);
    assert_eq!(paragraphs_of(&idx, "x"), 3);
    // The copy is deleted and pruned: a.jsonl, unchanged, still holds x
    // and y, and they stay searchable.
    std::fs::remove_dir_all(&copy).expect("rm copy");
    let pruned = index(scratch, &idx, &[&"--prune", &corpus]);
    assert_eq!(pruned.code, 0, "{pruned:?}");
    assert!(pruned.stdout.contains("1 pruned"), "{pruned:?}");
    assert_eq!(paragraphs_of(&idx, "x"), 3, "{pruned:?}");
    assert_eq!(paragraphs_of(&idx, "y"), 1, "{pruned:?}");
    // A statement removed by id stays removed by a prune.
    let rm = run(vigie(scratch).args(["rm", "--index"]).arg(&idx).arg("y"));
    assert_eq!(rm.code, 0, "{rm:?}");
    let gone = scratch.join("gone.jsonl");
    write(&gone, record("g", &["g"]));
    assert_eq!(index(scratch, &idx, &[&gone]).code, 0);
    std::fs::remove_file(&gone).expect("rm gone");
    assert_eq!(index(scratch, &idx, &[&"--prune", &corpus]).code, 0);
    assert_eq!(paragraphs_of(&idx, "y"), 0, "removed by id, not re-read");
    assert_eq!(paragraphs_of(&idx, "x"), 3);
}

#[test]
fn rm_removes_statements_by_id() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    write(
        &a,
        record("r1", &["un", "deux"]) + &record("r2", &["trois"]),
    );
    assert_eq!(index(scratch, &idx, &[&a]).code, 0);

    let out = run(vigie(scratch).args(["rm", "--index"]).arg(&idx).arg("r1"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("removed 1 statement (2 paragraphs)"),
        "{out:?}"
    );
    assert_eq!(paragraphs_of(&idx, "r1"), 0);
    assert_eq!(paragraphs_of(&idx, "r2"), 1);

    let missing = run(vigie(scratch)
        .args(["rm", "--index"])
        .arg(&idx)
        .args(["r2", "nope"]));
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(
        missing.stderr.contains("no statement with id `nope`"),
        "{missing:?}"
    );
    assert_eq!(
        paragraphs_of(&idx, "r2"),
        0,
        "the found id is still removed"
    );

    // The file is unchanged, so re-indexing does not bring them back.
    let again = index(scratch, &idx, &[&a]);
    assert!(again.stdout.contains("1 unchanged"), "{again:?}");
    assert_eq!(statements(scratch, &idx), 0);
}

#[test]
fn rebuild_replaces_the_index_only_when_complete() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));
    std::fs::copy(seed(), scratch.join("seed.txt")).expect("copy");
    assert_eq!(
        index(scratch, &idx, &[&a, &scratch.join("seed.txt")]).code,
        0
    );
    let stamp = idx.join("vigie.json");
    let raw = std::fs::read_to_string(&stamp).expect("stamp");
    let mut value: serde_json::Value = serde_json::from_str(&raw).expect("json");
    value["schema_version"] = 999.into();
    write(&stamp, value.to_string());

    // An index of another version is refused, with the way out.
    for args in [vec!["search", "cyberdéfense"], vec!["stats"]] {
        let out = run(vigie(scratch).args(&args).arg("--index").arg(&idx));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains("schema v999"), "{out:?}");
        assert!(out.stderr.contains("vigie index --rebuild"), "{out:?}");
    }
    let refused = index(scratch, &idx, &[&a]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("schema v999"), "{refused:?}");

    // Without PATH, the rebuild re-reads the recorded sources.
    let rebuilt = index(scratch, &idx, &[&"--rebuild"]);
    assert_eq!(rebuilt.code, 0, "{rebuilt:?}");
    assert!(
        rebuilt
            .stdout
            .contains("rebuilt from scratch; files: 2 added"),
        "{rebuilt:?}"
    );
    assert_eq!(statements(scratch, &idx), 2);
    let out = search(scratch, &idx, "cyberdéfense");
    assert_eq!(out.code, 0, "{out:?}");
    let siblings: Vec<String> = std::fs::read_dir(scratch)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("vigie-"))
        .collect();
    assert!(siblings.is_empty(), "leftovers: {siblings:?}");

    // With PATHs, only those.
    let only_a = index(scratch, &idx, &[&"--rebuild", &a]);
    assert_eq!(only_a.code, 0, "{only_a:?}");
    assert_eq!(statements(scratch, &idx), 1);
}

#[test]
fn another_programs_tantivy_index_is_never_replaced() {
    use tantivy::schema::{Schema, TEXT};
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    // A Tantivy index of another program: `meta.json`, `.managed.json`,
    // its own schema, no vigie stamp.
    let other = scratch.join("other");
    std::fs::create_dir(&other).expect("mkdir");
    let mut builder = Schema::builder();
    let body = builder.add_text_field("body", TEXT);
    let foreign = tantivy::Index::create_in_dir(&other, builder.build()).expect("create");
    let mut writer: tantivy::IndexWriter = foreign.writer(15_000_000).expect("writer");
    writer
        .add_document(tantivy::doc!(body => "allies"))
        .expect("add");
    writer.commit().expect("commit");
    drop(writer);
    let meta = std::fs::read(other.join("meta.json")).expect("meta.json");
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));

    let out = index(scratch, &other, &[&"--rebuild", &a]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("refusing to replace it"), "{out:?}");
    let out = index(scratch, &other, &[&a]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        std::fs::read(other.join("meta.json")).expect("meta.json"),
        meta,
        "the other program's index is untouched"
    );
    assert!(!other.join("vigie.json").exists());
    // Searching it says it is no vigie index, and suggests no rebuild.
    let out = run(vigie(scratch)
        .args(["search", "--index"])
        .arg(&other)
        .arg("allies"));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("it holds other files"), "{out:?}");
    assert!(!out.stderr.contains("--rebuild"), "{out:?}");
}

#[test]
fn rebuild_never_replaces_a_directory_that_is_not_an_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let precious = scratch.join("documents");
    write(&precious.join("thesis.odt"), "years of work");
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));
    let out = index(scratch, &precious, &[&"--rebuild", &a]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("refusing to replace it"), "{out:?}");
    assert!(out.stderr.contains("thesis.odt"), "{out:?}");
    // Nor is an index created among the user's files.
    let out = index(scratch, &precious, &[&a]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("refusing to create an index there"),
        "{out:?}"
    );
    assert_eq!(
        std::fs::read_dir(&precious).expect("read_dir").count(),
        1,
        "nothing written"
    );

    // An index with a stranger's file in it is not replaced either.
    let idx = scratch.join("idx");
    assert_eq!(index(scratch, &idx, &[&a]).code, 0);
    write(&idx.join("notes.txt"), "mine");
    let out = index(scratch, &idx, &[&"--rebuild", &a]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("notes.txt"), "{out:?}");
    assert!(idx.join("notes.txt").exists());
    assert!(precious.join("thesis.odt").exists());
}

#[test]
fn a_second_writer_fails_at_once_naming_the_lock() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
    let handle = vigie::index::IndexHandle::open(&idx).expect("open");
    let writer = handle.updater(32 << 20, 1).expect("first writer");

    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));
    for args in [
        vec!["index".to_string(), a.display().to_string()],
        vec!["index".to_string(), "--rebuild".to_string()],
        vec!["rm".to_string(), "x".to_string()],
    ] {
        let out = run(vigie(scratch).args(&args).arg("--index").arg(&idx));
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(
            out.stderr.contains("another `vigie index` is writing to")
                && out.stderr.contains(".tantivy-writer.lock"),
            "{args:?}: {out:?}"
        );
    }
    // Readers are not blocked.
    assert_eq!(search(scratch, &idx, "cyberdéfense").code, 0);
    assert_eq!(statements(scratch, &idx), 1);
    drop(writer);
    assert_eq!(index(scratch, &idx, &[&a]).code, 0);
}

#[test]
fn missing_and_corrupted_indexes_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let nothing = scratch.join("nothing");
    for args in [vec!["search", "otan"], vec!["stats"], vec!["rm", "x"]] {
        let out = run(vigie(scratch).args(&args).arg("--index").arg(&nothing));
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains("no index at"), "{out:?}");
        assert!(!out.stderr.contains("panicked"), "{out:?}");
    }
    // A folder of the user's files (a mistyped --index): the error names
    // one of them and does not suggest indexing into it, which is refused.
    let papers = scratch.join("papers");
    std::fs::create_dir(&papers).expect("mkdir");
    write(&papers.join("notes.txt"), "mes notes");
    for args in [vec!["search", "otan"], vec!["stats"]] {
        let out = run(vigie(scratch).args(&args).arg("--index").arg(&papers));
        assert_eq!(out.code, 2, "{out:?}");
        assert!(out.stderr.contains("no index at"), "{out:?}");
        assert!(out.stderr.contains("notes.txt"), "{out:?}");
        assert!(out.stderr.contains("new or empty directory"), "{out:?}");
        assert!(
            !out.stderr
                .contains(&format!("--index {}", papers.display())),
            "{out:?}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(papers.join("notes.txt")).expect("kept"),
        "mes notes"
    );
    // Another tool's Tantivy index (a meta.json, no vigie stamp): not one
    // to rebuild, which would be refused.
    let other = scratch.join("other");
    write(&other.join("meta.json"), "{}");
    let out = run(vigie(scratch)
        .args(["search", "otan", "--index"])
        .arg(&other));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("it holds other files (such as meta.json)"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("--rebuild"), "{out:?}");
    // A suggested command quotes a path the shell would split.
    let spaced = scratch.join("my index");
    let out = run(vigie(scratch)
        .args(["search", "otan", "--index"])
        .arg(&spaced));
    assert!(
        out.stderr.contains(&format!(
            "`vigie index --index '{}' PATH...`",
            spaced.display()
        )),
        "{out:?}"
    );

    type Harm = fn(&Path);
    let damage: [(&str, Harm); 4] = [
        ("meta.json", |idx| write(&idx.join("meta.json"), "garbage")),
        ("vigie.json", |idx| {
            std::fs::remove_file(idx.join("vigie.json")).expect("rm")
        }),
        ("truncated segment", |idx| {
            let store = std::fs::read_dir(idx)
                .expect("read_dir")
                .map(|e| e.expect("entry").path())
                .find(|p| p.extension().is_some_and(|e| e == "term"))
                .expect("a .term file");
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(store)
                .expect("open");
            f.set_len(10).expect("truncate");
        }),
        ("deleted segment file", |idx| {
            let fast = std::fs::read_dir(idx)
                .expect("read_dir")
                .map(|e| e.expect("entry").path())
                .find(|p| p.extension().is_some_and(|e| e == "fast"))
                .expect("a .fast file");
            std::fs::remove_file(fast).expect("rm");
        }),
    ];
    for (what, harm) in damage {
        let idx = scratch.join(what.replace(' ', "-"));
        assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
        harm(&idx);
        for args in [vec!["search", "otan"], vec!["stats"]] {
            let out = run(vigie(scratch).args(&args).arg("--index").arg(&idx));
            assert_eq!(out.code, 2, "{what}: {out:?}");
            assert!(
                out.stderr.contains("not a usable vigie index") && out.stderr.contains("--rebuild"),
                "{what}: {out:?}"
            );
            assert!(!out.stderr.contains("panicked"), "{out:?}");
        }
        let out = index(scratch, &idx, &[&seed()]);
        assert_eq!(out.code, 2, "{what}: {out:?}");
        let out = index(scratch, &idx, &[&"--rebuild", &seed()]);
        assert_eq!(out.code, 0, "{what}: rebuild repairs it: {out:?}");
        assert_eq!(search(scratch, &idx, "cyberdéfense").code, 0);
    }
}

#[test]
fn read_only_locations_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));

    // A location that cannot be created, for anyone.
    let sys = Path::new("/sys/vigie-test-index");
    if Path::new("/sys").is_dir() && std::fs::create_dir(sys).is_err() {
        let out = index(scratch, sys, &[&a]);
        assert_eq!(out.code, 2, "{out:?}");
        assert!(
            out.stderr.contains("cannot write to the index at"),
            "{out:?}"
        );
    }

    // A file where the directory should be.
    let file = scratch.join("plain-file");
    write(&file, "x");
    let out = index(scratch, &file.join("idx"), &[&a]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("plain-file"), "{out:?}");

    if permissions_are_bypassed(scratch) {
        eprintln!(
            "read_only_locations_are_reported: running with privileges, permission cases skipped"
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let idx = scratch.join("ro/idx");
    assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
    let lock_down = |mode| {
        for p in [idx.clone(), scratch.join("ro")] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
    };
    lock_down(0o555);
    let out = index(scratch, &idx, &[&a]);
    let searched = search(scratch, &idx, "cyberdéfense");
    let fresh = index(scratch, &scratch.join("ro/new"), &[&a]);
    lock_down(0o755);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("cannot write to the index at"),
        "{out:?}"
    );
    assert_eq!(
        searched.code, 0,
        "a read-only index can be searched: {searched:?}"
    );
    assert_eq!(fresh.code, 2, "{fresh:?}");
    assert!(
        fresh.stderr.contains("cannot write to the index at"),
        "{fresh:?}"
    );
}

#[test]
fn bad_input_is_reported_and_everything_else_indexed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let c = scratch.join("corpus");
    std::fs::copy(seed(), {
        std::fs::create_dir_all(&c).expect("mkdir");
        c.join("seed.txt")
    })
    .expect("copy");
    // A paragraph of 3 MiB with a rare word at its very end.
    let mut big = "parole ".repeat(3 * 1024 * 1024 / 7);
    big.push_str("zygomatique");
    let mut lines = record("good", &["La cyberdéfense est essentielle."]);
    lines.push_str("this is not json\n");
    lines.push_str("{\"id\":\"nopara\",\"title\":\"x\"}\n");
    lines.push_str("{\"id\":\"types\",\"paragraphs\":[1,2]}\n");
    lines.push_str("{\"id\":\"baddate\",\"date\":\"32 juillet 2021\",\"paragraphs\":[\"daté\"]}\n");
    lines.push_str(&record("big", &[&big]));
    lines.push_str("{\"id\":\"trunc\",\"paragraphs\":[\"x\"\n");
    write(&c.join("records.jsonl"), &lines);
    write(&c.join("latin1.txt"), b"Titre\n\n1. Caf\xE9 cr\xE8me\n");
    write(&c.join("empty.txt"), b"");
    write(&c.join("empty.jsonl"), b"\n\n");
    write(
        &c.join("binary.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    write(&c.join("binary.jsonl"), b"\x7fELF\x02\x01\x01\x00\x00\x00");
    write(
        &c.join("gzipped.jsonl"),
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    );
    write(&c.join("notes.rtf"), "{\\rtf1 notes}");
    write(&c.join("photo.jpeg"), b"\xFF\xD8\xFF");
    std::fs::create_dir_all(c.join("sub")).expect("mkdir");
    std::os::unix::fs::symlink(&c, c.join("sub/loop")).expect("symlink");
    let privileged = permissions_are_bypassed(scratch);
    if !privileged {
        use std::os::unix::fs::PermissionsExt;
        write(&c.join("secret.txt"), "Titre\n\n1. Secret.\n");
        std::fs::set_permissions(c.join("secret.txt"), std::fs::Permissions::from_mode(0o000))
            .expect("chmod");
        write(&c.join("locked/inside.txt"), "Titre\n\n1. Dedans.\n");
        std::fs::set_permissions(c.join("locked"), std::fs::Permissions::from_mode(0o000))
            .expect("chmod");
    }

    let out = index(scratch, &idx, &[&c]);
    if !privileged {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(c.join("locked"), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    assert_eq!(out.code, 0, "{out:?}");
    let e = &out.stderr;
    for expected in [
        "records.jsonl:2: not valid JSON",
        "records.jsonl:3: invalid record: missing field `paragraphs`",
        "records.jsonl:4: invalid record: invalid type: integer `1`, expected a string",
        "records.jsonl:5: date \"32 juillet 2021\" is not a day vigie reads",
        "records.jsonl:7: truncated JSON",
        "latin1.txt:3: invalid UTF-8 at byte offset 13",
        "empty.txt: empty file",
        "empty.jsonl: empty file",
        "binary.txt: binary file (NUL byte at byte offset 8)",
        "binary.jsonl: binary file (NUL byte at byte offset 7)",
        "gzipped.jsonl: gzip-compressed data",
        "loop",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
    if !privileged {
        assert!(e.contains("secret.txt: Permission denied"), "{e}");
        assert!(e.contains("locked"), "{e}");
    }
    assert!(!e.contains("panicked"), "{e}");
    assert!(
        out.stdout.contains("2 files skipped (not a statement file"),
        "{out:?}"
    );
    let warnings: usize = out
        .stdout
        .split(" warnings")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no warning count in {:?}", out.stdout));
    assert!(warnings >= 12, "{out:?}");

    // Everything readable is in: good, baddate (without date), big, seed,
    // and latin1 (decoded as Windows-1252, with its warning).
    assert_eq!(statements(scratch, &idx), 5);
    for id in ["good", "baddate", "big", "seed", "latin1"] {
        assert!(paragraphs_of(&idx, id) > 0, "{id}");
    }
    let found = search(scratch, &idx, "zygomatique");
    assert_eq!(found.code, 0, "the end of a 3 MiB paragraph is indexed");
    assert!(
        found.stdout.contains("\"doc_id\":\"big\""),
        "{}",
        &found.stdout[..200.min(found.stdout.len())]
    );

    // --strict: same work, exit status 2.
    let strict = index(scratch, &idx, &[&"--strict", &c]);
    assert_eq!(strict.code, 2, "{strict:?}");
    assert!(strict.stderr.contains("--strict"), "{strict:?}");
}

#[test]
fn a_file_that_becomes_unreadable_keeps_its_statements() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    let t = scratch.join("t.txt");
    write(&a, record("a1", &["un"]) + &record("a2", &["deux"]));
    std::fs::copy(seed(), &t).expect("copy");
    assert_eq!(index(scratch, &idx, &[&a, &t]).code, 0);

    // Truncated to nothing, garbled, and binary: nothing indexed from them
    // is lost, and they are read again next time.
    write(&a, "");
    write(&t, b"\x00\x01\x02");
    let out = index(scratch, &idx, &[&a, &t]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("2 unreadable"), "{out:?}");
    assert!(
        out.stderr
            .contains("the 2 statements indexed from this file before are kept"),
        "{out:?}"
    );
    assert_eq!(statements(scratch, &idx), 3);

    write(&a, "{\"id\":\"a1\"}\nnot json\n");
    let out = index(scratch, &idx, &[&a]);
    assert!(out.stderr.contains("before are kept"), "{out:?}");
    assert_eq!(paragraphs_of(&idx, "a2"), 1);

    write(&a, record("a3", &["trois"]));
    let out = index(scratch, &idx, &[&a]);
    assert!(out.stdout.contains("1 updated"), "{out:?}");
    assert_eq!(paragraphs_of(&idx, "a2"), 0);
    assert_eq!(paragraphs_of(&idx, "a3"), 1);
}

#[test]
fn overlong_jsonl_lines_are_skipped_with_bounded_memory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let path = scratch.join("huge-line.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    file.write_all(record("before", &["avant"]).as_bytes())
        .expect("write");
    file.write_all(b"{\"id\":\"huge\",\"paragraphs\":[\"")
        .expect("write");
    let chunk = "mot ".repeat(16 * 1024);
    for _ in 0..(65 * 1024 * 1024 / chunk.len()) {
        file.write_all(chunk.as_bytes()).expect("write");
    }
    file.write_all(b"\"]}\n").expect("write");
    file.write_all(record("after", &["après"]).as_bytes())
        .expect("write");
    file.flush().expect("flush");
    drop(file);

    let out = index(scratch, &idx, &[&path]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("huge-line.jsonl:2: line is")
            && out.stderr.contains("over the 64 MiB limit"),
        "{out:?}"
    );
    assert_eq!(paragraphs_of(&idx, "before"), 1);
    assert_eq!(paragraphs_of(&idx, "after"), 1);
    assert_eq!(paragraphs_of(&idx, "huge"), 0);
}

#[test]
fn stats_describes_the_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un", "deux"]) + &record("b", &["trois"]));
    assert_eq!(index(scratch, &idx, &[&a, &seed()]).code, 0);
    let out = run(vigie(scratch).args(["stats", "--index"]).arg(&idx));
    assert_eq!(out.code, 0, "{out:?}");
    for expected in [
        "statements   3",
        "paragraphs   7",
        "segments",
        "size",
        "schema       v",
        ", analyzer v",
        "last commit  20",
        "sources      2 files",
        "a.jsonl  2 statements, 3 paragraphs",
        "nac-2021-07-19-cyber-fr.txt  1 statement, 4 paragraphs",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected:?} in\n{}",
            out.stdout
        );
    }
    let s = stats(scratch, &idx);
    assert_eq!(s["statements"], 3);
    assert_eq!(s["paragraphs"], 7);
    assert!(s["size_bytes"].as_u64().unwrap_or(0) > 0);
    assert!(s["segments"].as_u64().unwrap_or(0) >= 1);
}

/// Writes `files` JSON Lines files of `per_file` statements of 5 paragraphs
/// each (about 1.3 KiB per statement) under `dir`.
fn generate(dir: &Path, files: usize, per_file: usize) -> u64 {
    let words = [
        "sécurité",
        "alliance",
        "défense",
        "cyberespace",
        "solidarité",
        "résilience",
        "dissuasion",
        "partenaires",
        "menaces",
        "stabilité",
        "coopération",
        "souveraineté",
    ];
    let mut total = 0;
    for f in 0..files {
        let path = dir.join(format!("part-{f:02}.jsonl"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
        for i in 0..per_file {
            let paragraphs: Vec<String> = (0..5)
                .map(|p| {
                    (0..40)
                        .map(|w| words[(i * 7 + p * 3 + w * 5 + f) % words.len()])
                        .collect::<Vec<_>>()
                        .join(" ")
                        + "."
                })
                .collect();
            let line = serde_json::json!({
                "id": format!("gen-{f}-{i}"),
                "title": format!("Déclaration {f}-{i}"),
                "date": "2021-07-19",
                "paragraphs": paragraphs,
            });
            writeln!(out, "{line}").expect("write");
            total += 1;
        }
    }
    total
}

fn kill9(child: &mut Child) {
    // SIGKILL: no destructor, no flush, no lock release but the kernel's.
    child.kill().expect("kill -9");
    child.wait().expect("wait");
}

/// Waits until `condition` holds while `child` runs; false if it exited
/// first.
fn wait_while_running(child: &mut Child, mut condition: impl FnMut() -> bool) -> bool {
    loop {
        if condition() {
            return true;
        }
        if child.try_wait().expect("try_wait").is_some() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[cfg(target_os = "linux")]
/// Whether process `pid` holds the writer lock of `idx`, read from
/// `/proc/locks` (Tantivy's lock is an `flock` on `.tantivy-writer.lock`),
/// without touching the lock.
fn holds_writer_lock(pid: u32, idx: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(idx.join(".tantivy-writer.lock")) else {
        return false;
    };
    let inode = meta.ino().to_string();
    let pid = pid.to_string();
    std::fs::read_to_string("/proc/locks")
        .unwrap_or_default()
        .lines()
        .any(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            f.len() >= 6
                && f[1] == "FLOCK"
                && f[4] == pid
                && f[5].rsplit(':').next() == Some(inode.as_str())
        })
}

#[cfg(target_os = "linux")]
#[test]
fn killed_runs_leave_the_last_commit_searchable_and_the_next_run_finishes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    // A committed baseline.
    assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
    let baseline = paragraphs(scratch, &idx);

    let big = scratch.join("big");
    std::fs::create_dir_all(&big).expect("mkdir");
    let statements_total = generate(&big, 6, 2500);
    let paragraphs_total = baseline + statements_total * 5;

    // Kill 1: as soon as the run holds the lock (discovering, hashing or
    // reading). Kill 2: once it has written uncommitted segment files.
    // Kill 3: after at least one checkpoint commit (`--checkpoint 1` commits
    // after every file).
    for round in 0..3 {
        let known: Vec<String> = snapshot(&idx).into_keys().collect();
        let committed_before =
            vigie::index::Manifest::read_from_dir(&idx).map_or(0, |m| m.files.len());
        let mut child = vigie_std(scratch)
            .args([
                "index",
                "--memory",
                "16",
                "--threads",
                "1",
                "--checkpoint",
                "1",
                "--index",
            ])
            .arg(&idx)
            .arg(&big)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let pid = child.id();
        let reached = match round {
            0 => wait_while_running(&mut child, || holds_writer_lock(pid, &idx)),
            1 => wait_while_running(&mut child, || {
                std::fs::read_dir(&idx).expect("read_dir").any(|e| {
                    let name = e.expect("entry").file_name().to_string_lossy().into_owned();
                    name.ends_with(".idx") && !known.contains(&name)
                })
            }),
            _ => wait_while_running(&mut child, || {
                vigie::index::Manifest::read_from_dir(&idx)
                    .is_some_and(|m| m.files.len() > committed_before)
            }),
        };
        assert!(
            reached,
            "round {round}: the run ended before it could be killed; make the input bigger"
        );
        // Meanwhile, searches work on the last commit.
        let during = search(scratch, &idx, "cyberdéfense");
        assert_eq!(during.code, 0, "round {round}: {during:?}");
        if round == 0 {
            // A second writer is refused at once, naming the lock.
            let second = index(scratch, &idx, &[&big]);
            assert!(
                child.try_wait().expect("try_wait").is_none(),
                "the run ended too early; make the input bigger"
            );
            assert_eq!(second.code, 2, "{second:?}");
            assert!(
                second
                    .stderr
                    .contains("another `vigie index` is writing to")
                    && second.stderr.contains(".tantivy-writer.lock"),
                "{second:?}"
            );
        }
        kill9(&mut child);

        // The last commit is intact and consistent with its manifest.
        let s = stats(scratch, &idx);
        let manifest = vigie::index::Manifest::read_from_dir(&idx).expect("manifest");
        let recorded: u64 = manifest.files.values().map(|e| e.paragraphs).sum();
        assert_eq!(
            s["paragraphs"].as_u64(),
            Some(recorded),
            "round {round}: {s}"
        );
        eprintln!(
            "round {round}: killed; last commit has {} files, {recorded} paragraphs",
            manifest.files.len()
        );
        assert_eq!(
            search(scratch, &idx, "cyberdéfense").code,
            0,
            "round {round}"
        );
        assert!(vigie::index::IndexHandle::open(&idx).is_ok());
    }

    // The next run finishes the work, without redoing committed files.
    let committed = vigie::index::Manifest::read_from_dir(&idx)
        .expect("manifest")
        .files
        .len();
    assert!(
        committed >= 2,
        "the checkpoint round committed at least one file"
    );
    let out = index(scratch, &idx, &[&big]);
    assert_eq!(out.code, 0, "{out:?}");
    let unchanged = committed - 1; // minus the seed statement
    assert!(
        out.stdout.contains(&format!(
            "{} added, 0 updated, {unchanged} unchanged",
            6 - unchanged
        )),
        "{out:?}"
    );
    assert_eq!(paragraphs(scratch, &idx), paragraphs_total);
    assert_eq!(statements(scratch, &idx), statements_total + 1);
    let again = index(scratch, &idx, &[&big]);
    assert!(
        again.stdout.contains("0 added, 0 updated, 6 unchanged"),
        "{again:?}"
    );

    // The segments the killed runs had flushed but not committed are gone.
    let meta = std::fs::read_to_string(idx.join("meta.json")).expect("meta.json");
    for name in snapshot(&idx).into_keys() {
        if let Some((stem, _)) = name.split_once('.') {
            if stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit()) {
                let uuid = format!(
                    "{}-{}-{}-{}-{}",
                    &stem[..8],
                    &stem[8..12],
                    &stem[12..16],
                    &stem[16..20],
                    &stem[20..]
                );
                assert!(meta.contains(&uuid), "orphan segment file {name}");
            }
        }
    }
}

#[test]
fn checkpoints_count_the_text_read_not_the_compressed_bytes() {
    use std::io::Write as _;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut paths = Vec::new();
    for n in 0..3 {
        // About 1.5 MiB of text that gzip shrinks to a few KiB.
        let path = tmp.path().join(format!("part{n}.jsonl.gz"));
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).expect("create"),
            flate2::Compression::default(),
        );
        for i in 0..1500 {
            let para = "texte répété du communiqué ".repeat(40);
            writeln!(gz, "{}", record(&format!("s{n}-{i}"), &[&para]).trim_end()).expect("write");
        }
        gz.finish().expect("finish");
        assert!(std::fs::metadata(&path).expect("meta").len() < 200_000);
        paths.push(path);
    }
    let handle = vigie::index::IndexHandle::open_or_create(&tmp.path().join("idx")).expect("index");
    let summary = vigie::ingest::ingest_with(
        &handle,
        &paths,
        &vigie::ingest::IngestOptions::default(),
        &vigie::ingest::UpdateOptions {
            prune: false,
            checkpoint_bytes: 1 << 20,
        },
        &mut |_| {},
        &mut |_| {},
    )
    .expect("ingest");
    // One checkpoint after each file (each holds more than 1 MiB of text).
    assert_eq!(summary.commits, 3, "{summary:?}");
}

#[test]
fn a_statement_without_paragraphs_is_reported_not_counted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let a = scratch.join("a.jsonl");
    write(
        &a,
        r#"{"id":"vide","title":"Vide","lang":"fr","paragraphs":[]}"#.to_string()
            + "\n"
            + &record("plein", &["un"])
            + r#"{"id":"blanc","title":"Blanc","lang":"fr","paragraphs":["", " ", "\u00a0"]}"#
            + "\n",
    );
    let out = index(scratch, &idx, &[&a]);
    assert_eq!(out.code, 0, "{out:?}");
    // Named with its file and line, and not reported as written.
    assert!(
        out.stderr
            .contains("a.jsonl:1: statement `vide` has no paragraph; not indexed"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("a.jsonl:3: statement `blanc` has only blank paragraphs; not indexed"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("1 statement, 1 paragraph written"),
        "{out:?}"
    );
    assert_eq!(statements(scratch, &idx), 1);
}

#[cfg(unix)]
#[test]
fn index_files_are_as_readable_as_the_index_directory() {
    use std::os::unix::fs::PermissionsExt;
    // Tantivy writes meta.json and .managed.json through a private
    // temporary file (0600): an index others may list, they could not
    // search. Each file gets the directory's read and write bits.
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    std::fs::create_dir(&idx).expect("mkdir");
    std::fs::set_permissions(&idx, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
    for name in ["meta.json", ".managed.json", "vigie.json"] {
        let mode = std::fs::metadata(idx.join(name))
            .expect(name)
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode & 0o044, 0o044, "{name}: {mode:o}");
        assert_eq!(mode & 0o111, 0, "{name}: {mode:o}");
    }
    // A directory others may write to does not make the files writable
    // by them: only the owner writes.
    std::fs::set_permissions(&idx, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));
    assert_eq!(index(scratch, &idx, &[&a]).code, 0);
    let mode = std::fs::metadata(idx.join("meta.json"))
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644, "{mode:o}");
}

#[test]
fn an_index_under_a_file_names_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let notes = scratch.join("notes.txt");
    write(&notes, "mes notes");
    let out = index(scratch, &notes.join("idx"), &[&seed()]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains(&format!(
            "{} is a file, not an index directory",
            notes.display()
        )),
        "{out:?}"
    );
    // Searching there says the same (not "build one there").
    let out = run(vigie(scratch)
        .args(["search", "otan", "--index"])
        .arg(notes.join("idx")));
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("is a file, not an index directory"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_to_string(&notes).expect("kept"), "mes notes");
}

#[test]
fn thread_counts_past_the_limit_are_refused_before_any_work() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    for n in ["0", "65", "10000"] {
        let out = index(scratch, &idx, &[&"--threads", &n, &seed()]);
        assert_eq!(out.code, 2, "--threads {n}: {out:?}");
        assert!(out.stderr.contains("1..=64"), "--threads {n}: {out:?}");
    }
    assert!(!idx.exists(), "nothing was created");
    assert_eq!(
        index(scratch, &idx, &[&"--threads", &"64", &seed()]).code,
        0
    );
}

#[test]
fn an_index_inside_the_folder_it_indexes_is_not_read_as_statements() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let corpus = scratch.join("d");
    write(&corpus.join("a.jsonl"), record("a", &["alpha"]));
    let idx = corpus.join("idx");
    let synonyms = scratch.join("s.txt");
    write(&synonyms, "cyber, numérique\n\nalpha, bêta\n");
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    let stored = index(scratch, &idx, &[&"--synonyms", &synonyms]);
    assert_eq!(stored.code, 0, "{stored:?}");
    assert!(idx.join("vigie-synonyms.txt").is_file());
    let out = index(scratch, &idx, &[&corpus]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(statements(scratch, &idx), 1, "{out:?}");
}

#[test]
fn rebuilding_the_current_directory_swaps_it_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
    let out = run(vigie(scratch)
        .current_dir(&idx)
        .args(["index", "--rebuild", "--index", "."]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("enter it again"), "{out:?}");
    // No staging directory left inside the index, and a second rebuild
    // (from outside) is not refused for holding one.
    let leftovers = names_in(&idx, |n| {
        n.contains("vigie-rebuild") || n.contains("vigie-old")
    });
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(index(scratch, &idx, &[&"--rebuild"]).code, 0);
    assert_eq!(paragraphs(scratch, &idx), 4);
}

#[test]
fn a_synonym_file_that_cannot_be_stored_leaves_no_partial_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    assert_eq!(index(scratch, &idx, &[&seed()]).code, 0);
    // The stored file's place is taken by a folder (as a full disk, the
    // write or the rename fails halfway).
    std::fs::create_dir_all(idx.join("vigie-synonyms.txt").join("x")).expect("mkdir");
    let synonyms = scratch.join("s.txt");
    write(&synonyms, "cyber, numérique\n");
    let out = index(scratch, &idx, &[&"--synonyms", &synonyms]);
    assert_eq!(out.code, 2, "{out:?}");
    let partial = names_in(&idx, |n| n.starts_with(".tmp-vigie-synonyms"));
    assert!(partial.is_empty(), "{partial:?} {out:?}");
}

#[test]
fn a_statement_replaced_from_another_file_comes_back_when_that_file_lets_it_go() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let corpus = scratch.join("c");
    let a = corpus.join("a.jsonl");
    let b = corpus.join("b.jsonl");
    write(&a, record("x", &["version alpha"]));
    write(
        &b,
        record("x", &["version beta", "bis"]) + &record("y", &["y"]),
    );
    let first = index(scratch, &idx, &[&corpus]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(paragraphs_of(&idx, "x"), 2, "b.jsonl, read last, wins");
    // Both files unchanged: nothing moves, run after run.
    for _ in 0..2 {
        let again = index(scratch, &idx, &[&corpus]);
        assert!(again.stdout.contains("0 updated, 2 unchanged"), "{again:?}");
        assert_eq!(paragraphs_of(&idx, "x"), 2);
    }
    // b.jsonl edited so that it no longer holds x: x comes back from a.
    write(&b, record("y", &["y", "édité"]));
    let edited = index(scratch, &idx, &[&corpus]);
    assert_eq!(edited.code, 0, "{edited:?}");
    assert_eq!(paragraphs_of(&idx, "x"), 1, "{edited:?}");
    let out = search(scratch, &idx, "alpha");
    assert_eq!(out.code, 0, "{out:?}");
    // b.jsonl takes x again, then is deleted and pruned: x comes back.
    write(&b, record("x", &["version gamma"]));
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    assert_eq!(search(scratch, &idx, "gamma").code, 0);
    std::fs::remove_file(&b).expect("rm b");
    let pruned = index(scratch, &idx, &[&"--prune", &corpus]);
    assert_eq!(pruned.code, 0, "{pruned:?}");
    assert_eq!(search(scratch, &idx, "alpha").code, 0, "{pruned:?}");
    assert_eq!(paragraphs_of(&idx, "x"), 1);
    // And then all is quiet again.
    let quiet = index(scratch, &idx, &[&corpus]);
    assert!(quiet.stdout.contains("0 updated, 1 unchanged"), "{quiet:?}");
}

#[test]
fn restoring_a_statement_takes_back_only_what_was_lost() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (scratch, idx) = (tmp.path(), tmp.path().join("idx"));
    let corpus = scratch.join("c");
    // a.jsonl holds x and y; b.jsonl takes x, d.jsonl takes y.
    write(
        &corpus.join("a.jsonl"),
        record("x", &["x de a"]) + &record("y", &["y de a"]),
    );
    write(&corpus.join("b.jsonl"), record("x", &["x de b"]));
    write(&corpus.join("d.jsonl"), record("y", &["y de d"]));
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    assert_eq!(search(scratch, &idx, "\"x de b\"").code, 0);
    assert_eq!(search(scratch, &idx, "\"y de d\"").code, 0);
    // b.jsonl lets x go: x comes back from a.jsonl, y stays d.jsonl's.
    write(&corpus.join("b.jsonl"), record("z", &["z de b"]));
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    assert_eq!(search(scratch, &idx, "\"x de a\"").code, 0);
    assert_eq!(search(scratch, &idx, "\"y de d\"").code, 0);
    assert_eq!(paragraphs_of(&idx, "y"), 1);
    // Nothing moves on the next runs.
    let quiet = index(scratch, &idx, &[&corpus]);
    assert!(quiet.stdout.contains("0 updated, 3 unchanged"), "{quiet:?}");
    assert_eq!(search(scratch, &idx, "\"y de d\"").code, 0);
    // y removed by id: a change elsewhere does not bring a.jsonl's back.
    let rm = run(vigie(scratch).args(["rm", "--index"]).arg(&idx).arg("y"));
    assert_eq!(rm.code, 0, "{rm:?}");
    write(&corpus.join("d.jsonl"), record("w", &["w de d"]));
    assert_eq!(index(scratch, &idx, &[&corpus]).code, 0);
    assert_eq!(paragraphs_of(&idx, "y"), 0, "removed by id");
}

/// A searcher made from a handle after statements were added through it
/// finds them: the reader `IndexHandle::open` keeps for the first search
/// (so that a search does not open every segment twice) is used only
/// while it still shows the last commit.
#[test]
fn a_searcher_sees_what_was_indexed_after_the_handle_was_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = dir.path().join("idx");
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    write(
        &first,
        record("a", &["La stabilité du cyberespace importe."]),
    );
    write(&second, record("b", &["Les sommeliers ne sont pas visés."]));
    let options = vigie::ingest::IngestOptions {
        memory_bytes: 32 << 20,
        threads: 1,
    };
    let ingest = |handle: &vigie::index::IndexHandle, file: &Path| {
        vigie::ingest::ingest(
            handle,
            &[file.to_path_buf()],
            &options,
            &mut |e| panic!("{e}"),
            &mut |_| {},
        )
        .expect("ingest");
    };
    ingest(
        &vigie::index::IndexHandle::open_or_create(&idx).expect("create"),
        &first,
    );
    let handle = vigie::index::IndexHandle::open(&idx).expect("open");
    ingest(&handle, &second);
    let searcher = vigie::search::Searcher::new(handle).expect("searcher");
    let found = searcher
        .search("sommelier", &vigie::search::SearchOptions::default())
        .expect("search");
    assert_eq!(
        found.total, 1,
        "the paragraph of the statement added after the handle was opened \
         (\"Les sommeliers ne sont pas visés.\") must be found"
    );
    let found = searcher
        .search("stabilité", &vigie::search::SearchOptions::default())
        .expect("search");
    assert_eq!(
        found.total, 1,
        "the first statement's paragraph is still found"
    );
}

/// After `vigie rm` of English statements, the French ones are still
/// searched: Tantivy's document frequency of `lang:en` still counts the
/// removed paragraphs until a merge drops them, and once it reached every
/// live paragraph, French paragraphs were no longer searched at all.
#[test]
fn french_statements_are_searched_after_english_ones_are_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scratch = dir.path();
    let idx = scratch.join("idx");
    let file = scratch.join("mixed.jsonl");
    write(
        &file,
        record_in(
            "en",
            "en-one",
            &["The allies meet.", "Cyberspace is stable.", "Norms apply."],
        ) + &record_in(
            "en",
            "en-two",
            &[
                "The allies agree.",
                "Capacity building matters.",
                "Trust grows.",
            ],
        ) + &record_in(
            "fr",
            "fr-un",
            &["Les alliés se réunissent.", "La confiance grandit."],
        ),
    );
    let out = index(scratch, &idx, &[&file]);
    assert_eq!(out.code, 0, "{out:?}");
    let out = run(vigie(scratch)
        .args(["rm", "--index"])
        .arg(&idx)
        .args(["en-one", "en-two"]));
    assert_eq!(out.code, 0, "{out:?}");
    let out = search(scratch, &idx, "alliés");
    assert_eq!(
        out.code, 0,
        "\"Les alliés se réunissent.\" must still be found: {out:?}"
    );
    assert!(out.stdout.contains("\"doc_id\":\"fr-un\""), "{out:?}");
}

#[test]
fn a_budget_past_tantivys_limit_per_thread_is_used_up_to_it() {
    // 9,000 MiB over 2 threads is more than the 4 GB a Tantivy thread
    // takes: the index is built with what a thread can take, not refused
    // after the index directory was made.
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let a = scratch.join("a.jsonl");
    write(&a, record("a", &["un"]));
    let idx = scratch.join("idx");
    let out = index(
        scratch,
        &idx,
        &[&"--memory", &"9000", &"--threads", &"2", &a],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(statements(scratch, &idx), 1);
}

#[test]
fn standard_input_is_not_taken_for_a_missing_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let scratch = tmp.path();
    let idx = scratch.join("idx");
    let out = index(scratch, &idx, &[&"-"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("standard input) is not read"),
        "{out:?}"
    );
    assert!(!idx.exists(), "no index made");
}

#[test]
fn a_folder_without_statement_files_names_what_it_skipped_and_search_says_the_index_is_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).expect("mkdir");
    // A statement written as JSON, not JSON Lines, and a note.
    write(
        &folder.join("one.json"),
        record("a", &["Le Conseil se réunit."]),
    );
    write(&folder.join("notes.doc"), "notes");
    let idx = dir.path().join("idx");
    let out = index(dir.path(), &idx, &[&folder]);
    assert_eq!(out.code, 0, "{out:?}");
    for expected in [
        "2 files skipped (not a statement file",
        "notes.doc",
        "one.json",
        "statements as JSON are read from JSON Lines files, named .jsonl",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected:?} missing: {out:?}"
        );
    }
    let found = search(dir.path(), &idx, "Conseil");
    assert_eq!(found.code, 1, "{found:?}");
    assert!(
        found
            .stderr
            .contains("holds no paragraph yet: `vigie index"),
        "{found:?}"
    );
    // An index that holds paragraphs gets no such note.
    write(
        &folder.join("one.jsonl"),
        record("a", &["Le Conseil se réunit."]),
    );
    assert_eq!(index(dir.path(), &idx, &[&folder]).code, 0);
    let absent = search(dir.path(), &idx, "zzyzx");
    assert_eq!(absent.code, 1, "{absent:?}");
    assert!(!absent.stderr.contains("holds no paragraph"), "{absent:?}");
}
