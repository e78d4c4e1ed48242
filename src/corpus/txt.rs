//! Statements pasted from the web (`.txt`).
//!
//! A pasted statement looks like this (page chrome included):
//!
//! ```text
//! Déclaration
//!
//! du Conseil de l'Atlantique Nord en solidarité avec ceux touchés par …
//!
//!   • 19 Jul. 2021 -
//!   • |
//!   • Communiqué de presse (2021) 120
//!   • Issued on 19 Jul. 2021
//!
//! 1.        Nous observons avec une préoccupation croissante …
//!
//! 2.        Nous condamnons ces actes de cybermalveillance …
//! ```
//!
//! [`parse_txt`] extracts:
//! - the **title**: the non-empty lines before the first header line
//!   (chrome, date line, reference line or numbered paragraph), each trimmed
//!   and joined with single spaces;
//! - the **date**: the first date found in the header lines after the title,
//!   else in the preamble, else in the title itself (see [`super::date`]);
//! - the **reference**: the first header line containing `(YYYY) N`, bullet
//!   and trailing separators removed;
//! - the **paragraphs**: numbered paragraphs `N.` (see [`parse_txt`]), or,
//!   when there are none, the blank-line-separated blocks after the header.
//!
//! **Nothing of a numbered statement is dropped but page chrome**:
//! - a *preamble* (text between the header lines and paragraph 1, e.g.
//!   `Les chefs d'État … ont publié la déclaration suivante :`) becomes
//!   paragraph **0**;
//! - everything between paragraph `N` and `N+1` — bullets (`•`, `-`, `*`),
//!   sub-points (`a)`, `ii)`, `(b)`), unnumbered sub-paragraphs,
//!   intertitles — belongs to paragraph `N`, and everything after the last
//!   numbered paragraph (closing lines, `Fait à Bruxelles, le …`,
//!   signature) to the last one;
//! - such text is appended to the paragraph's text one *block* per line
//!   (joined with `\n`), bullets and sub-point markers kept as written. A
//!   block is a run of lines up to a blank line, a chrome line or a line
//!   that starts with a bullet or a sub-point marker; its lines are
//!   trimmed and joined with one space.
//!
//! Page chrome is never part of a paragraph: a lone `|`, `Issued on …`,
//! `Mis à jour le …`, `Last updated …`, `Publié le …`, `Share`,
//! `Partager`, `Imprimer`, `Print`, breadcrumbs, share bars and footer
//! lines ([`super::chrome`]), with or without a bullet, and a bullet
//! alone. Before the first content line, every bullet line (`•`, `·`, `▪`,
//! `◦`, `‣`, `●`, and `-` / `*` followed by a space) is chrome too (`•
//! 19 Jul. 2021 -`, `• Communiqué de presse (2021) 120`), and before
//! paragraph 1 so is any date, reference or chrome line, with or without a
//! bullet: those are the header lines. After paragraph 1, a bullet line is
//! content unless what follows the bullet is chrome. Statements without
//! numbered paragraphs follow the same rule after their header: a bullet
//! line with words is content and keeps its own line in its block.

use std::path::Path;

use super::{date, lang, CorpusError, Document, Origin, Paragraph};

/// Stable document id for a `.txt` file: its file stem, lowercased, with
/// each run of whitespace replaced by one `-` (leading and trailing
/// whitespace dropped).
///
/// `corpus/NAC 2021-07-19 Cyber FR.txt` → `nac-2021-07-19-cyber-fr`. Non
/// UTF-8 names are converted lossily; a path without a file name gives an
/// empty string. Only the stem is used, so two files with the same name in
/// different directories get the same id.
pub fn id_for_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut id = String::with_capacity(stem.len());
    for (i, word) in stem.split_whitespace().enumerate() {
        if i > 0 {
            id.push('-');
        }
        id.extend(word.chars().flat_map(char::to_lowercase));
    }
    id
}

