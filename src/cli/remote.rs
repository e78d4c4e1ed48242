//! The cluster flags `vigie push` and `vigie search` share, and
//! `vigie search --opensearch`: the query run on the cluster, its results
//! handed to the same printers as a local search.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;

use vigie::remote::client::CA_VAR;
use vigie::remote::dsl::Filters;
use vigie::remote::search::{search, RemoteSearch};
use vigie::remote::{Client, Endpoint, RemoteError};
use vigie::search::SearchResults;
use vigie::thesaurus::Thesaurus;

use super::{printable, IndexLocation};

/// Where the cluster is: the flags `push` and `search` share.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// OpenSearch URL, http[s]://[user:password@]host:port; credentials
    /// also from $VIGIE_OPENSEARCH_USER and $VIGIE_OPENSEARCH_PASSWORD
    #[arg(long, value_name = "URL")]
    pub(crate) opensearch: Option<String>,
    /// Name of the index on the cluster
    #[arg(
        long,
        value_name = "INDEX",
        default_value = "vigie",
        requires = "opensearch"
    )]
    pub(crate) name: String,
    /// PEM file of the CA certificates that signed the cluster's
    /// certificate [default: $VIGIE_OPENSEARCH_CA]
    #[arg(long, value_name = "FILE", requires = "opensearch")]
    pub(crate) ca_file: Option<PathBuf>,
}

impl Connection {
    /// A client for the cluster, or `None` without `--opensearch`.
    ///
    /// # Errors
    /// A bad URL, an unreadable CA file.
    pub(crate) fn client(&self) -> Result<Option<Client>, RemoteError> {
        let Some(url) = &self.opensearch else {
            return Ok(None);
        };
        let endpoint = Endpoint::parse(url)?.with_env_credentials();
        let ca = self.ca_file.clone().or_else(|| {
            std::env::var_os(CA_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        Client::new(endpoint, ca.as_deref()).map(Some)
    }
}

/// Prints a cluster error (the URL never shows a password) and gives the
/// exit status 2.
pub(crate) fn report(e: &dyn std::fmt::Display) -> u8 {
    eprintln!("vigie: error: {}", printable(&e.to_string()));
    2
}

/// What `vigie search` asks of the cluster.
pub(crate) struct Asked<'a> {
    pub(crate) query: &'a str,
    pub(crate) search: RemoteSearch,
    pub(crate) strict: bool,
}

/// Runs a search on the cluster of `connection`: its results, or the exit
/// status after the error was printed (2).
pub(crate) fn results(connection: &Connection, asked: Asked<'_>) -> Result<SearchResults, u8> {
    if !vigie::remote::push::valid_index_name(&connection.name) {
        return Err(report(&vigie::remote::push::PushError::BadName(
            connection.name.clone(),
        )));
    }
    let client = match connection.client() {
        Ok(Some(c)) => c,
        Ok(None) => return Err(2),
        Err(e) => return Err(report(&e)),
    };
    let search_options = RemoteSearch {
        name: connection.name.clone(),
        ..asked.search
    };
    match search(&client, asked.query, &search_options) {
        Ok(results) => {
            if asked.strict && !results.notes.is_empty() {
                let syntax = vigie::search::SearchError::Syntax(results.notes);
                return Err(report(&syntax.to_string()));
            }
            Ok(results)
        }
        Err(RemoteError::Server { status: 404, .. }) => Err(report(&format!(
            "no index {} on {}: push it first (vigie push --opensearch URL --name {})",
            connection.name,
            client.endpoint().redacted(),
            connection.name
        ))),
        Err(e) => Err(report(&e)),
    }
}

/// The filters of a remote search.
pub(crate) fn filters(
    since: Option<jiff::civil::Date>,
    until: Option<jiff::civil::Date>,
    lang: Option<&str>,
) -> Filters {
    Filters {
        since,
        until,
        lang: lang.map(str::to_lowercase),
    }
}

/// The thesaurus of a search on the cluster, built as for a local search
/// ([`super::search::run_on_searcher`]): vigie's default thesaurus, the
/// synonyms stored with the local index when there is one at `location`
/// (the index that was pushed; never built for this), and the user's file
/// `user` (`--synonyms`, `$VIGIE_SYNONYMS`; none under `--exact`). Under
/// `exact` a stored file with bad lines is passed over (only ambiguous
/// acronyms use the thesaurus then), as locally.
///
/// Returns the thesaurus, or the exit status after the bad synonym lines
/// were reported (2).
///
/// # Errors
/// An index at `location` that cannot be opened.
pub(crate) fn thesaurus(
    location: &IndexLocation,
    user: Option<&Path>,
    exact: bool,
) -> anyhow::Result<Result<Arc<Thesaurus>, u8>> {
    let local = super::resolve_index(location)
        .ok()
        .filter(|(dir, _)| vigie::index::exists(dir));
    // The platform's default index, left by an older vigie, is not the one
    // the cluster was filled from: its synonyms are not asked for.
    let stale = match &local {
        Some((dir, false)) => match vigie::schema::SchemaSpec::shipped()
            .ok()
            .zip(vigie::index::Stamp::read(dir))
            .map(|(spec, stamp)| stamp.check(dir, &spec))
        {
            Some(Err(e)) => {
                eprintln!(
                    "vigie: note: the default index is not read ({}); searching with vigie's \
                     thesaurus (--index DIR for the synonyms stored with an index)",
                    super::printable(&e.to_string())
                );
                true
            }
            _ => false,
        },
        _ => false,
    };
    if local.is_some() && !stale {
        return super::search::run_on_searcher(location, user, |s| match s.shared_thesaurus() {
            Err(_) if exact => Ok(Thesaurus::builtin()),
            other => other,
        });
    }
    match user {
        None => Ok(Ok(Thesaurus::builtin())),
        Some(path) => match Thesaurus::read_file(path) {
            Ok(groups) => {
                let mut t = Thesaurus::with_default();
                t.extend(groups);
                Ok(Ok(Arc::new(t)))
            }
            Err(errors) => {
                super::report_synonym_errors(&errors);
                Ok(Err(2))
            }
        },
    }
}
