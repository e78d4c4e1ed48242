//! `vigie push` and `vigie search --opensearch` (issue 15).
//!
//! Two kinds of tests. Those that need no cluster run in every `cargo
//! test`: a bad URL, a refused connection, a 401 and a flood-stage block
//! answered by a tiny fake server on loopback, each an exit 2 with a clear
//! message and never the password. Those that need a live OpenSearch are
//! `#[ignore]`d with the reason, so `cargo test` lists them as ignored;
//! `.ci/opensearch` starts a node and runs them with `--include-ignored`
//! and `OPENSEARCH_URL` set. Run without `OPENSEARCH_URL`, they fail: they
//! never pass on nothing.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use serde_json::{json, Value};

const LIVE: &str = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)";

/// Three statements: two French, one English, dated, with a source.
fn fixture(second_paragraph: &str) -> String {
    [
        json!({"id": "nac-1", "title": "Déclaration sur la cyberdéfense", "date": "2021-07-19", "lang": "fr",
               "source": "OTAN", "url": "https://example.org/nac-1",
               "paragraphs": ["Les Alliés condamnent les cyberattaques contre l’Exchange de Microsoft.",
                              second_paragraph,
                              "La cyber-défense nationale reste une priorité de l'Alliance."]}),
        json!({"id": "ue-2", "title": "Conclusions du Conseil", "date": "2020-03-02", "lang": "fr",
               "source": "UE", "paragraphs": ["Le droit international s’applique au cyberespace.",
                                              "Les États membres renforcent leur résilience face aux rançongiciels."]}),
        json!({"id": "nac-1-en", "title": "Statement on cyber defence", "date": "2021-07-19", "lang": "en",
               "source": "NATO", "paragraphs": ["Allies condemn the cyber attacks against Microsoft Exchange.",
                                                "International law applies in cyberspace."]}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect()
}

/// The cluster URL of the live tests.
fn url() -> String {
    std::env::var("OPENSEARCH_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| panic!("OPENSEARCH_URL is not set: this test {LIVE}"))
}

/// An index name no other test uses.
fn unique_name(what: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "vigie-test-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// `vigie push` of `index` to the live cluster; (exit code, stderr).
fn push(scratch: &Path, index: &Path, name: &str, extra: &[&str]) -> (i32, String) {
    let out = vigie(scratch)
        .args(["push", "--index"])
        .arg(index)
        .args(["--opensearch", &url(), "--name", name])
        .args(extra)
        .output()
        .expect("running vigie push");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A remote search as JSON, `--exact` (no synonyms: compared with the
/// local `--exact --all-words`).
fn remote(scratch: &Path, index: &Path, name: &str, query: &str, n: usize) -> SearchRun {
    remote_with(scratch, index, name, query, n, &["--exact"])
}

/// A remote search as JSON, with `extra` flags.
fn remote_with(
    scratch: &Path,
    index: &Path,
    name: &str,
    query: &str,
    n: usize,
    extra: &[&str],
) -> SearchRun {
    let url = url();
    let mut args = vec!["--opensearch", &url, "--name", name];
    args.extend_from_slice(extra);
    search_json_with(scratch, index, query, n, &args)
}

/// The `(statement, paragraph)` set of a run.
fn ids(run: &SearchRun) -> BTreeSet<(String, u64)> {
    run.hits
        .iter()
        .map(|h| (h.doc_id.clone(), h.paragraph))
        .collect()
}

/// Deletes the test's indexes (best effort).
fn drop_indexes(name: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .build()
        .into();
    for index in [name.to_string(), format!("{name}-vigie-meta")] {
        let _ = agent.delete(&format!("{}/{index}", url())).call();
    }
}

/// PUT a JSON body on the live cluster.
fn put_json(path: &str, body: &Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .build()
        .into();
    let r = agent
        .put(&format!("{}{path}", url()))
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .expect("PUT");
    assert_eq!(r.status().as_u16(), 200, "PUT {path}");
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn push_then_search_gives_the_local_paragraphs_and_highlights() {
    let (dir, index) = index_of(&fixture("Nous réaffirmons notre soutien à l’Ukraine."));
    let name = unique_name("same");
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 statements sent (7 paragraphs, "), "{err}");
    for query in [
        "cyberdéfense",
        "cyber défense",
        "\"droit international\"",
        "Alliés -Microsoft",
        "cyber*",
        "rancongiciel",
        "réaffirmer",
        "otan OR ukraine",
        "title:cyberdéfense",
        "source:OTAN",
        "lang:en attacks",
        "date:2020",
        "exchange",
    ] {
        let local = search_json_with(dir.path(), &index, query, 100, &["--exact", "--all-words"]);
        let cluster = remote(dir.path(), &index, &name, query, 100);
        assert_eq!(cluster.code, local.code, "{query}: {}", cluster.stderr);
        assert_eq!(ids(&cluster), ids(&local), "{query}");
        assert_eq!(
            cluster.summary.as_ref().map(|s| &s["total"]),
            local.summary.as_ref().map(|s| &s["total"]),
            "{query}"
        );
        // The same words marked in each paragraph, and the same metadata.
        for c in &cluster.hits {
            let l = local
                .hits
                .iter()
                .find(|l| l.doc_id == c.doc_id && l.paragraph == c.paragraph)
                .expect("same hit");
            assert_eq!(c.marked(), l.marked(), "{query} {}", c.doc_id);
            for field in ["title", "date", "lang", "source", "url", "text"] {
                assert_eq!(c.raw[field], l.raw[field], "{query} {field}");
            }
        }
    }
    // Nothing matches: exit 1, like a local search.
    assert_eq!(remote(dir.path(), &index, &name, "zzzzyx", 10).code, 1);
    drop_indexes(&name);
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn a_push_sends_only_what_changed_and_deletes_what_went() {
    let (dir, index) = index_of(&fixture("Nous réaffirmons notre soutien à l’Ukraine."));
    let name = unique_name("incr");
    assert_eq!(push(dir.path(), &index, &name, &[]).0, 0);
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("0 statements sent (0 paragraphs, 0.0 MiB), 3 unchanged, 0 removed"),
        "{err}"
    );
    // One statement changes (a paragraph less), one is removed.
    let file = dir.path().join("s.jsonl");
    let changed: String = fixture("Un autre texte.")
        .lines()
        .filter(|l| !l.contains("\"ue-2\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, changed).expect("rewrite fixture");
    vigie(dir.path())
        .args(["index", "--index"])
        .arg(&index)
        .arg(&file)
        .assert()
        .success();
    vigie(dir.path())
        .args(["rm", "--index"])
        .arg(&index)
        .arg("ue-2")
        .assert()
        .code(predicates::ord::lt(2));
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(", 1 removed"), "{err}");
    assert!(err.contains("1 unchanged"), "{err}");
    // The cluster now holds what the local index holds.
    for query in ["droit", "ukraine", "cyberdéfense", "alliés"] {
        let local = search_json_with(dir.path(), &index, query, 100, &["--exact", "--all-words"]);
        let cluster = remote(dir.path(), &index, &name, query, 100);
        assert_eq!(ids(&cluster), ids(&local), "{query}");
    }
    assert_eq!(
        remote(dir.path(), &index, &name, "rançongiciels", 10).code,
        1
    );
    drop_indexes(&name);
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn output_formats_and_context_work_on_the_cluster() {
    let (dir, index) = index_of(&fixture("Nous réaffirmons notre soutien à l’Ukraine."));
    let name = unique_name("out");
    assert_eq!(push(dir.path(), &index, &name, &[]).0, 0);
    let run = |args: &[&str]| {
        let out = vigie(dir.path())
            .args(["search", "--opensearch", &url(), "--name", &name])
            .args(args)
            .output()
            .expect("search");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, csv) = run(&["--format", "csv", "cyberdéfense"]);
    assert_eq!(code, 0);
    assert!(csv.starts_with("rank,score,title"), "{csv}");
    // One paragraph says cyber-défense; the title alone does not count.
    assert_eq!(csv.lines().count(), 2, "header + 1 paragraph: {csv}");
    let (_, human) = run(&["--color", "never", "ukraine"]);
    assert!(human.contains("**Ukraine**"), "{human}");
    // "Les Alliés condamnent" (French) and "Allies condemn" (English stems).
    let (_, count) = run(&["--count", "alliés"]);
    assert_eq!(count.trim(), "2 paragraphs in 2 statements");
    let (_, ctx) = run(&["--json", "-C", "1", "ukraine"]);
    let hit: Value = serde_json::from_str(ctx.lines().next().expect("a hit")).expect("JSON");
    assert_eq!(hit["before"][0]["paragraph"], 1);
    assert_eq!(hit["after"][0]["paragraph"], 3);
    // --docs: one line per statement, its best paragraph, how many match.
    let (code, docs) = run(&["--json", "--docs", "alliés OR droit"]);
    assert_eq!(code, 0);
    let hits: Vec<Value> = docs
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .filter(|v: &Value| v["type"] == "hit")
        .collect();
    let mut per: Vec<(String, u64)> = hits
        .iter()
        .map(|h| {
            (
                h["doc_id"].as_str().unwrap_or("").to_string(),
                h["matching_paragraphs"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    per.sort();
    // nac-1: "Les Alliés…" (§1) and "…de l'Alliance" (§3: alli, the same
    // stem); nac-1-en: "Allies…"; ue-2: "Le droit international…".
    let local = search_json_with(
        dir.path(),
        &index,
        "alliés OR droit",
        100,
        &["--exact", "--all-words"],
    );
    let count = |id: &str| local.hits.iter().filter(|h| h.doc_id == id).count() as u64;
    assert_eq!(
        per,
        vec![
            ("nac-1".to_string(), count("nac-1")),
            ("nac-1-en".to_string(), count("nac-1-en")),
            ("ue-2".to_string(), count("ue-2")),
        ]
    );
    let (_, by_date) = run(&["--json", "--sort", "date", "droit OR law"]);
    let first: Value = serde_json::from_str(by_date.lines().next().expect("a hit")).expect("JSON");
    assert_eq!(first["date"], "2021-07-19");
    drop_indexes(&name);
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn a_write_block_is_exit_2_and_the_next_push_finishes() {
    let (dir, index) = index_of(&fixture("Nous réaffirmons notre soutien à l’Ukraine."));
    let name = unique_name("block");
    assert_eq!(push(dir.path(), &index, &name, &[]).0, 0);
    // What the flood-stage watermark sets on every index of a full node.
    put_json(
        &format!("/{name}/_settings"),
        &json!({"index.blocks.read_only_allow_delete": true}),
    );
    let file = dir.path().join("s.jsonl");
    std::fs::write(&file, fixture("Un paragraphe réécrit.")).expect("rewrite");
    vigie(dir.path())
        .args(["index", "--index"])
        .arg(&index)
        .arg(&file)
        .assert()
        .success();
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("blocks writes"), "{err}");
    assert!(err.contains("read_only_allow_delete"), "{err}");
    // The local index is untouched, the cluster still answers.
    assert_eq!(search_json(dir.path(), &index, "réécrit", 10).code, 0);
    assert_eq!(remote(dir.path(), &index, &name, "ukraine", 10).code, 0);
    put_json(
        &format!("/{name}/_settings"),
        &json!({"index.blocks.read_only_allow_delete": null}),
    );
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 statement sent (3 paragraphs, "), "{err}");
    assert_eq!(remote(dir.path(), &index, &name, "réécrit", 10).code, 0);
    assert_eq!(remote(dir.path(), &index, &name, "ukraine", 10).code, 1);
    drop_indexes(&name);
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn a_rejected_document_is_reported_with_its_id_and_reason() {
    // A word longer than Lucene's largest term (32,766 bytes): the
    // cluster refuses that paragraph; the other statements go in.
    let mut jsonl = fixture("Nous réaffirmons notre soutien à l’Ukraine.");
    jsonl.push_str(&format!(
        "{}\n",
        json!({"id": "long-word", "title": "Trop long", "lang": "fr",
               "paragraphs": ["Un paragraphe accepté.", format!("Un mot de {} lettres.", "a".repeat(40_000))]})
    ));
    let (dir, index) = index_of(&jsonl);
    let name = unique_name("reject");
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("vigie: rejected: long-word#2: "), "{err}");
    assert!(err.contains("immense term"), "{err}");
    assert!(err.contains("rejected 1 document"), "{err}");
    assert_eq!(remote(dir.path(), &index, &name, "ukraine", 10).code, 0);
    assert_eq!(remote(dir.path(), &index, &name, "accepté", 10).code, 0);
    // Its hash was not recorded: the next push tries it again.
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("1 statement sent"), "{err}");
    drop_indexes(&name);
}

/// A one-answer HTTP server on loopback: every request gets `status` and
/// `body`; returns its URL.
fn fake_server(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut sink = vec![0u8; length];
            let _ = reader.read_exact(&mut sink);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("127.0.0.1:{}", addr.port())
}

/// `vigie push` to `url` of a small index: (exit code, stderr).
fn push_to(url: &str) -> (i32, String) {
    let (dir, index) = index_of(&fixture("Un paragraphe."));
    let out = vigie(dir.path())
        .args(["push", "--index"])
        .arg(&index)
        .args(["--opensearch", url])
        .output()
        .expect("running vigie push");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_bad_url_is_exit_2_and_names_what_is_wrong() {
    let (code, err) = push_to("ftp://ann:hunter2@127.0.0.1:9200");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not http or https"), "{err}");
    assert!(err.contains("ann:***@"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    let (code, err) = push_to("127.0.0.1:9200");
    assert_eq!(code, 2);
    assert!(err.contains("must start with http"), "{err}");
}

#[test]
fn a_refused_connection_is_exit_2_without_the_password() {
    // A port nothing listens on: bind one, then close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (code, err) = push_to(&format!("http://ann:hunter2@127.0.0.1:{port}"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot reach OpenSearch at http://ann:***@127.0.0.1"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_401_is_exit_2_and_says_where_credentials_go() {
    let addr = fake_server(
        "401 Unauthorized",
        r#"{"error":"Unauthorized","status":401}"#,
    );
    let (code, err) = push_to(&format!("http://ann:hunter2@{addr}"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refused the credentials (HTTP 401)"), "{err}");
    assert!(err.contains("VIGIE_OPENSEARCH_USER"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    // The same for a search.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = vigie(dir.path())
        .args(["search", "--opensearch", &format!("http://{addr}"), "otan"])
        .env("VIGIE_OPENSEARCH_USER", "ann")
        .env("VIGIE_OPENSEARCH_PASSWORD", "hunter2")
        .output()
        .expect("search");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("http://ann:***@127.0.0.1"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn a_flood_stage_block_is_exit_2_and_says_what_to_do() {
    let addr = fake_server(
        "429 Too Many Requests",
        r#"{"error":{"root_cause":[{"type":"cluster_block_exception","reason":"index [vigie] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}],"type":"cluster_block_exception","reason":"index [vigie] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"},"status":429}"#,
    );
    let (code, err) = push_to(&format!("http://{addr}"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("blocks writes"), "{err}");
    assert!(err.contains("flood-stage"), "{err}");
    assert!(err.contains("free disk space"), "{err}");
}

#[test]
fn a_ca_file_that_cannot_be_used_is_exit_2() {
    let (dir, index) = index_of(&fixture("Un paragraphe."));
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "not a certificate").expect("write");
    for (file, why) in [
        (dir.path().join("absent.pem"), "CA file"),
        (not_pem, "no PEM certificate"),
    ] {
        let out = vigie(dir.path())
            .args(["push", "--index"])
            .arg(&index)
            .args(["--opensearch", "https://127.0.0.1:9", "--ca-file"])
            .arg(&file)
            .output()
            .expect("push");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(why), "{err}");
    }
}

#[test]
fn push_needs_a_url_and_a_valid_index_name() {
    let (dir, index) = index_of(&fixture("Un paragraphe."));
    let out = vigie(dir.path())
        .args(["push", "--index"])
        .arg(&index)
        .output()
        .expect("push");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--opensearch URL"));
    // An index name OpenSearch refuses is caught before any request (the
    // port is closed: a request would say "cannot reach").
    let out = vigie(dir.path())
        .args(["push", "--index"])
        .arg(&index)
        .args(["--opensearch", "http://127.0.0.1:9", "--name", "Vigie/X"])
        .output()
        .expect("push");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not an OpenSearch index name"), "{err}");
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn a_push_killed_midway_is_finished_by_the_next() {
    // 1,500 statements of 4 paragraphs: several bulk requests.
    let jsonl: String = (0..1500)
        .map(|i| {
            let p = |k: usize| format!("Paragraphe {k} de la déclaration {i} sur la cyberdéfense et la résilience des réseaux {}.", "et des infrastructures critiques ".repeat(12));
            format!(
                "{}\n",
                json!({"id": format!("s{i:04}"), "title": format!("Déclaration {i}"), "lang": "fr",
                       "paragraphs": [p(1), p(2), p(3), p(4)]})
            )
        })
        .collect();
    let (dir, index) = index_of(&jsonl);
    let name = unique_name("resume");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["push", "--index"])
        .arg(&index)
        .args(["--opensearch", &url(), "--name", &name])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn push");
    // Kill it once the first statements are recorded (the first bulk
    // request acknowledged), before the last.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .build()
        .into();
    let recorded = || -> u64 {
        let Ok(mut r) = agent
            .get(&format!("{}/{name}-vigie-meta/_count", url()))
            .call()
        else {
            return 0;
        };
        let body: Value = r.body_mut().read_json().unwrap_or(Value::Null);
        body["count"].as_u64().unwrap_or(0)
    };
    let start = std::time::Instant::now();
    while recorded() == 0 && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let left = recorded();
    assert!(
        left > 0 && left < 1500,
        "killed with {left} statements recorded"
    );
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    // Only what was not recorded is sent again.
    let unchanged: u64 = err
        .split(", ")
        .find_map(|p| p.strip_suffix(" unchanged").and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    assert!(
        unchanged >= left && unchanged < 1500,
        "{left} recorded before: {err}"
    );
    // Everything is there once, and a third push has nothing to send.
    let run = remote(dir.path(), &index, &name, "cyberdéfense", 10);
    assert_eq!(
        run.summary.as_ref().map(|s| s["total"].clone()),
        Some(json!(6000))
    );
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 statements sent"), "{err}");
    assert!(err.contains("1500 unchanged"), "{err}");
    drop_indexes(&name);
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn synonyms_on_the_cluster_find_and_mark_what_the_local_search_does() {
    let statements = [
        json!({"id": "onu-1", "title": "Communiqué", "date": "2022-01-10", "lang": "fr",
               "paragraphs": ["L’Assemblée générale des Nations unies se réunit à New York.",
                              "L’ONU soutient la paix au Sahel.",
                              "Les nations européennes sont unies.",
                              "Un accord est signé sur la monnaie virtuelle."]}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect::<String>();
    let (dir, index) = index_of(&statements);
    let name = unique_name("syn");
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    let p = |n: u64| ("onu-1".to_string(), n);
    // `ONU` finds the paragraph saying "Nations unies" (a synonym in vigie's
    // thesaurus), marked as a synonym hit, the name highlighted; not the
    // paragraph with "nations" and "unies" apart.
    let cluster = remote_with(dir.path(), &index, &name, "ONU", 10, &[]);
    assert_eq!(cluster.code, 0, "{}", cluster.stderr);
    assert_eq!(ids(&cluster), BTreeSet::from([p(1), p(2)]));
    let hit = |run: &SearchRun, n: u64| {
        run.hits
            .iter()
            .find(|h| h.paragraph == n)
            .cloned()
            .expect("hit")
    };
    assert_eq!(hit(&cluster, 1).raw["via"], json!("synonym"));
    assert_eq!(hit(&cluster, 1).marked(), ["Nations", "unies"]);
    assert_eq!(hit(&cluster, 2).raw.get("via"), None);
    assert_eq!(hit(&cluster, 2).marked(), ["ONU"]);
    // The words as typed rank first.
    assert_eq!(cluster.hits[0].paragraph, 2);
    // As the local search with every word (synonyms on).
    let local = search_json_with(dir.path(), &index, "ONU", 10, &["--all-words"]);
    assert_eq!(ids(&local), ids(&cluster));
    for n in [1, 2] {
        assert_eq!(
            hit(&local, n).raw.get("via"),
            hit(&cluster, n).raw.get("via")
        );
        assert_eq!(hit(&local, n).marked(), hit(&cluster, n).marked());
    }
    // --exact: the word as typed only.
    let exact = remote_with(dir.path(), &index, &name, "ONU", 10, &["--exact"]);
    assert_eq!(ids(&exact), BTreeSet::from([p(2)]));
    // A user's synonym file, with --synonyms or $VIGIE_SYNONYMS.
    let file = dir.path().join("mine.txt");
    std::fs::write(&file, "brouzouf, monnaie virtuelle\n").expect("write synonyms");
    let none = remote_with(dir.path(), &index, &name, "brouzouf", 10, &[]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    let file_arg = file.to_str().expect("utf-8 path");
    let mine = remote_with(
        dir.path(),
        &index,
        &name,
        "brouzouf",
        10,
        &["--synonyms", file_arg],
    );
    assert_eq!(ids(&mine), BTreeSet::from([p(4)]), "{}", mine.stderr);
    assert_eq!(mine.hits[0].marked(), ["monnaie", "virtuelle"]);
    let out = vigie(dir.path())
        .args(["search", "--json", "--opensearch", &url(), "--name", &name])
        .args(["--index"])
        .arg(&index)
        .arg("brouzouf")
        .env("VIGIE_SYNONYMS", &file)
        .output()
        .expect("vigie search");
    assert_eq!(out.status.code(), Some(0));
    // A bad synonym file: exit 2, as locally.
    std::fs::write(&file, "brouzouf =>\n").expect("write synonyms");
    let bad = remote_with(
        dir.path(),
        &index,
        &name,
        "brouzouf",
        10,
        &["--synonyms", file_arg],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    drop_indexes(&name);
}

/// Starts `vigie serve --bind 127.0.0.1:0 --index INDEX EXTRA…`.
fn serve(dir: &Path, index: &Path, extra: &[&str]) -> Served {
    serve_on(dir, index, "127.0.0.1:0", extra).0
}

/// (status, JSON body) of `GET base + path`.
fn get_json(base: &str, path: &str) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .get(&format!("{base}{path}"))
        .call()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().expect("body");
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}")),
    )
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn serve_searches_the_cluster_and_says_what_it_cannot_do() {
    let statements = json!({"id": "onu-1", "title": "Communiqué", "date": "2022-01-10", "lang": "fr",
        "paragraphs": ["L’Assemblée générale des Nations unies se réunit.",
                       "L’ONU soutient la paix au Sahel.",
                       "Autre sujet."]});
    let (dir, index) = index_of(&format!("{statements}\n"));
    let name = unique_name("serve");
    assert_eq!(push(dir.path(), &index, &name, &[]).0, 0);
    let served = serve(
        dir.path(),
        &index,
        &["--opensearch", &url(), "--name", &name],
    );
    let base = &served.base;
    // /api/search: the hits of `vigie search --opensearch`, in the local
    // API's shape, the synonym hit marked.
    let (status, body) = get_json(base, "/api/search?q=ONU&n=10");
    assert_eq!(status, 200, "{body}");
    let keys: BTreeSet<(String, u64)> = body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["doc_id"].as_str().unwrap_or_default().to_string(),
                h["paragraph"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let cli = remote_with(dir.path(), &index, &name, "ONU", 10, &[]);
    assert_eq!(keys, ids(&cli));
    assert_eq!(
        keys,
        BTreeSet::from([("onu-1".to_string(), 1), ("onu-1".to_string(), 2)])
    );
    assert_eq!(body["total"], json!(2));
    assert_eq!(body["query"], json!("ONU"));
    let via: Vec<&Value> = body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| h["paragraph"] == json!(1))
        .map(|h| &h["via"])
        .collect();
    assert_eq!(via, [&json!("synonym")]);
    // exact=1: no synonyms.
    let (_, body) = get_json(base, "/api/search?q=ONU&exact=1");
    assert_eq!(body["total"], json!(1));
    // /health asks the cluster.
    let (status, body) = get_json(base, "/health");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["backend"], json!("opensearch"));
    assert_eq!(body["paragraphs"], json!(3));
    // What needs the local index says so: 501, JSON.
    for path in [
        "/api/trend?q=ONU",
        "/api/statements/onu-1",
        "/api/stats",
        "/api/search?q=ONU&parallel=1",
    ] {
        let (status, body) = get_json(base, path);
        assert_eq!(status, 501, "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("cluster backend"), "{path}: {message}");
    }
    drop(served);
    // A cluster that cannot be reached: /health 503, searches 502, and the
    // message names the cluster without its password.
    let served = serve(
        dir.path(),
        &index,
        &[
            "--opensearch",
            "http://ann:hunter2@127.0.0.1:9",
            "--name",
            &name,
        ],
    );
    let (status, body) = get_json(&served.base, "/health");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], json!("unreachable"));
    let (status, body) = get_json(&served.base, "/api/search?q=ONU");
    assert_eq!(status, 502, "{body}");
    assert!(!body.to_string().contains("hunter2"), "{body}");
    drop(served);
    drop_indexes(&name);
}

#[test]
#[ignore = "needs a live OpenSearch: set OPENSEARCH_URL (.ci/opensearch starts one)"]
fn a_typo_is_corrected_on_the_cluster_as_locally() {
    let (dir, index) = index_of(&fixture(
        "Ces actes de cybermalveillance compromettent la sécurité.",
    ));
    let name = unique_name("typo");
    let (code, err) = push(dir.path(), &index, &name, &[]);
    assert_eq!(code, 0, "{err}");
    let local = |q: &str| search_json_with(dir.path(), &index, q, 10, &["--all-words"]);
    let p = |id: &str, n: u64| (id.to_string(), n);
    // "cybermalvaillance" (a for e) is in no paragraph, nor its stem nor
    // its second part: it is searched as "cybermalveillance", on both
    // sides, with the same note.
    for q in ["cybermalvaillance", "actes cybermalvaillance"] {
        let cluster = remote_with(dir.path(), &index, &name, q, 10, &[]);
        assert_eq!(cluster.code, 0, "{q}: {}", cluster.stderr);
        let mine = local(q);
        assert_eq!(ids(&cluster), ids(&mine), "{q}");
        assert!(
            cluster
                .stderr
                .contains("no hits for cybermalvaillance; showing cybermalveillance"),
            "{q}: {}",
            cluster.stderr
        );
    }
    assert_eq!(
        ids(&remote_with(
            dir.path(),
            &index,
            &name,
            "cybermalvaillance",
            10,
            &[]
        )),
        BTreeSet::from([p("nac-1", 2)])
    );
    // Corrections are named as the text writes them (accents and all),
    // the same note as locally.
    let q = "rancongicels";
    let cluster = remote_with(dir.path(), &index, &name, q, 10, &[]);
    let mine = local(q);
    assert_eq!(
        ids(&cluster),
        BTreeSet::from([p("ue-2", 2)]),
        "{}",
        cluster.stderr
    );
    assert_eq!(ids(&cluster), ids(&mine));
    assert!(
        cluster
            .stderr
            .contains("no hits for rancongicels; showing rançongiciels"),
        "{}",
        cluster.stderr
    );
    assert!(
        mine.stderr.contains("showing rançongiciels"),
        "{}",
        mine.stderr
    );
    // A note after the corrected word keeps its place in the query typed.
    let cluster = remote_with(
        dir.path(),
        &index,
        &name,
        "cybermalvaillance (sécurité",
        10,
        &[],
    );
    assert!(
        cluster.stderr.contains("query at byte 18: unclosed `(`"),
        "{}",
        cluster.stderr
    );
    // `--exact` corrects nothing: no paragraph, exit 1.
    let exact = remote_with(
        dir.path(),
        &index,
        &name,
        "cybermalvaillance",
        10,
        &["--exact"],
    );
    assert_eq!(exact.code, 1, "{}", exact.stderr);
    drop_indexes(&name);
}