/// Parses one pasted statement into a [`Document`].
///
/// `path` is only used for the id ([`id_for_path`]), the [`Origin`] and
/// error messages; nothing is read from disk. A leading UTF-8 BOM is
/// ignored; lines may end with `\n`, `\r\n` or `\r`.
///
/// Numbered paragraphs start with a line `N.` (1 to 3 digits, or the
/// number after the previous paragraph's past 999, then
/// whitespace — NBSPs included — or the end of the line); the printed `N`
/// becomes [`Paragraph::number`]. The text is the rest of that line after
/// the run of whitespace, followed by the continuation lines, each trimmed
/// and joined with one space; then each further block up to the next
/// numbered paragraph (or the end of the file) on its own line, see the
/// module documentation. Trailing whitespace is trimmed, nothing else
/// changes. A preamble before paragraph 1 is paragraph 0.
///
/// When nothing but blank lines separates the title from paragraph 1 (no
/// header line), the title is its first block and the blocks after it that
/// start with a lowercase letter (`Déclaration` / `du Conseil …`); the
/// other blocks are the preamble.
///
/// Without numbered paragraphs, each block of lines after the header
/// (blocks are separated by blank or chrome lines) is a paragraph, numbered
/// 1..n, its lines trimmed and joined with one space. If no header line
/// follows the title within its first two blocks, the title is the first
/// block alone.
///
/// `lang` is detected from the title and paragraphs
/// ([`lang::detect_document`]; `fr` when unreliable). `source` and `url`
/// are `None`.
///
/// # Errors
///
/// [`CorpusError::Malformed`] naming `path` when no paragraph is found.
pub fn parse_txt(text: &str, path: &Path) -> Result<Document, CorpusError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all_lines = split_lines(text);
    // The page around the statement (breadcrumb and share bar above,
    // footer below) is not part of it.
    let outside = |l: &&str| is_blank(l) || super::chrome::is_page_chrome(l);
    let first = all_lines
        .iter()
        .position(|l| !outside(l))
        .unwrap_or(all_lines.len());
    let last = all_lines
        .iter()
        .rposition(|l| !outside(l))
        .map_or(first, |i| i + 1);
    let lines = all_lines[first..last.max(first)].to_vec();

    let first_numbered = lines.iter().position(|l| numbered(l).is_some());

    // Title: non-empty lines up to the first header line.
    let mut title_lines: Vec<&str> = Vec::new();
    let mut title_end = 0;
    let mut blocks_in_title = 0;
    let mut stopped = false;
    let mut previous_blank = true;
    while let Some(line) = lines.get(title_end) {
        if is_blank(line) {
            previous_blank = true;
        } else if numbered(line).is_some() || is_meta(line) {
            stopped = true;
            break;
        } else {
            if previous_blank {
                blocks_in_title += 1;
            }
            previous_blank = false;
            title_lines.push(line.trim());
        }
        title_end += 1;
    }
    // A date line that ends the text is its closing line (`Fait le 14
    // juillet 2023.`), not a header under the title.
    if stopped
        && lines
            .get(title_end + 1..)
            .is_some_and(|rest| rest.iter().all(|l| is_blank(l)))
    {
        stopped = false;
    }
    if first_numbered.is_none() && (!stopped || blocks_in_title > 2) {
        // No header to delimit the title: take the first block only.
        title_lines.clear();
        title_end = 0;
        while lines.get(title_end).is_some_and(|l| is_blank(l)) {
            title_end += 1;
        }
        while let Some(line) = lines.get(title_end).filter(|l| !is_blank(l)) {
            title_lines.push(line.trim());
            title_end += 1;
        }
    }
    if first_numbered == Some(title_end) && blocks_in_title > 1 {
        // Paragraph 1 right after the title: blocks that do not continue
        // the title are the preamble.
        title_end = title_split(&lines, title_end);
        title_lines = lines
            .get(..title_end)
            .unwrap_or_default()
            .iter()
            .filter(|l| !is_blank(l))
            .map(|l| l.trim())
            .collect();
    }
    let title = title_lines.join(" ");

    // Header lines after the title; the body starts after them.
    let body_start = match first_numbered {
        Some(n) => n.max(title_end),
        None => {
            let mut i = title_end;
            while lines.get(i).is_some_and(|l| is_blank(l) || is_meta(l)) {
                i += 1;
            }
            i
        }
    };
    let zone = lines.get(title_end..body_start).unwrap_or_default();
    let (header, preamble) = if first_numbered.is_some() {
        split_preamble(zone)
    } else {
        (zone.to_vec(), String::new())
    };

    let date = header
        .iter()
        .find_map(|l| date::find_date(l))
        .or_else(|| date::find_date(&preamble))
        .or_else(|| title_lines.iter().find_map(|l| date::find_date(l)));
    let reference = header.iter().find_map(|l| reference_in(l));

    let body = lines.get(body_start..).unwrap_or_default();
    let paragraphs = if first_numbered.is_some() {
        let mut paragraphs = numbered_paragraphs(body);
        if !preamble.is_empty() {
            paragraphs.insert(
                0,
                Paragraph {
                    number: 0,
                    text: preamble,
                },
            );
        }
        paragraphs
    } else {
        block_paragraphs(body)
    };
    if paragraphs.is_empty() {
        return Err(CorpusError::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: "no paragraph found".to_string(),
        });
    }
    let lang = lang::detect_document(&title, &paragraphs);
    let date = date.or_else(|| date::closing_date(paragraphs.iter().map(|p| p.text.as_str())));

    Ok(Document {
        twin: None,
        id: id_for_path(path),
        title,
        date,
        reference,
        lang,
        source: None,
        url: None,
        paragraphs,
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
        },
    })
}

