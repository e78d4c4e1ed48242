//! `vigie push`: the statements of the local index → the cluster,
//! incrementally.
//!
//! The local index is the source: each live statement is read with its
//! paragraphs and metadata and hashed (XXH64 over every pushed field, the
//! mapping and analyzer versions included). The companion index
//! `NAME-vigie-meta` holds, per statement, the hash of what the cluster
//! acknowledged. A push sends only the statements whose hash differs
//! (then deletes the paragraphs they no longer have, so a statement that
//! lost paragraphs loses them remotely too), deletes the paragraphs of
//! statements no longer in the local index, and records a statement's
//! hash only after every one of its paragraphs was acknowledged: a push
//! interrupted at any point is finished by the next one, and a statement
//! with a rejected paragraph is sent again. Bulk requests are NDJSON of at
//! most [`BATCH_BYTES`]; each rejected document is reported with its id and
//! the server's reason. Nothing is written to the local index.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{json, Value};
use tantivy::schema::Value as _;
use tantivy::{DocAddress, TantivyDocument};

use super::client::{block_reason, Client, RemoteError};
use super::mapping::{
    index_body, meta_index_body, paragraph_doc, paragraph_key, statement_key, Analyzers,
    StatementMeta, MAPPING_VERSION,
};
use crate::index::IndexHandle;

/// Largest NDJSON body of one bulk request, in bytes (a statement is never
/// split: a larger one goes alone).
pub const BATCH_BYTES: usize = 4 << 20;

/// How a push goes.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Name of the paragraph index (the hash index is `NAME-vigie-meta`).
    pub name: String,
    /// Primary shards of a new index.
    pub shards: u32,
    /// Replicas of each shard of a new index.
    pub replicas: u32,
    /// Delete both indexes first and push everything.
    pub recreate: bool,
}

/// One document the cluster refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Its document id (`statement#paragraph`).
    pub id: String,
    /// The server's reason (`type: reason`).
    pub reason: String,
}

/// What a push did.
#[derive(Debug, Clone, Default)]
pub struct PushSummary {
    /// Whether the paragraph index was created by this push.
    pub created: bool,
    /// Statements in the local index.
    pub statements: usize,
    /// Statements sent (new or changed).
    pub sent: usize,
    /// Paragraphs sent.
    pub paragraphs: usize,
    /// Statements already on the cluster with the same hash.
    pub unchanged: usize,
    /// Statements deleted from the cluster (no longer in the local index).
    pub removed: usize,
    /// Documents the cluster refused; their statements' hashes are not
    /// recorded, so the next push sends them again.
    pub rejected: Vec<Rejected>,
    /// Bytes of NDJSON sent for paragraphs.
    pub bytes: usize,
}

/// The name of the hash index of paragraph index `name`.
pub fn meta_name(name: &str) -> String {
    format!("{name}-vigie-meta")
}

/// Whether `name` is an index name OpenSearch accepts: lowercase, not
/// starting with `-`, `_` or `+`, none of `\ / * ? " < > | , # :` or spaces,
/// not `.` or `..`, at most 200 bytes.
pub fn valid_index_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && !name.starts_with(['-', '_', '+'])
        && !name
            .chars()
            .any(|c| c.is_uppercase() || c.is_whitespace() || "\\/*?\"<>|,#:".contains(c))
}

/// One statement read from the local index.
#[derive(Debug, Clone, Default)]
pub struct LocalStatement {
    /// Its metadata.
    pub meta: StatementMeta,
    /// `(number, text)` of each paragraph, in order.
    pub paragraphs: Vec<(u64, String)>,
}

impl LocalStatement {
    /// The content hash of everything pushed for this statement, as
    /// 16 hex digits.
    pub fn hash(&self) -> String {
        let mut h = crate::index::Xxh64::new();
        let mut put = |s: &str| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        put(&format!(
            "vigie-remote {MAPPING_VERSION} {}",
            crate::analysis::ANALYZER_VERSION
        ));
        let m = &self.meta;
        put(&m.id);
        put(&m.title);
        for v in [&m.date, &m.reference, &m.source, &m.url] {
            put(v.as_deref().unwrap_or("\u{0}"));
        }
        put(&m.lang);
        for (n, text) in &self.paragraphs {
            put(&n.to_string());
            put(text);
        }
        format!("{:016x}", h.digest())
    }
}

