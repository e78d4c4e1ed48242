//! JSON Lines corpora (`.jsonl`, `.jsonl.gz`): one document per line.
//!
//! Each non-blank line is a JSON object:
//!
//! ```json
//! {"id": "nac-2021-07-19", "title": "Déclaration…", "date": "2021-07-19",
//!  "lang": "fr", "source": "OTAN", "url": "https://…",
//!  "reference": "Communiqué de presse (2021) 120",
//!  "paragraphs": ["Premier paragraphe.", "Deuxième paragraphe."]}
//! ```
//!
//! | field        | type                     | required | default |
//! |--------------|--------------------------|----------|---------|
//! | `id`         | non-empty string         | yes      |         |
//! | `paragraphs` | array of strings         | yes      |         |
//! | `title`      | string or null           | no       | `""`    |
//! | `date`       | string or null           | no       | none    |
//! | `lang`       | string or null           | no       | detected from the text (`fr` when unsure) |
//! | `source`     | string or null           | no       | none    |
//! | `url`        | string or null           | no       | none    |
//! | `reference`  | string or null           | no       | none    |
//! | `twin`       | string or null           | no       | none: an explicit twin value shared with the other-language version |
//!
//! Unknown fields are ignored. `date` is read with
//! [`super::date::parse_date`] (ISO `YYYY-MM-DD` or any accepted shape).
//! Paragraph `N` is `paragraphs[N-1]`, kept exactly (empty strings included).
//! Files are streamed line by line, never loaded whole.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use serde::Deserialize;

use super::{date, CorpusError, Document, Origin, Paragraph};

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    twin: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    reference: Option<String>,
    paragraphs: Vec<String>,
}

