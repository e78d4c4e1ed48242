//! Stemming: Snowball French, with an override table for known collisions.
//!
//! [`FrenchStemmer`] runs the Snowball French algorithm (through the
//! `rust-stemmers` crate, version recorded in [`STEMMER`]) on folded tokens,
//! so that inflections meet: `menaces` → `menac`, `réaffirmé` and
//! `réaffirmons` → `reaffirm`. Tokens containing a digit (`2021`, `1er`,
//! `2,5`) are kept as they are.
//!
//! Before the algorithm, a small override table (the idea of Lucene's
//! `StemmerOverrideFilter`) fixes conflations that folding creates or that
//! Snowball gets wrong:
//! - `châtiment(s)` would fold and stem to `chat`; it keeps `chatiment`;
//! - adjectives and nouns in `-ais` / `-aise(s)` (`français`, `française`,
//!   `anglaises`, `japonais`) are stemmed by removing the whole ending, so
//!   masculine and feminine meet (rust-stemmers 1.2 gives `franc` for
//!   `francais` but `francais` for `francaise`; Snowball bug 209);
//! - feminine endings whose accent folding hid them from Snowball are put
//!   back to the masculine before stemming: `-ée(s)` → `-é(s)` (`réaffirmée`
//!   meets `réaffirmé`, `créée` meets `créé`) and `-ière(s)` → `-ier`
//!   (`première` meets `premier`, `financière` meets `financier`);
//! - feminine agent nouns in `-trice` meet their masculine in `-teur`
//!   (`directrice`/`directeur`, `destructrices`/`destructeur`), plurals in
//!   `-eux` of nouns in `-eu` meet their singular (`enjeux`/`enjeu`,
//!   `lieux`/`lieu`), plurals in `-ous` meet theirs
//!   (`verrous`/`verrou`), the irregular plurals of grammar meet their
//!   singular (`bijoux`/`bijou`, `travaux`/`travail`, `pneus`/`pneu`), and
//!   nouns in `-arité` meet their adjective in
//!   `-aire` (`solidarité`/`solidaires`, `complémentarité`/
//!   `complémentaire`): Snowball keeps each pair apart;
//! - words Snowball merges with unrelated ones are kept whole: `Gaza`
//!   (not `gaz`), `traité` and `traitement` (not `trait`), `Parlement`
//!   (not `parler`), `département` (not `départ`), `entrée` (not `entre`).

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Name and version of the stemmer, recorded in the index metadata.
pub const STEMMER: &str = "rust-stemmers 1.2 Snowball French (English for English statements)";

/// Exact folded words whose stem is fixed by hand.
const OVERRIDES: &[(&str, &str)] = &[
    ("chatiment", "chatiment"),
    ("chatiments", "chatiment"),
    ("mais", "mais"),
    ("jamais", "jamais"),
    ("desormais", "desormais"),
    ("dorenavant", "dorenavant"),
    ("palais", "palais"),
    ("relais", "relais"),
    ("frais", "frais"),
    ("delais", "delai"),
    ("delai", "delai"),
    ("essais", "essai"),
    ("essai", "essai"),
    ("rabais", "rabais"),
    ("marais", "marais"),
    // Snowball's `-a` and `-ement` rules merge unrelated words: keep these
    // whole (Gaza/gaz, traité and traitement/trait, Parlement/parler,
    // département/départ, entrée/entre).
    ("gaza", "gaza"),
    ("traite", "traite"),
    ("traites", "traite"),
    ("traitement", "traitement"),
    ("traitements", "traitement"),
    ("parlement", "parlement"),
    ("parlements", "parlement"),
    ("departement", "departement"),
    ("departements", "departement"),
    ("entree", "entree"),
    ("entrees", "entree"),
];

/// Nouns in `-eu` whose plural `-eux` Snowball leaves apart from the
/// singular (`enjeux`/`enjeu`, `lieux`/`lieu`); matched as word endings, so
/// `milieux` and `cessez-le-feux` are covered. Adjectives in `-eux`
/// (`heureux`) end otherwise and are untouched.
const EU_NOUNS: &[&str] = &[
    "jeu", "lieu", "feu", "voeu", "cheveu", "neveu", "aveu", "dieu", "pieu", "essieu", "moyeu",
];

