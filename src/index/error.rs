//! Errors of the index layer, in words an analyst can act on.
//!
//! [`IndexError`] names the index directory and says what to do (rebuild,
//! wait for another writer, choose a writable location). The helpers here
//! turn `std::io` and Tantivy errors into it: a read-only file system
//! becomes [`IndexError::ReadOnly`], a busy lock [`IndexError::Locked`], and
//! Tantivy's messages about damaged files (which talk about old versions)
//! are reworded by [`describe`].

use std::path::{Path, PathBuf};

use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};

use crate::schema::SchemaError;

/// Errors opening or writing an index. Messages name the directory and say
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index at this location.
    #[error("no index at {}: build one with `vigie index --index {} PATH...`", .0.display(), crate::shell::path(.0))]
    Missing(PathBuf),
    /// The location is a directory of other files, with no index in it:
    /// most often a mistyped `--index` or `$VIGIE_INDEX`.
    #[error(
        "no index at {}: it holds other files (such as {example}); check --index or \
         $VIGIE_INDEX, or build an index in a new or empty directory with \
         `vigie index --index DIR PATH...`",
        dir.display()
    )]
    NotAnIndex {
        /// The directory.
        dir: PathBuf,
        /// One of its files.
        example: String,
    },
    /// The index directory exists but this user may not read it.
    #[error(
        "cannot read the index at {}: {reason}; check its permissions, or run as a user \
         who may read it",
        dir.display()
    )]
    Unreadable {
        /// Index directory.
        dir: PathBuf,
        /// The underlying error, in words.
        reason: String,
    },
    /// The location is a file, not a directory: no index can be there.
    #[error(
        "{} is a file, not an index directory (check --index or $VIGIE_INDEX): \
         choose a directory, new or holding an index",
        .0.display()
    )]
    NotADirectory(PathBuf),
    /// The index was built by another schema or analyzer version.
    #[error(
        "the index at {} was built with schema v{found_schema} / analyzer v{found_analyzer}, \
         but this vigie uses schema v{want_schema} / analyzer v{want_analyzer}; \
         rebuild it with `vigie index --rebuild --index {}` (re-reads the files it was built from) \
         or `vigie index --rebuild --index {} PATH...`",
        dir.display(), crate::shell::path(dir), crate::shell::path(dir)
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
    #[error(
        "{}: not a usable vigie index ({message}); rebuild it with \
         `vigie index --rebuild --index {} PATH...`",
        dir.display(), crate::shell::path(dir)
    )]
    Corrupt {
        /// Index directory.
        dir: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The directory holds files that are not part of a vigie index: it is
    /// never written into or replaced, so that nothing of the user's is lost.
    #[error(
        "{} holds files that are not part of a vigie index (such as {example}); \
         {action}: choose a new or empty directory with --index DIR, or move them away",
        dir.display()
    )]
    Foreign {
        /// The directory.
        dir: PathBuf,
        /// One of the foreign files.
        example: String,
        /// What was refused, e.g. "refusing to create an index there".
        action: String,
    },
    /// Another process is writing to this index.
    #[error("another `vigie index` is writing to {} (lock file {}/.tantivy-writer.lock is held); wait for it to finish", .0.display(), .0.display())]
    Locked(PathBuf),
    /// The index location cannot be written (read-only file system,
    /// permissions).
    #[error(
        "cannot write to the index at {}: {reason}; choose a writable location \
         with --index DIR or VIGIE_INDEX",
        dir.display()
    )]
    ReadOnly {
        /// Index directory.
        dir: PathBuf,
        /// The underlying error, in words.
        reason: String,
    },
    /// The disk holding the index is full. What was committed before
    /// stays, and the files of the interrupted batch were removed.
    #[error(
        "the disk holding {} is full ({reason}): what was committed before stays, \
         and the partial files of this run were removed; free some space and run the \
         same command again (it resumes from the last commit)",
        dir.display()
    )]
    DiskFull {
        /// Index directory.
        dir: PathBuf,
        /// The underlying error, in words.
        reason: String,
    },
    /// Filesystem error.
    #[error("{}: {error}", path.display())]
    Io {
        /// Path involved.
        path: PathBuf,
        /// Underlying error.
        error: std::io::Error,
    },
    /// Schema description problem.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// Any other Tantivy error.
    #[error("{}: {error}", dir.display())]
    Tantivy {
        /// Index directory.
        dir: PathBuf,
        /// Underlying error.
        error: tantivy::TantivyError,
    },
}

