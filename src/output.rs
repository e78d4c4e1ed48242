//! Output: shows hits to a person (human format) or a program (JSON Lines).
//!
//! This module is the *printer*: it never searches. [`HumanPrinter`] writes
//! per hit a header line (rank, title, date, paragraph number, score) and
//! the paragraph, or a window of it around the first matched words for long
//! paragraphs, wrapped to the terminal width (80 columns when piped), with
//! the matched words in bold red on a colour terminal and between `**` when
//! colour is off. [`JsonPrinter`] writes one JSON object per line: a `hit`
//! object per hit (the contract documented on [`crate::search::Hit`]; the
//! `highlights` are byte offsets into `text`, which is the paragraph exactly
//! as in the source) and a final `summary` object. [`CsvPrinter`] writes
//! the citation fields for spreadsheets.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::search::{Hit, Neighbour, SearchResults};

/// Longest paragraph excerpt shown by the human printer, in characters.
pub const DEFAULT_WINDOW_CHARS: usize = 480;

/// Marker put around matched words when colour is off.
pub const PLAIN_MARKER: &str = "**";

/// Human-readable printer.
#[derive(Debug, Clone)]
pub struct HumanPrinter {
    /// Use ANSI colours.
    pub color: bool,
    /// Wrap width in columns.
    pub width: usize,
    /// Longest excerpt, in characters.
    pub window_chars: usize,
}

fn match_style() -> Style {
    Style::new().bold().fg_color(Some(AnsiColor::Red.into()))
}

fn title_style() -> Style {
    Style::new().bold()
}

fn meta_style() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into()))
}

/// Chooses the byte range of `text` to show: the whole text when it has at
/// most `max_chars` characters, else a window of about `max_chars`
/// characters starting a little before a highlight, cut at spaces: the
/// window that shows the most of the query ([`window_worth`]), the first
/// one among equals. Returns `(start, end)` byte offsets on character
/// boundaries.
pub fn excerpt_window(text: &str, highlights: &[[usize; 2]], max_chars: usize) -> (usize, usize) {
    if text.chars().count() <= max_chars {
        return (0, text.len());
    }
    let mut best = window_from(text, highlights.first().map_or(0, |h| h[0]), max_chars);
    let mut best_worth = window_worth(text, highlights, best);
    for h in highlights.iter().skip(1) {
        let window = window_from(text, h[0], max_chars);
        let worth = window_worth(text, highlights, window);
        if worth > best_worth {
            (best, best_worth) = (window, worth);
        }
    }
    best
}

/// How much of the query the window `(start, end)` of `text` shows: the
/// length in characters of each distinct highlighted text in it (folded
/// to lower case), halved where the highlight is only part of a word (the
/// `cyber` of `cybermalveillance` for the query `cyberdéfense`, which a
/// window showing `cyberdéfense` whole beats).
fn window_worth(text: &str, highlights: &[[usize; 2]], (start, end): (usize, usize)) -> usize {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut seen: Vec<String> = Vec::new();
    let mut worth = 0;
    for &[a, b] in highlights {
        let Some(marked) = text.get(a..b).filter(|_| a >= start && b <= end) else {
            continue;
        };
        let folded = marked.to_lowercase();
        if seen.contains(&folded) {
            continue;
        }
        let whole = !is_word(text[..a].chars().next_back()) && !is_word(text[b..].chars().next());
        let chars = marked.chars().count() * 2;
        worth += if whole { chars } else { chars / 2 };
        seen.push(folded);
    }
    worth
}

/// The window of about `max_chars` characters of `text` that starts a
/// fifth of its length before byte `first`, cut at spaces.
fn window_from(text: &str, first: usize, max_chars: usize) -> (usize, usize) {
    // Start about a fifth of the window before the first match.
    let lead = max_chars / 5;
    let before: Vec<usize> = text[..first].char_indices().map(|(i, _)| i).collect();
    let mut start = if before.len() > lead {
        before[before.len() - lead]
    } else {
        0
    };
    if start > 0 {
        // Move to the start of a word.
        if let Some(sp) = text[start..first].find(char::is_whitespace) {
            start += sp;
            start += text[start..].chars().next().map_or(0, char::len_utf8);
        }
    }
    let mut end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        if let Some(sp) = text[start..end].rfind(char::is_whitespace) {
            if sp > 0 {
                end = start + sp;
            }
        }
    }
    (start, end)
}

