//! The HTTP routes: the JSON API and the page's assets.
//!
//! Every `/api` route reads its options from the query string, checks
//! each against [`super::Limits`] and answers JSON; an error is JSON too,
//! `{"error": {"status": 400, "message": "…", "parameter": "n"}}`, with
//! the HTTP status: 400 a bad or unknown parameter, 404 an unknown
//! statement or route, 413 a query longer than the limit, 503 a search
//! over the time budget or no search slot free within it, 500 an index
//! that cannot be read. The shapes are described in
//! `src/serve/openapi.yaml`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{assets, AppState};
use crate::search::query::{date_interval, DATE_FORMS};
use crate::search::trend::{trend as trend_of, Period};
use crate::search::{SearchError, SearchOptions, Searcher, SortOrder};

/// All routes, over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(assets::page))
        .route("/app.js", get(assets::script))
        .route("/style.css", get(assets::style))
        .route("/favicon.svg", get(assets::icon))
        .route("/favicon.ico", get(assets::icon))
        .route("/api/openapi.yaml", get(assets::openapi))
        .route("/health", get(health))
        .route("/api/search", get(search))
        .route("/api/statements/{*id}", get(statement))
        .route("/api/trend", get(trend))
        .route("/api/stats", get(stats))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// An API error: its HTTP status, message and the parameter at fault.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    parameter: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            parameter: None,
        }
    }

    fn bad(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            parameter: Some(parameter.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "status": self.status.as_u16(),
            "message": self.message,
            "parameter": self.parameter,
        }});
        let mut response = (self.status, Json(body)).into_response();
        no_store(&mut response);
        response
    }
}

fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn ok(value: Value) -> Response {
    let mut response = Json(value).into_response();
    no_store(&mut response);
    response
}

/// The `name=value` pairs of a query string (`application/x-www-form-
/// urlencoded`: `+` is a space, `%XX` a byte), refusing a name or value
/// whose bytes are not UTF-8 instead of replacing them, which would search
/// something else than what was sent.
fn decode_query(raw: &str) -> Result<Vec<(String, String)>, ApiError> {
    let decode = |part: &str, what: &str| -> Result<String, ApiError> {
        let spaced = part.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| {
                ApiError::bad(
                    what,
                    format!("{what}: its percent-encoded bytes are not UTF-8"),
                )
            })
    };
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name, "a parameter name")?;
            let value = decode(value, &name)?;
            Ok((name, value))
        })
        .collect()
}

