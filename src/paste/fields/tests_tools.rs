//! Table-driven tests of the tools' layouts: Event Viewer (Vista and NT 4.0), wevtutil and
//! PowerShell Format-List.

use super::tests::check;
use super::*;
use crate::paste::PasteFormat::*;

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
