//! A generated French corpus and its query file, for reproducing vigie's
//! speed ratios on a fresh clone (`benches/quick-compare.sh`, issue 14).
//!
//! The repository ships one real statement (`corpus/`), too small to time a
//! search engine, and the real corpus (`../shared/corpus/`, 1.16 M
//! paragraphs) is not part of a clone. This generator writes as many
//! statements as asked, in vigie's JSON Lines format, whose paragraphs are
//! **synthetic**: words drawn from the French vocabulary of the repository's
//! own texts (the bundled statement, the thesaurus, the test fixtures, the
//! old relevance bench), function words first, with Zipf-like frequencies
//! (the word of rank r drawn with probability ∝ 1 / (r + 2.7)^1.2; derived
//! pseudo-words, such as a stem with `-isme`, make the long tail of rare
//! words), elisions
//! (`l'`, `d'`) before vowels, commas and capitals. The text means nothing;
//! its term statistics look like prose, which is what the postings, the
//! ranking and the highlighter see. It is deterministic: the same seed and
//! size give the same bytes.
//!
//! Beside the corpus it writes a query file in the kinds of
//! `benches/queries.txt` (common, rare, unaccented, and, or, phrase,
//! elided, prefix, absent), picked from the words the corpus really holds,
//! so that every kind finds what its name says.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --paragraphs 200000 \
//!     --out corpus.jsonl --queries queries.txt [--seed 7]
//! ```

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The repository's French texts the vocabulary is drawn from: the bundled
/// statement and the test fixture whole; of the thesaurus and the bench
/// query files, the lines that are not comments, and of a thesaurus group
/// only its first entry (the French preferred label; the others are often
/// English).
const SOURCES: &[&str] = &[
    include_str!("../corpus/nac-2021-07-19-cyber-fr.txt"),
    include_str!("../tests/data/fixture.jsonl"),
];
const LISTS: &[&str] = &[
    include_str!("../thesaurus/default.txt"),
    include_str!("../benches/queries-statements.txt"),
    include_str!("../benches/queries.txt"),
];

/// French derivational endings that lengthen the vocabulary's tail: each
/// word of six letters or more also gives its stem (less two letters)
/// with each of them, pseudo-words drawn rarely, as rare words are in
/// prose.
const SUFFIXES: &[&str] = &[
    "ment", "tion", "eur", "euse", "ique", "isme", "iste", "ité", "able", "age", "ance", "ier",
];

/// French function words, drawn most often (in this order of rank).
const FUNCTION_WORDS: &[&str] = &[
    "de", "la", "le", "et", "les", "des", "en", "du", "un", "une", "à", "pour", "dans", "sur",
    "par", "au", "aux", "que", "qui", "est", "avec", "son", "sa", "ses", "ce", "cette", "ne",
    "pas", "plus", "ou", "leur", "leurs", "sont", "été", "entre", "ont", "nous", "il", "elle",
];

/// Paragraphs per statement.
const PARAGRAPHS_PER_STATEMENT: usize = 8;

struct Options {
    paragraphs: usize,
    out: PathBuf,
    queries: PathBuf,
    seed: u64,
}

fn options() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let (mut paragraphs, mut out, mut queries, mut seed) = (200_000, None, None, 7);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--paragraphs" => paragraphs = value()?.parse().context("--paragraphs")?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--queries" => queries = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().context("--seed")?,
            other => bail!(
                "unknown argument {other}\nusage: gen_corpus [--paragraphs N] --out FILE --queries FILE [--seed N]"
            ),
        }
    }
    Ok(Options {
        paragraphs,
        out: out.context("--out FILE is required")?,
        queries: queries.context("--queries FILE is required")?,
        seed,
    })
}

