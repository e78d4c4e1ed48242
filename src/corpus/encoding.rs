//! Text decoding for the formats read whole (`.txt`, `.md`, `.html`).
//!
//! Files are UTF-8 most of the time, but pages saved from older sites are
//! often Windows-1252 or ISO-8859-1, and some editors write UTF-16. They are
//! decoded, not rejected:
//!
//! 1. a byte order mark wins: UTF-8 (the BOM is dropped), UTF-16LE,
//!    UTF-16BE;
//! 2. otherwise binary content (a NUL byte, gzip data) is refused, see
//!    [`super::sniff`];
//! 3. for HTML, a declared encoding is used: `<meta charset>`,
//!    `<meta http-equiv="Content-Type" content="…; charset=…">` or the XML
//!    declaration `<?xml … encoding="…"?>`, looked for in the first
//!    [`PRESCAN_BYTES`] bytes (labels as in the WHATWG Encoding Standard:
//!    `iso-8859-1` and `latin1` mean Windows-1252). One exception: a page
//!    whose bytes are valid UTF-8 with non-ASCII text is read as UTF-8
//!    whatever it declares (a stale declaration in a page re-saved as UTF-8),
//!    with a warning;
//! 4. valid UTF-8 is read as UTF-8;
//! 5. anything else is *assumed*: Windows-1252 (a superset of ISO-8859-1),
//!    or UTF-8 with the bad bytes replaced by U+FFFD when the file is
//!    mostly valid UTF-8 with a few corrupt bytes. Either way a warning says
//!    which encoding was assumed and where the first invalid byte is.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Leading bytes of an HTML file searched for an encoding declaration.
pub const PRESCAN_BYTES: usize = 8 * 1024;

/// A decoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte order mark.
    pub text: String,
    /// Name of the encoding used (`UTF-8`, `windows-1252`, `UTF-16LE`…, as
    /// named by the WHATWG Encoding Standard).
    pub encoding: &'static str,
    /// Set when the encoding was assumed or bytes were replaced: what was
    /// done, for the user.
    pub warning: Option<Warning>,
}

/// Why a file's decoding deserves the user's attention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line of the first byte that is not valid in the expected
    /// encoding, when there is one.
    pub line: Option<u64>,
    /// What was assumed, in words (byte offset included).
    pub message: String,
}

/// Decodes a plain-text file (`.txt`, `.md`): BOM, then UTF-8, else an
/// assumed encoding with a warning (see the module documentation).
///
/// # Errors
///
/// The problem in words when the content is binary (see [`super::sniff`]).
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(decoded) = decode_bom(bytes) {
        return Ok(decoded);
    }
    if let Some(message) = super::sniff(bytes, false) {
        return Err(message);
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
            warning: None,
        },
        Err(_) => assume(bytes, false),
    })
}

