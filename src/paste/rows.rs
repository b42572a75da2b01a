//! Rows without a header: a line copied from Event Viewer's list view (type, date, time,
//! source, category, event id, user, computer) or a CSV export line with its header left out.

use super::text::{collapse, event_number, lines};
use super::{MAX_EVENTS, PasteFormat, PastedEvent};

/// Level words a row starts with, lower-cased, in Event Viewer's languages.
const LEVELS: &[&str] = &[
    "error",
    "warning",
    "information",
    "critical",
    "verbose",
    "audit success",
    "audit failure",
    "success audit",
    "failure audit",
    "fehler",
    "warnung",
    "informationen",
    "kritisch",
    "erreur",
    "avertissement",
    "advertencia",
    "información",
    "erro",
    "aviso",
    "informações",
    "errore",
    "avviso",
    "informazioni",
    "エラー",
    "警告",
    "情報",
    "오류",
    "경고",
    "정보",
];

/// Most lines looked at for rows.
const MAX_LINES: usize = 400;

/// The events of the rows in a paste; none unless some line reads as a row.
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let mut out = Vec::new();
    for line in lines(text).take(MAX_LINES) {
        if out.len() >= MAX_EVENTS {
            break;
        }
        // A list pasted as bullets.
        let line = line.trim_start().trim_start_matches(['-', '*', '\u{2022}']);
        let fields = split_row(line);
        if let Some(e) = row_event(&fields).or_else(|| id_first_event(&fields)) {
            out.push(e);
        }
    }
    out
}

/// A line cut into fields: by tabs, else by commas (quotes kept together), else by runs of
/// two or more spaces, whichever gives at least four.
fn split_row(line: &str) -> Vec<String> {
    let tabs: Vec<String> = line.split('\t').map(|f| f.trim().to_string()).collect();
    if tabs.len() >= 4 {
        return tabs;
    }
    let commas = split_csv(line);
    if commas.len() >= 4 {
        return commas;
    }
    line.split("  ")
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

/// One CSV line's fields: commas inside double quotes do not split, doubled quotes are one.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field).trim().to_string()),
            other => field.push(other),
        }
    }
    out.push(field.trim().to_string());
    out
}

/// Whether a field is a date or a time (`1/22/2011`, `5:46:36 PM`, `2020-01-02T03:04:05`).
fn is_date_or_time(f: &str) -> bool {
    let f = f.trim();
    f.starts_with(|c: char| c.is_ascii_digit())
        && f.contains(['/', '.', '-', ':'])
        && f.chars()
            .all(|c| c.is_ascii_alphanumeric() || " /.-:+".contains(c))
}

/// The event of one row: a level, dates and times, then the source, then the id (a category
/// may stand between), then user, computer or the description.
fn row_event(f: &[String]) -> Option<PastedEvent> {
    let level = f.first()?;
    if !LEVELS.contains(&level.to_lowercase().as_str()) {
        return None;
    }
    let mut i = 1;
    let mut time = Vec::new();
    while let Some(v) = f.get(i).filter(|v| is_date_or_time(v)) {
        time.push(v.as_str());
        i += 1;
    }
    if time.is_empty() {
        return None;
    }
    let source = f
        .get(i)
        .filter(|s| !s.is_empty() && event_number(s).is_none())?;
    let (at, id) = (i + 1..i + 3).find_map(|j| {
        let v = f.get(j)?;
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| event_number(v)).flatten().map(|id| (j, id))
    })?;
    let category = (at > i + 1).then(|| f.get(i + 1)).flatten();
    // The description is the longest field after the id with several words.
    let description = f
        .get(at + 1..)
        .unwrap_or(&[])
        .iter()
        .filter(|v| v.split_whitespace().count() >= 3)
        .max_by_key(|v| v.len())
        .and_then(|v| collapse([v.as_str()]));
    Some(PastedEvent {
        event_id: Some(id),
        source: Some(source.clone()),
        level: Some(level.clone()),
        category: category.filter(|c| !c.is_empty()).cloned(),
        time: collapse(time),
        description,
        ..PastedEvent::empty(PasteFormat::Row)
    })
}

/// A forwarder's CSV row that starts with the id (`7035,HOST\\user,Service Control Manager,
/// System,[INF],0,The … service was sent a start control.`): the source is the first field
/// after it that is a name (no level word, date, account or number), the message the
/// longest field of several words.
fn id_first_event(f: &[String]) -> Option<PastedEvent> {
    if f.len() < 5 {
        return None;
    }
    let first = f.first()?;
    if first.is_empty() || first.len() > 5 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = event_number(first)?;
    let is_name = |v: &&String| {
        let lower = v.to_lowercase();
        v.len() >= 3
            && v.chars().any(char::is_alphabetic)
            && !v.contains(['\\', '[', '@'])
            && !is_date_or_time(v)
            && !LEVELS.contains(&lower.as_str())
            && v.split_whitespace().count() <= 4
    };
    let (at, source) = f
        .iter()
        .enumerate()
        .skip(1)
        .take(3)
        .find(|(_, v)| is_name(v))?;
    let description = f
        .get(at + 1..)?
        .iter()
        .filter(|v| v.split_whitespace().count() >= 3)
        .max_by_key(|v| v.len())
        .and_then(|v| collapse([v.as_str()]))?;
    Some(PastedEvent {
        event_id: Some(id),
        source: Some(source.clone()),
        description: Some(description),
        ..PastedEvent::empty(PasteFormat::Row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_without_header() {
        let cases = [
            (
                "Warning\t3/4/2005\t6:07:08 PM\tWidgetSvc\tNone\t8021\tN/A\tHOST1",
                Some((8021, "WidgetSvc", None)),
            ),
            (
                "Error,3/4/2021 6:07:08 PM,Gizmo,6008,None,\"The gizmo stopped, and then it started.\"",
                Some((
                    6008,
                    "Gizmo",
                    Some("The gizmo stopped, and then it started."),
                )),
            ),
            (
                "Error     3/4/2021 6:07:08 PM     Gizmo Service     7000     None",
                Some((7000, "Gizmo Service", None)),
            ),
            ("Error 5 occurred, see 3/4/2021, Gizmo, 7000", None),
            (
                "-Error\t3/4/2021 6:07:08 PM\tGizmo\t10016\tNone",
                Some((10016, "Gizmo", None)),
            ),
            (
                "7035,HOST\\admin,Gizmo Control Manager,System,[INF],0,The Gizmo service was sent a start control.",
                Some((
                    7035,
                    "Gizmo Control Manager",
                    Some("The Gizmo service was sent a start control."),
                )),
            ),
            (
                "7031,ERROR,Gizmo Control Manager,Mon Feb 11 14:25:12 2013,No User,The Gizmo service terminated unexpectedly.",
                Some((
                    7031,
                    "Gizmo Control Manager",
                    Some("The Gizmo service terminated unexpectedly."),
                )),
            ),
            ("12,34,56,78,90", None),
            ("Error,not a date,Gizmo,7000", None),
        ];
        for (line, want) in cases {
            let got = parse(line);
            let got = got.first().map(|e| {
                (
                    e.event_id.unwrap_or(0),
                    e.source.as_deref().unwrap_or(""),
                    e.description.as_deref(),
                )
            });
            assert_eq!(got, want, "{line}");
        }
    }
}
