//! Language of a document.
//!
//! A document's language comes from its metadata when it has one (the JSON
//! Lines `lang` field, HTML `<html lang>`, Markdown front matter `lang:`),
//! normalised with [`from_tag`]; otherwise it is detected from its text
//! with [`detect`] (trigram statistics from the `whatlang` crate).
//!
//! Codes are lowercase ISO 639-1 (`fr`, `en`, `de`…). When the text is too
//! short or too mixed for a reliable answer, the language is
//! [`DEFAULT_LANG`] (`fr`): the corpus is French unless shown otherwise.

use whatlang::{Detector, Lang};

use super::Paragraph;

/// Language assumed when neither metadata nor detection can tell.
pub const DEFAULT_LANG: &str = "fr";

/// Bytes of text looked at by [`detect`]: the beginning of a long document
/// tells its language as well as the whole of it, at a bounded cost.
pub const SAMPLE_BYTES: usize = 16 * 1024;

/// Normalises a language tag found in metadata to a lowercase ISO 639-1
/// code: `fr-FR`, `FR`, `fr_CA` → `fr`; `eng` → `en` (ISO 639-2/3 codes of
/// the languages [`detect`] knows are mapped to their two-letter code).
///
/// Returns `None` when the tag does not name a language: empty, not made of
/// ASCII letters, or one of the special codes `und`, `mul`, `zxx`, `mis`.
pub fn from_tag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    match primary.len() {
        2 => Some(primary),
        3 if !matches!(primary.as_str(), "und" | "mul" | "zxx" | "mis") => {
            // ISO 639-2/B codes that differ from ISO 639-3 ones.
            let code = match primary.as_str() {
                "fre" => "fra",
                "ger" => "deu",
                "dut" => "nld",
                "cze" => "ces",
                "gre" => "ell",
                "rum" => "ron",
                "chi" | "zho" => "cmn",
                "per" | "fas" => "pes",
                "arm" => "hye",
                "geo" => "kat",
                "wel" => "cym",
                "slo" => "slk",
                "mac" => "mkd",
                "bur" => "mya",
                other => other,
            };
            Some(
                iso639_1(code)
                    .map(str::to_string)
                    .unwrap_or_else(|| primary.clone()),
            )
        }
        _ => None,
    }
}

/// Detects the language of `text`: `fr`, `en`, or the ISO 639-1 code of
/// another language `whatlang` recognises reliably; [`DEFAULT_LANG`] when
/// the answer is unreliable (short or mixed text, no letters).
///
/// Only the first [`SAMPLE_BYTES`] bytes are looked at. Detection first
/// considers every language; when that is not conclusive but points at
/// French or English, it decides between those two alone.
pub fn detect(text: &str) -> String {
    let sample = sample(text);
    let Some(info) = whatlang::detect(sample) else {
        return DEFAULT_LANG.to_string();
    };
    if info.is_reliable() {
        return code_of(info.lang());
    }
    if matches!(info.lang(), Lang::Fra | Lang::Eng) {
        let french_or_english = Detector::with_allowlist(vec![Lang::Fra, Lang::Eng]);
        if let Some(info) = french_or_english.detect(sample) {
            if info.is_reliable() {
                return code_of(info.lang());
            }
        }
    }
    DEFAULT_LANG.to_string()
}

/// [`detect`] on a document's title and paragraphs, in that order.
pub fn detect_document(title: &str, paragraphs: &[Paragraph]) -> String {
    let mut text = String::with_capacity(
        SAMPLE_BYTES.min(title.len() + paragraphs.iter().map(|p| p.text.len() + 1).sum::<usize>()),
    );
    text.push_str(title);
    for p in paragraphs {
        if text.len() >= SAMPLE_BYTES {
            break;
        }
        text.push('\n');
        text.push_str(&p.text);
    }
    detect(&text)
}

/// The first [`SAMPLE_BYTES`] bytes of `text`, cut on a char boundary.
fn sample(text: &str) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    let mut end = SAMPLE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

fn code_of(lang: Lang) -> String {
    let code = lang.code();
    iso639_1(code).unwrap_or(code).to_string()
}

