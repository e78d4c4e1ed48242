//! Dates as printed in statements and metadata fields.
//!
//! Accepted shapes (case-insensitive, accents optional, any Unicode
//! whitespace — including U+00A0 and U+202F — counts as a space):
//! - ISO: `2021-07-19` (also `2021/07/19`, and `2021-07-19T13:45:00Z` in
//!   [`parse_date`], where only the calendar date is kept);
//! - day first, French order: `19/07/2021`, `19.07.2021`, `19-07-2021`;
//! - day, month name, year: `19 juillet 2021`, `1er décembre 2020`,
//!   `1ᵉʳ décembre 2020`, `19 Jul. 2021`, `19 July 2021`, `3 déc. 2020`,
//!   `19-Jul-2021`;
//! - month name, day, year (English): `Jul 19, 2021`, `July 19th, 2021`.
//!
//! Month names are French or English, full or abbreviated (`janv.`, `févr.`,
//! `juil.`, `sept.`, `déc.`, `Jan`, `Sept`…). Years have exactly four digits.
//! Dates that do not exist (`31 février 2021`) are rejected.

use std::ops::Range;

use jiff::civil::Date;

/// Parses a string that is exactly one date (surrounding whitespace allowed).
///
/// Returns `None` when the string is not one of the accepted shapes (see the
/// module documentation) or names a day that does not exist. An ISO date
/// followed by a time (`2021-07-19T13:45:00Z`, `2021-07-19 13:45`) yields the
/// date as written, without any time-zone conversion.
pub fn parse_date(s: &str) -> Option<Date> {
    let tokens = tokenize(s);
    let start = usize::from(matches!(tokens.first(), Some(t) if t.kind == Kind::Space));
    let mut end = tokens.len();
    if end > start && tokens.last().is_some_and(|t| t.kind == Kind::Space) {
        end -= 1;
    }
    let tokens = tokens.get(start..end)?;
    if let Some((date, stop)) = match_at(tokens, 0) {
        if stop == tokens.len() {
            return Some(date);
        }
    }
    // ISO date followed by a time: keep the calendar date as written.
    let (date, stop) = match_iso(tokens, 0, make_date)?;
    match (tokens.get(stop), tokens.get(stop + 1)) {
        (Some(t), _) if matches!(&t.kind, Kind::Word(w) if w.starts_with('t')) => Some(date),
        (Some(t), Some(n)) if t.kind == Kind::Space && matches!(n.kind, Kind::Num { .. }) => {
            Some(date)
        }
        _ => None,
    }
}

/// Finds the first date (in reading order) inside a longer line, e.g.
/// `• Mis à jour le: 19 Jul. 2021 13:45` → 2021-07-19.
///
/// Returns `None` when the line contains no valid date of an accepted shape.
pub fn find_date(line: &str) -> Option<Date> {
    find_date_span(line).map(|(date, _)| date)
}

/// The date of a statement's closing line, the signature of French
/// official texts (`Fait à Paris, le 14 juillet 2023.`, `Fait au siège, le
/// …`, `Fait le 2 mars 2022`, `Done at Brussels on 14 June 2021`): the
/// last such line of the last three paragraphs (`texts`, in order), for a
/// statement whose heading gave no date. The date is the one that ends the
/// line (only punctuation may follow it: `Fait à noter : le 3 mars, la
/// réunion…` is prose), or for `Fait le`, the one right after it. `None`
/// without one.
pub fn closing_date<'a>(texts: impl DoubleEndedIterator<Item = &'a str>) -> Option<Date> {
    texts
        .rev()
        .take(3)
        .find_map(|text| text.lines().rev().find_map(signature_date))
}

