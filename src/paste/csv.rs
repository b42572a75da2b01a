//! Event Viewer CSV exports (and tab-separated "Save as text"): an RFC 4180 record scanner and
//! the columns mapped by their header names.

use super::text::{collapse, event_number, fold_label, leading_number, non_empty};
use super::{MAX_EVENTS, PasteFormat, PastedEvent};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    /// Get-EventLog's `InstanceId`: the id with its qualifier bits.
    InstanceId,
    Source,
    Level,
    /// One column with date and time.
    DateTime,
    Date,
    Time,
    Category,
    Log,
    Computer,
    Description,
    /// Known but not kept (`User`).
    Other,
}

/// Column names, folded (see `fold_label`), in the languages Event Viewer writes them.
const COLUMNS: &[(&str, Col)] = &[
    ("event id", Col::Id),
    ("eventid", Col::Id),
    ("event", Col::Id),
    ("id", Col::Id),
    ("ereignis-id", Col::Id),
    ("ereigniskennung", Col::Id),
    ("id de l'evenement", Col::Id),
    ("instanceid", Col::InstanceId),
    ("source", Col::Source),
    ("event source", Col::Source),
    ("quelle", Col::Source),
    ("providername", Col::Source),
    ("provider", Col::Source),
    ("level", Col::Level),
    ("type", Col::Level),
    ("event type", Col::Level),
    ("entrytype", Col::Level),
    ("leveldisplayname", Col::Level),
    ("ebene", Col::Level),
    ("typ", Col::Level),
    ("niveau", Col::Level),
    ("date and time", Col::DateTime),
    ("datum und uhrzeit", Col::DateTime),
    ("date et heure", Col::DateTime),
    ("timecreated", Col::DateTime),
    ("timegenerated", Col::DateTime),
    ("date", Col::Date),
    ("datum", Col::Date),
    ("time", Col::Time),
    ("zeit", Col::Time),
    ("uhrzeit", Col::Time),
    ("heure", Col::Time),
    ("task category", Col::Category),
    ("category", Col::Category),
    ("event category", Col::Category),
    ("taskdisplayname", Col::Category),
    ("aufgabenkategorie", Col::Category),
    ("kategorie", Col::Category),
    ("categorie de la tache", Col::Category),
    ("categorie", Col::Category),
    ("log name", Col::Log),
    ("logname", Col::Log),
    ("log", Col::Log),
    ("channel", Col::Log),
    ("protokollname", Col::Log),
    ("journal", Col::Log),
    ("nom du journal", Col::Log),
    ("computer", Col::Computer),
    ("computername", Col::Computer),
    ("machinename", Col::Computer),
    ("ordinateur", Col::Computer),
    ("description", Col::Description),
    ("message", Col::Description),
    ("beschreibung", Col::Description),
    ("user", Col::Other),
    ("username", Col::Other),
    ("userid", Col::Other),
    ("benutzer", Col::Other),
    ("utilisateur", Col::Other),
];

/// The column a header name names.
fn column(name: &str) -> Option<Col> {
    let folded = fold_label(name);
    COLUMNS.iter().find(|(n, _)| *n == folded).map(|&(_, c)| c)
}

