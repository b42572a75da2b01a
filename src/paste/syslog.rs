//! Windows events forwarded as text: Snare and `MSWinEventLog` tab-separated lines, NXLog and
//! other forwarders' `key=value` or JSON records, and BSD syslog lines whose tag is the source.

use super::prose::mentions;
use super::text::{collapse, event_number, lines};
use super::{MAX_EVENTS, PasteFormat, PastedEvent};

/// Keys that hold the event id, as forwarders spell them (compared ignoring case).
const ID_KEYS: &[&str] = &["eventid", "event_id", "eventcode", "event_code"];
/// Keys that hold the source, most specific first.
const SOURCE_KEYS: &[&str] = &[
    "providername",
    "provider_name",
    "sourcename",
    "source_name",
    "eventsource",
    "event_source",
];
/// Keys that hold the message.
const MESSAGE_KEYS: &[&str] = &["message", "msg", "description"];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The forwarded events of a paste, tried as Snare lines, then key/value records, then syslog
/// lines with a tag.
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let snare: Vec<PastedEvent> = lines(text)
        .filter_map(snare_line)
        .take(MAX_EVENTS)
        .collect();
    if !snare.is_empty() {
        return snare;
    }
    if let Some(e) = keyed(text) {
        return vec![e];
    }
    lines(text)
        .take(400)
        .filter_map(|l| ossec_line(l).or_else(|| tagged_line(l)))
        .take(MAX_EVENTS)
        .collect()
}

/// An OSSEC `WinEvtLog` line: `WinEvtLog: Security: AUDIT_SUCCESS(4732): Source: user:
/// domain: computer: message`.
fn ossec_line(line: &str) -> Option<PastedEvent> {
    let at = line.find("WinEvtLog: ")?;
    let parts: Vec<&str> = line[at + "WinEvtLog: ".len()..].splitn(7, ": ").collect();
    let (kind, id) = parts.get(1)?.split_once('(')?;
    let id = event_number(id.trim_end_matches(')'))?;
    Some(PastedEvent {
        event_id: Some(id),
        source: parts.get(2).map(|s| s.trim().to_string()),
        log: parts.first().map(|s| s.trim().to_string()),
        level: Some(kind.trim().to_string()),
        description: parts.get(6).and_then(|m| collapse([*m])),
        ..PastedEvent::empty(PasteFormat::Syslog)
    })
}

/// A Snare / `MSWinEventLog` line: `MSWinEventLog <tab> criticality <tab> log <tab> record
/// <tab> time <tab> id <tab> source <tab> user <tab> sid type <tab> type <tab> computer
/// <tab> category <tab> message …`.
fn snare_line(line: &str) -> Option<PastedEvent> {
    let at = line.find("MSWinEventLog")?;
    // rsyslog writes the tabs as `#011`.
    let unescaped;
    let line = if line.contains("#011") {
        unescaped = line.replace("#011", "\t");
        unescaped.as_str()
    } else {
        line
    };
    let f: Vec<&str> = line[at..].split('\t').map(str::trim).collect();
    // The id is the first number after the time field, whatever the version's columns.
    let i = (3..f.len().min(8)).find(|&i| {
        f.get(i)
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            && f.get(i - 1).is_some_and(|t| t.contains(':'))
    })?;
    let message = f
        .get(i + 2..)
        .unwrap_or(&[])
        .iter()
        .filter(|v| v.split_whitespace().count() >= 3)
        .max_by_key(|v| v.len())
        .copied();
    Some(PastedEvent {
        event_id: event_number(f.get(i)?),
        source: f
            .get(i + 1)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string()),
        log: f.get(2).map(|s| s.to_string()),
        level: f
            .get(i + 4)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string()),
        computer: f
            .get(i + 5)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string()),
        time: f.get(i - 1).map(|s| s.to_string()),
        description: message.and_then(|m| collapse([m])),
        ..PastedEvent::empty(PasteFormat::Syslog)
    })
}

/// A record of `key=value` or JSON pairs that names an event id, with its source and
/// message when it has them.
fn keyed(text: &str) -> Option<PastedEvent> {
    let lower = text.to_ascii_lowercase();
    let id = ID_KEYS
        .iter()
        .find_map(|k| value_of(text, &lower, k))
        .and_then(|v| event_number(&v))?;
    let source = SOURCE_KEYS.iter().find_map(|k| value_of(text, &lower, k));
    let message = MESSAGE_KEYS.iter().find_map(|k| value_of(text, &lower, k));
    Some(PastedEvent {
        event_id: Some(id),
        source,
        description: message.and_then(|m| collapse([unescape(&m).as_str()])),
        ..PastedEvent::empty(PasteFormat::Syslog)
    })
}

/// The value after `key` (a whole word, optionally quoted) and `=` or `:`: quoted text up to
/// its closing quote, else up to a space, comma or brace.
fn value_of(text: &str, lower: &str, key: &str) -> Option<String> {
    for (at, _) in lower.match_indices(key) {
        let before_ok = lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        let rest = &text[at + key.len()..];
        // JSON quotes its keys; `key=value` records use `=`. A bare `EventID:` is a label
        // of the layouts `fields` reads.
        let json_key = lower[..at].ends_with('"') && rest.starts_with('"');
        let rest = rest.strip_prefix('"').unwrap_or(rest).trim_start();
        let rest = match (rest.strip_prefix('='), rest.strip_prefix(':')) {
            (Some(r), _) => r,
            (None, Some(r)) if json_key => r,
            _ => continue,
        };
        if !before_ok {
            continue;
        }
        let rest = rest.trim_start();
        let value = match rest.strip_prefix('"') {
            Some(q) => quoted_value(q),
            None => rest
                .split([' ', ',', '}', '\t', '\n', '\r'])
                .next()
                .unwrap_or("")
                .to_string(),
        };
        if !value.is_empty() {
            return Some(value);
        }
    }
    None
}

