//! Embeds the bundled statements of `corpus/` into the binary, so that a
//! first `vigie search` can build the default index even when the binary
//! runs away from its source tree.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
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
