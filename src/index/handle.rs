//! An opened index: open, create, and read what the last commit holds.
//!
//! [`IndexHandle::open`] checks the `vigie.json` stamp and refuses an index
//! built by another schema or analyzer version, with a message that says
//! how to rebuild; it opens every segment once so that a damaged index is
//! reported at open, not at the first search. [`IndexHandle::open_or_create`]
//! creates an empty index in a new or empty directory (never in one holding
//! other files). Writes start from [`IndexHandle::updater`].

use std::path::{Path, PathBuf};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Schema, Value};
use tantivy::{Index, ReloadPolicy, TantivyDocument, Term};

use super::directory::VigieDirectory;
use super::error::{describe, tantivy_err, IndexError};
use super::layout::{exists, foreign_file, Stamp, STAMP_FILE};
use super::manifest::Manifest;
use super::rebuild::recover_swap;
use super::updater::IndexUpdater;
use crate::analysis;
use crate::schema::{Fields, SchemaSpec};

/// An opened index with its analyzers registered.
#[derive(Clone)]
pub struct IndexHandle {
    /// The Tantivy index.
    pub index: Index,
    /// Typed field handles.
    pub fields: Fields,
    /// Directory of the index.
    pub dir: PathBuf,
    /// The reader [`IndexHandle::open`] opened every segment with to
    /// check them, kept for the first [`crate::search::Searcher`] made
    /// from this handle so that a search does not open (and map) every
    /// segment file a second time; it shows the commit of the moment the
    /// handle was opened.
    opened: Option<tantivy::IndexReader>,
}

