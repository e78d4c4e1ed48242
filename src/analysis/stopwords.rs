//! French stop words, applied to free-text query words only.
//!
//! The index keeps every word at its real position (so the phrase
//! `"soutien à l'Ukraine"` does not match `soutien de l'Ukraine`); stop words
//! are dropped only from the free-text words of a query, and only when the
//! query has other words. The list is the Snowball `french_stop.txt` list,
//! checked on the lowercased *unfolded* word, minus the homonyms Lucene
//! also leaves in (`été`, `est`, `sommes`, `son`, `as`, `avions`, `aura`,
//! `fût` and their forms), which are nouns or meaningful verbs too.

/// Snowball French stop words (accented, lowercase), minus homonyms.
pub const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "ils", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon",
    "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se",
    "ses", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c",
    "d", "j", "l", "à", "m", "n", "s", "t", "y", "étant", "suis", "es", "êtes", "sont", "serai",
    "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions",
    "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez", "ont",
    "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient",
    "avais", "avait", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait",
    "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent", "ceci",
    "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle",
    "quelles", "sans", "soi", "a",
];

/// Whether `word` (lowercased, accents as typed) is a French stop word.
/// `a` is one, `à` is one, but `été` and `est` are not (see module docs).
pub fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| FRENCH_STOP_WORDS.iter().copied().collect());
    // No stop word is longer than 10 bytes (`eussions`, `auraient`).
    word.len() <= 10 && SET.contains(word)
}

/// English function words: Lucene's `EnglishAnalyzer` stop set, plus
/// `who`, `us` and `can` (also acronyms: WHO, US, CAN).
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with", "who", "us", "can",
];

/// Whether `word` (lowercased) is an English function word.
pub fn is_english_stop_word(word: &str) -> bool {
    ENGLISH_STOP_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homonyms_are_kept() {
        assert!(!is_stop_word("été"));
        assert!(!is_stop_word("est"));
        assert!(!is_stop_word("maïs"));
        assert!(!is_stop_word("sûr"));
        assert!(is_stop_word("à"));
        assert!(is_stop_word("et"));
        assert!(is_stop_word("mais"));
    }
}
