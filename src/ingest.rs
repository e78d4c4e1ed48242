//! Ingestion: reads statement files and writes them into an index,
//! incrementally.
//!
//! This is the corpus → index step as one call, used by `vigie index` and
//! by the first `vigie search` that builds the default index. It walks the
//! paths and, for each file, compares it with the index's manifest (see
//! [`crate::index`]): a file whose size and modification time are those
//! recorded is *unchanged* and not read; otherwise its content hash decides
//! (a file that was only touched is unchanged too). A new or changed file
//! is read with [`crate::corpus`], and its statements replace everything
//! that was indexed from it before (and any statement with the same id).
//!
//! Safety rules, so that an analyst can trust the index:
//! - a file that yields no statement at all (unreadable, empty, binary,
//!   not UTF-8, only bad lines) never removes anything: what was indexed
//!   from it before is kept, and the file is read again next run;
//! - a file that fails part-way (an I/O error or corrupt gzip data in the
//!   middle) keeps the statements read before the failure and is recorded
//!   without a hash, so the next run reads it again;
//! - a statement id read twice in one run is reported (the later one wins);
//! - commits happen at file boundaries (every
//!   [`UpdateOptions::checkpoint_bytes`] of input, and at the end), each
//!   with the manifest of exactly the files completed, so a run killed at
//!   any moment leaves a consistent index and the next run resumes with the
//!   files not yet committed;
//! - when nothing changed, nothing is committed: the index is left as it
//!   was, byte for byte.
//!
//! Problems with single files or records are reported through a callback
//! and counted; they never stop the run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::corpus::{self, CorpusError};
use crate::index::{
    hash_file, now_rfc3339, IndexError, IndexHandle, IndexUpdater, Rebuild, SourceEntry, Xxh64,
};

/// Settings of an ingestion run: resources.
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

/// Settings of an ingestion run: how the index is updated (see
/// [`ingest_with`]).
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Remove the statements of indexed files that no longer exist (only
    /// files that are gone, not those that cannot be read).
    pub prune: bool,
    /// Commit after a file once this many bytes of input were read since
    /// the last commit (a checkpoint the next run resumes from): bytes of
    /// statement text, or of the file when larger (a compressed file
    /// counts what it holds).
    pub checkpoint_bytes: u64,
}

/// Default [`UpdateOptions::checkpoint_bytes`]: 256 MiB.
pub const DEFAULT_CHECKPOINT_BYTES: u64 = 256 * 1024 * 1024;

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            prune: false,
            checkpoint_bytes: DEFAULT_CHECKPOINT_BYTES,
        }
    }
}

/// What happened during a run.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    /// Corpus files found (in a known format).
    pub files: usize,
    /// Files skipped for an unknown extension.
    pub skipped: usize,
    /// The first three of them found while walking a directory, outside
    /// any vigie index ([`corpus::Discovery::unknown`]), to name them.
    pub unknown: Vec<PathBuf>,
    /// Files read for the first time.
    pub added: usize,
    /// Files read again because their content changed.
    pub updated: usize,
    /// Files not read because they did not change.
    pub unchanged: usize,
    /// Files from which nothing could be read (what was indexed from them
    /// before is kept).
    pub failed: usize,
    /// Indexed files that no longer exist and were pruned.
    pub pruned: usize,
    /// Statements recorded for the pruned files.
    pub pruned_statements: u64,
    /// Indexed files that no longer exist but were kept (no `prune`).
    pub missing: usize,
    /// Statements added or replaced.
    pub documents: u64,
    /// Paragraphs added.
    pub paragraphs: u64,
    /// Statement ids read more than once in this run.
    pub duplicates: usize,
    /// Problems reported (files or records that could not be read whole),
    /// including those recorded for unchanged files.
    pub warnings: usize,
    /// Commits made (0 when nothing changed).
    pub commits: usize,
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
    /// A file was read completely (or found unchanged); its size on disk in
    /// bytes.
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

