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
use crate::analysis::tokenizer::is_apostrophe;

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

/// English function words that are no French words (`an`, `but`, `as`,
/// `us`, `or`, `in`, `if`, `are` are French words too).
const ENGLISH_MARKS: &[&str] = &[
    "the", "of", "and", "to", "with", "from", "for", "by", "at", "is", "was", "were", "be", "been",
    "this", "that", "these", "those", "which", "what", "how", "why", "their", "its", "it", "into",
    "about", "against", "between", "under", "over", "not", "they", "there", "will", "would",
];

fn words(text: &str, marks: &mut Marks) {
    for word in text.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c))) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        // An elided article is French whatever follows (`l'Alliance`).
        marks.french |= elided_prefix_len(&lower) > 0;
        let bare = lower.trim_matches(is_apostrophe);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let shouted = capitalised && !word.chars().any(char::is_lowercase);
        // A name (`Élysée`, `Le Drian`, `Côte`) or an acronym (`US`,
        // `IF`) tells nothing of the language it is typed in; an accent
        // in a word typed in capitals (`CYBERDÉFENSE`) does.
        if !capitalised {
            marks.french |= is_stop_word(bare) && !is_english_stop_word(bare);
            marks.english |= ENGLISH_MARKS.contains(&bare);
        }
        if !capitalised || shouted {
            marks.french |= has_french_accent(bare);
        }
    }
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
    fn names_acronyms_and_shared_words_say_nothing() {
        // French words that are English function words too, acronyms
        // typed in capitals, names with accents or articles.
        assert_eq!(language("sanctions US"), None);
        assert_eq!(language("but commun"), None);
        assert_eq!(language("nouvel an"), None);
        assert_eq!(language("Élysée visit"), None);
        assert_eq!(language("Le Drian visit"), None);
        // A French function word still shows French beside an acronym.
        assert_eq!(language("sanctions US contre la Russie"), Some(false));
    }

    #[test]
    fn filters_and_exclusions_say_nothing() {
        assert_eq!(language("contact lang:en"), None, "a field filter");
        assert_eq!(language("contact title:défense"), None, "a title filter");
        assert_eq!(language("contact -défense"), None, "an excluded word");
    }
}
