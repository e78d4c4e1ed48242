//! `vigie bench`: run a query file in-process and print latency percentiles.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use vigie::bench::{
    parse_queries, read_queries, BenchConfig, BenchQuery, BenchReport, KindReport, Percentiles,
};
use vigie::search::{SearchOptions, Searcher};

use super::{open_for_search, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Query file: one query per line; blank lines and # comments are skipped;
a line `# kind: NAME` sets the kind of the queries below it.

Without --queries, the built-in query file that finds more in the index is
used: benches/queries-statements.txt (statements' vocabulary) or
benches/queries.txt (the large corpus's: labour law, public services,
Debian documentation). A warning says when most queries find nothing.

Examples:
  vigie bench                                 the bundled statement, built-in queries
  vigie bench --queries benches/queries.txt
  vigie bench --index /tmp/idx --queries q.txt --runs 50 --json

Times are in microseconds: search = parse + plan + top-k + count,
fetch = stored fields + highlights of the returned hits, total = both
(wall clock of the call). qps = queries per second on one thread.";

#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Query file (one query per line; `# kind: NAME` lines name kinds)
    /// [default: the built-in file that finds more in the index]
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,
    /// Measured rounds over the query file (1 to 1,000,000)
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    runs: u64,
    /// Unmeasured warm-up rounds first
    #[arg(long, value_name = "N", default_value_t = 3)]
    warmup: usize,
    /// Hits fetched and highlighted per query
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Print the whole report as one JSON object
    #[arg(long)]
    json: bool,
}

/// The built-in query files, by the path they have in the repository.
const BUILT_IN: [(&str, &str); 2] = [
    (
        "benches/queries-statements.txt",
        include_str!("../../benches/queries-statements.txt"),
    ),
    (
        "benches/queries.txt",
        include_str!("../../benches/queries.txt"),
    ),
];

/// How many of `queries` find at least one paragraph.
fn finding(searcher: &Searcher, queries: &[BenchQuery]) -> usize {
    let options = SearchOptions {
        limit: 0,
        ..SearchOptions::default()
    };
    queries
        .iter()
        .filter(|q| {
            searcher
                .search(&q.text, &options)
                .is_ok_and(|r| r.total + r.partial > 0)
        })
        .count()
}

/// The built-in query file whose queries find more in the index (the
/// first on a tie), with its name.
fn built_in_queries(searcher: &Searcher) -> (&'static str, Vec<BenchQuery>) {
    let mut best: Option<(usize, &'static str, Vec<BenchQuery>)> = None;
    for (name, text) in BUILT_IN {
        let queries = parse_queries(text);
        let found = finding(searcher, &queries);
        if best.as_ref().is_none_or(|b| found > b.0) {
            best = Some((found, name, queries));
        }
    }
    best.map_or(("", Vec::new()), |(found, name, queries)| {
        eprintln!(
            "vigie: bench: queries from the built-in {name} ({found} of {} find something in this index; --queries FILE for your own)",
            queries.len()
        );
        (name, queries)
    })
}

pub(crate) fn run(args: BenchArgs) -> Result<u8> {
    let handle = open_for_search(&args.location)?;
    let searcher = Searcher::new(handle)?;
    let (name, queries) = match &args.queries {
        Some(path) => (
            path.display().to_string(),
            read_queries(path).with_context(|| format!("reading {}", path.display()))?,
        ),
        None => {
            let (name, queries) = built_in_queries(&searcher);
            (name.to_string(), queries)
        }
    };
    if queries.is_empty() {
        anyhow::bail!("{name}: no queries");
    }
    let config = BenchConfig {
        runs: usize::try_from(args.runs).unwrap_or(usize::MAX),
        warmup: args.warmup,
        limit: args.limit,
    };
    let report = vigie::bench::run(&searcher, &queries, &config)?;
    let empty = report.queries.iter().filter(|q| q.hits == 0).count();
    if empty * 2 > report.queries.len() {
        eprintln!(
            "vigie: warning: {empty} of {} queries of {name} find nothing in this index: the figures \
             measure mostly empty searches; give --queries a file with words of these statements",
            report.queries.len()
        );
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_human(&mut out, &report)?;
    }
    out.flush()?;
    Ok(0)
}

fn cells(p: &Percentiles) -> [String; 4] {
    [p.p50, p.p95, p.p99, p.max].map(|v| format!("{v:.0}"))
}

fn row(
    label: &str,
    hits: String,
    total: &Percentiles,
    search: &Percentiles,
    fetch: &Percentiles,
    qps: f64,
) -> Vec<String> {
    let mut r = vec![label.to_string(), hits];
    r.extend(cells(total));
    r.extend(cells(search));
    r.extend(cells(fetch));
    r.push(format!("{qps:.0}"));
    r
}

fn kind_row(k: &KindReport) -> Vec<String> {
    row(
        &format!("{} ({})", k.kind, k.queries),
        format!("{:.0}", k.mean_hits),
        &k.total,
        &k.search,
        &k.fetch,
        k.qps,
    )
}

fn write_table(
    out: &mut dyn Write,
    first: &str,
    hits: &str,
    rows: &[Vec<String>],
) -> io::Result<()> {
    let header: Vec<String> = [first, hits]
        .into_iter()
        .map(str::to_string)
        .chain(["total", "search", "fetch"].iter().flat_map(|g| {
            ["p50", "p95", "p99", "max"]
                .iter()
                .map(move |p| format!("{g}.{p}"))
        }))
        .chain(["qps".to_string()])
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, (c, w)) in r.iter().zip(&widths).enumerate() {
            let pad = w - c.chars().count();
            if i == 0 {
                line.push_str(c);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn write_human(out: &mut dyn Write, report: &BenchReport) -> io::Result<()> {
    writeln!(
        out,
        "{} queries, {} runs after {} warm-up, top {}; times in microseconds",
        report.queries.len(),
        report.runs,
        report.warmup,
        report.limit
    )?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = report
        .queries
        .iter()
        .map(|q| {
            row(
                &format!("[{}] {}", q.kind, q.query),
                q.hits.to_string(),
                &q.total,
                &q.search,
                &q.fetch,
                q.qps,
            )
        })
        .collect();
    write_table(out, "query", "hits", &rows)?;
    writeln!(out)?;
    let mut rows: Vec<Vec<String>> = report.kinds.iter().map(kind_row).collect();
    rows.push(kind_row(&report.overall));
    write_table(out, "kind (queries)", "hits", &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie::bench::{measure, parse_queries, Sample};

    #[test]
    fn human_report_has_every_query_and_kind() {
        let queries =
            parse_queries("# kind: common\nsalarié\n# kind: phrase\n\"contrat de travail\"\n");
        let config = BenchConfig {
            runs: 3,
            warmup: 0,
            limit: 10,
        };
        let report = measure("fake", &queries, &config, |q| {
            Ok::<_, ()>(Sample {
                total: q.len(),
                returned: 1,
                search_micros: 12.0,
                fetch_micros: 3.0,
            })
        })
        .unwrap();
        let mut out = Vec::new();
        write_human(&mut out, &report).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("2 queries, 3 runs after 0 warm-up, top 10"));
        assert!(text.contains("[common] salarié"));
        assert!(text.contains("[phrase] \"contrat de travail\""));
        assert!(text.contains("common (1)"));
        assert!(text.contains("all (2)"));
        let header = text.lines().nth(2).unwrap();
        assert!(header.starts_with("query") && header.ends_with("qps"));
        assert!(header.contains("search.p99") && header.contains("fetch.max"));
    }
}
