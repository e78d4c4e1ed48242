//! `vigie serve` through a real server on loopback (issue 13): every
//! route, every error status, escaping headers, a commit and a rebuild
//! picked up while serving, idle connections that must not block others,
//! concurrent clients. The server is the built binary, started on a free
//! port (`--bind 127.0.0.1:0`), except for the time-budget test, which
//! needs a budget of zero and runs the library's server in-process.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// SYNTHETIC statements written for these tests: a French statement and
/// its English twin, a dated one, and one whose text holds markup.
const FIXTURE: &str = concat!(
    r#"{"id":"fr-cyber","lang":"fr","date":"2014-09-05","title":"Déclaration sur la cyberdéfense","twin":"cyber-2014","paragraphs":["La cyberdéfense fait partie de la défense collective.","Les alliés renforcent leurs capacités.","Le sommet s'achève."]}"#,
    "\n",
    r#"{"id":"en-cyber","lang":"en","date":"2014-09-05","title":"Declaration on cyber defence","twin":"cyber-2014","paragraphs":["Cyber defence is part of collective defence.","Allies strengthen their capabilities.","The summit ends."]}"#,
    "\n",
    r#"{"id":"fr-2016","lang":"fr","date":"2016-07-09","title":"Communiqué de Varsovie","paragraphs":["Nous réaffirmons notre engagement en matière de cyberdéfense.","Autre sujet."]}"#,
    "\n",
    r#"{"id":"fr-markup","lang":"fr","date":"2020-01-01","title":"Titre <b>gras</b>","paragraphs":["Un texte avec <script>alert('x')</script> et la cyberdéfense."]}"#,
    "\n",
);

fn serve(dir: &Path, index: &Path, extra: &[&str]) -> Served {
    serve_on(dir, index, "127.0.0.1:0", extra).0
}

fn fixture() -> (tempfile::TempDir, PathBuf) {
    index_of(FIXTURE)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// (status, content type, body) of `GET base + path`.
fn get(base: &str, path: &str) -> (u16, String, String) {
    let mut response = agent()
        .get(&format!("{base}{path}"))
        .call()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.body_mut().read_to_string().expect("read the body");
    (status, content_type, body)
}

fn get_json(base: &str, path: &str) -> (u16, Value) {
    let (status, content_type, body) = get(base, path);
    assert!(
        content_type.starts_with("application/json"),
        "{path}: content type {content_type:?}"
    );
    (status, serde_json::from_str(&body).expect("JSON body"))
}

fn hit_keys(body: &Value) -> Vec<(String, u64)> {
    body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["doc_id"].as_str().unwrap_or_default().to_string(),
                h["paragraph"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn search_answers_what_the_cli_answers() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let (status, body) = get_json(&server.base, "/api/search?q=cyberd%C3%A9fense&n=5&lang=fr");
    assert_eq!(status, 200);
    let cli = search_json_with(dir.path(), &idx, "cyberdéfense", 5, &["--lang", "fr"]);
    let cli_keys: Vec<(String, u64)> = cli
        .hits
        .iter()
        .map(|h| (h.doc_id.clone(), h.paragraph))
        .collect();
    assert_eq!(hit_keys(&body), cli_keys, "the same hits in the same order");
    let first = &body["hits"][0];
    assert_eq!(first["type"], "hit");
    let text = first["text"].as_str().expect("text");
    let [start, end] = [
        first["highlights"][0][0].as_u64().expect("start") as usize,
        first["highlights"][0][1].as_u64().expect("end") as usize,
    ];
    assert_eq!(
        text[start..end].to_lowercase(),
        "cyberdéfense",
        "byte offsets"
    );
    assert_eq!(body["total"], 3, "3 French paragraphs mention it");
}

#[test]
fn paging_dates_sort_docs_and_parallel() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let b = &server.base;
    let all = hit_keys(&get_json(b, "/api/search?q=cyberd%C3%A9fense&lang=fr").1);
    let page2 = hit_keys(&get_json(b, "/api/search?q=cyberd%C3%A9fense&lang=fr&n=1&offset=1").1);
    assert_eq!(page2, all[1..2].to_vec());
    let since = hit_keys(&get_json(b, "/api/search?q=cyberd%C3%A9fense&since=2016&lang=fr").1);
    assert!(
        since.iter().all(|(id, _)| id != "fr-cyber"),
        "2014 is before --since 2016: {since:?}"
    );
    let by_date = get_json(b, "/api/search?q=cyberd%C3%A9fense&sort=date&lang=fr").1;
    assert_eq!(
        by_date["hits"][0]["doc_id"], "fr-markup",
        "2020 is the newest"
    );
    let docs = get_json(b, "/api/search?q=cyberd%C3%A9fense&docs=true&lang=fr").1;
    assert!(docs["hits"][0]["matching_paragraphs"].is_u64());
    let parallel = get_json(
        b,
        "/api/search?q=%22d%C3%A9fense%20collective%22&parallel=1&lang=fr",
    )
    .1;
    assert_eq!(parallel["hits"][0]["twin"]["doc_id"], "en-cyber");
    let source = get_json(b, "/api/search?q=cyberd%C3%A9fense&source=nowhere").1;
    assert_eq!(source["returned"], 0, "no statement has that source");
}

#[test]
fn statements_trend_stats_health_and_the_page() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let b = &server.base;
    let (status, st) = get_json(b, "/api/statements/fr-cyber");
    assert_eq!(status, 200);
    assert_eq!(st["paragraphs"].as_array().map(Vec::len), Some(3));
    assert_eq!(st["paragraphs"][1]["paragraph"], 2);
    assert_eq!(st["twin"]["doc_id"], "en-cyber");
    assert_eq!(st["twin"]["aligned"], serde_json::json!([1, 2, 3]));

    let (status, t) = get_json(b, "/api/trend?q=cyberd%C3%A9fense&lang=fr");
    assert_eq!(status, 200);
    let periods: Vec<(String, u64, u64)> = t["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| {
            (
                p["period"].as_str().unwrap_or_default().to_string(),
                p["paragraphs"].as_u64().unwrap_or(99),
                p["all_paragraphs"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64)> = [
        ("2014", 1, 3),
        ("2015", 0, 0),
        ("2016", 1, 2),
        ("2017", 0, 0),
        ("2018", 0, 0),
        ("2019", 0, 0),
        ("2020", 1, 1),
    ]
    .iter()
    .map(|(p, n, all)| (p.to_string(), *n, *all))
    .collect();
    assert_eq!(periods, want);

    let (status, stats) = get_json(b, "/api/stats");
    assert_eq!(status, 200);
    assert_eq!(
        (stats["statements"].as_u64(), stats["paragraphs"].as_u64()),
        (Some(4), Some(9))
    );
    assert!(stats.get("sources").is_none(), "no file paths over HTTP");
    let (status, health) = get_json(b, "/health");
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));

    let (status, content_type, page) = get(b, "/");
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(
        !page.contains("<script>"),
        "no inline script: the CSP forbids it"
    );
    for asset in ["/app.js", "/style.css", "/api/openapi.yaml"] {
        let (status, _, body) = get(b, asset);
        assert_eq!(status, 200, "{asset}");
        assert!(!body.is_empty(), "{asset}");
    }
    let csp = agent()
        .get(&format!("{b}/"))
        .call()
        .expect("GET /")
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
}

