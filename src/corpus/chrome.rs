//! Lines of a web page around a statement that are not the statement: the
//! page's chrome when a page is pasted or saved as text.
//!
//! Three kinds, recognised by their shape and words, in French and English
//! (see [`is_page_chrome`]): a **breadcrumb** (`Accueil > Actualités >
//! Communiqués de presse`, `Home › News`), a **share bar** made only of
//! sharing words (`Partager Imprimer Envoyer par courriel`, `Share |
//! Tweet | Print`) and a **footer line** (`Suivez-nous sur les réseaux
//! sociaux`, `© OTAN 2026 – Tous droits réservés`, `Mentions légales`,
//! `Haut de page`). A line that says something else is never chrome: a
//! statement's own sentence that happens to hold one of these words keeps
//! it.

/// Words a share bar is made of (lowercase, folded apostrophes).
const SHARE_WORDS: &[&str] = &[
    "partager",
    "imprimer",
    "envoyer",
    "par",
    "courriel",
    "mail",
    "e-mail",
    "email",
    "copier",
    "le",
    "la",
    "lien",
    "cette",
    "page",
    "télécharger",
    "pdf",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "bluesky",
    "mastodon",
    "tweet",
    "share",
    "print",
    "send",
    "this",
    "copy",
    "link",
    "download",
    "on",
    "sur",
    "|",
    "-",
    "–",
    "•",
    "·",
    "version",
    "imprimable",
];

/// Beginnings of footer lines (lowercase).
const FOOTER_STARTS: &[&str] = &[
    "suivez-nous",
    "suivez nous",
    "follow us",
    "tous droits réservés",
    "all rights reserved",
    "mentions légales",
    "plan du site",
    "haut de page",
    "retour en haut",
    "back to top",
    "gestion des cookies",
    "politique de confidentialité",
    "privacy policy",
    "accessibilité :",
    "abonnez-vous à la lettre",
    "inscrivez-vous à la lettre",
    "subscribe to our newsletter",
];

/// Whether `line` (trimmed) is page chrome of one of the kinds of the
/// module docs.
pub fn is_page_chrome(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    !lower.is_empty() && (is_breadcrumb(&lower) || is_share_bar(&lower) || is_footer(&lower))
}

/// `accueil > actualités > communiqués`: three or more short segments
/// joined by `>`, `›`, `»` or `/` surrounded by spaces, or two when the
/// first is `accueil` or `home`.
fn is_breadcrumb(lower: &str) -> bool {
    for separator in [" > ", " › ", " » ", " / "] {
        let parts: Vec<&str> = lower.split(separator).map(str::trim).collect();
        let short = parts
            .iter()
            .all(|p| !p.is_empty() && p.split_whitespace().count() <= 6);
        let home = parts
            .first()
            .is_some_and(|p| matches!(*p, "accueil" | "home" | "vous êtes ici : accueil"));
        if short && (parts.len() >= 3 || (parts.len() == 2 && home)) {
            return true;
        }
    }
    false
}

/// `partager imprimer envoyer par courriel`: two or more words, all of
/// them sharing words, one of them a verb of sharing.
fn is_share_bar(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let verbs = [
        "partager",
        "imprimer",
        "envoyer",
        "télécharger",
        "share",
        "print",
        "tweet",
        "send",
        "download",
    ];
    words.len() >= 2
        && words.iter().all(|w| SHARE_WORDS.contains(w))
        && words.iter().any(|w| verbs.contains(w))
}

/// `© otan 2026 – tous droits réservés`, `suivez-nous sur …`: a footer
/// start, or a copyright sign in a short line.
fn is_footer(lower: &str) -> bool {
    let start = lower.trim_start_matches(['©', ' ']);
    FOOTER_STARTS.iter().any(|f| start.starts_with(f))
        || (lower.starts_with('©') || lower.starts_with("copyright"))
            && lower.split_whitespace().count() <= 10
        || lower.contains("tous droits réservés") && lower.split_whitespace().count() <= 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_of_several_page_layouts() {
        for line in [
            "Accueil > Actualités > Communiqués de presse",
            "Accueil › Espace presse",
            "Home / News / Press releases",
            "Vous êtes ici : Accueil > Presse",
            "Partager Imprimer Envoyer par courriel",
            "Partager sur Facebook | Partager sur X | Imprimer",
            "Share | Tweet | Print this page",
            "Télécharger le PDF",
            "Suivez-nous sur les réseaux sociaux",
            "© OTAN 2026 – Tous droits réservés",
            "Copyright 2025 Council of the EU",
            "Mentions légales",
            "Haut de page",
            "Back to top",
        ] {
            assert!(is_page_chrome(line), "{line:?} should be chrome");
        }
    }

    #[test]
    fn sentences_of_statements_are_not_chrome() {
        for line in [
            "Nous partageons la préoccupation des Alliés face à ces menaces.",
            "Les Alliés ont décidé de partager leurs informations sur les cybermenaces.",
            "Le Conseil > les États membres en matière de sanctions",
            "Imprimer des tracts n'est pas une réponse.",
            "La page d'accueil du site de l'ANSSI publie ses recommandations.",
            "Droits réservés aux auteurs des contributions citées dans le rapport annuel du Conseil, qui les a relues.",
        ] {
            assert!(!is_page_chrome(line), "{line:?} is a sentence, not chrome");
        }
    }
}