/// The irregular plurals of French grammar that Snowball leaves apart from
/// their singular (Grevisse, *Le bon usage*, §§ 516–518), as folded
/// (plural, singular) pairs, matched as whole words: the seven nouns in
/// `-ou` that take `-x` (`bijoux`; `époux` is a singular and is not
/// `pou`), the nouns in `-ail` whose plural is `-aux` (`travaux`,
/// `vitraux`; `émaux` is left out, as its singular folds to `email`), and
/// the nouns in `-eu` that take `-s` (`pneus`, `bleus`).
const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("bijoux", "bijou"),
    ("cailloux", "caillou"),
    ("choux", "chou"),
    ("genoux", "genou"),
    ("hiboux", "hibou"),
    ("joujoux", "joujou"),
    ("poux", "pou"),
    ("baux", "bail"),
    ("coraux", "corail"),
    ("soupiraux", "soupirail"),
    ("travaux", "travail"),
    ("vantaux", "vantail"),
    ("vitraux", "vitrail"),
    ("pneus", "pneu"),
    ("bleus", "bleu"),
    ("emeus", "emeu"),
];

/// Folded `-trice` words that are not the feminine of an agent noun in
/// `-teur` (`matrice`, `cicatrice`).
const NOT_AGENT_FEMININE: &[&str] = &["matrice", "cicatrice", "matrices", "cicatrices"];

/// Folded nouns in `-arité` that do not come from an adjective in `-aire`
/// (their adjective ends in `-ier`, or `-aire` names something else:
/// `particularité` is not `particulaire`).
const NOT_FROM_AIRE: &[&str] = &[
    "particularite",
    "familiarite",
    "regularite",
    "irregularite",
    "singularite",
];

/// The plural or feminine that Snowball keeps apart, brought back to the
/// form it stems like its partner: `directrice(s)` → `directeur`,
/// `enjeux` → `enjeu`, `verrous` → `verrou`, the irregular plurals of
/// [`IRREGULAR_PLURALS`] (`travaux` → `travail`); and the noun in `-arité` of an
/// adjective in `-aire` brought to the adjective: `solidarité` →
/// `solidaire`, `complémentarité` → `complémentaire` (a base of at least
/// five letters, so that `parité`, `charité` or `disparité` are left
/// alone).
fn lexical_base(word: &str) -> Option<String> {
    if let Some(&(_, singular)) = IRREGULAR_PLURALS.iter().find(|(p, _)| *p == word) {
        return Some(singular.to_string());
    }
    for ending in ["arites", "arite"] {
        if let Some(base) = word.strip_suffix(ending) {
            let singular = word.strip_suffix('s').unwrap_or(word);
            if base.chars().count() >= 5 && !NOT_FROM_AIRE.contains(&singular) {
                return Some(format!("{base}aire"));
            }
        }
    }
    for ending in ["trices", "trice"] {
        if let Some(base) = word.strip_suffix(ending) {
            if base.chars().count() >= 3 && !NOT_AGENT_FEMININE.contains(&word) {
                return Some(format!("{base}teur"));
            }
        }
    }
    if let Some(singular) = word.strip_suffix('x') {
        if singular.ends_with("eu") && EU_NOUNS.iter().any(|n| singular.ends_with(n)) {
            return Some(singular.to_string());
        }
    }
    if word.len() >= 6 && word.ends_with("ous") && word.is_ascii() {
        return Some(word[..word.len() - 1].to_string());
    }
    None
}

/// Stems one folded word (see the module docs). Returns the input when no
/// rule applies.
pub fn stem<'a>(stemmer: &Stemmer, word: &'a str) -> Cow<'a, str> {
    if word.bytes().any(|b| b.is_ascii_digit()) || word.chars().any(char::is_numeric) {
        return Cow::Borrowed(word);
    }
    if let Some(&(_, s)) = OVERRIDES.iter().find(|(w, _)| *w == word) {
        return Cow::Owned(s.to_string());
    }
    // -ais / -aise / -aises: national and qualitative adjectives
    // (français, anglaise, japonaises, mauvais). Keep at least 3 letters.
    for ending in ["aises", "aise", "ais"] {
        if let Some(base) = word.strip_suffix(ending) {
            if base.chars().count() >= 3 && !base.ends_with('a') {
                return Cow::Owned(base.to_string());
            }
        }
    }
    if let Some(base) = lexical_base(word) {
        return Cow::Owned(stemmer.stem(&base).into_owned());
    }
    if let Some(masculine) = masculine(word) {
        return Cow::Owned(stemmer.stem(&masculine).into_owned());
    }
    stemmer.stem(word)
}

