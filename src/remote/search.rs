//! `vigie search --opensearch`: a translated query run on the cluster,
//! the answer turned into vigie's [`SearchResults`].
//!
//! The hits' original text comes back from `_source` and is highlighted
//! here by vigie's highlighter ([`HighlightSpec::ranges`]), with the words
//! of `word*` and `word~N` parts found in the text itself, so highlights
//! are the local ones. A hit that holds some run of words only through
//! a synonym (or a related concept) is marked `via` as locally, from the
//! names of the clauses it matched (`matched_queries`, see
//! [`super::dsl::via`]). Without `--exact`, a query with words that may
//! be typos is sent with the check of [`super::typo`] in one `_msearch`,
//! and sent again rewritten when a word is corrected, with the local
//! note. Every hit holds every part of the query (the
//! cluster search is `--all-words`): `total` is the cluster's exact hit
//! count, `partial` is 0. Hits are ordered by OpenSearch's BM25 score,
//! ties by statement id then paragraph number, or newest first with
//! `--sort date`. `--count` also counts statements (a `cardinality`
//! aggregation, exact below 40,000 statements). `-C N` fetches the
//! neighbouring paragraphs with one more request per hit. `--docs`
//! collapses the hits on the statement (its best paragraph) and counts
//! each statement's matching paragraphs with one `terms` aggregation.

use std::collections::HashSet;
use std::time::Instant;

use serde_json::{json, Value};

use super::client::{Client, RemoteError};
use super::dsl::{translate_corrected, translate_with, via, Filters, Translation};
use super::typo;
use crate::analysis;
use crate::search::highlight::HighlightSpec;
use crate::search::{Hit, Neighbour, SearchResults};

/// What to fetch.
#[derive(Debug, Clone, Default)]
pub struct RemoteSearch {
    /// Paragraph index name.
    pub name: String,
    /// Hits to return.
    pub limit: usize,
    /// Best hits to skip.
    pub offset: usize,
    /// Newest statement first instead of best score first.
    pub by_date: bool,
    /// Also count matching statements.
    pub count_statements: bool,
    /// Neighbouring paragraphs on each side of a hit.
    pub context: usize,
    /// One hit per statement (its best paragraph), with the number of its
    /// matching paragraphs (`--docs`).
    pub group_by_statement: bool,
    /// Dates and language.
    pub filters: Filters,
    /// The thesaurus of the search (ambiguous acronyms, synonyms); none:
    /// as `--exact`.
    pub thesaurus: Option<std::sync::Arc<crate::thesaurus::Thesaurus>>,
    /// Whether words that name a thesaurus entry also search its synonyms
    /// (the local search without `--exact`).
    pub synonyms: bool,
}

/// Most hits one request may page to (OpenSearch's default
/// `index.max_result_window`).
pub const MAX_WINDOW: usize = 10_000;

/// Whether two words are within `max` edits (Levenshtein, by characters).
fn within_edits(a: &str, b: &str, max: u8) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()] <= max
}

/// The highlight ranges of `text` for a hit in `lang`: the language's
/// spec, plus the words of the text that a prefix or fuzzy part matched.
pub fn highlights(t: &Translation, lang: &str, text: &str) -> Vec<[usize; 2]> {
    let base = if analysis::is_english(lang) {
        &t.highlight_en
    } else {
        &t.highlight_fr
    };
    if t.prefixes.is_empty() && t.fuzzy.is_empty() {
        return base.ranges(text);
    }
    let mut spec: HighlightSpec = base.clone();
    for token in analysis::tokens(&mut analysis::french_exact(), text) {
        let w = token.text;
        if t.prefixes.iter().any(|p| w.starts_with(p.as_str()))
            || t.fuzzy.iter().any(|(f, d)| within_edits(&w, f, *d))
        {
            spec.exact.insert(w);
        }
    }
    spec.ranges(text)
}

/// A string field of `_source`, `None` when absent or null.
fn text_of(source: &Value, field: &str) -> Option<String> {
    source
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The neighbours of paragraph `number` of statement `id`, `context` on
/// each side: `(before, after)`.
fn neighbours(
    client: &Client,
    name: &str,
    id: &str,
    number: u64,
    context: usize,
) -> Result<(Vec<Neighbour>, Vec<Neighbour>), RemoteError> {
    let body = json!({
        "size": 2 * context,
        "_source": ["paragraph", "text"],
        "sort": [{"paragraph": "asc"}],
        "query": {"bool": {"filter": [
            {"term": {"statement_id": id}},
            {"range": {"paragraph": {"gte": number.saturating_sub(context as u64), "lte": number + context as u64}}}
        ], "must_not": [{"term": {"paragraph": number}}]}}
    });
    let answer = client.json("POST", &format!("/{name}/_search"), &body, false)?;
    let mut before = Vec::new();
    let mut after = Vec::new();
    for hit in answer
        .body
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let source = &hit["_source"];
        let p = source.get("paragraph").and_then(Value::as_u64).unwrap_or(0);
        let n = Neighbour {
            paragraph: p,
            text: text_of(source, "text").unwrap_or_default(),
        };
        if p < number {
            before.push(n);
        } else {
            after.push(n);
        }
    }
    Ok((before, after))
}