#[test]
fn markup_in_statements_is_data_not_html() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let (_, body) = get_json(&server.base, "/api/statements/fr-markup");
    assert_eq!(
        body["paragraphs"][0]["text"],
        "Un texte avec <script>alert('x')</script> et la cyberdéfense.",
        "the text as written, in a JSON string (the page puts it in with textContent)"
    );
    assert_eq!(body["title"], "Titre <b>gras</b>");
}

#[test]
fn every_error_has_its_status_and_a_json_body() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let b = &server.base;
    let long = "otan%20".repeat(600);
    let cases: Vec<(String, u16, Option<&str>)> = vec![
        ("/api/search".to_string(), 400, Some("q")),
        ("/api/search?q=otan&n=101".to_string(), 400, Some("n")),
        ("/api/search?q=otan&n=-1".to_string(), 400, Some("n")),
        (
            "/api/search?q=otan&offset=99999999999999999999999".to_string(),
            400,
            Some("offset"),
        ),
        (
            "/api/search?q=otan&since=2021-13".to_string(),
            400,
            Some("since"),
        ),
        (
            "/api/search?q=otan&since=2022&until=2021".to_string(),
            400,
            Some("since"),
        ),
        ("/api/search?q=otan&lang=deu".to_string(), 400, Some("lang")),
        (
            "/api/search?q=otan&sort=random".to_string(),
            400,
            Some("sort"),
        ),
        (
            "/api/search?q=otan&exact=maybe".to_string(),
            400,
            Some("exact"),
        ),
        ("/api/search?q=otan&q=chine".to_string(), 400, Some("q")),
        ("/api/search?q=otan&limit=5".to_string(), 400, None),
        (
            "/api/search?q=(otan&strict=true".to_string(),
            400,
            Some("q"),
        ),
        (format!("/api/search?q={long}"), 413, Some("q")),
        (format!("/api/trend?q={long}"), 413, Some("q")),
        ("/api/trend?q=otan&by=week".to_string(), 400, Some("by")),
        ("/api/search?q=otan&N=3".to_string(), 400, Some("N")),
        ("/api/search?q=otan%FF".to_string(), 400, Some("q")),
        ("/api/search?q=otan&n=%FF".to_string(), 400, Some("n")),
        (
            "/api/search?q=otan&source=*".to_string(),
            400,
            Some("source"),
        ),
        (
            format!("/api/search?q=otan&source={long}"),
            413,
            Some("source"),
        ),
        (
            "/api/trend?q=otan&source=%20(".to_string(),
            400,
            Some("source"),
        ),
        ("/api/statements/%FF".to_string(), 400, Some("id")),
        ("/health?x=1".to_string(), 400, Some("x")),
        ("/api/stats?verbose=1".to_string(), 400, Some("verbose")),
        ("/api/statements/no-such-statement".to_string(), 404, None),
        ("/no/such/route".to_string(), 404, None),
    ];
    for (path, want, parameter) in cases {
        let (status, body) = get_json(b, &path);
        assert_eq!(status, want, "{path}: {body}");
        assert_eq!(body["error"]["status"], want, "{path}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{path}: a message"
        );
        if let Some(p) = parameter {
            assert_eq!(body["error"]["parameter"], p, "{path}");
        }
    }
}