/// Reads every live statement of the local index, grouped (a statement's
/// paragraphs are contiguous in one segment), and calls `each` on them in
/// index order, with the number of paragraphs read so far.
///
/// # Errors
/// Tantivy errors reading stored documents.
pub fn read_statements(
    handle: &IndexHandle,
    mut each: impl FnMut(LocalStatement, u64) -> Result<(), RemoteError>,
) -> Result<(), PushError> {
    let reader = handle.index.reader()?;
    let searcher = reader.searcher();
    let f = handle.fields;
    let str_of = |d: &TantivyDocument, field| {
        d.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let mut current: Option<LocalStatement> = None;
    let mut done_ids: HashSet<String> = HashSet::new();
    let mut read = 0u64;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc_id in segment.doc_ids_alive() {
            let d: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc_id))?;
            read += 1;
            let id = str_of(&d, f.doc_id).unwrap_or_default();
            let number = d
                .get_first(f.paragraph)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let text = str_of(&d, f.text).unwrap_or_default();
            if current.as_ref().is_some_and(|s| s.meta.id != id) {
                if let Some(done) = current.take() {
                    done_ids.insert(done.meta.id.clone());
                    each(done, read - 1)?;
                }
            }
            // vigie adds a statement's paragraphs in one batch: they are
            // contiguous. Sending a statement in two parts would replace
            // the first with the second.
            if current.is_none() && done_ids.contains(&id) {
                return Err(PushError::Split(id));
            }
            let statement = current.get_or_insert_with(|| LocalStatement {
                meta: StatementMeta {
                    id: id.clone(),
                    title: str_of(&d, f.title).unwrap_or_default(),
                    date: d
                        .get_first(f.date)
                        .and_then(|v| v.as_datetime())
                        .and_then(crate::index::from_tantivy_date)
                        .map(|date| date.to_string()),
                    reference: str_of(&d, f.reference),
                    lang: str_of(&d, f.lang).unwrap_or_default(),
                    source: str_of(&d, f.source),
                    url: str_of(&d, f.url),
                },
                paragraphs: Vec::new(),
            });
            statement.paragraphs.push((number, text));
        }
    }
    if let Some(done) = current.take() {
        each(done, read)?;
    }
    Ok(())
}

/// Errors of a push: the cluster's, or the local index's.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The cluster failed or refused.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// The local index could not be read.
    #[error("reading the local index: {0}")]
    Local(#[from] tantivy::TantivyError),
    /// The remote index exists but was not made by this version of vigie.
    #[error("index {name} on {url} was not made by this vigie (mapping {found}, expected {MAPPING_VERSION}); push with --recreate to replace it, or pick another --name")]
    Foreign {
        /// The index name.
        name: String,
        /// The cluster URL, password hidden.
        url: String,
        /// The mapping version found, or `none`.
        found: String,
    },
    /// A statement's paragraphs are not contiguous in the local index.
    #[error("statement {0:?} is not stored in one piece in the local index; rebuild it (vigie index --rebuild) and push again")]
    Split(String),
    /// `--name` is not a valid index name.
    #[error("--name {0:?}: not an OpenSearch index name (lowercase letters, digits, `-`, `_`, `.`; not starting with `-`, `_` or `+`)")]
    BadName(String),
}

