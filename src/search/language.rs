//! The language a query shows by its own wording, before any index is
//! read: a French query says so with its function words (`point de
//! contact`), its elided articles (`l'Alliance`) and its accents
//! (`cyber-défense`); an English one with its own function words (`rule
//! of law`). Rule 4 of the ranking ([`super::rank`]) otherwise decides
//! the query's language by where its words are found, which calls
//! `point de contact` English in an index whose English statements say
//! *contact point* more often than the French ones say *point de contact*.
//!
//! Only the free words and phrases count, not field filters (`lang:en`,
//! `title:…`) nor excluded words.

use crate::analysis::elision::elided_prefix_len;
use crate::analysis::stopwords::{is_english_stop_word, is_stop_word};

use super::query::Node;

/// The language the free words and phrases of `root` show: `Some(false)`
/// for French (a French function word that is not also English, an
/// elided article, or a letter with a French accent), `Some(true)` for
/// English (an English function word that is not also French), `None`
/// when they show neither or both.
pub fn shown(root: Option<&Node>) -> Option<bool> {
    let mut marks = Marks::default();
    if let Some(root) = root {
        visit(root, &mut marks);
    }
    match (marks.french, marks.english) {
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    }
}

#[derive(Default)]
struct Marks {
    french: bool,
    english: bool,
}

fn visit(node: &Node, marks: &mut Marks) {
    match node {
        Node::Term(t) if t.field.is_none() => words(&t.text, marks),
        Node::Phrase {
            text, field: None, ..
        } => words(text, marks),
        Node::And(children) | Node::Or(children) => {
            for c in children {
                visit(c, marks);
            }
        }
        // An excluded word is not what the analyst is looking for.
        Node::Not(_) | Node::Term(_) | Node::Phrase { .. } | Node::DateRange { .. } => {}
    }
}

fn words(text: &str, marks: &mut Marks) {
    for word in text.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c))) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        let bare = lower.trim_matches(is_apostrophe);
        let french_word = is_stop_word(bare) && !is_english_stop_word(bare);
        let english_word = is_english_stop_word(bare) && !is_stop_word(bare);
        marks.french |= french_word || elided_prefix_len(&lower) > 0 || has_french_accent(bare);
        marks.english |= english_word;
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Letters French writes and English words do not (loan words aside).
fn has_french_accent(word: &str) -> bool {
    word.chars().any(|c| "éèêëàâîïôûùüçœæ".contains(c))
}

#[cfg(test)]
mod tests {
    use super::shown;
    use crate::search::query::parse;

    fn language(q: &str) -> Option<bool> {
        shown(parse(q).root.as_ref())
    }

    #[test]
    fn french_function_words_elisions_and_accents_say_french() {
        assert_eq!(language("point de contact"), Some(false), "de");
        assert_eq!(language("\"droits de l'homme\""), Some(false), "phrase");
        assert_eq!(language("l'Alliance"), Some(false), "elided article");
        assert_eq!(
            language("l’Alliance"),
            Some(false),
            "typographic apostrophe"
        );
        assert_eq!(language("cyber-défense"), Some(false), "accent");
        assert_eq!(language("CYBERDÉFENSE"), Some(false), "accent in capitals");
    }

    #[test]
    fn english_function_words_say_english() {
        assert_eq!(language("rule of law"), Some(true));
        assert_eq!(language("\"the Alliance\""), Some(true));
    }

    #[test]
    fn words_both_languages_share_say_nothing() {
        // `a`, `on` are function words of both languages; `contact`,
        // `Alliance` and acronyms are words of both.
        assert_eq!(language("contact"), None);
        assert_eq!(language("Alliance"), None);
        assert_eq!(language("a contact on"), None);
        assert_eq!(language("OTAN"), None);
        // Both marks: the index decides.
        assert_eq!(language("sécurité of the network"), None);
    }

    #[test]
    fn filters_and_exclusions_say_nothing() {
        assert_eq!(language("contact lang:en"), None, "a field filter");
        assert_eq!(language("contact title:défense"), None, "a title filter");
        assert_eq!(language("contact -défense"), None, "an excluded word");
    }
}
