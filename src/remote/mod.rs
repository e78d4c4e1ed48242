//! OpenSearch: the same search past one machine (issue 15).
//!
//! vigie does not translate its French analysis into OpenSearch's analysis
//! components: it sends, per paragraph, the terms its own analyzers give
//! ([`mapping`]), into fields that OpenSearch splits on whitespace only. A
//! query is read by vigie's parser ([`crate::search::query`]), analysed by
//! the same analyzers and written as OpenSearch query DSL ([`dsl`]); the
//! hits come back with their original text and are highlighted here, by
//! vigie's own highlighter ([`search`]). So the cluster holds the same
//! terms as the local index by construction; only the ranking differs
//! (OpenSearch's BM25 over whole paragraphs, not vigie's ranking rules).
//!
//! - [`client`]: the cluster's address, credentials, TLS, one HTTP call, and
//!   what each failure means ([`RemoteError`]);
//! - [`mapping`]: the index settings and mappings, and a paragraph as a
//!   JSON document;
//! - [`push`]: local index → cluster, incremental by statement hash;
//! - [`dsl`]: a parsed query → OpenSearch query DSL + highlight spec;
//! - [`search`]: run it, turn the answer into [`crate::search::SearchResults`];
//! - [`typo`]: the local typo correction, asked of the cluster.

pub mod client;
pub mod dsl;
pub mod mapping;
pub mod push;
pub mod search;
pub mod typo;

pub use client::{Client, Endpoint, RemoteError};