/// Creates the index and its hash index when missing (deleting both first
/// with `recreate`); returns whether the paragraph index was created.
fn prepare(client: &Client, options: &PushOptions) -> Result<bool, PushError> {
    let meta = meta_name(&options.name);
    let name = &options.name;
    if options.recreate {
        for index in [name.as_str(), meta.as_str()] {
            client.call("DELETE", &format!("/{index}"), None, true)?;
        }
    }
    let existing = client.call("GET", &format!("/{name}/_mapping"), None, true)?;
    let created = existing.status == 404;
    if created {
        client.json(
            "PUT",
            &format!("/{name}"),
            &index_body(options.shards, options.replicas),
            false,
        )?;
    } else {
        let version = existing
            .body
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.pointer("/mappings/_meta/vigie_mapping"))
            .and_then(Value::as_u64);
        if version != Some(MAPPING_VERSION) {
            return Err(PushError::Foreign {
                name: name.clone(),
                url: client.endpoint().redacted(),
                found: version.map_or("none".to_string(), |v| v.to_string()),
            });
        }
    }
    let meta_exists = client.call("HEAD", &format!("/{meta}"), None, true)?;
    if meta_exists.status == 404 {
        client.json(
            "PUT",
            &format!("/{meta}"),
            &meta_index_body(options.shards, options.replicas),
            false,
        )?;
    }
    // Wait until the primaries can take writes. A user allowed to write
    // the index but not to read the cluster's health goes on without.
    match client.call(
        "GET",
        &format!("/_cluster/health/{name},{meta}?wait_for_status=yellow&timeout=60s"),
        None,
        false,
    ) {
        Ok(_) | Err(RemoteError::Unauthorized { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(created)
}

/// The recorded hash of every statement on the cluster, by statement id.
///
/// # Errors
/// The cluster's errors.
pub fn remote_hashes(client: &Client, name: &str) -> Result<HashMap<String, String>, RemoteError> {
    let meta = meta_name(name);
    client.call("POST", &format!("/{meta}/_refresh"), None, true)?;
    let mut out = HashMap::new();
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({
            "size": 5000,
            "sort": [{"statement_id": "asc"}],
            "_source": ["statement_id", "hash"],
            "query": {"match_all": {}}
        });
        if let Some(a) = &after {
            body["search_after"] = a.clone();
        }
        let answer = client.json("POST", &format!("/{meta}/_search"), &body, true)?;
        if answer.status == 404 {
            return Ok(out);
        }
        let hits = answer
            .body
            .pointer("/hits/hits")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if hits.is_empty() {
            return Ok(out);
        }
        for hit in &hits {
            let id = hit.pointer("/_source/statement_id").and_then(Value::as_str);
            let hash = hit.pointer("/_source/hash").and_then(Value::as_str);
            if let (Some(id), Some(hash)) = (id, hash) {
                out.insert(id.to_string(), hash.to_string());
            }
        }
        after = hits.last().and_then(|h| h.get("sort")).cloned();
    }
}

/// Statements waiting to be sent, as one bulk body.
#[derive(Default)]
struct Batch {
    ndjson: Vec<u8>,
    /// `(statement id, hash, had a recorded hash, paragraph numbers)`.
    statements: Vec<(String, String, bool, Vec<u64>)>,
    paragraphs: usize,
}

/// Deletes every paragraph matching `query`: its ids are searched (5,000
/// at a time) and deleted with bulk requests, until none is left. (Not
/// `_delete_by_query`, which needs the reindex module.)
fn delete_matching(client: &Client, name: &str, query: &Value) -> Result<(), RemoteError> {
    client.call("POST", &format!("/{name}/_refresh"), None, false)?;
    loop {
        let answer = client.json(
            "POST",
            &format!("/{name}/_search"),
            &json!({"size": 5000, "_source": false, "query": query}),
            false,
        )?;
        let ids: Vec<String> = answer
            .body
            .pointer("/hits/hits")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| h.get("_id").and_then(Value::as_str).map(str::to_string))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let lines: Vec<Value> = ids
            .iter()
            .map(|id| json!({"delete": {"_id": id}}))
            .collect();
        let answer = client.ndjson(
            "POST",
            &format!("/{name}/_bulk?refresh=true"),
            &lines,
            false,
        )?;
        bulk_failures(client, &answer.body)?;
    }
}

/// Deletes the paragraphs of changed statements that their new version
/// does not have: `(statement id, paragraph numbers kept)`.
fn delete_stale(client: &Client, name: &str, kept: &[(&str, &[u64])]) -> Result<(), RemoteError> {
    for chunk in kept.chunks(500) {
        let should: Vec<Value> = chunk
            .iter()
            .map(|(id, numbers)| {
                json!({"bool": {"filter": [{"term": {"statement_id": id}}],
                                "must_not": [{"terms": {"paragraph": numbers}}]}})
            })
            .collect();
        delete_matching(
            client,
            name,
            &json!({"bool": {"should": should, "minimum_should_match": 1}}),
        )?;
    }
    Ok(())
}

