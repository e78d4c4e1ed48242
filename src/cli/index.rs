//! `vigie index`: build or update an index from statement files.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use vigie::index::IndexHandle;
use vigie::ingest::IngestOptions;

use super::{resolve_index, run_ingest, warnings_suffix, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie index ~/statements               every .txt, .jsonl, .jsonl.gz below the folder
  vigie index --index /tmp/idx a.jsonl   into a given index directory

Re-indexing a statement (same id) replaces it.";

#[derive(Debug, Args)]
pub(crate) struct IndexArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Writer memory budget in MiB, all threads together
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    memory: usize,
    /// Indexing threads [default: number of cores]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Files or folders (.txt, .jsonl, .jsonl.gz; folders are walked recursively)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub(crate) fn run(args: IndexArgs) -> Result<u8> {
    let (dir, _) = resolve_index(&args.location)?;
    let handle = IndexHandle::open_or_create(&dir)?;
    let options = IngestOptions {
        memory_bytes: args.memory.saturating_mul(1024 * 1024),
        threads: args
            .threads
            .unwrap_or_else(|| IngestOptions::default().threads),
    };
    let s = run_ingest(&handle, &args.paths, &options)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "indexed {} statements, {} paragraphs from {} files in {:.1} s into {}{}",
        s.documents,
        s.paragraphs,
        s.files,
        s.elapsed.as_secs_f64(),
        dir.display(),
        warnings_suffix(&s)
    )?;
    Ok(0)
}
