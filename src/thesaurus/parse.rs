//! Reading synonym files in the Solr / Elasticsearch synonyms format.
//!
//! One group a line: `a, b, c` (equivalence: each entry finds the others)
//! or `a, b => c, d` (one-way: a query for `a` or `b` also searches `c` and
//! `d`). Lines starting with `#` are comments and blank lines are skipped;
//! `\` escapes a `,`, `=`, `>`, `#` or `\` inside an entry. Two comments
//! of vigie's own are read, and ignored by other tools: `# source: …`
//! right above a group names where its equivalence comes from, and
//! `# ambiguous: A, B` names the entries of the next group that are also
//! common words (see [`super::Entry::ambiguous`]), and `# related: C, D`
//! names entries of other groups that the next group's concept is related
//! to (see [`super::Group::related`]). Follows the format of
//! Solr's `SynonymGraphFilterFactory` and Elasticsearch's `synonym_graph`
//! token filter (`expand: true`).

use std::fmt;

use super::{Entry, Group, Origin};

/// Most words in one entry (a longer entry is a sentence, not a term).
pub const MAX_ENTRY_WORDS: usize = 24;

/// Most entries in one group.
pub const MAX_GROUP_ENTRIES: usize = 64;

/// A line of a synonym file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymError {
    /// The file, as given by the user (or `default.txt`).
    pub file: String,
    /// 1-based line number; 0 for the file as a whole (unreadable).
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for SynonymError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for SynonymError {}

/// `entry` trimmed, its inner runs of white space made one space.
fn tidy(entry: &str) -> String {
    let entry = entry.trim();
    let mut space = false;
    let plain = entry.chars().all(|c| {
        let ok = c == ' ' && !space || !c.is_whitespace();
        space = c == ' ';
        ok
    });
    if plain {
        entry.to_string()
    } else {
        entry.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Splits `side` on unescaped commas into tidy, unescaped entries.
fn split_entries(side: &str) -> Result<Vec<String>, String> {
    let entries: Vec<String> = if side.contains('\\') {
        let mut entries = Vec::new();
        let mut current = String::new();
        let mut chars = side.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ (',' | '=' | '>' | '#' | '\\')) => current.push(e),
                    Some(other) => return Err(format!("unknown escape `\\{other}`")),
                    None => return Err("`\\` at the end of the line".into()),
                },
                ',' => entries.push(tidy(&std::mem::take(&mut current))),
                c => current.push(c),
            }
        }
        entries.push(tidy(&current));
        entries
    } else {
        side.split(',').map(tidy).collect()
    };
    if entries.iter().any(String::is_empty) {
        return Err("empty entry (two commas in a row, or a comma at either end)".into());
    }
    if let Some(bare) = entries
        .iter()
        .find(|e| !e.chars().any(char::is_alphanumeric))
    {
        return Err(format!(
            "entry `{bare}` has no letter or digit: nothing to search"
        ));
    }
    // Words as the analysis counts them: runs of letters and digits.
    let words = |e: &str| {
        e.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
    };
    if let Some(long) = entries.iter().find(|e| words(e) > MAX_ENTRY_WORDS) {
        return Err(format!(
            "entry `{long}` has more than {MAX_ENTRY_WORDS} words"
        ));
    }
    Ok(entries)
}

