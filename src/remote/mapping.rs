//! The remote index: its settings and mappings, and a paragraph as a JSON
//! document holding vigie's own terms.
//!
//! OpenSearch gets no French analysis of its own. Each analysed field of a
//! paragraph is sent as the terms vigie's analyzer gives, joined by
//! spaces, into a field whose analyzer only splits on whitespace
//! ([`TERMS_ANALYZER`]): the cluster indexes the very terms of the local
//! index. Positions are kept for phrases: the *main* field (`body`) holds
//! one term per position, in position order (the first one-position term
//! there; `_` where the analyzer left a position empty); every other term
//! at a position — the joined form of a compound (`cyberdefens`, spanning
//! the positions of its parts `cyb` `defens`), the acronym term `=otan`,
//! an elided form kept whole beside its remainder — goes to the *alt*
//! field (`body_alt`), which single-term queries search too and phrases do
//! not. A whitespace analyzer cannot put two terms at one position; this
//! split gives the same phrase matches as long as no phrase needs a joined
//! form next to another word (the local index never has one there either:
//! the parts fill the compound's positions). The paragraph's original
//! text and metadata are stored in `_source`; the term fields are left
//! out of it.

use serde_json::{json, Map, Value};
use tantivy::tokenizer::{TextAnalyzer, Token};

use crate::analysis::{self, acronym::ACRONYM_MARK};

/// Version of the remote documents' shape; an index pushed with another
/// one is refused (push with `--recreate`).
pub const MAPPING_VERSION: u64 = 1;

/// Name of the whitespace-only analyzer of the term fields.
pub const TERMS_ANALYZER: &str = "vigie_terms";

/// The filler term of a position the analyzer left empty.
pub const FILLER: &str = "_";

/// The analysed fields: paragraph text in French (`body`) and English
/// (`body_en`) stems, folded unstemmed forms (`body_exact`), and the
/// statement's title (French stems), source and reference (folded forms).
/// Each has its `_alt` companion.
pub const TERM_FIELDS: [&str; 6] = [
    "body",
    "body_en",
    "body_exact",
    "title_terms",
    "source_terms",
    "reference_terms",
];

/// The stored fields a hit is built from.
pub const STORED_FIELDS: [&str; 9] = [
    "statement_id",
    "paragraph",
    "title",
    "date",
    "reference",
    "lang",
    "source",
    "url",
    "text",
];

/// Settings and mappings of the paragraph index, with `shards` primary
/// shards and `replicas` replicas of each.
pub fn index_body(shards: u32, replicas: u32) -> Value {
    let mut properties = Map::new();
    for f in TERM_FIELDS {
        let field = json!({"type": "text", "analyzer": TERMS_ANALYZER, "norms": true});
        properties.insert(f.to_string(), field.clone());
        properties.insert(format!("{f}_alt"), field);
    }
    let stored_only = json!({"type": "keyword", "index": false, "doc_values": false});
    properties.insert("statement_id".into(), json!({"type": "keyword"}));
    properties.insert("paragraph".into(), json!({"type": "long"}));
    properties.insert("lang".into(), json!({"type": "keyword"}));
    properties.insert(
        "date".into(),
        json!({"type": "date", "format": "yyyy-MM-dd"}),
    );
    for f in ["title", "reference", "source", "url"] {
        properties.insert(f.into(), stored_only.clone());
    }
    properties.insert("text".into(), json!({"type": "text", "index": false}));
    let excludes: Vec<String> = TERM_FIELDS
        .iter()
        .flat_map(|f| [f.to_string(), format!("{f}_alt")])
        .collect();
    json!({
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": {
                // Whitespace splits words longer than 255 characters by
                // default; vigie's terms go in whole (Lucene refuses a term
                // past 32,766 bytes: that document is reported rejected).
                "tokenizer": {"vigie_whitespace": {"type": "whitespace", "max_token_length": 1_048_576}},
                "analyzer": {TERMS_ANALYZER: {"type": "custom", "tokenizer": "vigie_whitespace"}}
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"vigie_mapping": MAPPING_VERSION, "analyzer_version": analysis::ANALYZER_VERSION},
            "_source": {"excludes": excludes},
            "properties": properties
        }
    })
}

/// Settings and mappings of the companion index that records, per
/// statement, the content hash of what the cluster acknowledged.
pub fn meta_index_body(shards: u32, replicas: u32) -> Value {
    json!({
        "settings": {"number_of_shards": shards, "number_of_replicas": replicas},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "statement_id": {"type": "keyword"},
                "hash": {"type": "keyword"}
            }
        }
    })
}

/// The terms of `tokens` as the main field's text (one term per position,
/// in order, [`FILLER`] for an empty position) and the alt field's text
/// (every other term). Acronym terms (`=otan`) always go to alt.
pub fn split_positions(tokens: &[Token]) -> (String, String) {
    let mut main: Vec<Option<&str>> = Vec::new();
    let mut alt: Vec<&str> = Vec::new();
    for t in tokens {
        if t.text.is_empty() || t.text.contains(char::is_whitespace) {
            continue;
        }
        let p = t.position;
        if main.len() <= p {
            main.resize(p + 1, None);
        }
        if t.position_length == 1 && !t.text.starts_with(ACRONYM_MARK) && main[p].is_none() {
            main[p] = Some(&t.text);
        } else {
            alt.push(&t.text);
        }
    }
    let main: Vec<&str> = main.into_iter().map(|t| t.unwrap_or(FILLER)).collect();
    (main.join(" "), alt.join(" "))
}

