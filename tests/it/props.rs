//! Properties of the two parsers of untrusted text: the KB article parser and the paste
//! parser never panic, on arbitrary input or on input built from the formats' own fragments;
//! paste output stays bounded (at most `MAX_EVENTS` events, one-line descriptions); huge
//! hostile inputs finish with bounded output; and every saved fuzzer finding still parses.

use kbfix::kb::parse_article;
use kbfix::paste::{MAX_EVENTS, PastedEvent, parse_paste};
use proptest::prelude::*;
use std::path::PathBuf;

use crate::common::hostile::{hostile_article, hostile_paste};

/// Pieces of the article and paste formats: labels, quotes, XML, hex dumps, line ends.
/// Random sequences of them reach far deeper into the parsers than random bytes do.
const FRAGMENTS: &[&str] = &[
    "Event ID:",
    "Event ID: 68",
    "Event ID: 4294967296",
    "EventID",
    "Source:",
    "Source: MSExchangeCCMC",
    "Source: Service Control Manager",
    "Type: Error",
    "Level: Warning",
    "Category: General",
    "Log Name: System",
    "Computer: HOST",
    "Date: 1/2/2003",
    "Description:",
    "Description: The bridge could not open the remote post office.",
    "Message      : ",
    "Id           : 7000",
    "ProviderName : ",
    "\"",
    "\"\"",
    ",",
    "\",\"",
    "Information,1/2/2003 10:00:00 AM,Srv,7000,None,",
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">",
    "<System>",
    "<EventID>",
    "<EventID Qualifiers=\"49152\">",
    "</EventID>",
    "<Provider Name=\"",
    "\"/>",
    "<Data>",
    "</Data>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#x",
    "0000: ",
    "0008: 00 01 02 03 04 05 06 07   ........",
    "DOCUMENT:Q900068  27-MAY-1999  [exchange]",
    "DOCUMENT:",
    "TITLE   :",
    "PRODUCT :",
    "PROD/VER:",
    "OPER/SYS:",
    "KEYWORDS:",
    "SYMPTOMS",
    "========",
    "----------",
    "======================================================================",
    "The information in this article applies to:",
    " - Microsoft Exchange Server, versions 5.0, 5.5",
    "1. ",
    "   ",
    "Q168465",
    "Q900070 XFOR: Mail Bridge",
    "Additional query words:",
    "Keywords          : kbusage",
    "Issue type        :",
    "THE INFORMATION PROVIDED IN THE MICROSOFT KNOWLEDGE BASE IS",
    "\r\n",
    "\n",
    "\r",
    "\t",
    " ",
    ":",
    "é",
    "\u{2019}",
    "\u{0}",
    "\u{feff}",
    "\u{10ffff}",
    "𝔘",
    "%1",
    "68",
    "0",
    "-1",
];

fn fragments(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..max).prop_map(|v| v.concat())
}

/// A valid article header followed by fragment soup: gets past the header checks, so the
/// body, reference, event and trailer parsers all see hostile text.
fn article_like() -> impl Strategy<Value = Vec<u8>> {
    (fragments(120), prop::collection::vec(any::<u8>(), 0..64)).prop_map(|(body, noise)| {
        let mut bytes =
            b"DOCUMENT:Q900068  27-MAY-1999  [exchange]\r\nTITLE   :XFOR: Event ID 68\r\n\
PRODUCT :Microsoft Exchange\r\nPROD/VER:winnt:5.0\r\nOPER/SYS:\r\nKEYWORDS:kbusage\r\n\r\n\
======================================================================\r\n"
                .to_vec();
        bytes.extend_from_slice(body.as_bytes());
        bytes.extend_from_slice(&noise);
        bytes
    })
}

/// The paste parser's promises, checked on every output.
fn check_paste(text: &str) -> Vec<PastedEvent> {
    let events = parse_paste(text);
    assert!(events.len() <= MAX_EVENTS, "{} events", events.len());
    for e in &events {
        if let Some(d) = &e.description {
            assert!(!d.contains('\n') && !d.contains('\r'), "multi-line {d:?}");
            // A description comes from the paste: it cannot be longer than the paste.
            assert!(d.len() <= text.len(), "description longer than the paste");
        }
    }
    events
}

/// The article parser is deterministic and, when it succeeds, keeps the header's id.
fn check_article(bytes: &[u8]) {
    let first = parse_article(bytes);
    assert_eq!(first, parse_article(bytes), "two parses differ");
    if let Ok(a) = first
        && bytes.starts_with(b"DOCUMENT:Q900068 ")
    {
        assert_eq!(a.id.0, 900_068);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn kb_parser_survives_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_article(&bytes);
    }

    #[test]
    fn kb_parser_survives_fragment_soup(soup in fragments(200)) {
        check_article(soup.as_bytes());
    }

    #[test]
    fn kb_parser_survives_hostile_bodies(bytes in article_like()) {
        check_article(&bytes);
    }

    #[test]
    fn paste_parser_survives_any_string(text in any::<String>()) {
        check_paste(&text);
    }

    #[test]
    fn paste_parser_survives_any_bytes_decoded(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_paste(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn paste_parser_survives_fragment_soup(text in fragments(200)) {
        check_paste(&text);
    }

    #[test]
    fn blank_pastes_give_no_events(ws in "[ \t\r\n]{0,64}") {
        prop_assert!(parse_paste(&ws).is_empty());
    }
}

#[test]
fn a_256_kib_hostile_paste_finishes_with_bounded_output() {
    let paste = hostile_paste();
    assert_eq!(paste.len(), 256 * 1024);
    let events = check_paste(&paste);
    let text: usize = events
        .iter()
        .filter_map(|e| e.description.as_ref())
        .map(String::len)
        .sum();
    assert!(text <= paste.len(), "{text} bytes of descriptions");
}

#[test]
fn a_1_mib_hostile_article_finishes_with_bounded_output() {
    let bytes = hostile_article();
    assert!(bytes.len() >= 1024 * 1024 - 200 * 1024, "{}", bytes.len());
    let article = parse_article(&bytes).expect("the header is valid");
    // Output grows with the input, not faster: no entry without some bytes behind it.
    assert!(
        article.events.len() <= bytes.len() / 20,
        "{}",
        article.events.len()
    );
    assert!(article.references.len() <= bytes.len() / 7);
    let text: usize = article.sections.iter().map(|s| s.text.len()).sum();
    assert!(text <= 2 * bytes.len(), "{text} bytes of section text");
    // Repeated citations of one article are one reference, as everywhere else.
    let q123456 = article
        .references
        .iter()
        .filter(|r| r.id.0 == 123_456)
        .count();
    assert!(q123456 <= 1, "Q123456 listed {q123456} times");
}

/// Inputs the fuzzers once crashed on (and seeds), under `tests/regressions/{kb,paste}/`.
fn regressions(kind: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "{} is empty: keep the seed",
        dir.display()
    );
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn saved_kb_regressions_parse_without_panic() {
    for (path, bytes) in regressions("kb") {
        let outcome = std::panic::catch_unwind(|| check_article(&bytes));
        assert!(outcome.is_ok(), "{} panics", path.display());
    }
}

#[test]
fn saved_paste_regressions_parse_without_panic() {
    for (path, bytes) in regressions("paste") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let outcome = std::panic::catch_unwind(|| check_paste(&text));
        assert!(outcome.is_ok(), "{} panics", path.display());
    }
}