/// For `--docs`: how many paragraphs of each statement of `hits` match
/// `query` (one `terms` aggregation over those statements).
fn matching_per_statement(
    client: &Client,
    name: &str,
    query: &Value,
    hits: &[Hit],
) -> Result<std::collections::HashMap<String, usize>, RemoteError> {
    let ids: Vec<&str> = hits.iter().map(|h| h.doc_id.as_str()).collect();
    let body = json!({
        "size": 0,
        "query": {"bool": {"must": [query], "filter": [{"terms": {"statement_id": ids}}]}},
        "aggs": {"per": {"terms": {"field": "statement_id", "size": ids.len()}}}
    });
    let answer = client.json("POST", &format!("/{name}/_search"), &body, false)?;
    Ok(answer
        .body
        .pointer("/aggregations/per/buckets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|b| {
            Some((
                b.get("key")?.as_str()?.to_string(),
                b.get("doc_count")?.as_u64()? as usize,
            ))
        })
        .collect())
}

/// The `_search` body of translation `t` with the paging, order,
/// collapsing and counting of `options`.
fn search_body(t: &Translation, options: &RemoteSearch) -> Value {
    let size = options.limit.min(MAX_WINDOW.saturating_sub(options.offset));
    let sort = if options.by_date {
        json!([{"date": {"order": "desc", "missing": "_last"}}, "_score", {"statement_id": "asc"}, {"paragraph": "asc"}])
    } else {
        json!(["_score", {"statement_id": "asc"}, {"paragraph": "asc"}])
    };
    let mut body = json!({
        "query": t.query,
        "from": options.offset.min(MAX_WINDOW),
        "size": size,
        "track_total_hits": true,
        "track_scores": true,
        "sort": sort,
        "_source": super::mapping::STORED_FIELDS,
    });
    if options.group_by_statement {
        body["collapse"] = json!({"field": "statement_id"});
    }
    if options.count_statements || options.group_by_statement {
        body["aggs"] = json!({"statements": {"cardinality": {"field": "statement_id", "precision_threshold": 40000}}});
    }
    body
}

/// `_search` bodies on index `name` in one round trip (`_msearch`):
/// their answers, in order.
///
/// # Errors
/// The request's [`RemoteError`]; [`RemoteError::Server`] with the
/// cluster's reason when one of the searches failed;
/// [`RemoteError::Protocol`] when the answer does not hold one response
/// per body.
fn msearch(client: &Client, name: &str, bodies: &[Value]) -> Result<Vec<Value>, RemoteError> {
    let lines: Vec<Value> = bodies
        .iter()
        .flat_map(|body| [json!({}), body.clone()])
        .collect();
    let what = format!("POST /{name}/_msearch");
    let answer = client.ndjson("POST", &format!("/{name}/_msearch"), &lines, false)?;
    let responses = match answer.body.get("responses").and_then(Value::as_array) {
        Some(r) if r.len() == bodies.len() => r.clone(),
        _ => {
            return Err(RemoteError::Protocol {
                url: client.endpoint().redacted(),
                what,
                reason: format!("not {} responses", bodies.len()),
            })
        }
    };
    for r in &responses {
        if r.get("error").is_some() {
            return Err(RemoteError::Server {
                url: client.endpoint().redacted(),
                status: r.get("status").and_then(Value::as_u64).unwrap_or(0) as u16,
                what: what.clone(),
                reason: super::client::error_reason(r).unwrap_or_else(|| r.to_string()),
            });
        }
    }
    Ok(responses)
}

