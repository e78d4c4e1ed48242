//! vigie: full-text search over official French-language statements.
//!
//! Data flows one way, one module per step:
//!
//! 1. [`corpus`]: statement files → [`corpus::Document`]s with numbered paragraphs;
//! 2. [`analysis`]: text → terms (elision, compounds, folding, Snowball French);
//! 3. [`schema`]: the index's fields and analyzers, from `index-schema/`;
//! 4. [`index`]: documents → a Tantivy index (create, open, update);
//! 5. [`search`]: a query string → ranked paragraph [`search::Hit`]s with highlights;
//! 6. [`output`]: hits → human or JSON Lines output;
//! 7. [`serve`]: the same search over HTTP, as a JSON API and a web page;
//! 8. [`remote`]: the same search on an OpenSearch cluster (push, search).
//!
//! The CLI (`src/main.rs`, `src/cli.rs`) only wires these together.

#![warn(missing_docs)]

pub mod analysis;
pub mod bench;
pub mod bundled;
pub mod corpus;
pub mod index;
pub mod ingest;
pub mod output;
pub mod remote;
pub mod schema;
pub mod search;
pub mod serve;
pub mod shell;
pub mod thesaurus;
pub mod twins;