/// The query string's parameters, checked one by one.
struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of `query`, refusing any not in `known` and any
    /// given twice (a silently ignored parameter would widen the result).
    fn read(query: Option<String>, known: &[&'static str]) -> Result<Params, ApiError> {
        let pairs = decode_query(query.as_deref().unwrap_or(""))?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            let Some(&known_name) = known.iter().find(|k| *k == name) else {
                let expected = if known.is_empty() {
                    "this route takes none".to_string()
                } else {
                    format!("expected one of: {}", known.join(", "))
                };
                return Err(ApiError::bad(
                    name,
                    format!("unknown parameter {name:?} ({expected})"),
                ));
            };
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(ApiError::bad(known_name, format!("{name} is given twice")));
            }
        }
        Ok(Params(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A count between 0 and `max`, `default` when absent.
    fn count(&self, name: &'static str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        let n: usize = v
            .trim()
            .parse()
            .map_err(|_| ApiError::bad(name, format!("{name}={v:?}: not a whole number")))?;
        if n > max {
            return Err(ApiError::bad(name, format!("{name}={n}: at most {max}")));
        }
        Ok(n)
    }

    /// `true`, `1`, `yes`, `on` or an empty value; `false`, `0`, `no`,
    /// `off` (in any case); false when absent.
    fn flag(&self, name: &'static str) -> Result<bool, ApiError> {
        let value = self.get(name).map(|v| v.trim().to_ascii_lowercase());
        match value.as_deref() {
            None => Ok(false),
            Some("" | "true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(_) => Err(ApiError::bad(
                name,
                format!(
                    "{name}={:?}: expected true or false (or 1/0, yes/no, on/off)",
                    self.get(name).unwrap_or_default()
                ),
            )),
        }
    }

    /// A date in any form of `vigie search --since` (the first day of
    /// the period, or its last with `end`).
    fn date(&self, name: &'static str, end: bool) -> Result<Option<jiff::civil::Date>, ApiError> {
        let Some(v) = self.get(name).filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        match date_interval(v) {
            Some((first, last)) => Ok(Some(if end { last } else { first })),
            None => Err(ApiError::bad(
                name,
                format!("{name}={v:?}: not a date vigie reads (a day that exists, written {DATE_FORMS})"),
            )),
        }
    }

    /// The query `q` (required) and the `source` filter (words of the
    /// statements' source, if given), together within `max` bytes.
    fn query(&self, max: usize) -> Result<(String, Option<String>), ApiError> {
        let q = self.get("q").unwrap_or_default();
        if crate::search::query::is_blank_query(q) {
            return Err(ApiError::bad("q", "q: the query is missing or empty"));
        }
        let source = self.get("source").filter(|s| !s.trim().is_empty());
        let length = q.len() + source.map_or(0, str::len);
        if length > max {
            return Err(ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: format!(
                    "the query{} is {length} bytes long, at most {max}",
                    if source.is_some() {
                        " with its source"
                    } else {
                        ""
                    }
                ),
                parameter: Some(if q.len() > max { "q" } else { "source" }.into()),
            });
        }
        if let Some(s) = source {
            if !s.chars().any(char::is_alphanumeric) {
                return Err(ApiError::bad(
                    "source",
                    format!("source={s:?}: no word to look for in the statements' sources"),
                ));
            }
        }
        Ok((
            q.to_string(),
            source.map(|s| s.replace('"', " ").trim().to_string()),
        ))
    }

    /// The filters shared by search and trend: since, until, lang, exact.
    fn filters(&self) -> Result<SearchOptions, ApiError> {
        let since = self.date("since", false)?;
        let until = self.date("until", true)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(ApiError::bad(
                    "since",
                    format!("since {s} is after until {u}: no date can match"),
                ));
            }
        }
        let lang = match self.get("lang").map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => Some(crate::search::lang_code(l).ok_or_else(|| {
                ApiError::bad(
                    "lang",
                    format!("lang={l:?}: expected a two-letter language code (fr, en)"),
                )
            })?),
        };
        Ok(SearchOptions {
            since,
            until,
            lang,
            exact: self.flag("exact")?,
            strict: self.flag("strict")?,
            ..SearchOptions::default()
        })
    }
}

/// The 503 of a request past its time budget, `who` (the server or the
/// cluster) being busy.
fn over_budget(budget: std::time::Duration, who: &str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "over the time budget of {} ms: the {who} is busy or the query too broad; try again or narrow it",
            budget.as_millis()
        ),
    )
}

/// Runs `work` on the current searcher on a blocking thread, within the
/// time budget (503 past it, or when no search slot frees up in time). A
/// search that lost its files to a rebuild's swap runs once more on the
/// new index.
async fn run_search<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl Fn(&Searcher) -> Result<T, SearchError> + Send + 'static,
) -> Result<T, ApiError> {
    let budget = state.limits().time_budget;
    let deadline = tokio::time::Instant::now() + budget;
    let busy = || over_budget(budget, "server");
    let slots = Arc::clone(&state.slots);
    let permit = tokio::time::timeout_at(deadline, slots.acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping"))?;
    let state = Arc::clone(state);
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let (searcher, _) = state.searcher();
        match work(&searcher) {
            Err(SearchError::Tantivy(e)) if files_gone(&e) && state.reload_if_changed() => {
                work(&state.searcher().0)
            }
            other => other,
        }
    });
    match tokio::time::timeout_at(deadline, task).await {
        Err(_) => Err(busy()),
        Ok(Err(join)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the search failed: {join}"),
        )),
        Ok(Ok(result)) => result.map_err(search_error),
    }
}

/// Runs `work` (a request to the cluster) on a blocking thread, within
/// the time budget and a search slot, as [`run_search`] does; a cluster
/// error is a 502 naming the cluster (never its password).
async fn run_on_cluster<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&super::Cluster) -> Result<T, crate::remote::RemoteError> + Send + 'static,
) -> Result<T, ApiError> {
    let Some(cluster) = state.cluster().cloned() else {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "no cluster configured",
        ));
    };
    let budget = state.limits().time_budget;
    let deadline = tokio::time::Instant::now() + budget;
    let busy = || over_budget(budget, "cluster");
    let permit = tokio::time::timeout_at(deadline, Arc::clone(&state.slots).acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping"))?;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&cluster).map_err(|e| (cluster.name.clone(), e))
    });
    match tokio::time::timeout_at(deadline, task).await {
        Err(_) => Err(busy()),
        Ok(Err(join)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the search failed: {join}"),
        )),
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err((name, crate::remote::RemoteError::Server { status: 404, .. })))) => {
            Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                format!("the cluster has no index {name}: push it first (vigie push --opensearch URL --name {name})"),
            ))
        }
        Ok(Ok(Err((_, e)))) => Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            crate::remote::client::redact_text(&e.to_string()),
        )),
    }
}

