//! `vigie push --opensearch URL`: send the local index to an OpenSearch
//! cluster.

use std::io::IsTerminal;

use anyhow::Result;
use clap::Args;

use vigie::remote::push::{push, PushError, PushOptions};

use super::remote::{report, Connection};
use super::{open_for_search, plural, printable, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie push --opensearch http://127.0.0.1:9200
  vigie push --opensearch https://search.example:9200 --name statements --ca-file ca.pem
  VIGIE_OPENSEARCH_USER=vigie VIGIE_OPENSEARCH_PASSWORD=… vigie push --opensearch https://…
  vigie push --opensearch http://127.0.0.1:9200 --shards 3 --replicas 1 --recreate

The cluster gets vigie's own analysed terms (no OpenSearch analysis to
configure), each paragraph as one document `STATEMENT#PARAGRAPH` with its
metadata. A push sends only the statements that changed since the last one
(their hashes are kept in NAME-vigie-meta) and deletes the statements no
longer in the local index; an interrupted push is finished by the next.

Exit status: 0 pushed, 2 error (unreachable cluster, refused credentials,
a write block such as the flood-stage disk watermark, or documents the
cluster rejected: each is listed with its id and the server's reason).
The local index is only read.";

#[derive(Debug, Args)]
pub(crate) struct PushArgs {
    #[command(flatten)]
    location: IndexLocation,
    #[command(flatten)]
    connection: Connection,
    /// Primary shards of a new index
    #[arg(long, value_name = "N", default_value_t = 1)]
    shards: u32,
    /// Replicas of each shard of a new index
    #[arg(long, value_name = "N", default_value_t = 0)]
    replicas: u32,
    /// Delete the index on the cluster first and push everything
    #[arg(long)]
    recreate: bool,
}

pub(crate) fn run(args: PushArgs) -> Result<u8> {
    if args.connection.opensearch.is_none() {
        return Ok(report(
            &"vigie push needs --opensearch URL (the cluster to push to)",
        ));
    }
    let client = match args.connection.client() {
        Ok(Some(c)) => c,
        Ok(None) => return Ok(2),
        Err(e) => return Ok(report(&e)),
    };
    let handle = open_for_search(&args.location)?;
    let options = PushOptions {
        name: args.connection.name.clone(),
        shards: args.shards.max(1),
        replicas: args.replicas,
        recreate: args.recreate,
    };
    let bar = super::progress_bar();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} paragraphs read {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let start = std::time::Instant::now();
    let outcome = push(&client, &handle, &options, &mut |read, total| {
        bar.set_length(total);
        bar.set_position(read);
    });
    bar.finish_and_clear();
    let summary = match outcome {
        Ok(s) => s,
        Err(PushError::Remote(e)) => return Ok(report(&e)),
        Err(e @ (PushError::Foreign { .. } | PushError::BadName(_) | PushError::Split(_))) => {
            return Ok(report(&e))
        }
        Err(PushError::Local(e)) => {
            return Ok(report(&format!(
                "reading the local index {}: {e}",
                handle.dir.display()
            )))
        }
    };
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "vigie: pushed to {} index {}{}: {} sent ({}, {:.1} MiB), {} unchanged, {} removed, of {} in {secs:.1} s",
        client.endpoint().redacted(),
        options.name,
        if summary.created { " (created)" } else { "" },
        plural(summary.sent as u64, "statement"),
        plural(summary.paragraphs as u64, "paragraph"),
        summary.bytes as f64 / f64::from(1 << 20),
        summary.unchanged,
        summary.removed,
        plural(summary.statements as u64, "statement"),
    );
    if summary.rejected.is_empty() {
        return Ok(0);
    }
    for r in &summary.rejected {
        eprintln!(
            "vigie: rejected: {}: {}",
            printable(&r.id),
            printable(&r.reason)
        );
    }
    eprintln!(
        "vigie: error: the cluster rejected {}; their statements are sent again by the next push",
        plural(summary.rejected.len() as u64, "document")
    );
    Ok(2)
}