/// Puts the terms `analyzer` gives for `text` into `field` and `field_alt`.
fn put_terms(doc: &mut Map<String, Value>, field: &str, analyzer: &mut TextAnalyzer, text: &str) {
    let (main, alt) = split_positions(&analysis::tokens(analyzer, text));
    doc.insert(field.to_string(), Value::String(main));
    doc.insert(format!("{field}_alt"), Value::String(alt));
}

/// A statement's metadata, as stored with each of its paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementMeta {
    /// Statement id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Reference line.
    pub reference: Option<String>,
    /// Language code.
    pub lang: String,
    /// Source (publisher).
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
}

/// The analyzers a paragraph document is built with (made once, reused).
pub struct Analyzers {
    french: TextAnalyzer,
    english: TextAnalyzer,
    exact: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            french: analysis::french(),
            english: analysis::english(),
            exact: analysis::french_exact(),
        }
    }
}

/// The document id of paragraph `number` of statement `id`: `id#number`,
/// or, past OpenSearch's 512-byte limit, the XXH64 of the id in hex.
pub fn paragraph_key(id: &str, number: u64) -> String {
    let key = format!("{id}#{number}");
    if key.len() <= 500 {
        key
    } else {
        format!(
            "xxh64:{:016x}#{number}",
            crate::index::Xxh64::hash(id.as_bytes())
        )
    }
}

/// The document id of a statement in the hash index ([`paragraph_key`]'s rule).
pub fn statement_key(id: &str) -> String {
    if id.len() <= 500 {
        id.to_string()
    } else {
        format!("xxh64:{:016x}", crate::index::Xxh64::hash(id.as_bytes()))
    }
}

/// Paragraph `number` (`text` as in the source) of `meta` as a JSON
/// document: metadata, original text, and every analysed field's terms.
/// English statements get English stems in `body_en` (and an empty
/// `body`), the others French stems in `body`, as in the local index.
pub fn paragraph_doc(
    analyzers: &mut Analyzers,
    meta: &StatementMeta,
    number: u64,
    text: &str,
) -> Value {
    let mut doc = Map::new();
    doc.insert("statement_id".into(), json!(meta.id));
    doc.insert("paragraph".into(), json!(number));
    doc.insert("title".into(), json!(meta.title));
    doc.insert("date".into(), json!(meta.date));
    doc.insert("reference".into(), json!(meta.reference));
    doc.insert("lang".into(), json!(meta.lang));
    doc.insert("source".into(), json!(meta.source));
    doc.insert("url".into(), json!(meta.url));
    doc.insert("text".into(), json!(text));
    if analysis::is_english(&meta.lang) {
        put_terms(&mut doc, "body_en", &mut analyzers.english, text);
    } else {
        put_terms(&mut doc, "body", &mut analyzers.french, text);
    }
    put_terms(&mut doc, "body_exact", &mut analyzers.exact, text);
    put_terms(&mut doc, "title_terms", &mut analyzers.french, &meta.title);
    if let Some(s) = &meta.source {
        put_terms(&mut doc, "source_terms", &mut analyzers.exact, s);
    }
    if let Some(r) = &meta.reference {
        put_terms(&mut doc, "reference_terms", &mut analyzers.exact, r);
    }
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, analyzer: &mut TextAnalyzer) -> (String, String) {
        split_positions(&analysis::tokens(analyzer, text))
    }

    #[test]
    fn compounds_keep_their_parts_in_place_and_their_joined_form_apart() {
        // "cybermenaces" is one word: its parts take two positions, the
        // next word the third; the joined form is searchable on its own.
        let (main, alt) = fields("les cybermenaces graves", &mut analysis::french());
        assert_eq!(main, "le cyb menac grav");
        assert_eq!(alt, "cybermenac");
    }

    #[test]
    fn acronyms_in_capitals_go_to_the_alt_field() {
        let (main, alt) = fields("l'OTAN et l'ONU", &mut analysis::french_exact());
        assert!(alt.split(' ').any(|t| t == "=otan"), "{alt}");
        assert!(!main.contains('='), "{main}");
        // One term per position in main.
        assert_eq!(main.split(' ').count(), 3, "{main}");
    }

    #[test]
    fn documents_carry_metadata_and_the_right_language_field() {
        let mut a = Analyzers::default();
        let meta = StatementMeta {
            id: "s1".into(),
            title: "Cyberdéfense".into(),
            lang: "en".into(),
            ..StatementMeta::default()
        };
        let doc = paragraph_doc(&mut a, &meta, 3, "Allies condemn attacks");
        assert_eq!(doc["statement_id"], "s1");
        assert_eq!(doc["paragraph"], 3);
        assert_eq!(doc["body_en"], "alli condemn attack");
        assert!(doc.get("body").is_none());
        assert_eq!(doc["text"], "Allies condemn attacks");
    }

    #[test]
    fn long_ids_are_hashed_into_keys() {
        assert_eq!(paragraph_key("a", 2), "a#2");
        let long = "x".repeat(600);
        assert!(paragraph_key(&long, 2).starts_with("xxh64:"));
        assert!(paragraph_key(&long, 2).len() < 40);
        assert_eq!(statement_key("a"), "a");
    }

    #[test]
    fn the_mapping_excludes_term_fields_from_source() {
        let body = index_body(3, 1);
        assert_eq!(body["settings"]["number_of_shards"], 3);
        let excludes = body["mappings"]["_source"]["excludes"].as_array().unwrap();
        assert!(excludes.contains(&json!("body_alt")));
        assert!(!excludes.contains(&json!("text")));
    }
}
