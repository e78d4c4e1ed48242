//! Twins: which statements are versions of the same statement in another
//! language, and which paragraph of one answers a paragraph of the other.
//!
//! Official bodies publish each statement in French and English with the
//! same numbered paragraphs. Two documents are twins when they share a
//! *twin key* ([`twin_keys`]): the same explicit `twin` value, the same
//! reference number (`Communiqué de presse (2021) 120` and `Press Release
//! (2021) 120` both give `(2021) 120`), or ids that differ only by a
//! language marker (`fr-pariscall-call` / `en-pariscall-call`,
//! `nac-…-cyber-fr` / `nac-…-cyber-en`). Keys are indexed with every
//! paragraph, so finding a twin is one term lookup.
//!
//! When both versions have the same number of paragraphs, paragraph N
//! answers paragraph N. Otherwise [`align`] aligns the two sequences by
//! position and length (the Gale–Church idea: translations keep paragraph
//! lengths roughly proportional), allowing one paragraph of one version to
//! match two of the other.

/// Language markers stripped from ids to form the id twin key.
const LANG_MARKERS: &[&str] = &["fr", "en", "de", "es", "it"];

/// Twin keys of a statement, from its explicit twin value, id and
/// reference line (see the module docs). Keys are namespaced (`twin:`,
/// `ref:`, `id:`) so that they cannot collide across kinds.
pub fn twin_keys(id: &str, reference: Option<&str>, explicit: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(t) = explicit.map(str::trim).filter(|t| !t.is_empty()) {
        keys.push(format!("twin:{t}"));
    }
    if let Some(r) = reference.and_then(reference_number) {
        keys.push(format!("ref:{r}"));
    }
    let lower = id.to_ascii_lowercase();
    for m in LANG_MARKERS {
        let stripped = lower
            .strip_prefix(&format!("{m}-"))
            .or_else(|| lower.strip_suffix(&format!("-{m}")))
            .or_else(|| lower.strip_prefix(&format!("{m}_")))
            .or_else(|| lower.strip_suffix(&format!("_{m}")));
        if let Some(s) = stripped.filter(|s| !s.is_empty()) {
            keys.push(format!("id:{s}"));
            break;
        }
    }
    keys
}

/// The `(YYYY) N` part of a reference line, normalised (`(2021) 120`).
fn reference_number(reference: &str) -> Option<String> {
    let open = reference.find('(')?;
    let close = open + reference[open..].find(')')?;
    let year = reference[open + 1..close].trim();
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let number: String = reference[close + 1..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if number.is_empty() {
        return None;
    }
    Some(format!("({year}) {number}"))
}

/// Aligns paragraph sequences `a` and `b` (their lengths in characters) and
/// returns, for each paragraph of `a`, the index of its counterpart in `b`.
/// Equal counts align one to one; otherwise a dynamic programme over 1–1,
/// 2–1, 1–2, 1–0 and 0–1 steps minimises the length mismatch of aligned
/// groups (lengths normalised by each version's total).
pub fn align(a: &[usize], b: &[usize]) -> Vec<usize> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    if a.len() == b.len() {
        return (0..a.len()).collect();
    }
    let total = |v: &[usize]| v.iter().sum::<usize>().max(1) as f64;
    let (ta, tb) = (total(a), total(b));
    let na: Vec<f64> = a.iter().map(|&x| x as f64 / ta).collect();
    let nb: Vec<f64> = b.iter().map(|&x| x as f64 / tb).collect();
    let mismatch = |x: f64, y: f64| (x - y).abs() / (x + y).max(1e-9);
    const SKIP: f64 = 1.0;
    const MERGE: f64 = 0.15;
    let (n, m) = (a.len(), b.len());
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back = vec![vec![(0usize, 0usize); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[i][j];
            if !here.is_finite() {
                continue;
            }
            let mut step = |di: usize, dj: usize, c: f64| {
                let (ni, nj) = (i + di, j + dj);
                if ni <= n && nj <= m && here + c < cost[ni][nj] {
                    cost[ni][nj] = here + c;
                    back[ni][nj] = (di, dj);
                }
            };
            if i < n && j < m {
                step(1, 1, mismatch(na[i], nb[j]));
            }
            if i + 1 < n && j < m {
                step(2, 1, mismatch(na[i] + na[i + 1], nb[j]) + MERGE);
            }
            if i < n && j + 1 < m {
                step(1, 2, mismatch(na[i], nb[j] + nb[j + 1]) + MERGE);
            }
            step(1, 0, SKIP);
            step(0, 1, SKIP);
        }
    }
    let mut out = vec![0usize; n];
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj) = back[i][j];
        if di == 0 && dj == 0 {
            break;
        }
        let target = if dj > 0 { j - dj } else { j.min(m - 1) };
        for slot in &mut out[i - di..i] {
            *slot = target;
        }
        i -= di;
        j -= dj;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_ids_references_and_explicit_values() {
        assert_eq!(
            twin_keys("fr-pariscall-call", None, None),
            ["id:pariscall-call"]
        );
        assert_eq!(
            twin_keys("en-pariscall-call", None, None),
            ["id:pariscall-call"]
        );
        assert_eq!(
            twin_keys("nac-2021-07-19-cyber-fr", None, None),
            ["id:nac-2021-07-19-cyber"]
        );
        assert_eq!(
            twin_keys("a", Some("Communiqué de presse (2021) 120"), Some("x")),
            ["twin:x", "ref:(2021) 120"]
        );
        assert_eq!(
            twin_keys("b", Some("Press Release (2021) 120"), None),
            ["ref:(2021) 120"]
        );
        assert!(twin_keys("french-stuff", Some("EUCO 1/22"), None).is_empty());
    }

    #[test]
    fn equal_counts_align_one_to_one() {
        assert_eq!(align(&[10, 20, 30], &[11, 19, 33]), [0, 1, 2]);
    }

    #[test]
    fn a_merged_paragraph_takes_both() {
        // b merged a[1] and a[2].
        let a = [200, 240, 280, 200, 150];
        let b = [190, 500, 195, 140];
        assert_eq!(align(&a, &b), [0, 1, 1, 2, 3]);
        // And the other way round.
        assert_eq!(align(&b, &a), [0, 1, 3, 4]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        assert!(align(&[], &[1]).is_empty());
        assert_eq!(align(&[5], &[1, 2, 3]).len(), 1);
        assert_eq!(align(&[0, 0, 0], &[0]).len(), 3);
    }
}