/// Deletes every paragraph of the statements `ids` (and nothing else).
fn delete_statements(client: &Client, name: &str, ids: &[String]) -> Result<(), RemoteError> {
    for chunk in ids.chunks(1000) {
        delete_matching(client, name, &json!({"terms": {"statement_id": chunk}}))?;
    }
    Ok(())
}

/// The rejected items of a bulk answer; a cluster block ends the push.
fn bulk_failures(client: &Client, answer: &Value) -> Result<Vec<Rejected>, RemoteError> {
    let mut rejected = Vec::new();
    if answer.get("errors").and_then(Value::as_bool) != Some(true) {
        return Ok(rejected);
    }
    for item in answer
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(op) = item.as_object().and_then(|o| o.values().next()) else {
            continue;
        };
        let Some(error) = op.get("error") else {
            continue;
        };
        if let Some(reason) = block_reason(error) {
            return Err(RemoteError::Blocked {
                url: client.endpoint().redacted(),
                reason,
            });
        }
        let kind = error.get("type").and_then(Value::as_str).unwrap_or("error");
        let reason = error
            .get("reason")
            .and_then(Value::as_str)
            .unwrap_or("(no reason given)");
        rejected.push(Rejected {
            id: op
                .get("_id")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
            reason: format!("{kind}: {reason}"),
        });
    }
    Ok(rejected)
}

/// Sends one batch: indexes the paragraphs (replacing those with the same
/// key), then deletes the paragraphs that changed statements no longer
/// have, then records the hashes of the statements whose paragraphs were
/// all acknowledged. A write block stops it before anything is deleted,
/// so the cluster keeps the old version of what it could not replace.
fn flush(
    client: &Client,
    name: &str,
    batch: &mut Batch,
    summary: &mut PushSummary,
) -> Result<(), RemoteError> {
    if batch.statements.is_empty() {
        return Ok(());
    }
    let answer = client.call(
        "POST",
        &format!("/{name}/_bulk"),
        Some(("application/x-ndjson", &batch.ndjson)),
        false,
    )?;
    let rejected = bulk_failures(client, &answer.body)?;
    let failed: HashSet<String> = rejected
        .iter()
        .filter_map(|r| r.id.rsplit_once('#').map(|(s, _)| s.to_string()))
        .collect();
    let kept: Vec<(&str, &[u64])> = batch
        .statements
        .iter()
        .filter(|s| s.2 && !failed.contains(&statement_key(&s.0)))
        .map(|s| (s.0.as_str(), s.3.as_slice()))
        .collect();
    delete_stale(client, name, &kept)?;
    let mut meta = Vec::new();
    for (id, hash, _, _) in &batch.statements {
        if failed.contains(&statement_key(id)) {
            continue;
        }
        meta.push(json!({"index": {"_id": statement_key(id)}}));
        meta.push(json!({"statement_id": id, "hash": hash}));
    }
    if !meta.is_empty() {
        let answer = client.ndjson("POST", &format!("/{}/_bulk", meta_name(name)), &meta, false)?;
        // A hash not recorded only means the statement is sent again.
        bulk_failures(client, &answer.body)?;
    }
    summary.sent += batch.statements.len();
    summary.paragraphs += batch.paragraphs;
    summary.bytes += batch.ndjson.len();
    summary.rejected.extend(rejected);
    *batch = Batch::default();
    Ok(())
}

