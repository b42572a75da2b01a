//! The label table of the labelled-line layouts and the line-level recognisers built on it:
//! which words before a colon name which field, in which tools and languages.

use crate::paste::text::{fold_label, other_id};

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    /// `Event ID`, `Id`, `EventID`, `Ereignis-ID`, ...
    EventId,
    /// `InstanceId` of Get-EventLog: the id with its qualifier bits.
    InstanceId,
    /// `Source`, `ProviderName`, `Quelle`, ...
    Source,
    /// `Type`, `Level`, `EntryType`, `Ebene`, ...
    Level,
    /// `LevelDisplayName`: wins over the numeric `Level` of `Format-List *`.
    LevelName,
    /// `Category`, `Task Category`, `Task`, ...
    Category,
    /// `TaskDisplayName`: wins over the numeric `Task`.
    TaskName,
    /// `Log Name`, `LogName`, `Protokollname`, `Journal`, ...
    Log,
    /// `Computer`, `MachineName`, `Ordinateur`.
    Computer,
    /// `Date`, `TimeCreated`, `TimeGenerated`, `Datum`, ...
    Date,
    /// NT 4.0's separate `Time`.
    Time,
    /// `Description` and the following lines.
    Description,
    /// Format-List's `Message`: continuation lines are indented to the value column.
    Message,
    /// NT 4.0's `Data:` with hex lines under it; not description.
    Data,
    /// Vista's `Event Xml:` with the XML under it.
    EventXml,
    /// Known labels whose values are not kept (`User`, `Keywords`, `Index`, ...).
    Other,
}

/// Which layouts use a label; a record's hints decide its format.
pub(super) type Hint = u8;
pub(super) const ANY: Hint = 0;
/// Vista or wevtutil (`Log Name`, `Level`).
pub(super) const TOOL: Hint = 1;
pub(super) const VISTA: Hint = 2;
pub(super) const WEVT: Hint = 4;
pub(super) const NT4: Hint = 8;
pub(super) const PWSH: Hint = 16;
pub(super) const GEL: Hint = 32;
/// `Computer`, `User`: a tool's copy rather than an article's quote.
pub(super) const HOST: Hint = 64;
/// A label that may also stand inside a value (`Date: 1/1/99   Event ID: 9`), as in
/// one-line blocks and the two-column NT 4.0 dialog that KB articles quote.
pub(super) const INLINE: Hint = 128;