#[test]
fn other_methods_are_405_with_a_json_body() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let mut response = agent()
        .post(&format!("{}/api/search?q=otan", server.base))
        .send("")
        .expect("POST");
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("GET, HEAD")
    );
    let body: Value =
        serde_json::from_str(&response.body_mut().read_to_string().expect("body")).expect("JSON");
    assert_eq!(body["error"]["status"], 405);
}

#[test]
fn a_source_filters_the_trend_and_its_totals_alike() {
    let (dir, idx) = fixture();
    let file = dir.path().join("sourced.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"src-a","lang":"fr","date":"2014-01-01","source":"Conseil nord","title":"A","paragraphs":["La cyberdéfense progresse.","Autre chose.","Encore autre chose.","Fin."]}"#,
            "\n"
        ),
    )
    .expect("write");
    vigie(dir.path())
        .args(["index", "--index"])
        .arg(&idx)
        .arg(&file)
        .assert()
        .success();
    let server = serve(dir.path(), &idx, &[]);
    let (status, t) = get_json(
        &server.base,
        "/api/trend?q=cyberd%C3%A9fense&source=conseil%20nord",
    );
    assert_eq!(status, 200, "{t}");
    let periods = t["periods"].as_array().expect("periods");
    assert_eq!(
        periods.len(),
        1,
        "only 2014 holds a statement of that source"
    );
    assert_eq!(periods[0]["paragraphs"], 1);
    assert_eq!(
        periods[0]["all_paragraphs"], 4,
        "the total counts that source's paragraphs only, not the 3 of fr-cyber"
    );
    assert_eq!(periods[0]["share"], 0.25);
}

#[test]
fn health_says_when_the_index_is_gone() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let (status, _) = get_json(&server.base, "/health");
    assert_eq!(status, 200);
    let moved = dir.path().join("moved");
    std::fs::rename(&idx, &moved).expect("move the index away");
    let (status, health) = get_json(&server.base, "/health");
    assert_eq!((status, health["status"].as_str()), (503, Some("degraded")));
    let (status, search) = get_json(&server.base, "/api/search?q=cyberd%C3%A9fense");
    assert_eq!(
        status, 200,
        "searches go on from the last commit read: {search}"
    );
    let (status, stats) = get_json(&server.base, "/api/stats");
    assert_eq!(status, 500);
    let message = stats["error"]["message"].as_str().unwrap_or_default();
    assert!(
        !message.contains(&*dir.path().to_string_lossy()),
        "no server path in an HTTP answer: {message}"
    );
}

#[test]
fn over_the_time_budget_is_503() {
    let (dir, idx) = fixture();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = vigie::serve::ServeConfig {
        index: idx,
        synonyms: None,
        limits: vigie::serve::Limits {
            time_budget: Duration::ZERO,
            ..vigie::serve::Limits::default()
        },
        cluster: None,
    };
    let state = std::sync::Arc::new(vigie::serve::AppState::open(config).expect("open"));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(vigie::serve::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let (status, body) = get_json(&base, "/api/search?q=cyberd%C3%A9fense");
    assert_eq!(status, 503, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("time budget")));
    let (status, _) = get_json(&base, "/health");
    assert_eq!(status, 200, "the server still answers");
    let _ = stop.send(());
    runtime.block_on(server).expect("server task");
    drop(dir);
}

