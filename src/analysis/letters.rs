//! Letters that Unicode compatibility decomposition (NFKD) leaves whole,
//! and their plain spelling: the one table of them, read by the folding
//! filter ([`super::fold`]) and by `build.rs` (which folds the default
//! thesaurus at build time and includes this file), so that both fold
//! alike. Depends on nothing.

/// The plain spelling of `c` when NFKD does not decompose it (`œ` → `oe`,
/// `ß` → `ss`, `ø` → `o`), else `None`.
pub fn undecomposed(c: char) -> Option<&'static str> {
    Some(match c {
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' | 'ẞ' => "ss",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' => "d",
        'ł' | 'Ł' => "l",
        'ı' => "i",
        'þ' | 'Þ' => "th",
        _ => return None,
    })
}
