//! Invariants of the French analysis, checked on generated text (proptest):
//! positions never go back, folding is idempotent, the analysis does not
//! depend on the Unicode normalisation form of its input, and a text
//! analysed whole gives the same terms as its words analysed one by one (as
//! query words are).

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use vigie::analysis::{self, fold::fold};

/// French-looking text: words with accents, ligatures, elisions, compounds,
/// acronyms, numbers and typographic spaces, plus arbitrary characters.
fn french_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("l’".to_string()),
        Just("d'".to_string()),
        Just("jusqu’".to_string()),
        Just("cyber-".to_string()),
        Just("O.T.A.N.".to_string()),
        Just("œuvre".to_string()),
        Just("Sécurité".to_string()),
        Just("e\u{301}te\u{301}".to_string()),
        Just("1ᵉʳ".to_string()),
        Just("2,5".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{202f}:".to_string()),
        Just(" ".to_string()),
        Just("-".to_string()),
        Just(".".to_string()),
        "[a-zA-ZéèêàçùÉÈÀÇœæ]{1,10}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn terms(text: &str) -> Vec<String> {
    analysis::terms(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn positions_never_go_back(text in french_text()) {
        for mut analyzer in [analysis::french(), analysis::french_exact(), analysis::english()] {
            let tokens = analysis::tokens(&mut analyzer, &text);
            for w in tokens.windows(2) {
                prop_assert!(w[0].position <= w[1].position, "{:?} in {text:?}", w);
            }
            for t in &tokens {
                prop_assert!(!t.text.is_empty(), "empty term in {text:?}");
                prop_assert!(t.position_length >= 1);
            }
        }
    }

    #[test]
    fn folding_is_idempotent(text in any::<String>()) {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn normalisation_form_does_not_matter(text in french_text()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        prop_assert_eq!(terms(&nfc), terms(&nfd));
    }

    #[test]
    fn a_text_and_its_words_analyse_alike(text in french_text()) {
        let whole = terms(&text);
        let by_word: Vec<String> = text.split_whitespace().flat_map(terms).collect();
        prop_assert_eq!(whole, by_word);
    }
}
