//! What an index directory holds, and how to tell an index from user files.
//!
//! An index directory holds Tantivy's files plus vigie's `vigie.json`
//! [`Stamp`] (the schema and analyzer versions it was built with). vigie
//! never writes into or replaces a directory that holds anything else:
//! [`foreign_file`] finds the first file that an index would not hold, so
//! that creating or rebuilding an index there can be refused.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::IndexError;
use crate::analysis;
use crate::schema::SchemaSpec;

/// Name of the version stamp file inside an index directory.
pub const STAMP_FILE: &str = "vigie.json";

/// The user's synonyms stored with the index by `vigie index --synonyms`
/// (a copy of their file, read by every search of the index).
pub const SYNONYMS_FILE: &str = "vigie-synonyms.txt";

/// Marker file written into a rebuilt index once it is complete, before it
/// is swapped in; its presence lets an interrupted swap be finished.
pub(super) const REBUILD_COMPLETE: &str = ".vigie-rebuild-complete";

/// Contents of `vigie.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stamp {
    /// `index-schema/schema.toml` version.
    pub schema_version: u32,
    /// [`analysis::ANALYZER_VERSION`].
    pub analyzer_version: u32,
    /// Stemmer name and version ([`analysis::stem::STEMMER`]).
    pub stemmer: String,
    /// Version of vigie that created the index.
    pub created_by: String,
}

impl Stamp {
    pub(super) fn current(spec: &SchemaSpec) -> Stamp {
        Stamp {
            schema_version: spec.version,
            analyzer_version: analysis::ANALYZER_VERSION,
            stemmer: analysis::stem::STEMMER.to_string(),
            created_by: format!("vigie {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// The stamp of the index in `dir` ([`STAMP_FILE`]); `None` when it
    /// cannot be read or parsed. Reads one small file: cheaper than
    /// opening the index when only its versions matter.
    pub fn read(dir: &Path) -> Option<Stamp> {
        let raw = std::fs::read_to_string(dir.join(STAMP_FILE)).ok()?;
        serde_json::from_str(&raw).ok()
    }

    /// [`IndexError::Version`] when this stamp, of the index in `dir`, is
    /// not of the schema and analyzer of this vigie (`spec`).
    pub fn check(&self, dir: &Path, spec: &SchemaSpec) -> Result<(), IndexError> {
        let want = Stamp::current(spec);
        if self.schema_version == want.schema_version
            && self.analyzer_version == want.analyzer_version
        {
            return Ok(());
        }
        Err(IndexError::Version {
            dir: dir.to_path_buf(),
            found_schema: self.schema_version,
            found_analyzer: self.analyzer_version,
            want_schema: want.schema_version,
            want_analyzer: want.analyzer_version,
        })
    }
}

/// Whether `dir` looks like an existing index (it has a Tantivy `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Whether `name` is a file an index directory may hold: Tantivy's
/// metadata, locks, temporary and segment files (`<32 hex digits>.<ext>`),
/// and vigie's own files.
pub(super) fn is_index_file(name: &str) -> bool {
    const FIXED: [&str; 7] = [
        "meta.json",
        ".managed.json",
        ".tantivy-writer.lock",
        ".tantivy-meta.lock",
        STAMP_FILE,
        SYNONYMS_FILE,
        REBUILD_COMPLETE,
    ];
    if FIXED.contains(&name) || name.starts_with(".vigie-write-probe") || name.starts_with(".tmp") {
        return true;
    }
    // Tantivy's segment files: `<32 hex digits>.<component>`, deletions
    // as `<32 hex digits>.<opstamp>.del`.
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    let segment = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
    let component = matches!(
        ext,
        "idx" | "pos" | "term" | "store" | "store.temp" | "fast" | "fieldnorm"
    ) || ext
        .strip_suffix(".del")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    segment && component
}

/// The first entry of `dir` that an index directory would not hold, if
/// any (`None` too when `dir` does not exist or is empty); every entry of
/// a non-empty directory with neither vigie's stamp ([`STAMP_FILE`]) nor
/// Tantivy's `meta.json` and `.managed.json` with a schema of vigie's
/// ([`vigie_schema`]): another program's Tantivy index is not vigie's to
/// replace.
pub(super) fn foreign_file(dir: &Path) -> Result<Option<String>, IndexError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(IndexError::io(dir, e)),
    };
    let mut names: Vec<String> = entries
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| IndexError::io(dir, e))?;
    names.sort();
    // An index is known by its stamp (or, when the stamp was lost, by
    // Tantivy's own two metadata files), never by the names of the other
    // files alone: a folder of files named like segments is the user's.
    let has = |name: &str| names.iter().any(|n| n == name);
    let stamped =
        has(STAMP_FILE) || (has("meta.json") && has(".managed.json") && vigie_schema(dir));
    if !names.is_empty() && !stamped {
        return Ok(names.into_iter().next());
    }
    Ok(names.into_iter().find(|n| !is_index_file(n)))
}

/// Whether the Tantivy `meta.json` in `dir` is that of a vigie index whose
/// stamp was lost: some field of its schema is analysed by one of vigie's
/// analyzers (`vigie_fr`, `vigie_fr_exact`, `vigie_en`: every schema
/// version has them). An unreadable or unparsable `meta.json` is not.
fn vigie_schema(dir: &Path) -> bool {
    let Ok(raw) = std::fs::read_to_string(dir.join("meta.json")) else {
        return false;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&raw) else {
        return false;
    };
    meta["schema"].as_array().is_some_and(|fields| {
        fields.iter().any(|f| {
            f["options"]["indexing"]["tokenizer"]
                .as_str()
                .is_some_and(|t| t.starts_with("vigie_"))
        })
    })
}
