//! Shared helpers for the CLI integration tests: locating `../shared`,
//! building throw-away indexes through the `vigie` binary, and reading its
//! `--json` output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// `../shared` next to the repository, where the real corpus and the French
/// cases live; absent on a user's fresh clone.
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The path `rel` under `../shared`.
///
/// Tests that call this carry
/// `#[cfg_attr(vigie_no_shared, ignore = "needs ../shared ...")]`: the build
/// script sets `vigie_no_shared` when `../shared` is absent (outside CI), so
/// that `cargo test` reports those tests as *ignored*, not as passed. When
/// they do run, `../shared` must be there: a missing file fails the test
/// (under `CI=true` the build script never sets the flag, so a CI without
/// `../shared` fails loudly instead of passing on nothing).
pub fn shared(rel: &str) -> PathBuf {
    let p = shared_dir().join(rel);
    assert!(
        p.exists(),
        "{} is absent: this test needs ../shared next to the checkout",
        p.display()
    );
    p
}

/// The bundled corpus folder of the repository.
pub fn bundled_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A `vigie` command that can never touch the user's default index.
pub fn vigie(scratch: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vigie").expect("vigie binary");
    cmd.env("VIGIE_INDEX", scratch.join("default-index"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("VIGIE_SYNONYMS");
    cmd
}

/// Indexes `paths` into `<scratch>/index` and returns the index directory.
pub fn build_index(scratch: &Path, paths: &[&Path]) -> PathBuf {
    let index = scratch.join("index");
    let mut cmd = vigie(scratch);
    cmd.arg("index").arg("--index").arg(&index).args(paths);
    cmd.assert().success();
    index
}

/// Writes `jsonl` (JSON Lines statements) into a new scratch directory,
/// indexes it into `<scratch>/index`, and returns both.
pub fn index_of(jsonl: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("s.jsonl");
    std::fs::write(&file, jsonl).expect("write fixture");
    let idx = build_index(dir.path(), &[&file]);
    (dir, idx)
}

/// One `"type":"hit"` line of `vigie search --json`.
#[derive(Debug, Clone)]
pub struct JsonHit {
    pub rank: u64,
    pub doc_id: String,
    pub paragraph: u64,
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
    pub raw: Value,
}

impl JsonHit {
    /// Whether vigie marked the hit partial (it holds only some parts of
    /// the query, or was found through its statement).
    pub fn partial(&self) -> bool {
        self.raw["partial"].as_bool().unwrap_or(false)
    }

    /// The highlighted slices of `text`.
    pub fn marked(&self) -> Vec<&str> {
        self.highlights
            .iter()
            .map(|&(s, e)| &self.text[s..e])
            .collect()
    }
}

/// Output of one search: exit code, hits, the summary object and stderr.
#[derive(Debug)]
pub struct SearchRun {
    pub code: i32,
    pub hits: Vec<JsonHit>,
    pub summary: Option<Value>,
    pub stdout: String,
    pub stderr: String,
}

impl SearchRun {
    /// `(doc_id, paragraph)` of every hit, sorted (for tests about which
    /// paragraphs come, not their order).
    #[allow(dead_code)] // Not every test file asks for it.
    pub fn sorted_keys(&self) -> Vec<(String, u64)> {
        let mut keys: Vec<(String, u64)> = self
            .hits
            .iter()
            .map(|h| (h.doc_id.clone(), h.paragraph))
            .collect();
        keys.sort();
        keys
    }
}

/// Runs `vigie search --json -n N QUERY` on `index`.
pub fn search_json(scratch: &Path, index: &Path, query: &str, n: usize) -> SearchRun {
    search_json_with(scratch, index, query, n, &[])
}

/// [`search_json`] with extra options before the query.
pub fn search_json_with(
    scratch: &Path,
    index: &Path,
    query: &str,
    n: usize,
    extra: &[&str],
) -> SearchRun {
    let out = vigie(scratch)
        .args(["search", "--json", "-n", &n.to_string(), "--index"])
        .arg(index)
        .args(extra)
        .arg("--")
        .arg(query)
        .output()
        .expect("running vigie");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut hits = Vec::new();
    let mut summary = None;
    for line in stdout.lines() {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"));
        match v["type"].as_str() {
            Some("hit") => {
                let text = v["text"].as_str().expect("text").to_string();
                let highlights = v["highlights"]
                    .as_array()
                    .expect("highlights")
                    .iter()
                    .map(|h| {
                        (
                            h[0].as_u64().unwrap() as usize,
                            h[1].as_u64().unwrap() as usize,
                        )
                    })
                    .collect::<Vec<_>>();
                for &(s, e) in &highlights {
                    assert!(
                        s < e && e <= text.len(),
                        "bad highlight {s}..{e} in {text:?}"
                    );
                    assert!(
                        text.is_char_boundary(s) && text.is_char_boundary(e),
                        "highlight off char boundary"
                    );
                }
                hits.push(JsonHit {
                    rank: v["rank"].as_u64().expect("rank"),
                    doc_id: v["doc_id"].as_str().expect("doc_id").to_string(),
                    paragraph: v["paragraph"].as_u64().expect("paragraph"),
                    text,
                    highlights,
                    raw: v,
                });
            }
            Some("summary") => summary = Some(v),
            other => panic!("unexpected JSON line type {other:?}: {line}"),
        }
    }
    SearchRun {
        code: out.status.code().unwrap_or(-1),
        hits,
        summary,
        stdout,
        stderr,
    }
}

/// A `vigie serve` child process, killed on drop; `base` is its
/// `http://host:port` address.
pub struct Served {
    pub child: std::process::Child,
    pub base: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vigie serve --bind BIND` on `index`; returns it with the lines
/// it printed on stderr up to the one giving its address (`serving
/// http://…`).
pub fn serve_on(dir: &Path, index: &Path, bind: &str, extra: &[&str]) -> (Served, Vec<String>) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vigie"))
        .env("VIGIE_INDEX", dir.join("default-index"))
        .env_remove("VIGIE_SYNONYMS")
        .args(["serve", "--bind", bind, "--index"])
        .arg(index)
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start vigie serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    let base = loop {
        let line = lines
            .next()
            .expect("vigie serve ended before saying where it listens")
            .expect("read stderr");
        let base = line.find("serving http://").map(|at| {
            line[at + "serving ".len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string()
        });
        seen.push(line);
        if let Some(base) = base {
            break base;
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Served { child, base }, seen)
}
