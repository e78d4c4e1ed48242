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
//!
//! # The manifest: which source files are in the index
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
//! # Rebuilding
//!
//! [`Rebuild`] builds a new index in a sibling staging directory while
//! holding the writer lock of the live one, then swaps the two with two
//! renames. A run killed before the swap leaves the live index untouched
//! (the next rebuild clears the staging directory); if it dies between the
//! two renames, the next open finishes the swap (see [`IndexHandle::open`]).

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr, INDEX_WRITER_LOCK, META_LOCK,
};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Schema, Value};
use tantivy::{DateTime, DocSet, Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis;
use crate::corpus::Document;
use crate::schema::{Fields, SchemaError, SchemaSpec};

/// Name of the version stamp file inside an index directory.
pub const STAMP_FILE: &str = "vigie.json";

/// Default writer memory budget, in bytes, shared by all indexing threads.
pub const DEFAULT_MEMORY_BYTES: usize = 512 * 1024 * 1024;

/// Version of the [`Manifest`] format stored in the commit payload.
pub const MANIFEST_VERSION: u32 = 1;

/// Marker file written into a rebuilt index once it is complete, before it
/// is swapped in; its presence lets an interrupted swap be finished.
const REBUILD_COMPLETE: &str = ".vigie-rebuild-complete";

/// Errors opening or writing an index. Messages name the directory and say
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index at this location.
    #[error("no index at {}: build one with `vigie index --index {} PATH...`", .0.display(), .0.display())]
    Missing(PathBuf),
    /// The index was built by another schema or analyzer version.
    #[error(
        "the index at {} was built with schema v{found_schema} / analyzer v{found_analyzer}, \
         but this vigie uses schema v{want_schema} / analyzer v{want_analyzer}; \
         rebuild it with `vigie index --rebuild --index {}` (re-reads the files it was built from) \
         or `vigie index --rebuild --index {} PATH...`",
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
    #[error(
        "{}: not a usable vigie index ({message}); rebuild it with \
         `vigie index --rebuild --index {} PATH...`",
        dir.display(), dir.display()
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
    fn io(path: &Path, error: std::io::Error) -> IndexError {
        if is_read_only(&error) {
            return IndexError::ReadOnly {
                dir: path.to_path_buf(),
                reason: error.to_string(),
            };
        }
        IndexError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
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

/// What the index holds from one source file, as of the last commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceEntry {
    /// Size of the file in bytes when it was read.
    pub size: u64,
    /// Modification time when it was read, in nanoseconds since the Unix
    /// epoch (0 when the platform gives none).
    pub mtime_ns: i64,
    /// Content hash of the bytes on disk, `xxh64:` + 16 hex digits
    /// ([`Xxh64`], seed 0); `None` when the file could not be read to the
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

/// Streaming XXH64 (seed 0): the content hash of the manifest.
///
/// A fast non-cryptographic 64-bit hash with a fixed, published definition,
/// so the values stored in an index stay valid across builds and Rust
/// versions (unlike `std`'s `DefaultHasher`). It detects changed files; it
/// is not meant to resist deliberate collisions.
#[derive(Debug, Clone)]
pub struct Xxh64 {
    acc: [u64; 4],
    buf: [u8; 32],
    buf_len: usize,
    total: u64,
}

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn xxh_round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn xxh_merge(acc: u64, val: u64) -> u64 {
    (acc ^ xxh_round(0, val)).wrapping_mul(P1).wrapping_add(P4)
}

fn read_u64(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

impl Default for Xxh64 {
    fn default() -> Self {
        Xxh64::new()
    }
}

impl Xxh64 {
    /// A hasher with seed 0.
    pub fn new() -> Xxh64 {
        Xxh64 {
            acc: [P1.wrapping_add(P2), P2, 0, P1.wrapping_neg()],
            buf: [0; 32],
            buf_len: 0,
            total: 0,
        }
    }

    fn stripe(acc: &mut [u64; 4], stripe: &[u8]) {
        for (i, a) in acc.iter_mut().enumerate() {
            *a = xxh_round(*a, read_u64(&stripe[i * 8..]));
        }
    }

    /// Feeds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.buf_len > 0 {
            let take = (32 - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len < 32 {
                return;
            }
            let buf = self.buf;
            Self::stripe(&mut self.acc, &buf);
            self.buf_len = 0;
        }
        let mut chunks = data.chunks_exact(32);
        for chunk in &mut chunks {
            Self::stripe(&mut self.acc, chunk);
        }
        let rest = chunks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buf_len = rest.len();
    }

    /// The hash of everything fed so far.
    pub fn digest(&self) -> u64 {
        let [v1, v2, v3, v4] = self.acc;
        let mut h = if self.total >= 32 {
            let h = v1
                .rotate_left(1)
                .wrapping_add(v2.rotate_left(7))
                .wrapping_add(v3.rotate_left(12))
                .wrapping_add(v4.rotate_left(18));
            [v1, v2, v3, v4].into_iter().fold(h, xxh_merge)
        } else {
            P5
        };
        h = h.wrapping_add(self.total);
        let mut rest = &self.buf[..self.buf_len];
        while rest.len() >= 8 {
            h ^= xxh_round(0, read_u64(rest));
            h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
            rest = &rest[8..];
        }
        if rest.len() >= 4 {
            let word = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
            h ^= u64::from(word).wrapping_mul(P1);
            h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
            rest = &rest[4..];
        }
        for &byte in rest {
            h ^= u64::from(byte).wrapping_mul(P5);
            h = h.rotate_left(11).wrapping_mul(P1);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(P2);
        h ^= h >> 29;
        h = h.wrapping_mul(P3);
        h ^ (h >> 32)
    }

    /// XXH64 of `data` in one call.
    pub fn hash(data: &[u8]) -> u64 {
        let mut hasher = Xxh64::new();
        hasher.update(data);
        hasher.digest()
    }
}

/// Hashes the file at `path` with [`Xxh64`], streaming it in 64 KiB reads;
/// returns the manifest form `xxh64:<16 hex digits>` and the number of
/// bytes read.
///
/// # Errors
/// The I/O error of opening or reading the file.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Xxh64::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((format!("xxh64:{:016x}", hasher.digest()), total))
}

/// The directory type vigie opens indexes with: Tantivy's memory-mapped
/// directory, except that on a read-only location the lock that keeps
/// Tantivy's garbage collector away from files being opened is skipped
/// (it needs a writable lock file, and no writer can run there anyway), so
/// read-only indexes can still be searched.
#[derive(Debug, Clone)]
struct VigieDirectory {
    inner: MmapDirectory,
}

impl Directory for VigieDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }
    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath && is_read_only(&e) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
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
    move |source| match source {
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
fn describe(e: &tantivy::TantivyError) -> String {
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

/// Whether `dir` looks like an existing index (it has a Tantivy `meta.json`).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Whether `name` is a file an index directory may hold: Tantivy's
/// metadata, locks, temporary and segment files (`<32 hex digits>.<ext>`),
/// and vigie's own files.
fn is_index_file(name: &str) -> bool {
    const FIXED: [&str; 6] = [
        "meta.json",
        ".managed.json",
        ".tantivy-writer.lock",
        ".tantivy-meta.lock",
        STAMP_FILE,
        REBUILD_COMPLETE,
    ];
    if FIXED.contains(&name) || name.starts_with(".vigie-write-probe") || name.starts_with(".tmp") {
        return true;
    }
    name.split_once('.')
        .is_some_and(|(stem, _)| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The first entry of `dir` that an index directory would not hold, if
/// any (`None` too when `dir` does not exist).
fn foreign_file(dir: &Path) -> Result<Option<String>, IndexError> {
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
    Ok(names.into_iter().find(|n| !is_index_file(n)))
}

/// The sibling directory a rebuild of `dir` is built in.
fn staging_dir(dir: &Path) -> PathBuf {
    sibling(dir, "vigie-rebuild")
}

/// The sibling directory the replaced index is moved to during a swap.
fn retired_dir(dir: &Path) -> PathBuf {
    sibling(dir, "vigie-old")
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    let parent = dir.parent().unwrap_or_else(|| Path::new("."));
    parent.join(format!(".{name}.{suffix}"))
}

/// Finishes a rebuild swap that was interrupted between its two renames:
/// when `dir` has no index but a complete staging index (or the retired
/// one) is there, it is moved into place. Best effort: failures leave
/// things as they are, and opening then reports the index missing.
fn recover_swap(dir: &Path) {
    if exists(dir) {
        return;
    }
    let staging = staging_dir(dir);
    let retired = retired_dir(dir);
    if staging.join(REBUILD_COMPLETE).is_file() && !dir.exists() {
        if std::fs::rename(&staging, dir).is_ok() {
            let _ = std::fs::remove_file(dir.join(REBUILD_COMPLETE));
            let _ = std::fs::remove_dir_all(&retired);
        }
    } else if exists(&retired) && !dir.exists() {
        let _ = std::fs::rename(&retired, dir);
    }
}

impl IndexHandle {
    /// Opens the index in `dir`, checking its stamp and that its segments
    /// can be opened.
    ///
    /// If a rebuild was interrupted while swapping directories, the swap is
    /// finished first.
    ///
    /// # Errors
    /// [`IndexError::Missing`] when there is no index, [`IndexError::Version`]
    /// when it was built by another schema or analyzer version,
    /// [`IndexError::Corrupt`] when the stamp, Tantivy metadata or a segment
    /// is unreadable.
    pub fn open(dir: &Path) -> Result<IndexHandle, IndexError> {
        recover_swap(dir);
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
        let corrupt = |e: tantivy::TantivyError| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: describe(&e),
        };
        let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let index = Index::open(VigieDirectory { inner: directory }).map_err(corrupt)?;
        {
            // Open every segment once (as a reader would, under the lock that
            // keeps a concurrent writer's garbage collector away), so that a
            // damaged index is reported here, with advice, rather than at the
            // first search.
            let _lock = index.directory().acquire_lock(&META_LOCK).ok();
            for segment in index.searchable_segments().map_err(corrupt)? {
                tantivy::SegmentReader::open(&segment).map_err(corrupt)?;
            }
        }
        Self::from_index(index, dir)
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

    fn create(dir: &Path) -> Result<IndexHandle, IndexError> {
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
        let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let index = Index::create(
            VigieDirectory { inner: directory },
            schema,
            tantivy::IndexSettings::default(),
        )
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
        })
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
        let writer = self
            .index
            .writer_with_num_threads(threads, memory_bytes.max(threads * 16 * 1024 * 1024))
            .map_err(tantivy_err(&self.dir))?;
        // Read after taking the lock: no other writer can commit under us.
        let manifest = self.manifest()?;
        let committed = self.reader()?.searcher();
        Ok(IndexUpdater {
            writer,
            fields: self.fields,
            dir: self.dir.clone(),
            manifest,
            committed,
            documents: 0,
            paragraphs: 0,
            dirty: false,
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

    fn reader(&self) -> Result<tantivy::IndexReader, IndexError> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err(&self.dir))
    }

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

/// A batch of additions and removals, invisible until committed. Every
/// commit stores [`IndexUpdater::manifest`] as its payload. Dropping the
/// updater without committing discards the batch.
pub struct IndexUpdater {
    writer: IndexWriter,
    fields: Fields,
    dir: PathBuf,
    /// The manifest the next commit will store; starts as the last commit's.
    pub manifest: Manifest,
    /// The commit the updater started from, for [`IndexUpdater::held_by`].
    committed: tantivy::Searcher,
    /// Statements added in this batch.
    pub documents: u64,
    /// Paragraphs added in this batch.
    pub paragraphs: u64,
    dirty: bool,
}

impl IndexUpdater {
    /// Adds `doc`, replacing any statement with the same id: one Tantivy
    /// document per paragraph, with `source` (the manifest key of its file)
    /// in the `file` field.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] if the writer failed (its threads died).
    pub fn add(&mut self, doc: &Document, source: &str) -> Result<(), IndexError> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.doc_id, &doc.id));
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
        for p in &doc.paragraphs {
            let mut d = TantivyDocument::new();
            d.add_text(f.doc_id, &doc.id);
            d.add_u64(f.paragraph, p.number);
            d.add_u64(f.statement_size, doc.paragraphs.len() as u64);
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
        self.writer.run(batch).map_err(tantivy_err(&self.dir))?;
        self.documents += 1;
        Ok(())
    }

    /// The source file (manifest key) of the statement `id` in the commit
    /// the updater started from, or `None` when that commit does not hold
    /// it. Reads one stored paragraph (through the searcher's block cache).
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

    /// Removes every paragraph of the statement `id`.
    pub fn remove(&mut self, id: &str) {
        self.dirty = true;
        self.writer
            .delete_term(Term::from_field_text(self.fields.doc_id, id));
    }

    /// Removes every paragraph read from the source file `source` (a
    /// manifest key). The manifest entry is left to the caller.
    pub fn remove_source(&mut self, source: &str) {
        self.dirty = true;
        self.writer
            .delete_term(Term::from_field_text(self.fields.file, source));
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
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(tantivy_err(&self.dir))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(tantivy_err(&self.dir))?;
        self.dirty = false;
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

/// A rebuild in progress: a fresh index in a staging directory next to the
/// live one, which stays searchable (and locked against other writers)
/// until [`Rebuild::swap`].
pub struct Rebuild {
    dir: PathBuf,
    staging: PathBuf,
    lock: Option<DirectoryLock>,
    /// The fresh index to fill.
    pub handle: IndexHandle,
}

impl Rebuild {
    /// Starts rebuilding the index at `dir`: takes its writer lock (creating
    /// `dir` if needed) and creates an empty index in the staging directory
    /// `.<name>.vigie-rebuild` beside it (a leftover one from an interrupted
    /// rebuild is deleted first). The live index may be of any version, or
    /// damaged.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another writer holds the lock;
    /// [`IndexError::Foreign`] when `dir` holds files that are not part of
    /// an index (it is never replaced); [`IndexError::ReadOnly`] /
    /// [`IndexError::Io`] on filesystem errors.
    pub fn begin(dir: &Path) -> Result<Rebuild, IndexError> {
        recover_swap(dir);
        if let Some(example) = foreign_file(dir)? {
            return Err(IndexError::Foreign {
                dir: dir.to_path_buf(),
                example,
                action: "refusing to replace it".to_string(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
        let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Corrupt {
            dir: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let lock = directory
            .acquire_lock(&INDEX_WRITER_LOCK)
            .map_err(|e| match e {
                LockError::LockBusy => IndexError::Locked(dir.to_path_buf()),
                LockError::IoError(io) => IndexError::ReadOnly {
                    dir: dir.to_path_buf(),
                    reason: io.to_string(),
                },
            })?;
        let staging = staging_dir(dir);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| IndexError::io(&staging, e))?;
        }
        let handle = IndexHandle::create(&staging)?;
        Ok(Rebuild {
            dir: dir.to_path_buf(),
            staging,
            lock: Some(lock),
            handle,
        })
    }

    /// The directory the new index is being built in.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Swaps the rebuilt index in: marks it complete, moves the live index
    /// aside, moves the new one into place, then deletes the old one. All
    /// writers of the staging index must have been dropped.
    ///
    /// # Errors
    /// [`IndexError::Io`] when a rename fails; the live index is then put
    /// back when possible.
    pub fn swap(mut self) -> Result<(), IndexError> {
        let marker = self.staging.join(REBUILD_COMPLETE);
        std::fs::write(&marker, b"").map_err(|e| IndexError::io(&marker, e))?;
        let retired = retired_dir(&self.dir);
        if retired.exists() {
            std::fs::remove_dir_all(&retired).map_err(|e| IndexError::io(&retired, e))?;
        }
        std::fs::rename(&self.dir, &retired).map_err(|e| IndexError::io(&self.dir, e))?;
        if let Err(e) = std::fs::rename(&self.staging, &self.dir) {
            // A reader opening the index right between the two renames
            // finishes the swap itself (see `recover_swap`): then it is done.
            let finished_by_reader = !self.staging.exists() && exists(&self.dir);
            if !finished_by_reader {
                let _ = std::fs::rename(&retired, &self.dir);
                return Err(IndexError::io(&self.dir, e));
            }
        }
        let _ = std::fs::remove_file(self.dir.join(REBUILD_COMPLETE));
        self.lock.take();
        let _ = std::fs::remove_dir_all(&retired);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxh64_known_values() {
        assert_eq!(Xxh64::hash(b""), 0xEF46_DB37_51D8_E999);
        assert_eq!(Xxh64::hash(b"a"), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(Xxh64::hash(b"abc"), 0x44BC_2CF5_AD77_0999);
        assert_eq!(
            Xxh64::hash(b"Nobody inspects the spammish repetition"),
            0xFBCE_A83C_8A37_8BF1
        );
    }

    #[test]
    fn xxh64_streaming_matches_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for len in [0, 1, 3, 4, 7, 8, 31, 32, 33, 63, 64, 65, 100, 1000] {
            let whole = Xxh64::hash(&data[..len]);
            for step in [1, 2, 5, 31, 32, 33, 64] {
                let mut h = Xxh64::new();
                for chunk in data[..len].chunks(step) {
                    h.update(chunk);
                }
                assert_eq!(h.digest(), whole, "len {len} step {step}");
            }
        }
    }

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
            },
        );
        updater.finish().expect("finish");
        let reopened = IndexHandle::open(&path).expect("open");
        let m = reopened.manifest().expect("manifest");
        assert!(m.files.contains_key("/x.txt"));
        assert!(m.committed_at.is_some());
        assert_eq!(Manifest::read_from_dir(&path), Some(m));
    }

    #[test]
    fn second_writer_is_locked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let handle = IndexHandle::open_or_create(dir.path()).expect("create");
        let _first = handle.updater(32 << 20, 1).expect("first");
        match handle.updater(32 << 20, 1) {
            Err(IndexError::Locked(d)) => assert_eq!(d, dir.path()),
            Err(other) => panic!("unexpected {other}"),
            Ok(_) => panic!("second writer got the lock"),
        }
        match Rebuild::begin(dir.path()) {
            Err(IndexError::Locked(_)) => {}
            Err(other) => panic!("unexpected {other}"),
            Ok(_) => panic!("rebuild got the lock"),
        }
    }

    #[test]
    fn interrupted_swap_is_finished_on_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let live = dir.path().join("idx");
        IndexHandle::open_or_create(&live).expect("create");
        let rebuild = Rebuild::begin(&live).expect("begin");
        let staging = rebuild.staging().to_path_buf();
        drop(rebuild.handle);
        // Simulate a crash after the first rename of the swap.
        std::fs::write(staging.join(REBUILD_COMPLETE), b"").expect("marker");
        std::fs::rename(&live, retired_dir(&live)).expect("retire");
        IndexHandle::open(&live).expect("open finishes the swap");
        assert!(!staging.exists());
        assert!(!retired_dir(&live).exists());
        assert!(!live.join(REBUILD_COMPLETE).exists());
    }

    #[test]
    fn rebuild_refuses_a_foreign_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("thesis.odt"), b"precious").expect("write");
        assert!(matches!(
            Rebuild::begin(dir.path()),
            Err(IndexError::Foreign { .. })
        ));
        assert!(matches!(
            IndexHandle::open_or_create(dir.path()),
            Err(IndexError::Foreign { .. })
        ));
        assert!(dir.path().join("thesis.odt").exists());
        assert!(!exists(dir.path()));
    }
}