#[test]
fn a_commit_and_a_rebuild_are_picked_up_while_serving() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let b = &server.base;
    let (_, before) = get_json(b, "/api/search?q=ran%C3%A7ongiciel");
    assert_eq!(before["total"], 0);
    let more = dir.path().join("more.jsonl");
    std::fs::write(
        &more,
        r#"{"id":"fr-rancon","lang":"fr","date":"2021-05-01","title":"Rançongiciels","paragraphs":["Un rançongiciel a frappé un hôpital."]}"#,
    )
    .expect("write");
    vigie(dir.path())
        .args(["index", "--index"])
        .arg(&idx)
        .arg(&more)
        .assert()
        .success();
    let found = wait_for(|| get_json(b, "/api/search?q=ran%C3%A7ongiciel").1["total"] == 1);
    assert!(found, "the new statement was not picked up within 10 s");
    let (_, health) = get_json(b, "/health");
    assert!(health["generation"].as_u64() >= Some(1));

    // A rebuild swaps a whole new directory in.
    vigie(dir.path())
        .args(["index", "--rebuild", "--index"])
        .arg(&idx)
        .arg(&more)
        .assert()
        .success();
    let rebuilt = wait_for(|| get_json(b, "/api/stats").1["statements"] == 1);
    assert!(rebuilt, "the rebuilt index (1 statement) was not picked up");
    let (status, after) = get_json(b, "/api/search?q=ran%C3%A7ongiciel");
    assert_eq!((status, after["total"].as_u64()), (200, Some(1)));
}

fn wait_for(mut ok: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn idle_and_half_sent_connections_do_not_block_others() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &["--max-concurrent", "1"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut idle = Vec::new();
    for i in 0..40 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        if i % 2 == 0 {
            // Half a request line, never finished.
            s.write_all(b"GET /api/search?q=otan HTTP/1.1\r\nHost: x\r\n")
                .expect("write");
        }
        idle.push(s);
    }
    let start = Instant::now();
    let (status, _) = get_json(&server.base, "/api/search?q=cyberd%C3%A9fense");
    assert_eq!(status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "a search behind 40 idle connections took {:?}",
        start.elapsed()
    );
    // A raw request on one more connection is answered too.
    let mut s = TcpStream::connect(&addr).expect("connect");
    s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(idle);
}

#[test]
fn concurrent_clients_all_get_answers() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let base = server.base.clone();
    let queries = [
        "cyberd%C3%A9fense",
        "alli%C3%A9s",
        "sommet",
        "defence",
        "otan",
    ];
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let base = base.clone();
            std::thread::spawn(move || {
                let agent = agent();
                (0..10)
                    .map(|i| {
                        let q = queries[(t + i) % queries.len()];
                        agent
                            .get(&format!("{base}/api/search?q={q}"))
                            .call()
                            .map(|r| r.status().as_u16())
                            .unwrap_or(0)
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for t in threads {
        let statuses = t.join().expect("client thread");
        assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    }
}

#[test]
fn a_busy_port_and_a_missing_index_are_clear_errors() {
    let (dir, idx) = fixture();
    let server = serve(dir.path(), &idx, &[]);
    let addr = server.base.trim_start_matches("http://");
    let out = vigie(dir.path())
        .args(["serve", "--bind", addr, "--index"])
        .arg(&idx)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot listen on"), "{err}");
    assert_eq!(
        err.matches("os error").count(),
        1,
        "the system's reason once: {err}"
    );
    let out = vigie(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0", "--index"])
        .arg(dir.path().join("nothing-here"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = vigie(dir.path())
        .args(["serve", "--bind", "127.0.0.1", "--index"])
        .arg(&idx)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no port"),
        "a missing port is named"
    );
}

#[test]
fn a_host_name_can_be_bound() {
    let (dir, idx) = fixture();
    let (_server, seen) = serve_on(dir.path(), &idx, "localhost:0", &[]);
    let first = seen.first().map(String::as_str).unwrap_or_default();
    assert!(first.contains("serving http://"), "{first}");
}

#[test]
fn another_address_than_loopback_warns_of_no_authentication() {
    let (dir, idx) = fixture();
    let (_server, seen) = serve_on(dir.path(), &idx, "0.0.0.0:0", &[]);
    assert!(
        seen.iter()
            .any(|l| l.contains("warning") && l.contains("no authentication")),
        "{seen:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_stop_refuses_new_clients_at_once_and_a_second_signal_forces_it() {
    let (dir, idx) = fixture();
    let mut server = serve(dir.path(), &idx, &[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    // A request cut off in its headers keeps the server waiting.
    let mut pending = TcpStream::connect(&addr).expect("connect");
    pending
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    std::thread::sleep(Duration::from_millis(100));
    let pid = server.child.id().to_string();
    let term = || {
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
    };
    term();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.child.try_wait().expect("wait").is_none(),
        "the server waits for the request in flight"
    );
    assert!(
        TcpStream::connect(&addr).is_err(),
        "a new client is refused at once, not left hanging"
    );
    let start = Instant::now();
    term();
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "a second signal stops the server at once"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    drop(pending);
}