/// Runs `query` on the cluster (see the module docs).
///
/// # Errors
/// The cluster's errors; [`RemoteError::Server`] with status 404 when the
/// index does not exist (the caller says to push first).
pub fn search(
    client: &Client,
    query: &str,
    options: &RemoteSearch,
) -> Result<SearchResults, RemoteError> {
    let start = Instant::now();
    let empty = crate::thesaurus::Thesaurus::empty();
    let thesaurus = options.thesaurus.as_deref().unwrap_or(&empty);
    let mut t = translate_with(query, &options.filters, thesaurus, options.synonyms);
    let path = format!("/{}/_search", options.name);
    // Typo correction, as locally, except with `--exact` (no synonyms).
    let suspects = if options.synonyms {
        typo::suspects(query, thesaurus)
    } else {
        Vec::new()
    };
    let answer = if suspects.is_empty() {
        client
            .json("POST", &path, &search_body(&t, options), false)?
            .body
    } else {
        let mut answers = msearch(
            client,
            &options.name,
            &[typo::request(&suspects), search_body(&t, options)],
        )?;
        let first = answers.pop().unwrap_or_default();
        let check = answers.pop().unwrap_or_default();
        let mut corrections = typo::read(&suspects, &check);
        if corrections.is_empty() {
            first
        } else {
            let written = msearch(client, &options.name, &typo::written_requests(&corrections))?;
            typo::written_forms(&mut corrections, &written);
            t = translate_corrected(
                query,
                &options.filters,
                (thesaurus, options.synonyms),
                &corrections,
            );
            for c in &corrections {
                t.notes.push(c.note());
                t.explain.push(c.explain());
            }
            client
                .json("POST", &path, &search_body(&t, options), false)?
                .body
        }
    };
    let search_micros = start.elapsed().as_micros();
    let fetch_start = Instant::now();
    let total = answer
        .pointer("/hits/total/value")
        .and_then(Value::as_u64)
        .ok_or_else(|| RemoteError::Protocol {
            url: client.endpoint().redacted(),
            what: format!("POST {path}"),
            reason: "no hits.total.value".to_string(),
        })? as usize;
    let statements = answer
        .pointer("/aggregations/statements/value")
        .and_then(Value::as_u64)
        .map(|v| v as usize);
    let labels: Vec<String> = t.labels.clone();
    let mut hits = Vec::new();
    let mut seen = HashSet::new();
    for (i, hit) in answer
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let source = &hit["_source"];
        let doc_id = text_of(source, "statement_id").unwrap_or_default();
        let paragraph = source.get("paragraph").and_then(Value::as_u64).unwrap_or(0);
        if !seen.insert((doc_id.clone(), paragraph)) {
            continue;
        }
        let text = text_of(source, "text").unwrap_or_default();
        let lang = text_of(source, "lang").unwrap_or_default();
        let matched: Vec<&str> = hit
            .get("matched_queries")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let via = via(&t, analysis::is_english(&lang), &matched);
        let (before, after) = if options.context > 0 {
            neighbours(client, &options.name, &doc_id, paragraph, options.context)?
        } else {
            (Vec::new(), Vec::new())
        };
        hits.push(Hit {
            rank: options.offset + i + 1,
            score: hit.get("_score").and_then(Value::as_f64).unwrap_or(0.0) as f32,
            highlights: highlights(&t, &lang, &text),
            doc_id,
            title: text_of(source, "title").unwrap_or_default(),
            date: text_of(source, "date"),
            reference: text_of(source, "reference"),
            lang,
            source: text_of(source, "source"),
            url: text_of(source, "url"),
            paragraph,
            text,
            matching_paragraphs: None,
            before,
            after,
            twin: None,
            partial: false,
            matched_terms: labels.clone(),
            via,
        });
    }
    if options.group_by_statement && !hits.is_empty() {
        let counts = matching_per_statement(client, &options.name, &t.query, &hits)?;
        for hit in &mut hits {
            hit.matching_paragraphs = Some(counts.get(&hit.doc_id).copied().unwrap_or(1));
        }
    }
    Ok(SearchResults {
        hits,
        total,
        partial: 0,
        statements,
        notes: t.notes,
        explain: std::iter::once(format!("query on the cluster: {}", t.query))
            .chain(t.explain)
            .collect(),
        search_micros,
        fetch_micros: fetch_start.elapsed().as_micros(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::dsl::translate;
    use super::*;

    #[test]
    fn edit_distance() {
        assert!(within_edits("compromission", "compromision", 1));
        assert!(!within_edits("compromission", "compromi", 1));
        assert!(within_edits("otan", "otan", 0));
    }

    #[test]
    fn prefix_words_are_highlighted_in_the_text() {
        let t = translate("sécur*", &Filters::default());
        let text = "La sécurité et les sécuritaires, pas la sûreté.";
        let ranges = highlights(&t, "fr", text);
        let words: Vec<&str> = ranges.iter().map(|r| &text[r[0]..r[1]]).collect();
        assert_eq!(words, ["sécurité", "sécuritaires"]);
    }

    #[test]
    fn words_are_highlighted_as_locally() {
        let t = translate("cyberdéfense", &Filters::default());
        let text = "Pour la cyber-défense et la cyberdéfense.";
        let ranges = highlights(&t, "fr", text);
        let words: Vec<&str> = ranges.iter().map(|r| &text[r[0]..r[1]]).collect();
        assert_eq!(words, ["cyber-défense", "cyberdéfense"]);
    }
}