/// Label spellings, folded (see `fold_label`), with what they name and where they are used.
pub(super) const LABELS: &[(&str, Key, Hint)] = &[
    ("event id", Key::EventId, INLINE),
    ("eventid", Key::EventId, INLINE),
    ("event", Key::EventId, INLINE),
    ("id", Key::EventId, PWSH),
    ("ereignis-id", Key::EventId, INLINE),
    ("ereignis id", Key::EventId, INLINE),
    ("ereigniskennung", Key::EventId, NT4 | INLINE),
    ("id de l'evenement", Key::EventId, INLINE),
    ("instanceid", Key::InstanceId, GEL),
    ("source", Key::Source, INLINE),
    ("event source", Key::Source, NT4 | INLINE),
    ("quelle", Key::Source, INLINE),
    ("ereignisquelle", Key::Source, NT4 | INLINE),
    ("source de l'evenement", Key::Source, NT4 | INLINE),
    ("providername", Key::Source, PWSH),
    ("type", Key::Level, INLINE),
    ("typ", Key::Level, INLINE),
    ("event type", Key::Level, NT4 | INLINE),
    ("ereignistyp", Key::Level, NT4 | INLINE),
    ("type de l'evenement", Key::Level, NT4 | INLINE),
    ("level", Key::Level, TOOL),
    ("ebene", Key::Level, TOOL),
    ("niveau", Key::Level, TOOL),
    ("entrytype", Key::Level, GEL),
    ("leveldisplayname", Key::LevelName, PWSH),
    ("category", Key::Category, INLINE),
    ("event category", Key::Category, NT4 | INLINE),
    ("ereigniskategorie", Key::Category, NT4 | INLINE),
    ("categorie de l'evenement", Key::Category, NT4 | INLINE),
    ("kategorie", Key::Category, INLINE),
    ("categorie", Key::Category, INLINE),
    ("task category", Key::Category, VISTA),
    ("aufgabenkategorie", Key::Category, VISTA),
    ("categorie de la tache", Key::Category, VISTA),
    ("task", Key::Category, WEVT),
    ("taskdisplayname", Key::TaskName, PWSH),
    ("log name", Key::Log, TOOL),
    ("protokollname", Key::Log, TOOL),
    ("protokoll", Key::Log, TOOL),
    ("nom du journal", Key::Log, TOOL),
    ("journal", Key::Log, TOOL),
    ("event log", Key::Log, INLINE),
    ("logname", Key::Log, PWSH),
    ("computer", Key::Computer, HOST | INLINE),
    ("ordinateur", Key::Computer, HOST | INLINE),
    ("machinename", Key::Computer, ANY),
    ("computer name", Key::Computer, HOST | INLINE),
    ("date", Key::Date, INLINE),
    ("datum", Key::Date, INLINE),
    ("timecreated", Key::Date, PWSH),
    ("timegenerated", Key::Date, GEL),
    ("time", Key::Time, INLINE),
    ("zeit", Key::Time, NT4 | INLINE),
    ("uhrzeit", Key::Time, INLINE),
    ("heure", Key::Time, NT4 | INLINE),
    ("description", Key::Description, INLINE),
    ("message text", Key::Description, INLINE),
    ("beschreibung", Key::Description, INLINE),
    ("message", Key::Message, ANY),
    ("data", Key::Data, ANY),
    ("daten", Key::Data, NT4),
    ("donnees", Key::Data, NT4),
    ("event xml", Key::EventXml, VISTA),
    ("ereignis-xml", Key::EventXml, VISTA),
    ("xml de l'evenement", Key::EventXml, VISTA),
    // Spanish, Portuguese, Italian, Japanese and Korean Event Viewer copies.
    ("id. del evento", Key::EventId, INLINE),
    ("id del evento", Key::EventId, INLINE),
    ("identificador de evento", Key::EventId, INLINE),
    ("id do evento", Key::EventId, INLINE),
    ("identificacao do evento", Key::EventId, INLINE),
    ("id evento", Key::EventId, INLINE),
    ("イベント id", Key::EventId, INLINE),
    ("イベントid", Key::EventId, INLINE),
    ("이벤트 id", Key::EventId, INLINE),
    ("origen", Key::Source, INLINE),
    ("origem", Key::Source, INLINE),
    ("fonte", Key::Source, INLINE),
    ("origine", Key::Source, INLINE),
    ("ソース", Key::Source, INLINE),
    ("원본", Key::Source, INLINE),
    ("nivel", Key::Level, TOOL),
    ("livello", Key::Level, TOOL),
    ("レベル", Key::Level, TOOL),
    ("수준", Key::Level, TOOL),
    ("tipo", Key::Level, INLINE),
    ("tipo de evento", Key::Level, NT4 | INLINE),
    ("種類", Key::Level, INLINE),
    ("categoria de la tarea", Key::Category, VISTA),
    ("categoria da tarefa", Key::Category, VISTA),
    ("categoria dell'attivita", Key::Category, VISTA),
    ("タスクのカテゴリ", Key::Category, VISTA),
    ("작업 범주", Key::Category, VISTA),
    ("categoria", Key::Category, INLINE),
    ("nombre de registro", Key::Log, TOOL),
    ("nome do log", Key::Log, TOOL),
    ("nome registro", Key::Log, TOOL),
    ("ログの名前", Key::Log, TOOL),
    ("로그 이름", Key::Log, TOOL),
    ("equipo", Key::Computer, HOST | INLINE),
    ("computador", Key::Computer, HOST | INLINE),
    ("コンピューター", Key::Computer, HOST | INLINE),
    ("컴퓨터", Key::Computer, HOST | INLINE),
    ("fecha", Key::Date, INLINE),
    ("日付", Key::Date, INLINE),
    ("날짜", Key::Date, INLINE),
    ("hora", Key::Time, INLINE),
    ("時刻", Key::Time, INLINE),
    ("descripcion", Key::Description, INLINE),
    ("descricao", Key::Description, INLINE),
    ("descrizione", Key::Description, INLINE),
    ("説明", Key::Description, INLINE),
    ("설명", Key::Description, INLINE),
    ("usuario", Key::Other, HOST | INLINE),
    ("utente", Key::Other, HOST | INLINE),
    ("ユーザー", Key::Other, HOST | INLINE),
    ("사용자", Key::Other, HOST | INLINE),
    ("palabras clave", Key::Other, VISTA),
    ("palavras-chave", Key::Other, VISTA),
    ("parole chiave", Key::Other, VISTA),
    ("キーワード", Key::Other, VISTA),
    ("키워드", Key::Other, VISTA),
    ("user", Key::Other, HOST | INLINE),
    ("benutzer", Key::Other, HOST | INLINE),
    ("utilisateur", Key::Other, HOST | INLINE),
    ("keywords", Key::Other, VISTA),
    ("schlusselworter", Key::Other, VISTA),
    ("mots cles", Key::Other, VISTA),
    ("mots-cles", Key::Other, VISTA),
    ("keyword", Key::Other, WEVT),
    ("opcode", Key::Other, WEVT),
    ("user name", Key::Other, WEVT),
    ("index", Key::Other, GEL),
    ("categorynumber", Key::Other, GEL),
    ("replacementstrings", Key::Other, GEL),
    ("timewritten", Key::Other, GEL),
    ("username", Key::Other, GEL),
    ("recordid", Key::Other, PWSH),
    ("providerid", Key::Other, PWSH),
    ("processid", Key::Other, PWSH),
    ("threadid", Key::Other, PWSH),
    ("userid", Key::Other, PWSH),
    ("containerlog", Key::Other, PWSH),
    ("opcodedisplayname", Key::Other, PWSH),
    ("keywordsdisplaynames", Key::Other, PWSH),
    ("activityid", Key::Other, PWSH),
    ("relatedactivityid", Key::Other, PWSH),
    ("matchedqueryids", Key::Other, PWSH),
    ("qualifiers", Key::Other, PWSH),
    ("version", Key::Other, PWSH),
    ("bookmark", Key::Other, PWSH),
    ("properties", Key::Other, PWSH),
    ("site", Key::Other, GEL),
    ("container", Key::Other, GEL),
];

