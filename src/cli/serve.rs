//! `vigie serve`: the index over HTTP, as a JSON API and a web page.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use clap::Args;

use vigie::serve::{is_loopback, Limits, ServeConfig, Server};

use super::search::synonym_file;
use super::{open_for_search, IndexLocation};

pub(crate) const EXAMPLES: &str = "\
Examples:
  vigie serve                          http://127.0.0.1:7700/ on this machine only
  vigie serve --bind 127.0.0.1:8080    another port
  vigie serve --bind 0.0.0.0:7700      reachable from other machines (no authentication!)
  curl 'http://127.0.0.1:7700/api/search?q=cyberdéfense&n=5'
  vigie serve --opensearch http://127.0.0.1:9200 --name vigie
                                       /api/search on a cluster filled by `vigie push`
                                       (/api/statements, /api/trend, /api/stats: 501)

Routes: / (the page), /api/search, /api/statements/{id}, /api/trend, /api/stats,
/health, /api/openapi.yaml (the API's description). A commit made by
`vigie index` while serving is picked up without a restart.

Exit status: 0 after Ctrl-C or SIGTERM, 2 when the index or the address cannot be used.";

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// Address (or host name) and port to listen on (port 0 picks a free one)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7700")]
    bind: String,
    /// Also expand queries with the synonyms of FILE [default: $VIGIE_SYNONYMS]
    #[arg(long, value_name = "FILE")]
    synonyms: Option<std::path::PathBuf>,
    /// Searches run at once [default: the number of cores, at least 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    max_concurrent: Option<u16>,
    /// Longest a request may take, in milliseconds (503 past it)
    #[arg(long, value_name = "MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    timeout_ms: u64,
    #[command(flatten)]
    connection: super::remote::Connection,
}

pub(crate) fn run(args: ServeArgs) -> Result<u8> {
    let handle = open_for_search(&args.location)?;
    let mut limits = Limits {
        time_budget: std::time::Duration::from_millis(args.timeout_ms),
        ..Limits::default()
    };
    if let Some(n) = args.max_concurrent {
        limits.max_concurrent = usize::from(n);
    }
    let synonyms = synonym_file(args.synonyms.clone(), false);
    let cluster = match &args.connection.opensearch {
        None => None,
        Some(_) => {
            if !vigie::remote::push::valid_index_name(&args.connection.name) {
                return Ok(super::remote::report(
                    &vigie::remote::push::PushError::BadName(args.connection.name.clone()),
                ));
            }
            let client = match args.connection.client() {
                Ok(Some(c)) => c,
                Ok(None) => return Ok(2),
                Err(e) => return Ok(super::remote::report(&e)),
            };
            let thesaurus =
                match super::remote::thesaurus(&args.location, synonyms.as_deref(), false)? {
                    Ok(t) => t,
                    Err(code) => return Ok(code),
                };
            Some(std::sync::Arc::new(vigie::serve::Cluster {
                client,
                name: args.connection.name.clone(),
                thesaurus,
            }))
        }
    };
    let config = ServeConfig {
        index: handle.dir.clone(),
        synonyms,
        limits,
        cluster: cluster.clone(),
    };
    drop(handle);
    let bind = resolve_bind(&args.bind)?;
    let server = match Server::bind(config, bind) {
        Ok(s) => s,
        Err(vigie::serve::ServeError::Search(vigie::search::SearchError::Synonyms(errors))) => {
            super::report_synonym_errors(&errors);
            return Ok(2);
        }
        Err(e) => return Err(e).context("starting the server"),
    };
    let addr = server.local_addr().context("reading the bound address")?;
    if !is_loopback(&addr) {
        eprintln!(
            "vigie: warning: listening on {addr}, reachable from other machines: \
             vigie serve has no authentication, anyone who reaches it can read the index"
        );
    }
    if addr.ip().is_unspecified() {
        eprintln!(
            "vigie: serving http://127.0.0.1:{}/ (listening on all interfaces, {addr}; Ctrl-C to stop)",
            addr.port()
        );
    } else {
        eprintln!("vigie: serving http://{addr}/ (Ctrl-C to stop)");
    }
    if let Some(c) = &cluster {
        eprintln!(
            "vigie: searches go to index {} on the cluster {} (/api/statements, /api/trend \
             and /api/stats need the local index: 501)",
            c.name,
            c.client.endpoint().redacted()
        );
    }
    server.run_until_signal();
    eprintln!("vigie: stopped");
    Ok(0)
}

/// The address `--bind` names: `IP:PORT`, `[IPv6]:PORT` or `HOST:PORT`
/// (the first address the host name resolves to).
fn resolve_bind(text: &str) -> Result<SocketAddr> {
    use std::net::ToSocketAddrs;
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let hint = "expected ADDRESS:PORT, such as 127.0.0.1:7700, [::1]:7700 or localhost:7700";
    if text
        .rsplit_once(':')
        .is_none_or(|(_, port)| port.parse::<u16>().is_err())
    {
        anyhow::bail!("--bind {text:?}: no port ({hint})");
    }
    text.to_socket_addrs()
        .with_context(|| format!("--bind {text:?}: cannot resolve the host name ({hint})"))?
        .next()
        .with_context(|| format!("--bind {text:?}: the host name has no address ({hint})"))
}
