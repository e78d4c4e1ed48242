//! Ranking quality on `../shared/relevance/` (issues 17 and 11), as a regression
//! guard: the 20,229-paragraph collection is indexed through the binary,
//! every answerable query of the monolingual view is searched, and the
//! means must stay at or above the floors below (measured values in
//! BENCHMARKS.md, "Ranking"), with everything and by ranking alone
//! (issue 17's targets). The metrics are `eval.py`'s: nDCG@10 with
//! gain = grade and discount 1/log2(rank + 1), recall@100 and the
//! reciprocal rank of the first hit of grade ≥ 1. No timing is asserted.

mod common;

use std::collections::{HashMap, HashSet};

use common::*;
use serde_json::Value;

/// Floors: a little under the values measured with the thesaurus and its
/// related concepts (fifth session: 0.646, 0.732, 0.796), so that any rule that
/// loses quality fails.
const NDCG_FLOOR: f64 = 0.63;
const RECALL_100_FLOOR: f64 = 0.72;
const MRR_FLOOR: f64 = 0.78;

/// Floor of nDCG@10 on the default view (`qrels.jsonl`, both languages
/// judged alike): measured 0.642; issue 11 asks for 0.60.
const DEFAULT_VIEW_NDCG_FLOOR: f64 = 0.63;

/// Kinds with a target of their own (issue 11): `synonym` and `english`
/// nDCG@10 ≥ 0.60 on the monolingual view (measured 0.644 and 0.761).
const KIND_FLOORS: &[(&str, f64)] = &[("synonym", 0.60), ("english", 0.60)];

/// Issue 17's targets for ranking and stemming alone (`--without-rule
/// synonyms`, monolingual view): nDCG@10, recall@100 and MRR (measured
/// 0.582, 0.669, 0.722 on three index builds).
const RANKING_ALONE_FLOORS: (f64, f64, f64) = (0.58, 0.65, 0.70);

/// Issue 17: by ranking alone no kind below this nDCG@10, except
/// `synonym` and `english` (other words, other language).
const RANKING_ALONE_KIND_FLOOR: f64 = 0.40;

fn lines(rel: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(shared(rel)).expect("read ../shared file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Metrics of one ranked list against graded judgments.
fn metrics(ranked: &[(String, u64)], grades: &HashMap<(String, u64), u64>) -> (f64, f64, f64) {
    let dcg = |gains: &[u64]| -> f64 {
        gains
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, &g)| g as f64 / ((i + 2) as f64).log2())
            .sum()
    };
    let gains: Vec<u64> = ranked
        .iter()
        .map(|k| grades.get(k).copied().unwrap_or(0))
        .collect();
    let mut ideal: Vec<u64> = grades.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ndcg = dcg(&gains) / dcg(&ideal);
    let relevant = ideal.len() as f64;
    let found = gains.iter().take(100).filter(|&&g| g > 0).count() as f64;
    let rr = gains
        .iter()
        .position(|&g| g > 0)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    (ndcg, found / relevant, rr)
}

/// What one configuration scores over the 55 answerable queries.
struct Evaluation {
    /// Means of nDCG@10, recall@100 and reciprocal rank (monolingual view).
    means: (f64, f64, f64),
    /// Mean nDCG@10 on the default view (both languages judged).
    default_view: f64,
    /// Kind → (sum of nDCG@10, queries).
    kinds: HashMap<String, (f64, u32)>,
    /// One line per query, for failure messages.
    report: String,
}

impl Evaluation {
    fn kind(&self, kind: &str) -> (f64, u32) {
        let (sum, n) = self.kinds.get(kind).copied().unwrap_or_default();
        (sum / f64::from(n.max(1)), n)
    }

    fn summary(&self) -> String {
        let (ndcg, recall, mrr) = self.means;
        format!("nDCG@10 {ndcg:.3}, R@100 {recall:.3}, MRR {mrr:.3}")
    }
}