// Rows are tracked in a 256-bit set.
const _: () = assert!(LABELS.len() <= 256);

/// A set of rows of `LABELS`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Rows([u64; 4]);

impl Rows {
    /// Adds `row`.
    pub(super) fn set(&mut self, row: usize) {
        if let Some(w) = self.0.get_mut(row / 64) {
            *w |= 1 << (row % 64);
        }
    }

    /// Whether `row` is in the set.
    pub(super) fn has(&self, row: usize) -> bool {
        self.0
            .get(row / 64)
            .is_some_and(|w| w & (1 << (row % 64)) != 0)
    }
}

/// Longest label text looked at before a colon, in characters.
pub(super) const MAX_LABEL_CHARS: usize = 40;

/// One recognised label on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Labelled<'a> {
    pub(super) key: Key,
    pub(super) hint: Hint,
    /// The text after the colon, untrimmed.
    pub(super) value: &'a str,
    /// Leading whitespace of the line, in bytes.
    pub(super) indent: usize,
    /// Its row in `LABELS`, so a repeated label of the same key starts the next event.
    pub(super) row: usize,
}

/// Looks a folded label up in the table: its key, hint and row.
pub(super) fn lookup(folded: &str) -> Option<(Key, Hint, usize)> {
    LABELS
        .iter()
        .position(|(spelling, _, _)| *spelling == folded)
        .and_then(|row| LABELS.get(row).map(|&(_, key, hint)| (key, hint, row)))
}

/// Whether a value starts with a digit, which `Event:` and `Id:` need to count as labels.
pub(super) fn starts_numeric(v: &str) -> bool {
    v.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// Recognises `Label: value` at the start of a line (after indentation or a bullet).
pub(super) fn label_of(line: &str) -> Option<Labelled<'_>> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let t = ["- ", "* ", "\u{2022} "]
        .iter()
        .find_map(|b| t.strip_prefix(b))
        .unwrap_or(t);
    // A block quoted inline: `‘Event ID: 474`.
    let t = t.trim_start_matches(['\u{2018}', '\u{201c}', '"']);
    // Japanese copies may use the full-width colon.
    let (colon, width) = t
        .char_indices()
        .take(MAX_LABEL_CHARS)
        .find(|&(_, c)| c == ':' || c == '\u{ff1a}')
        .map(|(i, c)| (i, c.len_utf8()))?;
    let name = fold_label(t.get(..colon)?);
    let (key, hint, row) = lookup(&name)?;
    let value = t.get(colon + width..)?;
    if (name == "event" || name == "id") && !starts_numeric(value) {
        return None;
    }
    Some(Labelled {
        key,
        hint,
        value,
        indent,
        row,
    })
}

/// The next inline label inside a header value: where its text starts, and the label.
pub(super) fn inline_label(value: &str) -> Option<(usize, Labelled<'_>)> {
    for (colon, _) in value.match_indices(':') {
        let before = value.get(..colon)?;
        // Try the one, two and three words before the colon, longest first.
        let mut starts = Vec::with_capacity(3);
        let mut in_word = false;
        for (n, (i, c)) in before.char_indices().rev().enumerate() {
            if n > MAX_LABEL_CHARS || starts.len() == 3 {
                break;
            }
            if c.is_whitespace() || c == ',' || c == ';' {
                if in_word {
                    starts.push(i + c.len_utf8());
                }
                in_word = false;
            } else {
                in_word = true;
            }
        }
        let after = value.get(colon + 1..)?;
        for &start in starts.iter().rev() {
            let Some((key, hint, row)) = before.get(start..).map(fold_label).and_then(|n| {
                lookup(&n)
                    .filter(|&(_, h, _)| h & INLINE != 0)
                    .filter(|_| n != "event" || starts_numeric(after))
            }) else {
                continue;
            };
            let label = Labelled {
                key,
                hint,
                value: after,
                indent: 0,
                row,
            };
            return Some((start, label));
        }
    }
    None
}

