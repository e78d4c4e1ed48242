//! Figures about an index for `vigie stats`.
//!
//! [`IndexHandle::stats`] counts the live statements and paragraphs of the
//! last commit, the segments and the bytes on disk, and reports the stamp's
//! versions and the manifest's source files, as an [`IndexStats`].

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::DocSet;

use super::error::{tantivy_err, IndexError};
use super::handle::IndexHandle;
use super::layout::{Stamp, STAMP_FILE};
use super::manifest::SourceEntry;

impl IndexHandle {
    /// Figures about the last commit, for `vigie stats`.
    ///
    /// Counting statements visits every live paragraph's id once (linear in
    /// the index size).
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] or [`IndexError::Io`] when the index cannot be
    /// read.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let searcher = self.reader()?.searcher();
        let mut ids: HashSet<Vec<u8>> = HashSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.doc_id)
                .map_err(tantivy_err(&self.dir))?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| IndexError::io(&self.dir, e))?;
            while terms.advance() {
                if ids.contains(terms.key()) {
                    continue;
                }
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(|e| IndexError::io(&self.dir, e))?;
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    if !segment.is_deleted(doc) {
                        ids.insert(terms.key().to_vec());
                        break;
                    }
                    doc = postings.advance();
                }
            }
        }
        let stamp: Option<Stamp> = std::fs::read_to_string(self.dir.join(STAMP_FILE))
            .ok()
            .and_then(|raw| serde_json::from_str(&raw).ok());
        let mut size_bytes = 0;
        let entries = std::fs::read_dir(&self.dir).map_err(|e| IndexError::io(&self.dir, e))?;
        for entry in entries.flatten() {
            if let Ok(meta) = entry.metadata() {
                if meta.is_file() {
                    size_bytes += meta.len();
                }
            }
        }
        let manifest = self.manifest()?;
        let last_commit = manifest.committed_at.clone().or_else(|| {
            let modified = std::fs::metadata(self.dir.join("meta.json"))
                .and_then(|m| m.modified())
                .ok()?;
            let ts = jiff::Timestamp::try_from(modified).ok()?;
            Some(ts.round(jiff::Unit::Second).unwrap_or(ts).to_string())
        });
        Ok(IndexStats {
            dir: self.dir.clone(),
            statements: ids.len() as u64,
            paragraphs: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            size_bytes,
            schema_version: stamp.as_ref().map_or(0, |s| s.schema_version),
            analyzer_version: stamp.as_ref().map_or(0, |s| s.analyzer_version),
            stemmer: stamp
                .as_ref()
                .map(|s| s.stemmer.clone())
                .unwrap_or_default(),
            created_by: stamp.map(|s| s.created_by).unwrap_or_default(),
            last_commit,
            sources: manifest.files,
            synonym_groups: self
                .stored_synonyms()
                .map(|path| crate::thesaurus::Thesaurus::read_file(&path).map_or(0, |g| g.len())),
        })
    }
}

/// Figures about an index, from [`IndexHandle::stats`].
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Index directory.
    pub dir: PathBuf,
    /// Distinct statements (live statement ids).
    pub statements: u64,
    /// Live paragraphs (Tantivy documents).
    pub paragraphs: u64,
    /// Searchable segments.
    pub segments: usize,
    /// Total size of the files in the index directory, in bytes.
    pub size_bytes: u64,
    /// Schema version from the stamp.
    pub schema_version: u32,
    /// Analyzer version from the stamp.
    pub analyzer_version: u32,
    /// Stemmer recorded in the stamp.
    pub stemmer: String,
    /// vigie version that created the index.
    pub created_by: String,
    /// Time of the last commit, RFC 3339 UTC (from the manifest, else the
    /// modification time of `meta.json`).
    pub last_commit: Option<String>,
    /// Source files, by canonical path.
    pub sources: BTreeMap<String, SourceEntry>,
    /// Number of synonym groups stored with the index by `vigie index
    /// --synonyms` (0 when its file no longer reads), `None` when none is.
    pub synonym_groups: Option<usize>,
}