/// The 501 of a route the cluster backend does not serve.
fn not_on_cluster(route: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        format!(
            "{route} is not available with the cluster backend (vigie serve --opensearch): \
             it reads the local index; use vigie serve without --opensearch"
        ),
    )
}

/// The Tantivy errors of index files gone or damaged under a reader.
fn files_gone(e: &tantivy::TantivyError) -> bool {
    matches!(
        e,
        tantivy::TantivyError::DataCorruption(_) | tantivy::TantivyError::OpenReadError(_)
    )
}

fn search_error(e: SearchError) -> ApiError {
    match e {
        SearchError::Syntax(notes) => ApiError::bad(
            "q",
            notes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
    }
}

fn notes_json(notes: &[crate::search::query::QueryNote]) -> Value {
    notes
        .iter()
        .map(|n| json!({"position": n.position, "message": n.message}))
        .collect()
}

/// `GET /api/search`.
async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    const KNOWN: &[&str] = &[
        "q",
        "n",
        "offset",
        "since",
        "until",
        "lang",
        "source",
        "sort",
        "exact",
        "parallel",
        "docs",
        "context",
        "strict",
        "all_words",
        "explain",
    ];
    let p = Params::read(query, KNOWN)?;
    let limits = state.limits().clone();
    let (q, source) = p.query(limits.max_query_bytes)?;
    let asked = q.clone();
    let q = match source {
        Some(s) => format!("({q}) source:\"{s}\""),
        None => q,
    };
    let sort = match p.get("sort").map(str::trim) {
        None | Some("" | "score") => SortOrder::Score,
        Some("date") => SortOrder::Date,
        Some(v) => {
            return Err(ApiError::bad(
                "sort",
                format!("sort={v:?}: expected score or date"),
            ))
        }
    };
    let options = SearchOptions {
        limit: p.count("n", 10, limits.max_page)?,
        offset: p.count("offset", 0, limits.max_offset)?,
        context: p.count("context", 0, limits.max_context)?,
        sort,
        parallel: p.flag("parallel")?,
        group_by_statement: p.flag("docs")?,
        all_words: p.flag("all_words")?,
        ..p.filters()?
    };
    let explain = p.flag("explain")?;
    let query_text = q.clone();
    let results = if state.cluster().is_some() {
        if options.parallel {
            return Err(ApiError {
                status: StatusCode::NOT_IMPLEMENTED,
                message: "parallel is not available with the cluster backend \
                          (vigie serve --opensearch)"
                    .to_string(),
                parameter: Some("parallel".to_string()),
            });
        }
        let strict = options.strict;
        let results = run_on_cluster(&state, move |c| {
            let remote = crate::remote::search::RemoteSearch {
                name: c.name.clone(),
                limit: options.limit,
                offset: options.offset,
                by_date: options.sort == SortOrder::Date,
                count_statements: false,
                context: options.context,
                group_by_statement: options.group_by_statement,
                filters: crate::remote::dsl::Filters {
                    since: options.since,
                    until: options.until,
                    lang: options.lang.clone(),
                },
                thesaurus: Some(Arc::clone(&c.thesaurus)),
                synonyms: !options.exact,
            };
            crate::remote::search::search(&c.client, &query_text, &remote)
        })
        .await?;
        if strict && !results.notes.is_empty() {
            return Err(search_error(SearchError::Syntax(results.notes)));
        }
        results
    } else {
        run_search(&state, move |s| s.search(&query_text, &options)).await?
    };
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            let mut v = serde_json::to_value(h).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut v {
                map.insert("type".to_string(), json!("hit"));
            }
            v
        })
        .collect();
    let mut body = json!({
        "query": asked,
        "total": results.total,
        "partial": results.partial,
        "statements": results.statements,
        "returned": hits.len(),
        "elapsed_ms": (results.search_micros + results.fetch_micros) as f64 / 1000.0,
        "notes": notes_json(&results.notes),
        "hits": hits,
    });
    if explain {
        body["explain"] = json!(results.explain);
    }
    Ok(ok(body))
}