/// Splits text into records of fields per RFC 4180: `delim` between fields; a quoted field
/// may hold the delimiter, doubled quotes and line breaks. Forgiving where exports and
/// hand edits stray: a quote inside an unquoted field is kept, text after a closing quote
/// joins the field, an unterminated quote runs to the end. Blank lines are skipped; at most
/// `max` records.
fn records(text: &str, delim: char, max: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let end_record = |record: &mut Vec<String>, field: &mut String, out: &mut Vec<_>| {
        record.push(std::mem::take(field));
        let blank = record.len() == 1 && record.iter().all(|f| f.trim().is_empty());
        let done = std::mem::take(record);
        if !blank {
            out.push(done);
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                end_record(&mut record, &mut field, &mut out);
                if out.len() >= max {
                    return out;
                }
            }
            c if c == delim => record.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    end_record(&mut record, &mut field, &mut out);
    out.truncate(max);
    out
}

/// A header row's columns, when it names at least three known ones including the id or
/// the source.
fn header(fields: &[String]) -> Option<Vec<Option<Col>>> {
    let cols: Vec<Option<Col>> = fields.iter().map(|f| column(f)).collect();
    let known = cols.iter().flatten().count();
    let key = cols
        .iter()
        .any(|c| matches!(c, Some(Col::Id | Col::Source | Col::InstanceId)));
    (known >= 3 && key).then_some(cols)
}

/// The columns of the NT 4.0 / 2000 / XP export, which has no header row.
const OLD_COLUMNS: [Col; 9] = [
    Col::Level,
    Col::Date,
    Col::Time,
    Col::Source,
    Col::Category,
    Col::Id,
    Col::Other,
    Col::Computer,
    Col::Description,
];

/// Whether a record has the shape of the old export: a date, a time, an id in place.
fn old_shape(fields: &[String]) -> bool {
    let at = |i: usize| fields.get(i).map_or("", |f| f.trim());
    fields.len() >= OLD_COLUMNS.len()
        && at(1).starts_with(|c: char| c.is_ascii_digit())
        && at(2).contains(':')
        && event_number(at(5)).is_some()
}

/// Most columns for which misaligned rows are realigned (bounds the work per row).
const MAX_REALIGNED: usize = 32;

/// A row laid out under `width` columns: the surplus fields are joined back into the one at
/// `absorb` (a comma in an unquoted value split it), separators trimmed off its ends.
fn aligned(row: &[String], width: usize, absorb: usize, delim: char) -> Vec<String> {
    let extra = row.len().saturating_sub(width);
    let mut out: Vec<String> = row.iter().take(absorb).cloned().collect();
    let joined = row
        .get(absorb..=absorb + extra)
        .map(|r| r.join(&delim.to_string()))
        .unwrap_or_default();
    out.push(
        joined
            .trim_matches(|c: char| c == delim || c.is_whitespace())
            .to_string(),
    );
    out.extend(row.iter().skip(absorb + extra + 1).cloned());
    out
}

/// One row read through the column map. The description may stand in a last, unnamed
/// column (Event Viewer leaves it unnamed); a row with more fields than columns had a
/// comma in an unquoted value, so it is realigned where the id and date fall in place.
fn event(cols: &[Option<Col>], row: &[String], delim: char) -> Option<PastedEvent> {
    let desc_at = cols.iter().position(|c| *c == Some(Col::Description));
    let width = cols.len() + usize::from(desc_at.is_none());
    let realign = row.len() > width && width <= MAX_REALIGNED;
    // The last column first: a description with commas is the usual reason.
    let candidates: Vec<usize> = if realign {
        std::iter::once(width.saturating_sub(1))
            .chain(0..width.saturating_sub(1))
            .collect()
    } else {
        vec![width.saturating_sub(1)]
    };
    let mut best: Option<(u8, PastedEvent)> = None;
    for absorb in candidates {
        let fields = aligned(row, width, absorb, delim);
        let e = read_row(cols, &fields, desc_at.unwrap_or(cols.len()));
        let date = e
            .time
            .as_deref()
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
        let score =
            2 * u8::from(e.event_id.is_some()) + u8::from(date) + u8::from(e.source.is_some());
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, e));
        }
    }
    let (_, e) = best?;
    // Under an id column a row needs an id: a stray line of prose is not an event.
    let has_id_column = cols
        .iter()
        .any(|c| matches!(c, Some(Col::Id | Col::InstanceId)));
    let enough = e.event_id.is_some() || (!has_id_column && e.source.is_some());
    enough.then_some(e)
}

/// The fields of an aligned row; `desc_at` is the description's column.
fn read_row(cols: &[Option<Col>], row: &[String], desc_at: usize) -> PastedEvent {
    let mut e = PastedEvent::empty(PasteFormat::Csv);
    let get = |col: Col| {
        cols.iter()
            .position(|c| *c == Some(col))
            .and_then(|i| row.get(i))
            .map(String::as_str)
    };
    let instance = get(Col::InstanceId)
        .and_then(leading_number)
        .and_then(|n| u32::try_from(n & 0xFFFF).ok());
    e.event_id = get(Col::Id).and_then(event_number).or(instance);
    e.source = get(Col::Source).and_then(non_empty);
    e.level = get(Col::Level).and_then(non_empty);
    e.category = get(Col::Category).and_then(non_empty);
    e.log = get(Col::Log).and_then(non_empty);
    e.computer = get(Col::Computer).and_then(non_empty);
    e.time = match get(Col::DateTime) {
        Some(dt) => non_empty(dt),
        None => collapse([get(Col::Date).unwrap_or(""), get(Col::Time).unwrap_or("")]),
    };
    e.description = row.get(desc_at).and_then(|d| collapse([d.as_str()]));
    e
}