/// Decodes an HTML file: BOM, then the declared encoding, then as
/// [`decode_text`] (see the module documentation).
///
/// # Errors
///
/// The problem in words when the content is binary (see [`super::sniff`]).
pub fn decode_html(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some(decoded) = decode_bom(bytes) {
        return Ok(decoded);
    }
    if let Some(message) = super::sniff(bytes, false) {
        return Err(message);
    }
    let Some(declared) = declared_encoding(bytes) else {
        return decode_text(bytes);
    };
    if declared == UTF_8 {
        return Ok(match std::str::from_utf8(bytes) {
            Ok(text) => Decoded {
                text: text.to_string(),
                encoding: UTF_8.name(),
                warning: None,
            },
            Err(_) => assume(bytes, true),
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.is_ascii() {
            return Ok(Decoded {
                text: text.to_string(),
                encoding: UTF_8.name(),
                warning: Some(Warning {
                    line: None,
                    message: format!(
                        "declared {} but the content is valid UTF-8; read as UTF-8",
                        declared.name()
                    ),
                }),
            });
        }
    }
    let (text, had_errors) = declared.decode_without_bom_handling(bytes);
    let warning = had_errors.then(|| Warning {
        line: None,
        message: format!(
            "bytes that are not valid {} were replaced by U+FFFD",
            declared.name()
        ),
    });
    Ok(Decoded {
        text: text.into_owned(),
        encoding: declared.name(),
        warning,
    })
}

/// Decodes a file that starts with a byte order mark.
fn decode_bom(bytes: &[u8]) -> Option<Decoded> {
    let (encoding, bom) = Encoding::for_bom(bytes)?;
    let rest = bytes.get(bom..).unwrap_or_default();
    if encoding == UTF_8 {
        return Some(match std::str::from_utf8(rest) {
            Ok(text) => Decoded {
                text: text.to_string(),
                encoding: UTF_8.name(),
                warning: None,
            },
            Err(e) => {
                let offset = bom + e.valid_up_to();
                Decoded {
                    text: String::from_utf8_lossy(rest).into_owned(),
                    encoding: UTF_8.name(),
                    warning: Some(Warning {
                        line: Some(line_at(bytes, offset)),
                        message: format!(
                            "invalid UTF-8 at byte offset {offset} after a UTF-8 byte order \
                             mark; invalid bytes replaced by U+FFFD"
                        ),
                    }),
                }
            }
        });
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(rest);
    Some(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        warning: had_errors.then(|| Warning {
            line: None,
            message: format!(
                "{} text (byte order mark) with invalid sequences, replaced by U+FFFD",
                encoding.name()
            ),
        }),
    })
}

/// Decodes bytes that are not valid UTF-8 and declare nothing usable
/// (`declared_utf8`: the page claims UTF-8, which is said in the warning).
fn assume(bytes: &[u8], declared_utf8: bool) -> Decoded {
    let offset = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    let line = Some(line_at(bytes, offset));
    let declared = if declared_utf8 {
        " (the page declares UTF-8)"
    } else {
        ""
    };
    if mostly_utf8(bytes) {
        Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: UTF_8.name(),
            warning: Some(Warning {
                line,
                message: format!(
                    "invalid UTF-8 at byte offset {offset}{declared}; read as UTF-8, \
                     invalid bytes replaced by U+FFFD"
                ),
            }),
        }
    } else {
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        Decoded {
            text: text.into_owned(),
            encoding: WINDOWS_1252.name(),
            warning: Some(Warning {
                line,
                message: format!(
                    "invalid UTF-8 at byte offset {offset}{declared}; decoded as \
                     Windows-1252 (ISO-8859-1)"
                ),
            }),
        }
    }
}

/// Whether the non-ASCII characters that decode as UTF-8 outnumber the
/// invalid sequences: a UTF-8 file with a few corrupt bytes rather than a
/// file in a single-byte encoding (where nearly every non-ASCII byte is an
/// invalid sequence).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid > invalid
}

/// 1-based line of the byte at `offset`.
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    let before = bytes.get(..offset).unwrap_or(bytes);
    before.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// The encoding an HTML page declares in its first [`PRESCAN_BYTES`]
/// bytes, if any. UTF-16 declarations (impossible without a BOM, which was
/// handled before) mean UTF-8, `x-user-defined` means Windows-1252, as
/// browsers do.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..PRESCAN_BYTES.min(bytes.len()))?;
    let label = xml_declaration(head).or_else(|| meta_charset(head))?;
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding.name() == "x-user-defined" {
        WINDOWS_1252
    } else {
        encoding
    })
}

/// The `encoding` of an XML declaration at the very start.
fn xml_declaration(head: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(head);
    let decl = head.strip_prefix("<?xml")?;
    let decl = decl.get(..decl.find("?>")?)?;
    let at = decl.find("encoding")?;
    let value = decl.get(at + "encoding".len()..)?.trim_start();
    let value = value.strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = value.get(1..)?;
    Some(value.get(..value.find(quote)?)?.to_string())
}

/// The charset of the first `<meta charset>` or `<meta http-equiv=
/// "Content-Type">`, found by parsing the head with the HTML parser (the
/// bytes lossily decoded: only ASCII matters for the declaration).
fn meta_charset(head: &[u8]) -> Option<String> {
    let text: Cow<'_, str> = String::from_utf8_lossy(head);
    let document = scraper::Html::parse_document(&text);
    let meta = scraper::Selector::parse("meta").ok()?;
    document.select(&meta).find_map(|element| {
        let element = element.value();
        if let Some(charset) = element.attr("charset") {
            return Some(charset.to_string());
        }
        let http_equiv = element.attr("http-equiv")?;
        if !http_equiv.trim().eq_ignore_ascii_case("content-type") {
            return None;
        }
        charset_param(element.attr("content")?)
    })
}

