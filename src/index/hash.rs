//! The content hash of the manifest: XXH64 with seed 0.
//!
//! The manifest records every source file's hash as `xxh64:` followed by 16
//! lower-case hex digits, and compares it with the file on disk to find the
//! files that changed. XXH64 is fast, non-cryptographic, and has a fixed,
//! published definition, so the values stored in an index stay valid across
//! builds and Rust versions (unlike `std`'s `DefaultHasher`). It detects
//! changed files; it is not meant to resist deliberate collisions. The
//! algorithm itself comes from the `xxhash-rust` crate; [`Xxh64`] only fixes
//! the seed, and the tests below pin known values so that a change of crate
//! can never silently change the hashes of existing indexes.

use std::io::Read;
use std::path::Path;

/// Streaming XXH64 (seed 0): the content hash of the manifest.
#[derive(Clone)]
pub struct Xxh64(xxhash_rust::xxh64::Xxh64);

impl std::fmt::Debug for Xxh64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Xxh64").field(&self.digest()).finish()
    }
}

impl Default for Xxh64 {
    fn default() -> Self {
        Xxh64::new()
    }
}

impl Xxh64 {
    /// A hasher with seed 0.
    pub fn new() -> Xxh64 {
        Xxh64(xxhash_rust::xxh64::Xxh64::new(0))
    }

    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The hash of everything fed so far.
    pub fn digest(&self) -> u64 {
        self.0.digest()
    }

    /// XXH64 of `data` in one call.
    pub fn hash(data: &[u8]) -> u64 {
        xxhash_rust::xxh64::xxh64(data, 0)
    }
}

/// XXH64 (seed 0) of a paragraph's text with every run of whitespace made
/// one space and none at either end: the `text_hash` column, equal for
/// paragraphs that repeat each other word for word (an agreement's
/// amendments restating an article, a notice copied between pages),
/// whatever their line breaks.
pub fn paragraph_hash(text: &str) -> u64 {
    let mut hasher = Xxh64::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(word.as_bytes());
    }
    hasher.digest()
}

/// Hashes the file at `path` with [`Xxh64`], streaming it in 64 KiB reads;
/// returns the manifest form `xxh64:<16 hex digits>` and the number of
/// bytes read.
///
/// # Errors
/// The I/O error of opening or reading the file.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Xxh64::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((format!("xxh64:{:016x}", hasher.digest()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_hash_ignores_only_how_words_are_spaced() {
        let one = paragraph_hash("Le salarié a droit à un congé.");
        assert_eq!(
            one,
            paragraph_hash("  Le salarié a droit\nà un   congé. "),
            "line breaks and runs of spaces must not tell copies apart"
        );
        assert_ne!(
            one,
            paragraph_hash("Le salarié a droit à un congé"),
            "a missing full stop is another text"
        );
        assert_ne!(
            one,
            paragraph_hash("Le salarie a droit à un congé."),
            "accents are part of the text"
        );
        assert_ne!(paragraph_hash("ab c"), paragraph_hash("a bc"));
    }

    /// Known XXH64 values (seed 0), from the reference implementation: the
    /// hashes stored in existing manifests must never change.
    #[test]
    fn xxh64_known_values() {
        assert_eq!(Xxh64::hash(b""), 0xEF46_DB37_51D8_E999);
        assert_eq!(Xxh64::hash(b"a"), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(Xxh64::hash(b"abc"), 0x44BC_2CF5_AD77_0999);
        assert_eq!(
            Xxh64::hash(b"Nobody inspects the spammish repetition"),
            0xFBCE_A83C_8A37_8BF1
        );
    }

    /// Values computed by the hand-written XXH64 that manifests were written
    /// with before this module used `xxhash-rust` (inputs of every length
    /// class: under 4, 4–7, 8–31, 32 and over, several stripes with a tail).
    #[test]
    fn xxh64_matches_the_former_implementation() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        let expected: [(usize, u64); 18] = [
            (0, 0xEF46DB3751D8E999),
            (1, 0xE934A84ADB052768),
            (3, 0x9FF70A635A6209AB),
            (4, 0xAE5ACDC00A55AC41),
            (5, 0x8AD58CE18A6FD093),
            (7, 0xD734A6B26F3DA63E),
            (8, 0x87116B3365B924EB),
            (9, 0x340667A92C4324FF),
            (15, 0x94D32E967340935C),
            (16, 0x80129149DB102E54),
            (31, 0x2FD3D6A9848E978E),
            (32, 0xD64D05CDE4E6FD61),
            (33, 0xB8349B79D9B3425E),
            (63, 0xC1E8EC74ECB7548E),
            (64, 0x87FB62B7F982596A),
            (65, 0xE6C30EA731C34898),
            (100, 0xDAD76C5E3ED40107),
            (1000, 0xCAE86109F50DEF4C),
        ];
        for (len, want) in expected {
            assert_eq!(Xxh64::hash(&data[..len]), want, "len {len}");
        }
    }

    #[test]
    fn xxh64_streaming_matches_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for len in [0, 1, 3, 4, 7, 8, 31, 32, 33, 63, 64, 65, 100, 1000] {
            let whole = Xxh64::hash(&data[..len]);
            for step in [1, 2, 5, 31, 32, 33, 64] {
                let mut h = Xxh64::new();
                for chunk in data[..len].chunks(step) {
                    h.update(chunk);
                }
                assert_eq!(h.digest(), whole, "len {len} step {step}");
            }
        }
    }

    #[test]
    fn hash_file_gives_the_manifest_form() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"abc").expect("write");
        assert_eq!(
            hash_file(&path).expect("hash"),
            ("xxh64:44bc2cf5ad770999".to_string(), 3)
        );
    }
}
