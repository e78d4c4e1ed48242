//! Corpus reading: turns statement files into [`Document`]s.
//!
//! This is the first step of the pipeline (corpus → analysis → index → query
//! → output). It answers "what statements are in these files?": it walks the
//! paths it is given, picks a reader by file extension, and yields one
//! [`Document`] per statement, each with its numbered [`Paragraph`]s exactly
//! as they appear in the source (no normalisation happens here; analysis does
//! that, and stored text must stay the source's text).
//!
//! Formats (one module each, registered in [`format_for_path`]):
//! - `.txt`: a statement as published and pasted from the web ([`txt`]).
//! - `.html` / `.htm`: a statement page saved from a browser ([`html`]).
//! - `.md`: a statement written in Markdown ([`markdown`]).
//! - `.jsonl` / `.jsonl.gz`: one document per line ([`jsonl`]).
//!
//! Shared by the readers: [`date`] (dates as printed), [`encoding`] (text
//! decoding of the files read whole), [`lang`] (language from metadata or
//! detected).

pub mod chrome;
pub mod date;
pub mod encoding;
pub mod html;
pub mod jsonl;
pub mod lang;
pub mod markdown;
pub mod txt;

use std::path::{Path, PathBuf};

/// One statement: the unit that carries the metadata shown with each hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Stable identifier: the JSON `id`, or derived from the file path for
    /// `.txt` files (see [`txt::id_for_path`]). Re-indexing a document with
    /// the same id replaces it.
    pub id: String,
    /// Title as printed in the source (may be empty when none was found).
    pub title: String,
    /// Date of the statement, when the source gives one that parses.
    pub date: Option<jiff::civil::Date>,
    /// Reference line, e.g. `Communiqué de presse (2021) 120`.
    pub reference: Option<String>,
    /// ISO 639-1 language code (`fr`, `en`); `fr` when the source is silent.
    pub lang: String,
    /// Publishing body or collection, as given by the source.
    pub source: Option<String>,
    /// Canonical URL of the statement.
    pub url: Option<String>,
    /// Explicit twin value: statements sharing it are versions of each
    /// other in different languages (JSON `twin`; see [`crate::twins`]).
    pub twin: Option<String>,
    /// Paragraphs in source order.
    pub paragraphs: Vec<Paragraph>,
    /// File the document was read from (and 1-based line for JSON Lines).
    pub origin: Origin,
}

/// One paragraph of a statement: the unit of retrieval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Paragraph number: the printed number for numbered statements
    /// ("3." → 3; 0 for the unnumbered preamble before "1."), else the 1-based
    /// position in the document.
    pub number: u64,
    /// The paragraph text exactly as in the source (UTF-8, not normalised).
    pub text: String,
}

/// Where a document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file path as given or found while walking.
    pub path: PathBuf,
    /// 1-based line number for line-oriented formats (JSON Lines).
    pub line: Option<u64>,
}

/// A problem with one file or one record. Reading goes on with the rest.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The file or directory could not be read.
    #[error("{path}: {source}")]
    Io {
        /// Offending path.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A record is malformed; `line` is 1-based when known.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Malformed {
        /// Offending file.
        path: PathBuf,
        /// 1-based line, when the format is line-oriented.
        line: Option<u64>,
        /// What is wrong, in words.
        message: String,
    },
}

impl CorpusError {
    /// The file or directory the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            CorpusError::Io { path, .. } | CorpusError::Malformed { path, .. } => path,
        }
    }
}

/// Largest `.txt`, `.md` or `.html` statement read, in bytes (64 MiB): such
/// a file is read into memory whole, so bigger ones are refused (with a
/// warning) to keep memory bounded. JSON Lines files are streamed and have
/// no size limit, only a per-line one ([`jsonl::MAX_LINE_BYTES`]).
pub const MAX_TXT_BYTES: u64 = 64 * 1024 * 1024;

