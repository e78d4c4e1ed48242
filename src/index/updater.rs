//! Writing statements: a batch of additions and removals, then a commit.
//!
//! Every statement becomes one Tantivy document per paragraph and replaces
//! the paragraphs that share its id; nothing is visible until
//! [`IndexUpdater::commit`], which stores the [`Manifest`] as the commit
//! payload. Tantivy commits are atomic, so a run that crashes or is killed
//! leaves the last committed index, and its manifest, searchable.

use std::path::PathBuf;

use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocSet, IndexWriter, TantivyDocument, Term};

use super::date::to_tantivy_date;
use super::error::{tantivy_err, IndexError};
use super::manifest::{now_rfc3339, Manifest};
use crate::corpus::Document;
use crate::schema::Fields;

/// A batch of additions and removals, invisible until committed. Every
/// commit stores [`IndexUpdater::manifest`] as its payload. Dropping the
/// updater without committing discards the batch.
pub struct IndexUpdater {
    /// The writer; taken by [`IndexUpdater::finish`] to wait for its merges.
    pub(super) writer: Option<IndexWriter>,
    pub(super) fields: Fields,
    pub(super) dir: PathBuf,
    /// The manifest the next commit will store; starts as the last commit's.
    pub manifest: Manifest,
    /// The last commit (the one the updater started from, then each of its
    /// own), for [`IndexUpdater::held_by`].
    pub(super) committed: tantivy::Searcher,
    /// Statements added in this batch.
    pub documents: u64,
    /// Paragraphs added in this batch.
    pub paragraphs: u64,
    pub(super) dirty: bool,
    /// Set by [`IndexUpdater::finish`]; an updater dropped unfinished
    /// (an error, a full disk) removes the files of its batch.
    pub(super) finished: bool,
}

impl Drop for IndexUpdater {
    /// Discards what was not committed and removes its files at once: a
    /// run stopped by an error (a full disk above all) must not leave the
    /// disk full of segments no commit refers to until the next run.
    fn drop(&mut self) {
        // Nothing was written (a run that found nothing to change):
        // nothing to remove, and no second writer to open.
        if self.finished || (!self.dirty && self.paragraphs == 0) {
            return;
        }
        let Some(mut writer) = self.writer.take() else {
            return;
        };
        let _ = writer.rollback();
        // Still under the writer lock: remove the segment files no commit
        // refers to. Tantivy's collector misses those it never recorded
        // (recording them in `.managed.json` fails on a full disk too).
        sweep_uncommitted(&self.dir);
        let index = writer.index().clone();
        // Joins the writer's threads: a thread that died mid-segment may
        // still hold its files until then.
        drop(writer);
        // A fresh writer's collector sees only the last commit's files.
        if let Ok(fresh) = index.writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
        {
            let _ = fresh.garbage_collect_files().wait();
        }
    }
}