/// Searches every answerable query of the collection in `index` with the
/// `extra` search options and scores the hits.
fn evaluate(scratch: &std::path::Path, index: &std::path::Path, extra: &[&str]) -> Evaluation {
    let judged = judgments("relevance/qrels-monolingual.jsonl");
    let judged_both = judgments("relevance/qrels.jsonl");
    let mut sums = (0.0, 0.0, 0.0);
    let mut both = (0.0, 0);
    let mut kinds: HashMap<String, (f64, u32)> = HashMap::new();
    let mut answerable = 0;
    let mut report = Vec::new();
    for q in lines("relevance/queries.jsonl") {
        let qid = q["qid"].as_str().expect("qid");
        let Some(grades) = judged.get(qid).filter(|g| g.values().any(|&v| v > 0)) else {
            continue;
        };
        let text = q["query"].as_str().expect("query");
        let run = search_json_with(scratch, index, text, 100, extra);
        assert!(
            run.code == 0 || run.code == 1,
            "{qid} {text}: {}",
            run.stderr
        );
        let mut seen = HashSet::new();
        let ranked: Vec<(String, u64)> = run
            .hits
            .iter()
            .map(|h| (h.doc_id.clone(), h.paragraph))
            .filter(|k| seen.insert(k.clone()))
            .collect();
        assert_eq!(
            ranked.len(),
            run.hits.len(),
            "{qid}: a paragraph listed twice"
        );
        let (ndcg, recall, rr) = metrics(&ranked, grades);
        if let Some(g) = judged_both.get(qid).filter(|g| g.values().any(|&v| v > 0)) {
            both = (both.0 + metrics(&ranked, g).0, both.1 + 1);
        }
        report.push(format!(
            "{qid} {text}: nDCG@10 {ndcg:.3} R@100 {recall:.3} RR {rr:.3}"
        ));
        sums = (sums.0 + ndcg, sums.1 + recall, sums.2 + rr);
        let kind = kinds
            .entry(q["kind"].as_str().expect("kind").to_string())
            .or_default();
        *kind = (kind.0 + ndcg, kind.1 + 1);
        answerable += 1;
    }
    assert_eq!(answerable, 55, "the collection has 55 answerable queries");
    let n = answerable as f64;
    Evaluation {
        means: (sums.0 / n, sums.1 / n, sums.2 / n),
        default_view: both.0 / f64::from(both.1.max(1)),
        kinds,
        report: report.join("\n"),
    }
}

#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared/relevance, absent next to this checkout"
)]
#[test]
fn ranking_holds_its_measured_quality_on_the_relevance_collection() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = shared("relevance/corpus.jsonl");
    let index = build_index(dir.path(), &[&corpus]);
    let shipped = evaluate(dir.path(), &index, &[]);
    let (ndcg, recall, mrr) = shipped.means;
    assert!(
        ndcg >= NDCG_FLOOR && recall >= RECALL_100_FLOOR && mrr >= MRR_FLOOR,
        "ranking fell below its floors ({NDCG_FLOOR}, {RECALL_100_FLOOR}, {MRR_FLOOR}): {}\n{}",
        shipped.summary(),
        shipped.report
    );
    assert!(
        shipped.default_view >= DEFAULT_VIEW_NDCG_FLOOR,
        "default view nDCG@10 {:.3} fell below {DEFAULT_VIEW_NDCG_FLOOR}",
        shipped.default_view
    );
    for &(kind, floor) in KIND_FLOORS {
        let (mean, n) = shipped.kind(kind);
        assert!(
            n == 5 && mean >= floor,
            "kind {kind}: nDCG@10 {mean:.3} over {n} queries fell below {floor}\n{}",
            shipped.report
        );
    }
    // Issue 17's targets for ranking and stemming alone: no thesaurus.
    let alone = evaluate(dir.path(), &index, &["--without-rule", "synonyms"]);
    let (ndcg, recall, mrr) = alone.means;
    let (n, r, m) = RANKING_ALONE_FLOORS;
    assert!(
        ndcg >= n && recall >= r && mrr >= m,
        "ranking alone fell below issue 17's targets ({n}, {r}, {m}): {}\n{}",
        alone.summary(),
        alone.report
    );
    for kind in alone.kinds.keys() {
        let (mean, _) = alone.kind(kind);
        assert!(
            kind == "synonym" || kind == "english" || mean >= RANKING_ALONE_KIND_FLOOR,
            "ranking alone: kind {kind} nDCG@10 {mean:.3} fell below {RANKING_ALONE_KIND_FLOOR}\n{}",
            alone.report
        );
    }
    eprintln!(
        "relevance collection: {}; default view nDCG@10 {:.3}; ranking alone: {}",
        shipped.summary(),
        shipped.default_view,
        alone.summary()
    );
}

