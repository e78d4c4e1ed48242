//! Grammatical number: the other-number spellings of a folded French word
//! (`hopital` ⇄ `hopitaux`, `arme` ⇄ `armes`, `jeu` ⇄ `jeux`), so that the
//! exact-form bonus of query planning rewards the word the analyst typed
//! in either number alike. Singular and plural are the same need: a query
//! in the singular must rank as the same query in the plural.
//!
//! The rules are the regular plurals of French grammar (Grevisse, *Le bon
//! usage*, §§ 514–520): `-s`; `-x` after `-au`, `-eau`, `-eu` and seven
//! nouns in `-ou`; `-al` → `-aux` and some `-ail` → `-aux`. They propose
//! spellings only: the caller keeps those the index holds and that stem
//! like the word, so a rule never joins two lemmas (`bal`, `baux`).

/// The spellings of `folded` (lowercase, accents removed) in the other
/// grammatical number, by the regular rules; may include spellings that
/// are not words. Empty for words of one or two letters.
pub fn number_forms(folded: &str) -> Vec<String> {
    if folded.chars().count() < 3 {
        return Vec::new();
    }
    let mut forms = Vec::new();
    if let Some(stem) = folded.strip_suffix("aux") {
        forms.push(format!("{stem}al"));
        forms.push(format!("{stem}ail"));
        // The other plural of some nouns in `-al` (`festivals`, `idéals`).
        forms.push(format!("{stem}als"));
    }
    if let Some(stem) = folded.strip_suffix('x') {
        forms.push(stem.to_string());
    }
    if let Some(stem) = folded.strip_suffix('s') {
        forms.push(stem.to_string());
    }
    if !folded.ends_with(['s', 'x', 'z']) {
        forms.push(format!("{folded}s"));
        if folded.ends_with("au") || folded.ends_with("eu") || folded.ends_with("ou") {
            forms.push(format!("{folded}x"));
        }
        if let Some(stem) = folded.strip_suffix("al") {
            forms.push(format!("{stem}aux"));
        }
        if let Some(stem) = folded.strip_suffix("ail") {
            forms.push(format!("{stem}aux"));
        }
    }
    forms
}

/// The spellings of `folded` in the other grammatical number
/// ([`number_forms`]) that `analyzer` stems to `stem`: the same word in
/// the other number, not another lemma. Whether the index holds them is
/// the caller's question (the local planner asks its term dictionary,
/// the cluster search an aggregation).
pub fn forms_stemmed_as(
    folded: &str,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    stem: &str,
) -> Vec<String> {
    number_forms(folded)
        .into_iter()
        .filter(|form| {
            super::tokens(analyzer, form)
                .first()
                .is_some_and(|t| t.text == stem)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::number_forms;

    fn has(word: &str, form: &str) -> bool {
        number_forms(word).iter().any(|f| f == form)
    }

    #[test]
    fn plural_in_s_both_ways() {
        assert!(has("arme", "armes"), "{:?}", number_forms("arme"));
        assert!(has("armes", "arme"), "{:?}", number_forms("armes"));
    }

    #[test]
    fn plural_in_aux_both_ways() {
        assert!(has("hopital", "hopitaux"), "{:?}", number_forms("hopital"));
        assert!(has("hopitaux", "hopital"), "{:?}", number_forms("hopitaux"));
        assert!(has("travail", "travaux"), "{:?}", number_forms("travail"));
        assert!(has("travaux", "travail"), "{:?}", number_forms("travaux"));
        // Both plurals of a noun in -al meet: festivaux and festivals.
        assert!(
            has("festivaux", "festivals"),
            "{:?}",
            number_forms("festivaux")
        );
        assert!(
            has("festival", "festivaux"),
            "{:?}",
            number_forms("festival")
        );
    }

    #[test]
    fn plural_in_x_both_ways() {
        assert!(has("enjeu", "enjeux"), "{:?}", number_forms("enjeu"));
        assert!(has("enjeux", "enjeu"), "{:?}", number_forms("enjeux"));
        assert!(has("reseau", "reseaux"), "{:?}", number_forms("reseau"));
        assert!(has("verrou", "verrous"), "{:?}", number_forms("verrou"));
    }

    #[test]
    fn words_ending_in_s_x_z_get_no_added_plural() {
        assert!(!has("prix", "prixs"));
        assert!(!has("temps", "tempss"));
        assert!(!has("nez", "nezs"));
    }

    #[test]
    fn short_words_have_no_forms() {
        assert!(number_forms("la").is_empty());
        assert!(number_forms("us").is_empty());
    }
}
