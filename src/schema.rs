//! The index schema: which fields a paragraph document has, and how each is
//! analysed.
//!
//! The schema is declared in `index-schema/schema.toml` (compiled into the
//! binary with `include_str!`) and turned into a Tantivy [`Schema`] here.
//! [`Fields`] gives typed handles to the fields the rest of the crate uses,
//! so a field renamed in the file but not in the code fails at start-up
//! with a message, not at query time.

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, STORED, STRING,
};

/// The declarative schema file, as shipped.
pub const SCHEMA_TOML: &str = include_str!("../index-schema/schema.toml");

/// Errors in the schema description (a bug in the shipped file, or a
/// mismatch between the file and the code).
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The TOML does not parse or has the wrong shape.
    #[error("index-schema/schema.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// A field has an unknown type or inconsistent options.
    #[error("index-schema/schema.toml: field `{field}`: {message}")]
    Field {
        /// Field name.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A field the code needs is missing.
    #[error("index-schema/schema.toml: missing field `{0}`")]
    Missing(&'static str),
}

/// Parsed `index-schema/schema.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct SchemaSpec {
    /// Schema version, recorded in every index.
    pub version: u32,
    /// Analyzer version the schema expects (see `analysis::ANALYZER_VERSION`).
    pub analyzer_version: u32,
    /// Fields, in order.
    #[serde(rename = "field")]
    pub fields: Vec<FieldSpec>,
}

/// One field of [`SchemaSpec`].
#[derive(Debug, Clone, Deserialize)]
pub struct FieldSpec {
    /// Field name.
    pub name: String,
    /// `string`, `text`, `u64` or `date`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Registered analyzer name (text fields).
    pub analyzer: Option<String>,
    /// Whether positions are indexed (text fields).
    #[serde(default)]
    pub positions: bool,
    /// Whether the field is searchable.
    #[serde(default)]
    pub indexed: bool,
    /// Whether the field is stored.
    #[serde(default)]
    pub stored: bool,
    /// Whether the field is a fast (columnar) field.
    #[serde(default)]
    pub fast: bool,
    /// What the field holds.
    #[serde(default)]
    pub doc: String,
}

impl SchemaSpec {
    /// Parses the shipped schema file.
    ///
    /// # Errors
    /// [`SchemaError::Parse`] if the file is malformed.
    pub fn shipped() -> Result<SchemaSpec, SchemaError> {
        Ok(toml::from_str(SCHEMA_TOML)?)
    }

    /// Builds the Tantivy schema described by this spec.
    ///
    /// # Errors
    /// [`SchemaError::Field`] for an unknown type or a text field without an
    /// analyzer.
    pub fn build(&self) -> Result<Schema, SchemaError> {
        let mut builder = Schema::builder();
        for f in &self.fields {
            let err = |message: &str| SchemaError::Field {
                field: f.name.clone(),
                message: message.to_string(),
            };
            match f.kind.as_str() {
                "string" => {
                    let mut opts = if f.indexed {
                        STRING
                    } else {
                        TextOptions::default()
                    };
                    if f.stored {
                        opts = opts | STORED;
                    }
                    if f.fast {
                        opts = opts.set_fast("raw");
                    }
                    builder.add_text_field(&f.name, opts);
                }
                "text" => {
                    let analyzer = f
                        .analyzer
                        .as_deref()
                        .ok_or_else(|| err("text field needs `analyzer`"))?;
                    let record = if f.positions {
                        IndexRecordOption::WithFreqsAndPositions
                    } else {
                        IndexRecordOption::WithFreqs
                    };
                    let indexing = TextFieldIndexing::default()
                        .set_tokenizer(analyzer)
                        .set_index_option(record);
                    let mut opts = TextOptions::default().set_indexing_options(indexing);
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    builder.add_text_field(&f.name, opts);
                }
                "u64" => {
                    let mut opts = NumericOptions::default();
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    builder.add_u64_field(&f.name, opts);
                }
                "date" => {
                    let mut opts = DateOptions::default().set_precision(DateTimePrecision::Seconds);
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    builder.add_date_field(&f.name, opts);
                }
                other => return Err(err(&format!("unknown type `{other}`"))),
            }
        }
        Ok(builder.build())
    }
}

/// A paragraph's place in its statement, as stored in the
/// `statement_span` fast field: one `u64` so that the ranking reads it
/// with one column access per statement.
///
/// Layout: bit 0 `english`, bits 1–20 `position`, bits 21–40 `size`: small
/// values, so that the column stays narrow (Tantivy packs it with as many
/// bits as its largest value needs). Sizes and positions beyond
/// 2²⁰ − 1 (1,048,575 paragraphs in one statement) are clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementSpan {
    /// 0-based position of the paragraph among its statement's paragraphs.
    pub position: u32,
    /// Number of paragraphs of the statement.
    pub size: u32,
    /// Whether the statement is in English.
    pub english: bool,
}

