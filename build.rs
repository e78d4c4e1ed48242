//! Embeds the bundled statements of `corpus/` into the binary, so that a
//! first `vigie search` can build the default index even when the binary
//! runs away from its source tree.
//!
//! Also sets the `vigie_no_shared` cfg when `../shared` (the real corpus and
//! cases, next to the development checkout) is absent, so that the tests
//! that need it are reported as ignored by `cargo test` rather than passing
//! without running. Under `CI=true` the cfg is never set: a CI without
//! `../shared` fails those tests instead.

use std::env;
use std::fs;
use std::path::Path;

/// The files of `../shared` that tests read.
const SHARED_FILES: [&str; 7] = [
    "corpus/statements-fr.jsonl",
    "corpus/statements-en.jsonl",
    "cases/french-cases.jsonl",
    "cases/french-cases-2.jsonl",
    "relevance/corpus.jsonl",
    "relevance/queries.jsonl",
    "relevance/qrels-monolingual.jsonl",
];

fn main() {
    shared_cfg();
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
