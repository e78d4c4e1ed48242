//! The bundled corpus: statements shipped in `corpus/`, embedded in the
//! binary at build time (see `build.rs`), used to build the default index
//! on a fresh machine.

use std::path::{Path, PathBuf};

/// `(file name, bytes)` of every file in `corpus/` at build time.
pub const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The `corpus/` directory of the source tree this binary was built from.
pub const SOURCE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

/// Returns a directory holding the bundled statements: the source tree's
/// `corpus/` when it still exists, else a copy written under `fallback`.
///
/// # Errors
/// I/O errors while writing the copy.
pub fn materialize(fallback: &Path) -> std::io::Result<PathBuf> {
    let source = Path::new(SOURCE_DIR);
    if source.is_dir() {
        return Ok(source.to_path_buf());
    }
    std::fs::create_dir_all(fallback)?;
    for (name, bytes) in FILES {
        std::fs::write(fallback.join(name), bytes)?;
    }
    Ok(fallback.to_path_buf())
}
