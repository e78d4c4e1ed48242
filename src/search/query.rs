//! The query language: parses what a user types into a [`Node`] tree.
//!
//! The syntax follows Elasticsearch's `query_string` and Tantivy's query
//! grammar, read leniently so that a query a user can type never fails:
//!
//! | input                      | meaning                                         |
//! |----------------------------|-------------------------------------------------|
//! | `cyber défense`            | both words (AND is the default)                 |
//! | `otan OR ukraine`          | either word                                     |
//! | `-chine`, `NOT chine`      | paragraphs without the word                     |
//! | `+word`                    | required (same as a bare word)                  |
//! | `(a OR b) c`               | grouping                                        |
//! | `"serveurs Exchange"`      | exact phrase (also `«…»` and `“…”`)             |
//! | `"menaces cyber"~3`        | phrase with up to 3 positions of slop           |
//! | `sécur*`                   | prefix, folded like the index                   |
//! | `compromision~1`           | fuzzy term, edit distance 1 (or 2)              |
//! | `title:otan`               | field filter (`title`, `lang`, `source`, `ref`) |
//! | `date:2021`, `date:2021-07` | statements of that year, month or day           |
//! | `date:[2020-01-01 TO 2021]` | statements in a date range (`*` for open ends)  |
//!
//! Apostrophes are part of words (`l'OTAN` is the word `l'OTAN`, not a
//! quoted phrase). Problems (an unclosed quote or parenthesis, an operator
//! with nothing to apply to) are fixed up and reported as [`QueryNote`]s
//! with their byte position in the query; `--strict` turns notes into errors.

/// Fields a user may name with `field:`.
pub const FIELD_NAMES: &[&str] = &["title", "lang", "source", "ref"];

/// French (and long) names of the fields: `titre:` is `title:`, `langue:`
/// is `lang:`, `réf:` and `référence:` are `ref:`.
pub fn field_alias(name: &str) -> &str {
    match name {
        "titre" => "title",
        "langue" | "language" => "lang",
        "réf" | "reference" | "référence" => "ref",
        other => other,
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word, as typed (not yet analysed).
    Term(TermNode),
    /// A quoted phrase, as typed between the quotes.
    Phrase {
        /// Text between the quotes.
        text: String,
        /// Allowed slop in positions (`~N`), 0 for an exact phrase.
        slop: u32,
        /// Field filter, if any.
        field: Option<String>,
        /// Byte offset of the opening quote in the query.
        position: usize,
    },
    /// All children must match (negated children must not).
    And(Vec<Node>),
    /// At least one child must match.
    Or(Vec<Node>),
    /// The child must not match.
    Not(Box<Node>),
    /// Statements dated within `[since, until]` (days, inclusive; `None`
    /// is an open end).
    DateRange {
        /// First day included.
        since: Option<jiff::civil::Date>,
        /// Last day included.
        until: Option<jiff::civil::Date>,
        /// Byte offset of `date:` in the query.
        position: usize,
    },
}

impl std::fmt::Display for Node {
    /// Renders the tree with explicit operators and parentheses, e.g.
    /// `("menaces hybrides" OR (sécur* AND énergétique)) AND NOT Chine`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::Term(t) => {
                if let Some(field) = &t.field {
                    write!(f, "{field}:")?;
                }
                write!(f, "{}", t.text)?;
                if t.prefix {
                    write!(f, "*")?;
                }
                if let Some(n) = t.fuzzy {
                    write!(f, "~{n}")?;
                }
                Ok(())
            }
            Node::Phrase {
                text, slop, field, ..
            } => {
                if let Some(field) = field {
                    write!(f, "{field}:")?;
                }
                write!(f, "\"{text}\"")?;
                if *slop > 0 {
                    write!(f, "~{slop}")?;
                }
                Ok(())
            }
            Node::And(items) | Node::Or(items) => {
                let op = if matches!(self, Node::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                for (i, n) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    if matches!(n, Node::And(_) | Node::Or(_)) {
                        write!(f, "({n})")?;
                    } else {
                        write!(f, "{n}")?;
                    }
                }
                Ok(())
            }
            Node::Not(n) => write!(f, "NOT {n}"),
            Node::DateRange { since, until, .. } => write!(
                f,
                "date:[{} TO {}]",
                since.map_or("*".to_string(), |d| d.to_string()),
                until.map_or("*".to_string(), |d| d.to_string())
            ),
        }
    }
}

/// The filter of a `date:` that is not a date: it matches no day (from
/// the last day there is to the first), so a mistyped filter finds nothing
/// rather than everything.
fn no_date(pos: usize) -> Tok {
    Tok::Date {
        since: Some(jiff::civil::Date::MAX),
        until: Some(jiff::civil::Date::MIN),
        pos,
    }
}

/// The date forms [`date_interval`] reads, for messages about a date that
/// is none of them.
pub const DATE_FORMS: &str = "YYYY, YYYY-MM, YYYY-MM-DD, \"juillet 2021\" or \"19 juillet 2021\"";

/// The days covered by a date as a user types it: `2021` (the whole year),
/// `2021-07` or `juillet 2021` (the month), `2021-07-19`, `19 juillet
/// 2021`, `1er juillet 2021` or `2021/07/19` (that day).
/// Returns the first and last day, or `None` if it is not a date.
pub fn date_interval(text: &str) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
    use jiff::civil::Date;
    let t = text.trim();
    if t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) {
        let y: i16 = t.parse().ok()?;
        return Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?));
    }
    if let Some((y, m)) = t.split_once('-') {
        if y.len() == 4 && (1..=2).contains(&m.len()) && m.chars().all(|c| c.is_ascii_digit()) {
            let first = Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()?;
            return Some((first, first.last_of_month()));
        }
    }
    // `juillet 2021`, `July 2021`: the month.
    if let Some((m, y)) = t.split_once(char::is_whitespace) {
        let y = y.trim();
        if let (Some(m), true) = (
            crate::corpus::date::month_number(&crate::analysis::fold::fold(m)),
            y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()),
        ) {
            let first = Date::new(y.parse().ok()?, m, 1).ok()?;
            return Some((first, first.last_of_month()));
        }
    }
    let day = crate::corpus::date::parse_date(t)?;
    Some((day, day))
}

