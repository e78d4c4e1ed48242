//! Query words typed as exclusions on the command line.
//!
//! `vigie search otan -chine` reads, to the option parser, as an unknown
//! option `-c`; `-Chine` as `-C hine` (`--context` with a bad number);
//! `-hongrie` as `-h`, which prints the help and exits 0 as if something
//! had been searched. This module recognises such a word before clap
//! acts on it (the `-h…` case) or from clap's error (the others), and
//! writes the error the user can act on: the word, and the user's own
//! command with the query quoted or after `--`.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::CommandFactory;

use super::Cli;

/// The commands whose positional arguments are a query.
const QUERY_COMMANDS: [&str; 2] = ["search", "trend"];

/// The error for a query word that the option parser would read as an
/// option, or `None`. `error` is clap's error for `args` (the whole
/// command line, program name first), or `None` before parsing: then
/// only a word starting with `-h` (which clap would take for `--help`)
/// is an error.
pub(crate) fn exclusion_error(args: &[OsString], error: Option<&clap::Error>) -> Option<String> {
    let args: Vec<&str> = args.iter().map(|a| a.to_str()).collect::<Option<_>>()?;
    let at = args.iter().position(|a| QUERY_COMMANDS.contains(a))?;
    let command = args[at];
    let rest = &args[at + 1..];
    let end = rest.iter().position(|a| *a == "--").unwrap_or(rest.len());
    let mut words = rest[..end]
        .iter()
        .copied()
        .filter(|a| looks_like_exclusion(a));
    let word = match error.map(|e| (e.kind(), e)) {
        None => words.find(|a| a.starts_with("-h"))?,
        Some((ErrorKind::UnknownArgument, e)) => {
            let Some(ContextValue::String(unknown)) = e.get(ContextKind::InvalidArg) else {
                return None;
            };
            words.find(|a| a.starts_with(unknown.as_str()) && a.len() > unknown.len())?
        }
        Some((ErrorKind::ValueValidation, e)) => {
            let Some(ContextValue::String(value)) = e.get(ContextKind::InvalidValue) else {
                return None;
            };
            words.find(|a| a[1..].chars().skip(1).eq(value.chars()))?
        }
        Some(_) => return None,
    };
    // The command's options, read once.
    let cli = Cli::command();
    let sub = cli.find_subcommand(command)?;
    // `--since -2022`: the word stands where an option's value goes; what
    // was meant is not clear, and clap's own error names the option.
    if let Some(k) = rest[..end].iter().position(|a| *a == word) {
        if k > 0 && !rest[k - 1].contains('=') && takes_value(sub, rest[k - 1]) {
            return None;
        }
    }
    let (options, query) = split(sub, rest, word);
    let quoted = |s: &str| vigie::shell::word(s);
    let options: Vec<String> = options.iter().map(|o| quoted(o)).collect();
    let prefix = if options.is_empty() {
        format!("vigie {command}")
    } else {
        format!("vigie {command} {}", options.join(" "))
    };
    let after: Vec<String> = query.iter().map(|w| quoted(w)).collect();
    let after = format!("`{prefix} -- {}`", after.join(" "));
    let whole = query.join(" ");
    // Quoted, a query that starts with a dash is still read as options:
    // quoted with its exclusions after the other words (the same query),
    // it is not.
    let (excluded, kept): (Vec<&str>, Vec<&str>) = query
        .iter()
        .map(|w| w.as_ref())
        .partition(|w: &&str| w.starts_with('-'));
    let reordered: Vec<&str> = kept.iter().chain(&excluded).copied().collect();
    Some(if whole.starts_with('-') && kept.is_empty() {
        format!(
            "`{word}` reads as an option: to exclude the word `{}`, put the query after `--` ({after})",
            &word[1..]
        )
    } else if whole.starts_with('-') {
        format!(
            "`{word}` reads as an option: to exclude the word `{}`, quote the query with the \
             excluded words after the others (`{prefix} {}`) or put it after `--` ({after})",
            &word[1..],
            quoted(&reordered.join(" "))
        )
    } else {
        format!(
            "`{word}` reads as an option: to exclude the word `{}`, quote the whole query \
             (`{prefix} {}`) or put it after `--` ({after})",
            &word[1..],
            quoted(&whole)
        )
    })
}

/// A dash, then at least two characters that do not start an option's
/// long name: `-chine`, `-2022`, `-l'Ukraine`, `-cyber-défense`.
fn looks_like_exclusion(arg: &str) -> bool {
    arg.strip_prefix('-')
        .is_some_and(|rest| rest.chars().count() > 1 && !rest.starts_with('-'))
}

/// Whether `arg` names an option of the command `sub` that takes a value
/// (`-n`, `--since`; not `-n5` nor `--since=2021`, which hold theirs).
fn takes_value(sub: &clap::Command, arg: &str) -> bool {
    sub.get_arguments().any(|a| {
        let named = match arg.strip_prefix("--") {
            Some(long) => a.get_long() == Some(long),
            None => {
                let mut chars = arg.chars().skip(1);
                a.get_short().is_some() && a.get_short() == chars.next() && chars.next().is_none()
            }
        };
        named && a.get_action().takes_values()
    })
}

