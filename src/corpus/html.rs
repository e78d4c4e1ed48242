//! Statement pages saved from a browser (`.html`, `.htm`).
//!
//! The page is parsed with `scraper` (html5ever, the browser algorithm, so
//! any input gives a tree and entities are decoded) and read as a sequence
//! of text *blocks*: one per block-level element (`p`, `li`, `h1`, `td`,
//! `div` text…), its text with runs of ASCII whitespace collapsed to one
//! space and trimmed (`<br>` counts as a space; non-breaking spaces are kept).
//!
//! **Page chrome is dropped** before anything is read: elements `nav`,
//! `aside`, `footer`, `form`, `button`, `script`, `style`, `noscript`,
//! `template`, `svg`, `iframe`…; elements whose `class` or `id` names
//! navigation, menus, share buttons, social links, cookie banners,
//! breadcrumbs, footers or sidebars; hidden elements (`hidden`,
//! `aria-hidden="true"`, `display: none`) and ARIA landmarks that are not
//! content (`navigation`, `search`, `complementary`, `contentinfo`,
//! `dialog`). The ancestors of the content root and of `h1` headings are
//! never dropped (a `<form>` wrapping a whole ASP.NET page, a `<body
//! class="has-sidebar">`). `header` elements (and `role="banner"`) are only
//! used for the title, date and reference, never for paragraphs.
//!
//! **Content root**: the first `<main>` (or `role="main"`), else the
//! `<article>` holding an `h1` (else the longest one), else the whole body.
//! Paragraphs only come from inside it.
//!
//! [`parse_html`] then extracts:
//! - the **title**: the first `h1` of the content root (preferring one
//!   outside a `header`), else the `<title>` without its site name
//!   (`Déclaration … | NATO` → `Déclaration …`, `NATO - Texte` → `Texte`),
//!   else an `h1` outside the content root;
//! - the **header lines**: the blocks before the first body paragraph that
//!   are date lines, reference lines or chrome lines (`Issued on …`, `|`,
//!   `Share`), as in [`super::txt`], or a short block holding a `<time
//!   datetime>`;
//! - the **date**: from the first header line that has one (a `<time
//!   datetime>` in it, else a date in its text), else from a `<meta>` date
//!   (`article:published_time`, `date`, `dcterms.date`, `DC.date`…), else
//!   in the title, else in `<title>`;
//! - the **reference**: the first header line with `(YYYY) N`;
//! - the **paragraphs** (see [`assemble`]): items of an `<ol>` keep their
//!   number (`start`, `value` and `reversed` are honoured), as do blocks
//!   starting `N.`; headings are never paragraphs. In a numbered statement
//!   nothing else is dropped, as in `.txt` statements: the blocks before
//!   the first numbered one (an introduction) are paragraph **0**, and the
//!   blocks after numbered paragraph `N` — list items, `a)` sub-points,
//!   unnumbered paragraphs, closing lines after the last one — are appended
//!   to it, each on a line of its own (joined with `\n`); so are the blocks
//!   nested in an `<li>` of the `<ol>`;
//! - `lang` from `<html lang>` (or `xml:lang`), else detected
//!   ([`super::lang`]); `url` from `<link rel="canonical">` or `og:url`;
//!   `source` from `og:site_name`.

use std::collections::HashSet;
use std::path::Path;

use jiff::civil::Date;
use scraper::{ElementRef, Html};

use super::{date, lang, txt, CorpusError, Document, Origin, Paragraph};

/// What a block of text is, structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading, with its level (1 to 6). Never a paragraph.
    Heading(u8),
    /// Ordinary text: a paragraph, a table cell, preformatted text…
    Text,
    /// An item of an unordered list (or a paragraph inside one).
    Item,
    /// An item of an ordered list, with its printed number. Its whole
    /// content (nested lists included) is one block; each block nested in
    /// it (paragraph, item of a nested list) is on a line of its own.
    Numbered(u64),
}

/// One block of text of a structured document (HTML or Markdown), in
/// reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its text, whitespace collapsed and trimmed; never empty. The blocks
    /// nested in an ordered-list item are on lines of their own (joined
    /// with `\n`).
    pub text: String,
    /// Inside a page header (`<header>`, `role="banner"`): used for the
    /// title, date and reference, never as a paragraph.
    pub soft: bool,
    /// Inside the content root (always true when there is none).
    pub in_root: bool,
    /// A date given by markup inside the block (`<time datetime>`).
    pub time: Option<Date>,
}

/// How a block element was opened by [`BlockBuilder::open`], to be given
/// back to [`BlockBuilder::close`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A block of its own.
    Block,
    /// The start of a block whose nested blocks are folded into it
    /// (headings, ordered-list items).
    Folding,
    /// Inside a folding block: only a space.
    Folded,
    /// A block inside a folded ordered-list item: a line of its own.
    FoldedLine,
}

/// Builds [`Block`]s from a stream of open/close/text events.
#[derive(Debug, Default)]
pub struct BlockBuilder {
    blocks: Vec<Block>,
    buf: String,
    /// Finished lines of the current block (see [`BlockKind::Numbered`]).
    lines: Vec<String>,
    contexts: Vec<BlockKind>,
    folding: Option<BlockKind>,
    pending_time: Option<Date>,
    /// Depth of open `header`-like elements.
    pub soft_depth: usize,
    /// Whether a content root was chosen.
    pub has_root: bool,
    /// Depth of open content-root elements.
    pub root_depth: usize,
}

