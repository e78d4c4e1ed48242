//! The index on disk: create, open, check versions, and write statements.
//!
//! This module answers "where do the paragraphs live, and are they the ones
//! this binary can read?". An index directory holds a Tantivy index plus a
//! `vigie.json` stamp recording the schema and analyzer versions it was built
//! with; [`IndexHandle::open`] refuses an index built with other versions,
//! with a message that says how to rebuild. Writes go through
//! [`IndexUpdater`]: every statement replaces the paragraphs that share its
//! id, and nothing is visible until [`IndexUpdater::commit`]. Tantivy commits
//! are atomic, so a run that crashes or is killed leaves the last committed
//! index searchable.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::Schema;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use crate::analysis;
use crate::corpus::Document;
use crate::schema::{Fields, SchemaError, SchemaSpec};

/// Name of the version stamp file inside an index directory.
pub const STAMP_FILE: &str = "vigie.json";

/// Default writer memory budget, in bytes, shared by all indexing threads.
pub const DEFAULT_MEMORY_BYTES: usize = 512 * 1024 * 1024;

/// Errors opening or writing an index. Messages name the directory.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index at this location.
    #[error("no index at {}: build one with `vigie index --index {} PATH...`", .0.display(), .0.display())]
    Missing(PathBuf),
    /// The index was built by another schema or analyzer version.
    #[error(
        "the index at {} was built with schema v{found_schema} / analyzer v{found_analyzer}, \
         but this vigie uses schema v{want_schema} / analyzer v{want_analyzer}; \
         rebuild it: delete {} and run `vigie index --index {} PATH...` again",
        dir.display(), dir.display(), dir.display()
    )]
    Version {
        /// Index directory.
        dir: PathBuf,
        /// Schema version found in the stamp.
        found_schema: u32,
        /// Analyzer version found in the stamp.
        found_analyzer: u32,
        /// Schema version of this binary.
        want_schema: u32,
        /// Analyzer version of this binary.
        want_analyzer: u32,
    },
    /// The directory holds something that is not a readable vigie index.
    #[error("{}: not a usable vigie index ({message}); delete it and run `vigie index` again", dir.display())]
    Corrupt {
        /// Index directory.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Another process is writing to this index.
    #[error("another `vigie index` is writing to {} (lock file {}/.tantivy-writer.lock); wait for it to finish", .0.display(), .0.display())]
    Locked(PathBuf),
    /// Filesystem error.
    #[error("{}: {source}", path.display())]
    Io {
        /// Path involved.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Schema description problem.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// Any other Tantivy error.
    #[error("{}: {source}", dir.display())]
    Tantivy {
        /// Index directory.
        dir: PathBuf,
        /// Underlying error.
        #[source]
        source: tantivy::TantivyError,
    },
}

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
    fn current(spec: &SchemaSpec) -> Stamp {
        Stamp {
            schema_version: spec.version,
            analyzer_version: analysis::ANALYZER_VERSION,
            stemmer: analysis::stem::STEMMER.to_string(),
            created_by: format!("vigie {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// An opened index with its analyzers registered.
#[derive(Clone)]
pub struct IndexHandle {
    /// The Tantivy index.
    pub index: Index,
    /// Typed field handles.
    pub fields: Fields,
    /// Directory of the index.
    pub dir: PathBuf,
}

fn tantivy_err(dir: &Path) -> impl FnOnce(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::Tantivy {
        dir: dir.to_path_buf(),
        source,
    }
}

/// Whether `dir` looks like an existing index (it has a Tantivy `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

impl IndexHandle {
    /// Opens the index in `dir`, checking its stamp.
    ///
    /// # Errors
    /// [`IndexError::Missing`] when there is no index, [`IndexError::Version`]
    /// when it was built by another schema or analyzer version,
    /// [`IndexError::Corrupt`] when the stamp or Tantivy metadata is unreadable.
    pub fn open(dir: &Path) -> Result<IndexHandle, IndexError> {
        if !exists(dir) {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let spec = SchemaSpec::shipped()?;
        let stamp_path = dir.join(STAMP_FILE);
        let raw = std::fs::read_to_string(&stamp_path).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: format!("cannot read {STAMP_FILE}: {e}"),
        })?;
        let stamp: Stamp = serde_json::from_str(&raw).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: format!("{STAMP_FILE}: {e}"),
        })?;
        let want = Stamp::current(&spec);
        if stamp.schema_version != want.schema_version
            || stamp.analyzer_version != want.analyzer_version
        {
            return Err(IndexError::Version {
                dir: dir.to_path_buf(),
                found_schema: stamp.schema_version,
                found_analyzer: stamp.analyzer_version,
                want_schema: want.schema_version,
                want_analyzer: want.analyzer_version,
            });
        }
        let index = Index::open_in_dir(dir).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        Self::from_index(index, dir)
    }

    /// Opens the index in `dir`, creating the directory and an empty index
    /// when there is none.
    ///
    /// # Errors
    /// As [`IndexHandle::open`], plus [`IndexError::Io`] when the directory
    /// cannot be created or written.
    pub fn open_or_create(dir: &Path) -> Result<IndexHandle, IndexError> {
        if exists(dir) {
            return Self::open(dir);
        }
        let spec = SchemaSpec::shipped()?;
        let schema = spec.build()?;
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let stamp = serde_json::to_string_pretty(&Stamp::current(&spec)).map_err(|e| {
            IndexError::Corrupt {
                dir: dir.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        let stamp_path = dir.join(STAMP_FILE);
        std::fs::write(&stamp_path, stamp + "\n").map_err(|source| IndexError::Io {
            path: stamp_path,
            source,
        })?;
        let index = Index::create_in_dir(dir, schema).map_err(tantivy_err(dir))?;
        Self::from_index(index, dir)
    }

    fn from_index(index: Index, dir: &Path) -> Result<IndexHandle, IndexError> {
        analysis::register(index.tokenizers());
        let fields = Fields::new(&index.schema())?;
        Ok(IndexHandle {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// The Tantivy schema of the index.
    pub fn schema(&self) -> Schema {
        self.index.schema()
    }

    /// Starts an update with a writer of `memory_bytes` budget (split over
    /// `threads` indexing threads, at least 1).
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another writer holds the index lock.
    pub fn updater(&self, memory_bytes: usize, threads: usize) -> Result<IndexUpdater, IndexError> {
        let threads = threads.max(1);
        let writer = self
            .index
            .writer_with_num_threads(threads, memory_bytes.max(threads * 16 * 1024 * 1024))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked(self.dir.clone()),
                other => IndexError::Tantivy {
                    dir: self.dir.clone(),
                    source: other,
                },
            })?;
        Ok(IndexUpdater {
            writer,
            fields: self.fields,
            dir: self.dir.clone(),
            documents: 0,
            paragraphs: 0,
        })
    }
}

/// Converts a civil date to the Tantivy date stored in the index (midnight UTC).
pub fn to_tantivy_date(date: jiff::civil::Date) -> DateTime {
    let secs = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    DateTime::from_timestamp_secs(secs)
}

/// Converts a stored Tantivy date back to a civil date (UTC).
pub fn from_tantivy_date(date: DateTime) -> Option<jiff::civil::Date> {
    jiff::Timestamp::from_second(date.into_timestamp_secs())
        .ok()
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// A batch of additions and replacements, invisible until committed.
pub struct IndexUpdater {
    writer: IndexWriter,
    fields: Fields,
    dir: PathBuf,
    /// Statements added in this batch.
    pub documents: u64,
    /// Paragraphs added in this batch.
    pub paragraphs: u64,
}

impl IndexUpdater {
    /// Adds `doc`, replacing any statement with the same id: one Tantivy
    /// document per paragraph.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] if the writer failed (its threads died).
    pub fn add(&mut self, doc: &Document) -> Result<(), IndexError> {
        let f = self.fields;
        self.writer
            .delete_term(Term::from_field_text(f.doc_id, &doc.id));
        for p in &doc.paragraphs {
            let mut d = TantivyDocument::new();
            d.add_text(f.doc_id, &doc.id);
            d.add_u64(f.paragraph, p.number);
            d.add_text(f.title, &doc.title);
            if let Some(date) = doc.date {
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
            d.add_text(f.file, doc.origin.path.to_string_lossy());
            d.add_text(f.body, &p.text);
            d.add_text(f.body_exact, &p.text);
            self.writer
                .add_document(d)
                .map_err(tantivy_err(&self.dir))?;
            self.paragraphs += 1;
        }
        self.documents += 1;
        Ok(())
    }

    /// Removes every paragraph of the statement `id`.
    pub fn remove(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.doc_id, id));
    }

    /// Makes everything added so far durable and visible, atomically.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the commit fails; the previous commit
    /// stays intact.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer.commit().map_err(tantivy_err(&self.dir))?;
        Ok(())
    }

    /// Commits, then waits for merging threads to finish.
    ///
    /// # Errors
    /// As [`IndexUpdater::commit`].
    pub fn finish(mut self) -> Result<(), IndexError> {
        self.commit()?;
        self.writer
            .wait_merging_threads()
            .map_err(tantivy_err(&self.dir))?;
        Ok(())
    }
}