/// A single query word with its modifiers.
#[derive(Debug, Clone, PartialEq)]
pub struct TermNode {
    /// The word as typed, without `*`, `~N` or `field:`.
    pub text: String,
    /// Field filter, if any.
    pub field: Option<String>,
    /// `word*`: match every indexed word starting with it.
    pub prefix: bool,
    /// `word~N`: fuzzy match within N edits.
    pub fuzzy: Option<u8>,
    /// Byte offset of the word in the query.
    pub position: usize,
}

/// A problem found and worked around while parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryNote {
    /// Byte offset in the query where the problem is; `None` when the note
    /// is about the whole query (no word matched every part, a phrase was
    /// loosened, `--lang` names no statement).
    pub position: Option<usize>,
    /// What was wrong and what was done about it.
    pub message: String,
}

impl std::fmt::Display for QueryNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some(at) => write!(f, "at byte {at}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word {
        text: String,
        pos: usize,
    },
    Phrase {
        text: String,
        slop: u32,
        field: Option<String>,
        pos: usize,
    },
    Date {
        since: Option<jiff::civil::Date>,
        until: Option<jiff::civil::Date>,
        pos: usize,
    },
    LParen(usize),
    RParen(usize),
    And(usize),
    Or(usize),
    Not(usize),
    Plus(usize),
}

fn closing_quote(open: char) -> &'static [char] {
    match open {
        '«' => &['»'],
        '“' => &['”', '"'],
        '„' => &['“', '”'],
        _ => &['"', '”'],
    }
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '“' | '„')
}

fn is_word_end(c: char) -> bool {
    is_blank(c) || matches!(c, '(' | ')' | '"' | '«' | '»' | '“' | '”' | '„')
}

/// Whether `c` is a dash that excludes the word it stands before: the
/// hyphen-minus, and the en dash, em dash and minus sign that word
/// processors put in its place.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '−')
}

/// Whether `c` separates the words of a query without being one: Unicode
/// white space, the invisible zero-width space, word joiner and byte
/// order mark (`U+200B`, `U+2060`, `U+FEFF`, pasted along with text), and
/// control characters.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether `query` holds nothing but [`is_blank`] characters and invisible
/// format characters ([`crate::analysis::invisible`]: soft hyphens,
/// zero-width joiners, direction marks), which no word is made of.
pub fn is_blank_query(query: &str) -> bool {
    query
        .chars()
        .all(|c| is_blank(c) || crate::analysis::invisible::is_invisible(c))
}

/// Reads a `~N` suffix at `i`; returns (N, bytes consumed).
fn read_slop(q: &str, i: usize) -> Option<(u32, usize)> {
    let rest = q.get(i..)?;
    let digits = rest.strip_prefix('~')?;
    let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
    if n.is_empty() {
        // `"a b"~` alone is a slop of 1; `"a b"~x` is no slop at all.
        return match digits.chars().next() {
            Some(c) if !is_word_end(c) => None,
            _ => Some((1, 1)),
        };
    }
    Some((n.parse().unwrap_or(u32::MAX).min(32), 1 + n.len()))
}