/// Whether `arg` is one of the options of the command `sub`: `--long`, or
/// a dash and one of its short names (`-n`, `-n5`, `-C2`, `-h`).
fn is_option(sub: &clap::Command, arg: &str) -> bool {
    if arg.starts_with("--") {
        return true;
    }
    let short = arg.chars().nth(1);
    let known = sub
        .get_arguments()
        .any(|a| a.get_short().is_some() && a.get_short() == short);
    known || (short == Some('h') && arg.len() == 2)
}

/// The options (with their values) and the query words of the arguments
/// `rest` of the command `sub`, in order; `word`, the other words written
/// as exclusions (`-russie`) and every argument after `--` are query words.
fn split<'a>(sub: &clap::Command, rest: &[&'a str], word: &str) -> (Vec<&'a str>, Vec<&'a str>) {
    let takes_value = |arg: &str| takes_value(sub, arg);
    let (mut options, mut query) = (Vec::new(), Vec::new());
    let mut k = 0;
    while k < rest.len() {
        let a = rest[k];
        if a == "--" {
            query.extend_from_slice(&rest[k + 1..]);
            break;
        }
        if a == word
            || !a.starts_with('-')
            || a == "-"
            || (looks_like_exclusion(a) && !is_option(sub, a))
        {
            query.push(a);
        } else {
            options.push(a);
            if !a.contains('=') && takes_value(a) {
                if let Some(value) = rest.get(k + 1) {
                    options.push(value);
                    k += 1;
                }
            }
        }
        k += 1;
    }
    (options, query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(v: &[&str]) -> Vec<OsString> {
        std::iter::once("vigie")
            .chain(v.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn a_word_read_as_help_is_caught_before_clap() {
        let message = exclusion_error(&args(&["search", "otan", "-hongrie"]), None).unwrap();
        assert!(
            message.starts_with("`-hongrie` reads as an option"),
            "{message}"
        );
        assert!(
            message.contains("(`vigie search 'otan -hongrie'`)"),
            "{message}"
        );
        assert!(
            message.contains("(`vigie search -- otan -hongrie`)"),
            "{message}"
        );
        // Quoting alone does not help a query that starts with a dash: the
        // excluded word goes after the others, or the query after `--`.
        let message = exclusion_error(&args(&["search", "-hongrie", "otan"]), None).unwrap();
        assert!(
            message.contains("(`vigie search 'otan -hongrie'`)"),
            "{message}"
        );
        assert!(!message.contains("'-hongrie otan'"), "{message}");
        assert!(
            message.contains("(`vigie search -- -hongrie otan`)"),
            "{message}"
        );
        // A query of exclusions only has the one way.
        let message = exclusion_error(&args(&["search", "-hongrie"]), None).unwrap();
        assert!(!message.contains("quote"), "{message}");
        assert!(
            message.contains("(`vigie search -- -hongrie`)"),
            "{message}"
        );
        // `-h` itself is the help; after `--` every word is the query's.
        assert_eq!(exclusion_error(&args(&["search", "-h"]), None), None);
        assert_eq!(
            exclusion_error(&args(&["search", "--", "-hongrie"]), None),
            None
        );
    }

    #[test]
    fn the_suggestion_keeps_the_users_words_and_options() {
        let argv = args(&[
            "search",
            "-n",
            "3",
            "sécurité",
            "nationale",
            "--json",
            "-russie",
        ]);
        let error = Cli::try_parse_from(&argv).unwrap_err();
        let message = exclusion_error(&argv, Some(&error)).unwrap();
        assert!(
            message.contains("(`vigie search -n 3 --json 'sécurité nationale -russie'`)"),
            "{message}"
        );
        assert!(
            message.contains("(`vigie search -n 3 --json -- sécurité nationale -russie`)"),
            "{message}"
        );
    }

    #[test]
    fn every_exclusion_goes_to_the_query_and_a_value_is_left_to_clap() {
        let argv = args(&["search", "--json", "otan", "-chine", "-russie"]);
        let error = Cli::try_parse_from(&argv).unwrap_err();
        let message = exclusion_error(&argv, Some(&error)).unwrap();
        assert!(
            message.contains("(`vigie search --json 'otan -chine -russie'`)"),
            "{message}"
        );
        // Where a value goes, the meaning is unclear: clap's error stands.
        let argv = args(&["search", "--since", "-2022", "otan"]);
        let error = Cli::try_parse_from(&argv).unwrap_err();
        assert_eq!(exclusion_error(&argv, Some(&error)), None);
    }

    #[test]
    fn digits_apostrophes_and_hyphens_are_words_too() {
        for word in ["-2022", "-l'Ukraine", "-cyber-défense", "-Chine"] {
            let argv = args(&["search", "otan", word]);
            let error = Cli::try_parse_from(&argv).unwrap_err();
            let message = exclusion_error(&argv, Some(&error))
                .unwrap_or_else(|| panic!("{word}: clap said {error}"));
            assert!(message.starts_with(&format!("`{word}` reads")), "{message}");
        }
    }
}
