//! Table-driven tests of the labelled-line layouts, one layout per test.

use super::*;
use crate::paste::PasteFormat;

/// (format, id, source, level, category, log, computer, time, description)
pub(super) type Row<'a> = (
    PasteFormat,
    Option<u32>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn row(e: &PastedEvent) -> Row<'_> {
    (
        e.format,
        e.event_id,
        e.source.as_deref(),
        e.level.as_deref(),
        e.category.as_deref(),
        e.log.as_deref(),
        e.computer.as_deref(),
        e.time.as_deref(),
        e.description.as_deref(),
    )
}

pub(super) fn check(cases: &[(&str, Vec<Row>)]) {
    for (text, want) in cases {
        let got = parse(text);
        let got: Vec<Row> = got.iter().map(row).collect();
        assert_eq!(&got, want, "\n{text}");
    }
}

use PasteFormat::*;

#[test]
fn label_lines() {
    let cases: [(&str, Option<(Key, &str)>); 16] = [
        ("Event ID: 68", Some((Key::EventId, " 68"))),
        ("EventID:68", Some((Key::EventId, "68"))),
        ("Event Id :\t68", Some((Key::EventId, "\t68"))),
        ("  Event:  1000", Some((Key::EventId, "  1000"))),
        ("Event: none", None),
        ("Id           : 5", Some((Key::EventId, " 5"))),
        ("Id: abc", None),
        ("- Source: Foo", Some((Key::Source, " Foo"))),
        ("Task Category: None", Some((Key::Category, " None"))),
        ("ID de l’événement : 7", Some((Key::EventId, " 7"))),
        ("Ereignis-ID: 7", Some((Key::EventId, " 7"))),
        ("C:\\winnt\\system32", None),
        ("Error: access denied", None),
        ("0000: 00 01", None),
        ("", None),
        (
            "a very long line of prose that has a colon only far away: here",
            None,
        ),
    ];
    for (line, want) in cases {
        assert_eq!(label_of(line).map(|l| (l.key, l.value)), want, "{line}");
    }
}

#[test]
fn inline_labels() {
    let cases: [(&str, Option<(usize, Key)>); 6] = [
        (" 1/1/99   Event ID: 9", Some((10, Key::EventId))),
        (" 68, Source: Foo", Some((5, Key::Source))),
        (" 10:19:35 PM", None),
        (" Foo Bar", None),
        (" x Event: abc", None),
        (" N/A\tComputer: HOST", Some((5, Key::Computer))),
    ];
    for (value, want) in cases {
        assert_eq!(
            inline_label(value).map(|(at, l)| (at, l.key)),
            want,
            "{value}"
        );
    }
}

#[test]
fn list_properties() {
    let cases = [
        ("TimeCreated  : 1/2/2020", true),
        ("Site : ", true),
        ("  Id: 5", true),
        ("Error 5: denied", false),
        ("C:\\temp", true),
        ("no colon here", false),
        ("Logon Type:  3", false),
    ];
    for (line, want) in cases {
        assert_eq!(is_list_property(line), want, "{line}");
    }
}

#[test]
fn hex_lines() {
    let cases = [
        ("0000: 00 01 02 03", true),
        ("0008: 9f302940 48b3244b", true),
        ("  0010: ab", true),
        ("Data:", false),
        ("0000:", false),
        ("12: 00", false),
        ("Dead: beef", true),
    ];
    for (line, want) in cases {
        assert_eq!(is_hex_line(line), want, "{line}");
    }
}