/// The masculine spelling of a folded feminine `-ee(s)` / `-iere(s)` word,
/// when the remaining base has at least 3 letters.
fn masculine(word: &str) -> Option<String> {
    for (ending, replacement) in [
        ("ieres", "ier"),
        ("iere", "ier"),
        ("ees", "es"),
        ("ee", "e"),
    ] {
        if let Some(base) = word.strip_suffix(ending) {
            if base.chars().count() >= 3 {
                return Some(format!("{base}{replacement}"));
            }
        }
    }
    None
}

/// Token filter applying [`stem`] to every token.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrenchStemmer;

impl TokenFilter for FrenchStemmer {
    type Tokenizer<T: Tokenizer> = FrenchStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FrenchStemmerTokenizer<T> {
        FrenchStemmerTokenizer {
            inner: tokenizer,
            cache: FxHashMap::default(),
        }
    }
}

/// Most distinct words a [`FrenchStemmerTokenizer`] remembers the stems of
/// (the cache is emptied when full). Statement vocabularies repeat a lot:
/// the cache saves most Snowball runs while indexing.
pub const STEM_CACHE_WORDS: usize = 200_000;

/// [`Tokenizer`] wrapper produced by [`FrenchStemmer`]. Each clone (one per
/// indexing thread) keeps its own cache of stems.
#[derive(Clone)]
pub struct FrenchStemmerTokenizer<T> {
    inner: T,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for FrenchStemmerTokenizer<T> {
    type TokenStream<'a> = FrenchStemmerTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() >= STEM_CACHE_WORDS {
            self.cache.clear();
        }
        FrenchStemmerTokenStream {
            tail: self.inner.token_stream(text),
            stemmer: Stemmer::create(Algorithm::French),
            cache: &mut self.cache,
        }
    }
}

/// [`TokenStream`] produced by [`FrenchStemmer`].
pub struct FrenchStemmerTokenStream<'a, S> {
    tail: S,
    stemmer: Stemmer,
    cache: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for FrenchStemmerTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stemmed) = self.cache.get(&token.text) {
            token.text.clone_from(stemmed);
            return true;
        }
        let stemmed = stem(&self.stemmer, &token.text).into_owned();
        self.cache
            .insert(std::mem::replace(&mut token.text, stemmed.clone()), stemmed);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Name and version of the English stemmer, recorded in the index metadata.
pub const ENGLISH_STEMMER: &str = "rust-stemmers 1.2 Snowball English";

/// Token filter stemming folded tokens with Snowball English (for English
/// statements); tokens with digits are kept as they are.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnglishStemmer;

impl TokenFilter for EnglishStemmer {
    type Tokenizer<T: Tokenizer> = EnglishStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> EnglishStemmerTokenizer<T> {
        EnglishStemmerTokenizer(tokenizer)
    }
}

/// [`Tokenizer`] wrapper produced by [`EnglishStemmer`].
#[derive(Clone)]
pub struct EnglishStemmerTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for EnglishStemmerTokenizer<T> {
    type TokenStream<'a> = EnglishStemmerTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        EnglishStemmerTokenStream {
            tail: self.0.token_stream(text),
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

/// [`TokenStream`] produced by [`EnglishStemmer`].
pub struct EnglishStemmerTokenStream<S> {
    tail: S,
    stemmer: Stemmer,
}

/// Stems one folded English word, after giving it the spelling its
/// British and American variants share ([`super::spelling::canonical`]:
/// `defense` and `defence` both stem to `defens`); words with digits are
/// kept.
pub fn stem_english<'a>(stemmer: &Stemmer, word: &'a str) -> Cow<'a, str> {
    if word.chars().any(char::is_numeric) {
        return Cow::Borrowed(word);
    }
    match super::spelling::canonical(word) {
        Cow::Borrowed(word) => stemmer.stem(word),
        Cow::Owned(spelt) => Cow::Owned(stemmer.stem(&spelt).into_owned()),
    }
}