impl BlockBuilder {
    /// Appends text to the current block.
    pub fn text(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Appends a space (a line break, a table cell boundary).
    pub fn space(&mut self) {
        self.buf.push(' ');
    }

    /// Records a date given by markup for the current block.
    pub fn time(&mut self, date: Date) {
        self.pending_time.get_or_insert(date);
    }

    /// Ends the current block, if any (a block-level element that is not
    /// read, e.g. a dropped `nav`).
    pub fn boundary(&mut self) {
        if self.folding.is_some() {
            self.space();
        } else {
            let kind = self.contexts.last().copied().unwrap_or(BlockKind::Text);
            self.flush(kind);
        }
    }

    /// Opens a block element of the given kind.
    pub fn open(&mut self, kind: BlockKind) -> Opened {
        if let Some(BlockKind::Numbered(_)) = self.folding {
            self.line_break();
            return Opened::FoldedLine;
        }
        self.boundary();
        if self.folding.is_some() {
            return Opened::Folded;
        }
        match kind {
            BlockKind::Heading(_) | BlockKind::Numbered(_) => {
                self.folding = Some(kind);
                Opened::Folding
            }
            BlockKind::Text if self.contexts.last() == Some(&BlockKind::Item) => {
                self.contexts.push(BlockKind::Item);
                Opened::Block
            }
            _ => {
                self.contexts.push(kind);
                Opened::Block
            }
        }
    }

    /// Closes a block element opened with [`BlockBuilder::open`].
    pub fn close(&mut self, opened: Opened) {
        match opened {
            Opened::Folded => self.space(),
            Opened::FoldedLine => self.line_break(),
            Opened::Folding => {
                let kind = self.folding.take().unwrap_or(BlockKind::Text);
                self.flush(kind);
            }
            Opened::Block => {
                let kind = self.contexts.pop().unwrap_or(BlockKind::Text);
                self.flush(kind);
            }
        }
    }

    /// Ends the last block and returns them all.
    pub fn finish(mut self) -> Vec<Block> {
        let kind = self.folding.take().unwrap_or(BlockKind::Text);
        self.flush(kind);
        self.blocks
    }

    /// Ends the current line of a folded block.
    fn line_break(&mut self) {
        let line = collapse_whitespace(&self.buf);
        self.buf.clear();
        if !line.is_empty() {
            self.lines.push(line);
        }
    }

    fn flush(&mut self, kind: BlockKind) {
        self.line_break();
        if self.lines.is_empty() {
            return;
        }
        let text = self.lines.join("\n");
        self.lines.clear();
        self.blocks.push(Block {
            kind,
            text,
            soft: self.soft_depth > 0,
            in_root: !self.has_root || self.root_depth > 0,
            time: self.pending_time.take(),
        });
    }
}

/// Collapses each run of ASCII whitespace (space, tab, CR, LF, FF) to one
/// space and trims whitespace (any Unicode whitespace) at both ends. Other
/// characters, non-breaking spaces included, are kept.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// Title, date, reference and paragraphs read from blocks by [`assemble`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assembled {
    /// Text of the title block, or empty.
    pub title: String,
    /// Date from the header lines, when one has a date.
    pub date: Option<Date>,
    /// Reference from the header lines (`Communiqué de presse (2021) 120`).
    pub reference: Option<String>,
    /// The paragraphs, numbered.
    pub paragraphs: Vec<Paragraph>,
}

/// Reads title, header lines and paragraphs from the blocks of a
/// structured document; `title_at` is the index of the title block.
///
/// Body blocks are the blocks in the content root, outside page headers,
/// after the title when the title is in the root. The header lines are the
/// blocks before the first body block that is neither a heading nor a meta
/// line (date line, reference line, chrome line as in [`super::txt`], or a
/// short block with a markup date); the date and the reference come from
/// them. In the body, headings and chrome lines (`Share`, `Imprimer`,
/// `Issued on …`) are dropped.
///
/// A body block is *numbered* when it is an ordered-list item or its text
/// starts with `N.` (the number and the whitespace after it are then
/// removed from the text). When the numbered blocks are at least as many
/// as the other body blocks (not counting headings nor unordered-list
/// items, which are sub-points), the statement is numbered, and, as in
/// `.txt` statements, nothing but headings is dropped:
/// - its paragraphs are the numbered blocks with their printed numbers;
///   a number alone (`<p>3.</p>`) takes the next block as its text;
/// - every other block between numbered block `N` and the next one (list
///   items, sub-points, unnumbered paragraphs) or after the last one
///   (closing lines, signature) is appended to paragraph `N` on a line of
///   its own (joined with `\n`);
/// - the blocks before the first numbered one (an introduction) are
///   paragraph **0**, one block per line.
///
/// Otherwise every body block but headings is a paragraph, numbered by
/// position from 1.
pub fn assemble(blocks: &[Block], title_at: Option<usize>) -> Assembled {
    let title_block = title_at.and_then(|i| blocks.get(i));
    let title = title_block.map(|b| b.text.clone()).unwrap_or_default();
    let first = match (title_at, title_block) {
        (Some(i), Some(b)) if b.in_root => i + 1,
        _ => 0,
    };
    let is_body = |b: &Block| b.in_root && !b.soft;
    let body_start = (first..blocks.len())
        .find(|&i| {
            blocks.get(i).is_some_and(|b| {
                is_body(b) && !matches!(b.kind, BlockKind::Heading(_)) && !is_meta_block(b)
            })
        })
        .unwrap_or(blocks.len());
    let header: Vec<&Block> = blocks
        .get(..body_start)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|&(i, b)| Some(i) != title_at && is_meta_block(b))
        .map(|(_, b)| b)
        .collect();
    let date = header
        .iter()
        .find_map(|b| b.time.or_else(|| date::find_date(&b.text)));
    let reference = header.iter().find_map(|b| txt::reference_in(&b.text));
    let body: Vec<&Block> = blocks
        .get(body_start..)
        .unwrap_or_default()
        .iter()
        .filter(|b| is_body(b) && !is_chrome_line(&b.text))
        .collect();

    let (numbered, kept, unnumbered) = numbered_paragraphs(&body);
    let paragraphs = if kept > 0 && kept >= unnumbered {
        numbered
    } else {
        let texts = body
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Heading(_)))
            .map(|b| b.text.clone());
        (1u64..)
            .zip(texts)
            .map(|(number, text)| Paragraph { number, text })
            .collect()
    };
    Assembled {
        title,
        date,
        reference,
        paragraphs,
    }
}

