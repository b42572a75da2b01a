//! Table-driven tests of the labelled-line layouts, one layout per test.

use super::*;
use crate::paste::PasteFormat;

/// (format, id, source, level, category, log, computer, time, description)
type Row<'a> = (
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

fn check(cases: &[(&str, Vec<Row>)]) {
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
fn vista_copy() {
    let base = "Log Name:      Application\nSource:        Widget Service\nDate:          3/4/2021 5:06:07 PM\nEvent ID:      1001\nTask Category: None\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\nComputer:      host.example.local\nDescription:\n";
    let full = (
        Vista,
        Some(1001),
        Some("Widget Service"),
        Some("Error"),
        Some("None"),
        Some("Application"),
        Some("host.example.local"),
        Some("3/4/2021 5:06:07 PM"),
        Some("The widget failed. Account Name: bob Source: elsewhere"),
    );
    let text1 = format!("{base}The widget failed.\n\nAccount Name: bob\nSource: elsewhere\n");
    let text2 = format!(
        "{base}The widget failed.\n\nAccount Name: bob\nSource: elsewhere\nEvent Xml:\n<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n  <System>\n    <Provider Name=\"Widget Service\" />\n    <EventID Qualifiers=\"49152\">1001</EventID>\n  </System>\n</Event>"
    );
    let two = format!("{text1}{text1}");
    let cut_short = format!(
        "{base}Text.\nEvent Xml:\n<Event><RenderingInfo><Message>Source: x\nUser: y\n{base}Text.\n"
    );
    let empty_then_prose = format!("{base}\nThanks for any help.\n");
    let xml_only = "Event Xml:\n<Event><System><Provider Name=\"Widget\"/><EventID>77</EventID></System><EventData><Data>x</Data></EventData></Event>";
    let xml_fills = "Log Name: Application\nSource: Widget\nEvent ID:\nLevel: Error\nDescription:\n\nEvent Xml:\n<Event><System><Provider Name=\"Widget\"/><EventID>77</EventID><Computer>HOST</Computer></System></Event>";
    let german = "Protokollname: System\nQuelle:        Widget\nDatum:         04.03.2021 17:06:07\nEreignis-ID:   1001\nAufgabenkategorie: Keine\nEbene:         Fehler\nSchlüsselwörter: Klassisch\nBenutzer:      Nicht zutreffend\nComputer:      host\nBeschreibung:\nDas Widget ist ausgefallen.";
    let french = "Nom du journal :  System\nSource :          Widget\nDate :            04/03/2021 17:06:07\nID de l’événement : 1001\nCatégorie de la tâche : Aucun\nNiveau :          Erreur\nMots clés :       Classique\nUtilisateur :     N/A\nOrdinateur :      host\nDescription :\nLe widget a échoué.";
    check(&[
        (text1.as_str(), vec![full]),
        (text2.as_str(), vec![full]),
        (two.as_str(), vec![full, full]),
        (
            xml_fills,
            vec![(
                Vista,
                Some(77),
                Some("Widget"),
                Some("Error"),
                None,
                Some("Application"),
                Some("HOST"),
                None,
                None,
            )],
        ),
        (
            cut_short.as_str(),
            vec![
                (
                    Vista,
                    Some(1001),
                    Some("Widget Service"),
                    Some("Error"),
                    Some("None"),
                    Some("Application"),
                    Some("host.example.local"),
                    Some("3/4/2021 5:06:07 PM"),
                    Some("Text."),
                ),
                (
                    Vista,
                    Some(1001),
                    Some("Widget Service"),
                    Some("Error"),
                    Some("None"),
                    Some("Application"),
                    Some("host.example.local"),
                    Some("3/4/2021 5:06:07 PM"),
                    Some("Text."),
                ),
            ],
        ),
        (
            empty_then_prose.as_str(),
            vec![(
                Vista,
                Some(1001),
                Some("Widget Service"),
                Some("Error"),
                Some("None"),
                Some("Application"),
                Some("host.example.local"),
                Some("3/4/2021 5:06:07 PM"),
                None,
            )],
        ),
        (
            xml_only,
            vec![(
                Xml,
                Some(77),
                Some("Widget"),
                None,
                None,
                None,
                None,
                None,
                Some("x"),
            )],
        ),
        (
            german,
            vec![(
                Vista,
                Some(1001),
                Some("Widget"),
                Some("Fehler"),
                Some("Keine"),
                Some("System"),
                Some("host"),
                Some("04.03.2021 17:06:07"),
                Some("Das Widget ist ausgefallen."),
            )],
        ),
        (
            french,
            vec![(
                Vista,
                Some(1001),
                Some("Widget"),
                Some("Erreur"),
                Some("Aucun"),
                Some("System"),
                Some("host"),
                Some("04/03/2021 17:06:07"),
                Some("Le widget a échoué."),
            )],
        ),
    ]);
}

#[test]
fn nt4_copy() {
    let one = "Event Type:\tWarning\nEvent Source:\tWidget\nEvent Category:\tNone\nEvent ID:\t4321\nDate:\t\t1/2/2003\nTime:\t\t4:05:06 AM\nUser:\t\tN/A\nComputer:\tHOST\nDescription:\nThe widget is\nslow.\n\nFor more information, see Help.\nData:\n0000: 00 01 02 03\n0008: 04 05 06 07\n";
    let want = (
        Nt4,
        Some(4321),
        Some("Widget"),
        Some("Warning"),
        Some("None"),
        None,
        Some("HOST"),
        Some("1/2/2003 4:05:06 AM"),
        Some("The widget is slow. For more information, see Help."),
    );
    let two = format!("{one}\n{one}");
    let spaces = one.replace('\t', "    ");
    let german = "Typ:\tFehler\nQuelle:\tWidget\nKategorie:\tKeine\nEreigniskennung:\t7\nDatum:\t\t02.01.2003\nZeit:\t\t04:05:06\nBenutzer:\tNicht zutreffend\nComputer:\tHOST\nBeschreibung:\nDas Widget ist\nausgefallen.\nDaten:\n0000: 00 01 02 03\n";
    let odd = one.replace("Warning", "Warning Category:");
    let empty = "Event Type:\tError\nEvent Source:\tWidget\nEvent Category:\tNone\nEvent ID:\t9\nDate:\t\t1/2/2003\nTime:\t\t4:05:06 AM\nUser:\t\tN/A\nComputer:\tHOST\nDescription:\n\nData:\n0000: 00 01 02 03\n";
    check(&[
        (one, vec![want]),
        (two.as_str(), vec![want, want]),
        (spaces.as_str(), vec![want]),
        (
            german,
            vec![(
                Nt4,
                Some(7),
                Some("Widget"),
                Some("Fehler"),
                Some("Keine"),
                None,
                Some("HOST"),
                Some("02.01.2003 04:05:06"),
                Some("Das Widget ist ausgefallen."),
            )],
        ),
        (
            odd.as_str(),
            vec![(
                Nt4,
                Some(4321),
                Some("Widget"),
                Some("Warning Category:"),
                Some("None"),
                None,
                Some("HOST"),
                Some("1/2/2003 4:05:06 AM"),
                Some("The widget is slow. For more information, see Help."),
            )],
        ),
        (
            empty,
            vec![(
                Nt4,
                Some(9),
                Some("Widget"),
                Some("Error"),
                Some("None"),
                None,
                Some("HOST"),
                Some("1/2/2003 4:05:06 AM"),
                None,
            )],
        ),
    ]);
}

#[test]
fn wevtutil_text() {
    let text = "Event[0]:\n  Log Name: System\n  Source: Widget\n  Date: 2020-01-02T03:04:05.000\n  Event ID: 12\n  Task: N/A\n  Level: Error\n  Opcode: Info\n  Keyword: Classic\n  User: N/A\n  User Name: N/A\n  Computer: HOST\n  Description: \nThe widget broke.\n\nAgain.\nEvent[1]:\n  Log Name: System\n  Source: \n  Date: 2020-01-02T03:04:06.000\n  Event ID: 13\n  Task: N/A\n  Level: Warning\n  Computer: HOST\n  Description: It is slow.\n";
    check(&[(
        text,
        vec![
            (
                Wevtutil,
                Some(12),
                Some("Widget"),
                Some("Error"),
                Some("N/A"),
                Some("System"),
                Some("HOST"),
                Some("2020-01-02T03:04:05.000"),
                Some("The widget broke. Again."),
            ),
            (
                Wevtutil,
                Some(13),
                None,
                Some("Warning"),
                Some("N/A"),
                Some("System"),
                Some("HOST"),
                Some("2020-01-02T03:04:06.000"),
                Some("It is slow."),
            ),
        ],
    )]);
}

#[test]
fn get_winevent_format_list() {
    let short = "TimeCreated  : 1/2/2020 3:04:05 AM\nProviderName : Widget\nId           : 12\nMessage      : The widget broke because the\n               disk is full.\n\nTimeCreated  : 1/2/2020 3:04:06 AM\nProviderName : Widget\nId           : 13\nMessage      : \n\n";
    let selected = "EventID : 12\nSource  : Widget\nMessage : It broke.\n";
    let unknown =
        "Message      : Text\n               more.\nSomeNewField : x\nId           : 12\n";
    let star = "Message              : First line.\n                       \n                       Logon Type:  3\nId                   : 4625\nVersion              : 0\nLevel                : 0\nTask                 : 12544\nProviderName         : Microsoft-Windows-Security-Auditing\nLogName              : Security\nMachineName          : host\nTimeCreated          : 1/2/2020 3:04:05 AM\nLevelDisplayName     : Information\nTaskDisplayName      : Logon\n";
    check(&[
        (
            short,
            vec![
                (
                    Pwsh,
                    Some(12),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    Some("1/2/2020 3:04:05 AM"),
                    Some("The widget broke because the disk is full."),
                ),
                (
                    Pwsh,
                    Some(13),
                    Some("Widget"),
                    None,
                    None,
                    None,
                    None,
                    Some("1/2/2020 3:04:06 AM"),
                    None,
                ),
            ],
        ),
        (
            selected,
            vec![(
                Geteventlog,
                Some(12),
                Some("Widget"),
                None,
                None,
                None,
                None,
                None,
                Some("It broke."),
            )],
        ),
        (
            unknown,
            vec![(
                Pwsh,
                Some(12),
                None,
                None,
                None,
                None,
                None,
                None,
                Some("Text more."),
            )],
        ),
        (
            star,
            vec![(
                Pwsh,
                Some(4625),
                Some("Microsoft-Windows-Security-Auditing"),
                Some("Information"),
                Some("Logon"),
                Some("Security"),
                Some("host"),
                Some("1/2/2020 3:04:05 AM"),
                Some("First line. Logon Type: 3"),
            )],
        ),
    ]);
}

#[test]
fn get_eventlog_format_list() {
    let text = "Index              : 1\nEntryType          : Information\nInstanceId         : 1073748860\nMessage            : The Widget service entered\n                     the running state.\nCategory           : (0)\nCategoryNumber     : 0\nSource             : Service Control Manager\nTimeGenerated      : 1/2/2020 3:04:05 AM\nMachineName        : HOST\n\nIndex              : 2\nEventID            : 7\nEntryType          : Error\nInstanceId         : 3221225479\nMessage            : \nSource             : Widget\n";
    check(&[(
        text,
        vec![
            (
                Geteventlog,
                Some(7036),
                Some("Service Control Manager"),
                Some("Information"),
                Some("(0)"),
                None,
                Some("HOST"),
                Some("1/2/2020 3:04:05 AM"),
                Some("The Widget service entered the running state."),
            ),
            (
                Geteventlog,
                Some(7),
                Some("Widget"),
                Some("Error"),
                None,
                None,
                None,
                None,
                None,
            ),
        ],
    )]);
}

#[test]
fn caps_events() {
    let text = "Event ID: 1\nSource: S\n".repeat(50);
    assert_eq!(parse(&text).len(), MAX_EVENTS);
}