/// Number of leading bytes inspected by [`sniff`].
pub const SNIFF_BYTES: usize = 8 * 1024;

/// Looks at the first bytes of a file's content (after decompression) for
/// signs that it is not UTF-8 text: a UTF-16 byte order mark, gzip data
/// (when `gzip_expected` is false), or a NUL byte. Returns the problem in
/// words, with the byte offset where it applies.
pub fn sniff(head: &[u8], gzip_expected: bool) -> Option<String> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some(
            "UTF-16 text (byte order mark at byte offset 0); convert it to UTF-8".to_string(),
        );
    }
    if !gzip_expected && head.starts_with(&[0x1F, 0x8B]) {
        return Some(
            "gzip-compressed data (byte offset 0); name the file `.jsonl.gz` if it is \
             compressed JSON Lines"
                .to_string(),
        );
    }
    let head = &head[..head.len().min(SNIFF_BYTES)];
    head.iter()
        .position(|&b| b == 0)
        .map(|offset| format!("binary file (NUL byte at byte offset {offset}); skipped"))
}

/// Input formats known to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain-text statement pasted from the web.
    Txt,
    /// Statement page saved from a browser (`.html`, `.htm`).
    Html,
    /// Statement written in Markdown (`.md`).
    Markdown,
    /// JSON Lines, optionally gzip-compressed.
    JsonLines {
        /// Whether the file is gzip-compressed (`.jsonl.gz`).
        gzip: bool,
    },
}

/// Picks the format of a file from its extension (case-insensitive), or
/// `None` for files the reader does not handle.
pub fn format_for_path(path: &Path) -> Option<Format> {
    // A name that is not UTF-8 still has its extension read.
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".jsonl.gz") {
        Some(Format::JsonLines { gzip: true })
    } else if name.ends_with(".jsonl") {
        Some(Format::JsonLines { gzip: false })
    } else if name.ends_with(".txt") {
        Some(Format::Txt)
    } else if name.ends_with(".html") || name.ends_with(".htm") {
        Some(Format::Html)
    } else if name.ends_with(".md") {
        Some(Format::Markdown)
    } else {
        None
    }
}

/// The files found by [`discover`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// Files in a known [`Format`], in the order the paths were given, each
    /// directory's files sorted by file name; a file reached twice (same
    /// canonical path) is listed once.
    pub files: Vec<PathBuf>,
    /// Files not taken because their format is unknown: those found while
    /// walking directories (skipped silently) plus those given directly
    /// (also reported as problems).
    pub skipped: usize,
    /// The first [`NAMED_SKIPS`] files skipped silently while walking a
    /// directory for an unknown extension, to name some in a summary.
    pub unknown: Vec<PathBuf>,
}

/// How many files skipped for an unknown extension [`Discovery::unknown`]
/// keeps.
pub const NAMED_SKIPS: usize = 64;