fn lex(q: &str, notes: &mut Vec<QueryNote>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = 0;
    let mut pending_field: Option<(String, usize)> = None;
    while let Some(c) = q[i..].chars().next() {
        if is_blank(c) {
            i += c.len_utf8();
            continue;
        }
        if c == '(' {
            toks.push(Tok::LParen(i));
            i += 1;
            continue;
        }
        if c == ')' {
            toks.push(Tok::RParen(i));
            i += 1;
            continue;
        }
        if matches!(c, '»' | '”') {
            i += c.len_utf8();
            continue;
        }
        if is_open_quote(c) {
            let start = i;
            let body_start = i + c.len_utf8();
            let closers = closing_quote(c);
            let (text, after) = match q[body_start..].find(closers) {
                Some(rel) => {
                    let end = body_start + rel;
                    let close_len = q[end..].chars().next().map_or(1, char::len_utf8);
                    (q[body_start..end].to_string(), end + close_len)
                }
                None => {
                    notes.push(QueryNote {
                        position: Some(start),
                        message: "unclosed quote; the phrase runs to the end of the query".into(),
                    });
                    (q[body_start..].to_string(), q.len())
                }
            };
            i = after;
            let mut slop = 0;
            if let Some((n, used)) = read_slop(q, i) {
                slop = n;
                i += used;
            }
            if q[i..].starts_with(['~', '^']) {
                // `"a b"~x`, `"a b"^2`: not a proximity vigie reads.
                let end = q[i..].find(is_word_end).map_or(q.len(), |rel| i + rel);
                notes.push(QueryNote {
                    position: Some(i),
                    message: format!(
                        "`{}` after a phrase: a proximity is a number of words (`\"a b\"~3`); ignored",
                        &q[i..end]
                    ),
                });
                i = end;
            }
            let field = pending_field.take().map(|f| f.0);
            if !text.chars().any(char::is_alphanumeric) {
                notes.push(QueryNote {
                    position: Some(start),
                    message: "empty phrase; ignored".into(),
                });
                continue;
            }
            toks.push(Tok::Phrase {
                text,
                slop,
                field,
                pos: start,
            });
            continue;
        }
        if c == '+' && q[i + 1..].chars().next().is_some_and(|n| !is_blank(n)) {
            toks.push(Tok::Plus(i));
            i += 1;
            continue;
        }
        // `-chine`; `--chine`, `–chine` (a dash a word processor put for
        // the hyphen-minus): one exclusion, however many dashes.
        if is_dash(c) {
            let run = q[i..]
                .find(|d: char| !is_dash(d))
                .map_or(q.len(), |rel| i + rel);
            if q[run..].chars().next().is_some_and(|n| !is_blank(n)) {
                let dashes = &q[i..run];
                if dashes != "-" {
                    notes.push(QueryNote {
                        position: Some(i),
                        message: format!(
                            "`{dashes}` before a word read as `-`: the word is excluded"
                        ),
                    });
                }
                toks.push(Tok::Not(i));
                i = run;
                continue;
            }
        }
        // `date:[a TO b]`, `date:{a TO b}`, `date:2021`.
        if q[i..]
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("date:"))
        {
            let start = i;
            let rest = &q[i + 5..];
            if rest.starts_with('[') || rest.starts_with('{') {
                let close = rest.find([']', '}']);
                let inner = &rest[1..close.unwrap_or(rest.len())];
                i = close.map_or(q.len(), |c| i + 5 + c + 1);
                if close.is_none() {
                    notes.push(QueryNote {
                        position: Some(start),
                        message: "unclosed `date:[`; closed at the end of the query".into(),
                    });
                }
                let (a, b) = inner.split_once(" TO ").unwrap_or((inner, "*"));
                let bound = |v: &str, end: bool| -> Result<Option<jiff::civil::Date>, ()> {
                    let v = v.trim();
                    if v == "*" || v.is_empty() {
                        return Ok(None);
                    }
                    date_interval(v)
                        .map(|(f, l)| Some(if end { l } else { f }))
                        .ok_or(())
                };
                match (bound(a, false), bound(b, true)) {
                    (Ok(Some(since)), Ok(Some(until))) if since > until => {
                        // As `--since` after `--until`: said, not silent.
                        toks.push(no_date(start));
                        notes.push(QueryNote {
                            position: Some(start),
                            message: format!(
                                "`date:[{inner}]` starts after it ends ({since} > {until}); no date matches it"
                            ),
                        });
                    }
                    (Ok(since), Ok(until)) => toks.push(Tok::Date {
                        since,
                        until,
                        pos: start,
                    }),
                    _ => {
                        toks.push(no_date(start));
                        notes.push(QueryNote {
                            position: Some(start),
                            message: format!("`date:[{inner}]` is not a date range (YYYY, YYYY-MM, YYYY-MM-DD, juillet 2021, 19 juillet 2021); no date matches it"),
                        });
                    }
                }
                continue;
            }
            // `date:"juillet 2021"`: a quoted date runs to its closing quote.
            let (value, end) = match rest.strip_prefix('"') {
                Some(quoted) => {
                    let close = quoted.find('"').map_or(quoted.len(), |c| c);
                    (&quoted[..close], (i + 6 + close + 1).min(q.len()))
                }
                None => {
                    let end = rest.find(is_word_end).map_or(q.len(), |rel| i + 5 + rel);
                    (&q[i + 5..end], end)
                }
            };
            i = end;
            match date_interval(value) {
                Some((since, until)) => toks.push(Tok::Date {
                    since: Some(since),
                    until: Some(until),
                    pos: start,
                }),
                None => {
                    toks.push(no_date(start));
                    notes.push(QueryNote {
                        position: Some(start),
                        message: format!(
                            "`date:{value}` is not a date (YYYY, YYYY-MM, YYYY-MM-DD, or quoted: \"juillet 2021\", \"19 juillet 2021\"); no date matches it"
                        ),
                    });
                }
            }
            continue;
        }
        // A word runs to whitespace, a parenthesis or a quote.
        let start = i;
        let end = q[i..].find(is_word_end).map_or(q.len(), |rel| i + rel);
        let word = &q[start..end];
        i = end;
        if let Some((name, rest)) = word.split_once(':') {
            let lname = field_alias(&name.to_lowercase()).to_string();
            let looks_like_field = !name.is_empty() && name.chars().all(char::is_alphabetic);
            if looks_like_field && !FIELD_NAMES.contains(&lname.as_str()) {
                notes.push(QueryNote {
                    position: Some(start),
                    message: format!(
                        "unknown field `{name}:` (fields: title, lang, source, ref, date); searching the text for what follows"
                    ),
                });
                if rest.is_empty() {
                    continue;
                }
                toks.push(Tok::Word {
                    text: rest.to_string(),
                    pos: start + name.len() + 1,
                });
                continue;
            }
            if FIELD_NAMES.contains(&lname.as_str()) {
                if rest.is_empty() {
                    // `title:"..."`: the field applies to the next phrase.
                    pending_field = Some((lname, start));
                    continue;
                }
                toks.push(Tok::Word {
                    text: format!("{lname}:{rest}"),
                    pos: start,
                });
                continue;
            }
        }
        match word {
            "AND" | "&&" => toks.push(Tok::And(start)),
            "OR" | "||" => toks.push(Tok::Or(start)),
            "NOT" => toks.push(Tok::Not(start)),
            _ if no_searchable_word(word) => notes.push(QueryNote {
                position: Some(start),
                message: if word == "-" {
                    "`-` alone excludes nothing (write `-word`, without a space, to exclude a word); ignored".into()
                } else if word.contains('*') {
                    "`*` alone matches no word: a prefix needs letters before the `*`; ignored"
                        .into()
                } else {
                    format!("`{word}` has no searchable word; ignored")
                },
            }),
            _ => toks.push(Tok::Word {
                text: word.to_string(),
                pos: start,
            }),
        }
    }
    if let Some((name, pos)) = pending_field {
        notes.push(QueryNote {
            position: Some(pos),
            message: format!("`{name}:` has no value; ignored"),
        });
    }
    toks
}