impl<S: TokenStream> TokenStream for EnglishStemmerTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Cow::Owned(stemmed) = stem_english(&self.stemmer, &token.text) {
            token.text = stemmed;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fold::fold;

    fn s(word: &str) -> String {
        let stemmer = Stemmer::create(Algorithm::French);
        stem(&stemmer, &fold(word)).into_owned()
    }

    #[test]
    fn inflections_meet() {
        for group in [
            &["sécurité", "securite", "Sécurités", "SÉCURITÉ"][..],
            &["cyberdéfense", "cyberdefense", "CYBERDÉFENSE"],
            &["français", "française", "françaises", "francais"],
            &["anglais", "anglaise"],
            &["menace", "menaces"],
            &["première", "premier", "premières"],
            &["créé", "créée", "créées"],
            &["financière", "financier"],
            &["électricité", "electricite"],
            &["événement", "evenements"],
            &["réaffirmé", "réaffirmer", "réaffirmée"],
            &["rançonneur", "ranconneurs"],
        ] {
            let stems: Vec<_> = group.iter().map(|w| s(w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{group:?} → {stems:?}"
            );
        }
    }

    #[test]
    fn split_pairs_meet() {
        // Each class: what Snowball keeps apart and an analyst reads as one word.
        for group in [
            &["directeur", "directrice", "directrices", "directeurs"][..],
            &["destructeur", "destructrices", "destructrice"],
            &["protecteur", "protectrice"],
            &["enjeu", "enjeux"],
            &["lieu", "lieux"],
            &["milieu", "milieux"],
            &["verrou", "verrous"],
            &["hôpital", "hôpitaux", "hopitaux"],
            &["solidarité", "solidaires", "solidaire", "SOLIDARITÉ"],
            &["complémentarité", "complémentaires"],
            &["popularité", "populaire"],
            // Irregular plurals of grammar.
            &["bijou", "bijoux"],
            &["genou", "genoux", "Genoux"],
            &["travail", "travaux", "TRAVAUX"],
            &["vitrail", "vitraux"],
            &["corail", "coraux"],
            &["bail", "baux"],
            &["pneu", "pneus"],
            &["bleu", "bleus", "bleue", "bleues"],
        ] {
            let stems: Vec<_> = group.iter().map(|w| s(w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "should meet: {group:?} → {stems:?}"
            );
        }
    }

    #[test]
    fn merged_pairs_stay_apart() {
        for (a, b) in [
            ("Gaza", "gaz"),
            ("traité", "trait"),
            ("traitement", "traité"),
            ("traitement", "trait"),
            ("entrée", "entre"),
            ("Parlement", "parler"),
            ("département", "départ"),
            ("matrice", "mateur"),
            ("heureux", "heureu"),
            ("directive", "directrice"),
            ("particularité", "particulaire"),
            ("charité", "chaire"),
            ("parité", "paire"),
            ("disparité", "disparaître"),
            // `époux` is a singular (spouse), not the plural of `pou`;
            // `émaux` (enamels) must not meet `email`.
            ("époux", "pou"),
            ("émaux", "email"),
            ("travaux", "travée"),
        ] {
            assert_ne!(s(a), s(b), "{a} and {b} must keep apart stems");
        }
        // …and the protected words still meet their own plurals.
        assert_eq!(s("traités"), s("traité"));
        assert_eq!(s("Parlements"), s("Parlement"));
        assert_eq!(s("entrées"), s("entrée"));
    }

    #[test]
    fn unrelated_words_stay_apart() {
        assert_ne!(s("châtiment"), s("chat"));
        assert_ne!(s("mais"), s("maison"));
        assert_ne!(s("Exchange"), s("échanges"));
        assert_ne!(s("palais"), s("pale"));
    }

    #[test]
    fn english_inflections_meet() {
        let stemmer = Stemmer::create(Algorithm::English);
        let e = |w: &str| stem_english(&stemmer, &fold(w)).into_owned();
        assert_eq!(e("threats"), e("threat"));
        assert_eq!(e("servers"), e("server"));
        assert_ne!(e("China"), s("Chine"));
    }

    #[test]
    fn numbers_untouched() {
        assert_eq!(s("2021"), "2021");
        assert_eq!(s("1er"), "1er");
    }
}