/// Expands `paths` into the corpus files to read.
///
/// A file given directly is taken if [`format_for_path`] knows it, else
/// reported to `on_problem` ("unknown extension, skipped"). A directory is
/// walked recursively (following symbolic links, entries sorted by file
/// name) and its known files are taken; other files are counted in
/// [`Discovery::skipped`], and so are pipes, sockets and devices (with a
/// warning when given by name or named like a statement file, since
/// reading one would block or never end). A path that does not exist, an unreadable
/// directory or a symbolic-link loop is reported to `on_problem` as
/// [`CorpusError::Io`]; discovery always goes on with the rest.
pub fn discover(paths: &[PathBuf], on_problem: &mut dyn FnMut(CorpusError)) -> Discovery {
    let mut discovery = Discovery::default();
    let mut seen = std::collections::HashSet::new();
    let mut take = |file: PathBuf, discovery: &mut Discovery| {
        let key = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if seen.insert(key) {
            discovery.files.push(file);
        }
    };
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(source) => {
                on_problem(CorpusError::Io {
                    path: path.clone(),
                    source,
                });
                continue;
            }
        };
        if !metadata.is_dir() && !metadata.is_file() {
            discovery.skipped += 1;
            on_problem(not_regular(path));
            continue;
        }
        if !metadata.is_dir() {
            if format_for_path(path).is_some() {
                take(path.clone(), &mut discovery);
            } else {
                discovery.skipped += 1;
                on_problem(CorpusError::Malformed {
                    path: path.clone(),
                    line: None,
                    message: "unknown extension, skipped".to_string(),
                });
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) if !entry.file_type().is_file() => {
                    if format_for_path(entry.path()).is_some() {
                        on_problem(not_regular(entry.path()));
                    }
                    discovery.skipped += 1;
                }
                Ok(entry) => {
                    if format_for_path(entry.path()).is_some() {
                        take(entry.into_path(), &mut discovery);
                    } else {
                        discovery.skipped += 1;
                        if discovery.unknown.len() < NAMED_SKIPS {
                            discovery.unknown.push(entry.into_path());
                        }
                    }
                }
                Err(error) => {
                    let at = error.path().unwrap_or(path).to_path_buf();
                    let source = match error.io_error() {
                        Some(io) => std::io::Error::new(io.kind(), io.to_string()),
                        None => std::io::Error::other(error.to_string()),
                    };
                    on_problem(CorpusError::Io { path: at, source });
                }
            }
        }
    }
    discovery
}

/// The warning for a path that is neither a file nor a folder: a named
/// pipe would block the run forever, a device (`/dev/zero`) never ends.
fn not_regular(path: &Path) -> CorpusError {
    CorpusError::Malformed {
        path: path.to_path_buf(),
        line: None,
        message: "not a regular file (a pipe, socket or device), skipped".to_string(),
    }
}

