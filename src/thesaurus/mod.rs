//! The thesaurus: which words and names mean the same thing (issue 11).
//!
//! A [`Thesaurus`] holds groups of synonyms read from files in the Solr /
//! Elasticsearch synonyms format ([`parse`]): vigie's own, shipped in the
//! binary from `thesaurus/default.txt` ([`Thesaurus::builtin`]), then the
//! user's (`--synonyms FILE`, `$VIGIE_SYNONYMS`, or the file stored with
//! the index by `vigie index --synonyms`). It answers one question for the
//! query planner: "does this run of query words name an entry, and what
//! else should be searched?" ([`Thesaurus::lookup`], [`Thesaurus::targets`]).
//! Entries meet query words through their *keys*: their words elided,
//! folded and in the singular, without function words ([`key`]), so
//! `fournisseurs fiables` meets the entry `fournisseur fiable` and `droits
//! de l'Homme` meets `droits de l'homme`. Expansion happens at query time; the index never changes.

pub mod parse;

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{
    self,
    acronym::is_acronym,
    stopwords::{is_english_stop_word, is_stop_word},
};
pub use parse::SynonymError;

/// The text of vigie's default thesaurus, `thesaurus/default.txt`.
pub const DEFAULT_TEXT: &str = include_str!("../../thesaurus/default.txt");

/// [`DEFAULT_TEXT`] line by line, each group line folded to its letters
/// and digits at build time (see `build.rs`), the others empty.
const DEFAULT_FOLDED: &str = include_str!(concat!(env!("OUT_DIR"), "/thesaurus-folded.txt"));

// `DEFAULT_LINE_RANGES` and `DEFAULT_FOLDED_STARTS`, computed by the build
// script (a test checks them against the texts).
include!(concat!(env!("OUT_DIR"), "/thesaurus-lines.rs"));

/// Largest synonym file read (4 MiB, some 100,000 groups): every search
/// reads it, and its groups take some forty times its size in memory.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// The name the default thesaurus goes by in explanations and errors.
pub const DEFAULT_NAME: &str = "thesaurus/default.txt";

/// One term of a group, as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry as written (inner spaces collapsed).
    pub text: String,
    /// Whether the entry is also a common word or another acronym (`UN`
    /// and the article `un`, `EU` and the participle `eu`): named by a
    /// `# ambiguous:` line, or a single word of at most two letters, or a
    /// French or English function word once folded. An ambiguous entry is
    /// looked up only when the query has it exactly as written (case
    /// included), and is searched only in capitals, as an acronym
    /// ([`analysis::acronym`]); one that is not written in capitals is
    /// never searched for another entry.
    pub ambiguous: bool,
}

/// Where a group was read: file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file, as given (or [`DEFAULT_NAME`]).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
}

/// One line of a synonym file: entries that name the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The entries, in file order.
    pub entries: Vec<Entry>,
    /// `Some(n)` for a one-way rule (`a, b => c`): the first `n` entries
    /// are searched with the others, not the reverse. `None` for an
    /// equivalence.
    pub sources: Option<usize>,
    /// Where it was read.
    pub origin: Origin,
    /// The `# source:` comment above it, when there is one.
    pub source: Option<String>,
    /// The entries of other groups named by a `# related:` comment above
    /// it (SKOS `related`, EuroVoc's RT): concepts that are not the same
    /// but that an analyst asking for this one also wants, searched below
    /// its synonyms ([`crate::search::synonym::RELATED_WEIGHT`]). One way,
    /// as written; the default thesaurus writes each link on both groups.
    pub related: Vec<String>,
}

/// A reference to one entry: `(group, entry)` indexes.
pub type EntryRef = (u32, u32);

