//! `vigie trend`: matching paragraphs and statements per year or month,
//! and their share of all paragraphs of the period.

use std::io::{self, IsTerminal, Write};

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};

use vigie::search::trend::{trend, Period, PeriodCounts, Trend};
use vigie::search::SearchOptions;

use super::search::{date_flag, run_on_searcher, synonym_file, use_color, ColorChoice};
use super::IndexLocation;

pub(crate) const EXAMPLES: &str = "\
The query language is that of `vigie search`. A paragraph counts when it holds
every part of the query (what `vigie search --all-words` finds). The share is
matching paragraphs over all paragraphs of the period, so that a year with more
statements does not look like a rise.

Examples:
  vigie trend cyberdéfense                  per year
  vigie trend --by month --since 2021 \"menaces hybrides\"
  vigie trend --lang fr --format csv rançongiciel > trend.csv
  vigie trend --json otan

Exit status: 0 if some paragraph matched, 1 if none did, 2 on error.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    /// Calendar years
    Year,
    /// Calendar months
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A table with a bar per period (default)
    Human,
    /// One JSON object: query, by, periods[], undated, paragraphs, statements
    Json,
    /// CSV with a header: period, paragraphs, statements, all_paragraphs, all_statements, share
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct TrendArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Period length
    #[arg(long, value_enum, default_value = "year")]
    by: By,
    /// Only statements dated on or after DATE (same forms as `vigie search --since`)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only statements dated on or before DATE
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only statements in this language (fr, en)
    #[arg(long, value_name = "LANG", value_parser = super::search::lang_code)]
    lang: Option<String>,
    /// Only statements whose source holds these words, in the matches and
    /// in the periods' totals alike (`source:` in the query filters the
    /// matches only)
    #[arg(long, value_name = "WORDS")]
    source: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Same as --format json
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Search words only as typed: no synonyms, no automatic typo correction
    #[arg(long)]
    exact: bool,
    /// Also expand queries with the synonyms of FILE [default: $VIGIE_SYNONYMS]
    #[arg(long, value_name = "FILE")]
    synonyms: Option<std::path::PathBuf>,
    /// Report query syntax problems as errors (exit 2)
    #[arg(long)]
    strict: bool,
    /// Show on stderr how the query was understood
    #[arg(long)]
    explain: bool,
    /// Colour the bars: auto, always, never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
    /// The query, as for `vigie search`
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
}

pub(crate) fn run(args: TrendArgs) -> Result<u8> {
    let since = date_flag("--since", args.since.as_deref(), false)?;
    let until = date_flag("--until", args.until.as_deref(), true)?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            bail!("--since {s} is after --until {u}: no date can match");
        }
    }
    let options = SearchOptions {
        strict: args.strict,
        exact: args.exact,
        since,
        until,
        lang: args.lang.clone(),
        ..SearchOptions::default()
    };
    let by = match args.by {
        By::Year => Period::Year,
        By::Month => Period::Month,
    };
    let query = args.query.join(" ");
    if vigie::search::query::is_blank_query(&query) {
        anyhow::bail!(
            "the query is empty: give the words to count (`vigie trend --help` shows the syntax)"
        );
    }
    let synonyms = synonym_file(args.synonyms.clone(), args.exact);
    let found = match run_on_searcher(&args.location, synonyms.as_deref(), |s| {
        trend(s, &query, by, &options, args.source.as_deref())
    })? {
        Ok(t) => t,
        Err(code) => return Ok(code),
    };
    super::report_notes(&found.notes);
    if args.explain {
        for line in &found.explain {
            eprintln!("vigie: explain: {line}");
        }
    }
    let format = if args.json { Format::Json } else { args.format };
    // Rendered first, then written: a closed pipe is then an I/O error,
    // which exits quietly like `vigie search`.
    let mut rendered: Vec<u8> = Vec::new();
    match format {
        Format::Json => {
            serde_json::to_writer(&mut rendered, &found)?;
            rendered.push(b'\n');
        }
        Format::Csv => write_csv(&mut rendered, &found)?,
        Format::Human => write_table(&mut rendered, &found, use_color(args.color))?,
    }
    let mut out = io::stdout().lock();
    out.write_all(&rendered)?;
    out.flush()?;
    if found.paragraphs == 0 && format == Format::Human && io::stderr().is_terminal() {
        eprintln!("vigie: no paragraph holds every part of the query");
    }
    Ok(if found.paragraphs > 0 { 0 } else { 1 })
}

fn write_csv(out: &mut dyn Write, t: &Trend) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "period",
        "paragraphs",
        "statements",
        "all_paragraphs",
        "all_statements",
        "share",
    ])?;
    for row in t.periods.iter().chain(&t.undated) {
        w.write_record([
            row.period.clone().unwrap_or_else(|| "undated".to_string()),
            row.paragraphs.to_string(),
            row.statements.to_string(),
            row.all_paragraphs.to_string(),
            row.all_statements.to_string(),
            format!("{:.6}", row.share),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Width of the longest bar, in characters.
const BAR_WIDTH: usize = 40;

/// The bar of `share` when the largest share is `max`: eighths of a
/// block, so that small differences show.
fn bar(share: f64, max: f64) -> String {
    if max <= 0.0 || share <= 0.0 {
        return String::new();
    }
    let eighths = ((share / max) * (BAR_WIDTH * 8) as f64).round().max(1.0) as usize;
    let mut s = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PARTS[eighths % 8]);
    s
}

fn write_table(out: &mut dyn Write, t: &Trend, color: bool) -> io::Result<()> {
    let max = t.periods.iter().map(|r| r.share).fold(0.0, f64::max);
    writeln!(
        out,
        "{:<8} {:>10} {:>10} {:>15}  share of the period's paragraphs",
        "period", "paragraphs", "statements", "all paragraphs"
    )?;
    let row = |out: &mut dyn Write, label: &str, r: &PeriodCounts, bar: &str| {
        // A period without any paragraph has no share.
        let share = if r.all_paragraphs == 0 {
            "–".to_string()
        } else {
            format!("{:.2} %", r.share * 100.0)
        };
        let bar = if color && !bar.is_empty() {
            format!("\x1b[36m{bar}\x1b[0m")
        } else {
            bar.to_string()
        };
        writeln!(
            out,
            "{label:<8} {:>10} {:>10} {:>15}  {share:>8} {bar}",
            r.paragraphs, r.statements, r.all_paragraphs
        )
    };
    for r in &t.periods {
        let label = r.period.as_deref().unwrap_or("");
        row(out, label, r, &bar(r.share, max))?;
    }
    if let Some(u) = &t.undated {
        row(out, "undated", u, "")?;
    }
    writeln!(
        out,
        "{} in {}",
        super::plural(t.paragraphs as u64, "matching paragraph"),
        super::plural(t.statements as u64, "statement")
    )
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn the_largest_share_fills_the_bar_and_half_fills_half() {
        assert_eq!(bar(0.5, 0.5).chars().count(), super::BAR_WIDTH);
        assert_eq!(bar(0.25, 0.5).chars().count(), super::BAR_WIDTH / 2);
        assert_eq!(bar(0.0, 0.5), "", "no match, no bar");
        assert!(!bar(0.0001, 0.5).is_empty(), "a tiny share still shows");
    }
}