/// The printed number of a block and its text without it.
fn number_of(block: &Block) -> Option<(u64, &str)> {
    match block.kind {
        BlockKind::Numbered(n) => Some((n, block.text.as_str())),
        BlockKind::Heading(_) => None,
        BlockKind::Text | BlockKind::Item => txt::numbered(&block.text),
    }
}

/// A header line: a date, reference or chrome line, or a short block with
/// a markup date. Numbered blocks never are.
fn is_meta_block(block: &Block) -> bool {
    if number_of(block).is_some() {
        return false;
    }
    txt::is_meta(&block.text)
        || (block.time.is_some() && block.text.split_whitespace().count() <= 6)
}

/// `Share`, `Imprimer`, `Issued on …`, a lone `|` (bullet or not):
/// chrome that is text. A leading bullet alone does not make a line chrome
/// (list markers are markup in HTML and Markdown), as in the body of a
/// numbered `.txt` statement ([`txt::is_body_chrome`]).
fn is_chrome_line(text: &str) -> bool {
    txt::is_body_chrome(text)
}

/// Paragraphs of a numbered statement (see [`assemble`]), with the number
/// of numbered paragraphs and of the other blocks that decide whether the
/// statement is numbered: unnumbered blocks other than headings and
/// unordered-list items.
fn numbered_paragraphs(body: &[&Block]) -> (Vec<Paragraph>, usize, usize) {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut preamble: Vec<&str> = Vec::new();
    let mut current: Option<Paragraph> = None;
    let mut unnumbered = 0;
    let flush = |current: &mut Option<Paragraph>, paragraphs: &mut Vec<Paragraph>| {
        if let Some(p) = current.take().filter(|p| !p.text.is_empty()) {
            paragraphs.push(p);
        }
    };
    for block in body {
        if let Some((number, text)) = number_of(block) {
            flush(&mut current, &mut paragraphs);
            current = Some(Paragraph {
                number,
                text: text.to_string(),
            });
            continue;
        }
        match block.kind {
            BlockKind::Heading(_) => continue,
            BlockKind::Item => {}
            BlockKind::Text | BlockKind::Numbered(_) => unnumbered += 1,
        }
        match current.as_mut() {
            Some(p) if p.text.is_empty() => p.text.clone_from(&block.text),
            Some(p) => {
                p.text.push('\n');
                p.text.push_str(&block.text);
            }
            None => preamble.push(&block.text),
        }
    }
    flush(&mut current, &mut paragraphs);
    let kept = paragraphs.len();
    if !preamble.is_empty() {
        paragraphs.insert(
            0,
            Paragraph {
                number: 0,
                text: preamble.join("\n"),
            },
        );
    }
    (paragraphs, kept, unnumbered)
}