/// Groups of synonyms, indexed by the keys of their entries.
///
/// Every `vigie search` may need the default thesaurus, and reading it
/// whole costs about a millisecond, more than a warm query, so its lines
/// are read when a query needs them: a lookup finds the lines whose
/// letters and digits (folded at build time) hold the first term of its
/// key, less its last two letters (which the singular may change), and
/// reads and keys only those. A test checks that this finds what reading
/// the whole file finds. A user's groups are keyed when added.
#[derive(Debug, Default)]
pub struct Thesaurus {
    /// Whether the default thesaurus is part of it.
    with_default: bool,
    state: Mutex<State>,
}

/// What a [`Thesaurus`] has read so far.
#[derive(Debug, Default)]
struct State {
    groups: Vec<Arc<Group>>,
    keys: FxHashMap<Vec<String>, Vec<EntryRef>>,
    longest: usize,
    /// The default's lines, once prepared.
    lines: Vec<&'static str>,
    /// Default lines already read, and the strings already looked for.
    read: FxHashSet<usize>,
    searched: FxHashSet<String>,
}

impl State {
    /// Adds `group`, keying each entry.
    fn add(&mut self, mut group: Group, analyzer: &mut TextAnalyzer) {
        let g = self.groups.len() as u32;
        for (e, entry) in group.entries.iter_mut().enumerate() {
            entry.ambiguous |= ambiguous_form(&entry.text);
            let k = key(analyzer, &entry.text);
            if k.is_empty() {
                continue;
            }
            self.longest = self.longest.max(k.len());
            let refs = self.keys.entry(k).or_default();
            if !refs.contains(&(g, e as u32)) {
                refs.push((g, e as u32));
            }
        }
        self.groups.push(Arc::new(group));
    }

    /// Prepares to read the default's lines, once.
    fn prepare_default(&mut self) {
        if self.lines.is_empty() {
            self.lines = DEFAULT_LINE_RANGES
                .iter()
                .map(|&(from, to)| DEFAULT_TEXT.get(from as usize..to as usize).unwrap_or(""))
                .collect();
            self.longest = self.longest.max(DEFAULT_LONGEST_KEY);
        }
    }

    /// Reads the default's lines that may hold an entry whose key starts
    /// with `first`.
    fn read_default(&mut self, first: &str) {
        self.prepare_default();
        let mut filter: String = first.chars().filter(|c| c.is_alphanumeric()).collect();
        if filter.chars().count() > 4 {
            filter.pop();
            filter.pop();
        }
        if filter.is_empty() || !self.searched.insert(filter.clone()) {
            return;
        }
        // One search through the whole folded text (the filter holds no
        // line break, so a match lies within a line), then each match's
        // line: a cold search pays for one scan, not one per line.
        let mut wanted: Vec<usize> = Vec::new();
        for (at, _) in DEFAULT_FOLDED.match_indices(filter.as_str()) {
            let line = DEFAULT_FOLDED_STARTS.partition_point(|&start| start as usize <= at) - 1;
            if wanted.last() != Some(&line) && !self.read.contains(&line) {
                wanted.push(line);
            }
        }
        let mut analyzer = key_analyzer();
        for i in wanted {
            self.read.insert(i);
            if let Some(group) = parse::group_at(&self.lines, i, DEFAULT_NAME) {
                self.add(group, &mut analyzer);
            }
        }
    }
}

/// At least as many terms as the longest key of the default thesaurus
/// (a test checks it), so that its lines need not be read to know it.
const DEFAULT_LONGEST_KEY: usize = 16;