/// Whether a word of the query holds no letter or digit (`-`, `§`, `…`,
/// `*`): no analyzer finds a term in it.
fn no_searchable_word(word: &str) -> bool {
    !word.chars().any(char::is_alphanumeric)
}

/// Notes an `or`, `and` or `not` typed in lower case between two words:
/// it is searched as a word (French *or*, a name), and the user who meant
/// the operator learns to write it in capitals.
fn lower_case_operators(toks: &[Tok], notes: &mut Vec<QueryNote>) {
    let operand = |t: Option<&Tok>| matches!(t, Some(Tok::Word { .. } | Tok::Phrase { .. }));
    for (k, tok) in toks.iter().enumerate() {
        let Tok::Word { text, pos } = tok else {
            continue;
        };
        let upper = text.to_uppercase();
        if matches!(upper.as_str(), "OR" | "AND" | "NOT")
            && *text != upper
            && k > 0
            && operand(toks.get(k - 1))
            && operand(toks.get(k + 1))
        {
            notes.push(QueryNote {
                position: Some(*pos),
                message: format!(
                    "`{text}` is searched as a word; write `{upper}` in capitals for the operator"
                ),
            });
        }
    }
}

struct Parser<'a> {
    toks: &'a [Tok],
    i: usize,
    notes: &'a mut Vec<QueryNote>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn parse_or(&mut self, depth: usize) -> Option<Node> {
        let mut items = Vec::new();
        match self.parse_and(depth) {
            Some(n) => items.push(n),
            None => {
                if let Some(Tok::Or(pos)) = self.peek() {
                    self.notes.push(QueryNote {
                        position: Some(*pos),
                        message: "`OR` has nothing before it; ignored".into(),
                    });
                }
            }
        }
        while let Some(Tok::Or(pos)) = self.peek().cloned() {
            self.i += 1;
            match self.parse_and(depth) {
                Some(n) => items.push(n),
                None => self.notes.push(QueryNote {
                    position: Some(pos),
                    message: "`OR` has nothing after it; ignored".into(),
                }),
            }
        }
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node::Or(items)),
        }
    }

    fn parse_and(&mut self, depth: usize) -> Option<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek().cloned() {
                None | Some(Tok::Or(_)) => break,
                Some(Tok::RParen(pos)) => {
                    if depth > 0 {
                        break;
                    }
                    self.notes.push(QueryNote {
                        position: Some(pos),
                        message: "`)` without `(`; ignored".into(),
                    });
                    self.i += 1;
                }
                Some(Tok::And(pos)) => {
                    self.i += 1;
                    if items.is_empty() {
                        self.notes.push(QueryNote {
                            position: Some(pos),
                            message: "`AND` has nothing before it; ignored".into(),
                        });
                    } else if matches!(self.peek(), None | Some(Tok::Or(_) | Tok::RParen(_))) {
                        self.notes.push(QueryNote {
                            position: Some(pos),
                            message: "`AND` has nothing after it; ignored".into(),
                        });
                    } else if let (Some(Tok::And(again)), false) = (
                        self.peek(),
                        // Once per run of `AND`s.
                        matches!(
                            self.i.checked_sub(2).and_then(|k| self.toks.get(k)),
                            Some(Tok::And(_))
                        ),
                    ) {
                        self.notes.push(QueryNote {
                            position: Some(*again),
                            message: "`AND` repeated; read once".into(),
                        });
                    }
                }
                Some(_) => {
                    if let Some(n) = self.parse_unary(depth) {
                        items.push(n);
                    }
                }
            }
        }
        match items.len() {
            0 => None,
            1 => items.pop(),
            _ => Some(Node::And(items)),
        }
    }

    /// `NOT`, `-` and `+` before an operand, read in a loop (never by
    /// recursion, so that a long chain costs no stack): an even number of
    /// negations cancels out.
    fn parse_unary(&mut self, depth: usize) -> Option<Node> {
        let mut negated = false;
        let mut last_not = None;
        let mut nots = 0usize;
        loop {
            match self.peek().cloned() {
                Some(Tok::Not(pos)) => {
                    self.i += 1;
                    negated = !negated;
                    nots += 1;
                    if nots == 2 {
                        self.notes.push(QueryNote {
                            position: Some(pos),
                            message: "`NOT`/`-` repeated: two negations cancel out".into(),
                        });
                    }
                    last_not = Some(pos);
                }
                Some(Tok::Plus(_)) => self.i += 1,
                _ => break,
            }
        }
        if let Some(pos) = last_not {
            if matches!(
                self.peek(),
                None | Some(Tok::Or(_) | Tok::And(_) | Tok::RParen(_))
            ) {
                self.notes.push(QueryNote {
                    position: Some(pos),
                    message: "`NOT`/`-` has nothing after it; ignored".into(),
                });
                return None;
            }
        }
        let operand = self.parse_primary(depth)?;
        Some(match (negated, operand) {
            // `NOT (NOT x)` is `x`.
            (true, Node::Not(inner)) => *inner,
            (true, operand) => Node::Not(Box::new(operand)),
            (false, operand) => operand,
        })
    }

    fn parse_primary(&mut self, depth: usize) -> Option<Node> {
        let tok = self.peek().cloned()?;
        self.i += 1;
        match tok {
            Tok::LParen(pos) => {
                if let Some(Tok::RParen(_)) = self.peek() {
                    self.i += 1;
                    self.notes.push(QueryNote {
                        position: Some(pos),
                        message: "empty group `()`; ignored".into(),
                    });
                    return None;
                }
                let inner = self.parse_or(depth + 1);
                match self.peek() {
                    Some(Tok::RParen(_)) => self.i += 1,
                    _ => self.notes.push(QueryNote {
                        position: Some(pos),
                        message: "unclosed `(`; closed at the end of the query".into(),
                    }),
                }
                inner
            }
            Tok::Phrase {
                text,
                slop,
                field,
                pos,
            } => Some(Node::Phrase {
                text,
                slop,
                field,
                position: pos,
            }),
            Tok::Word { text, pos } => Some(Node::Term(term_node(&text, pos, self.notes))),
            Tok::Date { since, until, pos } => Some(Node::DateRange {
                since,
                until,
                position: pos,
            }),
            // Operators are handled by the callers; reaching one here means
            // it sits where a word should be: read it as a word.
            Tok::And(pos) | Tok::Or(pos) | Tok::Not(pos) | Tok::Plus(pos) | Tok::RParen(pos) => {
                self.notes.push(QueryNote {
                    position: Some(pos),
                    message: "operator out of place; ignored".into(),
                });
                None
            }
        }
    }
}

