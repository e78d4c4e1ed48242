//! English spelling variants: British and American spellings of a word meet.
//!
//! The English statements vigie indexes (NATO, EU, UN, OSCE) are written in
//! British spelling (*defence*, *organisation*, *centre*, *programme*,
//! *behaviour*); an analyst often types the American one (*defense*,
//! *organization*, *center*, *program*, *behavior*). Snowball English keeps
//! the two apart (`defenc`/`defens`, `organis`/`organiz`, `centr`/`center`),
//! so [`canonical`] rewrites a folded English word to one spelling of its
//! family before the stemmer, at index and query time alike (the stemmer
//! calls it: [`super::stem::stem_english`]).
//!
//! The families and their words follow the spelling differences listed in
//! VarCon (Kevin Atkinson's *Variant Conversion Info*, the source of the
//! en_US/en_GB dictionaries of SCOWL); the rules and word lists here are
//! written for vigie, not copied. Each family picks the spelling whose
//! derived words already share it, so that the whole family meets:
//! - `-ize`, `-ization`, `-izing`… → `-ise`… (any word: every `-ize` verb
//!   has an `-ise` spelling, and no `-ise` word is rewritten);
//!   `-yze` → `-yse` (`analyze`, `paralyze`);
//! - `-or` → `-our` for the listed words (`behavior`, `labor`, `honor`…)
//!   with their inflections and derivations that take `-our` in British
//!   spelling (`favorable`, `neighborhood`, `behavioral`), never the
//!   ones that do not (`laboratory`, `honorary`, `rigorous`);
//! - `-er` → `-re` for the listed words (`center`, `theater`, `fiber`,
//!   `kilometer`, `centered` → `centred`);
//! - `-og` → `-ogue` (`catalog`, `dialog`, `analog`);
//! - `-ence` → `-ense` for `defence`, `offence`, `licence`, `pretence`:
//!   the other way, because `defensive`, `offensive` and `licensing` are
//!   spelt with `s` in both;
//! - single words: `program` → `programme`, `judgment` → `judgement`,
//!   `maneuver` → `manoeuvre`, `practise` → `practice`, `gray` → `grey`…
//!
//! Doubled consonants (`travelled`, `modelling`, `enrolment`) need no rule:
//! Snowball already stems both spellings alike. Every rewrite keeps the
//! word's first two letters, which the highlighter relies on to skip
//! tokens cheaply (`skeptic`/`sceptic` is therefore not joined). Input is a
//! folded (lower-case, accent-free) token; the output is a term, never
//! shown to the user: highlights stay on the words as written.

use std::borrow::Cow;

/// Words whose American `-or` spelling is `-our` in British spelling.
const OUR: &[&str] = &[
    "arbor", "ardor", "armor", "behavior", "candor", "clamor", "color", "demeanor", "endeavor",
    "favor", "fervor", "flavor", "harbor", "honor", "humor", "labor", "neighbor", "odor", "parlor",
    "rancor", "rigor", "rumor", "savior", "savor", "splendor", "tumor", "valor", "vapor", "vigor",
];

/// Endings after an `-or` word of [`OUR`] that take `-our` in British
/// spelling too (`-ous`, `-ary`, `-ific`, `-ize` do not: `laborious`,
/// `honorary`, `vaporize`).
const OUR_ENDINGS: &[&str] = &[
    "", "s", "ed", "ing", "ings", "er", "ers", "ful", "fully", "less", "able", "ably", "ite",
    "ites", "itism", "al", "ally", "hood", "hoods", "ly", "y",
];

/// Words whose American `-er` spelling is `-re` in British spelling.
const RE: &[&str] = &[
    "caliber",
    "center",
    "centimeter",
    "epicenter",
    "fiber",
    "kilometer",
    "liter",
    "luster",
    "meager",
    "meter",
    "millimeter",
    "saber",
    "scepter",
    "somber",
    "specter",
    "theater",
];

/// Words whose American `-og` spelling is `-ogue` in British spelling.
const OGUE: &[&str] = &["analog", "catalog", "dialog", "epilog", "monolog", "prolog"];

/// British `-ence` nouns whose American `-ense` spelling their derived
/// words share in both (`defensive`, `offensive`, `licensing`).
const ENSE: &[&str] = &["defence", "licence", "offence", "pretence"];

