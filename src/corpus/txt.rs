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
//!   else in the title itself (see [`super::date`]);
//! - the **reference**: the first header line containing `(YYYY) N`, bullet
//!   and trailing separators removed;
//! - the **paragraphs**: numbered paragraphs `N.` (see [`parse_txt`]), or,
//!   when there are none, the blank-line-separated blocks after the header.
//!
//! Page chrome is never part of a paragraph: bullet lines (`•`, `·`, `▪`,
//! `◦`, `‣`, `●`, and `-` / `*` followed by a space), a lone `|`, `Issued on
//! …`, `Mis à jour le …`, `Last updated …`, `Publié le …`, `Share`,
//! `Partager`, `Imprimer`, `Print`.

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
/// Numbered paragraphs start with a line `N.` (1 to 3 digits, then
/// whitespace — NBSPs included — or the end of the line); the printed `N`
/// becomes [`Paragraph::number`]. The text is the rest of that line after
/// the run of whitespace, followed by the continuation lines, each trimmed
/// and joined with one space, up to a blank line, a chrome line or the next
/// numbered paragraph; trailing whitespace is trimmed, nothing else changes.
/// Unnumbered text between numbered paragraphs (headings, footers) is
/// dropped.
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
    let lines = split_lines(text);

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
    let header = lines.get(title_end..body_start).unwrap_or_default();

    let date = header
        .iter()
        .find_map(|l| date::find_date(l))
        .or_else(|| title_lines.iter().find_map(|l| date::find_date(l)));
    let reference = header.iter().find_map(|l| reference_in(l));

    let body = lines.get(body_start..).unwrap_or_default();
    let paragraphs = if first_numbered.is_some() {
        numbered_paragraphs(body)
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

    Ok(Document {
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
    let after = t.get(digits..)?.strip_prefix('.')?;
    match after.chars().next() {
        None => Some((number, "")),
        Some(c) if c.is_whitespace() => Some((number, after.trim())),
        Some(_) => None,
    }
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

fn numbered_paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let mut current: Option<Paragraph> = None;
    let flush = |current: &mut Option<Paragraph>, paragraphs: &mut Vec<Paragraph>| {
        if let Some(mut p) = current.take() {
            p.text.truncate(p.text.trim_end().len());
            if !p.text.is_empty() {
                paragraphs.push(p);
            }
        }
    };
    for line in lines {
        if let Some((number, rest)) = numbered(line) {
            flush(&mut current, &mut paragraphs);
            current = Some(Paragraph {
                number,
                text: rest.to_string(),
            });
        } else if is_blank(line) {
            // A number alone on its line may be followed by a blank line.
            if current.as_ref().is_some_and(|p| !p.text.is_empty()) {
                flush(&mut current, &mut paragraphs);
            }
        } else if is_chrome(line) {
            flush(&mut current, &mut paragraphs);
        } else if let Some(p) = current.as_mut() {
            if !p.text.is_empty() {
                p.text.push(' ');
            }
            p.text.push_str(line.trim());
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs
}

fn block_paragraphs(lines: &[&str]) -> Vec<Paragraph> {
    let mut texts: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines {
        if is_blank(line) || is_chrome(line) {
            if !current.is_empty() {
                texts.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
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
                (1, "Nous, les ministres, sommes réunis."),
                (2, "Nous appelons les États."),
                (3, "Texte du troisième."),
            ]
        );
        assert_eq!(doc.origin.line, None);
        assert_eq!(doc.source, None);
        assert_eq!(doc.url, None);
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