/// ISO 639-1 code of the ISO 639-3 codes used by `whatlang`.
fn iso639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "epo" => "eo",
        "eng" => "en",
        "rus" => "ru",
        "cmn" => "zh",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ben" => "bn",
        "fra" => "fr",
        "deu" => "de",
        "ukr" => "uk",
        "kat" => "ka",
        "ara" => "ar",
        "hin" => "hi",
        "jpn" => "ja",
        "heb" => "he",
        "yid" => "yi",
        "pol" => "pl",
        "amh" => "am",
        "jav" => "jv",
        "kor" => "ko",
        "nob" => "nb",
        "dan" => "da",
        "swe" => "sv",
        "fin" => "fi",
        "tur" => "tr",
        "nld" => "nl",
        "hun" => "hu",
        "ces" => "cs",
        "ell" => "el",
        "bul" => "bg",
        "bel" => "be",
        "mar" => "mr",
        "kan" => "kn",
        "ron" => "ro",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "mkd" => "mk",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "tam" => "ta",
        "vie" => "vi",
        "urd" => "ur",
        "tha" => "th",
        "guj" => "gu",
        "uzb" => "uz",
        "pan" => "pa",
        "aze" => "az",
        "ind" => "id",
        "tel" => "te",
        "pes" => "fa",
        "mal" => "ml",
        "ori" => "or",
        "mya" => "my",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "afr" => "af",
        "lat" => "la",
        "slk" => "sk",
        "cat" => "ca",
        "tgl" => "tl",
        "hye" => "hy",
        "cym" => "cy",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(from_tag("fr-FR").as_deref(), Some("fr"));
        assert_eq!(from_tag(" EN ").as_deref(), Some("en"));
        assert_eq!(from_tag("en_GB").as_deref(), Some("en"));
        assert_eq!(from_tag("fre").as_deref(), Some("fr"));
        assert_eq!(from_tag("eng").as_deref(), Some("en"));
        assert_eq!(from_tag("gsw").as_deref(), Some("gsw"));
        for bad in ["", "   ", "-", "und", "x", "français", "f1", "zxx-Latn"] {
            assert_eq!(from_tag(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn french_and_english() {
        assert_eq!(
            detect(
                "Nous observons avec une préoccupation croissante la multiplication des \
                 activités malveillantes dans le cyberespace."
            ),
            "fr"
        );
        assert_eq!(
            detect(
                "Statement by the Secretary General. We are meeting today with our \
                 partners in Brussels. The Alliance will respond to the threat."
            ),
            "en"
        );
        // Short, but French once only French and English are weighed.
        assert_eq!(detect("Cyberdéfense : l'OTAN renforce sa posture"), "fr");
    }

    #[test]
    fn other_languages_keep_their_code() {
        assert_eq!(
            detect(
                "Ein kurzer deutscher Text über die Sicherheit im Cyberraum und die \
                 Zusammenarbeit der Staaten."
            ),
            "de"
        );
        assert_eq!(
            detect(
                "Un texto corto en español sobre la seguridad del ciberespacio y la \
                 cooperación entre los Estados."
            ),
            "es"
        );
    }

    #[test]
    fn unreliable_falls_back_to_french() {
        for text in [
            "",
            "   ",
            "1. 2. 3.",
            "NATO Cyber Defence Pledge",
            "OTAN",
            "€ % §",
        ] {
            assert_eq!(detect(text), DEFAULT_LANG, "{text:?}");
        }
    }

    #[test]
    fn long_text_is_sampled() {
        let long = "Nous condamnons ces actes de cybermalveillance. ".repeat(2000);
        assert!(long.len() > SAMPLE_BYTES);
        assert_eq!(detect(&long), "fr");
        let accents = "é".repeat(SAMPLE_BYTES);
        assert_eq!(sample(&accents).len(), SAMPLE_BYTES);
        let odd = format!("a{accents}");
        assert_eq!(sample(&odd).len(), SAMPLE_BYTES - 1);
    }

    #[test]
    fn documents() {
        let paragraphs = vec![
            Paragraph {
                number: 1,
                text: "We condemn these malicious cyber activities.".to_string(),
            },
            Paragraph {
                number: 2,
                text: "We stand in solidarity with all those who have been affected.".to_string(),
            },
        ];
        assert_eq!(detect_document("Statement on cyber", &paragraphs), "en");
    }
}