// Underlying errors are shown in the messages above; they are deliberately
// not exposed as `Error::source` too, or `{:#}` would print them twice.
impl IndexError {
    pub(super) fn io(path: &Path, error: std::io::Error) -> IndexError {
        if is_disk_full(&error) {
            return IndexError::DiskFull {
                dir: path.to_path_buf(),
                reason: error.to_string(),
            };
        }
        if is_read_only(&error) {
            return IndexError::ReadOnly {
                dir: path.to_path_buf(),
                reason: error.to_string(),
            };
        }
        if error.kind() == std::io::ErrorKind::NotADirectory {
            // `--index notes.txt/idx`: some parent is a file.
            if let Some(file) = path.ancestors().skip(1).find(|a| a.is_file()) {
                return IndexError::NotADirectory(file.to_path_buf());
            }
        }
        IndexError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

pub(super) fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Whether `e` says the device is full (`ENOSPC`, or `EDQUOT`, a quota).
pub(super) fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || e.raw_os_error() == Some(28)
}

/// Whether a Tantivy error comes from a full device: its I/O errors, or
/// the message of one its writer threads turned into text.
fn tantivy_disk_full(e: &tantivy::TantivyError) -> bool {
    let io_full = match e {
        tantivy::TantivyError::IoError(io)
        | tantivy::TantivyError::OpenWriteError(OpenWriteError::IoError { io_error: io, .. }) => {
            is_disk_full(io)
        }
        _ => false,
    };
    let text = e.to_string();
    io_full
        || text.contains("No space left on device")
        || text.contains("os error 28")
        || text.contains("Disk quota exceeded")
}

/// Below this many free bytes, a writer thread that died is taken to have
/// died of a full disk (Tantivy keeps only "an index writer was killed").
const NEARLY_FULL_BYTES: u64 = 32 * 1024 * 1024;

/// Whether Tantivy reports a dead writer thread, whose cause it drops.
fn writer_thread_died(e: &tantivy::TantivyError) -> bool {
    matches!(e, tantivy::TantivyError::ErrorInThread(_))
        || e.to_string().contains("index writer was killed")
}

pub(super) fn tantivy_err(dir: &Path) -> impl FnOnce(tantivy::TantivyError) -> IndexError + '_ {
    move |source| match source {
        e if tantivy_disk_full(&e) => IndexError::DiskFull {
            dir: dir.to_path_buf(),
            reason: "no space left on device".to_string(),
        },
        e if writer_thread_died(&e) => match fs4::available_space(dir) {
            Ok(free) if free < NEARLY_FULL_BYTES => IndexError::DiskFull {
                dir: dir.to_path_buf(),
                reason: format!("a writer thread failed with {} KiB left free", free / 1024),
            },
            _ => IndexError::Tantivy {
                dir: dir.to_path_buf(),
                error: tantivy::TantivyError::ErrorInThread(
                    "a writer thread failed while writing the index (a file could not be \
                     written); what was committed before stays"
                        .to_string(),
                ),
            },
        },
        tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
            IndexError::Locked(dir.to_path_buf())
        }
        tantivy::TantivyError::LockFailure(LockError::IoError(e), _)
        | tantivy::TantivyError::IoError(e)
        | tantivy::TantivyError::OpenWriteError(OpenWriteError::IoError { io_error: e, .. })
            if is_read_only(&e) =>
        {
            IndexError::ReadOnly {
                dir: dir.to_path_buf(),
                reason: e.to_string(),
            }
        }
        error => IndexError::Tantivy {
            dir: dir.to_path_buf(),
            error,
        },
    }
}

/// A Tantivy error while opening an index, in words an analyst can act on
/// (Tantivy's own messages for damaged files talk about old versions).
pub(super) fn describe(e: &tantivy::TantivyError) -> String {
    match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("file {} is missing", path.display())
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            if io_error.kind() == std::io::ErrorKind::InvalidData {
                format!("file {} is damaged or truncated", filepath.display())
            } else {
                format!("cannot read {}: {io_error}", filepath.display())
            }
        }
        other => other.to_string(),
    }
}
