//! Rebuilding an index beside the live one, and swapping it in.
//!
//! [`Rebuild`] builds a new index in a sibling staging directory
//! (`.<name>.vigie-rebuild`) while holding the writer lock of the live one,
//! then swaps the two with two renames, the live index passing through
//! `.<name>.vigie-old`. A run killed before the swap leaves the live index
//! untouched (the next rebuild clears the staging directory); if it dies
//! between the two renames, the next open finishes the swap
//! ([`recover_swap`], called by [`IndexHandle::open`]).

use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, MmapDirectory, INDEX_WRITER_LOCK};

use super::error::IndexError;
use super::handle::IndexHandle;
use super::layout::{exists, foreign_file, REBUILD_COMPLETE, SYNONYMS_FILE};

/// The sibling directory a rebuild of `dir` is built in.
pub(super) fn staging_dir(dir: &Path) -> PathBuf {
    sibling(dir, "vigie-rebuild")
}

/// The sibling directory the replaced index is moved to during a swap.
pub(super) fn retired_dir(dir: &Path) -> PathBuf {
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
pub(super) fn recover_swap(dir: &Path) {
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

/// Whether a rebuild of `dir` is swapping its directories right now: its
/// staging index is complete, or the live one has been moved aside.
pub(super) fn swap_in_progress(dir: &Path) -> bool {
    staging_dir(dir).join(REBUILD_COMPLETE).exists() || retired_dir(dir).exists()
}

/// Removes what a killed rebuild of `dir` left beside it: an unfinished
/// staging index and a retired copy of the live one. Call only with the
/// writer lock of the live index held (no rebuild can be running) and the
/// live index present. Each is removed only when it holds vigie's stamp or
/// is empty: vigie deletes only what it created.
pub(super) fn remove_leftovers(dir: &Path) {
    let ours = |d: &Path| {
        d.join(super::STAMP_FILE).is_file()
            || std::fs::read_dir(d).is_ok_and(|mut e| e.next().is_none())
    };
    let staging = staging_dir(dir);
    if staging.is_dir() && !staging.join(REBUILD_COMPLETE).exists() && ours(&staging) {
        let _ = std::fs::remove_dir_all(&staging);
    }
    let retired = retired_dir(dir);
    if retired.is_dir() && exists(dir) && ours(&retired) {
        let _ = std::fs::remove_dir_all(&retired);
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
        // A symbolic link to the index stays a link: the swap happens
        // where it points. A path without a last name (`.`, `..`, `idx/..`)
        // is resolved too: its staging directory would land inside it,
        // and the current directory cannot be renamed.
        let resolved;
        let dir = if dir.is_symlink() || dir.file_name().is_none() {
            resolved = std::fs::canonicalize(dir).map_err(|e| IndexError::io(dir, e))?;
            resolved.as_path()
        } else {
            dir
        };
        recover_swap(dir);
        if dir.exists() && !dir.is_dir() {
            return Err(IndexError::NotADirectory(dir.to_path_buf()));
        }
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
        // The synonyms stored with the index stay with it.
        let synonyms = self.dir.join(SYNONYMS_FILE);
        if synonyms.is_file() {
            let to = self.staging.join(SYNONYMS_FILE);
            std::fs::copy(&synonyms, &to).map_err(|e| IndexError::io(&to, e))?;
        }
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