/// Where the title ends when nothing but blank lines separates it from
/// paragraph 1 (`end`): after its first block and the blocks after it that
/// start with a lowercase letter.
fn title_split(lines: &[&str], end: usize) -> usize {
    let mut i = 0;
    let mut in_first_block = false;
    let mut seen_block = false;
    while i < end {
        let Some(line) = lines.get(i) else { break };
        if is_blank(line) {
            in_first_block = false;
        } else if !in_first_block {
            let continues = line
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            if seen_block && !continues {
                return i;
            }
            seen_block = true;
            in_first_block = true;
        }
        i += 1;
    }
    end
}

/// Splits the lines between the title and paragraph 1 into header lines
/// (date, reference and chrome lines, every bullet line before the first
/// content line) and the preamble's text (its blocks joined with `\n`).
fn split_preamble<'a>(zone: &[&'a str]) -> (Vec<&'a str>, String) {
    let mut header = Vec::new();
    let mut preamble = Blocks::default();
    let mut started = false;
    for &line in zone {
        if is_blank(line) {
            preamble.end_block();
        } else if is_meta(line)
            && (!started || strip_bullet(line).is_none_or(|r| r.is_empty() || is_meta(r)))
        {
            header.push(line);
            preamble.end_block();
        } else {
            started = true;
            preamble.line(line);
        }
    }
    (header, preamble.finish())
}

/// Text made of blocks, one per line: see the module documentation.
#[derive(Debug, Default)]
struct Blocks {
    text: String,
    /// Whether the last block is still open (a continuation line joins it).
    open: bool,
}

impl Blocks {
    /// Adds a non-blank content line: a continuation of the open block,
    /// or a new block when it starts with a bullet or a sub-point marker.
    fn line(&mut self, line: &str) {
        let line = line.trim();
        let new_block = strip_bullet(line).is_some() || is_sub_point(line);
        if self.open && !new_block {
            self.text.push(' ');
        } else if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.open = true;
    }

    fn end_block(&mut self) {
        self.open = false;
    }

    fn finish(mut self) -> String {
        self.text.truncate(self.text.trim_end().len());
        self.text
    }
}

