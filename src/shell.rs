//! Shell words: how vigie writes a path or a query into the commands its
//! messages suggest (`rebuild it with vigie index --rebuild --index DIR`),
//! so that the command can be pasted into a POSIX shell as it is.

/// `s` as one shell word: as it is when it holds only letters (accented
/// too), digits and `-_./:=@%+,`; otherwise quoted by the `shlex` crate
/// (single quotes). A string holding a NUL byte, which no shell word can
/// hold, is returned as it is.
pub fn word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        return s.to_string();
    }
    shlex::try_quote(s).map_or_else(|_| s.to_string(), |q| q.into_owned())
}

/// The path `p` as one shell word (see [`word`]; a path that is not UTF-8
/// is shown with its bad bytes replaced).
pub fn path(p: &std::path::Path) -> String {
    word(&p.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_the_shell_needs_it() {
        assert_eq!(word("/tmp/idx"), "/tmp/idx");
        assert_eq!(word("sécurité"), "sécurité");
        assert_eq!(word("/tmp/my idx"), "'/tmp/my idx'");
        assert_eq!(word("$HOME/idx"), "'$HOME/idx'");
        assert_eq!(word("l'Ukraine"), r#""l'Ukraine""#);
        assert_eq!(word(""), "''");
    }
}
