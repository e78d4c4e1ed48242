//! `vigie stats`: what an index holds.

use std::io::{self, Write};

use anyhow::Result;
use clap::Args;

use vigie::index::{IndexHandle, IndexStats};

use super::{plural, resolve_index, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie stats                     the default index
  vigie stats --index /tmp/idx    another index
  vigie stats --json              one JSON object (sources keyed by path)

Exit status: 0, or 2 when the index is missing or cannot be read.";

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Print one JSON object instead of text
    #[arg(long)]
    json: bool,
}

/// `bytes` in binary units, e.g. `1.5 MiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn write_human(out: &mut impl Write, s: &IndexStats) -> io::Result<()> {
    writeln!(out, "index        {}", s.dir.display())?;
    writeln!(out, "statements   {}", s.statements)?;
    writeln!(out, "paragraphs   {}", s.paragraphs)?;
    writeln!(out, "segments     {}", s.segments)?;
    writeln!(
        out,
        "size         {} ({} bytes)",
        human_bytes(s.size_bytes),
        s.size_bytes
    )?;
    writeln!(
        out,
        "schema       v{}, analyzer v{} ({})",
        s.schema_version, s.analyzer_version, s.stemmer
    )?;
    writeln!(out, "created by   {}", s.created_by)?;
    writeln!(
        out,
        "last commit  {}",
        s.last_commit.as_deref().unwrap_or("never")
    )?;
    if let Some(groups) = s.synonym_groups {
        writeln!(
            out,
            "synonyms     {} stored with the index ({}; `vigie index --synonyms FILE` replaces them, --no-synonyms removes them)",
            plural(groups as u64, "group"),
            vigie::index::SYNONYMS_FILE
        )?;
    }
    writeln!(
        out,
        "sources      {}",
        plural(s.sources.len() as u64, "file")
    )?;
    for (path, e) in &s.sources {
        let mut line = format!(
            "  {path}  {}, {}, {}, indexed {}",
            plural(e.statements, "statement"),
            plural(e.paragraphs, "paragraph"),
            human_bytes(e.size),
            e.indexed_at
        );
        if e.warnings > 0 {
            line.push_str(&format!(", {}", plural(e.warnings, "warning")));
        }
        if e.hash.is_none() {
            line.push_str(", incomplete (read again next run)");
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

pub(crate) fn run(args: StatsArgs) -> Result<u8> {
    let (dir, _) = resolve_index(&args.location)?;
    let stats = IndexHandle::open(&dir)?.stats()?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write_human(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_in_binary_units() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 << 20), "3.0 MiB");
    }
}
