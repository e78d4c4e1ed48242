//! Deeply nested HTML (any of the tags the reader counts or skips, with
//! text and paragraphs, repeated tens of thousands of times) neither panics
//! nor overflows the stack in the HTML reader, and each page is read within
//! a time bound. Past bug: nested HTML was quadratic and deep
//! (`src/corpus/html.rs` now refuses pages nested over `MAX_NESTING`).
#![no_main]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<li>",
    "<ol>",
    "<ul>",
    "<b>",
    "<i>",
    "<a href=x>",
    "<span>",
    "<table>",
    "<tr>",
    "<td>",
    "<dd>",
    "<dt>",
    "<option>",
    "<optgroup>",
    "<select>",
    "<rt>",
    "<rb>",
    "<rp>",
    "<rtc>",
    "<ruby>",
    "<caption>",
    "<tbody>",
    "<colgroup>",
    "<head>",
    "<body>",
    "<html>",
    "<br>",
    "<img/>",
    "<section>",
    "<article>",
    "<main>",
    "<h1>",
    "</h1>",
    "<h2>",
    "<title>",
    "</title>",
    "<svg>",
    "<math>",
    "<template>",
    "<button>",
    "<form>",
    "<nobr>",
    "<font>",
    "<blockquote>",
    "<pre>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<script>",
    "<style>",
    "<",
    ">",
    "/",
    "1. ",
    "Nous condamnons ces actes. ",
    "19 juillet 2021 ",
    "\n",
    "&amp;",
    "é",
];

const MAX_LEN: usize = 256 * 1024;

/// The bound of one page (release build with the address sanitizer).
const BOUND: Duration = Duration::from_secs(2);

fuzz_target!(|bytes: &[u8]| {
    let page = common::expand(bytes, PIECES, MAX_LEN);
    let start = Instant::now();
    let read = vigie::corpus::html::parse_html(&page, Path::new("fuzz.html"));
    let elapsed = start.elapsed();
    if let Ok(doc) = read {
        assert!(!doc.paragraphs.is_empty());
    }
    assert!(
        elapsed < BOUND,
        "reading took {elapsed:?} for a page of {} bytes",
        page.len()
    );
});