/// Pushes the local index `handle` to the cluster of `client` (see the
/// module docs); `progress` is called with the paragraphs read so far and
/// the total.
///
/// # Errors
/// [`PushError::Remote`] (unreachable, refused credentials, a cluster
/// block: what was acknowledged before stays recorded),
/// [`PushError::Local`], [`PushError::Foreign`], [`PushError::BadName`].
pub fn push(
    client: &Client,
    handle: &IndexHandle,
    options: &PushOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<PushSummary, PushError> {
    if !valid_index_name(&options.name) {
        return Err(PushError::BadName(options.name.clone()));
    }
    let name = options.name.as_str();
    let mut summary = PushSummary {
        created: prepare(client, options)?,
        ..PushSummary::default()
    };
    let remote = remote_hashes(client, name)?;
    let total = handle.index.reader()?.searcher().num_docs();
    let mut seen: HashSet<String> = HashSet::new();
    let mut batch = Batch::default();
    let mut analyzers = Analyzers::default();
    read_statements(handle, |statement, read| {
        progress(read, total);
        summary.statements += 1;
        let id = statement.meta.id.clone();
        seen.insert(id.clone());
        let hash = statement.hash();
        let recorded = remote.get(&id);
        if recorded == Some(&hash) {
            summary.unchanged += 1;
            return Ok(());
        }
        let mut lines = Vec::new();
        for (number, text) in &statement.paragraphs {
            let action = json!({"index": {"_id": paragraph_key(&id, *number)}});
            lines.extend_from_slice(action.to_string().as_bytes());
            lines.push(b'\n');
            let doc = paragraph_doc(&mut analyzers, &statement.meta, *number, text);
            lines.extend_from_slice(doc.to_string().as_bytes());
            lines.push(b'\n');
        }
        if !batch.ndjson.is_empty() && batch.ndjson.len() + lines.len() > BATCH_BYTES {
            flush(client, name, &mut batch, &mut summary)?;
        }
        batch.ndjson.extend_from_slice(&lines);
        batch.paragraphs += statement.paragraphs.len();
        let numbers = statement.paragraphs.iter().map(|p| p.0).collect();
        batch
            .statements
            .push((id, hash, recorded.is_some(), numbers));
        Ok(())
    })?;
    flush(client, name, &mut batch, &mut summary)?;
    // Statements gone from the local index.
    let gone: Vec<String> = remote
        .keys()
        .filter(|id| !seen.contains(*id))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !gone.is_empty() {
        delete_statements(client, name, &gone)?;
        for chunk in gone.chunks(5000) {
            let lines: Vec<Value> = chunk
                .iter()
                .map(|id| json!({"delete": {"_id": statement_key(id)}}))
                .collect();
            let answer = client.ndjson(
                "POST",
                &format!("/{}/_bulk", meta_name(name)),
                &lines,
                false,
            )?;
            bulk_failures(client, &answer.body)?;
        }
        summary.removed = gone.len();
    }
    for index in [name.to_string(), meta_name(name)] {
        client.call("POST", &format!("/{index}/_refresh"), None, false)?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names() {
        for good in ["vigie", "vigie-2026.12", "a_b"] {
            assert!(valid_index_name(good), "{good}");
        }
        for bad in ["", "Vigie", "-x", "_x", "a b", "a/b", "a:b", ".", "a#b"] {
            assert!(!valid_index_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_statement_hash_changes_with_any_pushed_field() {
        let base = LocalStatement {
            meta: StatementMeta {
                id: "s".into(),
                title: "T".into(),
                lang: "fr".into(),
                ..StatementMeta::default()
            },
            paragraphs: vec![(1, "un".into()), (2, "deux".into())],
        };
        let h = base.hash();
        assert_eq!(h.len(), 16);
        assert_eq!(h, base.clone().hash());
        let mut other = base.clone();
        other.paragraphs[1].1 = "trois".into();
        assert_ne!(other.hash(), h);
        let mut other = base.clone();
        other.meta.date = Some("2021-01-01".into());
        assert_ne!(other.hash(), h);
        // Moving text between fields is a change too.
        let mut a = base.clone();
        a.paragraphs = vec![(1, "ab".into())];
        let mut b = base.clone();
        b.paragraphs = vec![(1, "a".into()), (2, "b".into())];
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn bulk_items_are_reported_with_id_and_reason() {
        let answer = json!({"errors": true, "items": [
            {"index": {"_id": "s#1", "status": 201}},
            {"index": {"_id": "s#2", "status": 400, "error": {"type": "mapper_parsing_exception", "reason": "failed to parse field [date]"}}}
        ]});
        let client = Client::new(
            super::super::Endpoint::parse("http://127.0.0.1:9").unwrap(),
            None,
        )
        .unwrap();
        let rejected = bulk_failures(&client, &answer).unwrap();
        assert_eq!(
            rejected,
            vec![Rejected {
                id: "s#2".into(),
                reason: "mapper_parsing_exception: failed to parse field [date]".into()
            }]
        );
        let blocked = json!({"errors": true, "items": [
            {"index": {"_id": "s#1", "status": 429, "error": {"type": "cluster_block_exception", "reason": "flood-stage watermark"}}}
        ]});
        assert!(matches!(
            bulk_failures(&client, &blocked),
            Err(RemoteError::Blocked { .. })
        ));
    }
}