/// Splits on `\n` (dropping a `\r` before it), or on `\r` alone for files
/// that use old Mac line endings.
fn split_lines(text: &str) -> Vec<&str> {
    if !text.contains('\n') && text.contains('\r') {
        return text.split('\r').collect();
    }
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// `N.` at the start of a line (after indentation): the number and the rest
/// of the line after the run of whitespace, trailing whitespace trimmed.
pub(super) fn numbered(line: &str) -> Option<(u64, &str)> {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let number: u64 = t.get(..digits)?.parse().ok()?;
    after_number(number, t.get(digits..)?)
}

/// `number` and the rest of the line when `after` (what follows the
/// digits) is `.` then whitespace or the end of the line.
fn after_number(number: u64, after: &str) -> Option<(u64, &str)> {
    let after = after.strip_prefix('.')?;
    match after.chars().next() {
        None => Some((number, "")),
        Some(c) if c.is_whitespace() => Some((number, after.trim())),
        Some(_) => None,
    }
}

/// `N.` at the start of a line for the given `number` of any length (the
/// paragraph after `999.` is `1000.`), as [`numbered`] reads it.
fn numbered_as(line: &str, number: u64) -> Option<(u64, &str)> {
    let written = number.to_string();
    after_number(number, line.trim_start().strip_prefix(written.as_str())?)
}

/// The line without its list bullet, when it starts with one.
pub(super) fn strip_bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    match first {
        '•' | '·' | '▪' | '◦' | '‣' | '●' => Some(rest.trim()),
        '-' | '*' if rest.chars().next().is_none_or(char::is_whitespace) => Some(rest.trim()),
        _ => None,
    }
}

/// Page chrome: bullets, separators, share/print links, publication stamps.
pub(super) fn is_chrome(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    if strip_bullet(t).is_some() {
        return true;
    }
    let lower: String = t
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let word = lower.trim_end_matches([':', ' ']);
    matches!(word, "|" | "share" | "partager" | "imprimer" | "print")
        || super::chrome::is_page_chrome(t)
        || [
            "issued on",
            "mis à jour le",
            "mis a jour le",
            "last updated",
            "publié le",
            "publie le",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// A line that is mostly a date: a date plus at most three other words
/// (`Paris, le 19 juillet 2021`, `19 Jul. 2021 -`).
fn is_date_line(line: &str) -> bool {
    let Some((_, span)) = date::find_date_span(line) else {
        return false;
    };
    let before = line.get(..span.start).unwrap_or_default();
    let after = line.get(span.end..).unwrap_or_default();
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .count()
    };
    words(before) + words(after) <= 3
}

/// Whether the line contains `(YYYY) N`.
fn has_year_reference(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        if c != '(' {
            return false;
        }
        let year_ok = (1..=4).all(|k| chars.get(i + k).is_some_and(char::is_ascii_digit));
        if !year_ok || chars.get(i + 5) != Some(&')') {
            return false;
        }
        let mut j = i + 6;
        let mut spaces = 0;
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
            spaces += 1;
        }
        spaces > 0 && chars.get(j).is_some_and(char::is_ascii_digit)
    })
}

/// The reference printed on the line, e.g. `Communiqué de presse (2021) 120`.
pub(super) fn reference_in(line: &str) -> Option<String> {
    if !has_year_reference(line) {
        return None;
    }
    let t = strip_bullet(line).unwrap_or(line);
    let t = t
        .trim()
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—'));
    Some(t.to_string())
}

/// A header line: chrome, a date line or a reference line.
pub(super) fn is_meta(line: &str) -> bool {
    is_chrome(line) || has_year_reference(line) || is_date_line(line)
}

/// A sub-point marker at the start of the line: `a)`, `ii)`, `(b)`, `3)`
/// (one to four lowercase ASCII letters or one to three digits, between an
/// optional `(` and `)`), then whitespace or the end of the line.
fn is_sub_point(line: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix('(').unwrap_or(t);
    let letters = t.bytes().take_while(u8::is_ascii_lowercase).count();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if (1..=4).contains(&letters) {
        letters
    } else if (1..=3).contains(&digits) {
        digits
    } else {
        return false;
    };
    t.get(marker..)
        .and_then(|rest| rest.strip_prefix(')'))
        .is_some_and(|rest| rest.chars().next().is_none_or(char::is_whitespace))
}

/// Chrome after paragraph 1: a chrome line without a bullet, or a bullet
/// followed by nothing or by chrome (`• Share`, `• |`). Other bullet lines
/// are content there.
pub(super) fn is_body_chrome(line: &str) -> bool {
    match strip_bullet(line) {
        Some(rest) => rest.is_empty() || is_chrome(rest),
        None => is_chrome(line),
    }
}