/// The word `word` typed at byte `position`; a typo tolerance outside
/// 1–2 edits (`otan~9`) is brought within them, with a note in `notes`.
fn term_node(word: &str, position: usize, notes: &mut Vec<QueryNote>) -> TermNode {
    let (field, mut text) = match word.split_once(':') {
        Some((f, rest)) if FIELD_NAMES.contains(&f) => (Some(f.to_string()), rest.to_string()),
        _ => (None, word.to_string()),
    };
    let mut fuzzy = None;
    // Where `text` starts in the query (after a field name).
    let start = position + word.len() - text.len();
    let at = |idx: usize| Some(start + idx);
    if let Some(idx) = text.find('^').filter(|&i| i > 0) {
        // `otan^2`, `otan^2~1`: a Lucene boost, taken out.
        let end = idx
            + 1
            + text[idx + 1..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(text.len() - idx - 1);
        notes.push(QueryNote {
            position: at(idx),
            message: format!("`{}`: boosts are not supported; ignored", &text[idx..end]),
        });
        text.replace_range(idx..end, "");
    }
    if let Some(idx) = text.rfind(['~', '^']).filter(|&i| i > 0) {
        // `otan~x`, `otan~-1`, `otan^2` (a Lucene boost): a suffix vigie
        // does not read, which the analyzer would split off as a word.
        let rest = &text[idx + 1..];
        let tilde = text[idx..].starts_with('~');
        if !(tilde && rest.chars().all(|c| c.is_ascii_digit())) {
            notes.push(QueryNote {
                position: at(idx),
                message: if tilde {
                    format!(
                        "`~{rest}`: a typo tolerance is a number of edits, 1 or 2 (`{}~1`); ignored",
                        &text[..idx]
                    )
                } else {
                    format!("`^{rest}`: boosts are not supported; ignored")
                },
            });
            text.truncate(idx);
        }
    }
    if let Some(idx) = text.rfind('~') {
        let digits = &text[idx + 1..];
        if digits.chars().all(|c| c.is_ascii_digit()) && idx > 0 {
            let asked: Option<u32> = digits.parse().ok();
            let n = asked.unwrap_or(1).clamp(1, 2) as u8;
            if let Some(asked) = asked.filter(|&a| a != u32::from(n)) {
                notes.push(QueryNote {
                    position: at(idx),
                    message: format!(
                        "`~{asked}`: a word is matched within 1 or 2 edits; searched with `~{n}`"
                    ),
                });
            }
            fuzzy = Some(n);
            text.truncate(idx);
        }
    }
    let prefix = text.len() > 1 && text.ends_with('*');
    let text = text.trim_end_matches('*').to_string();
    TermNode {
        text,
        field,
        prefix,
        fuzzy,
        position,
    }
}

/// A parsed query with the notes gathered while parsing.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuery {
    /// The query tree; `None` when nothing searchable was typed.
    pub root: Option<Node>,
    /// Problems worked around, in order of position.
    pub notes: Vec<QueryNote>,
    /// Hints about a valid query that may not say what was meant (an `or`
    /// in lower case): shown like notes, never errors under `--strict`.
    pub hints: Vec<QueryNote>,
}

/// Deepest nesting of parentheses read as groups; deeper ones are read as
/// if absent (a note says so), so that no query can exhaust the stack.
pub const MAX_NESTING: usize = 32;

/// Drops the parentheses nested deeper than [`MAX_NESTING`] (and the
/// closing ones that match them), with one note.
fn flatten_deep_groups(toks: Vec<Tok>, notes: &mut Vec<QueryNote>) -> Vec<Tok> {
    let mut depth = 0usize;
    let mut dropped_open = 0usize;
    let mut first = None;
    let mut out = Vec::with_capacity(toks.len());
    for tok in toks {
        match tok {
            Tok::LParen(pos) if depth >= MAX_NESTING => {
                dropped_open += 1;
                first.get_or_insert(pos);
            }
            Tok::LParen(_) => {
                depth += 1;
                out.push(tok);
            }
            Tok::RParen(_) if dropped_open > 0 => dropped_open -= 1,
            Tok::RParen(_) => {
                depth = depth.saturating_sub(1);
                out.push(tok);
            }
            other => out.push(other),
        }
    }
    if let Some(position) = first {
        notes.push(QueryNote {
            position: Some(position),
            message: format!(
                "parentheses nested deeper than {MAX_NESTING} levels are read as if absent"
            ),
        });
    }
    out
}

