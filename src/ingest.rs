//! Ingestion: reads statement files and writes them into an index.
//!
//! This is the corpus → index step as one call, used by `vigie index` and
//! by the first `vigie search` that builds the default index. It walks the
//! paths, reads each file with [`crate::corpus`], adds every statement
//! through [`crate::index::IndexUpdater`] (replacing statements with the
//! same id), and commits once at the end, so an interrupted run leaves the
//! previous commit intact. Problems with single files or records are
//! reported through a callback and counted; they never stop the run.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::corpus::{self, CorpusError};
use crate::index::{IndexError, IndexHandle};

/// Settings of an ingestion run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Writer memory budget in bytes (all threads together).
    pub memory_bytes: usize,
    /// Indexing threads.
    pub threads: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            memory_bytes: crate::index::DEFAULT_MEMORY_BYTES,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// What happened during a run.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    /// Files read.
    pub files: usize,
    /// Files skipped for an unknown extension.
    pub skipped: usize,
    /// Statements added or replaced.
    pub documents: u64,
    /// Paragraphs added.
    pub paragraphs: u64,
    /// Problems reported (files or records that could not be read whole).
    pub warnings: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Progress events, for a progress bar.
#[derive(Debug, Clone)]
pub enum Progress {
    /// Files to read were found; the sum of their sizes in bytes.
    Discovered {
        /// Number of files.
        files: usize,
        /// Total size on disk in bytes (compressed size for `.gz`).
        bytes: u64,
    },
    /// A file was read completely; its size on disk in bytes.
    FileDone {
        /// Path of the file.
        path: PathBuf,
        /// Size on disk in bytes.
        bytes: u64,
    },
    /// Running totals, sent every few thousand paragraphs.
    Counts {
        /// Statements so far.
        documents: u64,
        /// Paragraphs so far.
        paragraphs: u64,
    },
    /// All files read; committing.
    Committing,
}

/// Reads `paths` into `handle`'s index.
///
/// # Errors
/// [`IndexError`] when the index cannot be written (lock held, disk full);
/// nothing of this run is then committed. Unreadable inputs are not errors:
/// they go to `on_problem`.
pub fn ingest(
    handle: &IndexHandle,
    paths: &[PathBuf],
    options: &IngestOptions,
    on_problem: &mut dyn FnMut(&CorpusError),
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary, IndexError> {
    let start = Instant::now();
    let mut summary = IngestSummary::default();
    let mut updater = handle.updater(options.memory_bytes, options.threads)?;
    let discovery = corpus::discover(paths, &mut |e| {
        summary.warnings += 1;
        on_problem(&e);
    });
    summary.skipped = discovery.skipped;
    let sizes: Vec<u64> = discovery
        .files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    on_progress(Progress::Discovered {
        files: discovery.files.len(),
        bytes: sizes.iter().sum(),
    });
    let mut failure: Option<IndexError> = None;
    for (path, bytes) in discovery.files.iter().zip(sizes) {
        let mut last_report = updater.paragraphs;
        let result = corpus::read_file(
            path,
            &mut |doc| {
                if failure.is_some() {
                    return;
                }
                if let Err(e) = updater.add(&doc) {
                    failure = Some(e);
                }
                if updater.paragraphs - last_report >= 5_000 {
                    last_report = updater.paragraphs;
                    on_progress(Progress::Counts {
                        documents: updater.documents,
                        paragraphs: updater.paragraphs,
                    });
                }
            },
            &mut |e| {
                summary.warnings += 1;
                on_problem(&e);
            },
        );
        if let Some(e) = failure.take() {
            return Err(e);
        }
        if let Err(e) = result {
            summary.warnings += 1;
            on_problem(&e);
        }
        summary.files += 1;
        on_progress(Progress::FileDone {
            path: path.clone(),
            bytes,
        });
    }
    summary.documents = updater.documents;
    summary.paragraphs = updater.paragraphs;
    on_progress(Progress::Committing);
    updater.finish()?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}