/// At least as many terms as `text`'s [`key`] has: its runs of letters and
/// digits.
#[cfg(test)]
fn most_terms(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// The analyzer of keys: the French chain without its stemmer (see
/// [`key`]).
pub fn key_analyzer() -> TextAnalyzer {
    use analysis::{compound::CompoundFilter, elision::ElisionFilter, fold::FoldingFilter};
    TextAnalyzer::builder(analysis::tokenizer::WordTokenizer)
        .filter(ElisionFilter)
        .filter(CompoundFilter)
        .filter(FoldingFilter)
        .build()
}

/// Whether a word as written looks like an acronym or a name in capitals
/// inside (`MDCS`, `eIDAS`), or has no vowel: its final `s` is part of it.
fn keeps_final_s(word: &str) -> bool {
    word.chars().skip(1).any(char::is_uppercase)
        || !word.chars().any(|c| "aeiouyAEIOUYéèêàâîôûÉÈ".contains(c))
}

/// The singular of a folded word, as far as a thesaurus key needs it:
/// `-aux` → `-al`, a final `s` or `x` dropped (`fournisseurs` →
/// `fournisseur`, `tests` → `test`), except on words of three letters or
/// fewer, on `-ss` and on acronyms.
fn singular(folded: &str, written: &str) -> String {
    if folded.chars().count() <= 3 || keeps_final_s(written) {
        return folded.to_string();
    }
    if let Some(base) = folded.strip_suffix("aux") {
        return format!("{base}al");
    }
    match folded.strip_suffix(['s', 'x']) {
        Some(base) if !base.ends_with('s') => base.to_string(),
        _ => folded.to_string(),
    }
}

/// The key of `text` through `analyzer` (from [`key_analyzer`]): its words
/// elided, folded and put in the singular (a compound by its joined form),
/// without French function words unless it has nothing else. Stemming is
/// left out on purpose: Snowball would make `TICE` meet `TIC`, `pentester`
/// meet `pentest` and `eIDAS` meet `eID`.
pub fn key(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let tokens = analysis::tokens(analyzer, text);
    let compound = tokens.iter().any(|t| t.position_length > 1);
    let mut skip_until = 0;
    let mut terms = Vec::new();
    for t in &tokens {
        let whole = compound && t.position_length > 1;
        if whole {
            skip_until = t.position + t.position_length;
        }
        if whole || (t.position_length == 1 && (!compound || t.position >= skip_until)) {
            let written = text.get(t.offset_from..t.offset_to).unwrap_or(&t.text);
            // A function word in capitals is an acronym (`UN Charter`).
            terms.push((singular(&t.text, written), is_acronym(written)));
        }
    }
    let content: Vec<String> = terms
        .iter()
        .filter(|(t, acronym)| *acronym || !is_stop_word(t))
        .map(|t| t.0.clone())
        .collect();
    let terms: Vec<String> = terms.into_iter().map(|t| t.0).collect();
    if content.is_empty() {
        terms
    } else {
        content
    }
}

/// Whether `text` is ambiguous by its form (see [`Entry::ambiguous`]).
fn ambiguous_form(text: &str) -> bool {
    if text.contains(' ') {
        return false;
    }
    let folded = analysis::fold::fold(text);
    (folded.chars().all(char::is_alphabetic) && folded.chars().count() <= 2)
        || is_stop_word(&folded)
        || is_english_stop_word(&folded)
}

/// Every `# related:` name of `groups` (a user's file) that names no
/// entry of the file nor of the default thesaurus: a typo there would
/// silently relate nothing.
///
/// # Errors
/// One [`SynonymError`] per such name, at its group's line.
fn unresolved_related(groups: &[Group]) -> Result<(), Vec<SynonymError>> {
    if groups.iter().all(|g| g.related.is_empty()) {
        return Ok(());
    }
    let mut all = Thesaurus::with_default();
    all.extend(groups.to_vec());
    let mut analyzer = key_analyzer();
    let errors: Vec<SynonymError> = groups
        .iter()
        .flat_map(|g| g.related.iter().map(move |name| (g, name)))
        .filter(|(_, name)| all.lookup(&key(&mut analyzer, name)).is_empty())
        .map(|(g, name)| SynonymError {
            file: g.origin.file.clone(),
            line: g.origin.line,
            message: format!(
                "`# related: {name}` above this group names no entry of this file nor of vigie's thesaurus"
            ),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

impl Thesaurus {
    /// A thesaurus with no group.
    pub fn empty() -> Thesaurus {
        Thesaurus::default()
    }

    /// vigie's default thesaurus ([`DEFAULT_TEXT`]), shared by the whole
    /// process.
    pub fn builtin() -> Arc<Thesaurus> {
        static BUILTIN: OnceLock<Arc<Thesaurus>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Arc::new(Thesaurus::with_default()))
            .clone()
    }

    /// A new thesaurus holding the default groups ([`DEFAULT_TEXT`]), for a
    /// caller that adds its own groups to them.
    pub fn with_default() -> Thesaurus {
        Thesaurus {
            with_default: true,
            state: Mutex::default(),
        }
    }

    /// Reads the synonym file at `path` (UTF-8; see [`parse`]): its text,
    /// read once (a pipe gives what it gives once), and its groups.
    ///
    /// # Errors
    /// Every bad line, or one error for the whole file (line 0) when it
    /// cannot be read, is over [`MAX_FILE_BYTES`] or is not UTF-8.
    pub fn read_text(path: &Path) -> Result<(String, Vec<Group>), Vec<SynonymError>> {
        use std::io::Read;
        let name = path.display().to_string();
        let whole = |message: String| {
            vec![SynonymError {
                file: name.clone(),
                line: 0,
                message,
            }]
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| whole(format!("cannot read: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(whole(format!(
                "larger than {} MiB: a synonym file is read by every search",
                MAX_FILE_BYTES >> 20
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            vec![SynonymError {
                file: name.clone(),
                line,
                message: "not UTF-8 text".into(),
            }]
        })?;
        let groups = parse::parse(&text, &name)?;
        unresolved_related(&groups)?;
        Ok((text, groups))
    }

    /// The groups of the synonym file at `path` (see [`Thesaurus::read_text`]).
    ///
    /// # Errors
    /// As [`Thesaurus::read_text`].
    pub fn read_file(path: &Path) -> Result<Vec<Group>, Vec<SynonymError>> {
        Thesaurus::read_text(path).map(|(_, groups)| groups)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds `groups` (after the ones already held: a later file adds to an
    /// earlier one, it does not replace it), each entry keyed at once.
    pub fn extend(&mut self, groups: Vec<Group>) {
        let mut analyzer = key_analyzer();
        let state = self
            .state
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for group in groups {
            state.add(group, &mut analyzer);
        }
    }

    /// Whether it has no group.
    pub fn is_empty(&self) -> bool {
        !self.with_default && self.state().groups.is_empty()
    }

    /// At least as many terms as the longest key of an entry.
    pub fn longest_key(&self) -> usize {
        let mut state = self.state();
        if self.with_default {
            state.prepare_default();
        }
        state.longest
    }

    /// The entries whose key is `key` (see [`key`]), in the order read.
    pub fn lookup(&self, key: &[String]) -> Vec<EntryRef> {
        let mut state = self.state();
        if let (true, Some(first)) = (self.with_default, key.first()) {
            state.read_default(first);
        }
        state.keys.get(key).cloned().unwrap_or_default()
    }

    /// The group of `at`, as read.
    pub fn group(&self, at: EntryRef) -> Arc<Group> {
        self.state().groups[at.0 as usize].clone()
    }

    /// The entry `at` refers to.
    pub fn entry(&self, at: EntryRef) -> Entry {
        self.group(at).entries[at.1 as usize].clone()
    }

    /// What a query naming entry `at` also searches: the other entries of
    /// its group (for a one-way rule, the right-hand side, and only when
    /// `at` is on the left).
    pub fn targets(&self, at: EntryRef) -> Vec<Entry> {
        let group = self.group(at);
        let e = at.1 as usize;
        let range = match group.sources {
            Some(n) if e < n => n..group.entries.len(),
            Some(_) => return Vec::new(),
            None => 0..group.entries.len(),
        };
        range
            .filter(|&i| i != e)
            .map(|i| group.entries[i].clone())
            .collect()
    }

    /// What a query naming entry `at` also searches as related concepts:
    /// the groups its group's `# related:` names (see [`Group::related`]),
    /// in the order named, the group of `at` left out.
    pub fn related_groups(&self, at: EntryRef) -> Vec<u32> {
        let group = self.group(at);
        let mut analyzer = key_analyzer();
        let mut groups: Vec<u32> = Vec::new();
        for name in &group.related {
            for other in self.lookup(&key(&mut analyzer, name)) {
                if other.0 != at.0 && !groups.contains(&other.0) {
                    groups.push(other.0);
                }
            }
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_tables_of_the_build_script_cut_the_texts_into_their_lines() {
        let lines: Vec<&str> = DEFAULT_LINE_RANGES
            .iter()
            .map(|&(from, to)| &DEFAULT_TEXT[from as usize..to as usize])
            .collect();
        assert_eq!(lines, DEFAULT_TEXT.lines().collect::<Vec<_>>());
        let starts: Vec<usize> = std::iter::once(0)
            .chain(DEFAULT_FOLDED.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        let table: Vec<usize> = DEFAULT_FOLDED_STARTS
            .iter()
            .map(|&at| at as usize)
            .collect();
        assert_eq!(table, starts);
        // One folded line per line of the text.
        assert_eq!(DEFAULT_FOLDED.lines().count(), lines.len());
    }

    fn of(text: &str) -> Thesaurus {
        let mut t = Thesaurus::empty();
        t.extend(parse::parse(text, "t.txt").expect("valid"));
        t
    }

    fn k(text: &str) -> Vec<String> {
        key(&mut key_analyzer(), text)
    }

    #[test]
    fn the_shipped_thesaurus_is_valid_and_unambiguous() {
        let groups = parse::parse(DEFAULT_TEXT, DEFAULT_NAME).expect("default.txt parses");
        assert!(groups.len() >= 300, "{} groups", groups.len());
        // No key is in two groups (one group per term).
        let mut analyzer = key_analyzer();
        let mut by_key: FxHashMap<Vec<String>, Vec<(String, usize)>> = FxHashMap::default();
        for g in &groups {
            for e in &g.entries {
                let k = key(&mut analyzer, &e.text);
                assert!(k.len() <= most_terms(&e.text), "{:?}", e.text);
                by_key
                    .entry(k)
                    .or_default()
                    .push((e.text.clone(), g.origin.line));
            }
        }
        let mut shared: Vec<String> = by_key
            .values()
            .filter(|v| v.iter().any(|x| x.1 != v[0].1))
            .map(|v| format!("{v:?}"))
            .collect();
        shared.sort();
        assert!(
            shared.is_empty(),
            "entries that meet in several groups: {shared:#?}"
        );
        // Read on demand, line by line, the default finds the same groups,
        // read the same way, as the whole file read at once.
        let lazy = Thesaurus::builtin();
        let mut eager = Thesaurus::empty();
        eager.extend(groups.clone());
        let found = |t: &Thesaurus, k: &[String]| -> Vec<(Group, u32)> {
            t.lookup(k)
                .into_iter()
                .map(|at| ((*t.group(at)).clone(), at.1))
                .collect()
        };
        for k in by_key.keys() {
            assert_eq!(found(&lazy, k), found(&eager, k), "{k:?}");
        }
        assert!(eager.longest_key() <= DEFAULT_LONGEST_KEY);
        assert!(lazy.longest_key() >= eager.longest_key());
        assert!(
            groups.iter().all(|g| g.source.is_some()),
            "a group lacks its # source: line"
        );
    }

    #[test]
    fn the_shipped_related_links_name_other_groups_both_ways() {
        let groups = parse::parse(DEFAULT_TEXT, DEFAULT_NAME).expect("default.txt parses");
        let t = Thesaurus::builtin();
        let group_of = |name: &str| -> u32 {
            let mut found: Vec<u32> = t.lookup(&k(name)).into_iter().map(|at| at.0).collect();
            found.dedup();
            assert_eq!(found.len(), 1, "`# related: {name}` names no single group");
            t.group((found[0], 0)).origin.line as u32
        };
        let mut links = 0;
        for g in &groups {
            for name in &g.related {
                let other = group_of(name);
                assert_ne!(other as usize, g.origin.line, "{name} is in its own group");
                let back = groups
                    .iter()
                    .find(|o| o.origin.line == other as usize)
                    .expect("the named group");
                assert!(
                    back.related
                        .iter()
                        .any(|n| g.entries.iter().any(|e| k(&e.text) == k(n))),
                    "line {}: related to line {other}, which is not related back",
                    g.origin.line
                );
                links += 1;
            }
        }
        assert!(links >= 10, "{links} related links");
    }

    #[test]
    fn related_gives_the_entries_of_the_named_groups() {
        let t = of("# related: b\na, a2\nb, b2, b3\nc, c2\n");
        let a = t.lookup(&k("a"))[0];
        let related: Vec<String> = t
            .related_groups(a)
            .into_iter()
            .flat_map(|g| t.group((g, 0)).entries.clone())
            .map(|e| e.text)
            .collect();
        assert_eq!(related, ["b", "b2", "b3"]);
        assert!(t.related_groups(t.lookup(&k("b"))[0]).is_empty());
    }

    #[test]
    fn keys_ignore_inflection_case_and_function_words() {
        assert_eq!(k("fournisseurs fiables"), k("fournisseur fiable"));
        assert_eq!(k("droits de l'Homme"), k("droits de l’homme"));
        assert_eq!(k("Droits humains"), k("droit humain"));
        assert_eq!(k("droits fondamentaux"), k("droit fondamental"));
        assert_ne!(k("TICE"), k("TIC"));
        assert_ne!(k("MDCS"), k("MDC"));
        assert_ne!(k("pentester"), k("pentest"));
        assert_ne!(k("droits humains"), k("droits de l'homme"));
        // Only function words: kept, so that `UN` has a key; a function
        // word in capitals is an acronym and stays.
        assert_eq!(k("UN"), ["un"]);
        assert_eq!(k("UN Security Council"), ["un", "security", "council"]);
        assert_ne!(k("un security council"), k("UN Security Council"));
    }

    #[test]
    fn lookup_and_targets_follow_the_rule() {
        let t = of("ONU, Nations unies, UN\nransomware => rançongiciel");
        let onu = t.lookup(&k("onu"));
        assert_eq!(onu.len(), 1);
        let targets: Vec<String> = t.targets(onu[0]).into_iter().map(|e| e.text).collect();
        assert_eq!(targets, ["Nations unies", "UN"]);
        let r = t.lookup(&k("ransomware"))[0];
        assert_eq!(t.targets(r).len(), 1);
        // One-way: the right-hand side does not search the left.
        let back = t.lookup(&k("rançongiciel"))[0];
        assert!(t.targets(back).is_empty());
    }

    #[test]
    fn short_and_function_word_entries_are_ambiguous() {
        let t = of("UE, Union européenne\nWHO, OMS\nOTAN, NATO");
        let flags: Vec<(String, bool)> = ["ue", "union europeenne", "who", "oms", "otan", "nato"]
            .iter()
            .map(|w| t.entry(t.lookup(&k(w))[0]))
            .map(|e| (e.text, e.ambiguous))
            .collect();
        assert_eq!(
            flags,
            [
                ("UE".to_string(), true),
                ("Union européenne".to_string(), false),
                ("WHO".to_string(), true),
                ("OMS".to_string(), false),
                ("OTAN".to_string(), false),
                ("NATO".to_string(), false)
            ]
        );
    }

    #[test]
    fn unreadable_files_name_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nope.txt");
        let err = Thesaurus::read_file(&missing).expect_err("missing");
        assert!(
            err[0].to_string().contains("nope.txt: cannot read"),
            "{}",
            err[0]
        );
        let bad = dir.path().join("latin1.txt");
        std::fs::write(&bad, b"a, b\nd\xe9fense, c\n").expect("write");
        let err = Thesaurus::read_file(&bad).expect_err("not utf-8");
        assert_eq!(
            (err[0].line, err[0].message.as_str()),
            (2, "not UTF-8 text")
        );
    }
}