/// Single words: the spelling on the left is rewritten to the right one.
const WORDS: &[(&str, &str)] = &[
    ("acknowledgment", "acknowledgement"),
    ("acknowledgments", "acknowledgements"),
    ("aluminum", "aluminium"),
    ("counselor", "counsellor"),
    ("counselors", "counsellors"),
    ("gray", "grey"),
    ("grays", "greys"),
    ("jewelry", "jewellery"),
    ("judgment", "judgement"),
    ("judgments", "judgements"),
    ("maneuver", "manoeuvre"),
    ("maneuverability", "manoeuvrability"),
    ("maneuverable", "manoeuvrable"),
    ("maneuvered", "manoeuvred"),
    ("maneuvering", "manoeuvring"),
    ("maneuvers", "manoeuvres"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practises", "practices"),
    ("practising", "practicing"),
    ("program", "programme"),
    ("programs", "programmes"),
    ("skillful", "skilful"),
    ("willful", "wilful"),
];

/// The endings of `-ize` words and their `-ise` spellings.
const IZE_ENDINGS: &[(&str, &str)] = &[
    ("ize", "ise"),
    ("izes", "ises"),
    ("ized", "ised"),
    ("izing", "ising"),
    ("izer", "iser"),
    ("izers", "isers"),
    ("ization", "isation"),
    ("izations", "isations"),
    ("izational", "isational"),
    ("izable", "isable"),
];

/// The endings of `-yze` words and their `-yse` spellings.
const YZE_ENDINGS: &[(&str, &str)] = &[
    ("yze", "yse"),
    ("yzes", "yses"),
    ("yzed", "ysed"),
    ("yzing", "ysing"),
    ("yzer", "yser"),
    ("yzers", "ysers"),
];

/// Endings after an `-er` word of [`RE`] and their `-re` spellings.
const RE_ENDINGS: &[(&str, &str)] = &[("", "re"), ("s", "res"), ("ed", "red"), ("ing", "ring")];

/// Endings after an `-og` word of [`OGUE`] and their `-ogue` spellings.
const OGUE_ENDINGS: &[(&str, &str)] = &[("", "ue"), ("s", "ues"), ("ed", "ued"), ("ing", "uing")];

/// The spelling of `word` (a folded English token) that its British and
/// American variants share, or `word` itself when it has no variant here
/// (see the module docs for the families). Never changes the first two
/// letters; allocates only when it rewrites.
pub fn canonical(word: &str) -> Cow<'_, str> {
    if !word.is_ascii() || word.len() < 4 {
        return Cow::Borrowed(word);
    }
    if let Some(&(_, to)) = WORDS.iter().find(|(from, _)| *from == word) {
        return Cow::Owned(to.to_string());
    }
    if let Some(shared) = ENSE.iter().find_map(|noun| {
        // `defence` → `defense`, `defences` → `defenses`.
        let stem = &noun[..noun.len() - 2];
        match word.strip_prefix(stem)? {
            "ce" => Some(format!("{stem}se")),
            "ces" => Some(format!("{stem}ses")),
            _ => None,
        }
    }) {
        return Cow::Owned(shared);
    }
    ending_rule(word)
        .or_else(|| our_rule(word))
        .or_else(|| stem_rule(word, RE, 2, RE_ENDINGS))
        .or_else(|| stem_rule(word, OGUE, 0, OGUE_ENDINGS))
        .map_or(Cow::Borrowed(word), Cow::Owned)
}

/// `-ize` → `-ise` and `-yze` → `-yse` with their endings. A word whose
/// part before `ize` is under three letters (`size`, `seize`, `prize`,
/// `maize`) or ends in a consonant and `s` (`downsize`, `oversized`) is
/// no `-ize` verb and is left alone; `emphasize`, `synthesize` are.
fn ending_rule(word: &str) -> Option<String> {
    for (endings, marker) in [(IZE_ENDINGS, "iz"), (YZE_ENDINGS, "yz")] {
        for &(from, to) in endings {
            let Some(base) = word.strip_suffix(from) else {
                continue;
            };
            if marker == "iz" && !ize_base(base) {
                return None;
            }
            if base.len() < 2 {
                return None;
            }
            return Some(format!("{base}{to}"));
        }
    }
    None
}