fn numbered_paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let mut current: Option<(u64, Blocks)> = None;
    let flush = |current: &mut Option<(u64, Blocks)>, paragraphs: &mut Vec<Paragraph>| {
        if let Some((number, blocks)) = current.take() {
            let text = blocks.finish();
            if !text.is_empty() {
                paragraphs.push(Paragraph { number, text });
            }
        }
    };
    for line in lines {
        // Past 999 a number is a paragraph's only where it follows the
        // previous one (`1000.` after `999.`): elsewhere `2021. …` is a year.
        let next = current.as_ref().map(|c| c.0 + 1);
        let found = numbered(line).or_else(|| numbered_as(line, next?));
        if let Some((number, rest)) = found {
            flush(&mut current, &mut paragraphs);
            let mut blocks = Blocks::default();
            if !rest.is_empty() {
                blocks.text.push_str(rest);
                blocks.open = true;
            }
            current = Some((number, blocks));
        } else if let Some((_, blocks)) = current.as_mut() {
            if is_blank(line) || is_body_chrome(line) {
                blocks.end_block();
            } else {
                blocks.line(line);
            }
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs
}

fn block_paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let mut texts: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines {
        if is_blank(line) || is_body_chrome(line) {
            if !current.is_empty() {
                texts.push(std::mem::take(&mut current));
            }
        } else {
            // Bullets and sub-points are content: each keeps its own line.
            let own_line = strip_bullet(line).is_some() || is_sub_point(line);
            if !current.is_empty() {
                current.push(if own_line { '\n' } else { ' ' });
            }
            current.push_str(line.trim());
        }
    }
    if !current.is_empty() {
        texts.push(current);
    }
    (1u64..)
        .zip(texts)
        .map(|(number, text)| Paragraph { number, text })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_closing_date_line_is_no_header() {
        // SYNTHETIC: title, one paragraph, and the signature line last.
        let text =
            "Déclaration commune\n\nNous soutenons la coopération.\n\nFait le 14 juillet 2023.\n";
        let doc = parse_txt(text, Path::new("a.txt")).expect("a statement");
        assert_eq!(doc.title, "Déclaration commune");
        assert_eq!(doc.paragraphs[0].text, "Nous soutenons la coopération.");
        assert_eq!(doc.date, Some(jiff::civil::date(2023, 7, 14)));
    }

    use super::*;
    use jiff::civil::date;
    use std::path::PathBuf;

    fn path() -> PathBuf {
        PathBuf::from("corpus/test-doc.txt")
    }

    #[test]
    fn ids() {
        assert_eq!(
            id_for_path(Path::new("corpus/nac-2021-07-19-cyber-fr.txt")),
            "nac-2021-07-19-cyber-fr"
        );
        assert_eq!(
            id_for_path(Path::new("a/NAC 2021  Cyber FR.txt")),
            "nac-2021-cyber-fr"
        );
        assert_eq!(id_for_path(Path::new("Été.TXT")), "été");
        assert_eq!(id_for_path(Path::new("/")), "");
    }

    #[test]
    fn numbered_with_crlf_bom_and_chrome() {
        let text = "\u{feff}Déclaration sur le climat\r\n\r\n• 1er décembre 2020\r\n\
                    • Communiqué de presse (2020) 42 |\r\n• Partager\r\n\r\n\
                    1.\u{a0} \u{a0}Nous, les ministres,\r\nsommes réunis.\u{a0}\r\n\r\n\
                    Intertitre\r\n\r\n2. Nous appelons les États.\r\n3.\r\n\r\n\
                    Texte du troisième.\r\n• Share\r\nPrint\r\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.id, "test-doc");
        assert_eq!(doc.title, "Déclaration sur le climat");
        assert_eq!(doc.date, Some(date(2020, 12, 1)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("Communiqué de presse (2020) 42")
        );
        assert_eq!(doc.lang, "fr");
        let got: Vec<(u64, &str)> = doc
            .paragraphs
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "Nous, les ministres, sommes réunis.\nIntertitre"),
                (2, "Nous appelons les États."),
                (3, "Texte du troisième."),
            ]
        );
        assert_eq!(doc.origin.line, None);
        assert_eq!(doc.source, None);
        assert_eq!(doc.url, None);
    }

    fn numbers_and_texts(doc: &Document) -> Vec<(u64, &str)> {
        doc.paragraphs
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect()
    }

    #[test]
    fn preamble_is_paragraph_zero() {
        let text = "Déclaration\n\ndu sommet de Bruxelles\n\n\
                    • 14 Jun. 2021 -\n• |\n• Communiqué de presse (2021) 86\n\
                    • Issued on 14 Jun. 2021\n\n\
                    Les chefs d'État et de gouvernement\nont publié la déclaration suivante :\n\n\
                    Texte adopté à l'unanimité.\n\n\
                    1. Nous réaffirmons notre unité.\n\n2. Nous restons vigilants.\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.title, "Déclaration du sommet de Bruxelles");
        assert_eq!(doc.date, Some(date(2021, 6, 14)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("Communiqué de presse (2021) 86")
        );
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    0,
                    "Les chefs d'État et de gouvernement ont publié la déclaration suivante :\n\
                     Texte adopté à l'unanimité."
                ),
                (1, "Nous réaffirmons notre unité."),
                (2, "Nous restons vigilants."),
            ]
        );
    }

    #[test]
    fn preamble_without_header_lines() {
        // No date or reference line: the title is the first block and the
        // lowercase block that continues it; the next block is a preamble.
        let text = "Déclaration\n\nde la présidence\n\n\
                    La présidence a fait la déclaration suivante :\n\n\
                    1. Nous saluons l'accord.\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.title, "Déclaration de la présidence");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (0, "La présidence a fait la déclaration suivante :"),
                (1, "Nous saluons l'accord."),
            ]
        );
    }

    #[test]
    fn bullets_and_sub_points_belong_to_their_paragraph() {
        let text = "Communiqué\n\n• 14 juin 2021\n\n\
                    1. Les Alliés s'engagent à :\n\
                    • accroître leurs stocks de munitions ;\n\
                    • moderniser leurs forces,\n  dans les délais prévus ;\n\
                    - Share\n\
                    a) en coopération avec l'industrie ;\n\
                    (ii) dans le respect du droit.\n\n\
                    Ces engagements seront évalués chaque année.\n\n\
                    2. Nous restons unis.\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.title, "Communiqué");
        assert_eq!(doc.date, Some(date(2021, 6, 14)));
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    1,
                    "Les Alliés s'engagent à :\n\
                     • accroître leurs stocks de munitions ;\n\
                     • moderniser leurs forces, dans les délais prévus ;\n\
                     a) en coopération avec l'industrie ;\n\
                     (ii) dans le respect du droit.\n\
                     Ces engagements seront évalués chaque année."
                ),
                (2, "Nous restons unis."),
            ]
        );
    }

    #[test]
    fn closing_lines_go_to_the_last_paragraph() {
        let text = "Déclaration\n\nCommuniqué de presse (2021) 86\n\n\
                    1. Nous réaffirmons notre unité.\n\n\
                    2. Nous nous réunirons en 2022.\n\n\
                    Fait à Bruxelles, le 14 juin 2021.\n\n\
                    Le Secrétaire général\n\n• Partager\n• |\nImprimer\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (1, "Nous réaffirmons notre unité."),
                (
                    2,
                    "Nous nous réunirons en 2022.\n\
                     Fait à Bruxelles, le 14 juin 2021.\n\
                     Le Secrétaire général"
                ),
            ]
        );
    }

    #[test]
    fn header_bullets_are_chrome_body_bullets_are_content() {
        // Before paragraph 1, bullet lines carrying a date, a reference or
        // chrome are header lines, even after the preamble has started; a
        // bullet with words after the preamble started is content.
        let text = "Déclaration\n\n• 19 Jul. 2021 -\n• Textes officiels\n\n\
                    Les ministres ont décidé :\n• de renforcer la cyberdéfense ;\n\
                    • Communiqué de presse (2021) 120\n• Partager\n\n\
                    1. Nous condamnons ces actes.\n• 20 Jul. 2021 : réunion extraordinaire\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("Communiqué de presse (2021) 120")
        );
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    0,
                    "Les ministres ont décidé :\n• de renforcer la cyberdéfense ;"
                ),
                (
                    1,
                    "Nous condamnons ces actes.\n• 20 Jul. 2021 : réunion extraordinaire"
                ),
            ]
        );
    }

    #[test]
    fn seed_statement_is_four_paragraphs() {
        let text = include_str!("../../corpus/nac-2021-07-19-cyber-fr.txt");
        let doc = parse_txt(text, Path::new("nac-2021-07-19-cyber-fr.txt")).expect("parses");
        let numbers: Vec<u64> = doc.paragraphs.iter().map(|p| p.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert!(doc.paragraphs[0]
            .text
            .starts_with("Nous observons avec une préoccupation croissante"));
        assert!(doc.paragraphs[3]
            .text
            .ends_with("comportement responsable des États."));
        for p in &doc.paragraphs {
            assert!(!p.text.contains('\n'), "{:?}", p.text);
            assert!(!p.text.contains("Issued"), "{:?}", p.text);
        }
    }

    #[test]
    fn sub_point_markers() {
        for line in ["a) texte", "  ii) texte", "(b) texte", "3) texte", "iv)"] {
            assert!(is_sub_point(line), "{line:?}");
        }
        for line in [
            "a)texte",
            "abcde) texte",
            "(OTAN) texte",
            "1. texte",
            "texte",
            "",
        ] {
            assert!(!is_sub_point(line), "{line:?}");
        }
    }

    #[test]
    fn body_chrome() {
        for line in [
            "• Share",
            "• |",
            "- Partager",
            "•",
            "Imprimer",
            "Issued on 19 Jul. 2021",
        ] {
            assert!(is_body_chrome(line), "{line:?}");
        }
        for line in [
            "• de renforcer",
            "- 5 % en un an",
            "• 19 Jul. 2021 -",
            "Texte",
        ] {
            assert!(!is_body_chrome(line), "{line:?}");
        }
    }

    #[test]
    fn unnumbered_blocks() {
        let text = "Statement by the Secretary General\n\n\
                    Issued on 19 Jul. 2021\n\
                    Press Release (2021) 121\n\n\
                    We are meeting today with our partners\nin Brussels.\n\n\
                    - Share\n\n\
                    The Alliance will respond to the threat and to the attacks.\n";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.title, "Statement by the Secretary General");
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(doc.reference.as_deref(), Some("Press Release (2021) 121"));
        assert_eq!(doc.lang, "en");
        assert_eq!(doc.paragraphs.len(), 2);
        assert_eq!(doc.paragraphs[0].number, 1);
        assert_eq!(
            doc.paragraphs[0].text,
            "We are meeting today with our partners in Brussels."
        );
        assert_eq!(doc.paragraphs[1].number, 2);
    }

    #[test]
    fn unnumbered_statements_keep_their_bullets() {
        let text = "Déclaration des ministres\n\n\
                    19 juillet 2021\n\n\
                    Nous décidons :\n\
                    • de renforcer la défense aérienne ;\n\
                    • d’augmenter la production de munitions.\n\n\
                    • Partager\n\n\
                    Fait à Bruxelles.";
        let doc = parse_txt(text, &path()).expect("parses");
        let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Nous décidons :\n• de renforcer la défense aérienne ;\n• d’augmenter la production de munitions.",
                "Fait à Bruxelles."
            ]
        );
    }

    #[test]
    fn unnumbered_without_header() {
        let text = "Titre\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième.";
        let doc = parse_txt(text, &path()).expect("parses");
        assert_eq!(doc.title, "Titre");
        assert_eq!(doc.date, None);
        assert_eq!(doc.reference, None);
        let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Premier paragraphe.", "Deuxième paragraphe.", "Troisième."]
        );
    }

    #[test]
    fn no_paragraph_is_malformed() {
        for text in ["", "   \n\n", "Titre seul", "• 19 Jul. 2021\n• Share\n"] {
            match parse_txt(text, &path()) {
                Err(CorpusError::Malformed { path: p, .. }) => assert_eq!(p, path()),
                other => panic!("{text:?}: expected Malformed, got {other:?}"),
            }
        }
    }

    #[test]
    fn numbered_line_shapes() {
        assert_eq!(numbered("1.\u{a0} \u{a0}Texte"), Some((1, "Texte")));
        assert_eq!(numbered("  12. Texte  "), Some((12, "Texte")));
        assert_eq!(numbered("3."), Some((3, "")));
        assert_eq!(numbered("1.5 million"), None);
        assert_eq!(numbered("2021. Année"), None);
        assert_eq!(numbered("19.07.2021"), None);
        assert_eq!(numbered_as("1000. Texte", 1000), Some((1000, "Texte")));
        assert_eq!(numbered_as("1000. Texte", 1001), None);
        assert_eq!(numbered_as("10000.5", 10000), None);
        // A statement of 1,002 numbered paragraphs keeps them all apart;
        // a year opening a line inside one stays its text.
        let mut text = String::from("Titre\n\n");
        for n in 1..=1002 {
            text.push_str(&format!("{n}. Paragraphe {n}.\n\n"));
            if n == 1000 {
                text.push_str("2021. Une année.\n\n");
            }
        }
        let doc = parse_txt(&text, &path()).expect("parses");
        assert_eq!(doc.paragraphs.len(), 1002);
        assert_eq!(doc.paragraphs[999].number, 1000);
        assert!(
            doc.paragraphs[999].text.ends_with("2021. Une année."),
            "{:?}",
            doc.paragraphs[999]
        );
        assert_eq!(doc.paragraphs[1001].number, 1002);
        assert_eq!(numbered("Texte"), None);
    }

    #[test]
    fn chrome_lines() {
        for line in [
            "  • 19 Jul. 2021 -",
            "|",
            " · x",
            "- Share",
            "*",
            "Issued on 19 Jul. 2021",
            "Mis\u{a0}à jour le: 19 Jul. 2021 13:45",
            "Last updated: 20 Jul. 2021",
            "Publié le 3 mai 2022",
            "Share",
            "PARTAGER",
            "Imprimer",
            "Print:",
        ] {
            assert!(is_chrome(line), "{line:?}");
        }
        for line in ["-5 % en un an", "Nous partageons", "Printemps", ""] {
            assert!(!is_chrome(line), "{line:?}");
        }
    }

    #[test]
    fn references() {
        assert_eq!(
            reference_in("  • Communiqué de presse (2021) 120").as_deref(),
            Some("Communiqué de presse (2021) 120")
        );
        assert_eq!(
            reference_in("Press Release (2021)\u{a0}120 -").as_deref(),
            Some("Press Release (2021)\u{a0}120")
        );
        assert_eq!(reference_in("(2021) sans numéro"), None);
        assert_eq!(reference_in("(21) 120"), None);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "\u{feff}",
            "\r",
            "1.",
            "1.\n\n",
            "(",
            "(2021)",
            "(2021) ",
            "•",
            "é1.é",
            "1ᵉʳ",
            "\u{a0}\u{202f}",
            "999. x\n1000. y",
        ] {
            let _ = parse_txt(text, &path());
        }
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_txt_never_panics(s in "\\PC*") {
                let _ = parse_txt(&s, Path::new("x.txt"));
            }

            #[test]
            fn parse_txt_never_panics_on_statement_like_text(
                s in "([0-9]{1,4}[.)]?[ \u{a0}\u{202f}]*|[•|\\-(]|janv\\.|1ᵉʳ|[a-zé ]{0,8}|\r?\n)*"
            ) {
                let _ = parse_txt(&s, Path::new("x.txt"));
                let _ = date::find_date(&s);
                let _ = date::parse_date(&s);
            }
        }
    }
}