/// The date of one closing line (see [`closing_date`]).
fn signature_date(line: &str) -> Option<Date> {
    use unicode_normalization::UnicodeNormalization;
    let line = line.trim();
    let start: String = line
        .chars()
        .take(12)
        .nfc()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect::<String>()
        .to_lowercase();
    if start.starts_with("fait le ") {
        let rest = line.char_indices().nth(8).map_or("", |(at, _)| &line[at..]);
        return find_date_span(rest)
            .filter(|(_, span)| span.start == 0)
            .map(|d| d.0);
    }
    let opening = ["fait à ", "fait a ", "fait au ", "done at "];
    if !opening.iter().any(|o| start.starts_with(o)) {
        return None;
    }
    // The last date of the line, which nothing but punctuation follows.
    let mut at = 0;
    let mut last = None;
    while let Some((date, span)) = line.get(at..).and_then(find_date_span) {
        last = Some((date, at + span.end));
        at += span.end.max(1);
    }
    let (date, end) = last?;
    line[end..]
        .chars()
        .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
        .then_some(date)
}

/// Like [`find_date`], also returning the byte range of the date text in
/// `line` (always on `char` boundaries).
pub fn find_date_span(line: &str) -> Option<(Date, Range<usize>)> {
    let tokens = tokenize(line);
    (0..tokens.len()).find_map(|i| {
        let (date, stop) = match_at(&tokens, i)?;
        let first = tokens.get(i)?;
        let last = tokens.get(stop.checked_sub(1)?)?;
        Some((date, first.start..last.end))
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A run of ASCII digits; `value` saturates, only used when `digits <= 4`.
    Num { value: u32, digits: usize },
    /// A run of letters, lowercased, accents removed.
    Word(String),
    /// A run of whitespace.
    Space,
    /// Any other single character.
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// Byte offset of the first character.
    start: usize,
    /// Byte offset just past the last character.
    end: usize,
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for (at, c) in s.char_indices() {
        let end = at + c.len_utf8();
        let last = tokens.last_mut().filter(|t| t.end == at);
        if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            if let Some(Token {
                kind: Kind::Num { value, digits },
                end: e,
                ..
            }) = last
            {
                *value = value.saturating_mul(10).saturating_add(d);
                *digits += 1;
                *e = end;
                continue;
            }
            tokens.push(Token {
                kind: Kind::Num {
                    value: d,
                    digits: 1,
                },
                start: at,
                end,
            });
        } else if c.is_alphabetic() {
            if let Some(Token {
                kind: Kind::Word(w),
                end: e,
                ..
            }) = last
            {
                w.extend(c.to_lowercase().map(fold));
                *e = end;
                continue;
            }
            tokens.push(Token {
                kind: Kind::Word(c.to_lowercase().map(fold).collect()),
                start: at,
                end,
            });
        } else if c.is_whitespace() {
            if let Some(Token {
                kind: Kind::Space,
                end: e,
                ..
            }) = last
            {
                *e = end;
                continue;
            }
            tokens.push(Token {
                kind: Kind::Space,
                start: at,
                end,
            });
        } else {
            tokens.push(Token {
                kind: Kind::Punct(c),
                start: at,
                end,
            });
        }
    }
    tokens
}

/// Removes the accents that occur in French month names and maps the
/// superscript letters of `1ᵉʳ` to plain ones.
fn fold(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ᵉ' => 'e',
        'î' | 'ï' => 'i',
        'ô' | 'ö' => 'o',
        'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ʳ' => 'r',
        other => other,
    }
}

/// The month a name gives (1–12): French or English, full or abbreviated,
/// lowercase and without accents (`fevrier`, `decembre`, `july`).
pub fn month_number(word: &str) -> Option<i8> {
    Some(match word {
        "janvier" | "janv" | "jan" | "january" => 1,
        "fevrier" | "fevr" | "fev" | "february" | "feb" => 2,
        "mars" | "mar" | "march" => 3,
        "avril" | "avr" | "april" | "apr" => 4,
        "mai" | "may" => 5,
        "juin" | "june" | "jun" => 6,
        "juillet" | "juil" | "juill" | "july" | "jul" => 7,
        "aout" | "august" | "aug" => 8,
        "septembre" | "sept" | "sep" | "september" => 9,
        "octobre" | "oct" | "october" => 10,
        "novembre" | "nov" | "november" => 11,
        "decembre" | "dec" | "december" => 12,
        _ => return None,
    })
}

fn is_ordinal(word: &str) -> bool {
    matches!(word, "er" | "re" | "e" | "st" | "nd" | "rd" | "th")
}