/// `qid` → (doc_id, paragraph) → grade, from a judgments file.
fn judgments(rel: &str) -> HashMap<String, HashMap<(String, u64), u64>> {
    let mut judged: HashMap<String, HashMap<(String, u64), u64>> = HashMap::new();
    for q in lines(rel) {
        let qid = q["qid"].as_str().expect("qid").to_string();
        let key = (
            q["doc_id"].as_str().expect("doc_id").to_string(),
            q["paragraph"].as_u64().expect("paragraph"),
        );
        let grade = q["grade"].as_u64().expect("grade");
        judged.entry(qid).or_default().insert(key, grade);
    }
    judged
}

#[test]
fn metrics_follow_eval_py() {
    // One relevant paragraph of grade 2 at rank 2, one of grade 1 missed.
    let grades: HashMap<(String, u64), u64> = [
        (("a".into(), 1), 2),
        (("b".into(), 1), 1),
        (("c".into(), 1), 0),
    ]
    .into_iter()
    .collect();
    let ranked = vec![("c".to_string(), 1), ("a".to_string(), 1)];
    let (ndcg, recall, rr) = metrics(&ranked, &grades);
    // DCG = 2 / log2(3); ideal = 2 / log2(2) + 1 / log2(3).
    let expected = (2.0 / 3f64.log2()) / (2.0 + 1.0 / 3f64.log2());
    assert!((ndcg - expected).abs() < 1e-9, "{ndcg} vs {expected}");
    assert!((recall - 0.5).abs() < 1e-9);
    assert!((rr - 0.5).abs() < 1e-9);
}

/// A title filter under a date filter once made the intersection of the
/// two go back and forth for ever on this collection (the title's scorer
/// answered a seek with a paragraph before the target). It must finish,
/// with the paragraphs of the one statement of 2019 or later whose title
/// says "cyber": the Allies' communiqué of 19 July 2021.
#[cfg_attr(
    vigie_no_shared,
    ignore = "needs ../shared/relevance, absent next to this checkout"
)]
#[test]
fn a_title_filter_under_a_date_filter_finishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = shared("relevance/corpus.jsonl");
    let index = build_index(dir.path(), &[&corpus]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .env("VIGIE_INDEX", dir.path().join("default-index"))
        .env_remove("VIGIE_SYNONYMS")
        .args([
            "search", "--json", "-n", "1000", "--since", "2019", "--index",
        ])
        .arg(&index)
        .arg("title:cyber")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("running vigie");
    let started = std::time::Instant::now();
    while child.try_wait().expect("waiting").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("`vigie search --since 2019 title:cyber` still running after 120 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    let hits: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "hit")
        .collect();
    assert!(!hits.is_empty(), "no hit");
    for hit in &hits {
        assert!(hit["date"].as_str().is_some_and(|d| d >= "2019"), "{hit}");
        assert!(
            hit["title"]
                .as_str()
                .is_some_and(|t| t.to_lowercase().contains("cyber")),
            "{hit}"
        );
    }
}