/// `GET /api/statements/{id}`.
async fn statement(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    if state.cluster().is_some() {
        return Err(not_on_cluster("/api/statements"));
    }
    let Path(id) = id.map_err(|e| ApiError::bad("id", format!("id: {}", e.body_text())))?;
    if id.len() > crate::corpus::jsonl::MAX_ID_BYTES {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no statement has so long an id",
        ));
    }
    let wanted = id.clone();
    match run_search(&state, move |s| s.statement(&wanted)).await? {
        Some(st) => Ok(ok(serde_json::to_value(st).unwrap_or(Value::Null))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no statement with id {id:?}"),
        )),
    }
}

/// `GET /api/trend`.
async fn trend(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    const KNOWN: &[&str] = &[
        "q", "by", "since", "until", "lang", "source", "exact", "strict",
    ];
    if state.cluster().is_some() {
        return Err(not_on_cluster("/api/trend"));
    }
    let p = Params::read(query, KNOWN)?;
    let (q, source) = p.query(state.limits().max_query_bytes)?;
    let by = match p.get("by").map(str::trim) {
        None | Some("" | "year") => Period::Year,
        Some("month") => Period::Month,
        Some(v) => {
            return Err(ApiError::bad(
                "by",
                format!("by={v:?}: expected year or month"),
            ))
        }
    };
    let options = p.filters()?;
    let t = run_search(&state, move |s| {
        trend_of(s, &q, by, &options, source.as_deref())
    })
    .await?;
    let mut body = serde_json::to_value(&t).unwrap_or(Value::Null);
    body["notes"] = notes_json(&t.notes);
    Ok(ok(body))
}

/// `GET /api/stats`: the figures of `vigie stats`, without the paths of
/// the source files (the server may be reached from other machines).
async fn stats(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::read(query, &[])?;
    if state.cluster().is_some() {
        return Err(not_on_cluster("/api/stats"));
    }
    let (searcher, generation) = state.searcher();
    let handle = searcher.handle().clone();
    let dir = handle.dir.display().to_string();
    let failed = |message: String| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "the index can no longer be read ({}); searches use the last commit read",
                message.replace(&dir, "the index")
            ),
        )
    };
    let s = tokio::task::spawn_blocking(move || handle.stats())
        .await
        .map_err(|e| failed(e.to_string()))?
        .map_err(|e| failed(e.to_string()))?;
    Ok(ok(json!({
        "statements": s.statements,
        "paragraphs": s.paragraphs,
        "segments": s.segments,
        "size_bytes": s.size_bytes,
        "schema_version": s.schema_version,
        "analyzer_version": s.analyzer_version,
        "stemmer": s.stemmer,
        "last_commit": s.last_commit,
        "source_files": s.sources.len(),
        "synonym_groups": s.synonym_groups,
        "generation": generation,
    })))
}

/// `GET /health`.
async fn health(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    if let Err(e) = Params::read(query, &[]) {
        return e.into_response();
    }
    let (_, generation) = state.searcher();
    if let Some(cluster) = state.cluster() {
        let url = cluster.client.endpoint().redacted();
        let name = cluster.name.clone();
        let asked = run_on_cluster(&state, move |c| {
            c.client
                .json("GET", &format!("/{}/_count", c.name), &json!({}), false)
        })
        .await;
        return match asked {
            Ok(answer) => ok(json!({
                "status": "ok",
                "backend": "opensearch",
                "cluster": url,
                "index": name,
                "paragraphs": answer.body.get("count"),
            })),
            Err(e) => {
                let mut response = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(json!({
                        "status": "unreachable",
                        "backend": "opensearch",
                        "cluster": url,
                        "index": name,
                        "message": e.message,
                    })),
                )
                    .into_response();
                no_store(&mut response);
                response
            }
        };
    }
    if state.index_readable() {
        return ok(json!({"status": "ok", "generation": generation}));
    }
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({
            "status": "degraded",
            "generation": generation,
            "message": "the index directory can no longer be read (moved, removed or \
                        unreadable); searches use the last commit read",
        })),
    )
        .into_response();
    no_store(&mut response);
    response
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no such page or route: {}", uri.path()),
    )
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} {}: only GET (and HEAD) are served", method, uri.path()),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}
