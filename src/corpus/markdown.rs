//! Statements written in Markdown (`.md`).
//!
//! The file is parsed with `pulldown-cmark` (CommonMark, plus tables,
//! strikethrough, footnotes, task lists and a YAML-style front matter) and
//! read as text blocks, like HTML (see [`super::html::assemble`]):
//!
//! - **headings are not paragraphs**; the first `#` heading is the title
//!   (else the front matter's `title:`, else the first heading of any
//!   level);
//! - each paragraph, list item, code block and table row is a block; the
//!   markup goes (`**gras**` → `gras`, `[texte](url)` → `texte`, `` `code` ``
//!   → `code`, images and raw HTML are dropped), soft and hard line breaks
//!   become spaces, whitespace runs are collapsed and the text trimmed;
//! - items of an ordered list keep their numbers (`5.` starts at 5), as
//!   does a paragraph written `3\. Texte`; an ordered item's nested blocks
//!   (paragraphs of a loose item, nested lists) are part of it, each on a
//!   line of its own;
//! - in a numbered statement nothing but headings and chrome is dropped
//!   (see [`super::html::assemble`]): the blocks before the first numbered
//!   one (an introduction) are paragraph **0**; the blocks between
//!   paragraph `N` and the next numbered one — list items, `a)` sub-points,
//!   unnumbered paragraphs — and after the last one (closing lines,
//!   `Fait à Bruxelles, le …`) are appended to paragraph `N`, each on a
//!   line of its own (joined with `\n`). List markers (`-`, `*`) are markup
//!   and are not part of the text;
//! - the date and the reference come from the lines after the title, like
//!   in `.txt` statements (`19 juillet 2021`, `*Publié le 3 mai 2022*`,
//!   `Communiqué de presse (2021) 120`), else from the front matter;
//! - the front matter (`---` … `---` at the very top) may give `title`,
//!   `date`, `lang`, `reference`, `source` and `url` as `key: value`
//!   lines; the language is detected from the text when it gives none.

use std::path::Path;

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::html::{assemble, BlockBuilder, BlockKind, Opened};
use super::{date, lang, txt, CorpusError, Document, Origin};

/// Parses one Markdown statement into a [`Document`] (see the module
/// documentation).
///
/// `text` is the decoded file (see [`super::encoding::decode_text`]);
/// `path` gives the id ([`txt::id_for_path`]), the [`Origin`] and error
/// messages. Never panics, whatever the input.
///
/// # Errors
///
/// [`CorpusError::Malformed`] naming `path` when no paragraph is found.
pub fn parse_markdown(text: &str, path: &Path) -> Result<Document, CorpusError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;

    let mut builder = BlockBuilder::default();
    let mut opened: Vec<Option<Opened>> = Vec::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut images = 0usize;
    let mut front: Option<String> = None;
    let mut in_front = false;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => {
                let block = match tag {
                    Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => {
                        in_front = true;
                        None
                    }
                    Tag::Image { .. } => {
                        images += 1;
                        None
                    }
                    Tag::Heading { level, .. } => {
                        Some(builder.open(BlockKind::Heading(level as u8)))
                    }
                    Tag::List(start) => {
                        lists.push(start);
                        Some(builder.open(BlockKind::Text))
                    }
                    Tag::Item => {
                        let kind = match lists.last_mut() {
                            Some(Some(next)) => {
                                let number = *next;
                                *next = next.saturating_add(1);
                                if number >= 1 {
                                    BlockKind::Numbered(number)
                                } else {
                                    BlockKind::Item
                                }
                            }
                            _ => BlockKind::Item,
                        };
                        Some(builder.open(kind))
                    }
                    Tag::Paragraph
                    | Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::FootnoteDefinition(_)
                    | Tag::DefinitionList
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition
                    | Tag::Table(_)
                    | Tag::TableHead
                    | Tag::TableRow => Some(builder.open(BlockKind::Text)),
                    Tag::TableCell => {
                        builder.space();
                        None
                    }
                    _ => None,
                };
                opened.push(block);
            }
            Event::End(end) => {
                match end {
                    TagEnd::MetadataBlock(_) => in_front = false,
                    TagEnd::Image => images = images.saturating_sub(1),
                    TagEnd::List(_) => {
                        lists.pop();
                    }
                    _ => {}
                }
                if let Some(Some(block)) = opened.pop() {
                    builder.close(block);
                }
            }
            Event::Text(text) if in_front => front.get_or_insert_with(String::new).push_str(&text),
            Event::Text(text) | Event::Code(text) if images == 0 => builder.text(&text),
            Event::InlineMath(text) | Event::DisplayMath(text) if images == 0 => {
                builder.text(&text);
            }
            Event::SoftBreak | Event::HardBreak => builder.space(),
            Event::InlineHtml(html)
                if html.trim_start().to_ascii_lowercase().starts_with("<br") =>
            {
                builder.space();
            }
            _ => {}
        }
    }
    let blocks = builder.finish();
    let front = front.as_deref().map(FrontMatter::parse).unwrap_or_default();

    let first_heading = |level: Option<u8>| {
        blocks.iter().position(|b| match b.kind {
            BlockKind::Heading(l) => level.is_none_or(|want| want == l),
            _ => false,
        })
    };
    let h1 = first_heading(Some(1));
    let title_at = h1.or_else(|| {
        if front.title.is_some() {
            None
        } else {
            first_heading(None)
        }
    });
    let mut parts = assemble(&blocks, title_at);
    if parts.paragraphs.is_empty() {
        return Err(CorpusError::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: "no paragraph found".to_string(),
        });
    }
    if title_at.is_none() {
        parts.title = front.title.clone().unwrap_or_default();
    }
    let date = parts
        .date
        .or_else(|| front.date.as_deref().and_then(date::parse_date))
        .or_else(|| date::find_date(&parts.title))
        .or_else(|| date::closing_date(parts.paragraphs.iter().map(|p| p.text.as_str())));
    let lang = front
        .lang
        .as_deref()
        .and_then(lang::from_tag)
        .unwrap_or_else(|| lang::detect_document(&parts.title, &parts.paragraphs));
    Ok(Document {
        twin: None,
        id: txt::id_for_path(path),
        title: parts.title,
        date,
        reference: parts.reference.or(front.reference),
        lang,
        source: front.source,
        url: front.url,
        paragraphs: parts.paragraphs,
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
        },
    })
}

