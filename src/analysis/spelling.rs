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
//!   spelling (`favorable`, `neighborhood`, `behaviorism`), never the
//!   ones that do not (`laboratory`, `honorary`, `rigorous`, `humoral`);
//! - `-er` → `-re` for the listed words (`center`, `theater`, `fiber`,
//!   `kilometer`, `centered` → `centred`; not a bare `meter`, which British
//!   spelling keeps for the device);
//! - `-og` → `-ogue` (`catalog`, `dialog`, `analog`);
//! - `-ence` → `-ense` for `defence`, `offence`, `licence`, `pretence`:
//!   the other way, because `defensive`, `offensive` and `licensing` are
//!   spelt with `s` in both;
//! - `programme` → `program`, the other way too: `programming` and
//!   `programmed` already share the stem of `program`;
//! - `fueled`, `dialing`, `dueled` → `fuelled`…: the short words whose
//!   doubled `l` Snowball does not join (it does `travelled`, `modelling`);
//! - single words: `judgment` → `judgement`, `maneuver` → `manoeuvre`,
//!   `practise` → `practice`, `gray` → `grey`…
//!
//! The listed words are also found after a prefix of two letters or more
//! (`unfavorable`, `misbehavior`, `outmaneuvered`, `cyberdefence`), and a
//! possessive (`defence's`, `Defence’s`) is set aside while the word is
//! respelt. Every rewrite keeps the word's first two letters, which the
//! highlighter relies on to skip tokens cheaply (`skeptic`/`sceptic` is
//! therefore not joined). What stays as Snowball has it: a family joined
//! across spellings keeps the words Snowball already gave its stem
//! (`offence` now meets `offensive` as `offense` did; `practise` meets
//! `practical` as `practice` did). Input is a folded (lower-case,
//! accent-free) token; the output is a term, never shown to the user:
//! highlights stay on the words as written.

use std::borrow::Cow;

/// Words whose American `-or` spelling is `-our` in British spelling.
const OUR: &[&str] = &[
    "arbor", "ardor", "armor", "behavior", "candor", "clamor", "color", "demeanor", "endeavor",
    "favor", "fervor", "flavor", "glamor", "harbor", "honor", "humor", "labor", "neighbor", "odor",
    "parlor", "rancor", "rigor", "rumor", "savior", "savor", "splendor", "tumor", "valor", "vapor",
    "vigor",
];

/// Endings after an `-or` word of [`OUR`] that take `-our` in British
/// spelling too (`-ous`, `-ary`, `-ific`, `-al`, `-ize` do not:
/// `laborious`, `honorary`, `humoral`, `vaporize`).
const OUR_ENDINGS: &[&str] = &[
    "", "s", "ed", "ing", "ings", "er", "ers", "ful", "fully", "less", "able", "ably", "ite",
    "ites", "itism", "ism", "ist", "ists", "ish", "hood", "hoods", "ly", "liness", "y",
];

/// Words whose American `-er` spelling is `-re` in British spelling. A
/// bare `meter` is not among them: British spelling keeps it for the
/// measuring device, apart from the unit (`metre`).
const RE: &[&str] = &[
    "caliber",
    "center",
    "centimeter",
    "decimeter",
    "fiber",
    "kilometer",
    "liter",
    "meager",
    "micrometer",
    "millimeter",
    "nanometer",
    "saber",
    "scepter",
    "somber",
    "specter",
    "theater",
];

/// Words whose American `-og` spelling is `-ogue` in British spelling.
const OGUE: &[&str] = &[
    "analog", "catalog", "demagog", "dialog", "epilog", "monolog", "prolog", "synagog", "travelog",
];

/// The stems of British `-ence` nouns (`defence`) whose American `-ense`
/// spelling their derived words share in both (`defensive`, `offensive`,
/// `licensing`).
const ENSE: &[&str] = &["defen", "licen", "offen", "preten"];

/// Words whose `l` American spelling doubles before an ending in British
/// spelling and that Snowball leaves apart (`fueled`/`fuelled`; longer
/// ones such as `travelled` it already joins).
const DOUBLE_L: &[&str] = &["dial", "duel", "fuel"];