/// A header value without the separators left by one-line blocks (`68,` `None;`).
pub(super) fn clean_value(v: &str) -> &str {
    v.trim().trim_end_matches([',', ';']).trim_end()
}

/// Whether a line belongs to a hex dump under `Data:` (`0000: 00 01 ...`, `0008: 9f302940`).
pub(super) fn is_hex_line(line: &str) -> bool {
    let t = line.trim();
    let Some((head, rest)) = t.split_once(':') else {
        return false;
    };
    head.len() >= 4
        && head.bytes().all(|b| b.is_ascii_hexdigit())
        && rest
            .trim_start()
            .starts_with(|c: char| c.is_ascii_hexdigit())
}

/// Whether a line reads like a Format-List property line (`Name   : value`) of any name:
/// one word, then the colon.
pub(super) fn is_list_property(line: &str) -> bool {
    line.trim_start().split_once(':').is_some_and(|(name, _)| {
        let name = name.trim_end();
        name.len() <= MAX_LABEL_CHARS
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Whether a line opens a wevtutil block: `Event[0]:`.
pub(super) fn is_wevtutil_marker(line: &str) -> bool {
    line.trim()
        .strip_prefix("Event[")
        .and_then(|r| r.strip_suffix("]:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Most labels split out of one flattened line; the rest stays in the last piece.
const MAX_FLAT_LABELS: usize = 64;

/// A line that holds a whole copy whose line breaks a forum lost (`Log Name: System Source:
/// Srv Date: … Event ID: 2019 … Description: …`), cut into one piece per label. The line must
/// start with a label and hold at least three, one of them the id or the description;
/// nothing after `Description:` is cut. Any other line comes back whole.
pub(super) fn unflatten(line: &str) -> Vec<&str> {
    let Some(first) = label_of(line) else {
        return vec![line];
    };
    if line.len() < 40 || matches!(first.key, Key::Description | Key::Message) {
        return vec![line];
    }
    let mut starts = vec![0usize];
    let mut keys = vec![first.key];
    let mut from = line.len() - first.value.len();
    while starts.len() < MAX_FLAT_LABELS {
        let Some((at, l)) = any_label(line.get(from..).unwrap_or("")) else {
            break;
        };
        starts.push(from + at);
        keys.push(l.key);
        from = line.len() - l.value.len();
        if matches!(l.key, Key::Description | Key::Message) {
            break;
        }
    }
    let anchored = keys
        .iter()
        .any(|k| matches!(k, Key::EventId | Key::Description));
    if starts.len() < 3 || !anchored {
        return vec![line];
    }
    let mut pieces = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(line.len());
        pieces.extend(line.get(s..e));
    }
    pieces
}

/// The next label of any layout inside `value`: where its text starts, and the label. Like
/// `inline_label`, but not limited to the labels an article packs on one line.
fn any_label(value: &str) -> Option<(usize, Labelled<'_>)> {
    for (colon, c) in value
        .char_indices()
        .filter(|&(_, c)| c == ':' || c == '\u{ff1a}')
    {
        let before = value.get(..colon)?;
        let after = value.get(colon + c.len_utf8()..)?;
        // The one, two and three words before the colon, longest first.
        let mut starts = Vec::with_capacity(3);
        let mut in_word = false;
        for (n, (i, ch)) in before.char_indices().rev().enumerate() {
            if n > MAX_LABEL_CHARS || starts.len() == 3 {
                break;
            }
            if ch.is_whitespace() {
                if in_word {
                    starts.push(i + ch.len_utf8());
                }
                in_word = false;
            } else {
                in_word = true;
            }
        }
        for &start in starts.iter().rev() {
            let Some(name) = before.get(start..).map(fold_label) else {
                continue;
            };
            let Some((key, hint, row)) = lookup(&name) else {
                continue;
            };
            if (name == "event" || name == "id") && !starts_numeric(after) {
                continue;
            }
            // "Handle ID: 868" on a flattened audit line is a handle's id, not the event's.
            if name == "id" && other_id(&before[..start]) {
                continue;
            }
            let label = Labelled {
                key,
                hint,
                value: after,
                indent: 0,
                row,
            };
            return Some((start, label));
        }
    }
    None
}