/// Parses one saved statement page into a [`Document`] (see the module
/// documentation for what is read where).
///
/// `text` is the decoded page (see [`super::encoding::decode_html`]);
/// `path` gives the id ([`txt::id_for_path`]), the [`Origin`] and error
/// messages. Never panics, whatever the input.
///
/// # Errors
///
/// [`CorpusError::Malformed`] naming `path` when no paragraph is found.
pub fn parse_html(text: &str, path: &Path) -> Result<Document, CorpusError> {
    if let Some(message) = too_deep(text) {
        return Err(CorpusError::Malformed {
            path: path.to_path_buf(),
            line: None,
            message: format!("{message}: not a statement page; skipped"),
        });
    }
    let document = Html::parse_document(text);
    let head = Head::read(&document);
    let blocks = read_blocks(&document);

    let heading_1 = |accept: &dyn Fn(&Block) -> bool| {
        blocks
            .iter()
            .position(|b| b.kind == BlockKind::Heading(1) && accept(b))
    };
    // An h1 outside the content root (a site logo, most often) is only
    // taken when the page has no <title> either.
    let title_at = heading_1(&|b| b.in_root && !b.soft)
        .or_else(|| heading_1(&|b| b.in_root))
        .or_else(|| {
            if head.title.is_some() {
                None
            } else {
                heading_1(&|b| !b.soft).or_else(|| heading_1(&|_| true))
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
    let page_title = head.title.as_deref().map(strip_site_name);
    if parts.title.is_empty() {
        parts.title = page_title.clone().unwrap_or_default();
    }
    let date = parts
        .date
        .or(head.date)
        .or_else(|| date::find_date(&parts.title))
        .or_else(|| page_title.as_deref().and_then(date::find_date))
        .or_else(|| date::closing_date(parts.paragraphs.iter().map(|p| p.text.as_str())));
    let lang = head
        .lang
        .unwrap_or_else(|| lang::detect_document(&parts.title, &parts.paragraphs));
    Ok(Document {
        twin: None,
        id: txt::id_for_path(path),
        title: parts.title,
        date,
        reference: parts.reference,
        lang,
        source: head.site_name,
        url: head.url,
        paragraphs: parts.paragraphs,
        origin: Origin {
            path: path.to_path_buf(),
            line: None,
        },
    })
}

/// What the page says about itself outside its body text.
#[derive(Debug, Default)]
struct Head {
    title: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    site_name: Option<String>,
    date: Option<Date>,
}

impl Head {
    fn read(document: &Html) -> Head {
        let mut head = Head::default();
        for node in document.tree.nodes() {
            let Some(element) = ElementRef::wrap(node) else {
                continue;
            };
            let e = element.value();
            match e.name() {
                "html" if head.lang.is_none() => {
                    head.lang = e
                        .attrs()
                        .find(|(name, _)| matches!(*name, "lang" | "xml:lang"))
                        .and_then(|(_, value)| lang::from_tag(value));
                }
                "title" if head.title.is_none() && in_head(element) => {
                    let title = collapse_whitespace(&element.text().collect::<String>());
                    head.title = (!title.is_empty()).then_some(title);
                }
                "link" if head.url.is_none() => {
                    let canonical = e.attr("rel").is_some_and(|rel| {
                        rel.split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    });
                    if canonical {
                        head.url = non_empty(e.attr("href"));
                    }
                }
                "meta" => {
                    let key = e
                        .attr("property")
                        .or_else(|| e.attr("name"))
                        .or_else(|| e.attr("itemprop"))
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let content = e.attr("content");
                    match key.as_str() {
                        "og:url" if head.url.is_none() => head.url = non_empty(content),
                        "og:site_name" if head.site_name.is_none() => {
                            head.site_name = non_empty(content);
                        }
                        "article:published_time"
                        | "date"
                        | "dcterms.date"
                        | "dc.date"
                        | "dc.date.issued"
                        | "dcterms.issued"
                        | "datepublished"
                            if head.date.is_none() =>
                        {
                            head.date = content.and_then(date::parse_date);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        head
    }
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Deepest tag nesting read: the HTML parser checks the open elements at
/// each tag, so its cost grows with the square of the depth (100,000
/// nested `<div>` took minutes). Statement pages nest a few dozen deep.
pub const MAX_NESTING: usize = 2_000;

/// Most parser work a page may ask for, counted as the sum over its tags
/// of the nesting depth at each (the parser scans the open elements at
/// many tags): a page a few hundred deep holding tens of thousands of
/// tags costs seconds although under [`MAX_NESTING`]. A statement page
/// (thousands of tags, a few dozen deep) needs under a million.
pub const MAX_NESTING_WORK: usize = 4_000_000;

/// Why a page nests too deep to parse: its depth past [`MAX_NESTING`], or
/// its tags times their depth past [`MAX_NESTING_WORK`], counted from the
/// tags without parsing. Start tags open, end tags close; elements that
/// never hold others or that the parser closes when the next one starts
/// (`br`, `img`, `p`, `li`, `td`, `option`…) do not count. (`optgroup`,
/// `rt`, `rb`, `rp` and `rtc` do: outside a `select` or a `ruby`, the
/// parser nests them.)
fn too_deep(text: &str) -> Option<String> {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
        "tbody", "thead", "tfoot", "colgroup", "caption", "head", "body", "html",
    ];
    let bytes = text.as_bytes();
    // The open elements, as the parser keeps them: an end tag closes the
    // nearest open element of its name and those above it; a stray one
    // closes nothing.
    let mut open: Vec<String> = Vec::new();
    let mut work: usize = 0;
    let mut at = 0;
    while let Some(rel) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + rel + 1;
        at = start;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let depth = open.len();
        work = work.saturating_add(depth);
        if work > MAX_NESTING_WORK {
            return Some(format!(
                "tags too many for their nesting (depth {depth} after {} KiB)",
                start / 1024
            ));
        }
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if let Some(at) = open.iter().rposition(|n| *n == name) {
                open.truncate(at);
            }
            continue;
        }
        let end = bytes[name_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |p| name_start + p);
        if end > 0 && bytes[end - 1] == b'/' {
            continue;
        }
        open.push(name);
        if open.len() > MAX_NESTING {
            return Some(format!(
                "tags nested more than {MAX_NESTING} deep (at least {})",
                open.len()
            ));
        }
    }
    None
}

/// Whether the element is inside `<head>` (not an SVG `<title>`).
fn in_head(element: ElementRef<'_>) -> bool {
    element
        .ancestors()
        .any(|a| ElementRef::wrap(a).is_some_and(|a| a.value().name() == "head"))
}

/// `Déclaration … | NATO` → `Déclaration …`; `NATO - Official text: …` →
/// `Official text: …`. A segment is a site name when it has at most three
/// words and 30 bytes and is shorter than the rest of the title; at most
/// one is removed at each end, the end first.
pub fn strip_site_name(title: &str) -> String {
    const SEPARATORS: [&str; 7] = [" | ", " – ", " — ", " - ", " :: ", " · ", " • "];
    let is_site = |s: &str, rest: &str| {
        let (s, rest) = (s.trim(), rest.trim());
        !s.is_empty() && s.len() <= 30 && s.split_whitespace().count() <= 3 && s.len() < rest.len()
    };
    let mut title = collapse_whitespace(title);
    for sep in SEPARATORS {
        if let Some(at) = title.rfind(sep) {
            let (head, tail) = (title.get(..at), title.get(at + sep.len()..));
            if let (Some(head), Some(tail)) = (head, tail) {
                if is_site(tail, head) {
                    title = head.trim().to_string();
                    break;
                }
            }
        }
    }
    for sep in SEPARATORS {
        if let Some(at) = title.find(sep) {
            let (head, tail) = (title.get(..at), title.get(at + sep.len()..));
            if let (Some(head), Some(tail)) = (head, tail) {
                if is_site(head, tail) {
                    title = tail.trim().to_string();
                    break;
                }
            }
        }
    }
    title
}

/// Elements never read, with everything inside them.
fn is_dropped_tag(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "textarea"
            | "button"
            | "input"
            | "option"
            | "datalist"
            | "audio"
            | "video"
            | "nav"
            | "aside"
            | "footer"
            | "form"
            | "dialog"
            | "menu"
    )
}

/// Elements that end a block of text.
fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Whether a word of a `class` or `id` names page chrome.
fn is_chrome_word(word: &str) -> bool {
    const COMPOUNDING: [&str; 7] = [
        "nav",
        "menu",
        "footer",
        "breadcrumb",
        "cookie",
        "sidebar",
        "social",
    ];
    COMPOUNDING
        .iter()
        .any(|w| word.starts_with(w) || word.ends_with(w))
        || word.ends_with("share")
        || matches!(
            word,
            "share"
                | "shares"
                | "sharing"
                | "sharebar"
                | "sharethis"
                | "addthis"
                | "navigation"
                | "skip"
                | "skiplink"
                | "skiplinks"
                | "consent"
                | "gdpr"
                | "pagination"
                | "pager"
                | "toolbar"
                | "related"
                | "newsletter"
                | "subscribe"
                | "popup"
                | "modal"
                | "advert"
                | "advertisement"
                | "ads"
        )
}

/// Whether an element is page chrome to drop with its content.
fn is_chrome_element(e: &scraper::node::Element) -> bool {
    if is_dropped_tag(e.name()) || e.attr("hidden").is_some() {
        return true;
    }
    if e.attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = e.attr("role") {
        let role = role.trim().to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation"
                | "search"
                | "complementary"
                | "contentinfo"
                | "dialog"
                | "alertdialog"
                | "menu"
                | "menubar"
                | "toolbar"
        ) {
            return true;
        }
    }
    [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|value| value.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .any(|w| is_chrome_word(&w.to_lowercase()))
}

/// A page header: read for the title, date and reference only.
fn is_soft_element(e: &scraper::node::Element) -> bool {
    e.name() == "header"
        || e.attr("role")
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("banner"))
}

/// The element paragraphs are read from: the first `<main>` (or
/// `role="main"`), else the `<article>` holding an `h1`, else the longest
/// `<article>`.
fn content_root(document: &Html) -> Option<ElementRef<'_>> {
    let elements = || document.tree.nodes().filter_map(ElementRef::wrap);
    let main = elements().find(|e| {
        e.value().name() == "main"
            || e.value()
                .attr("role")
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
    });
    if main.is_some() {
        return main;
    }
    let articles: Vec<ElementRef<'_>> = elements()
        .filter(|e| e.value().name() == "article")
        .collect();
    articles
        .iter()
        .copied()
        .find(|a| {
            a.descendants()
                .filter_map(ElementRef::wrap)
                .any(|e| e.value().name() == "h1")
        })
        .or_else(|| {
            articles
                .iter()
                .copied()
                .max_by_key(|a| a.text().map(str::len).sum::<usize>())
        })
}

/// How to undo what opening an element did.
#[derive(Debug, Clone, Copy)]
struct Undo {
    block: Option<Opened>,
    soft: bool,
    root: bool,
    list: bool,
}

#[derive(Debug, Clone, Copy)]
struct ListState {
    ordered: bool,
    next: i64,
    step: i64,
}

/// Walks the page (iteratively: any nesting depth) and returns its blocks.
fn read_blocks(document: &Html) -> Vec<Block> {
    let root = content_root(document);
    // Never dropped: the content root, the h1 headings and their ancestors.
    let protected: HashSet<_> = root
        .into_iter()
        .chain(
            document
                .tree
                .nodes()
                .filter_map(ElementRef::wrap)
                .filter(|e| e.value().name() == "h1"),
        )
        .flat_map(|e| std::iter::once(*e).chain(e.ancestors()))
        .map(|n| n.id())
        .collect();
    let root_id = root.map(|r| r.id());

    let mut builder = BlockBuilder {
        has_root: root.is_some(),
        ..BlockBuilder::default()
    };
    let mut lists: Vec<ListState> = Vec::new();
    let mut stack = vec![(document.tree.root(), None::<Undo>)];
    while let Some((node, undo)) = stack.pop() {
        if let Some(undo) = undo {
            if let Some(opened) = undo.block {
                builder.close(opened);
            }
            if undo.soft {
                builder.soft_depth = builder.soft_depth.saturating_sub(1);
            }
            if undo.root {
                builder.root_depth = builder.root_depth.saturating_sub(1);
            }
            if undo.list {
                lists.pop();
            }
            continue;
        }
        if let Some(text) = node.value().as_text() {
            builder.text(text);
            continue;
        }
        let Some(element) = ElementRef::wrap(node) else {
            // The document node: read its children.
            stack.extend(node.children().rev().map(|child| (child, None)));
            continue;
        };
        let e = element.value();
        let name = e.name();
        if is_chrome_element(e) && !protected.contains(&node.id()) {
            if is_block_tag(name) {
                builder.boundary();
            }
            continue;
        }
        match name {
            "br" => builder.space(),
            "hr" => builder.boundary(),
            "time" => {
                if let Some(d) = e.attr("datetime").and_then(date::parse_date) {
                    builder.time(d);
                }
            }
            _ => {}
        }
        let mut undo = Undo {
            block: None,
            soft: false,
            root: false,
            list: false,
        };
        if is_soft_element(e) {
            builder.soft_depth += 1;
            undo.soft = true;
        }
        let is_root = Some(node.id()) == root_id;
        if is_root && is_block_tag(name) {
            // Text before the root belongs outside it.
            builder.boundary();
        }
        if is_root {
            builder.root_depth += 1;
            undo.root = true;
        }
        if matches!(name, "ol" | "ul" | "menu" | "dir") {
            lists.push(list_state(element));
            undo.list = true;
        }
        if is_block_tag(name) {
            let kind = match name {
                "h1" => BlockKind::Heading(1),
                "h2" => BlockKind::Heading(2),
                "h3" => BlockKind::Heading(3),
                "h4" => BlockKind::Heading(4),
                "h5" => BlockKind::Heading(5),
                "h6" => BlockKind::Heading(6),
                "li" => list_item(e, lists.last_mut()),
                _ => BlockKind::Text,
            };
            undo.block = Some(builder.open(kind));
        } else if matches!(name, "td" | "th") {
            builder.space();
        }
        stack.push((node, Some(undo)));
        stack.extend(node.children().rev().map(|child| (child, None)));
    }
    builder.finish()
}

/// State of a list being read: `start`, `reversed` of an `<ol>`.
fn list_state(list: ElementRef<'_>) -> ListState {
    let e = list.value();
    let ordered = e.name() == "ol";
    let reversed = ordered && e.attr("reversed").is_some();
    let start = e.attr("start").and_then(|s| s.trim().parse::<i64>().ok());
    let (next, step) = if reversed {
        let items = list
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| c.value().name() == "li")
            .count();
        (
            start.unwrap_or_else(|| i64::try_from(items).unwrap_or(i64::MAX)),
            -1,
        )
    } else {
        (start.unwrap_or(1), 1)
    };
    ListState {
        ordered,
        next,
        step,
    }
}

/// The kind of an `<li>`: numbered in an ordered list (its `value`, else
/// the list's next number), else a plain item.
fn list_item(e: &scraper::node::Element, list: Option<&mut ListState>) -> BlockKind {
    let Some(list) = list.filter(|l| l.ordered) else {
        return BlockKind::Item;
    };
    let number = e
        .attr("value")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(list.next);
    list.next = number.saturating_add(list.step);
    match u64::try_from(number) {
        Ok(n) if n >= 1 => BlockKind::Numbered(n),
        _ => BlockKind::Item,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::path::PathBuf;

    fn path() -> PathBuf {
        PathBuf::from("pages/test-page.html")
    }

    fn numbers_and_texts(doc: &Document) -> Vec<(u64, &str)> {
        doc.paragraphs
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect()
    }

    const STATEMENT: &str = r#"<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="utf-8">
<title>Déclaration sur la cyberdéfense | NATO</title>
<link rel="canonical" href="https://example.org/st/1">
<meta property="og:site_name" content="OTAN">
<style>.x { color: red }</style><script>var menu = "Accueil";</script>
</head><body class="has-sidebar">
<div id="cookie-banner">Nous utilisons des cookies. <button>Accepter</button></div>
<header class="site"><a href="/">OTAN</a><nav><a>Accueil</a> <a>Actualités</a></nav></header>
<ol class="breadcrumb"><li>Accueil</li><li>Textes officiels</li></ol>
<div class="content">
  <h1>Déclaration<br>sur la   cyberdéfense</h1>
  <ul class="meta">
    <li>19 Jul. 2021 -</li><li>|</li>
    <li>Communiqué de presse (2021) 120</li>
    <li>Issued on 19 Jul. 2021</li>
  </ul>
  <div class="share-buttons"><a>Partager</a> <a>Twitter</a></div>
  <p>Les chefs d'État ont publié la déclaration suivante :</p>
  <p>1.&nbsp;&nbsp;&nbsp; Nous observons avec une   préoccupation
     croissante la multiplication des &laquo;&nbsp;cyberattaques&nbsp;&raquo;.</p>
  <h2>Intertitre</h2>
  <p><strong>2.</strong> Nous condamnons ces actes :</p>
  <ul><li>premier point ;</li><li>second point.</li></ul>
  <p>3.</p><p>Texte du troisième.</p>
  <p>Imprimer</p>
</div>
<aside><h3>Voir aussi</h3><p>Autres textes</p></aside>
<footer><p>© OTAN 2021 — Mentions légales</p></footer>
<script>document.write("Pied de page")</script>
</body></html>"#;

    #[test]
    fn statement_with_chrome() {
        let doc = parse_html(STATEMENT, &path()).expect("parses");
        assert_eq!(doc.id, "test-page");
        assert_eq!(doc.title, "Déclaration sur la cyberdéfense");
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("Communiqué de presse (2021) 120")
        );
        assert_eq!(doc.lang, "fr");
        assert_eq!(doc.url.as_deref(), Some("https://example.org/st/1"));
        assert_eq!(doc.source.as_deref(), Some("OTAN"));
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (0, "Les chefs d'État ont publié la déclaration suivante :"),
                (
                    1,
                    "Nous observons avec une préoccupation croissante la multiplication \
                     des «\u{a0}cyberattaques\u{a0}»."
                ),
                (
                    2,
                    "Nous condamnons ces actes :\npremier point ;\nsecond point."
                ),
                (3, "Texte du troisième."),
            ]
        );
        for p in &doc.paragraphs {
            for chrome in [
                "cookies",
                "Accepter",
                "Accueil",
                "Partager",
                "Imprimer",
                "Voir",
                "Mentions",
                "Issued",
                "Intertitre",
                "Pied",
                "menu",
            ] {
                assert!(!p.text.contains(chrome), "{chrome} in {:?}", p.text);
            }
        }
    }

    #[test]
    fn ordered_lists_keep_their_numbers() {
        let page = r#"<html><body><main>
            <h1>Communiqué</h1>
            <p><time datetime="2020-12-01">1er déc.</time></p>
            <ol start="5"><li>Cinquième <p>en deux</p> parties.</li>
            <li value="9">Neuvième<ul><li>avec un sous-point</li></ul></li>
            <li>Dixième.</li></ol>
            <ol reversed><li>Deux</li><li>Un</li></ol>
            </main></body></html>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "Communiqué");
        assert_eq!(doc.date, Some(date(2020, 12, 1)));
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (5, "Cinquième\nen deux\nparties."),
                (9, "Neuvième\navec un sous-point"),
                (10, "Dixième."),
                (2, "Deux"),
                (1, "Un"),
            ]
        );
    }

    #[test]
    fn introduction_list_and_conclusion_are_all_kept() {
        // The list items outnumber the other blocks: a numbered statement,
        // whose introduction is paragraph 0 and conclusion goes to the last.
        let page = r#"<main><h1>Déclaration de Bruxelles</h1>
            <p>Les ministres de la Défense ont adopté le texte suivant.</p>
            <ol><li>Nous augmenterons la production de munitions.</li>
            <li>Nous renforcerons la défense aérienne.</li>
            <li>Nous soutiendrons nos partenaires.</li></ol>
            <p>Fait à Bruxelles, le 14 juin 2021.</p></main>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "Déclaration de Bruxelles");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    0,
                    "Les ministres de la Défense ont adopté le texte suivant."
                ),
                (1, "Nous augmenterons la production de munitions."),
                (2, "Nous renforcerons la défense aérienne."),
                (
                    3,
                    "Nous soutiendrons nos partenaires.\nFait à Bruxelles, le 14 juin 2021."
                ),
            ]
        );
    }

    #[test]
    fn unnumbered_blocks_belong_to_the_paragraph_before() {
        // Four numbered paragraphs, four other blocks (list items are
        // sub-points, not counted): a numbered statement.
        let page = r#"<article><h1>Communiqué</h1>
            <p>1. Les Alliés s'engagent à :</p>
            <ul><li>accroître leurs stocks ;</li><li>moderniser leurs forces.</li></ul>
            <p>a) en coopération avec l'industrie ;</p>
            <p>Ces engagements seront évalués chaque année.</p>
            <h2>Intertitre</h2>
            <p>• Partager</p><p>|</p>
            <p>Un sous-paragraphe après l'intertitre.</p>
            <p>2. Nous restons unis.</p>
            <p>3. Nous nous réunirons en 2022.</p>
            <p>4. Nous remercions nos hôtes.</p>
            <p>Le Secrétaire général</p></article>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    1,
                    "Les Alliés s'engagent à :\naccroître leurs stocks ;\n\
                     moderniser leurs forces.\na) en coopération avec l'industrie ;\n\
                     Ces engagements seront évalués chaque année.\n\
                     Un sous-paragraphe après l'intertitre."
                ),
                (2, "Nous restons unis."),
                (3, "Nous nous réunirons en 2022."),
                (4, "Nous remercions nos hôtes.\nLe Secrétaire général"),
            ]
        );
    }

    #[test]
    fn header_bullets_are_chrome_body_bullets_are_content() {
        let page = r#"<main><h1>Déclaration</h1>
            <p>• 19 Jul. 2021 -</p><p>• Communiqué de presse (2021) 120</p>
            <p>1. Nous condamnons ces actes.</p>
            <p>• de manière unanime ;</p><p>• Share</p></main>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(
            doc.reference.as_deref(),
            Some("Communiqué de presse (2021) 120")
        );
        assert_eq!(
            numbers_and_texts(&doc),
            vec![(1, "Nous condamnons ces actes.\n• de manière unanime ;")]
        );
    }

    #[test]
    fn documentation_page_is_positional() {
        let page = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>2.2. Valider</title></head>
<body><div class="navheader"><table><tr><td>2. Flux de travail</td>
<td><a href="next.html">Suivant</a></td></tr></table></div>
<div class="sect2"><h2 class="title">2.2. Valider</h2>
<p>Quand vous avez fini d'écrire, vous devez valider votre travail :</p>
<ol><li><p>Ouvrez un terminal.</p></li><li><p>Lancez la commande.</p></li></ol>
<pre class="screen">xmllint --noout
   --valid fichier.xml</pre>
<ul><li><p>Corrigez l'erreur.</p></li></ul>
<p>Cette commande n'affiche rien si le fichier est correct.</p></div>
<div class="navfooter"><p>Précédent | Suivant</p></div></body></html>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "2.2. Valider");
        assert_eq!(doc.date, None);
        assert_eq!(doc.lang, "fr");
        assert_eq!(
            numbers_and_texts(&doc),
            vec![
                (
                    1,
                    "Quand vous avez fini d'écrire, vous devez valider votre travail :"
                ),
                (2, "Ouvrez un terminal."),
                (3, "Lancez la commande."),
                (4, "xmllint --noout --valid fichier.xml"),
                (5, "Corrigez l'erreur."),
                (
                    6,
                    "Cette commande n'affiche rien si le fichier est correct."
                ),
            ]
        );
    }

    #[test]
    fn article_root_header_and_english() {
        let page = r#"<!doctype html><html><head>
<meta property="article:published_time" content="2021-06-14T10:00:00Z">
<title>NATO - Official text: Brussels Summit Communiqué, 14-Jun.-2021</title></head>
<body><header><h1 class="logo">NATO</h1></header>
<article><header><h1>Brussels Summit Communiqué</h1>
<p class="byline">Press Release (2021) 086</p></header>
<p>We, the Heads of State and Government of the 30 members of the North Atlantic
Alliance, have gathered in Brussels to reaffirm our unity.</p>
<p>The threats we face are global and interconnected, and we stand together.</p>
</article>
<article><p>Related: an older article</p></article></body></html>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "Brussels Summit Communiqué");
        assert_eq!(doc.reference.as_deref(), Some("Press Release (2021) 086"));
        assert_eq!(doc.date, Some(date(2021, 6, 14)));
        assert_eq!(doc.lang, "en");
        assert_eq!(doc.paragraphs.len(), 2);
        assert!(doc.paragraphs[0].text.starts_with("We, the Heads"));
    }

    #[test]
    fn title_falls_back_to_the_page_title() {
        let page = "<title>NATO - Official text: Statement on cyber, 19-Jul.-2021</title>\
                    <p>Un texte.</p>";
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "Official text: Statement on cyber, 19-Jul.-2021");
        assert_eq!(doc.date, Some(date(2021, 7, 19)));
        assert_eq!(strip_site_name("Déclaration | OTAN"), "Déclaration");
        assert_eq!(
            strip_site_name("Déclaration commune des ministres – Cyberdéfense"),
            "Déclaration commune des ministres"
        );
        assert_eq!(
            strip_site_name("Site officiel - Déclaration commune des ministres"),
            "Déclaration commune des ministres"
        );
        assert_eq!(strip_site_name("A - B"), "A - B");
        assert_eq!(strip_site_name("  Titre   seul "), "Titre seul");
        assert_eq!(strip_site_name(" | "), "|");
    }

    #[test]
    fn a_logo_heading_outside_the_root_is_not_the_title() {
        let page = r#"<title>Déclaration sur les ports | OTAN</title>
<div class="logo"><h1>OTAN</h1></div>
<main><h2>Déclaration sur les ports</h2><p>Texte.</p></main>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "Déclaration sur les ports");
        let page = r#"<div class="logo"><h1>OTAN</h1></div><main><p>Texte.</p></main>"#;
        assert_eq!(parse_html(page, &path()).expect("parses").title, "OTAN");
    }

    #[test]
    fn protected_wrappers_and_hidden_elements() {
        let page = r#"<body><form id="aspnetForm"><div class="page-with-sidebar">
<h1>Titre</h1><div hidden>caché</div><p style="display: none">invisible</p>
<span aria-hidden="true">icône</span><p>Visible.</p>
<div class="social-links">Suivez-nous</div></div></form></body>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert_eq!(doc.title, "Titre");
        assert_eq!(numbers_and_texts(&doc), vec![(1, "Visible.")]);
    }

    #[test]
    fn lang_attribute_wins() {
        let page = r#"<html xml:lang="en"><body><p>Nous condamnons ces actes de
            cybermalveillance avec la plus grande fermeté.</p></body></html>"#;
        assert_eq!(parse_html(page, &path()).expect("parses").lang, "en");
        let page = r#"<html lang=""><body><p>Nous condamnons ces actes de
            cybermalveillance avec la plus grande fermeté.</p></body></html>"#;
        assert_eq!(parse_html(page, &path()).expect("parses").lang, "fr");
    }

    #[test]
    fn no_paragraph_is_malformed() {
        for page in [
            "",
            "<html></html>",
            "<h1>Titre seul</h1>",
            "<nav><p>menu</p></nav>",
            "<p>Partager</p>",
            "<script>x</script>",
        ] {
            assert!(
                matches!(
                    parse_html(page, &path()),
                    Err(CorpusError::Malformed { .. })
                ),
                "{page:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let page = format!(
            "{}<p>1. Profond.</p>{}",
            "<div>".repeat(MAX_NESTING - 10),
            "</div>".repeat(MAX_NESTING - 10)
        );
        let doc = parse_html(&page, &path()).expect("parses");
        assert_eq!(numbers_and_texts(&doc), vec![(1, "Profond.")]);
        let page = "<ol>".repeat(MAX_NESTING - 10) + "<li>x";
        let _ = parse_html(&page, &path());
        // Deeper is refused before parsing, with the limit.
        let page = "<div>".repeat(MAX_NESTING + 1) + "<p>1. Trop profond.</p>";
        let err = parse_html(&page, &path()).expect_err("too deep");
        assert!(
            err.to_string().contains("nested more than 2000 deep"),
            "{err}"
        );
    }

    #[test]
    fn elements_the_parser_nests_outside_their_parent_count_as_nesting() {
        // Found by the html_nesting fuzz target: outside a select or a
        // ruby, the parser nests these, and 30,000 deep took a minute.
        for tag in ["optgroup", "rt", "rb", "rp", "rtc"] {
            let page = format!("<{tag}>").repeat(30_000) + "<p>1. Texte.</p>";
            let err = parse_html(&page, &path()).expect_err("too deep");
            assert!(err.to_string().contains("nested more than"), "{tag}: {err}");
        }
        // Inside their parent they close each other and do not nest.
        let page = format!(
            "<p>1. Un mot <ruby>{}</ruby>.</p>",
            "漢<rt>kan</rt>".repeat(500)
        );
        assert!(parse_html(&page, &path()).is_ok());
    }

    #[test]
    fn many_tags_deep_in_a_page_are_refused_before_parsing() {
        // Found by the html_nesting fuzz target: 1,920 nested div, then
        // 65,536 stray end tags, each checked against the open elements.
        let page = "<div>".repeat(1_920) + &"</h1>".repeat(65_536) + "<p>1. Texte.</p>";
        let err = parse_html(&page, &path()).expect_err("too much work");
        assert!(
            err.to_string().contains("too many for their nesting"),
            "{err}"
        );
        // Likewise 240 nested <math> (foreign content, dearer to close)
        // then 43,000 stray </div> (2.8 s under the fuzzer's sanitizer).
        let page = "<math>".repeat(240) + &"</div>".repeat(43_000) + "<p>1. Texte.</p>";
        let err = parse_html(&page, &path()).expect_err("too much work");
        assert!(
            err.to_string().contains("too many for their nesting"),
            "{err}"
        );
        // A long but shallow page is read.
        let page = "<div><p>1. Un paragraphe.</p></div>".repeat(20_000);
        assert!(parse_html(&page, &path()).is_ok());
    }

    #[test]
    fn whitespace() {
        assert_eq!(collapse_whitespace("  a \n\t b  "), "a b");
        assert_eq!(collapse_whitespace("\u{a0}a\u{a0} b\u{a0}"), "a\u{a0} b");
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    #[test]
    fn odd_list_numbers() {
        let page = r#"<ol start="-3"><li>négatif</li></ol>
            <ol start="9223372036854775807"><li>grand</li><li>après</li></ol>"#;
        let doc = parse_html(page, &path()).expect("parses");
        assert!(!doc.paragraphs.is_empty());
    }
}
