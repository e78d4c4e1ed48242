//! The manifest: which source files are in the index.
//!
//! Incremental indexing needs to know, for every source file, what was
//! indexed from it. That record is the [`Manifest`]: source file (canonical
//! path) → size, modification time, content hash ([`Xxh64`] of the bytes)
//! and counts. It is stored **as the payload of the Tantivy commit** (the
//! `payload` string of `meta.json`, set with `PreparedCommit::set_payload`
//! and read back with `Index::load_metas`), not in a sidecar file:
//!
//! - it is written by the same atomic `meta.json` replacement that publishes
//!   the segments, so the manifest can never describe documents that are not
//!   committed, nor miss documents that are: a run killed at any moment
//!   leaves the last commit *and its manifest*, and the next run redoes
//!   exactly the files whose changes were not committed;
//! - Tantivy keeps the payload of the last commit when background merges
//!   rewrite `meta.json`;
//! - there is no recovery rule to get wrong. A sidecar would need one (write
//!   it after the commit, and on open detect a sidecar older than the
//!   commit), and a crash between the two writes would make the next run
//!   trust a stale record.
//!
//! The cost is that the manifest is rewritten with every commit and parsed
//! on every open; it holds one small entry per *file* (not per statement),
//! so it stays small. The statements of a file are found through the indexed
//! `file` field, which holds the same canonical path as the manifest key.
//! An index whose payload is absent or unreadable (built before manifests,
//! or by hand) just has an empty manifest: every file then looks new and is
//! read again, which is correct, only slower.
//!
//! [`Xxh64`]: super::Xxh64

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Version of the [`Manifest`] format stored in the commit payload.
pub const MANIFEST_VERSION: u32 = 1;

/// What the index holds from one source file, as of the last commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceEntry {
    /// Size of the file in bytes when it was read.
    pub size: u64,
    /// Modification time when it was read, in nanoseconds since the Unix
    /// epoch (0 when the platform gives none).
    pub mtime_ns: i64,
    /// Content hash of the bytes on disk, `xxh64:` + 16 hex digits
    /// ([`Xxh64`](super::Xxh64), seed 0); `None` when the file could not be read to the
    /// end, so that the next run reads it again.
    pub hash: Option<String>,
    /// Statements read from the file (a statement later replaced by one with
    /// the same id from another file still counts here).
    pub statements: u64,
    /// Paragraphs read from the file.
    pub paragraphs: u64,
    /// Problems reported while reading it (bad lines, bad dates…); they are
    /// reported again, without re-reading, while the file is unchanged.
    #[serde(default)]
    pub warnings: u64,
    /// When it was read, RFC 3339 UTC.
    pub indexed_at: String,
    /// Ids of its statements that a statement with the same id read from
    /// another file replaced (the last one read wins): when that other
    /// file no longer holds them (deleted and pruned, or edited), this
    /// file is read again so that they come back from it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shadowed: Vec<String>,
}

impl SourceEntry {
    /// Records that the statement `id` of this file was replaced by one
    /// read from another file.
    /// Repeats are dropped when the list is next read.
    pub fn shadow(&mut self, id: &str) {
        self.shadowed.push(id.to_string());
    }
}

/// The record of indexed source files, stored as the commit payload (see
/// the module docs). Keys are canonical paths, as stored in the `file` field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Format version, [`MANIFEST_VERSION`].
    pub vigie_manifest: u32,
    /// Time of the commit that stored this manifest, RFC 3339 UTC.
    pub committed_at: Option<String>,
    /// Source files, by canonical path.
    pub files: BTreeMap<String, SourceEntry>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            vigie_manifest: MANIFEST_VERSION,
            committed_at: None,
            files: BTreeMap::new(),
        }
    }
}

impl Manifest {
    /// Parses a commit payload; `None` when it is absent or not a manifest
    /// of a known version.
    pub fn from_payload(payload: Option<&str>) -> Option<Manifest> {
        let manifest: Manifest = serde_json::from_str(payload?).ok()?;
        (manifest.vigie_manifest == MANIFEST_VERSION).then_some(manifest)
    }

    /// The manifest of the index in `dir`, read straight from its
    /// `meta.json` without opening the index (so it works for an index of
    /// another schema version); `None` when there is none or it is
    /// unreadable.
    pub fn read_from_dir(dir: &Path) -> Option<Manifest> {
        let raw = std::fs::read_to_string(dir.join("meta.json")).ok()?;
        let meta: serde_json::Value = serde_json::from_str(&raw).ok()?;
        Manifest::from_payload(meta.get("payload")?.as_str())
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_payload_round_trip() {
        let mut m = Manifest::default();
        m.files.insert(
            "/a/b.jsonl".into(),
            SourceEntry {
                size: 3,
                mtime_ns: -5,
                hash: Some("xxh64:0000000000000001".into()),
                statements: 1,
                paragraphs: 2,
                warnings: 0,
                indexed_at: "2026-01-01T00:00:00Z".into(),
                shadowed: vec!["x".into()],
            },
        );
        let json = serde_json::to_string(&m).expect("serialize");
        assert_eq!(Manifest::from_payload(Some(&json)), Some(m));
        assert_eq!(Manifest::from_payload(Some("Segments Merge: [x]")), None);
        assert_eq!(Manifest::from_payload(None), None);
        assert_eq!(
            Manifest::from_payload(Some(
                r#"{"vigie_manifest":99,"committed_at":null,"files":{}}"#
            )),
            None
        );
    }
}
