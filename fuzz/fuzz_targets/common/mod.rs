//! Shared by the targets that need large inputs or a real index. Not a
//! target itself.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

/// Builds a text from `pieces` as `bytes` say: each byte picks a piece
/// (low 7 bits); with its high bit set, the next byte says how many times
/// it repeats: 0 to 239 give 1 to 240 times, 240 to 255 give 1 to 16 ×
/// 4,096 (65,536) times, so that a few bytes reach depths of tens of
/// thousands while most inputs stay small (and fast). Stops before passing
/// `max_len` bytes.
pub fn expand(bytes: &[u8], pieces: &[&str], max_len: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let op = bytes[i];
        i += 1;
        let piece = pieces[usize::from(op & 0x7f) % pieces.len()];
        let times = match bytes.get(i) {
            Some(&n) if op & 0x80 != 0 => {
                i += 1;
                match n {
                    0..=239 => usize::from(n) + 1,
                    _ => usize::from(n - 239) * 4096,
                }
            }
            _ => 1,
        };
        let times = times.min((max_len - out.len()) / piece.len().max(1));
        if times == 0 {
            break;
        }
        out.push_str(&piece.repeat(times));
    }
    out
}

/// A searcher over a small real index, built once per process in a
/// temporary directory: the bundled statement in `corpus/` and the
/// synthetic `tests/data/fixture.jsonl` (dated, undated, French and
/// English statements). The directory is left behind when libFuzzer exits.
pub fn searcher() -> &'static vigie::search::Searcher {
    static SEARCHER: OnceLock<vigie::search::Searcher> = OnceLock::new();
    SEARCHER.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("vigie-fuzz-index-")
            .tempdir()
            .expect("tempdir")
            .keep();
        let handle = vigie::index::IndexHandle::open_or_create(&dir).expect("index");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        vigie::ingest::ingest(
            &handle,
            &[root.join("corpus"), root.join("tests/data/fixture.jsonl")],
            &vigie::ingest::IngestOptions {
                memory_bytes: 32 << 20,
                threads: 1,
            },
            &mut |e| panic!("{e}"),
            &mut |_| {},
        )
        .expect("ingest");
        vigie::search::Searcher::new(handle).expect("searcher")
    })
}
