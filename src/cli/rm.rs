//! `vigie rm`: remove statements from an index by id.

use std::io::{self, Write};

use anyhow::{Context, Result};
use clap::Args;

use vigie::index::IndexHandle;

use super::{plural, resolve_index, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie rm nac-2021-07-19-cyber-fr          one statement, all its paragraphs
  vigie rm --index /tmp/idx id-1 id-2       several, in one commit

Ids are the `doc_id` of `vigie search --json` or `--format csv` (for a
.txt, .md or .html file: its file name without extension).

A removed statement comes back if its source file changes and is indexed
again: delete it from the source too. To undo a removal, `vigie index
--rebuild` reads every source file again (the index keeps their list).

Exit status: 0 all removed, 1 some ids were not in the index (the others
are removed), 2 error.";

#[derive(Debug, Args)]
pub(crate) struct RmArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Statement ids (the `doc_id` of `vigie search --json` or `--format csv`)
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
}

pub(crate) fn run(args: RmArgs) -> Result<u8> {
    let (dir, _) = resolve_index(&args.location)?;
    let handle = IndexHandle::open(&dir)?;
    let mut updater = handle.updater(vigie::index::DEFAULT_MEMORY_BYTES / 16, 1)?;
    let mut ids = args.ids.clone();
    ids.sort();
    ids.dedup();
    let (mut statements, mut paragraphs, mut missing) = (0u64, 0u64, 0usize);
    for id in &ids {
        let count = handle.count_statement(id)? as u64;
        if count == 0 {
            eprintln!(
                "vigie: warning: no statement with id `{id}` in {}",
                dir.display()
            );
            missing += 1;
            continue;
        }
        if let Some(source) = handle.source_of(id)? {
            if let Some(entry) = updater.manifest.files.get_mut(&source) {
                entry.statements = entry.statements.saturating_sub(1);
                entry.paragraphs = entry.paragraphs.saturating_sub(count);
            }
        }
        updater.remove(id);
        // Removed by the user: no file's copy is to bring it back.
        for entry in updater.manifest.files.values_mut() {
            entry.shadowed.retain(|s| s != id);
        }
        statements += 1;
        paragraphs += count;
    }
    if statements > 0 {
        updater
            .finish()
            .with_context(|| format!("removing from {}", dir.display()))?;
    }
    writeln!(
        io::stdout().lock(),
        "removed {} ({}) from {}",
        plural(statements, "statement"),
        plural(paragraphs, "paragraph"),
        dir.display()
    )?;
    Ok(if missing > 0 { 1 } else { 0 })
}