/// `node` with the repeats among the parts of each conjunction and
/// disjunction dropped (`otan otan` is `otan`), and a note for each part
/// repeated, at its first repeat: a part repeated thousands of times made
/// as many scorers of the same postings.
fn searched_once(node: Node, notes: &mut Vec<QueryNote>) -> Node {
    let dedupe = |children: Vec<Node>, notes: &mut Vec<QueryNote>| -> Vec<Node> {
        let mut seen = std::collections::HashSet::new();
        let mut noted = std::collections::HashSet::new();
        let mut kept = Vec::with_capacity(children.len());
        for child in children {
            let child = searched_once(child, notes);
            let text = child.to_string();
            if seen.contains(&text) {
                if noted.insert(text.clone()) {
                    notes.push(QueryNote {
                        position: node_position(&child),
                        message: format!("`{text}` is repeated: searched once"),
                    });
                }
                continue;
            }
            seen.insert(text);
            kept.push(child);
        }
        kept
    };
    let single = |mut v: Vec<Node>, join: fn(Vec<Node>) -> Node| {
        if v.len() == 1 {
            v.remove(0)
        } else {
            join(v)
        }
    };
    match node {
        Node::And(children) => single(dedupe(children, notes), Node::And),
        Node::Or(children) => single(dedupe(children, notes), Node::Or),
        Node::Not(child) => Node::Not(Box::new(searched_once(*child, notes))),
        other => other,
    }
}

/// Byte offset of a word or phrase node in the query.
fn node_position(node: &Node) -> Option<usize> {
    match node {
        Node::Term(t) => Some(t.position),
        Node::Phrase { position, .. } | Node::DateRange { position, .. } => Some(*position),
        Node::Not(child) => node_position(child),
        Node::And(v) | Node::Or(v) => v.first().and_then(node_position),
    }
}

/// Parses `query` leniently (see the module docs). Never fails, never
/// panics; a query made only of operators (`AND OR`) is read as words;
/// `NOT NOT x` is `x`; groups deeper than [`MAX_NESTING`] are read flat; a part
/// repeated in a conjunction or disjunction is searched once.
pub fn parse(query: &str) -> ParsedQuery {
    let mut notes = Vec::new();
    let toks = lex(query, &mut notes);
    let mut hints = Vec::new();
    lower_case_operators(&toks, &mut hints);
    let toks = flatten_deep_groups(toks, &mut notes);
    let mut parser = Parser {
        toks: &toks,
        i: 0,
        notes: &mut notes,
    };
    let mut root = parser.parse_or(0);
    while parser.i < toks.len() {
        // Stray closing parentheses at top level end `parse_or`; skip them.
        parser.i += 1;
        if let Some(more) = parser.parse_or(0) {
            root = Some(match root {
                Some(Node::And(mut v)) => {
                    v.push(more);
                    Node::And(v)
                }
                Some(r) => Node::And(vec![r, more]),
                None => more,
            });
        }
    }
    if root.is_none() {
        // Only operators: search them as words, as a user would expect.
        // Each operator as written (`AND`, `or`, `&&`, `-`…), once: a word
        // read as far as the next space would make `----…` quadratic.
        let mut seen = std::collections::HashSet::new();
        let words: Vec<Node> = toks
            .iter()
            .filter_map(|t| match t {
                Tok::And(p) | Tok::Or(p) | Tok::Not(p) => {
                    let w = operator_text(&query[*p..]);
                    // `&&`, `||`, `-` hold no word to search.
                    (w.chars().any(char::is_alphanumeric) && seen.insert(w.to_lowercase()))
                        .then(|| Node::Term(term_node(w, *p, &mut Vec::new())))
                }
                _ => None,
            })
            .collect();
        if !words.is_empty() {
            // They are searched, not ignored: say that instead.
            notes.retain(|n| {
                !(n.message.ends_with("; ignored")
                    && ["`AND`", "`OR`", "`NOT`", "`&&`", "`||`"]
                        .iter()
                        .any(|op| n.message.starts_with(op)))
            });
            notes.push(QueryNote {
                position: None,
                message: "only operators: searched as words (AND, OR and NOT join words)".into(),
            });
        }
        root = match words.len() {
            0 => None,
            1 => words.into_iter().next(),
            _ => Some(Node::And(words)),
        };
    }
    let root = root.map(|r| searched_once(r, &mut notes));
    notes.sort_by_key(|n| n.position);
    ParsedQuery { root, notes, hints }
}

