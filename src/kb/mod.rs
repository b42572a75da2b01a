//! The KB article format: pure parsing of Microsoft's plain-text articles, no I/O.

mod blocks;
pub mod diagnosis;
mod events;
mod facts;
mod header;
mod layout;
mod model;
mod refs;
mod text;

pub use diagnosis::{Diagnosis, diagnose};
pub use facts::{citations, is_catalogue, mentioned_event_ids, title_kind};
pub use model::*;
pub use text::{decode_text, fold_source, sentences};

/// Cuts a stored section text (as in [`Section::text`]) into blocks, as the import does:
/// for databases written by an older parser whose stored blocks no longer deserialize.
pub fn blocks_of_text(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    blocks::split_blocks(&lines)
}

pub use events::Label as EventLabel;
pub use events::NO_EVENT_ID;

/// A quoted event-log line (`Event ID: 68`, `Source:  MSExchangeCCMC`) split into what its
/// label names, the label as written (without the colon) and the value, both trimmed;
/// `None` when the line does not start with an event label.
pub fn event_field(line: &str) -> Option<(EventLabel, &str, &str)> {
    let t = line.trim();
    let (label, value) = events::label_at(t)?;
    let written = t[..t.len() - value.len()].trim_end_matches(':').trim_end();
    Some((label, written, value.trim()))
}

/// Changes whenever the parser reads the same bytes into a different article, so imports
/// re-parse what an older parser stored. Bump it with every such change.
pub const PARSER_VERSION: u32 = 8;

/// Why bytes are not an article; the caller adds the file path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The input holds nothing but whitespace.
    #[error("the file is empty")]
    Empty,
    /// The first line is not `DOCUMENT:...`.
    #[error("does not start with a DOCUMENT: line")]
    NotAnArticle,
    /// A header line is malformed.
    #[error("bad header on line {line}: {why}")]
    BadHeader {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        why: String,
    },
    /// The `DOCUMENT:` line's date is not `DD-MON-YYYY`.
    #[error("bad date {0:?} on the DOCUMENT: line (expected DD-MON-YYYY)")]
    BadDate(String),
}

/// Parses one article from its file bytes (UTF-8 or Windows-1252, CRLF or LF lines).
pub fn parse_article(bytes: &[u8]) -> Result<Article, ParseError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let text = decode_text(bytes);
    let lines = text::lines(&text);
    let (header, header_end) = header::parse_header(&lines)?;
    let id = header.id;

    let disclaimer = layout::disclaimer_start(&lines).max(header_end);
    let (body_end, trailer_lines) = layout::split_trailer(&lines, disclaimer);
    let body_end = body_end.max(header_end);
    let body_start = body_start(&lines[..body_end], header_end);
    let (body_lines, tail) = layout::take_tail(&lines[body_start..body_end]);
    let body = layout::split_body(&body_lines);
    let read = read_sections(id, &body.sections);
    let mut trailer = read_trailer(&trailer_lines, header.keywords);
    trailer.fields.extend(tail.fields);

    Ok(Article {
        id,
        title: header.title,
        date: header.date,
        category: header.category,
        product: header.product,
        versions: header.versions,
        os: header.os,
        keywords: trailer.keywords,
        applies_to: body.applies_to,
        sections: read.sections,
        references: read.references,
        events: read.events,
        query_words: tail.query_words,
        technology: trailer.technology,
        issue_type: trailer.issue_type,
        trailer: trailer.fields,
    })
}

/// Where the body starts: past the blank lines and the `=` rule that close the header.
fn body_start(lines: &[&str], header_end: usize) -> usize {
    let mut start = header_end;
    while start < lines.len() && text::is_blank(lines[start]) {
        start += 1;
    }
    if start < lines.len() && text::is_rule(lines[start], '=', 20) {
        start += 1;
    }
    start
}

/// What the body's sections hold: the sections themselves, what they cite and the events
/// they quote (each once, in order).
struct Read {
    sections: Vec<Section>,
    references: Vec<Reference>,
    events: Vec<EventQuote>,
}

fn read_sections(id: ArticleId, body: &[(String, Vec<&str>)]) -> Read {
    let mut sections = Vec::with_capacity(body.len());
    let mut references = refs::RefCollector::new(id);
    let mut events = Vec::new();
    for (heading, lines) in body {
        references.add_section(heading, lines);
        for e in events::find_events(lines) {
            if !events.contains(&e) {
                events.push(e);
            }
        }
        sections.push(Section {
            heading: heading.clone(),
            text: layout::section_text(lines),
            blocks: blocks::split_blocks(lines),
        });
    }
    Read {
        sections,
        references: references.finish(),
        events,
    }
}

