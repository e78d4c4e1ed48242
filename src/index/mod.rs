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
//! One submodule per concern, each public item re-exported here:
//!
//! | module | holds |
//! |---|---|
//! | `error` | [`IndexError`], and the mapping of I/O and Tantivy errors to it |
//! | `layout` | the [`Stamp`] (`vigie.json`), and which files an index directory may hold |
//! | `manifest` | the [`Manifest`] of indexed source files, stored as the commit payload |
//! | `hash` | [`Xxh64`] and [`hash_file`], the manifest's content hash |
//! | `directory` | the Tantivy directory wrapper (read-only indexes stay searchable) |
//! | `handle` | [`IndexHandle`]: open, create, look up a statement |
//! | `stats` | [`IndexHandle::stats`] and [`IndexStats`] |
//! | `updater` | [`IndexUpdater`]: add, remove, commit |
//! | `rebuild` | [`Rebuild`]: build beside the live index, then swap |
//! | `date` | [`to_tantivy_date`], [`from_tantivy_date`] |

mod date;
mod directory;
mod error;
mod handle;
mod hash;
mod layout;
mod manifest;
mod rebuild;
mod stats;
mod updater;

pub use date::{from_tantivy_date, storable, to_tantivy_date, FIRST_DATE, LAST_DATE};
pub use error::IndexError;
pub use handle::IndexHandle;
pub use hash::{hash_file, Xxh64};
pub use layout::{exists, Stamp, STAMP_FILE, SYNONYMS_FILE};
pub use manifest::{now_rfc3339, Manifest, SourceEntry, MANIFEST_VERSION};
pub use rebuild::Rebuild;
pub use stats::IndexStats;
pub use updater::IndexUpdater;

/// Default writer memory budget, in bytes, shared by all indexing threads.
pub const DEFAULT_MEMORY_BYTES: usize = 512 * 1024 * 1024;