/// `text/html; charset=ISO-8859-1` → `ISO-8859-1`.
fn charset_param(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content.get(at + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    let value = rest.get(..end)?;
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_bom() {
        let d = decode_text("Été".as_bytes()).expect("text");
        assert_eq!(d.text, "Été");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.warning, None);
        let d = decode_text(b"\xEF\xBB\xBFcaf\xC3\xA9").expect("text");
        assert_eq!(d.text, "café");
        assert_eq!(d.warning, None);
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Sécurité\n1. Texte".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            for decode in [decode_text, decode_html] {
                let d = decode(&bytes).expect("decodes");
                assert_eq!(d.text, "Sécurité\n1. Texte");
                assert_eq!(d.encoding, name);
                assert_eq!(d.warning, None);
            }
        }
    }

    #[test]
    fn windows_1252_is_assumed_with_a_warning() {
        let d = decode_text(b"Titre\n\n1. Caf\xE9 cr\xE8me \x96 \x80\n").expect("text");
        assert_eq!(d.text, "Titre\n\n1. Café crème – €\n");
        assert_eq!(d.encoding, "windows-1252");
        let w = d.warning.expect("warning");
        assert_eq!(w.line, Some(3));
        assert!(w.message.contains("byte offset 13"), "{}", w.message);
        assert!(w.message.contains("Windows-1252"), "{}", w.message);
    }

    #[test]
    fn mostly_utf8_keeps_utf8() {
        let d = decode_text("sécurité défense été \u{2019}".as_bytes()).expect("text");
        assert_eq!(d.warning, None);
        let mut bytes = "sécurité défense été ".as_bytes().to_vec();
        bytes.push(0xFF);
        let d = decode_text(&bytes).expect("text");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "sécurité défense été \u{fffd}");
        assert!(d.warning.expect("warning").message.contains("UTF-8"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode_text(b"abc\0def").is_err());
        assert!(decode_html(b"\x1F\x8B\x08\0").is_err());
    }

    #[test]
    fn html_declarations() {
        let page = b"<!DOCTYPE html><html><head><meta charset=\"iso-8859-1\"><title>S\xE9curit\xE9</title>";
        let d = decode_html(page).expect("html");
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Sécurité"));
        assert_eq!(d.warning, None);

        let page = b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\">\n<p>\x93cit\xE9\x94</p>";
        let d = decode_html(page).expect("html");
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("\u{201c}cité\u{201d}"), "{}", d.text);

        let page = b"<?xml version=\"1.0\" encoding='ISO-8859-15'?>\n<html><p>\xA4</p></html>";
        let d = decode_html(page).expect("html");
        assert_eq!(d.encoding, "ISO-8859-15");
        assert!(d.text.contains('€'));

        // Undeclared and not UTF-8: assumed, with a warning.
        let d = decode_html(b"<p>d\xE9fense</p>").expect("html");
        assert_eq!(d.text, "<p>défense</p>");
        assert!(d.warning.is_some());

        // Declared UTF-8 but Windows-1252 bytes.
        let d = decode_html(b"<meta charset=utf-8><p>d\xE9fense</p>").expect("html");
        assert_eq!(d.encoding, "windows-1252");
        assert!(d
            .warning
            .expect("warning")
            .message
            .contains("declares UTF-8"));

        // A stale declaration on a page that is valid UTF-8.
        let d = decode_html("<meta charset=windows-1252><p>défense</p>".as_bytes()).expect("html");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("défense"));
        assert!(d.warning.is_some());

        // Unknown labels are ignored.
        let d = decode_html("<meta charset=bogus><p>défense</p>".as_bytes()).expect("html");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.warning, None);
    }

    #[test]
    fn charset_params() {
        assert_eq!(
            charset_param("text/html; charset=ISO-8859-1").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            charset_param("text/html;CHARSET = \"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("charset="), None);
        assert_eq!(charset_param("charseté"), None);
    }
}