/// A JSON-quoted value up to its closing quote, escapes kept for `unescape`.
fn quoted_value(q: &str) -> String {
    let mut end = q.len();
    let mut escaped = false;
    for (i, c) in q.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                end = i;
                break;
            }
            _ => escaped = false,
        }
    }
    q[..end].to_string()
}

/// JSON escapes of line breaks and tabs as spaces, escaped quotes as quotes.
fn unescape(s: &str) -> String {
    s.replace("\\r", " ")
        .replace("\\n", " ")
        .replace("\\t", " ")
        .replace("\\\"", "\"")
}

/// A BSD syslog line (`<13>May 10 15:41:06 HOST Tag[pid]: message`) whose tag names a Windows
/// source: the tag is the source, and the message gives the id when it names one.
fn tagged_line(line: &str) -> Option<PastedEvent> {
    let t = line.trim_start();
    let t = match t.strip_prefix('<') {
        Some(r) => r.split_once('>').map(|(_, rest)| rest)?,
        None => t,
    };
    let month = t.get(..3)?.to_ascii_lowercase();
    if !MONTHS.contains(&month.as_str()) {
        return None;
    }
    // Month, day, hh:mm:ss, host, then the tag.
    let mut parts = t.split_whitespace();
    let time = parts.nth(2)?;
    if time.matches(':').count() != 2 {
        return None;
    }
    parts.next()?;
    let at_tag = parts.next()?;
    let rest = t.get(t.find(at_tag)?..)?;
    let (tag, message) = rest.split_once(": ")?;
    let tag = tag.split('[').next()?.trim();
    if tag.is_empty() || tag.contains(' ') {
        return None;
    }
    let id = mentions(message).first().map(|m| m.id);
    Some(PastedEvent {
        event_id: id,
        source: Some(tag.replace('_', " ")),
        description: collapse([message]),
        ..PastedEvent::empty(PasteFormat::Syslog)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<(Option<u32>, Option<String>, Option<String>)> {
        parse(text)
            .into_iter()
            .next()
            .map(|e| (e.event_id, e.source, e.description))
    }

    #[test]
    fn forwarded_events() {
        let s = |x: &str| Some(x.to_string());
        let cases = [
            (
                "<13>Jan  9 12:00:00 host1 MSWinEventLog\t1\tSystem\t512\tMon Jan 09 12:00:00 2012\t7036\tGizmo Control Manager\tN/A\tN/A\tInformation\thost1\tNone\t\tThe Gizmo service entered the running state.\t42",
                Some((
                    Some(7036),
                    s("Gizmo Control Manager"),
                    s("The Gizmo service entered the running state."),
                )),
            ),
            (
                "2021-03-04 host EventID=7000 SourceName=\"Gizmo Manager\" Message=\"The gizmo service failed to start.\"",
                Some((
                    Some(7000),
                    s("Gizmo Manager"),
                    s("The gizmo service failed to start."),
                )),
            ),
            (
                "{\"EventSource\": \"Gizmo Runtime\", \"EventId\": 1026, \"Message\": \"Application: x.exe\\nThe process was terminated.\"}",
                Some((
                    Some(1026),
                    s("Gizmo Runtime"),
                    s("Application: x.exe The process was terminated."),
                )),
            ),
            (
                "May 10 15:41:06 HOST Gizmo-Kernel: The event id 16 says the hive was cleared.",
                Some((
                    Some(16),
                    s("Gizmo-Kernel"),
                    s("The event id 16 says the hive was cleared."),
                )),
            ),
            (
                "<14>Jan  9 12:00:00 host1 Gizmo_Control_Manager[488]: The Gizmo service entered the running state.",
                Some((
                    None,
                    s("Gizmo Control Manager"),
                    s("The Gizmo service entered the running state."),
                )),
            ),
            (
                "2014 Jun 08 11:10:57 (host) 10.0.0.1->WinEvtLog 2014 Jun 08 11:06:11 WinEvtLog: Security: AUDIT_SUCCESS(4732): Gizmo-Auditing: (no user): no domain: host: A member was added to a group.",
                Some((
                    Some(4732),
                    s("Gizmo-Auditing"),
                    s("A member was added to a group."),
                )),
            ),
            (
                "Apr 28 16:53:15 host MSWinEventLog#0111#011System#011855#011Sun Apr 28 16:53:15 2024#01136#011Gizmo-Time#011LOCAL SERVICE#011Well Known Group#011Warning#011host#011N/A#011#011The time service has not synchronised for a while now.",
                Some((
                    Some(36),
                    s("Gizmo-Time"),
                    s("The time service has not synchronised for a while now."),
                )),
            ),
            ("Maybe 10 things: none of them events", None),
        ];
        for (text, want) in cases {
            assert_eq!(first(text), want, "{text}");
        }
    }
}