/// Single words and their inflections: the spelling on the left is
/// rewritten to the right one.
const WORDS: &[(&str, &str)] = &[
    ("acknowledgment", "acknowledgement"),
    ("acknowledgments", "acknowledgements"),
    ("aluminum", "aluminium"),
    ("behavioral", "behavioural"),
    ("behaviorally", "behaviourally"),
    ("counselor", "counsellor"),
    ("counselors", "counsellors"),
    ("gray", "grey"),
    ("grayer", "greyer"),
    ("grayest", "greyest"),
    ("grayed", "greyed"),
    ("graying", "greying"),
    ("grayish", "greyish"),
    ("grays", "greys"),
    ("jewelry", "jewellery"),
    ("judgment", "judgement"),
    ("judgmental", "judgemental"),
    ("judgmentally", "judgementally"),
    ("judgments", "judgements"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practises", "practices"),
    ("practising", "practicing"),
    // The other way: `program`, `programs`, `programming` and `programmed`
    // already share Snowball's stem, which `programme` lacks.
    ("programme", "program"),
    ("programmes", "programs"),
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
    ("izability", "isability"),
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
const OGUE_ENDINGS: &[(&str, &str)] = &[
    ("", "ue"),
    ("s", "ues"),
    ("ed", "ued"),
    ("ing", "uing"),
    ("er", "uer"),
    ("ers", "uers"),
];

/// Endings after the stem of a British noun of [`ENSE`] (`defen`) and
/// their `-ense` spellings.
const ENSE_ENDINGS: &[(&str, &str)] = &[
    ("ce", "se"),
    ("ces", "ses"),
    ("ced", "sed"),
    ("cing", "sing"),
    ("celess", "seless"),
];

/// Endings after a word of [`DOUBLE_L`] and their British spellings.
const DOUBLE_L_ENDINGS: &[(&str, &str)] = &[
    ("ed", "led"),
    ("ing", "ling"),
    ("er", "ler"),
    ("ers", "lers"),
];

/// `maneuver` and its forms; `manoeuvre` drops its `e` before an ending.
const MANEUVER_ENDINGS: &[(&str, &str)] = &[
    ("", "manoeuvre"),
    ("s", "manoeuvres"),
    ("ed", "manoeuvred"),
    ("ing", "manoeuvring"),
    ("able", "manoeuvrable"),
    ("ability", "manoeuvrability"),
];

/// A possessive ending, kept aside while the word is respelt (Snowball
/// removes it after).
const POSSESSIVES: &[&str] = &["'s", "\u{2019}s", "'", "\u{2019}"];

/// The spelling of `word` (a folded English token) that its British and
/// American variants share, or `word` itself when it has no variant here
/// (see the module docs for the families). A possessive (`defence's`) is
/// kept as it is after the respelt word. Never changes the first two
/// letters; allocates only when it rewrites.
pub fn canonical(word: &str) -> Cow<'_, str> {
    let (base, possessive) = POSSESSIVES
        .iter()
        .find_map(|p| word.strip_suffix(p).map(|b| (b, &word[b.len()..])))
        .unwrap_or((word, ""));
    if !base.is_ascii() || base.len() < 4 {
        return Cow::Borrowed(word);
    }
    respelt(base).map_or(Cow::Borrowed(word), |b| Cow::Owned(b + possessive))
}

/// [`canonical`] of a word without its possessive; `None` when unchanged.
fn respelt(word: &str) -> Option<String> {
    if let Some(&(_, to)) = WORDS.iter().find(|(from, _)| *from == word) {
        return Some(to.to_string());
    }
    ending_rule(word)
        .or_else(|| our_rule(word))
        .or_else(|| listed(word, (RE, "er"), 2, RE_ENDINGS))
        .or_else(|| listed(word, (OGUE, "og"), 0, OGUE_ENDINGS))
        .or_else(|| listed(word, (ENSE, "en"), 0, ENSE_ENDINGS))
        .or_else(|| listed(word, (DOUBLE_L, "l"), 0, DOUBLE_L_ENDINGS))
        .or_else(|| listed(word, (&["maneuver"], "er"), 8, MANEUVER_ENDINGS))
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

/// `word` split as `prefix + base + rest` for one of `list`'s words, the
/// prefix empty or of two letters at least (`dishonor`, `misbehavior`,
/// `epicenter`, `cyberdefence`; not `cluster` as `c` + `luster`), the
/// longest base first; `rest` is what follows the base. Every base of
/// `list` ends with `tail` (`or` for [`OUR`]): only where the word has it
/// are the bases compared, so that the many words without it cost one
/// substring search.
fn split<'w>(
    word: &'w str,
    (list, tail): (&[&'static str], &str),
) -> Option<(&'w str, &'static str, &'w str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for (i, _) in word.match_indices(tail) {
        let end = i + tail.len();
        for &base in list {
            let longer = best.is_none_or(|(_, b)| base.len() > b.len());
            if longer && word[..end].ends_with(base) {
                let at = end - base.len();
                if at == 0 || at >= 2 {
                    best = Some((at, base));
                }
            }
        }
    }
    best.map(|(at, base)| (&word[..at], base, &word[at + base.len()..]))
}

/// `-or` → `-our` for the words of [`OUR`], followed by one of
/// [`OUR_ENDINGS`].
fn our_rule(word: &str) -> Option<String> {
    let (prefix, base, rest) = split(word, (OUR, "or"))?;
    OUR_ENDINGS
        .contains(&rest)
        .then(|| format!("{prefix}{}our{rest}", &base[..base.len() - 2]))
}

/// A word of `list` (after an optional prefix; `list` with the tail its
/// words share, as [`split`] takes it) with one of `endings`: the word
/// less its last `cut` letters, then the ending's respelling.
fn listed(
    word: &str,
    list: (&[&'static str], &str),
    cut: usize,
    endings: &[(&str, &str)],
) -> Option<String> {
    let (prefix, base, rest) = split(word, list)?;
    let &(_, to) = endings.iter().find(|(from, _)| *from == rest)?;
    Some(format!("{prefix}{}{to}", &base[..base.len() - cut]))
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

    /// The terms the English analyzer gives `word` (folding, then
    /// [`canonical`] and Snowball English), joined by spaces.
    fn stem(word: &str) -> String {
        let tokens = crate::analysis::tokens(&mut crate::analysis::english(), word);
        let terms: Vec<String> = tokens.into_iter().map(|t| t.text).collect();
        terms.join(" ")
    }

    #[test]
    fn whole_families_meet_at_the_stem() {
        // Each group: one word, its variants, prefixed and possessive
        // forms; all must share a stem.
        for group in [
            &[
                "program",
                "programme",
                "programmes",
                "programming",
                "programmed",
                "program's",
            ][..],
            &[
                "defense",
                "defence",
                "defence's",
                "Defence\u{2019}s",
                "DEFENSE'S",
            ],
            &["defenseless", "defenceless"],
            &[
                "organization",
                "organisation",
                "organization's",
                "organisations",
            ],
            &["center", "centre", "center's", "centres"],
            &["epicenter", "epicentre"],
            &["favorable", "favourable", "favour", "favors"],
            &["unfavorable", "unfavourable"],
            &["dishonor", "dishonour"],
            &["misbehavior", "misbehaviour"],
            &["behaviorism", "behaviourism"],
            &["judgmental", "judgemental"],
            &["cataloger", "cataloguer"],
            &["graying", "greying"],
            &["licenced", "licensed"],
            &["nanometers", "nanometres"],
            &["outmaneuvered", "outmanoeuvred"],
            &["fueled", "fuelled"],
            &["dialing", "dialling"],
            &["cyberdefense", "cyberdefence"],
            &["recognizability", "recognisability"],
            &["glamor", "glamour"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} should share a stem, got {stems:?}"
            );
        }
    }

    #[test]
    fn families_do_not_reach_other_words_at_the_stem() {
        for (a, b) in [
            ("humour", "humoral"),
            ("metre", "meter"),
            ("organisation", "organ"),
            ("organization's", "organ"),
            ("cluster", "clustre"),
        ] {
            assert_ne!(stem(a), stem(b), "{a} and {b} should stay apart");
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
            "program",
            "programming",
            "meter",
            "cluster",
            "humoral",
            "radial",
            "defend",
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
        let nouns = ["defence", "licence", "offence", "pretence"];
        for base in OUR.iter().chain(RE).chain(OGUE).chain(&nouns) {
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
    fn every_listed_word_ends_with_the_tail_its_list_is_searched_by() {
        for (list, tail) in [
            (OUR, "or"),
            (RE, "er"),
            (OGUE, "og"),
            (ENSE, "en"),
            (DOUBLE_L, "l"),
            (&["maneuver"][..], "er"),
        ] {
            for base in list {
                assert!(base.ends_with(tail), "{base} does not end with {tail}");
            }
        }
    }

    #[test]
    fn non_ascii_and_short_tokens_pass_unchanged() {
        for word in ["cœur", "été", "ize", "or", "2021"] {
            assert!(matches!(canonical(word), Cow::Borrowed(_)), "{word}");
        }
    }
}