/// Non-blank lines looked at for the header row: a line of prose may come before it.
const HEADER_LINES: usize = 3;

/// The columns a line names as a header row (or the old export's fixed ones), with the
/// delimiter it uses and whether the line is itself a data row.
fn columns_of(line: &str) -> Option<(Vec<Option<Col>>, char, bool)> {
    [',', '\t', ';']
        .into_iter()
        .filter(|d| line.contains(*d))
        .find_map(|delim| {
            let fields = records(line, delim, 1).into_iter().next()?;
            match header(&fields) {
                Some(cols) => Some((cols, delim, false)),
                None if old_shape(&fields) => {
                    Some((OLD_COLUMNS.iter().copied().map(Some).collect(), delim, true))
                }
                None => None,
            }
        })
}

/// Reads the events of a CSV (or tab-separated) export, at most `MAX_EVENTS`; none when no
/// header row (or old-style export row) opens the paste.
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let mut offset = 0;
    let mut looked = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        looked += 1;
        if looked > HEADER_LINES {
            break;
        }
        let Some((cols, delim, is_data)) = columns_of(line) else {
            continue;
        };
        // Rows that are not events (a stray line of prose) are skipped, within reason.
        let rows = records(text.get(start..).unwrap_or(""), delim, MAX_EVENTS * 4 + 1);
        let data = rows.get(usize::from(!is_data)..).unwrap_or(&[]);
        let events: Vec<PastedEvent> = data
            .iter()
            .filter_map(|row| event(&cols, row, delim))
            .take(MAX_EVENTS)
            .collect();
        if !events.is_empty() {
            return events;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4180_records() {
        let cases: [(&str, Vec<Vec<&str>>); 8] = [
            ("a,b,c", vec![vec!["a", "b", "c"]]),
            (
                "a,\"b,c\",d\r\ne,f",
                vec![vec!["a", "b,c", "d"], vec!["e", "f"]],
            ),
            ("\"say \"\"hi\"\"\",x", vec![vec!["say \"hi\"", "x"]]),
            (
                "\"two\nlines\",x\n\n\ny",
                vec![vec!["two\nlines", "x"], vec!["y"]],
            ),
            ("a,,\"\"", vec![vec!["a", "", ""]]),
            ("ab\"c,d", vec![vec!["ab\"c", "d"]]),
            (
                "\"open,never closed\nstill",
                vec![vec!["open,never closed\nstill"]],
            ),
            (" \"q\"z,w", vec![vec!["qz", "w"]]),
        ];
        for (text, want) in cases {
            assert_eq!(records(text, ',', 10), want, "{text}");
        }
        assert_eq!(records("a\nb\nc", ',', 2).len(), 2);
    }

    #[test]
    fn column_names() {
        let cases = [
            ("Event ID", Some(Col::Id)),
            (" level ", Some(Col::Level)),
            ("Date and Time", Some(Col::DateTime)),
            ("Catégorie de la tâche", Some(Col::Category)),
            ("ID de l’événement", Some(Col::Id)),
            ("InstanceId", Some(Col::InstanceId)),
            ("Colour", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(column(name), want, "{name}");
        }
    }

    #[test]
    fn realigned_rows() {
        let row = |fields: &[&str]| fields.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        let cases: [(Vec<String>, usize, usize, Vec<&str>); 4] = [
            (row(&["a", "b", "c"]), 3, 2, vec!["a", "b", "c"]),
            (row(&["a", "b", " c", "d"]), 3, 2, vec!["a", "b", "c,d"]),
            (row(&["a", " x", "b", "c"]), 3, 0, vec!["a, x", "b", "c"]),
            (row(&["a", "", "b"]), 2, 0, vec!["a", "b"]),
        ];
        for (fields, width, absorb, want) in cases {
            assert_eq!(aligned(&fields, width, absorb, ','), want, "{fields:?}");
        }
    }

    /// (id, source, level, category, computer, time, description)
    type Row<'a> = (
        Option<u32>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );

    fn row(e: &PastedEvent) -> Row<'_> {
        assert_eq!(e.format, PasteFormat::Csv);
        (
            e.event_id,
            e.source.as_deref(),
            e.level.as_deref(),
            e.category.as_deref(),
            e.computer.as_deref(),
            e.time.as_deref(),
            e.description.as_deref(),
        )
    }

    #[test]
    fn exports() {
        let cases: [(&str, Vec<Row>); 9] = [
            (
                "Level,Date and Time,Source,Event ID,Task Category\nError,1/2/2020 3:04:05 AM,Widget,12,None,\"It broke, again.\"\n",
                vec![(
                    Some(12),
                    Some("Widget"),
                    Some("Error"),
                    Some("None"),
                    None,
                    Some("1/2/2020 3:04:05 AM"),
                    Some("It broke, again."),
                )],
            ),
            (
                "Level,Date and Time,Source,Event ID,Task Category,Description\r\nError,1/2/2020,Widget,12,None,\"Line one\r\nline \"\"two\"\".\"\r\nWarning,1/2/2020,Gadget,13,None,\"\"\r\n",
                vec![
                    (
                        Some(12),
                        Some("Widget"),
                        Some("Error"),
                        Some("None"),
                        None,
                        Some("1/2/2020"),
                        Some("Line one line \"two\"."),
                    ),
                    (
                        Some(13),
                        Some("Gadget"),
                        Some("Warning"),
                        Some("None"),
                        None,
                        Some("1/2/2020"),
                        None,
                    ),
                ],
            ),
            (
                "Type,Date,Time,Source,Category,Event,User,Computer,Description\nError,1/2/2003,4:05:06 AM,Widget,None,7,N/A,HOST,Unquoted, with a comma.",
                vec![(
                    Some(7),
                    Some("Widget"),
                    Some("Error"),
                    Some("None"),
                    Some("HOST"),
                    Some("1/2/2003 4:05:06 AM"),
                    Some("Unquoted, with a comma."),
                )],
            ),
            (
                "Error,1/2/2003,4:05:06 AM,Widget,None,7,N/A,HOST,No header here.",
                vec![(
                    Some(7),
                    Some("Widget"),
                    Some("Error"),
                    Some("None"),
                    Some("HOST"),
                    Some("1/2/2003 4:05:06 AM"),
                    Some("No header here."),
                )],
            ),
            (
                "Ebene\tDatum und Uhrzeit\tQuelle\tEreignis-ID\tAufgabenkategorie\nFehler\t02.01.2020 03:04:05\tWidget\t12\tKeine\tKaputt.",
                vec![(
                    Some(12),
                    Some("Widget"),
                    Some("Fehler"),
                    Some("Keine"),
                    None,
                    Some("02.01.2020 03:04:05"),
                    Some("Kaputt."),
                )],
            ),
            (
                "\"EventID\",\"MachineName\",\"EntryType\",\"Message\",\"Source\",\"InstanceId\"\n\"7036\",\"HOST\",\"Information\",\"Started.\",\"Service Control Manager\",\"1073748860\"",
                vec![(
                    Some(7036),
                    Some("Service Control Manager"),
                    Some("Information"),
                    None,
                    Some("HOST"),
                    None,
                    Some("Started."),
                )],
            ),
            (
                "Level,Date and Time,Source,Event ID,Task Category,Description\nBad, level,1/2/2020,Widget,12,None,\"Text.\"",
                vec![(
                    Some(12),
                    Some("Widget"),
                    Some("Bad, level"),
                    Some("None"),
                    None,
                    Some("1/2/2020"),
                    Some("Text."),
                )],
            ),
            (
                "The export says:\r\n\r\nLevel,Source,Event ID\r\nError,Widget,12\r\n",
                vec![(
                    Some(12),
                    Some("Widget"),
                    Some("Error"),
                    None,
                    None,
                    None,
                    None,
                )],
            ),
            (
                "Level,Source,Event ID\nnot,an\n\nError,Widget,12\ntrailing prose",
                vec![(
                    Some(12),
                    Some("Widget"),
                    Some("Error"),
                    None,
                    None,
                    None,
                    None,
                )],
            ),
        ];
        for (text, want) in cases {
            let got = parse(text);
            assert_eq!(got.iter().map(row).collect::<Vec<_>>(), want, "{text}");
        }
    }

    #[test]
    fn not_exports() {
        for text in [
            "Event ID: 68, Source: Widget, Type: Error",
            "The widget, the gadget, and the event id all failed.",
            "Level,Source\nError,Widget",
            "",
        ] {
            assert!(parse(text).is_empty(), "{text}");
        }
    }
}
