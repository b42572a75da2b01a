//! Parses the invented fixture articles and checks what each one is there to exercise.

use kbfix::kb::{Article, Block, EventQuote, parse_article};
use std::path::PathBuf;

/// The fixture folder: `fixtures/` here, `tests/fixtures/` once moved into the app.
fn fixture(name: &str) -> Article {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = ["tests/fixtures", "fixtures"]
        .iter()
        .map(|d| root.join(d).join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("fixture {name} not found"));
    let bytes = std::fs::read(&path).expect("readable fixture");
    parse_article(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ev(id: u32, source: &str, kind: &str, category: &str, desc: &str) -> EventQuote {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    EventQuote {
        event_id: id,
        source: opt(source),
        kind: opt(kind),
        category: opt(category),
        description_labelled: !desc.is_empty(),
        inline_fields: false,
        description: opt(desc),
    }
}

fn lists<'a>(a: &'a Article, heading: &str) -> Vec<&'a Block> {
    let s = a
        .sections
        .iter()
        .find(|s| s.heading == heading)
        .expect("section exists");
    s.blocks
        .iter()
        .filter(|b| matches!(b, Block::Steps { .. } | Block::Bullets { .. }))
        .collect()
}

#[test]
fn seed_story_68() {
    let a = fixture("Q900068.TXT");
    assert_eq!(a.id.to_string(), "Q900068");
    assert_eq!(
        (a.date.as_str(), a.category.as_str(), a.versions.as_str()),
        ("1999-05-27", "exchange", "winnt:5.0,5.5")
    );
    assert_eq!(
        a.applies_to,
        ["Microsoft Exchange Server, versions 5.0, 5.5"]
    );
    let heads: Vec<&str> = a.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        heads,
        ["SYMPTOMS", "CAUSE", "RESOLUTION", "MORE INFORMATION"]
    );
    assert_eq!(
        a.events,
        [ev(
            68,
            "MSExchangeCCMC",
            "Error",
            "General",
            "Bridge EXPORT to file BRIDGE.EXP ended with result code 1. The bridge could not open the remote post office."
        )]
    );
    match lists(&a, "RESOLUTION").as_slice() {
        [Block::Steps { items: steps, .. }] => {
            assert_eq!(steps.len(), 3);
            assert_eq!(steps[2].number, Some(3));
            assert!(steps[0].text.starts_with(
                "Open the administration console. To do this, click Start, point to Programs"
            ));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.references.len(), 1);
    let r = &a.references[0];
    assert_eq!(
        (r.id.0, r.title.as_deref(), r.section.as_str()),
        (
            900070,
            Some("XFOR: Mail Bridge Connector Logs Event ID 70"),
            "MORE INFORMATION"
        )
    );
    assert_eq!(a.query_words, ["bridge", "dirsync", "fail", "stop"]);
    assert_eq!(a.issue_type.as_deref(), Some("kbprb"));
    assert_eq!(a.trailer.len(), 1);
    assert_eq!(
        (a.trailer[0].label.as_str(), a.trailer[0].value.as_str()),
        ("Version", "winnt:5.0,5.5")
    );
    let last = &a.sections.last().unwrap().text;
    assert!(
        last.ends_with("   Q900070 XFOR: Mail Bridge Connector Logs Event ID 70"),
        "{last:?}"
    );
}