/// The content words of the sources: alphabetic runs of at least three
/// letters, lower-cased, without function words, each once, in a seeded
/// random order (their rank).
fn vocabulary(rng: &mut StdRng) -> Vec<String> {
    let mut texts: Vec<&str> = SOURCES.to_vec();
    for list in LISTS {
        texts.extend(
            list.lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(|l| l.split(',').next().unwrap_or_default()),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let lower = word.to_lowercase();
            if lower.chars().count() >= 3 && !FUNCTION_WORDS.contains(&lower.as_str()) {
                seen.insert(lower);
            }
        }
    }
    let mut words: Vec<String> = seen.iter().cloned().collect();
    words.shuffle(rng);
    // The tail: derived pseudo-words, after every real word.
    let mut derived: Vec<String> = Vec::new();
    for word in &words {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() >= 6 {
            let stem: String = chars[..chars.len() - 2].iter().collect();
            for suffix in SUFFIXES {
                let form = format!("{stem}{suffix}");
                if !seen.contains(&form) {
                    derived.push(form);
                }
            }
        }
    }
    derived.sort();
    derived.dedup();
    derived.shuffle(rng);
    words.extend(derived);
    words
}

/// Cumulative Zipf weights for `n` ranks: rank r weighs 1 / (r + 2.7)^1.2.
fn zipf(n: usize) -> Vec<f64> {
    let mut total = 0.0;
    (0..n)
        .map(|r| {
            total += (r as f64 + 2.7).powf(-1.2);
            total
        })
        .collect()
}

/// A rank drawn from cumulative weights.
fn draw(rng: &mut StdRng, cumulative: &[f64]) -> usize {
    let x = rng.random::<f64>() * cumulative[cumulative.len() - 1];
    cumulative.partition_point(|&c| c < x)
}

fn starts_with_vowel(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| "aeiouyéèêàâîôûh".contains(c))
}

/// `word` as vigie folds it (accents off; the words are lower-case).
fn unaccented(word: &str) -> String {
    vigie::analysis::fold::fold(word)
}

/// Generates paragraphs and counts what the queries need.
struct Generator {
    rng: StdRng,
    words: Vec<String>,
    cumulative: Vec<f64>,
    counts: HashMap<usize, u64>,
    pairs: HashMap<(usize, usize), u64>,
}

impl Generator {
    /// One paragraph of 15 to 70 words.
    fn paragraph(&mut self) -> String {
        let len = self.rng.random_range(15..=70);
        let mut out = String::new();
        let mut previous: Option<usize> = None;
        for i in 0..len {
            let rank = draw(&mut self.rng, &self.cumulative);
            let word = &self.words[rank];
            let function = rank < FUNCTION_WORDS.len();
            if !function {
                *self.counts.entry(rank).or_default() += 1;
                if let Some(p) = previous {
                    *self.pairs.entry((p, rank)).or_default() += 1;
                }
            }
            previous = (!function).then_some(rank);
            if i > 0 {
                out.push(if self.rng.random_ratio(1, 12) {
                    ','
                } else {
                    ' '
                });
                if out.ends_with(',') {
                    out.push(' ');
                }
            }
            if !function && starts_with_vowel(word) && self.rng.random_ratio(1, 4) {
                out.push_str(if self.rng.random_bool(0.5) {
                    "l'"
                } else {
                    "d'"
                });
                previous = None;
            }
            out.push_str(word);
        }
        let mut chars = out.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        format!("{}{}.", first.unwrap_or_default(), chars.as_str())
    }