/// Whether `base` (a word less its `-ize` ending) is an `-ize` verb's.
fn ize_base(base: &str) -> bool {
    let b = base.as_bytes();
    let consonant_s = b.len() >= 2
        && b[b.len() - 1] == b's'
        && !matches!(b[b.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    base.len() >= 3 && !consonant_s
}

/// `-or` → `-our` for the words of [`OUR`], followed by one of
/// [`OUR_ENDINGS`].
fn our_rule(word: &str) -> Option<String> {
    OUR.iter().find_map(|&base| {
        let rest = word.strip_prefix(base)?;
        OUR_ENDINGS
            .contains(&rest)
            .then(|| format!("{}our{rest}", &base[..base.len() - 2]))
    })
}

/// `-er` → `-re` (`cut` = 2 letters dropped) or `-og` → `-ogue` (`cut` =
/// 0) for the words of `list`, with the ending rewritten by `endings`.
fn stem_rule(word: &str, list: &[&str], cut: usize, endings: &[(&str, &str)]) -> Option<String> {
    list.iter().find_map(|&base| {
        let rest = word.strip_prefix(base)?;
        let &(_, to) = endings.iter().find(|(from, _)| *from == rest)?;
        Some(format!("{}{to}", &base[..base.len() - cut]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(word: &str) -> String {
        canonical(word).into_owned()
    }

    #[test]
    fn american_and_british_spellings_meet() {
        for (american, british) in [
            ("organization", "organisation"),
            ("organizations", "organisations"),
            ("organize", "organise"),
            ("organizing", "organising"),
            ("recognized", "recognised"),
            ("prioritize", "prioritise"),
            ("emphasize", "emphasise"),
            ("analyze", "analyse"),
            ("analyzed", "analysed"),
            ("paralyzing", "paralysing"),
            ("defense", "defence"),
            ("defenses", "defences"),
            ("offense", "offence"),
            ("license", "licence"),
            ("behavior", "behaviour"),
            ("behavioral", "behavioural"),
            ("favorable", "favourable"),
            ("favorite", "favourite"),
            ("neighborhood", "neighbourhood"),
            ("labor", "labour"),
            ("honors", "honours"),
            ("armored", "armoured"),
            ("center", "centre"),
            ("centers", "centres"),
            ("centered", "centred"),
            ("kilometers", "kilometres"),
            ("theater", "theatre"),
            ("catalog", "catalogue"),
            ("dialogs", "dialogues"),
            ("cataloging", "cataloguing"),
            ("program", "programme"),
            ("programs", "programmes"),
            ("judgment", "judgement"),
            ("maneuvers", "manoeuvres"),
            ("practicing", "practising"),
            ("gray", "grey"),
        ] {
            assert_eq!(
                c(american),
                c(british),
                "{american} and {british} should share a spelling"
            );
        }
    }

    #[test]
    fn words_spelt_alike_in_both_are_kept_apart() {
        // Same spelling on both sides of the Atlantic: left as they are.
        for word in [
            "laboratory",
            "laborious",
            "honorary",
            "rigorous",
            "vigorous",
            "humorous",
            "size",
            "sizes",
            "seize",
            "prize",
            "downsize",
            "oversized",
            "advise",
            "exercise",
            "compromise",
            "enterprise",
            "defensive",
            "licensing",
            "centimetre",
            "parameter",
            "colorado",
            "organ",
            "character",
            "dialogue",
            "programme",
            "or",
            "war",
        ] {
            let got = c(word);
            // A British-only form may be rewritten to its family's shared
            // spelling, but these words have none: any change is a bug.
            assert_eq!(got, word, "{word} was rewritten to {got}");
        }
    }

    #[test]
    fn a_family_does_not_swallow_a_different_word() {
        assert_ne!(c("organization"), c("organ"));
        assert_ne!(c("characterize"), c("character"));
        assert_ne!(c("labor"), c("laboratory"));
        assert_ne!(c("defense"), c("defensive"));
    }

    #[test]
    fn every_rewrite_keeps_the_first_two_letters() {
        // The highlighter skips tokens whose first two letters no searched
        // stem has: a rewrite must never change them.
        let mut words: Vec<String> = WORDS.iter().map(|(w, _)| w.to_string()).collect();
        for base in OUR.iter().chain(RE).chain(OGUE).chain(ENSE) {
            words.push(base.to_string());
            words.push(format!("{base}s"));
        }
        words.extend(["organization", "analyze", "defences"].map(String::from));
        for w in &words {
            let got = c(w);
            assert_ne!(&got, w, "{w} should have a variant");
            assert_eq!(got[..2], w[..2], "{w} → {got} changed its first letters");
        }
    }

    #[test]
    fn non_ascii_and_short_tokens_pass_unchanged() {
        for word in ["cœur", "été", "ize", "or", "2021"] {
            assert!(matches!(canonical(word), Cow::Borrowed(_)), "{word}");
        }
    }
}