#[test]
fn seed_story_70() {
    let a = fixture("Q900070.TXT");
    assert_eq!(
        a.events,
        [ev(
            70,
            "MSExchangeCCMC",
            "Error",
            "General",
            "Bridge EXPORT to file msgnnnn.brg ended with result code 3. The mail bridge connector is not set up correctly or the post office it points to cannot be reached right now."
        )]
    );
    match lists(&a, "CAUSE").as_slice() {
        [Block::Bullets { items: causes }] => {
            assert_eq!(causes.len(), 5);
            assert!(causes[3].full_text().starts_with(
                "The server was installed into a folder whose path contains a space. For more"
            ));
            assert!(causes[3].full_text().ends_with(
                "Q900068 XFOR: Event ID 68 During Directory Exchange with the Mail Bridge"
            ));
        }
        other => panic!("{other:?}"),
    }
    match lists(&a, "RESOLUTION").as_slice() {
        [Block::Steps { items: steps, .. }] => {
            assert_eq!(steps.len(), 4);
            // The NetWare checks are bullets nested under step 2.
            match steps[1].blocks.as_slice() {
                [Block::Bullets { items }] => {
                    assert_eq!(
                        items[1].text,
                        "Make sure the gateway account can see the share."
                    )
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    let cited: Vec<(u32, &str)> = a
        .references
        .iter()
        .map(|r| (r.id.0, r.section.as_str()))
        .collect();
    assert_eq!(cited, [(900068, "CAUSE")]);
    assert!(a.issue_type.is_none());
    assert_eq!(a.query_words, ["bridge", "export"]);
}

#[test]
fn windows_1252() {
    let a = fixture("Q900001.TXT");
    assert_eq!(a.title, "Setup Can\u{2019}t Find the Caf\u{e9} Driver Disk");
    assert!(
        a.sections[0]
            .text
            .contains("\u{201c}Insert the Caf\u{e9} driver disk\u{201d}")
    );
    assert_eq!(a.query_words, ["caf\u{e9}", "driver"]);
    assert_eq!(
        a.trailer
            .iter()
            .map(|t| t.label.as_str())
            .collect::<Vec<_>>(),
        ["Version", "Solution Type"]
    );
}

#[test]
fn nt4_spellings() {
    let a = fixture("Q900002.TXT");
    assert_eq!(
        a.events,
        [
            ev(
                8,
                "SNA Server",
                "Warning",
                "None",
                "(1174) Internal protocol violation between the gateway service and a link service."
            ),
            // The two-column Event Detail copy: fields share lines.
            EventQuote {
                inline_fields: true,
                ..ev(
                    7023,
                    "Service Control Manager",
                    "Error",
                    "None",
                    "The SnaBase service terminated with the following error: The system cannot find the file specified."
                )
            },
        ]
    );
}

#[test]
fn old_style() {
    let a = fixture("Q900003.TXT");
    assert!(a.applies_to.is_empty());
    assert!(a.keywords.is_empty() && a.technology.is_empty());
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.sections[0].heading, "SUMMARY");
    assert!(!a.sections[0].text.contains("KBCategory"));
    assert_eq!(a.query_words, ["5.00", "ruler", "border", "draftview"]);
    let labels: Vec<&str> = a.trailer.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["KBCategory", "KBSubcategory"]);
}

#[test]
fn event_lists_and_article_id() {
    let a = fixture("Q900004.TXT");
    assert_eq!(
        a.applies_to,
        [
            "Microsoft Exchange Server, version 5.5",
            "The Message Transfer Agent (MTA), included with:",
            "Microsoft Exchange Server, version 5.5 Service Pack 3, Enterprise Edition",
        ]
    );
    assert_eq!(
        a.events,
        [
            ev(9405, "MSExchangeMTA", "Error", "", ""),
            // Unlabelled text right under the block is its description.
            EventQuote {
                description_labelled: false,
                inline_fields: true,
                ..ev(
                    208,
                    "MSExchangeMTA",
                    "Warning",
                    "X.400 Service",
                    "A message waited past its delivery time and a non-delivery report was generated. [MTA XFER-IN 17 358] (14)"
                )
            },
            EventQuote {
                inline_fields: true,
                ..ev(7000, "Service Control Manager", "Error", "", "")
            },
            ev(1001, "MSExchange MTA", "", "", ""),
        ]
    );
    let r = &a.references[0];
    assert_eq!(
        (r.id.0, r.title.as_deref(), r.section.as_str()),
        (
            900070,
            Some("XFOR: Mail Bridge Connector Logs Event ID 70"),
            "REFERENCES"
        )
    );
}

#[test]
fn no_sections() {
    let a = fixture("Q900005.TXT");
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.sections[0].heading, "");
    assert!(a.sections[0].text.starts_with("Setup writes its progress"));
    assert!(a.events.is_empty());
}

#[test]
fn nested_steps_and_wrapped_title() {
    let a = fixture("Q900006.TXT");
    let blocks = &a
        .sections
        .iter()
        .find(|s| s.heading == "MORE INFORMATION")
        .unwrap()
        .blocks;
    let steps: Vec<usize> = blocks
        .iter()
        .filter_map(|b| {
            if let Block::Steps { items, .. } = b {
                Some(items.len())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(steps, [3, 2]);
    assert_eq!(
        blocks[0],
        Block::Heading {
            text: "Moving the Content".into()
        }
    );
    let r = &a.references[0];
    assert_eq!(
        r.title.as_deref(),
        Some("HOWTO: Troubleshoot Access Denied Errors After Moving Web Content to a New Disk")
    );
}

#[test]
fn every_fixture_round_trips_through_json() {
    for name in [
        "Q900001.TXT",
        "Q900002.TXT",
        "Q900003.TXT",
        "Q900004.TXT",
        "Q900005.TXT",
        "Q900006.TXT",
        "Q900068.TXT",
        "Q900070.TXT",
    ] {
        let a = fixture(name);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Article>(&json).unwrap(), a, "{name}");
    }
}
