//! Unit tests for `kb::events`: event quotes found in made-up article text.

use super::*;

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

fn unlabelled(q: EventQuote) -> EventQuote {
    EventQuote {
        description_labelled: false,
        ..q
    }
}

fn inline(q: EventQuote) -> EventQuote {
    EventQuote {
        inline_fields: true,
        ..q
    }
}

#[test]
fn labels() {
    let cases = [
        ("Event ID: 68", Some((Label::Id, " 68"))),
        ("EventID:70", Some((Label::Id, "70"))),
        ("Event Id : 5", Some((Label::Id, " 5"))),
        ("EVENT ID:\t9", Some((Label::Id, "\t9"))),
        ("Event: 1000", Some((Label::Id, " 1000"))),
        ("Event: Converter", None),
        ("Event Type:\tWarning", Some((Label::Type, "\tWarning"))),
        ("Source:X", Some((Label::Source, "X"))),
        ("Sources: X", None),
        ("Description:", Some((Label::Description, ""))),
        ("Types of things", None),
        ("ID: 5", None),
        (
            "MESSAGE TEXT: Cannot",
            Some((Label::Description, " Cannot")),
        ),
    ];
    for (s, want) in cases {
        assert_eq!(label_at(s), want, "{s}");
    }
}

#[test]
fn field_lines() {
    use Label::*;
    type Fields<'a> = Option<Vec<(Label, &'a str)>>;
    let cases: Vec<(&str, Fields)> = vec![
        ("   Event ID: 68", Some(vec![(Id, "68")])),
        (
            "Event ID: 7, Source: Srv, Type: Error",
            Some(vec![(Id, "7"), (Source, "Srv"), (Type, "Error")]),
        ),
        (
            "Date: 1/2/99\tEvent ID: 7",
            Some(vec![(Other, "1/2/99"), (Id, "7")]),
        ),
        (
            "   MSExchangeMTA Event ID: 208",
            Some(vec![(Source, "MSExchangeMTA"), (Id, "208")]),
        ),
        (
            "Description: a Type: b",
            Some(vec![(Description, "a Type: b")]),
        ),
        (
            " - Event ID: 5 - Source: SNA Server",
            Some(vec![(Id, "5"), (Source, "SNA Server")]),
        ),
        ("Q900001: XCON: Event ID: 9 title", None),
        ("The Event ID: 9 is logged", None),
        ("plain text", None),
    ];
    for (line, want) in cases {
        assert_eq!(field_line(line), want, "{line}");
    }
}

#[test]
fn finds() {
    let cases: Vec<(&str, Vec<EventQuote>)> = vec![
        // Fields then a wrapped description ending at the blank line.
        (
            "Text:\n\n   Event ID: 68\n   Source: Src\n   Type: Error\n   Category: General\n   Description: One two\n   three.\n\nAfter.",
            vec![ev(68, "Src", "Error", "General", "One two three.")],
        ),
        // A bare Description line, a blank, then the text.
        (
            "   STOP\n   Event ID:70\n   Source:Src\n\n   Description:\n\n   Long text\n   goes on.\n\nProse.",
            vec![ev(70, "Src", "", "", "Long text goes on.")],
        ),
        // NT4 tab style, type first, description dedents at column 0.
        (
            "Event Type:\tWarning\nEvent Source:\tSNA Server\nEvent Category:\tNone\nEvent ID:\t8\nDescription:\nBad thing.\n\nMore prose.",
            vec![ev(8, "SNA Server", "Warning", "None", "Bad thing.")],
        ),
        // Event viewer pairs on one line, then Data with hex.
        (
            "Date: 1/1/99   Event ID: 9\nTime: 1:00   Source: Srv\nUser: N/A   Type: Error\nComputer: X   Category: None\nDescription: Failed.\nData:\n0000: 00 00 00 00\n0008: 01 01 01 01",
            vec![inline(ev(9, "Srv", "Error", "None", "Failed."))],
        ),
        // Two events in a row, and a duplicate.
        (
            "Event ID: 1\nSource: A\n\nEvent ID: 2\nSource: A\n\nEvent ID: 1\nSource: A",
            vec![ev(1, "A", "", "", ""), ev(2, "A", "", "", "")],
        ),
        // Unlabelled description one blank line under an indented block.
        (
            "   Event ID: 1345 - Source: SNA\n\n   Unable to get\n   it.\n\n   Not this.",
            vec![inline(unlabelled(ev(
                1345,
                "SNA",
                "",
                "",
                "Unable to get it.",
            )))],
        ),
        // Source prefix and unlabelled description under an indented block.
        (
            "   MSExchangeMTA Event ID: 208\n   Type: Warning\n   Some text\n   more.\nProse.",
            vec![inline(unlabelled(ev(
                208,
                "MSExchangeMTA",
                "Warning",
                "",
                "Some text more.",
            )))],
        ),
        // No id, but a source and a message under it: an event of unknown id.
        (
            "   Source: FooSvc\n   Error: The widget could not\n   be started.\n\nProse.",
            vec![unlabelled(ev(
                NO_EVENT_ID,
                "FooSvc",
                "",
                "",
                "Error: The widget could not be started.",
            ))],
        ),
        // A source with no message under it is no event.
        ("   Source: FooSvc\n\nProse.", vec![]),
        ("Source: FooSvc\nSome prose at column 0.", vec![]),
        // No id: a registry value, not an event.
        ("   Type: REG_DWORD\n   Data: 1", vec![]),
        ("Event ID: none\nSource: X", vec![]),
        // An explanation goes on with an open description, labels and all.
        (
            "   Event ID: 705\n   Source: SNA Base Service\n   Description: Logon Failed.\n   Explanation: Request failed.\n   More --- Error Code: C0000041H\n\nProse.",
            vec![ev(
                705,
                "SNA Base Service",
                "",
                "",
                "Logon Failed. Explanation: Request failed. More --- Error Code: C0000041H",
            )],
        ),
        // Description ends at another label.
        (
            "Event ID: 3\nDescription: d\nSource: S",
            vec![ev(3, "S", "", "", "d")],
        ),
    ];
    for (src, want) in cases {
        let lines: Vec<&str> = src.lines().collect();
        assert_eq!(find_events(&lines), want, "{src}");
    }
}

/// The first-letter rule-out in `label_at` holds only while it lists every spelling's.
#[test]
fn label_initials_cover_every_spelling() {
    for (spelling, _) in LABELS {
        assert!(
            LABEL_INITIALS.contains(&spelling.as_bytes()[0]),
            "{spelling}"
        );
    }
}