/// Longest a reader waits for a rebuild's swap to finish (see
/// [`IndexHandle::open`]).
pub const SWAP_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl IndexHandle {
    /// Opens the index in `dir`, checking its stamp and that its segments
    /// can be opened.
    ///
    /// If a rebuild was interrupted while swapping directories, the swap is
    /// finished first.
    ///
    /// # Errors
    /// [`IndexError::Missing`] when there is no index,
    /// [`IndexError::NotAnIndex`] when the directory holds other files and
    /// no index, [`IndexError::Version`]
    /// when it was built by another schema or analyzer version,
    /// [`IndexError::Corrupt`] when the stamp, Tantivy metadata or a segment
    /// is unreadable.
    ///
    /// A rebuild swapping its directories in at the same moment is waited
    /// for (at most [`SWAP_WAIT`]): a reader never reports the half-swapped
    /// index as missing or damaged.
    pub fn open(dir: &Path) -> Result<IndexHandle, IndexError> {
        let deadline = std::time::Instant::now() + SWAP_WAIT;
        // A swap may also have ended between reading `meta.json` and
        // opening the segments it names: a few quick tries more.
        let mut tries = 3;
        loop {
            match Self::open_once(dir) {
                Err(
                    e @ (IndexError::Missing(_)
                    | IndexError::NotAnIndex { .. }
                    | IndexError::Corrupt { .. }
                    | IndexError::Version { .. }),
                ) => {
                    let swapping = super::rebuild::swap_in_progress(dir);
                    if !swapping {
                        if tries == 0 {
                            return Err(e);
                        }
                        tries -= 1;
                    }
                    if std::time::Instant::now() >= deadline {
                        return Err(e);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                other => return other,
            }
        }
    }

    fn open_once(dir: &Path) -> Result<IndexHandle, IndexError> {
        recover_swap(dir);
        if dir.exists() && !dir.is_dir() {
            return Err(IndexError::NotADirectory(dir.to_path_buf()));
        }
        // `--index notes.txt/idx`: no index can be under a file.
        if let Some(file) = dir.ancestors().skip(1).find(|a| a.is_file()) {
            return Err(IndexError::NotADirectory(file.to_path_buf()));
        }
        if !exists(dir) {
            // A directory that cannot be read is not a missing index.
            if let Err(e) = std::fs::metadata(dir.join("meta.json")) {
                if e.kind() == std::io::ErrorKind::PermissionDenied {
                    return Err(IndexError::Unreadable {
                        dir: dir.to_path_buf(),
                        reason: e.to_string(),
                    });
                }
            }
            if let Ok(Some(example)) = foreign_file(dir) {
                return Err(IndexError::NotAnIndex {
                    dir: dir.to_path_buf(),
                    example,
                });
            }
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        // A file this user may not read is a permission to ask for, not a
        // damaged index to rebuild.
        for name in [STAMP_FILE, "meta.json", ".managed.json"] {
            if let Err(e) = std::fs::File::open(dir.join(name)) {
                if e.kind() == std::io::ErrorKind::PermissionDenied {
                    return Err(IndexError::Unreadable {
                        dir: dir.to_path_buf(),
                        reason: format!("{name}: {e}"),
                    });
                }
            }
        }
        let spec = SchemaSpec::shipped()?;
        let stamp_path = dir.join(STAMP_FILE);
        let raw = std::fs::read_to_string(&stamp_path).map_err(|e| {
            // Another tool's index (a `meta.json` and no stamp) is not one
            // to rebuild: a rebuild would refuse to replace it.
            match foreign_file(dir) {
                Ok(Some(example)) if e.kind() == std::io::ErrorKind::NotFound => {
                    IndexError::NotAnIndex {
                        dir: dir.to_path_buf(),
                        example,
                    }
                }
                _ => IndexError::Corrupt {
                    dir: dir.to_path_buf(),
                    message: format!("cannot read {STAMP_FILE}: {e}"),
                },
            }
        })?;
        let stamp: Stamp = serde_json::from_str(&raw).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: format!("{STAMP_FILE}: {e}"),
        })?;
        stamp.check(dir, &spec)?;
        let corrupt = |e: tantivy::TantivyError| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: describe(&e),
        };
        let directory = VigieDirectory::open(dir).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let index = Index::open(directory).map_err(corrupt)?;
        // Open every segment once, as a reader (under the lock that keeps
        // a concurrent writer's garbage collector away), so that a damaged
        // index is reported here, with advice, rather than at the first
        // search; the reader is kept for that search.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(corrupt)?;
        let mut handle = Self::from_index(index, dir)?;
        handle.opened = Some(reader);
        Ok(handle)
    }

    /// The reader [`IndexHandle::open`] checked the segments with, taken
    /// once, when it still shows the last commit (the same segments, the
    /// same deletions): `None` after the first call, for a created index,
    /// and when something was committed since the handle was opened.
    pub(crate) fn take_opened_reader(&mut self) -> Option<tantivy::IndexReader> {
        let reader = self.opened.take()?;
        let metas = self.index.searchable_segment_metas().ok()?;
        let searcher = reader.searcher();
        let readers = searcher.segment_readers();
        let same = metas.len() == readers.len()
            && metas.iter().zip(readers).all(|(meta, r)| {
                meta.id() == r.segment_id() && meta.num_deleted_docs() == r.num_deleted_docs()
            });
        same.then_some(reader)
    }

    /// Opens the index in `dir`, creating the directory and an empty index
    /// when there is none.
    ///
    /// # Errors
    /// As [`IndexHandle::open`], plus [`IndexError::Foreign`] when the
    /// directory is not empty and holds no index, and [`IndexError::ReadOnly`]
    /// or [`IndexError::Io`] when it cannot be created or written.
    pub fn open_or_create(dir: &Path) -> Result<IndexHandle, IndexError> {
        recover_swap(dir);
        if exists(dir) {
            return Self::open(dir);
        }
        Self::create(dir)
    }

    pub(super) fn create(dir: &Path) -> Result<IndexHandle, IndexError> {
        if dir.exists() && !dir.is_dir() {
            return Err(IndexError::NotADirectory(dir.to_path_buf()));
        }
        if let Some(example) = foreign_file(dir)? {
            return Err(IndexError::Foreign {
                dir: dir.to_path_buf(),
                example,
                action: "refusing to create an index there".to_string(),
            });
        }
        let spec = SchemaSpec::shipped()?;
        let schema = spec.build()?;
        std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        let stamp = serde_json::to_string_pretty(&Stamp::current(&spec)).map_err(|e| {
            IndexError::Corrupt {
                dir: dir.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        let stamp_path = dir.join(STAMP_FILE);
        std::fs::write(&stamp_path, stamp + "\n").map_err(|e| IndexError::io(dir, e))?;
        let directory = VigieDirectory::open(dir).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let index = Index::create(directory, schema, tantivy::IndexSettings::default())
            .map_err(tantivy_err(dir))?;
        Self::from_index(index, dir)
    }

    fn from_index(index: Index, dir: &Path) -> Result<IndexHandle, IndexError> {
        analysis::register(index.tokenizers());
        let fields = Fields::new(&index.schema())?;
        Ok(IndexHandle {
            index,
            fields,
            dir: dir.to_path_buf(),
            opened: None,
        })
    }

    /// The user's synonym file stored with this index
    /// ([`super::SYNONYMS_FILE`]), if there is one.
    pub fn stored_synonyms(&self) -> Option<PathBuf> {
        let path = self.dir.join(super::SYNONYMS_FILE);
        path.is_file().then_some(path)
    }

    /// Stores `text` (a synonym file, already checked by the caller) with
    /// the index, replacing the one stored before: written beside it, then
    /// renamed over it, so a search never reads half a file.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the file cannot be written (the partial
    /// file is removed; the stored one is left as it was).
    pub fn store_synonyms(&self, text: &str) -> Result<(), IndexError> {
        let path = self.dir.join(super::SYNONYMS_FILE);
        // One name per process: two concurrent runs never share it.
        let partial = self
            .dir
            .join(format!(".tmp-vigie-synonyms-{}", std::process::id()));
        let written = std::fs::write(&partial, text)
            .map_err(|e| IndexError::io(&partial, e))
            .and_then(|()| std::fs::rename(&partial, &path).map_err(|e| IndexError::io(&path, e)));
        if written.is_err() {
            // A full disk leaves a partial file: never left behind.
            let _ = std::fs::remove_file(&partial);
        }
        written
    }

    /// Removes the synonym file stored with this index, if any.
    ///
    /// # Errors
    /// [`IndexError::Io`] when it exists and cannot be removed.
    pub fn remove_synonyms(&self) -> Result<(), IndexError> {
        match std::fs::remove_file(self.dir.join(super::SYNONYMS_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::io(&self.dir, e)),
            _ => Ok(()),
        }
    }

    /// The Tantivy schema of the index.
    pub fn schema(&self) -> Schema {
        self.index.schema()
    }

    /// The manifest of the last commit (empty when the index has none).
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when `meta.json` cannot be read.
    pub fn manifest(&self) -> Result<Manifest, IndexError> {
        let metas = self.index.load_metas().map_err(tantivy_err(&self.dir))?;
        Ok(Manifest::from_payload(metas.payload.as_deref()).unwrap_or_default())
    }

    /// Starts an update with a writer of `memory_bytes` budget (split over
    /// `threads` indexing threads, at least 1; each thread gets at least
    /// 16 MiB). The updater starts from the manifest of the last commit.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another writer holds the index lock,
    /// [`IndexError::ReadOnly`] when the directory cannot be written.
    pub fn updater(&self, memory_bytes: usize, threads: usize) -> Result<IndexUpdater, IndexError> {
        // Fail before any work when the directory cannot take new files
        // (the lock file may already exist and be writable).
        let probe = self
            .dir
            .join(format!(".vigie-write-probe-{}", std::process::id()));
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| IndexError::io(&self.dir, e))?;
        let threads = threads.max(1);
        // Tantivy's arena takes at most 4 GB per thread
        // (`MEMORY_BUDGET_NUM_BYTES_MAX`, not exported): a larger budget
        // is used up to that, not refused after the index was created.
        const MOST_PER_THREAD: usize = u32::MAX as usize - 1_000_001;
        let budget = memory_bytes
            .max(threads * 16 * 1024 * 1024)
            .min(threads.saturating_mul(MOST_PER_THREAD));
        let writer = self
            .index
            .writer_with_num_threads(threads, budget)
            .map_err(tantivy_err(&self.dir))?;
        // Files a killed commit left behind (a deletion file `<segment>.
        // <opstamp>.del` that no commit refers to) would make the next
        // commit that writes the same name fail with "file already exists":
        // collect them now, under the writer lock. Only files Tantivy
        // registered as its own and no commit uses are removed.
        writer
            .garbage_collect_files()
            .wait()
            .map_err(tantivy_err(&self.dir))?;
        // Likewise what a killed rebuild left beside the index.
        super::rebuild::remove_leftovers(&self.dir);
        // Read after taking the lock: no other writer can commit under us.
        let manifest = self.manifest()?;
        let committed = self.reader()?.searcher();
        Ok(IndexUpdater {
            writer: Some(writer),
            fields: self.fields,
            dir: self.dir.clone(),
            manifest,
            committed,
            documents: 0,
            paragraphs: 0,
            dirty: false,
            finished: false,
        })
    }

    /// Number of live paragraphs of the statement `id` in the last commit.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the index cannot be read.
    pub fn count_statement(&self, id: &str) -> Result<usize, IndexError> {
        let searcher = self.reader()?.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, id),
            IndexRecordOption::Basic,
        );
        searcher
            .search(&query, &Count)
            .map_err(tantivy_err(&self.dir))
    }

    /// The source file (manifest key) the statement `id` was read from, in
    /// the last commit; `None` when the statement is not in the index.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the index cannot be read.
    pub fn source_of(&self, id: &str) -> Result<Option<String>, IndexError> {
        let searcher = self.reader()?.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(tantivy_err(&self.dir))?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*address).map_err(tantivy_err(&self.dir))?;
        Ok(doc
            .get_first(self.fields.file)
            .and_then(|v| v.as_str())
            .map(str::to_string))
    }

    pub(super) fn reader(&self) -> Result<tantivy::IndexReader, IndexError> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err(&self.dir))
    }
}