/// The manifest key of a source file: its canonical path (symbolic links
/// resolved), else its absolute path; stored in the `file` field. A path
/// that is not valid Unicode is converted lossily (such a file is never
/// considered gone by pruning).
pub fn source_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map_or(0, |t| t.as_nanosecond() as i64)
}

/// Whether the recorded modification time is too close to the time the
/// file was read to prove it unchanged (a write in the same clock tick as
/// the read leaves the time as it was): such files are hashed.
fn racy(entry: &SourceEntry) -> bool {
    let Ok(read) = entry.indexed_at.parse::<jiff::Timestamp>() else {
        return true;
    };
    i128::from(entry.mtime_ns) + 2_000_000_000 >= read.as_nanosecond()
}

fn problem(path: &Path, message: String) -> CorpusError {
    CorpusError::Malformed {
        path: path.to_path_buf(),
        line: None,
        message,
    }
}

/// Reads `paths` into `handle`'s index, incrementally (see the module
/// docs), with the default [`UpdateOptions`] (no pruning).
///
/// # Errors
/// As [`ingest_with`].
pub fn ingest(
    handle: &IndexHandle,
    paths: &[PathBuf],
    options: &IngestOptions,
    on_problem: &mut dyn FnMut(&CorpusError),
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary, IndexError> {
    ingest_with(
        handle,
        paths,
        options,
        &UpdateOptions::default(),
        on_problem,
        on_progress,
    )
}

/// Reads `paths` into `handle`'s index, incrementally (see the module docs).
///
/// # Errors
/// [`IndexError`] when the index cannot be written (lock held, read-only,
/// disk full); what was committed at earlier checkpoints stays. Unreadable
/// inputs are not errors: they go to `on_problem`.
pub fn ingest_with(
    handle: &IndexHandle,
    paths: &[PathBuf],
    options: &IngestOptions,
    update: &UpdateOptions,
    on_problem: &mut dyn FnMut(&CorpusError),
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary, IndexError> {
    let start = Instant::now();
    let mut summary = IngestSummary::default();
    let mut updater = handle.updater(options.memory_bytes, options.threads)?;
    let mut report = |summary: &mut IngestSummary, e: &CorpusError| {
        summary.warnings += 1;
        on_problem(e);
    };
    let mut discovery = corpus::discover(paths, &mut |e| report(&mut summary, &e));
    let before = discovery.files.len();
    let mut index_dirs = HashMap::new();
    discovery
        .files
        .retain(|f| !inside_an_index(f, &mut index_dirs));
    summary.files = discovery.files.len();
    summary.skipped = discovery.skipped + (before - discovery.files.len());
    // A vigie index's own files are no statement files anyone meant.
    summary.unknown = std::mem::take(&mut discovery.unknown);
    summary
        .unknown
        .retain(|f| !inside_an_index(f, &mut index_dirs));
    summary.unknown.truncate(3);

    let gone: Vec<String> = updater
        .manifest
        .files
        .keys()
        .filter(|k| {
            // A key made from a path that is not valid Unicode cannot be
            // checked (it was converted lossily): never call it gone.
            !k.contains('\u{FFFD}')
                && std::fs::symlink_metadata(k)
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        })
        .cloned()
        .collect();
    if update.prune {
        for key in gone {
            updater.remove_source(&key);
            if let Some(entry) = updater.manifest.files.remove(&key) {
                summary.pruned_statements += entry.statements;
            }
            summary.pruned += 1;
        }
    } else {
        summary.missing = gone.len();
    }

    let sizes: Vec<u64> = discovery
        .files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    on_progress(Progress::Discovered {
        files: discovery.files.len(),
        bytes: sizes.iter().sum(),
    });

    let mut run = Run {
        updater: &mut updater,
        seen: HashMap::new(),
        files: &discovery.files,
        since_checkpoint: 0,
        skip: Default::default(),
    };
    for (index, (path, bytes)) in discovery.files.iter().zip(sizes).enumerate() {
        run.file(index, path, &mut summary, &mut report, on_progress)?;
        on_progress(Progress::FileDone {
            path: path.clone(),
            bytes,
        });
        if run.since_checkpoint >= update.checkpoint_bytes && run.updater.has_changes() {
            run.updater.commit()?;
            summary.commits += 1;
            run.since_checkpoint = 0;
        }
    }
    restore_shadowed(&mut run, &mut summary, &mut report, on_progress)?;
    summary.documents = updater.documents;
    summary.paragraphs = updater.paragraphs;
    if updater.has_changes() {
        on_progress(Progress::Committing);
        updater.finish()?;
        summary.commits += 1;
    }
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Reads again, at the end of a run that removed statements (a file
/// updated or pruned), the files among those given whose statements
/// another file had replaced (same id; [`SourceEntry::shadowed`]) when no
/// file holds those ids any more: the other file was deleted and pruned,
/// or edited so that it no longer has them. Only the lost statements come
/// back: the file's ids another file still holds are not taken from it.
/// A statement removed with `vigie rm` is no longer listed as shadowed and
/// does not come back.
fn restore_shadowed(
    run: &mut Run<'_>,
    summary: &mut IngestSummary,
    report: &mut Report<'_>,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<(), IndexError> {
    if summary.updated == 0 && summary.pruned == 0 {
        return Ok(());
    }
    let given: HashMap<String, usize> = run
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (source_key(f), i))
        .collect();
    let shadowing: Vec<(String, usize)> = run
        .updater
        .manifest
        .files
        .iter()
        .filter(|(_, e)| !e.shadowed.is_empty())
        .filter_map(|(key, _)| given.get(key).map(|&i| (key.clone(), i)))
        .collect();
    if shadowing.is_empty() {
        return Ok(());
    }
    if run.updater.has_changes() {
        // The lookups below must see this run's removals.
        run.updater.commit()?;
        summary.commits += 1;
    }
    for (key, index) in shadowing {
        let Some(entry) = run.updater.manifest.files.get_mut(&key) else {
            continue;
        };
        let mut ids = std::mem::take(&mut entry.shadowed);
        ids.sort_unstable();
        ids.dedup();
        let mut still = Vec::new();
        let mut lost = false;
        for id in ids {
            match run.updater.held_by(&id)? {
                Some(_) => still.push(id),
                None => lost = true,
            }
        }
        if lost {
            // Read again without the ids other files still hold.
            if let Some(entry) = run.updater.manifest.files.get_mut(&key) {
                entry.hash = None;
            }
            let path = run.files[index].clone();
            summary.unchanged = summary.unchanged.saturating_sub(1);
            run.skip = still.iter().cloned().collect();
            let read = run.file(index, &path, summary, report, on_progress);
            run.skip.clear();
            read?;
        }
        // Still replaced by the other files' statements.
        if let Some(entry) = run.updater.manifest.files.get_mut(&key) {
            entry.shadowed = still;
        }
    }
    Ok(())
}

/// Whether `file` lies in a vigie index (a folder holding its stamp,
/// [`crate::index::STAMP_FILE`], and Tantivy's `meta.json`, or below one): an index kept inside the
/// folder of statements it was built from holds vigie's own files (the
/// stored synonyms, `vigie-synonyms.txt`), which are no statements.
/// `known` remembers the answer per folder.
fn inside_an_index(file: &Path, known: &mut HashMap<PathBuf, bool>) -> bool {
    let Some(dir) = file.parent() else {
        return false;
    };
    if let Some(&inside) = known.get(dir) {
        return inside;
    }
    // The stamp and Tantivy's own metadata: a user's `vigie.json` alone
    // does not make a folder an index.
    let index = dir.join(crate::index::STAMP_FILE).is_file() && crate::index::exists(dir);
    let inside = index || inside_an_index(dir, known);
    known.insert(dir.to_path_buf(), inside);
    inside
}

/// State of one ingestion run over its files.
struct Run<'a> {
    updater: &'a mut IndexUpdater,
    /// Hash of each statement id read in this run → (file index, line).
    /// Per statement id read in this run (by hash): the file index and
    /// line it was last read at, and the paragraphs and file index of the
    /// version written.
    seen: HashMap<u64, (usize, Option<u64>, u64, usize)>,
    files: &'a [PathBuf],
    since_checkpoint: u64,
    /// Statement ids not to add while a file is read again to restore
    /// others ([`restore_shadowed`]): another file holds them.
    skip: rustc_hash::FxHashSet<String>,
}

type Report<'r> = dyn FnMut(&mut IngestSummary, &CorpusError) + 'r;

/// Where the problems of one file go: counted for the file, then reported.
struct Sink<'s, 'r> {
    summary: &'s mut IngestSummary,
    report: &'s mut Report<'r>,
    warnings: u64,
}

impl Sink<'_, '_> {
    fn emit(&mut self, e: &CorpusError) {
        self.warnings += 1;
        (self.report)(self.summary, e);
    }
}

impl Run<'_> {
    fn file(
        &mut self,
        index: usize,
        path: &Path,
        summary: &mut IngestSummary,
        report: &mut Report<'_>,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<(), IndexError> {
        let key = source_key(path);
        let started = now_rfc3339();
        let io_problem = |source| CorpusError::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                summary.failed += 1;
                report(summary, &io_problem(e));
                return Ok(());
            }
        };
        let (size, mtime) = (meta.len(), mtime_ns(&meta));
        let previous = self.updater.manifest.files.get(&key).cloned();
        if let Some(prev) = &previous {
            if prev.hash.is_some() && prev.size == size && prev.mtime_ns == mtime && !racy(prev) {
                self.unchanged(path, prev, summary, report);
                return Ok(());
            }
        }
        let hash = match hash_file(path) {
            Ok((hash, _)) => hash,
            Err(e) => {
                summary.failed += 1;
                report(summary, &io_problem(e));
                return Ok(());
            }
        };
        if let Some(prev) = &previous {
            if prev.hash.as_deref() == Some(hash.as_str()) {
                if let Some(entry) = self.updater.manifest.files.get_mut(&key) {
                    // Saved with the next commit, if there is one.
                    entry.mtime_ns = mtime;
                    entry.size = size;
                }
                self.unchanged(path, prev, summary, report);
                return Ok(());
            }
        }

        // Checkpoints count the text read, not the bytes on disk: a
        // compressed file holds several times its size.
        let mut text_bytes = 0u64;
        let mut statements = 0u64;
        let mut paragraphs = 0u64;
        let mut failure: Option<IndexError> = None;
        let mut last_report = self.updater.paragraphs;
        let updater = &mut *self.updater;
        let seen = &mut self.seen;
        let files = self.files;
        // A statement whose id was already read in this run is kept aside,
        // the last one per id, and added once after the file: one removal
        // per repeated id rather than one per repeat (a file repeating an
        // id 100,000 times took minutes, each removal touching every copy).
        let mut repeats: rustc_hash::FxHashMap<String, corpus::Document> = Default::default();
        // Both callbacks report problems: they share the sink.
        let sink = RefCell::new(Sink {
            summary,
            report,
            warnings: 0,
        });
        let skip = &self.skip;
        let result = corpus::read_file(
            path,
            &mut |doc| {
                if failure.is_some() || skip.contains(&doc.id) {
                    return;
                }
                if doc.paragraphs.iter().all(|p| p.text.trim().is_empty()) {
                    // Nothing to search (no paragraph, or blank ones
                    // only): said, not counted as written.
                    let what = if doc.paragraphs.is_empty() {
                        "no paragraph"
                    } else {
                        "only blank paragraphs"
                    };
                    sink.borrow_mut().emit(&CorpusError::Malformed {
                        path: path.to_path_buf(),
                        line: doc.origin.line,
                        message: format!(
                            "statement `{}` has {what}; not indexed (vigie searches \
                             paragraphs)",
                            doc.id
                        ),
                    });
                    return;
                }
                if statements == 0 {
                    // Only now, with a statement in hand, is the old
                    // content of this file dropped.
                    updater.remove_source(&key);
                }
                text_bytes += doc
                    .paragraphs
                    .iter()
                    .map(|p| p.text.len() as u64)
                    .sum::<u64>();
                let id_hash = Xxh64::hash(doc.id.as_bytes());
                let previous = seen.get(&id_hash).copied();
                let (written, written_in) =
                    previous.map_or((doc.paragraphs.len() as u64, index), |p| (p.2, p.3));
                seen.insert(id_hash, (index, doc.origin.line, written, written_in));
                if let Some((other, _, _, _)) = previous.filter(|p| p.0 != index) {
                    // Read from another file earlier in this run: that
                    // file's statement is replaced.
                    if let Some(entry) = files
                        .get(other)
                        .and_then(|f| updater.manifest.files.get_mut(&source_key(f)))
                    {
                        entry.shadow(&doc.id);
                    }
                }
                if let Some((other, line, _, _)) = previous {
                    let at = files.get(other).map_or_else(String::new, |p| {
                        format!(
                            "{}{}",
                            p.display(),
                            line.map(|l| format!(":{l}")).unwrap_or_default()
                        )
                    });
                    let mut sink = sink.borrow_mut();
                    sink.summary.duplicates += 1;
                    sink.emit(&CorpusError::Malformed {
                        path: path.to_path_buf(),
                        line: doc.origin.line,
                        message: format!(
                            "statement id `{}` was already read in this run from {at}; \
                             this one replaces it",
                            doc.id
                        ),
                    });
                    drop(sink);
                    repeats.insert(doc.id.clone(), doc);
                    return;
                }
                // Queue a removal by id only when a statement with this id
                // may exist outside what `remove_source` already dropped:
                // read earlier in this run, or committed from another file.
                // (Each queued removal costs memory until the commit.)
                let added = match previous.is_some() {
                    true => updater.add(&doc, &key),
                    false => match updater.held_by(&doc.id) {
                        Ok(Some(file)) if file != key => {
                            if let Some(entry) = updater.manifest.files.get_mut(&file) {
                                entry.shadow(&doc.id);
                            }
                            // Another file that still exists holds this id
                            // (two `communique.txt` in two folders): say so.
                            if Path::new(&file).exists() {
                                sink.borrow_mut().emit(&CorpusError::Malformed {
                                    path: path.to_path_buf(),
                                    line: doc.origin.line,
                                    message: format!(
                                        "statement id `{}` is also that of a statement indexed from \
                                         {file}; this one replaces it (a .txt, .md or .html file's id \
                                         is its file name: rename one of them)",
                                        doc.id
                                    ),
                                });
                            }
                            updater.add(&doc, &key)
                        }
                        Ok(_) => updater.insert(&doc, &key),
                        Err(e) => Err(e),
                    },
                };
                if let Err(e) = added {
                    failure = Some(e);
                    return;
                }
                statements += 1;
                paragraphs += doc.paragraphs.len() as u64;
                if updater.paragraphs - last_report >= 5_000 {
                    last_report = updater.paragraphs;
                    on_progress(Progress::Counts {
                        documents: updater.documents,
                        paragraphs: updater.paragraphs,
                    });
                }
            },
            &mut |e| sink.borrow_mut().emit(&e),
        );
        let Sink {
            summary,
            report,
            mut warnings,
        } = sink.into_inner();
        self.since_checkpoint += text_bytes.max(size);
        if let Some(e) = failure {
            return Err(e);
        }
        // A repeat replaces a version written earlier in this run: the
        // counts hold the statement once, with its last paragraphs.
        for (_, doc) in repeats {
            if statements == 0 {
                self.updater.remove_source(&key);
            }
            let id_hash = Xxh64::hash(doc.id.as_bytes());
            let (written, first_file) = self
                .seen
                .get(&id_hash)
                .map_or((0, usize::MAX), |s| (s.2, s.3));
            self.updater.add(&doc, &key)?;
            self.updater.documents = self.updater.documents.saturating_sub(1);
            self.updater.paragraphs = self.updater.paragraphs.saturating_sub(written);
            if let Some(entry) = self.seen.get_mut(&id_hash) {
                entry.2 = doc.paragraphs.len() as u64;
                entry.3 = index;
            }
            if first_file == index {
                paragraphs = paragraphs.saturating_sub(written);
            } else {
                statements += 1;
            }
            paragraphs += doc.paragraphs.len() as u64;
        }
        let complete = match result {
            Ok(()) => true,
            Err(e) => {
                warnings += 1;
                report(summary, &e);
                false
            }
        };
        if statements == 0 {
            summary.failed += 1;
            if let Some(prev) = &previous {
                report(
                    summary,
                    &problem(
                        path,
                        format!(
                            "no statement could be read; the {} indexed from this file before \
                             {} kept",
                            plural(prev.statements, "statement"),
                            if prev.statements == 1 { "is" } else { "are" }
                        ),
                    ),
                );
            }
            return Ok(());
        }
        if !complete {
            report(
                summary,
                &problem(
                    path,
                    format!(
                        "read stopped early: the {} before the error {} indexed, and the file \
                         will be read again next run",
                        plural(statements, "statement"),
                        if statements == 1 { "is" } else { "are" }
                    ),
                ),
            );
        }
        if previous.is_some() {
            summary.updated += 1;
        } else {
            summary.added += 1;
        }
        self.updater.manifest.files.insert(
            key,
            SourceEntry {
                size,
                mtime_ns: mtime,
                hash: complete.then_some(hash),
                statements,
                paragraphs,
                warnings,
                indexed_at: started,
                shadowed: Vec::new(),
            },
        );
        Ok(())
    }

    fn unchanged(
        &mut self,
        path: &Path,
        entry: &SourceEntry,
        summary: &mut IngestSummary,
        report: &mut Report<'_>,
    ) {
        summary.unchanged += 1;
        if entry.warnings > 0 {
            report(
                summary,
                &problem(
                    path,
                    format!(
                        "{} reported when this file was indexed ({}); it is unchanged and \
                         was not read again",
                        if entry.warnings == 1 {
                            "1 problem was".to_string()
                        } else {
                            format!("{} problems were", entry.warnings)
                        },
                        entry.indexed_at
                    ),
                ),
            );
            summary.warnings += entry.warnings as usize - 1;
        }
    }
}

/// Rebuilds the index at `dir` from scratch out of `paths`: everything is
/// read into a new index beside it (see [`Rebuild`]), which replaces the
/// live one only once complete and committed. The live index stays
/// searchable meanwhile, and is left untouched if the run fails or is
/// killed.
///
/// # Errors
/// As [`ingest`], plus [`IndexError::Locked`] when another writer holds the
/// live index, and [`IndexError::Io`] when the swap fails.
pub fn rebuild(
    dir: &Path,
    paths: &[PathBuf],
    options: &IngestOptions,
    on_problem: &mut dyn FnMut(&CorpusError),
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary, IndexError> {
    let rebuild = Rebuild::begin(dir)?;
    // One commit at the end: nothing is visible before the swap anyway.
    let update = UpdateOptions {
        prune: false,
        checkpoint_bytes: u64::MAX,
    };
    let summary = ingest_with(
        &rebuild.handle,
        paths,
        options,
        &update,
        on_problem,
        on_progress,
    )?;
    rebuild.swap()?;
    Ok(summary)
}

/// `"1 statement"`, `"2 statements"`: a count with its noun.
fn plural(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