/// The `key: value` lines of a front matter that vigie uses.
#[derive(Debug, Default, PartialEq, Eq)]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
    lang: Option<String>,
    reference: Option<String>,
    source: Option<String>,
    url: Option<String>,
}

impl FrontMatter {
    /// Reads top-level `key: value` lines; values may be quoted; other
    /// lines (nested YAML, lists, comments) are ignored.
    fn parse(text: &str) -> FrontMatter {
        let mut front = FrontMatter::default();
        for line in text.lines() {
            if line.starts_with(char::is_whitespace) {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = unquote(value.trim());
            if value.is_empty() {
                continue;
            }
            let slot = match key.trim().to_ascii_lowercase().as_str() {
                "title" => &mut front.title,
                "date" => &mut front.date,
                "lang" | "language" => &mut front.lang,
                "reference" => &mut front.reference,
                "source" => &mut front.source,
                "url" | "canonical_url" => &mut front.url,
                _ => continue,
            };
            slot.get_or_insert_with(|| value.to_string());
        }
        front
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner.trim();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::path::PathBuf;

    fn path() -> PathBuf {
        PathBuf::from("notes/Déclaration Cyber.md")
    }

    fn numbers_and_texts(doc: &Document) -> Vec<(u64, &str)> {
        doc.paragraphs
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect()
    }

    #[test]
    fn numbered_statement() {
        let text = "\u{feff}# Déclaration sur la **cyberdéfense**\n\n\
                    *19 juillet 2021* — Communiqué de presse (2021) 120\n\n\
                    Partager\n\n\
                    1. Nous observons avec une préoccupation\n   croissante les \
                    [cyberattaques](https://example.org/a).\n\
                    2. Nous condamnons ces actes :\n   - premier point ;\n   - second point.\n\n\
                    ## Intertitre\n\n\
                    3. Nous appelons tous les États à agir.  \n   Avec `fermeté`.\n";
        let doc = parse_markdown(text, &path()).expect("parses");
        assert_eq!(doc.id, "déclaration-cyber");
        assert_eq!(doc.title, "Déclaration sur la cyberdéfense");
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("19 juillet 2021 — Communiqué de presse (2021) 120")
        );
        assert_eq!(doc.lang, "fr");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    1,
                    "Nous observons avec une préoccupation croissante les cyberattaques."
                ),
                (
                    2,
                    "Nous condamnons ces actes :\npremier point ;\nsecond point."
                ),
                (3, "Nous appelons tous les États à agir. Avec fermeté."),
            ]
        );
    }

    #[test]
    fn preamble_sub_points_and_closing_lines_are_kept() {
        // Four numbered paragraphs, four other blocks (list items are not
        // counted): a numbered statement.
        let text = "# Communiqué du sommet\n\n\
                    14 juin 2021 — Communiqué de presse (2021) 86\n\n\
                    Les chefs d'État et de gouvernement ont publié le communiqué suivant.\n\n\
                    1. Nous accroîtrons nos stocks de munitions.\n\n\
                    Un sous-paragraphe non numéroté.\n\n\
                    - premier engagement ;\n- Partager\n- second engagement.\n\n\
                    a) en coopération avec l'industrie.\n\n\
                    ## Intertitre\n\n\
                    2. Nous restons unis.\n\
                    3. Nous nous réunirons en 2022.\n\
                    4. Nous remercions nos hôtes.\n\n\
                    Fait à Bruxelles, le 14 juin 2021.\n";
        let doc = parse_markdown(text, &path()).expect("parses");
        assert_eq!(doc.title, "Communiqué du sommet");
        assert_eq!(doc.date, Some(date(2021, 6, 14)));
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    0,
                    "Les chefs d'État et de gouvernement ont publié le communiqué suivant."
                ),
                (
                    1,
                    "Nous accroîtrons nos stocks de munitions.\n\
                     Un sous-paragraphe non numéroté.\n\
                     premier engagement ;\nsecond engagement.\n\
                     a) en coopération avec l'industrie."
                ),
                (2, "Nous restons unis."),
                (3, "Nous nous réunirons en 2022."),
                (
                    4,
                    "Nous remercions nos hôtes.\nFait à Bruxelles, le 14 juin 2021."
                ),
            ]
        );
    }

    #[test]
    fn ordered_list_start_and_escaped_numbers() {
        let text = "# Titre\n\n5. Cinquième.\n6. Sixième.\n\n7\\. Septième, écrit à la main.\n";
        let doc = parse_markdown(text, &path()).expect("parses");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (5, "Cinquième."),
                (6, "Sixième."),
                (7, "Septième, écrit à la main.")
            ]
        );
    }

    #[test]
    fn documentation_is_positional() {
        let text = "Introduction\n============\n\nUn paragraphe\nsur deux lignes.\n\n\
                    ## Installer\n\n- Ouvrez un terminal.\n- Tapez la commande :\n\n\
                    ```sh\napt install vigie\n```\n\n\
                    ![logo](logo.png) Texte après l'image.\n\n\
                    | a | b |\n|---|---|\n| 1 | 2 |\n\n\
                    1. une seule étape\n";
        let doc = parse_markdown(text, &path()).expect("parses");
        assert_eq!(doc.title, "Introduction");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (1, "Un paragraphe sur deux lignes."),
                (2, "Ouvrez un terminal."),
                (3, "Tapez la commande :"),
                (4, "apt install vigie"),
                (5, "Texte après l'image."),
                (6, "a b"),
                (7, "1 2"),
                (8, "une seule étape"),
            ]
        );
    }

    #[test]
    fn front_matter() {
        let text = "---\ntitle: \"Appel de Paris\"\ndate: 2018-11-12\nlang: en-GB\n\
                    url: https://example.org/appel\nsource: Paris Call\ntags:\n  - cyber\n---\n\n\
                    Nous appelons à la confiance et à la sécurité dans le cyberespace.\n";
        let doc = parse_markdown(text, &path()).expect("parses");
        assert_eq!(doc.title, "Appel de Paris");
        assert_eq!(doc.date, Some(date(2018, 11, 12)));
        assert_eq!(doc.lang, "en");
        assert_eq!(doc.url.as_deref(), Some("https://example.org/appel"));
        assert_eq!(doc.source.as_deref(), Some("Paris Call"));
        assert_eq!(doc.paragraphs.len(), 1);
    }

    #[test]
    fn english_is_detected() {
        let text = "# Statement on cyber threats\n\n\
                    We are deeply concerned by the growing number of malicious cyber \
                    activities. We condemn these acts and we stand with our partners.\n";
        assert_eq!(parse_markdown(text, &path()).expect("parses").lang, "en");
    }

    #[test]
    fn no_paragraph_is_malformed() {
        for text in [
            "",
            "# Titre seul",
            "---\ntitle: x\n---\n",
            "<div>html</div>",
            "Partager",
        ] {
            assert!(
                matches!(
                    parse_markdown(text, &path()),
                    Err(CorpusError::Malformed { .. })
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn odd_input() {
        for text in [
            "0. zéro\n",
            "18446744073709551615. max\n19. x",
            &">".repeat(10_000),
            &"- ".repeat(5_000),
            &"[".repeat(10_000),
            &"*a ".repeat(10_000),
        ] {
            let _ = parse_markdown(text, &path());
        }
    }
}
