//! The Tantivy directory vigie opens indexes with.
//!
//! [`VigieDirectory`] is Tantivy's memory-mapped directory with one change:
//! on a read-only location, the meta lock (which only keeps a writer's
//! garbage collector away from files being opened) is skipped rather than
//! failing, so an index on read-only media can still be searched; and the
//! files Tantivy writes atomically (`meta.json`, `.managed.json`, created
//! private by a temporary file) get the read permissions of the index
//! directory (write stays the owner's), so that an index others may list, they may also search.
//! Every other operation is passed through unchanged.

use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr, META_LOCK,
};

use super::error::is_read_only;

/// The directory type vigie opens indexes with: Tantivy's memory-mapped
/// directory, except that on a read-only location the lock that keeps
/// Tantivy's garbage collector away from files being opened is skipped
/// (it needs a writable lock file, and no writer can run there anyway), so
/// read-only indexes can still be searched.
#[derive(Debug, Clone)]
pub(super) struct VigieDirectory {
    pub(super) inner: MmapDirectory,
    /// The index directory.
    pub(super) root: std::path::PathBuf,
}

impl VigieDirectory {
    /// Tantivy's memory-mapped directory at `root`.
    pub(super) fn open(
        root: &Path,
    ) -> Result<VigieDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(VigieDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// Gives `file` (in `root`) the read permissions the directory `root`
/// gives, and write permission to its owner only: 0644 in a 0755 or 0777
/// directory, 0600 in a 0700 one. Best effort: a file system without Unix
/// permissions is left as it is.
#[cfg(unix)]
fn readable_like_directory(root: &Path, file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::metadata(root) else {
        return;
    };
    let mode = (meta.permissions().mode() & 0o444) | 0o600;
    let _ = std::fs::set_permissions(root.join(file), std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn readable_like_directory(_root: &Path, _file: &Path) {}

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
        self.inner.atomic_write(path, data)?;
        readable_like_directory(&self.root, path);
        Ok(())
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