/// Reads one corpus file, choosing the reader with [`format_for_path`].
///
/// Each document goes to `on_document`; per-record problems (a bad JSON
/// line, a date that does not parse, an empty file) go to `on_problem` and
/// reading goes on.
///
/// # Errors
///
/// - [`CorpusError::Io`] when the file cannot be opened or read (for JSON
///   Lines, documents before a failing read have already been delivered);
/// - [`CorpusError::Malformed`], before any document is delivered, when the
///   extension is unknown, when the content does not look like text (see
///   [`sniff`]: binary data, gzip data in a `.jsonl`, UTF-16 in a `.jsonl`),
///   when a `.txt`, `.md` or `.html` is larger than [`MAX_TXT_BYTES`], or
///   when it has no paragraph (see [`txt::parse_txt`],
///   [`markdown::parse_markdown`], [`html::parse_html`]).
///
/// `.txt`, `.md` and `.html` files that are not UTF-8 are decoded, not
/// rejected (see [`encoding`]): UTF-16 with a byte order mark, the charset
/// an HTML page declares, else Windows-1252 (ISO-8859-1); when the encoding
/// had to be assumed, a [`CorpusError::Malformed`] warning goes to
/// `on_problem` (`line`: the 1-based line of the first invalid byte) and the
/// document is still delivered.
pub fn read_file(
    path: &Path,
    on_document: &mut dyn FnMut(Document),
    on_problem: &mut dyn FnMut(CorpusError),
) -> Result<(), CorpusError> {
    let empty = || CorpusError::Malformed {
        path: path.to_path_buf(),
        line: None,
        message: "empty file".to_string(),
    };
    let malformed = |message: String| CorpusError::Malformed {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    let io = |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    };
    match format_for_path(path) {
        None => Err(malformed("unknown extension".to_string())),
        Some(Format::JsonLines { gzip }) => {
            let mut reader = jsonl::open(path, gzip)?;
            let head = std::io::BufRead::fill_buf(&mut reader).map_err(io)?;
            if let Some(message) = sniff(head, gzip) {
                return Err(malformed(message));
            }
            if jsonl::read_jsonl(reader, path, on_document, on_problem)? == 0 {
                on_problem(empty());
            }
            Ok(())
        }
        Some(format @ (Format::Txt | Format::Html | Format::Markdown)) => {
            use std::io::Read;
            let file = std::fs::File::open(path).map_err(io)?;
            let mut bytes = Vec::new();
            file.take(MAX_TXT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(io)?;
            if bytes.len() as u64 > MAX_TXT_BYTES {
                return Err(malformed(format!(
                    "larger than {} MiB, the limit for a .txt, .md or .html statement; \
                     skipped (use JSON Lines for big corpora)",
                    MAX_TXT_BYTES >> 20
                )));
            }
            let decoded = if format == Format::Html {
                encoding::decode_html(&bytes)
            } else {
                encoding::decode_text(&bytes)
            }
            .map_err(malformed)?;
            if let Some(warning) = decoded.warning {
                on_problem(CorpusError::Malformed {
                    path: path.to_path_buf(),
                    line: warning.line,
                    message: warning.message,
                });
            }
            let text = decoded.text;
            if text.trim_start_matches('\u{feff}').trim().is_empty() {
                on_problem(empty());
                return Ok(());
            }
            let doc = match format {
                Format::Html => html::parse_html(&text, path)?,
                Format::Markdown => markdown::parse_markdown(&text, path)?,
                _ => txt::parse_txt(&text, path)?,
            };
            if doc.date.is_none() {
                if let Some((line, written)) = impossible_date(&text) {
                    on_problem(CorpusError::Malformed {
                        path: path.to_path_buf(),
                        line: Some(line),
                        message: format!(
                            "date {written:?} is not a day of the calendar; the statement is \
                             kept without date"
                        ),
                    });
                }
            }
            on_document(doc);
            Ok(())
        }
    }
}

/// Where a statement written as text (`.txt`, `.md`, `.html`) gives a
/// date the calendar does not have (`29 février 2021`), among its first
/// ten lines that hold text (title, date, reference) and its last three
/// (the closing `Fait à Paris, le …`): the 1-based line and the date as
/// written.
fn impossible_date(text: &str) -> Option<(u64, &str)> {
    let lines: Vec<(u64, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n as u64 + 1, l))
        .collect();
    let head = lines.iter().take(10);
    let tail = lines.iter().skip(10.max(lines.len().saturating_sub(3)));
    head.chain(tail)
        .find_map(|&(n, l)| date::find_impossible_date(l).map(|d| (n, d)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::io::Write;

    fn seed_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/nac-2021-07-19-cyber-fr.txt")
    }

    fn read_all(path: &Path) -> (Result<(), CorpusError>, Vec<Document>, Vec<CorpusError>) {
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        let result = read_file(path, &mut |d| docs.push(d), &mut |p| problems.push(p));
        (result, docs, problems)
    }

    #[test]
    fn a_date_the_calendar_does_not_have_is_said_not_dropped_in_silence() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text, line) in [
            (
                "a.txt",
                "Titre\n\n29 février 2021\n\n1. Premier paragraphe.\n",
                3,
            ),
            (
                "b.txt",
                "Titre\n\n1. Le texte.\n\nFait à Paris, le 31 février 2023.\n",
                5,
            ),
            ("c.md", "# Titre\n\n31/04/2023\n\nUn paragraphe.\n", 3),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            let (result, docs, problems) = read_all(&path);
            assert!(result.is_ok(), "{name}: {result:?}");
            assert_eq!(docs.len(), 1, "{name}");
            assert_eq!(docs[0].date, None, "{name}");
            let [CorpusError::Malformed {
                line: Some(l),
                message,
                ..
            }] = problems.as_slice()
            else {
                panic!("{name}: one warning expected, got {problems:?}");
            };
            assert_eq!(*l, line, "{name}: {message}");
            assert!(
                message.contains("not a day of the calendar"),
                "{name}: {message}"
            );
        }
        // A real date: no warning.
        let path = dir.path().join("d.txt");
        std::fs::write(&path, "Titre\n\n28 février 2021\n\n1. Texte.\n").expect("write");
        let (_, docs, problems) = read_all(&path);
        assert_eq!(docs[0].date, Some(date(2021, 2, 28)));
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_for_path(Path::new("a/b.TXT")), Some(Format::Txt));
        assert_eq!(
            format_for_path(Path::new("b.jsonl")),
            Some(Format::JsonLines { gzip: false })
        );
        assert_eq!(
            format_for_path(Path::new("b.JSONL.gz")),
            Some(Format::JsonLines { gzip: true })
        );
        assert_eq!(format_for_path(Path::new("p.HTM")), Some(Format::Html));
        assert_eq!(format_for_path(Path::new("p.html")), Some(Format::Html));
        assert_eq!(format_for_path(Path::new("n.md")), Some(Format::Markdown));
        assert_eq!(format_for_path(Path::new("b.json")), None);
        assert_eq!(format_for_path(Path::new("b.gz")), None);
    }

    #[test]
    fn seed_statement() {
        let (result, docs, problems) = read_all(&seed_path());
        result.expect("seed reads");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.id, "nac-2021-07-19-cyber-fr");
        assert_eq!(
            doc.title,
            "Déclaration du Conseil de l'Atlantique Nord en solidarité avec ceux touchés \
             par des actes récents de cybermalveillance, notamment la compromission des \
             serveurs Microsoft Exchange"
        );
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("Communiqué de presse (2021) 120")
        );
        assert_eq!(doc.lang, "fr");
        assert_eq!(doc.source, None);
        assert_eq!(doc.url, None);
        assert_eq!(doc.origin.path, seed_path());
        let numbers: Vec<u64> = doc.paragraphs.iter().map(|p| p.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert!(doc.paragraphs[0]
            .text
            .starts_with("Nous observons avec une préoccupation croissante"));
        let third = &doc.paragraphs[2].text;
        assert!(third.starts_with("Nous sommes solidaires"), "{third}");
        assert!(third.contains("Microsoft Exchange"));
        assert!(third.ends_with("des défis communs."), "{third:?}");
        assert!(doc.paragraphs[3].text.ends_with("responsable des États."));
        for p in &doc.paragraphs {
            assert!(!p.text.contains("Issued on"), "{}", p.text);
            assert!(!p.text.contains('•'), "{}", p.text);
            assert_eq!(p.text, p.text.trim_end());
            assert!(!p.text.starts_with(char::is_whitespace));
        }
    }

    #[test]
    fn jsonl_bad_line_in_the_middle() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("docs.jsonl");
        std::fs::write(
            &path,
            "{\"id\":\"a\",\"paragraphs\":[\"un\"]}\n{\"id\":\"b\",\"paragraphs\":\n\
             {\"id\":\"c\",\"date\":\"19 juillet 2021\",\"paragraphs\":[\"trois\",\"quatre\"]}\n",
        )
        .expect("write");
        let (result, docs, problems) = read_all(&path);
        result.expect("reads");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(docs[1].date, Some(date(2021, 7, 19)));
        assert_eq!(docs[1].paragraphs[1].number, 2);
        assert_eq!(docs[1].origin.line, Some(3));
        assert_eq!(problems.len(), 1, "{problems:?}");
        match &problems[0] {
            CorpusError::Malformed { path: p, line, .. } => {
                assert_eq!(p, &path);
                assert_eq!(*line, Some(2));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(problems[0].to_string().contains("docs.jsonl:2: "));
    }

    #[test]
    fn jsonl_gz() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("docs.jsonl.gz");
        let file = std::fs::File::create(&path).expect("create");
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        gz.write_all("{\"id\":\"z\",\"title\":\"Été\",\"paragraphs\":[\"é\"]}\n".as_bytes())
            .expect("write");
        gz.finish().expect("finish");
        // A second gzip member appended to the file is read too.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("reopen");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"id\":\"y\",\"paragraphs\":[]}\n")
            .expect("write");
        file.write_all(&gz.finish().expect("finish"))
            .expect("append");
        drop(file);

        let (result, docs, problems) = read_all(&path);
        result.expect("reads");
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["z", "y"]);
        assert_eq!(docs[0].title, "Été");
        assert_eq!(docs[0].paragraphs[0].text, "é");
    }

    #[test]
    fn corrupt_gz_is_an_io_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.jsonl.gz");
        std::fs::write(&path, "not gzip at all").expect("write");
        let (result, docs, _) = read_all(&path);
        assert!(matches!(result, Err(CorpusError::Io { .. })), "{result:?}");
        assert!(docs.is_empty());
    }

    #[test]
    fn empty_files_are_problems() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["e.txt", "e.jsonl", "w.txt"] {
            let path = dir.path().join(name);
            let content = if name == "w.txt" {
                "\u{feff} \r\n\n"
            } else {
                ""
            };
            std::fs::write(&path, content).expect("write");
            let (result, docs, problems) = read_all(&path);
            result.expect("empty is not fatal");
            assert!(docs.is_empty());
            assert_eq!(problems.len(), 1, "{name}");
            assert!(problems[0].to_string().ends_with("empty file"));
        }
    }

    #[test]
    fn txt_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("latin1.txt");
        std::fs::write(&path, b"Titre\n\n1. Caf\xE9 cr\xE8me\n").expect("write");
        let (result, docs, problems) = read_all(&path);
        result.expect("Windows-1252 is decoded, not rejected");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].paragraphs[0].text, "Café crème");
        match problems.as_slice() {
            [CorpusError::Malformed { line, message, .. }] => {
                assert_eq!(*line, Some(3));
                assert!(message.contains("byte offset 13"), "{message}");
                assert!(message.contains("Windows-1252"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }

        let path = dir.path().join("nothing.txt");
        std::fs::write(&path, "Seulement un titre\n").expect("write");
        assert!(matches!(
            read_all(&path).0,
            Err(CorpusError::Malformed { .. })
        ));

        let missing = dir.path().join("missing.txt");
        assert!(matches!(read_all(&missing).0, Err(CorpusError::Io { .. })));
    }

    #[test]
    fn discovery() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/deeper")).expect("mkdir");
        for name in [
            "b.txt",
            "a.jsonl",
            "notes.rtf",
            "sub/c.jsonl.gz",
            "sub/deeper/d.TXT",
        ] {
            std::fs::write(root.join(name), "x").expect("write");
        }
        let mut problems = Vec::new();
        let given = vec![
            root.to_path_buf(),
            root.join("b.txt"),
            root.join("notes.rtf"),
            root.join("missing"),
        ];
        let found = discover(&given, &mut |p| problems.push(p));
        assert_eq!(
            found.files,
            vec![
                root.join("a.jsonl"),
                root.join("b.txt"),
                root.join("sub/c.jsonl.gz"),
                root.join("sub/deeper/d.TXT"),
            ]
        );
        assert_eq!(found.skipped, 2);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].to_string().contains("unknown extension"));
        assert!(matches!(&problems[1], CorpusError::Io { path, .. } if path.ends_with("missing")));
    }

    #[cfg(unix)]
    #[test]
    fn discovery_survives_symlink_loops() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir(root.join("d")).expect("mkdir");
        std::fs::write(root.join("d/x.txt"), "x").expect("write");
        std::os::unix::fs::symlink(root, root.join("d/loop")).expect("symlink");
        let mut problems = Vec::new();
        let found = discover(&[root.to_path_buf()], &mut |p| problems.push(p));
        assert_eq!(found.files, vec![root.join("d/x.txt")]);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
