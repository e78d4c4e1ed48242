//! Embeds the bundled statements of `corpus/` into the binary, so that a
//! first `vigie search` can build the default index even when the binary
//! runs away from its source tree.
//!
//! Also sets the `vigie_no_shared` cfg when `../shared` (the real corpus and
//! cases, next to the development checkout) is absent, so that the tests
//! that need it are reported as ignored by `cargo test` rather than passing
//! without running. Under `CI=true` the cfg is never set: a CI without
//! `../shared` fails those tests instead.

#[path = "src/analysis/letters.rs"]
mod letters;

use std::env;
use std::fs;
use std::path::Path;

/// The files of `../shared` that tests read.
const SHARED_FILES: [&str; 8] = [
    "corpus/statements-fr.jsonl",
    "corpus/statements-en.jsonl",
    "cases/french-cases.jsonl",
    "cases/french-cases-2.jsonl",
    "relevance/corpus.jsonl",
    "relevance/queries.jsonl",
    "relevance/qrels-monolingual.jsonl",
    "relevance/qrels.jsonl",
];

fn main() {
    shared_cfg();
    folded_thesaurus();
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("corpus");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    if let Ok(dir) = fs::read_dir(&root) {
        for entry in dir.flatten() {
            let path = entry.path();
            if path.is_file() {
                println!("cargo:rerun-if-changed={}", path.display());
                let name = entry.file_name().to_string_lossy().into_owned();
                entries.push(format!(
                    "    ({name:?}, include_bytes!({:?})),\n",
                    path.display().to_string()
                ));
            }
        }
    }
    entries.sort();
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    let code = format!("&[\n{}]", entries.concat());
    fs::write(out, code).expect("writing bundled.rs");
}

/// Writes `thesaurus-folded.txt`: one line per line of
/// `thesaurus/default.txt`, holding for a group line its letters and digits
/// folded as `vigie::analysis::fold` folds them (NFKD, marks dropped,
/// lowercase, œ → oe …), empty for the others. vigie looks query terms up
/// in it to read only the lines of the default thesaurus a query needs,
/// without folding the file in every process (see `src/thesaurus/mod.rs`;
/// a test checks that the lines it finds are the ones a full read finds).
fn folded_thesaurus() {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let source = Path::new(&manifest).join("thesaurus/default.txt");
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed=src/analysis/letters.rs");
    let text = fs::read_to_string(&source).expect("reading thesaurus/default.txt");
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim();
        if !line.is_empty() && !line.starts_with('#') {
            for c in line.nfkd().filter(|&c| !is_combining_mark(c)) {
                if let Some(plain) = letters::undecomposed(c) {
                    out.push_str(plain);
                } else if c.is_alphanumeric() {
                    out.extend(c.to_lowercase());
                }
            }
        }
        out.push('\n');
    }
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // Where each line of the text and of its folded copy starts, so that a
    // search does not cut 60 KB into lines (`thesaurus::State`).
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let from = line.as_ptr() as usize - text.as_ptr() as usize;
            format!("({from}, {})", from + line.len())
        })
        .collect();
    let folded_starts: Vec<String> = std::iter::once(0)
        .chain(out.match_indices('\n').map(|(at, _)| at + 1))
        .map(|at| at.to_string())
        .collect();
    let tables = format!(
        "/// Byte range of each line of `DEFAULT_TEXT`, as `str::lines` cuts it.\n\
         const DEFAULT_LINE_RANGES: &[(u32, u32)] = &[{}];\n\
         /// Byte offset of each line of `DEFAULT_FOLDED`.\n\
         const DEFAULT_FOLDED_STARTS: &[u32] = &[{}];\n",
        lines.join(", "),
        folded_starts.join(", ")
    );
    fs::write(Path::new(&out_dir).join("thesaurus-lines.rs"), tables)
        .expect("writing thesaurus-lines.rs");
    fs::write(Path::new(&out_dir).join("thesaurus-folded.txt"), out)
        .expect("writing thesaurus-folded.txt");
}

/// Sets `vigie_no_shared` when a file of [`SHARED_FILES`] is missing,
/// outside CI.
fn shared_cfg() {
    println!("cargo::rustc-check-cfg=cfg(vigie_no_shared)");
    println!("cargo:rerun-if-env-changed=CI");
    let shared = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../shared");
    let files: Vec<_> = SHARED_FILES.iter().map(|f| shared.join(f)).collect();
    let present = files.iter().all(|f| f.is_file());
    if present {
        // Their removal makes Cargo run this script again. (A missing path
        // would make it run on every build, recompiling the crate each
        // time, so their later arrival is not watched: see the README.)
        for f in &files {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }
    let ci = env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if !present && !ci {
        println!("cargo:rustc-cfg=vigie_no_shared");
    }
}