/// The operator `rest` starts with, as written: a word operator (`AND`,
/// `or`, `NOT`), `&&`, `||`, or one character (`-`, `+`, `!`).
fn operator_text(rest: &str) -> &str {
    for op in ["AND", "OR", "NOT", "&&", "||"] {
        if rest.len() >= op.len()
            && rest.is_char_boundary(op.len())
            && rest[..op.len()].eq_ignore_ascii_case(op)
        {
            return &rest[..op.len()];
        }
    }
    rest.chars().next().map_or("", |c| &rest[..c.len_utf8()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, position: usize) -> Node {
        Node::Term(TermNode {
            text: text.into(),
            field: None,
            prefix: false,
            fuzzy: None,
            position,
        })
    }

    #[test]
    fn words_are_anded_and_apostrophes_stay_in_words() {
        let p = parse("l'OTAN et l'Ukraine");
        assert_eq!(
            p.root,
            Some(Node::And(vec![
                term("l'OTAN", 0),
                term("et", 7),
                term("l'Ukraine", 10)
            ]))
        );
        assert!(p.notes.is_empty());
    }

    #[test]
    fn a_repeated_part_is_searched_once_with_a_note() {
        let p = parse("otan cyber otan otan");
        assert_eq!(
            p.root,
            Some(Node::And(vec![term("otan", 0), term("cyber", 5)]))
        );
        assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
        assert_eq!(p.notes[0].position, Some(11), "the first repeat");
        assert!(p.notes[0].message.contains("`otan` is repeated"));
        // Down to one part: the part itself; in a group, phrases too.
        assert_eq!(parse("otan otan").root, Some(term("otan", 0)));
        let p = parse("(\"mesures de confiance\" OR \"mesures de confiance\") x");
        assert_eq!(
            p.root.map(|r| r.to_string()).as_deref(),
            Some("\"mesures de confiance\" AND x")
        );
        // Different case is another part (an acronym is not a word).
        assert!(matches!(parse("OTAN otan").root, Some(Node::And(v)) if v.len() == 2));
        // Sixteen thousand repeats: one part.
        let long = "otan ".repeat(16_000);
        assert_eq!(parse(&long).root, Some(term("otan", 0)));
    }

    #[test]
    fn operators_alone_are_read_in_linear_time() {
        // Found by the query_nesting fuzz target: 32,768 dashes then a
        // field ran out of memory, each dash copying the rest of the run.
        let query = "-".repeat(32_768) + "source:";
        let parsed = parse(&query);
        assert!(parsed.notes.len() < 100, "{} notes", parsed.notes.len());
        let parsed = parse("NOT NOT NOT");
        assert_eq!(
            parsed.root.map(|r| r.to_string()).as_deref(),
            Some("NOT"),
            "each operator searched once, as written"
        );
    }

    #[test]
    fn operators_phrases_and_groups() {
        let p = parse("(otan OR ukraine) -chine \"serveurs Exchange\"~2");
        let Some(Node::And(items)) = p.root else {
            panic!("{:?}", p.root)
        };
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], Node::Or(v) if v.len() == 2));
        assert!(matches!(&items[1], Node::Not(_)));
        assert!(matches!(&items[2], Node::Phrase { slop: 2, .. }));
    }

    #[test]
    fn prefix_fuzzy_and_fields() {
        let Some(Node::And(items)) = parse("sécur* compromision~1 title:otan").root else {
            panic!()
        };
        assert!(matches!(&items[0], Node::Term(t) if t.prefix && t.text == "sécur"));
        assert!(
            matches!(&items[1], Node::Term(t) if t.fuzzy == Some(1) && t.text == "compromision")
        );
        assert!(
            matches!(&items[2], Node::Term(t) if t.field.as_deref() == Some("title") && t.text == "otan")
        );
    }

    #[test]
    fn french_field_names_and_unknown_fields() {
        let Some(Node::Term(t)) = parse("titre:otan").root else {
            panic!()
        };
        assert_eq!(
            (t.field.as_deref(), t.text.as_str()),
            (Some("title"), "otan")
        );
        let p = parse("url:github");
        assert!(matches!(&p.root, Some(Node::Term(t)) if t.field.is_none() && t.text == "github"));
        assert!(p.notes[0].message.contains("unknown field `url:`"));
        // Not a field: digits, or a time.
        assert!(parse("2,5:3").notes.is_empty());
    }

    #[test]
    fn date_filters() {
        use jiff::civil::date;
        let Some(Node::And(items)) = parse("otan date:[2020-01-01 TO 2021]").root else {
            panic!()
        };
        assert_eq!(
            items[1],
            Node::DateRange {
                since: Some(date(2020, 1, 1)),
                until: Some(date(2021, 12, 31)),
                position: 5
            }
        );
        assert!(
            matches!(parse("date:2021-02").root, Some(Node::DateRange { until: Some(d), .. }) if d == date(2021, 2, 28))
        );
        assert!(matches!(
            parse("date:[* TO 2019-06-30]").root,
            Some(Node::DateRange { since: None, .. })
        ));
        assert!(!parse("date:hier").notes.is_empty());
        assert_eq!(
            date_interval("19 juillet 2021"),
            Some((date(2021, 7, 19), date(2021, 7, 19)))
        );
    }

    #[test]
    fn negations_cancel_in_pairs_and_chains_cost_no_stack() {
        assert_eq!(parse("NOT NOT otan").root, Some(term("otan", 8)));
        let odd = parse("NOT NOT NOT otan").root;
        assert!(matches!(odd, Some(Node::Not(_))), "{odd:?}");
        assert_eq!(parse("NOT (NOT otan)").root, Some(term("otan", 9)));
        // A long chain parses at once (it used to take seconds).
        let chain = format!("{}otan", "NOT ".repeat(10_000));
        assert!(parse(&chain).root.is_some());
    }

    #[test]
    fn stray_operators_and_signs_are_named() {
        let messages = |q: &str| -> Vec<(Option<usize>, String)> {
            parse(q)
                .notes
                .into_iter()
                .map(|n| (n.position, n.message))
                .collect()
        };
        // `OR` first: nothing to join on its left.
        let p = parse("OR otan");
        assert_eq!(p.root, Some(term("otan", 3)));
        assert_eq!(
            messages("OR otan"),
            vec![(Some(0), "`OR` has nothing before it; ignored".to_string())]
        );
        // `AND AND`: read once, the second one named; a run is named once.
        let p = parse("défense AND AND otan");
        assert_eq!(
            p.root,
            Some(Node::And(vec![term("défense", 0), term("otan", 17)]))
        );
        assert_eq!(
            messages("défense AND AND otan"),
            vec![(Some(13), "`AND` repeated; read once".to_string())]
        );
        assert_eq!(messages("a AND AND AND AND b").len(), 1);
        // A dash between spaces excludes nothing, and says how to exclude.
        let p = parse("otan - chine");
        assert_eq!(
            p.root,
            Some(Node::And(vec![term("otan", 0), term("chine", 7)]))
        );
        let notes = messages("otan - chine");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, Some(5));
        assert!(notes[0].1.contains("write `-word`"), "{notes:?}");
        // Signs with no letter or digit are named, not searched.
        assert_eq!(
            messages("otan §"),
            vec![(Some(5), "`§` has no searchable word; ignored".to_string())]
        );
        // Two negations cancel, and the user is told.
        let p = parse("otan NOT NOT chine");
        assert_eq!(
            p.root,
            Some(Node::And(vec![term("otan", 0), term("chine", 13)]))
        );
        assert_eq!(
            messages("otan NOT NOT chine"),
            vec![(
                Some(9),
                "`NOT`/`-` repeated: two negations cancel out".to_string()
            )]
        );
        assert_eq!(messages(&format!("{}otan", "NOT ".repeat(1000))).len(), 1);
        // What no plan can search is named here, so that --strict refuses it.
        assert_eq!(
            messages("otan *"),
            vec![(
                Some(5),
                "`*` alone matches no word: a prefix needs letters before the `*`; ignored"
                    .to_string()
            )]
        );
        assert_eq!(
            messages("otan \"\""),
            vec![(Some(5), "empty phrase; ignored".to_string())]
        );
        assert_eq!(
            messages("otan ()"),
            vec![(Some(5), "empty group `()`; ignored".to_string())]
        );
        // Invisible separators pasted with text separate words.
        let p = parse("\u{200B}OR otan");
        assert_eq!(p.root, Some(term("otan", 6)));
        assert_eq!(
            messages("\u{200B}OR otan"),
            vec![(Some(3), "`OR` has nothing before it; ignored".to_string())]
        );
        // A date range that ends before it starts matches nothing, and
        // says so.
        let p = parse("otan date:[2021 TO 2020]");
        assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
        assert_eq!(p.notes[0].position, Some(5));
        assert!(
            p.notes[0].message.contains("starts after it ends"),
            "{:?}",
            p.notes
        );
        // A dash typed by a word processor excludes, and says so.
        // However many dashes, and before a quote or a group too.
        for q in ["otan ––chine", "otan --chine", "otan —–chine"] {
            let p = parse(q);
            assert!(
                matches!(&p.root, Some(Node::And(v)) if matches!(v[1], Node::Not(_))),
                "{q}: {:?}",
                p.root
            );
        }
        assert!(matches!(
            parse("otan –\"chine\"").root,
            Some(Node::And(v)) if matches!(v[1], Node::Not(_))
        ));
        assert_eq!(
            parse("otan^2~1").root.map(|r| r.to_string()).as_deref(),
            Some("otan~1")
        );
        let p = parse("\"a b\"~3^2");
        assert!(
            matches!(&p.root, Some(Node::Phrase { slop: 3, .. })),
            "{:?}",
            p.root
        );
        assert_eq!(p.notes.len(), 1, "{:?}", p.notes);
        let p = parse("otan –chine");
        assert_eq!(
            p.root,
            Some(Node::And(vec![
                term("otan", 0),
                Node::Not(Box::new(term("chine", 8)))
            ]))
        );
        assert_eq!(p.notes[0].position, Some(5));
        // Suffixes vigie does not read are named, not searched as words.
        let p = parse("otan~x");
        assert_eq!(p.root, Some(term("otan", 0)));
        assert_eq!(p.notes[0].position, Some(4));
        assert!(p.notes[0].message.starts_with("`~x`: a typo tolerance"));
        assert_eq!(parse("otan^2").root, Some(term("otan", 0)));
        assert_eq!(parse("otan^2").notes[0].position, Some(4));
        let p = parse("\"otan chine\"~x");
        assert!(
            matches!(&p.root, Some(Node::Phrase { slop: 0, .. })),
            "{:?}",
            p.root
        );
        assert_eq!(p.notes[0].position, Some(12));
        assert!(is_blank_query("\u{FEFF} \u{200B}\t"));
        assert!(
            is_blank_query("\u{AD}\u{200C}\u{200E} \u{202E}"),
            "invisible only"
        );
        assert!(!is_blank_query("\u{200B}otan"));
    }

    #[test]
    fn deep_nesting_is_read_flat_with_a_note() {
        let q = format!("{}otan{}", "(".repeat(10_000), ")".repeat(10_000));
        let parsed = parse(&q);
        assert!(parsed.root.is_some());
        assert!(parsed
            .notes
            .iter()
            .any(|n| n.message.contains("nested deeper than 32")));
        // Shallow groups are untouched.
        assert_eq!(parse("((otan))").root, Some(term("otan", 2)));
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        let p = parse("\"sécurité collective");
        assert!(
            matches!(&p.root, Some(Node::Phrase { text, .. }) if text == "sécurité collective")
        );
        assert_eq!(p.notes.len(), 1);
        assert_eq!(p.notes[0].position, Some(0));
    }

    #[test]
    fn broken_queries_are_worked_around() {
        for q in [
            "AND OR", "(", ")", "-", "\"", "a AND", "OR b", "((a)", "a))", "NOT", "title:", "~",
            "*", "«", "a ~2",
        ] {
            let _ = parse(q);
        }
        assert_eq!(
            parse("AND OR").root,
            Some(Node::And(vec![term("AND", 0), term("OR", 4)]))
        );
        // Signs hold no word: not "searched as words", only named.
        let p = parse("&&");
        assert_eq!(p.root, None);
        assert!(
            p.notes
                .iter()
                .all(|n| !n.message.contains("searched as words")),
            "{:?}",
            p.notes
        );
        assert!(!p.notes.is_empty());
        assert!(!parse("(a").notes.is_empty());
    }
}