/// `text` with its control characters made visible and harmless for a
/// terminal: C0 controls other than tab, line feed and carriage return as
/// their Unicode control pictures (ESC as `␛`), DEL as `␡`, C1 controls
/// as U+FFFD. A statement's text is not vigie's: an escape sequence in it
/// (one that clears the screen, sets the window title or writes the
/// clipboard) must not reach the terminal. JSON and CSV escape or quote
/// them already.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let harmful = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(harmful) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// `text` with its no-break spaces kept only where French typography
/// puts one (after `«` or a digit, before `;` `:` `!` `?` `»` `%` `€` or
/// a digit) and made ordinary spaces elsewhere (after a dash), so that a
/// line breaks neither inside `3 864` nor before `:`, nor begins with one.
fn typographic_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(is_no_break_space) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let kept = |i: usize| {
        let before = i.checked_sub(1).and_then(|b| chars.get(b)).copied();
        let after = chars.get(i + 1).copied();
        matches!(before, Some('«' | '0'..='9'))
            || matches!(
                after,
                Some(';' | ':' | '!' | '?' | '»' | '%' | '€' | '0'..='9')
            )
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if is_no_break_space(c) && !kept(i) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Whether `c` is a no-break space: no-break space, narrow no-break space
/// (French typography before `;:!?`), figure space.
fn is_no_break_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

impl HumanPrinter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!(
                "{}{}{}",
                style.render(),
                visible(text),
                style.render_reset()
            )
        } else {
            visible(text).into_owned()
        }
    }

    /// Renders the excerpt of `hit` with its highlights marked.
    pub fn render_excerpt(&self, hit: &Hit) -> String {
        self.render_text(&hit.text, &hit.highlights)
    }

    /// Renders the excerpt window of `text` with the `highlights` (byte
    /// ranges into `text`) marked.
    fn render_text(&self, text: &str, highlights: &[[usize; 2]]) -> String {
        let (start, end) = excerpt_window(text, highlights, self.window_chars);
        let mut out = String::new();
        if start > 0 {
            out.push_str("… ");
        }
        let mut cursor = start;
        for h in highlights {
            let (s, e) = (h[0].max(cursor), h[1].min(end));
            if s >= e || s >= end {
                continue;
            }
            out.push_str(&visible(&text[cursor..s]));
            let word = &text[s..e];
            if self.color {
                out.push_str(&self.paint(match_style(), word));
            } else {
                out.push_str(PLAIN_MARKER);
                out.push_str(&visible(word));
                out.push_str(PLAIN_MARKER);
            }
            cursor = e;
        }
        out.push_str(&visible(&text[cursor..end]));
        if end < text.len() {
            out.push_str(" …");
        }
        // Layout whitespace (tabs, runs of spaces, newlines) shown as one
        // space; a no-break space of French typography stays, so that no
        // line breaks there (`3 864 euros`, `cyberdéfense :`, `« mot »`).
        let spaced = typographic_spaces(&out);
        spaced
            .split(|c: char| c.is_whitespace() && !is_no_break_space(c))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Wrapping at the printer's width: never inside a hyphenated word (a
    /// date, `cyber-défense`) nor at a no-break space, first fit (cheap and
    /// predictable). The Unicode line-breaking rules (UAX #14) keep French
    /// punctuation with its word and break long paths and URLs after a `/`;
    /// a separator of vigie's own at ASCII spaces was measured 5 % cheaper
    /// on a cold search and dropped: it cut long paths anywhere, through
    /// the `**` highlight markers, and left `“` at the end of a line.
    fn wrap_options<'a>(&self, first: &'a str, rest: &'a str) -> textwrap::Options<'a> {
        textwrap::Options::new(self.width.max(20))
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
    }

    /// Writes one hit.
    ///
    /// # Errors
    /// I/O errors of `out` (a closed pipe included).
    pub fn write_hit(&self, out: &mut dyn Write, hit: &Hit) -> io::Result<()> {
        let mut meta = Vec::new();
        if let Some(d) = &hit.date {
            meta.push(d.clone());
        }
        meta.push(format!("§{}", hit.paragraph));
        if let Some(n) = hit.matching_paragraphs {
            meta.push(format!(
                "{n} matching paragraph{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        if let Some(mark) = partial_mark(hit) {
            meta.push(mark);
        }
        if let Some(via @ ("synonym" | "related")) = hit.via {
            meta.push(format!("via {via}"));
        }
        let title = if hit.title.is_empty() {
            &hit.doc_id
        } else {
            &hit.title
        };
        // On one line: a carriage return or line feed in a title would
        // move the terminal's cursor.
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        let header = format!(
            "{}. {}  {}",
            hit.rank,
            self.paint(title_style(), &title),
            self.paint(meta_style(), &meta.join(" · ")),
        );
        let options = self.wrap_options("", "   ");
        for line in textwrap::wrap(&header, options) {
            writeln!(out, "{line}")?;
        }
        for n in &hit.before {
            self.write_neighbour(out, n)?;
        }
        let body = self.render_excerpt(hit);
        let options = self.wrap_options("   ", "   ");
        for line in textwrap::wrap(&body, options) {
            writeln!(out, "{line}")?;
        }
        for n in &hit.after {
            self.write_neighbour(out, n)?;
        }
        if let Some(t) = &hit.twin {
            let body = format!(
                "⇄ {} §{} {}",
                visible(&t.lang),
                t.paragraph,
                visible(&t.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let options = self.wrap_options("   ", "     ");
            let style = Style::new().fg_color(Some(AnsiColor::Cyan.into()));
            for line in textwrap::wrap(&body, options) {
                writeln!(out, "{}", self.paint(style, &line))?;
            }
        }
        writeln!(out)
    }

    /// Writes a context paragraph: dimmed, prefixed with its number.
    fn write_neighbour(&self, out: &mut dyn Write, n: &Neighbour) -> io::Result<()> {
        let body = format!("§{} {}", n.paragraph, self.render_text(&n.text, &[]));
        let options = self.wrap_options("   │ ", "   │ ");
        let dim = Style::new().dimmed();
        for line in textwrap::wrap(&body, options) {
            writeln!(out, "{}", self.paint(dim, &line))?;
        }
        Ok(())
    }

    /// Writes every hit of `results`.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn write(&self, out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
        for hit in &results.hits {
            self.write_hit(out, hit)?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    hit: &'a Hit,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Paragraphs holding every part of the query.
    total: usize,
    /// Further candidates: partial matches and paragraphs found through
    /// their statement.
    partial: usize,
    /// Matching statements, when counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    statements: Option<usize>,
    /// Hits printed.
    returned: usize,
    /// Wall time of search + highlight, milliseconds.
    elapsed_ms: f64,
}

/// How a partial hit is marked in human output: `partial: otan` (the
/// parts of the query it holds), `from its statement` for a paragraph
/// found through its statement alone, `translation of a match` for the
/// twin of a matching paragraph; `None` for a full match.
pub fn partial_mark(hit: &Hit) -> Option<String> {
    if !hit.partial {
        return None;
    }
    Some(if hit.via == Some("twin") {
        "partial: translation of a match".to_string()
    } else if hit.via == Some("related") && hit.matched_terms.is_empty() {
        // `via related` says it (the meta line that follows).
        return None;
    } else if hit.matched_terms.is_empty() {
        "partial: from its statement".to_string()
    } else {
        format!("partial: {}", hit.matched_terms.join(", "))
    })
}

/// JSON Lines printer.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonPrinter;

impl JsonPrinter {
    /// Writes one `{"type":"hit", …}` line per hit, then one
    /// `{"type":"summary","total":N,"returned":N,"elapsed_ms":F}` line.
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn write(&self, out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
        for hit in &results.hits {
            serde_json::to_writer(&mut *out, &JsonHit { kind: "hit", hit })?;
            out.write_all(b"\n")?;
        }
        let summary = JsonSummary {
            kind: "summary",
            total: results.total,
            partial: results.partial,
            statements: results.statements,
            returned: results.hits.len(),
            elapsed_ms: (results.search_micros + results.fetch_micros) as f64 / 1000.0,
        };
        serde_json::to_writer(&mut *out, &summary)?;
        out.write_all(b"\n")
    }
}

/// CSV printer for spreadsheets: a header row, then one row per hit with
/// the citation fields an analyst pastes in a report ([`CsvPrinter::COLUMNS`],
/// then `matching_paragraphs` with `--docs` and `before`, `after` with
/// `-C`, each neighbour as `§N text` on its own line).
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvPrinter;

impl CsvPrinter {
    /// Column names, in order.
    pub const COLUMNS: [&'static str; 13] = [
        "rank",
        "score",
        "title",
        "date",
        "reference",
        "paragraph",
        "url",
        "doc_id",
        "lang",
        "text",
        "partial",
        "matched_terms",
        "via",
    ];

    /// Writes the header and one row per hit (RFC 4180 quoting).
    ///
    /// # Errors
    /// I/O errors of `out`.
    pub fn write(&self, out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
        // csv wraps I/O errors; unwrap them so that a closed pipe stays a
        // `BrokenPipe` the caller can recognise.
        fn io(e: csv::Error) -> io::Error {
            match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => io::Error::other(format!("{other:?}")),
            }
        }
        // `--docs` and `-C` add their columns only when used.
        let docs = results.hits.iter().any(|h| h.matching_paragraphs.is_some());
        let context = results
            .hits
            .iter()
            .any(|h| !h.before.is_empty() || !h.after.is_empty());
        let neighbours = |list: &[crate::search::Neighbour]| {
            list.iter()
                .map(|n| format!("§{} {}", n.paragraph, n.text))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut w = csv::Writer::from_writer(out);
        let mut header: Vec<&str> = Self::COLUMNS.to_vec();
        if docs {
            header.push("matching_paragraphs");
        }
        if context {
            header.extend(["before", "after"]);
        }
        w.write_record(&header).map_err(io)?;
        for h in &results.hits {
            let mut extra = Vec::new();
            if docs {
                extra.push(
                    h.matching_paragraphs
                        .map_or(String::new(), |n| n.to_string()),
                );
            }
            if context {
                extra.push(neighbours(&h.before));
                extra.push(neighbours(&h.after));
            }
            w.write_record(
                [
                    h.rank.to_string(),
                    format!("{:.4}", h.score),
                    h.title.clone(),
                    h.date.clone().unwrap_or_default(),
                    h.reference.clone().unwrap_or_default(),
                    h.paragraph.to_string(),
                    h.url.clone().unwrap_or_default(),
                    h.doc_id.clone(),
                    h.lang.clone(),
                    h.text.clone(),
                    h.partial.to_string(),
                    h.matched_terms.join("; "),
                    h.via.unwrap_or_default().to_string(),
                ]
                .into_iter()
                .chain(extra),
            )
            .map_err(io)?;
        }
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, highlights: Vec<[usize; 2]>) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            doc_id: "d".into(),
            title: "Titre".into(),
            date: Some("2021-07-19".into()),
            reference: None,
            lang: "fr".into(),
            source: None,
            url: None,
            paragraph: 3,
            text: text.into(),
            highlights,
            matching_paragraphs: None,
            before: vec![],
            after: vec![],
            twin: None,
            partial: false,
            matched_terms: Vec::new(),
            via: None,
        }
    }

    #[test]
    fn control_characters_from_a_statement_never_reach_the_terminal() {
        // ESC ] 52 (write the clipboard), ESC [ 2 J (clear the screen),
        // BEL, DEL and a C1 control, as a statement may hold them.
        let text = "Titre \u{1b}]52;c;ZXZpbA==\u{7} \u{1b}[2J fin\u{7f}\u{9b}";
        let shown = visible(text);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(shown, "Titre ␛]52;c;ZXZpbA==␇ ␛[2J fin␡\u{fffd}");
        // Ordinary text, tabs and line feeds are left as they are.
        assert_eq!(visible("a\tb\nc é"), "a\tb\nc é");
        let mut h = hit(text, vec![]);
        h.title = "T \u{1b}[2J\r\nx".to_string();
        let printer = HumanPrinter {
            color: false,
            width: 200,
            window_chars: 400,
        };
        let mut out = Vec::new();
        printer.write_hit(&mut out, &h).expect("write");
        let out = String::from_utf8(out).expect("UTF-8");
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("T ␛[2J x"), "{out:?}");
    }

    #[test]
    fn lines_never_break_inside_a_word_nor_at_a_no_break_space() {
        // A hyphenated word and a date stay whole; the no-break space
        // before a colon keeps it with its word (French typography), and
        // the one inside `3 864` keeps the number whole.
        let p = HumanPrinter {
            color: false,
            width: 24,
            window_chars: 480,
        };
        let text =
            "Les alliés renforcent la cyber-défense collective du 19-07-2021\u{a0}: Alliance, \
             plafonné à 3\u{a0}864 euros – \u{a0}European";
        let mut out = Vec::new();
        p.write_hit(&mut out, &hit(text, vec![])).expect("write");
        let out = String::from_utf8(out).expect("UTF-8");
        let body: Vec<&str> = out.lines().skip(1).map(str::trim).collect();
        assert!(
            body.iter().any(|l| l.contains("3\u{a0}864")),
            "the no-break space was lost or broken: {body:?}"
        );
        for whole in ["cyber-défense", "19-07-2021"] {
            assert!(
                body.iter()
                    .any(|l| l.split([' ', '\u{a0}']).any(|w| w == whole)),
                "{whole} cut across lines: {body:?}"
            );
        }
        assert!(
            !body.iter().any(|l| l.starts_with('\u{a0}')),
            "a no-break space outside French typography began a line: {body:?}"
        );
        assert!(
            !body.iter().any(|l| l.starts_with(':')),
            "a colon began a line: {body:?}"
        );
    }

    #[test]
    fn plain_markers_surround_the_original_words() {
        let p = HumanPrinter {
            color: false,
            width: 80,
            window_chars: 480,
        };
        let text = "La cyber-défense de l’Alliance";
        let h = hit(text, vec![[3, 17], [25, 33]]);
        assert_eq!(&text[3..17], "cyber-défense");
        assert_eq!(
            p.render_excerpt(&h),
            "La **cyber-défense** de l’**Alliance**"
        );
    }

    #[test]
    fn window_shows_the_word_whole_over_its_parts_elsewhere() {
        // The query `cyberdéfense` marks `cyber` inside `cybermalveillance`
        // early on and `cyberdéfense` whole far later: show the latter.
        let text = format!(
            "Les actes de cybermalveillance visent les réseaux. {} Nous soutenons la cyberdéfense nationale.",
            "Le Conseil se réunit. ".repeat(20)
        );
        let part = text.find("cyber").unwrap();
        let whole = text.find("cyberdéfense").unwrap();
        let marks = [[part, part + 5], [whole, whole + "cyberdéfense".len()]];
        let (a, b) = excerpt_window(&text, &marks, 120);
        assert!(
            a <= whole && b >= whole + "cyberdéfense".len(),
            "{}",
            &text[a..b]
        );
        // Among equals (the same word twice), the first window.
        let again = text.find("Conseil").unwrap();
        let last = text.rfind("Conseil").unwrap();
        let (a, _) = excerpt_window(&text, &[[again, again + 7], [last, last + 7]], 120);
        assert!(a <= again, "{}", &text[a..]);
    }

    #[test]
    fn window_keeps_the_first_match_and_char_boundaries() {
        let text = "é".repeat(300) + " sécurité " + &"à".repeat(300);
        let s = text.find("sécurité").unwrap();
        let (a, b) = excerpt_window(&text, &[[s, s + "sécurité".len()]], 100);
        assert!(a <= s && b >= s + "sécurité".len());
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
    }

    #[test]
    fn json_lines_have_hits_then_summary() {
        let results = SearchResults {
            hits: vec![hit("abc", vec![[0, 3]])],
            total: 7,
            partial: 0,
            statements: None,
            notes: vec![],
            explain: vec![],
            search_micros: 10,
            fetch_micros: 5,
        };
        let mut buf = Vec::new();
        JsonPrinter.write(&mut buf, &results).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(buf)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["type"], "hit");
        assert_eq!(lines[0]["paragraph"], 3);
        assert_eq!(lines[0]["highlights"][0][1], 3);
        assert_eq!(lines[1]["type"], "summary");
        assert_eq!(lines[1]["total"], 7);
    }
}