/// The position of the first unescaped `=>` in `line`, if any.
fn arrow(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' if bytes[i + 1] == b'>' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Reads one group line (not a comment).
fn group_line(line: &str) -> Result<(Vec<String>, Option<usize>), String> {
    match arrow(line) {
        Some(at) => {
            let (left, right) = (&line[..at], &line[at + 2..]);
            if arrow(right).is_some() {
                return Err("more than one `=>`".into());
            }
            if left.trim().is_empty() {
                return Err("nothing before `=>`".into());
            }
            if right.trim().is_empty() {
                return Err("nothing after `=>`".into());
            }
            let mut sources = split_entries(left)?;
            let count = sources.len();
            sources.extend(split_entries(right)?);
            Ok((sources, Some(count)))
        }
        None => {
            let entries = split_entries(line)?;
            if entries.len() < 2 {
                return Err(format!(
                    "only one entry, `{}`: separate synonyms with commas (`a, b`) or write `a => b`",
                    entries[0]
                ));
            }
            Ok((entries, None))
        }
    }
}

/// The lines of a synonym file: a leading byte order mark dropped, lines
/// ending in `\n`, `\r\n` or a lone `\r` (old Mac files).
pub fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// The group on line `index` (0-based) of `lines`, read on its own: with
/// the `# source:` and `# ambiguous:` comments of the comments and blank
/// lines right above it, as [`parse`] reads them. `None` for a comment, a
/// blank or a bad line (the default thesaurus has none: a test parses it
/// whole).
pub fn group_at(lines: &[&str], index: usize, file: &str) -> Option<Group> {
    let line = lines.get(index)?.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (texts, sources) = group_line(line).ok()?;
    let (mut source, mut ambiguous, mut related) = (None, Vec::new(), Vec::new());
    for above in lines[..index].iter().rev().map(|l| l.trim()) {
        let Some(comment) = above.strip_prefix('#') else {
            if above.is_empty() {
                continue;
            }
            break;
        };
        let comment = comment.trim();
        if let Some(s) = comment.strip_prefix("source:") {
            source.get_or_insert_with(|| s.trim().to_string());
        } else if let Some(a) = comment.strip_prefix("ambiguous:") {
            if ambiguous.is_empty() {
                ambiguous = a.split(',').map(|s| s.trim().to_string()).collect();
            }
        } else if let Some(r) = comment.strip_prefix("related:") {
            if related.is_empty() {
                related = names(r);
            }
        }
    }
    Some(Group {
        entries: texts
            .into_iter()
            .map(|text| Entry {
                ambiguous: ambiguous.contains(&text),
                text,
            })
            .collect(),
        sources,
        origin: Origin {
            file: file.to_string(),
            line: index + 1,
        },
        source,
        related,
    })
}

/// The names of a `# ambiguous:` or `# related:` comment, comma-separated.
fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses the synonym file `text`, named `file` in errors and origins.
///
/// Returns every group, or every bad line (`file:line: message`). A bad
/// line is never skipped silently: the caller decides whether to refuse
/// the file (vigie does, as Elasticsearch does by default).
///
/// # Errors
/// One [`SynonymError`] per bad line: an empty entry, a lone entry, a
/// misplaced `=>`, a bad escape, an entry over [`MAX_ENTRY_WORDS`] words,
/// a group over [`MAX_GROUP_ENTRIES`] entries, an `# ambiguous:` name that
/// is not in the next group.
pub fn parse(text: &str, file: &str) -> Result<Vec<Group>, Vec<SynonymError>> {
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    let mut source: Option<String> = None;
    let mut ambiguous: Option<(usize, Vec<String>)> = None;
    let mut related: Option<(usize, Vec<String>)> = None;
    for (n, raw) in lines_of(text).enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        let error = |message: String| SynonymError {
            file: file.to_string(),
            line: line_no,
            message,
        };
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(s) = comment.strip_prefix("source:") {
                source = Some(s.trim().to_string());
            } else if let Some(a) = comment.strip_prefix("ambiguous:") {
                ambiguous = Some((line_no, names(a)));
            } else if let Some(r) = comment.strip_prefix("related:") {
                let named = names(r);
                if named.is_empty() {
                    errors.push(error("`# related:` names no entry".to_string()));
                }
                related = Some((line_no, named));
            }
            continue;
        }
        match group_line(line) {
            Ok((texts, sources)) if texts.len() > MAX_GROUP_ENTRIES => {
                let _ = sources;
                errors.push(error(format!(
                    "{} entries; a group has at most {MAX_GROUP_ENTRIES}",
                    texts.len()
                )));
            }
            Ok((texts, sources)) => {
                let flagged = ambiguous.take();
                if let Some((at, names)) = &flagged {
                    for name in names {
                        if !texts.iter().any(|t| t == name) {
                            errors.push(SynonymError {
                                file: file.to_string(),
                                line: *at,
                                message: format!(
                                    "`# ambiguous: {name}` names no entry of the group on line {line_no}"
                                ),
                            });
                        }
                    }
                }
                let related = related.take();
                if let Some((at, names)) = &related {
                    for name in names.iter().filter(|n| texts.contains(n)) {
                        errors.push(SynonymError {
                            file: file.to_string(),
                            line: *at,
                            message: format!(
                                "`# related: {name}` names an entry of the group on line {line_no} itself: a group is not related to itself"
                            ),
                        });
                    }
                }
                let names = flagged.map(|f| f.1).unwrap_or_default();
                groups.push(Group {
                    entries: texts
                        .into_iter()
                        .map(|text| Entry {
                            ambiguous: names.contains(&text),
                            text,
                        })
                        .collect(),
                    sources,
                    origin: Origin {
                        file: file.to_string(),
                        line: line_no,
                    },
                    source: source.take(),
                    related: related.map(|r| r.1).unwrap_or_default(),
                });
            }
            Err(message) => {
                ambiguous = None;
                related = None;
                source = None;
                errors.push(error(message));
            }
        }
    }
    if let Some((at, _)) = related {
        errors.push(SynonymError {
            file: file.to_string(),
            line: at,
            message: "`# related:` is not followed by a group".to_string(),
        });
    }
    if errors.is_empty() {
        Ok(groups)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(g: &Group) -> Vec<&str> {
        g.entries.iter().map(|e| e.text.as_str()).collect()
    }

    #[test]
    fn equivalence_one_way_and_comments() {
        let text = "# a comment\n\nONU,  Nations   unies , UN\n# source: FranceTerme\nhameçonnage => filoutage, phishing\n";
        let groups = parse(text, "s.txt").expect("valid file");
        assert_eq!(groups.len(), 2);
        assert_eq!(texts(&groups[0]), ["ONU", "Nations unies", "UN"]);
        assert_eq!(groups[0].sources, None);
        assert_eq!(groups[0].origin.line, 3);
        assert_eq!(groups[0].source, None);
        assert_eq!(texts(&groups[1]), ["hameçonnage", "filoutage", "phishing"]);
        assert_eq!(groups[1].sources, Some(1));
        assert_eq!(groups[1].source.as_deref(), Some("FranceTerme"));
    }

    #[test]
    fn byte_order_marks_and_line_endings_of_every_kind() {
        let groups =
            parse("\u{feff}# source: mine\r\nONU, zorglub\rOTAN, foo\r\n", "s").expect("valid");
        assert_eq!(texts(&groups[0]), ["ONU", "zorglub"]);
        assert_eq!(groups[0].source.as_deref(), Some("mine"));
        assert_eq!(
            (texts(&groups[1]), groups[1].origin.line),
            (vec!["OTAN", "foo"], 3)
        );
    }

    #[test]
    fn entries_without_letters_and_long_entries_are_refused() {
        let errors = parse(
            "ONU, !!!\nzork, a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z",
            "s",
        )
        .expect_err("bad");
        assert!(
            errors[0].message.contains("no letter or digit"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].message.contains("more than 24 words"),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn escapes_keep_commas_inside_an_entry() {
        let groups = parse(r"Paris\, Texas, PTX", "s.txt").expect("valid");
        assert_eq!(texts(&groups[0]), ["Paris, Texas", "PTX"]);
    }

    #[test]
    fn ambiguous_marks_only_the_named_entries() {
        let groups = parse("# ambiguous: UN\nONU, UN, Nations unies", "s").expect("valid");
        let flags: Vec<bool> = groups[0].entries.iter().map(|e| e.ambiguous).collect();
        assert_eq!(flags, [false, true, false]);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let text = "a, b\nonly\na,,b\n=> x\ny =>\na => b => c\nx\\q, y\n# ambiguous: Z\nk, l\n";
        let errors = parse(text, "mine.txt").expect_err("bad lines");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
        assert!(errors[0]
            .to_string()
            .starts_with("mine.txt:2: only one entry"));
        assert!(errors[1].message.contains("empty entry"), "{}", errors[1]);
        assert!(errors[4].message.contains("more than one"), "{}", errors[4]);
        assert!(
            errors[5].message.contains("unknown escape"),
            "{}",
            errors[5]
        );
        assert!(
            errors[6].message.contains("names no entry"),
            "{}",
            errors[6]
        );
    }

    #[test]
    fn very_long_entries_and_groups_are_refused() {
        let long = vec!["mot"; MAX_ENTRY_WORDS + 1].join(" ");
        assert!(parse(&format!("{long}, x"), "s").is_err());
        let many: Vec<String> = (0..=MAX_GROUP_ENTRIES).map(|i| format!("w{i}")).collect();
        assert!(parse(&many.join(", "), "s").is_err());
    }

    #[test]
    fn related_names_are_read_and_a_group_is_not_related_to_itself() {
        let text = "# source: s\n# related: b, c d\na, a2\nb, b2\n";
        let groups = parse(text, "r.txt").expect("valid");
        assert_eq!(groups[0].related, ["b", "c d"]);
        assert!(groups[1].related.is_empty(), "a comment reaches one group");
        let lines: Vec<&str> = lines_of(text).collect();
        let read = group_at(&lines, 2, "r.txt").expect("a group line");
        assert_eq!(read.related, ["b", "c d"]);
        let errors = parse("# related: a2\na, a2\n", "r.txt").expect_err("self-related");
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("a2"), "{}", errors[0].message);
    }
}