/// The number at `tokens[i]` when it has `min..=max` digits.
fn num(tokens: &[Token], i: usize, min: usize, max: usize) -> Option<u32> {
    match tokens.get(i)?.kind {
        Kind::Num { value, digits } if (min..=max).contains(&digits) => Some(value),
        _ => None,
    }
}

fn punct(tokens: &[Token], i: usize) -> Option<char> {
    match tokens.get(i)?.kind {
        Kind::Punct(c) => Some(c),
        _ => None,
    }
}

/// A day of the calendar, for years an index can hold (see
/// [`crate::index::storable`]): a "1500" or "9999" in a text is not taken
/// for a statement's date.
fn make_date(year: u32, month: u32, day: u32) -> Option<Date> {
    if !storable_year(year) {
        return None;
    }
    let year = i16::try_from(year).ok()?;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    Date::new(year, month, day).ok()
}

/// Skips a separator between date parts: whitespace, with at most one of the
/// characters in `puncts`. Returns the index after it, or `None` when there
/// is no separator at `i`.
fn gap(tokens: &[Token], mut i: usize, puncts: &[char]) -> Option<usize> {
    let start = i;
    let mut seen_punct = false;
    while let Some(t) = tokens.get(i) {
        match t.kind {
            Kind::Space => i += 1,
            Kind::Punct(c) if !seen_punct && puncts.contains(&c) => {
                seen_punct = true;
                i += 1;
            }
            _ => break,
        }
    }
    (i > start).then_some(i)
}

/// `2021-07-19` or `2021/07/19`.
fn match_iso(tokens: &[Token], i: usize, make: MakeDate) -> Option<(Date, usize)> {
    let year = num(tokens, i, 4, 4)?;
    let sep = punct(tokens, i + 1).filter(|c| matches!(c, '-' | '/'))?;
    let month = num(tokens, i + 2, 1, 2)?;
    (punct(tokens, i + 3)? == sep).then_some(())?;
    let day = num(tokens, i + 4, 1, 2)?;
    Some((make(year, month, day)?, i + 5))
}

/// `19/07/2021`, `19.07.2021`, `19-07-2021`.
fn match_numeric_dmy(tokens: &[Token], i: usize, make: MakeDate) -> Option<(Date, usize)> {
    let day = num(tokens, i, 1, 2)?;
    let sep = punct(tokens, i + 1).filter(|c| matches!(c, '/' | '.' | '-'))?;
    let month = num(tokens, i + 2, 1, 2)?;
    (punct(tokens, i + 3)? == sep).then_some(())?;
    let year = num(tokens, i + 4, 4, 4)?;
    Some((make(year, month, day)?, i + 5))
}

/// Skips an ordinal suffix glued to a day number (`1er`, `1ᵉʳ`, `19th`).
fn skip_ordinal(tokens: &[Token], i: usize) -> usize {
    match tokens.get(i) {
        Some(Token {
            kind: Kind::Word(w),
            ..
        }) if is_ordinal(w) => i + 1,
        _ => i,
    }
}

/// The month named at `tokens[i]`, and the index after it and its optional
/// abbreviation dot.
fn month_at(tokens: &[Token], i: usize) -> Option<(u32, usize)> {
    let Kind::Word(w) = &tokens.get(i)?.kind else {
        return None;
    };
    let month = month_number(w)?;
    let next = if punct(tokens, i + 1) == Some('.') {
        i + 2
    } else {
        i + 1
    };
    Some((u32::try_from(month).ok()?, next))
}

/// `19 juillet 2021`, `1er déc. 2020`, `19 Jul. 2021`, `19-Jul-2021`.
fn match_day_month_year(tokens: &[Token], i: usize, make: MakeDate) -> Option<(Date, usize)> {
    let day = num(tokens, i, 1, 2)?;
    let j = gap(tokens, skip_ordinal(tokens, i + 1), &['-'])?;
    let (month, j) = month_at(tokens, j)?;
    let j = gap(tokens, j, &[',', '-'])?;
    let year = num(tokens, j, 4, 4)?;
    Some((make(year, month, day)?, j + 1))
}