impl StatementSpan {
    /// Largest position or size stored.
    pub const MAX: u32 = (1 << 20) - 1;

    /// The stored value.
    pub fn encode(self) -> u64 {
        let position = u64::from(self.position.min(Self::MAX));
        let size = u64::from(self.size.min(Self::MAX));
        u64::from(self.english) | position << 1 | size << 21
    }

    /// The span of a stored value.
    pub fn decode(value: u64) -> StatementSpan {
        let max = u64::from(Self::MAX);
        StatementSpan {
            position: ((value >> 1) & max) as u32,
            size: ((value >> 21) & max) as u32,
            english: value & 1 == 1,
        }
    }
}

/// Typed handles to the fields of a built schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Statement id (raw string).
    pub doc_id: Field,
    /// Paragraph number (u64).
    pub paragraph: Field,
    /// The paragraph's place in its statement (u64, fast; see
    /// [`StatementSpan`]).
    pub statement_span: Field,
    /// XXH64 of the paragraph's text, whitespace runs as single spaces
    /// (u64, fast): equal for word-for-word copies.
    pub text_hash: Field,
    /// Title (French analyzer).
    pub title: Field,
    /// Date (day precision).
    pub date: Field,
    /// Reference line.
    pub reference: Field,
    /// Language code (raw string).
    pub lang: Field,
    /// Source (publisher).
    pub source: Field,
    /// URL (stored only).
    pub url: Field,
    /// Source file path (raw string).
    pub file: Field,
    /// Twin keys (raw strings, multi-valued).
    pub twin: Field,
    /// Paragraph text as in the source (stored only).
    pub text: Field,
    /// Paragraph text of non-English statements, French stemmed analysis.
    pub body: Field,
    /// Paragraph text of English statements, English stemmed analysis.
    pub body_en: Field,
    /// Paragraph text, unstemmed analysis.
    pub body_exact: Field,
}

impl Fields {
    /// Looks the fields up in `schema`.
    ///
    /// # Errors
    /// [`SchemaError::Missing`] naming the first absent field.
    pub fn new(schema: &Schema) -> Result<Fields, SchemaError> {
        let get = |name: &'static str| {
            schema
                .get_field(name)
                .map_err(|_| SchemaError::Missing(name))
        };
        Ok(Fields {
            doc_id: get("doc_id")?,
            paragraph: get("paragraph")?,
            statement_span: get("statement_span")?,
            text_hash: get("text_hash")?,
            title: get("title")?,
            date: get("date")?,
            reference: get("reference")?,
            lang: get("lang")?,
            source: get("source")?,
            url: get("url")?,
            file: get("file")?,
            twin: get("twin")?,
            text: get("text")?,
            body: get("body")?,
            body_en: get("body_en")?,
            body_exact: get("body_exact")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_span_round_trips() {
        let max = StatementSpan::MAX;
        for span in [
            StatementSpan {
                position: 0,
                size: 1,
                english: false,
            },
            StatementSpan {
                position: 41,
                size: 42,
                english: true,
            },
            StatementSpan {
                position: max - 1,
                size: max,
                english: true,
            },
        ] {
            assert_eq!(StatementSpan::decode(span.encode()), span);
        }
        // Too large: clamped, and the language bit is left alone.
        let big = StatementSpan {
            position: u32::MAX,
            size: u32::MAX,
            english: false,
        };
        let back = StatementSpan::decode(big.encode());
        assert_eq!((back.position, back.size, back.english), (max, max, false));
        // Small statements give small values (a narrow column).
        let small = StatementSpan {
            position: 3,
            size: 10,
            english: true,
        };
        assert!(small.encode() < 1 << 25);
    }

    #[test]
    fn shipped_schema_builds_and_matches_the_analyzer() {
        let spec = SchemaSpec::shipped().unwrap();
        assert_eq!(spec.analyzer_version, crate::analysis::ANALYZER_VERSION);
        let schema = spec.build().unwrap();
        Fields::new(&schema).unwrap();
        for f in &spec.fields {
            if let Some(a) = &f.analyzer {
                assert!(
                    [
                        crate::analysis::FRENCH,
                        crate::analysis::FRENCH_EXACT,
                        crate::analysis::ENGLISH
                    ]
                    .contains(&a.as_str()),
                    "unknown analyzer {a}"
                );
            }
        }
    }
}
