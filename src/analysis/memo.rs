//! The same text analysed again: its tokens replayed instead.
//!
//! A statement's title is indexed with each of its paragraphs (every
//! paragraph carries it, so that a title query finds the statement's
//! paragraphs), so indexing analysed the same title once per paragraph: in
//! a collection of collective agreements, whose titles are long and whose
//! statements have a dozen paragraphs, more text than the paragraphs
//! themselves. [`Memo`] wraps an analyzer: when a text comes a second time
//! in a row it records its tokens, and from the third time on it replays
//! them. A text unlike the one before costs a comparison and a copy of the
//! text, nothing else. The tokens are those the analyzer gives, so the
//! index terms, positions and offsets do not change.

use tantivy::tokenizer::{BoxTokenStream, TextAnalyzer, Token, TokenStream, Tokenizer};

/// An analyzer that replays the tokens of a text analysed just before
/// (see the module docs). Each clone keeps its own memory, as Tantivy
/// gives each field of each indexing thread its own analyzer.
#[derive(Clone)]
pub struct Memo {
    inner: TextAnalyzer,
    /// The last text asked for.
    last: String,
    /// Its tokens, when it was asked for twice in a row.
    tokens: Option<Vec<Token>>,
}

impl Memo {
    /// Wraps `inner`.
    pub fn new(inner: TextAnalyzer) -> Memo {
        Memo {
            inner,
            last: String::new(),
            tokens: None,
        }
    }
}

impl Tokenizer for Memo {
    type TokenStream<'a> = MemoStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoStream<'a> {
        if self.last != text {
            self.last.clear();
            self.last.push_str(text);
            self.tokens = None;
            return MemoStream::Live(self.inner.token_stream(text));
        }
        let tokens = self.tokens.get_or_insert_with(|| {
            let mut stream = self.inner.token_stream(text);
            let mut tokens = Vec::new();
            while stream.advance() {
                tokens.push(stream.token().clone());
            }
            tokens
        });
        MemoStream::Replay {
            tokens,
            next: 0,
            empty: Token::default(),
        }
    }
}

/// The tokens of [`Memo`]: the analyzer's own, or those it recorded.
pub enum MemoStream<'a> {
    /// A text unlike the one before, analysed.
    Live(BoxTokenStream<'a>),
    /// A repeated text: its recorded tokens.
    Replay {
        /// The recorded tokens.
        tokens: &'a [Token],
        /// Index of the token after the current one.
        next: usize,
        /// What [`TokenStream::token`] gives before the first `advance`.
        empty: Token,
    },
}

impl TokenStream for MemoStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            MemoStream::Live(s) => s.advance(),
            MemoStream::Replay { tokens, next, .. } => {
                if *next < tokens.len() {
                    *next += 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    fn token(&self) -> &Token {
        match self {
            MemoStream::Live(s) => s.token(),
            MemoStream::Replay {
                tokens,
                next,
                empty,
            } => next.checked_sub(1).map_or(empty, |i| &tokens[i]),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            MemoStream::Live(s) => s.token_mut(),
            MemoStream::Replay { empty, .. } => {
                // The recorded tokens are shared by the next replays: a
                // filter after the memo would change them. None is ever
                // put after it; a caller asking for a mutable token gets
                // a scratch copy of the current one.
                empty
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(memo: &mut Memo, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = memo.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn a_repeated_text_gives_the_tokens_of_its_first_analysis() {
        let title = "Convention collective nationale des entreprises d’architecture";
        let mut plain = super::super::french();
        let expected: Vec<_> = {
            let mut stream = plain.token_stream(title);
            let mut out = Vec::new();
            while stream.advance() {
                let t = stream.token();
                out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            out
        };
        assert!(
            expected.iter().any(|t| t.0 == "architectur"),
            "{expected:?}"
        );
        let mut memo = Memo::new(super::super::french());
        // Live, recorded, replayed, then live again after another text.
        for round in 0..4 {
            assert_eq!(all(&mut memo, title), expected, "round {round}");
        }
        assert_eq!(
            all(&mut memo, "l’Alliance"),
            // "l’" is 4 bytes (the apostrophe is U+2019), "Alliance" 8.
            [("allianc".to_string(), 0, 4, 12)],
            "another text is analysed, not replayed"
        );
        assert_eq!(all(&mut memo, title), expected, "after another text");
    }
}