#[test]
fn kb_layout() {
    check(&[
        (
            "Event ID: 68\nSource: MSExchangeCCMC\nType: Error\nCategory: None\nDescription: Could not\nreach the host.",
            vec![(
                Kb,
                Some(68),
                Some("MSExchangeCCMC"),
                Some("Error"),
                Some("None"),
                None,
                None,
                None,
                Some("Could not reach the host."),
            )],
        ),
        (
            "EventID:\t12\nEvent Source:\tWidget\nEvent Type:  Warning\nEvent Category: Disk\nDescription:\n\nThe disk is slow.\n\nThis article describes...",
            vec![(
                Kb,
                Some(12),
                Some("Widget"),
                Some("Warning"),
                Some("Disk"),
                None,
                None,
                None,
                Some("The disk is slow."),
            )],
        ),
        (
            "   Event Id : 7\n   Source : Widget\n   Description : One\n   two.",
            vec![(
                Kb,
                Some(7),
                Some("Widget"),
                None,
                None,
                None,
                None,
                None,
                Some("One two."),
            )],
        ),
        (
            "Event: 1000\r\nSource: Widget\r\nDescription: Broke.\r\n",
            vec![(
                Kb,
                Some(1000),
                Some("Widget"),
                None,
                None,
                None,
                None,
                None,
                Some("Broke."),
            )],
        ),
        (
            "Event ID: 68, Source: MSExchangeCCMC, Type: Error",
            vec![(
                Kb,
                Some(68),
                Some("MSExchangeCCMC"),
                Some("Error"),
                None,
                None,
                None,
                None,
                None,
            )],
        ),
        (
            "Description: Broke hard.\nEvent ID: 3\nSource: S",
            vec![(
                Kb,
                Some(3),
                Some("S"),
                None,
                None,
                None,
                None,
                None,
                Some("Broke hard."),
            )],
        ),
        (
            "Event ID: 1\nSource: A\nDescription: First.\n\nEvent ID: 2\nSource: B\nDescription: Second.",
            vec![
                (
                    Kb,
                    Some(1),
                    Some("A"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("First."),
                ),
                (
                    Kb,
                    Some(2),
                    Some("B"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("Second."),
                ),
            ],
        ),
        (
            "Source: A\nEvent ID: 1\nDescription: First.\nSource: B\nEvent ID: 2\nDescription: Second.",
            vec![
                (
                    Kb,
                    Some(1),
                    Some("A"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("First."),
                ),
                (
                    Kb,
                    Some(2),
                    Some("B"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("Second."),
                ),
            ],
        ),
        (
            "Event ID: 9405\nSource: MTA\nDescription: An error. Error: Access violation\nat 0x0.",
            vec![(
                Kb,
                Some(9405),
                Some("MTA"),
                None,
                None,
                None,
                None,
                None,
                Some("An error. Error: Access violation at 0x0."),
            )],
        ),
        (
            "Date: 1/1/99   Event ID: 9\nTime: 1:00   Source: Srv\nUser: N/A   Type: Error\nComputer: X   Category: None\nDescription: Failed.",
            vec![(
                Kb,
                Some(9),
                Some("Srv"),
                Some("Error"),
                Some("None"),
                None,
                Some("X"),
                Some("1/1/99 1:00"),
                Some("Failed."),
            )],
        ),
        (
            "Event ID: 5\nSource: Widget Type: Warning\nType: Error\nDescription: Text.",
            vec![(
                Kb,
                Some(5),
                Some("Widget"),
                Some("Error"),
                None,
                None,
                None,
                None,
                Some("Text."),
            )],
        ),
        (
            "Event ID: 2143\nSource: MTA\nDescription: Object\nID: 28. Attribute\nvalue.",
            vec![(
                Kb,
                Some(2143),
                Some("MTA"),
                None,
                None,
                None,
                None,
                None,
                Some("Object ID: 28. Attribute value."),
            )],
        ),
        (
            "Event ID: 624\nSource: SNA Server\nDescription: ",
            vec![(
                Kb,
                Some(624),
                Some("SNA Server"),
                None,
                None,
                None,
                None,
                None,
                None,
            )],
        ),
    ]);
}

#[test]
fn not_events() {
    for text in [
        "The service failed. Error: 5 Access is denied.",
        "Source: somewhere",
        "C:\\Program Files\\x: not found",
        "",
    ] {
        assert!(parse(text).is_empty(), "{text}");
    }
}

#[test]
fn unlabelled_message_under_an_article_header() {
    check(&[
        // The message right under the header, as articles quote it.
        (
            "Event ID: 4410; Source: SpoolX\nThe print queue Sales could not reach its port.\nIt was paused.\n\nWe see this daily.",
            vec![(
                Kb,
                Some(4410),
                Some("SpoolX"),
                None,
                None,
                None,
                None,
                None,
                Some("The print queue Sales could not reach its port. It was paused."),
            )],
        ),
        // Two events, each with its message under its header.
        (
            "Event ID: 12 Source: Widget\nThe widget stalled.\n\nEvent ID: 13 Source: Widget\nThe widget gave up.",
            vec![
                (
                    Kb,
                    Some(12),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("The widget stalled."),
                ),
                (
                    Kb,
                    Some(13),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    Some("The widget gave up."),
                ),
            ],
        ),
        // A blank line between: the text below is the writer's, not the message.
        (
            "Event ID: 12\nSource: Widget\n\nAny idea why this happens?",
            vec![(
                Kb,
                Some(12),
                Some("Widget"),
                None,
                None,
                None,
                None,
                None,
                None,
            )],
        ),
        // No id: a source and a type alone do not make a header the message may follow.
        (
            "Source: Widget\nType: Error\nThe widget stalled.",
            vec![(
                Kb,
                None,
                Some("Widget"),
                Some("Error"),
                None,
                None,
                None,
                None,
                None,
            )],
        ),
    ]);
}

#[test]
fn flattened_copies_cut_at_labels_not_at_other_ids() {
    let cases: [(&str, usize); 3] = [
        (
            "Log Name: Security Source: Security Event ID: 560 Task: Object Access Keywords: Audit Success Description: Object Open",
            6,
        ),
        // "Handle ID:" is a handle's id, not a label: the piece before it stays whole.
        (
            "Log Name: Security Source: Security Task: Object Access Handle ID: 868 Operation ID: 5 Description: Object Open",
            4,
        ),
        ("Source: Srv Event ID: 2019", 1),
    ];
    for (line, pieces) in cases {
        assert_eq!(
            unflatten(line).len(),
            pieces,
            "{line}: {:?}",
            unflatten(line)
        );
    }
}