/// Removes from `dir` the files of segments that the last commit
/// (`meta.json`) does not list: `<32 hex digits>.<component>` files only,
/// never anything else. Called under the writer lock, after a rollback.
fn sweep_uncommitted(dir: &std::path::Path) {
    let Ok(meta) = std::fs::read_to_string(dir.join("meta.json")) else {
        return;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&meta) else {
        return;
    };
    let committed: std::collections::HashSet<String> = meta["segments"]
        .as_array()
        .map(|segments| {
            segments
                .iter()
                .filter_map(|s| s["segment_id"].as_str())
                .map(|id| id.replace('-', "").to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((stem, _)) = name.split_once('.') else {
            continue;
        };
        if super::layout::is_index_file(name)
            && stem.len() == 32
            && !committed.contains(&stem.to_ascii_lowercase())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl IndexUpdater {
    /// Adds `doc`, replacing any statement with the same id: one Tantivy
    /// document per paragraph, with `source` (the manifest key of its file)
    /// in the `file` field.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] if the writer failed (its threads died).
    pub fn add(&mut self, doc: &Document, source: &str) -> Result<(), IndexError> {
        let term = Term::from_field_text(self.fields.doc_id, &doc.id);
        self.writer()?.delete_term(term);
        self.insert(doc, source)
    }

    /// Adds `doc` without first removing statements with the same id: for
    /// ids known not to be in the index, or only among the paragraphs of a
    /// source already removed with [`IndexUpdater::remove_source`] (see
    /// [`IndexUpdater::held_by`]).
    /// Each removal is queued until the commit (a few hundred bytes per
    /// statement), so skipping the needless ones keeps the memory of a
    /// large run bounded by the writer budget.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] if the writer failed (its threads died).
    pub fn insert(&mut self, doc: &Document, source: &str) -> Result<(), IndexError> {
        let f = self.fields;
        self.dirty = true;
        // English statements get English stemming; every other language
        // goes through the French analyzer.
        let english = crate::analysis::is_english(&doc.lang);
        let twin_keys =
            crate::twins::twin_keys(&doc.id, doc.reference.as_deref(), doc.twin.as_deref());
        let mut batch = Vec::with_capacity(doc.paragraphs.len());
        for (offset, p) in doc.paragraphs.iter().enumerate() {
            let mut d = TantivyDocument::new();
            d.add_text(f.doc_id, &doc.id);
            d.add_u64(f.paragraph, p.number);
            let span = crate::schema::StatementSpan {
                position: u32::try_from(offset).unwrap_or(u32::MAX),
                size: u32::try_from(doc.paragraphs.len()).unwrap_or(u32::MAX),
                english,
            };
            d.add_u64(f.statement_span, span.encode());
            d.add_u64(f.text_hash, super::hash::paragraph_hash(&p.text));
            // The title goes with the first paragraph only: the others
            // find it through their span (search::title).
            if offset == 0 {
                d.add_text(f.title, &doc.title);
            }
            // A date the index cannot hold is not stored (the readers warn).
            if let Some(date) = doc.date.filter(|d| super::date::storable(*d)) {
                d.add_date(f.date, to_tantivy_date(date));
            }
            if let Some(r) = &doc.reference {
                d.add_text(f.reference, r);
            }
            d.add_text(f.lang, &doc.lang);
            if let Some(s) = &doc.source {
                d.add_text(f.source, s);
            }
            if let Some(u) = &doc.url {
                d.add_text(f.url, u);
            }
            d.add_text(f.file, source);
            for key in &twin_keys {
                d.add_text(f.twin, key);
            }
            d.add_text(f.text, &p.text);
            if english {
                d.add_text(f.body_en, &p.text);
            } else {
                d.add_text(f.body, &p.text);
            }
            d.add_text(f.body_exact, &p.text);
            batch.push(tantivy::indexer::UserOperation::Add(d));
            self.paragraphs += 1;
        }
        // One batch: the paragraphs of a statement land in one segment, in
        // order, which the statement-level ranking relies on.
        self.writer()?.run(batch).map_err(tantivy_err(&self.dir))?;
        self.documents += 1;
        Ok(())
    }

    /// The source file (manifest key) of the statement `id` in the last
    /// commit (the one the updater started from, or its own latest), or
    /// `None` when that commit does not hold it. Reads one stored paragraph (through the searcher's block cache).
    ///
    /// # Errors
    /// [`IndexError::Io`] or [`IndexError::Tantivy`] when the index cannot
    /// be read.
    pub fn held_by(&self, id: &str) -> Result<Option<String>, IndexError> {
        let term = Term::from_field_text(self.fields.doc_id, id);
        for (ord, segment) in self.committed.segment_readers().iter().enumerate() {
            let inverted = segment
                .inverted_index(self.fields.doc_id)
                .map_err(tantivy_err(&self.dir))?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| IndexError::io(&self.dir, e))?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc) {
                    let stored: TantivyDocument = self
                        .committed
                        .doc(tantivy::DocAddress::new(ord as u32, doc))
                        .map_err(tantivy_err(&self.dir))?;
                    return Ok(Some(
                        stored
                            .get_first(self.fields.file)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_string(),
                    ));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// How many live paragraphs read from the source file `source` (a
    /// manifest key) the commit the updater started from holds.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the index cannot be read.
    pub fn paragraphs_from(&self, source: &str) -> Result<u64, IndexError> {
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.file, source),
            IndexRecordOption::Basic,
        );
        self.committed
            .search(&query, &tantivy::collector::Count)
            .map(|n| n as u64)
            .map_err(tantivy_err(&self.dir))
    }

    /// Removes every paragraph of the statement `id`.
    pub fn remove(&mut self, id: &str) {
        self.dirty = true;
        if let Some(writer) = &self.writer {
            writer.delete_term(Term::from_field_text(self.fields.doc_id, id));
        }
    }

    /// Removes every paragraph read from the source file `source` (a
    /// manifest key). The manifest entry is left to the caller.
    pub fn remove_source(&mut self, source: &str) {
        self.dirty = true;
        if let Some(writer) = &self.writer {
            writer.delete_term(Term::from_field_text(self.fields.file, source));
        }
    }

    /// Records that the next commit must be written even without document
    /// changes (the manifest changed).
    pub fn touch(&mut self) {
        self.dirty = true;
    }

    /// Whether anything was added, removed or touched since the last commit.
    pub fn has_changes(&self) -> bool {
        self.dirty
    }

    /// Makes everything added so far durable and visible, atomically, with
    /// the manifest (its `committed_at` set to now) as the commit payload.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the commit fails; the previous commit
    /// stays intact.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.manifest.committed_at = Some(now_rfc3339());
        let payload = serde_json::to_string(&self.manifest).map_err(|e| IndexError::Corrupt {
            dir: self.dir.clone(),
            message: format!("manifest: {e}"),
        })?;
        let dir = self.dir.clone();
        let mut prepared = self.writer()?.prepare_commit().map_err(tantivy_err(&dir))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(tantivy_err(&self.dir))?;
        self.dirty = false;
        // Later lookups ([`IndexUpdater::held_by`]) see this commit.
        if let Some(writer) = &self.writer {
            if let Ok(reader) = writer
                .index()
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::Manual)
                .try_into()
            {
                let reader: tantivy::IndexReader = reader;
                self.committed = reader.searcher();
            }
        }
        Ok(())
    }

    /// Commits, then waits for merging threads to finish.
    ///
    /// # Errors
    /// As [`IndexUpdater::commit`].
    pub fn finish(mut self) -> Result<(), IndexError> {
        self.commit()?;
        self.finished = true;
        match self.writer.take() {
            Some(writer) => writer
                .wait_merging_threads()
                .map_err(tantivy_err(&self.dir)),
            None => Ok(()),
        }
    }

    /// The writer, until [`IndexUpdater::finish`] takes it.
    fn writer(&mut self) -> Result<&mut IndexWriter, IndexError> {
        let dir = &self.dir;
        self.writer.as_mut().ok_or_else(|| IndexError::Corrupt {
            dir: dir.clone(),
            message: "the index writer was already closed".to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::handle::IndexHandle;
    use super::super::manifest::SourceEntry;
    use super::*;

    #[test]
    fn manifest_survives_commit_and_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("idx");
        let handle = IndexHandle::open_or_create(&path).expect("create");
        assert_eq!(handle.manifest().expect("manifest"), Manifest::default());
        let mut updater = handle.updater(32 << 20, 1).expect("updater");
        updater.manifest.files.insert(
            "/x.txt".into(),
            SourceEntry {
                size: 1,
                mtime_ns: 2,
                hash: None,
                statements: 0,
                paragraphs: 0,
                warnings: 1,
                indexed_at: now_rfc3339(),
                shadowed: Vec::new(),
            },
        );
        updater.finish().expect("finish");
        let reopened = IndexHandle::open(&path).expect("open");
        let m = reopened.manifest().expect("manifest");
        assert!(m.files.contains_key("/x.txt"));
        assert!(m.committed_at.is_some());
        assert_eq!(Manifest::read_from_dir(&path), Some(m));
    }
}