    /// Content words ordered by how often the corpus holds them.
    fn by_count(&self) -> Vec<(usize, u64)> {
        let mut v: Vec<(usize, u64)> = self.counts.iter().map(|(&r, &c)| (r, c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

fn write_corpus(g: &mut Generator, o: &Options) -> Result<()> {
    let file = std::fs::File::create(&o.out).with_context(|| format!("{}", o.out.display()))?;
    let mut out = BufWriter::new(file);
    let statements = o.paragraphs.div_ceil(PARAGRAPHS_PER_STATEMENT);
    for s in 0..statements {
        let n = PARAGRAPHS_PER_STATEMENT.min(o.paragraphs - s * PARAGRAPHS_PER_STATEMENT);
        let paragraphs: Vec<String> = (0..n).map(|_| g.paragraph()).collect();
        let title: String = g
            .paragraph()
            .split(' ')
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        let record = serde_json::json!({
            "id": format!("generated-{s:07}"),
            "title": format!("SYNTHETIC {}", title.trim_end_matches([',', '.'])),
            "date": format!("{}-{:02}-{:02}", 2000 + s % 25, 1 + s % 12, 1 + s % 28),
            "lang": "fr",
            "source": "gen_corpus (synthetic)",
            "paragraphs": paragraphs,
        });
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn write_queries(g: &Generator, o: &Options) -> Result<()> {
    let by_count = g.by_count();
    let word = |r: usize| g.words[r].as_str();
    let long = |&&(r, _): &&(usize, u64)| word(r).chars().count() >= 6;
    let common: Vec<&str> = by_count
        .iter()
        .filter(long)
        .take(6)
        .map(|x| word(x.0))
        .collect();
    // The rarest words that are there at least three times.
    let rare: Vec<&str> = by_count
        .iter()
        .rev()
        .filter(|x| x.1 >= 3)
        .filter(long)
        .take(6)
        .map(|x| word(x.0))
        .collect();
    let accented: Vec<String> = by_count
        .iter()
        .filter(|x| unaccented(word(x.0)) != word(x.0))
        .take(6)
        .map(|x| unaccented(word(x.0)))
        .collect();
    let mut pairs: Vec<(&(usize, usize), &u64)> = g.pairs.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let phrases: Vec<String> = pairs
        .iter()
        .filter(|(p, _)| p.0 != p.1)
        .take(6)
        .map(|(p, _)| format!("\"{} {}\"", word(p.0), word(p.1)))
        .collect();
    let vowel: Vec<String> = by_count
        .iter()
        .filter(|x| starts_with_vowel(word(x.0)) && !word(x.0).starts_with('h'))
        .take(6)
        .map(|x| format!("l'{}", word(x.0)))
        .collect();
    let mid: Vec<&str> = by_count
        .iter()
        .skip(30)
        .filter(long)
        .take(12)
        .map(|x| word(x.0))
        .collect();
    let and: Vec<String> = mid.chunks(2).take(6).map(|c| c.join(" ")).collect();
    let or: Vec<String> = mid
        .chunks(2)
        .skip(2)
        .take(4)
        .map(|c| c.join(" OR "))
        .collect();
    let prefix: Vec<String> = common
        .iter()
        .map(|w| format!("{}*", w.chars().take(5).collect::<String>()))
        .collect();
    let mut out = String::from(
        "# Generated by examples/gen_corpus.rs for its synthetic corpus: the kinds of\n\
         # benches/queries.txt, picked from the words the corpus holds.\n",
    );
    let kinds: [(&str, Vec<String>); 9] = [
        ("common", common.iter().map(|s| s.to_string()).collect()),
        ("rare", rare.iter().map(|s| s.to_string()).collect()),
        ("unaccented", accented),
        ("and", and),
        ("or", or),
        ("phrase", phrases),
        ("elided", vowel),
        ("prefix", prefix),
        ("absent", vec!["zzyzx".into(), "xqwvjkplm".into()]),
    ];
    for (kind, queries) in kinds {
        out.push_str(&format!("\n# kind: {kind}\n"));
        for q in queries {
            out.push_str(&q);
            out.push('\n');
        }
    }
    std::fs::write(&o.queries, out).with_context(|| format!("{}", o.queries.display()))
}

fn main() -> Result<()> {
    let o = options()?;
    let mut rng = StdRng::seed_from_u64(o.seed);
    let mut words: Vec<String> = FUNCTION_WORDS.iter().map(|s| s.to_string()).collect();
    words.extend(vocabulary(&mut rng));
    let cumulative = zipf(words.len());
    let mut g = Generator {
        rng,
        words,
        cumulative,
        counts: HashMap::new(),
        pairs: HashMap::new(),
    };
    write_corpus(&mut g, &o)?;
    write_queries(&g, &o)?;
    eprintln!(
        "gen_corpus: {} synthetic paragraphs in {}, queries in {} ({} distinct words)",
        o.paragraphs,
        o.out.display(),
        o.queries.display(),
        g.words.len()
    );
    Ok(())
}