/// The trailer's fields: its keywords (only when the header has none: it repeats them),
/// technology, issue type, and any other `Label : value` lines.
struct Trailer {
    keywords: Vec<String>,
    technology: Vec<String>,
    issue_type: Option<String>,
    fields: Vec<TrailerField>,
}

fn read_trailer(lines: &[(&str, &str)], header_keywords: Vec<String>) -> Trailer {
    let mut t = Trailer {
        keywords: header_keywords,
        technology: Vec::new(),
        issue_type: None,
        fields: Vec::new(),
    };
    for &(label, value) in lines {
        match label {
            "Keywords" => {
                if t.keywords.is_empty() {
                    t.keywords = layout::words(value);
                }
            }
            "Technology" => t.technology.extend(layout::words(value)),
            "Issue type" => t.issue_type = (!value.is_empty()).then(|| value.to_string()),
            _ => t.fields.push(TrailerField {
                label: label.to_string(),
                value: value.to_string(),
            }),
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An invented article in the archive's layout (LF here; CRLF is tested by the fixtures).
    const SMALL: &str = "DOCUMENT:Q900099  01-FEB-2000  [exchange]
TITLE   :XFOR: Fixture Title
PRODUCT :Microsoft Exchange
PROD/VER:winnt:5.5
OPER/SYS:
KEYWORDS:kbusage kbprb

======================================================================
-------------------------------------------------------------------------------
The information in this article applies to:

 - Product One, version 5.5
-------------------------------------------------------------------------------

SYMPTOMS
========

The log shows:

   Event ID: 12
   Source: FixtureSvc
   Description: It broke.

CAUSE
=====

 - First cause.

 - Second cause, see Q900098.

Additional query words: fixture words

======================================================================
Keywords          : kbusage kbprb
Technology        : kbOne kbTwo
Version           : winnt:5.5
Issue type        : kbprb

=============================================================================

THE INFORMATION PROVIDED IN THE MICROSOFT KNOWLEDGE BASE IS
(shortened)

Copyright Microsoft Corporation 2000.";

    #[test]
    fn parses_small_article() {
        let a = parse_article(SMALL.as_bytes()).unwrap();
        assert_eq!(a.id, ArticleId(900099));
        assert_eq!(a.keywords, ["kbusage", "kbprb"]);
        assert_eq!(a.applies_to, ["Product One, version 5.5"]);
        assert_eq!(a.sections.len(), 2);
        assert_eq!(
            a.sections[1].text,
            " - First cause.\n\n - Second cause, see Q900098."
        );
        assert_eq!(
            a.sections[1].blocks,
            [Block::Bullets {
                items: vec![
                    Item {
                        number: None,
                        text: "First cause.".into(),
                        blocks: vec![]
                    },
                    Item {
                        number: None,
                        text: "Second cause, see Q900098.".into(),
                        blocks: vec![]
                    }
                ]
            }]
        );
        assert_eq!(a.events.len(), 1);
        assert_eq!(a.events[0].description.as_deref(), Some("It broke."));
        assert_eq!(a.references[0].id, ArticleId(900098));
        assert_eq!(a.references[0].section, "CAUSE");
        assert_eq!(a.technology, ["kbOne", "kbTwo"]);
        assert_eq!(a.query_words, ["fixture", "words"]);
        let crlf = SMALL.replace('\n', "\r\n");
        assert_eq!(parse_article(crlf.as_bytes()).unwrap(), a);
    }

    #[test]
    fn errors() {
        let cases: [(&[u8], ParseError); 6] = [
            (b"", ParseError::Empty),
            (b" \r\n\t", ParseError::Empty),
            (b"hello", ParseError::NotAnArticle),
            (
                b"DOCUMENT:Q1  99-XYZ-1999  [x]\r\nTITLE   :t",
                ParseError::BadDate("99-XYZ-1999".into()),
            ),
            (
                b"DOCUMENT:Q1  01-JAN-1999  [x]\r\n",
                ParseError::BadHeader {
                    line: 2,
                    why: "no TITLE line".into(),
                },
            ),
            (
                b"DOCUMENT:  01-JAN-1999",
                ParseError::BadHeader {
                    line: 1,
                    why: "\"01-JAN-1999\" is not an article id".into(),
                },
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                parse_article(bytes).unwrap_err(),
                want,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert_eq!(
            ParseError::NotAnArticle.to_string(),
            "does not start with a DOCUMENT: line"
        );
    }

    #[test]
    fn never_panics() {
        let bytes = SMALL.as_bytes();
        for cut in 0..=bytes.len() {
            let _ = parse_article(&bytes[..cut]);
            let _ = parse_article(&bytes[cut..]);
        }
        // Flip bytes at pseudo-random places, including into invalid UTF-8.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            let mut v = bytes.to_vec();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed % v.len() as u64) as usize;
                v[at] = (seed >> 32) as u8;
            }
            let _ = parse_article(&v);
        }
    }
}