/// `Jul 19, 2021`, `July 19th, 2021`.
fn match_month_day_year(tokens: &[Token], i: usize, make: MakeDate) -> Option<(Date, usize)> {
    let (month, j) = month_at(tokens, i)?;
    let j = gap(tokens, j, &[])?;
    let day = num(tokens, j, 1, 2)?;
    let j = gap(tokens, skip_ordinal(tokens, j + 1), &[','])?;
    let year = num(tokens, j, 4, 4)?;
    Some((make(year, month, day)?, j + 1))
}

/// A date starting at token `i`, with the index of the token after it.
fn match_at(tokens: &[Token], i: usize) -> Option<(Date, usize)> {
    match_with(tokens, i, make_date)
}

/// A date starting at token `i` whose parts `make` accepts.
fn match_with(tokens: &[Token], i: usize, make: MakeDate) -> Option<(Date, usize)> {
    match_iso(tokens, i, make)
        .or_else(|| match_numeric_dmy(tokens, i, make))
        .or_else(|| match_day_month_year(tokens, i, make))
        .or_else(|| match_month_day_year(tokens, i, make))
}

/// Builds a date from year, month and day, or refuses them.
type MakeDate = fn(u32, u32, u32) -> Option<Date>;

/// Accepts what looks like a date (a year an index can hold, a month, a
/// day up to 31), whether or not the calendar has it.
fn plausible_date(year: u32, month: u32, day: u32) -> Option<Date> {
    (storable_year(year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then_some(Date::constant(2000, 1, 1))
}

/// Whether an index can hold dates of `year` ([`crate::index::storable`]).
fn storable_year(year: u32) -> bool {
    i16::try_from(year).is_ok_and(|y| {
        (crate::index::FIRST_DATE.year()..=crate::index::LAST_DATE.year()).contains(&y)
    })
}

/// The text of the first date in `line` that the calendar does not have
/// (`29 février 2021`, `31/04/2023`), written as a date otherwise; `None`
/// when there is none. For warning that such a statement is kept without
/// a date, where a valid one would have dated it.
pub fn find_impossible_date(line: &str) -> Option<&str> {
    let tokens = tokenize(line);
    (0..tokens.len()).find_map(|i| {
        let (_, stop) = match_with(&tokens, i, plausible_date)?;
        if match_at(&tokens, i).is_some() {
            return None;
        }
        let first = tokens.get(i)?;
        let last = tokens.get(stop.checked_sub(1)?)?;
        line.get(first.start..last.end)
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_closing_line_dates_a_statement() {
        let texts = [
            "Nous soutiendrons nos partenaires.",
            "Fait à Paris, le 14 juillet 2023.",
        ];
        assert_eq!(
            closing_date(texts.iter().copied()),
            Some(jiff::civil::date(2023, 7, 14))
        );
        let texts = ["Un.\nFAIT AU SIÈGE, le 2 mars 2022\nLe secrétaire général"];
        assert_eq!(
            closing_date(texts.iter().copied()),
            Some(jiff::civil::date(2022, 3, 2))
        );
        // A date in the text is not a closing line.
        let texts = ["Le sommet du 14 juillet 2023 a eu lieu.", "Fin."];
        assert_eq!(closing_date(texts.iter().copied()), None);
        // Prose that starts like a closing line is not one.
        for prose in [
            "Fait le point avec ses homologues le 3 mars 2022 sur la situation.",
            "Fait à noter : le 3 mars 2021, la réunion a eu lieu.",
        ] {
            assert_eq!(closing_date([prose].into_iter()), None, "{prose}");
        }
        // The signing date is the one that ends the line.
        let line =
            "Fait à Paris, en application de la décision du 2 février 2020, le 14 juillet 2023.";
        assert_eq!(
            closing_date([line].into_iter()),
            Some(jiff::civil::date(2023, 7, 14))
        );
        assert_eq!(
            closing_date(["Fait le 2 mars 2022"].into_iter()),
            Some(jiff::civil::date(2022, 3, 2))
        );
        // A no-break space, a decomposed accent, and blocks after it.
        let texts = [
            "Fait\u{a0}a\u{300} Paris, le 14 juillet 2023.",
            "Le secrétaire général",
            "Annexe : liste des participants",
        ];
        assert_eq!(
            closing_date(texts.iter().copied()),
            Some(jiff::civil::date(2023, 7, 14))
        );
    }

    use super::*;
    use jiff::civil::date;

    #[test]
    fn iso() {
        assert_eq!(parse_date("2021-07-19"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("  2021-07-19\n"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("2021/07/19"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("2021-07-19T13:45:00Z"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("2021-07-19 13:45"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("2021-13-01"), None);
        assert_eq!(parse_date("2021-07-19 et plus"), None);
    }

    #[test]
    fn english() {
        assert_eq!(parse_date("19 Jul. 2021"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("19 July 2021"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("Jul 19, 2021"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("July 19th, 2021"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("Sept. 3, 2020"), Some(date(2020, 9, 3)));
        assert_eq!(parse_date("19-Jul-2021"), Some(date(2021, 7, 19)));
    }

    #[test]
    fn french() {
        assert_eq!(parse_date("19 juillet 2021"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("1er décembre 2020"), Some(date(2020, 12, 1)));
        assert_eq!(parse_date("1ᵉʳ décembre 2020"), Some(date(2020, 12, 1)));
        assert_eq!(parse_date("3 fevrier 2022"), Some(date(2022, 2, 3)));
        assert_eq!(parse_date("3 FÉVRIER 2022"), Some(date(2022, 2, 3)));
        assert_eq!(parse_date("3 févr. 2022"), Some(date(2022, 2, 3)));
        assert_eq!(parse_date("24 déc. 2020"), Some(date(2020, 12, 24)));
        assert_eq!(parse_date("7 janv. 2021"), Some(date(2021, 1, 7)));
        assert_eq!(parse_date("15 août 2021"), Some(date(2021, 8, 15)));
        assert_eq!(parse_date("15 aout 2021"), Some(date(2021, 8, 15)));
        assert_eq!(parse_date("14 juil. 2021"), Some(date(2021, 7, 14)));
        assert_eq!(parse_date("19/07/2021"), Some(date(2021, 7, 19)));
        assert_eq!(parse_date("05/03/2021"), Some(date(2021, 3, 5)));
        assert_eq!(parse_date("19.07.2021"), Some(date(2021, 7, 19)));
    }

    #[test]
    fn non_breaking_spaces() {
        assert_eq!(
            parse_date("19\u{a0}juillet\u{202f}2021"),
            Some(date(2021, 7, 19))
        );
        assert_eq!(
            parse_date("1er\u{a0}décembre\u{a0}2020"),
            Some(date(2020, 12, 1))
        );
    }

    #[test]
    fn invalid_dates() {
        assert_eq!(parse_date("31 février 2021"), None);
        assert_eq!(parse_date("29 février 2021"), None);
        assert_eq!(parse_date("29 février 2024"), Some(date(2024, 2, 29)));
        assert_eq!(parse_date("31/04/2021"), None);
        assert_eq!(parse_date("32 juillet 2021"), None);
        assert_eq!(parse_date("19 juillet 21"), None);
        assert_eq!(parse_date("19 julien 2021"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("   "), None);
        assert_eq!(parse_date("(2021) 120"), None);
    }

    #[test]
    fn find_in_lines() {
        assert_eq!(find_date("  • 19 Jul. 2021 -"), Some(date(2021, 7, 19)));
        assert_eq!(
            find_date("• Mis à jour le: 19 Jul. 2021 13:45"),
            Some(date(2021, 7, 19))
        );
        assert_eq!(
            find_date("Paris, le 1er décembre 2020."),
            Some(date(2020, 12, 1))
        );
        assert_eq!(
            find_date("Bruxelles, 2021-06-14 puis 2021-07-19"),
            Some(date(2021, 6, 14))
        );
        assert_eq!(find_date("• Communiqué de presse (2021) 120"), None);
        assert_eq!(
            find_date("Déclaration du Conseil de l'Atlantique Nord"),
            None
        );
        let line = "Publié le 19\u{a0}juillet 2021 à Paris";
        let (d, span) = find_date_span(line).expect("date");
        assert_eq!(d, date(2021, 7, 19));
        assert_eq!(&line[span], "19\u{a0}juillet 2021");
    }
}