/// Opens a JSON Lines file for streaming, decompressing it when `gzip` is
/// true (concatenated gzip members are read in sequence).
///
/// # Errors
///
/// [`CorpusError::Io`] when the file cannot be opened.
pub fn open(path: &Path, gzip: bool) -> Result<Box<dyn BufRead>, CorpusError> {
    let file = File::open(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(if gzip {
        Box::new(BufReader::new(MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

/// Reads the JSON Lines file at `path` (see [`open`] and [`read_jsonl`]).
///
/// Returns the number of non-blank lines (records) seen.
///
/// # Errors
///
/// [`CorpusError::Io`] when the file cannot be opened or a read fails
/// (including corrupt gzip data); documents before the failure have already
/// been delivered.
pub fn read_path(
    path: &Path,
    gzip: bool,
    on_document: &mut dyn FnMut(Document),
    on_problem: &mut dyn FnMut(CorpusError),
) -> Result<u64, CorpusError> {
    read_jsonl(open(path, gzip)?, path, on_document, on_problem)
}

/// Streams documents from JSON Lines read from `reader`; `path` is only used
/// for [`Origin`]s and messages.
///
/// Each good line yields one [`Document`] to `on_document`, with
/// `origin.line` set to its 1-based line number. A line that is not UTF-8
/// is read as Windows-1252, with a warning. A bad line (not JSON, not an
/// object, missing `id` or `paragraphs`, wrong field type, an `id` over
/// [`MAX_ID_BYTES`] or empty) goes to `on_problem` as [`CorpusError::Malformed`] with its
/// line number, and reading continues. A `date` that does not parse gives a
/// `Malformed` warning and the document is still yielded with `date: None`
/// (an empty `date` string counts as absent). Blank lines are skipped; a
/// UTF-8 BOM at the start is ignored.
///
/// Returns the number of non-blank lines (records) seen.
///
/// # Errors
///
/// [`CorpusError::Io`] when reading fails; reading stops there.
pub fn read_jsonl<R: BufRead>(
    mut reader: R,
    path: &Path,
    on_document: &mut dyn FnMut(Document),
    on_problem: &mut dyn FnMut(CorpusError),
) -> Result<u64, CorpusError> {
    let mut buf = Vec::new();
    let mut line_no: u64 = 0;
    let mut records: u64 = 0;
    loop {
        buf.clear();
        let (n, complete) =
            read_line_capped(&mut reader, &mut buf, MAX_LINE_BYTES).map_err(|source| {
                CorpusError::Io {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        if n == 0 {
            return Ok(records);
        }
        line_no += 1;
        if !complete {
            records += 1;
            on_problem(CorpusError::Malformed {
                path: path.to_path_buf(),
                line: Some(line_no),
                message: format!(
                    "line is {n} bytes long, over the {} MiB limit for one record; skipped",
                    MAX_LINE_BYTES >> 20
                ),
            });
            continue;
        }
        let mut bytes = buf.as_slice();
        if line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let malformed = |message: String| CorpusError::Malformed {
            path: path.to_path_buf(),
            line: Some(line_no),
            message,
        };
        // A line that is not UTF-8 is read as Windows-1252 (every byte
        // decodes), with a warning naming the first invalid byte: the
        // record is kept, as for the other formats.
        // A line blank once decoded (spaces, a Windows-1252 no-break
        // space) holds no record and is skipped without a warning.
        let decoded;
        let line = match std::str::from_utf8(bytes) {
            Ok(line) => line,
            Err(e) => {
                decoded = encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned();
                if !decoded.trim().is_empty() {
                    on_problem(malformed(format!(
                        "invalid UTF-8 at byte {} of the line; read as Windows-1252",
                        e.valid_up_to()
                    )));
                }
                decoded.as_str()
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        records += 1;
        match parse_record(line) {
            Ok(record) => {
                let (doc, date_problem) = to_document(record, path, line_no);
                if let Some(message) = date_problem {
                    on_problem(malformed(message));
                }
                on_document(doc);
            }
            Err(message) => on_problem(malformed(message)),
        }
    }
}

/// Longest line (one record) read, in bytes (64 MiB): longer lines are
/// skipped with a warning, without being held in memory, so that memory
/// stays bounded whatever the input. A single paragraph of several MiB
/// fits.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Reads one line (through `\n`, included) into `buf`, keeping at most
/// `cap` bytes; the rest of a longer line is consumed and dropped. Returns
/// the number of bytes consumed (0 at the end of input) and whether the
/// whole line fit.
fn read_line_capped<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut fits = true;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, fits));
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        if fits && buf.len() + chunk.len() <= cap {
            buf.extend_from_slice(chunk);
        } else {
            fits = false;
            buf.clear();
        }
        let used = chunk.len();
        reader.consume(used);
        consumed += used;
        if done {
            return Ok((consumed, fits));
        }
    }
}

fn parse_record(line: &str) -> Result<Record, String> {
    let record: Record = serde_json::from_str(line).map_err(|e| {
        // serde_json appends "at line 1 column N"; the line is ours to give.
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        let what = match e.classify() {
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Eof => "truncated JSON",
            _ => "invalid record",
        };
        format!("{what}: {message} (column {})", e.column())
    })?;
    if record.id.is_empty() {
        return Err("invalid record: empty `id`".to_string());
    }
    if record.id.len() > MAX_ID_BYTES {
        return Err(format!(
            "invalid record: `id` of {} bytes; at most {MAX_ID_BYTES} (an id is a key, not a text)",
            record.id.len()
        ));
    }
    Ok(record)
}

/// Longest statement id taken, in bytes: an id is indexed as one term,
/// and Tantivy leaves terms over 65,530 bytes out silently (such a
/// statement could never be replaced or removed).
pub const MAX_ID_BYTES: usize = 1024;

fn to_document(record: Record, path: &Path, line: u64) -> (Document, Option<String>) {
    let mut problem = None;
    let date = match record.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            let parsed = date::parse_date(s);
            if parsed.is_none() {
                problem = Some(format!(
                    "date {s:?} is not a day vigie reads (a day that exists, of the years \
                     {} to {}, written like 2021-07-19, 19/07/2021 or 19 juillet 2021); kept \
                     without date",
                    crate::index::FIRST_DATE.year(),
                    crate::index::LAST_DATE.year()
                ));
            }
            parsed
        }
    };
    let paragraphs: Vec<Paragraph> = (1u64..)
        .zip(record.paragraphs)
        .map(|(number, text)| Paragraph { number, text })
        .collect();
    // The record's language, normalised (`fr-FR` → `fr`), else detected.
    let title = record.title.unwrap_or_default();
    let lang = record
        .lang
        .as_deref()
        .and_then(super::lang::from_tag)
        .unwrap_or_else(|| super::lang::detect_document(&title, &paragraphs));
    let doc = Document {
        twin: record.twin.filter(|t| !t.trim().is_empty()),
        id: record.id,
        title,
        date,
        reference: record.reference,
        lang,
        source: record.source,
        url: record.url,
        paragraphs,
        origin: Origin {
            path: path.to_path_buf(),
            line: Some(line),
        },
    };
    (doc, problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn read(input: &[u8]) -> (Vec<Document>, Vec<CorpusError>, u64) {
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        let n = read_jsonl(
            input,
            Path::new("t.jsonl"),
            &mut |d| docs.push(d),
            &mut |p| problems.push(p),
        )
        .expect("in-memory read");
        (docs, problems, n)
    }

    fn line_of(p: &CorpusError) -> Option<u64> {
        match p {
            CorpusError::Malformed { line, .. } => *line,
            CorpusError::Io { .. } => None,
        }
    }

    #[test]
    fn overlong_lines_are_skipped() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"a\",\"paragraphs\":[\"x\"]}\n");
        input.extend_from_slice(&[b'y'; 100]);
        input.extend_from_slice(b"\n{\"id\":\"b\",\"paragraphs\":[\"z\"]}");
        let mut reader = input.as_slice();
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        loop {
            buf.clear();
            let (n, fits) = read_line_capped(&mut reader, &mut buf, 40).expect("read");
            if n == 0 {
                break;
            }
            lines.push((n, fits, buf.len()));
        }
        assert_eq!(lines, [(30, true, 30), (101, false, 0), (29, true, 29)]);
    }

    #[test]
    fn full_record() {
        let input = "{\"id\":\"a\",\"title\":\"Titre\",\"date\":\"2021-07-19\",\"lang\":\"en\",\
                     \"source\":\"OTAN\",\"url\":\"https://x\",\"reference\":\"(2021) 120\",\
                     \"paragraphs\":[\"  Un.  \",\"\",\"Trois\"],\"extra\":1}\n";
        let (docs, problems, n) = read(input.as_bytes());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(n, 1);
        let d = &docs[0];
        assert_eq!(d.id, "a");
        assert_eq!(d.title, "Titre");
        assert_eq!(d.date, Some(date(2021, 7, 19)));
        assert_eq!(d.lang, "en");
        assert_eq!(d.source.as_deref(), Some("OTAN"));
        assert_eq!(d.url.as_deref(), Some("https://x"));
        assert_eq!(d.reference.as_deref(), Some("(2021) 120"));
        let got: Vec<(u64, &str)> = d
            .paragraphs
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect();
        assert_eq!(got, vec![(1, "  Un.  "), (2, ""), (3, "Trois")]);
        assert_eq!(d.origin.line, Some(1));
    }

    #[test]
    fn defaults_and_nulls() {
        let input = "\u{feff}{\"id\":\"b\",\"title\":null,\"date\":null,\"lang\":null,\"paragraphs\":[\"x\"]}\r\n\
                     {\"id\":\"c\",\"paragraphs\":[],\"date\":\"1er décembre 2020\"}";
        let (docs, problems, _) = read(input.as_bytes());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].title, "");
        assert_eq!(docs[0].lang, "fr");
        assert_eq!(docs[0].date, None);
        assert_eq!(docs[0].source, None);
        assert_eq!(docs[1].date, Some(date(2020, 12, 1)));
        assert!(docs[1].paragraphs.is_empty());
    }

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"1\",\"paragraphs\":[\"a\"]}\n");
        input.extend_from_slice(b"not json\n");
        input.extend_from_slice(b"\n   \n");
        input.extend_from_slice(b"{\"id\":\"2\"}\n");
        input.extend_from_slice(b"{\"id\":\"3\",\"paragraphs\":\"a\"}\n");
        input.extend_from_slice(b"{\"id\":\"4\",\"paragraphs\":[\"caf\xE9\"]}\n");
        input.extend_from_slice(b"[1,2]\n");
        input.extend_from_slice(b"{\"id\":\"\",\"paragraphs\":[]}\n");
        input.extend_from_slice(
            b"{\"id\":\"5\",\"paragraphs\":[\"b\"],\"date\":\"31 f\xC3\xA9vrier 2021\"}\n",
        );
        input.extend_from_slice(b"{\"id\":\"6\",\"paragraphs\":[\"c\"]}");
        let (docs, problems, n) = read(&input);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        // Line 7 is Windows-1252, not UTF-8: read as such, with a warning.
        assert_eq!(ids, ["1", "4", "5", "6"]);
        assert_eq!(docs[1].paragraphs[0].text, "café");
        assert_eq!(docs[2].date, None);
        assert_eq!(docs[2].origin.line, Some(10));
        assert_eq!(docs[3].origin.line, Some(11));
        let lines: Vec<Option<u64>> = problems.iter().map(line_of).collect();
        assert_eq!(
            lines,
            [
                Some(2),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9),
                Some(10)
            ]
        );
        assert!(problems[1].to_string().contains("paragraphs"));
        assert!(problems[3].to_string().contains("read as Windows-1252"));
        assert!(problems[6].to_string().contains("is not a day vigie reads"));
        assert!(problems[0].to_string().starts_with("t.jsonl:2: "));
        assert_eq!(n, 9);
    }
}
