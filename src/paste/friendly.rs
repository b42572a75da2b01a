//! Event Viewer's "Friendly View" of the details tab (Vista and later): `- System`,
//! `- Provider`, `[ Name]  Service Control Manager`, `EventID 7045`, `- EventData`.

use super::text::{collapse, event_number, lines};
use super::{PasteFormat, PastedEvent};

/// The event of a Friendly View copy; none unless it names a provider and an id.
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let mut source = None;
    let mut id = None;
    let mut computer = None;
    let mut data = Vec::new();
    let mut in_data = false;
    for line in lines(text).take(2000) {
        let t = line.trim().trim_start_matches("- ").trim();
        if let Some((name, value)) = bracketed(t) {
            match name {
                "Name" | "EventSourceName" if source.is_none() => source = Some(value),
                "Computer" => computer = Some(value),
                _ if in_data => data.push(value),
                _ => {}
            }
            continue;
        }
        if let Some(rest) = t.strip_prefix("EventID") {
            id = id.or(event_number(rest));
        } else if let Some(rest) = t.strip_prefix("Computer ") {
            computer = Some(rest.trim());
        } else if t == "EventData" || t == "UserData" {
            in_data = true;
        } else if in_data && !t.is_empty() && !t.starts_with('-') {
            data.push(t);
        }
    }
    let (Some(source), Some(id)) = (source, id) else {
        return Vec::new();
    };
    vec![PastedEvent {
        event_id: Some(id),
        source: Some(source.to_string()),
        computer: computer.map(str::to_string),
        description: collapse(data),
        ..PastedEvent::empty(PasteFormat::Friendly)
    }]
}

/// `[ Name]  value` → ("Name", "value").
fn bracketed(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix('[')?;
    let (name, value) = rest.split_once(']')?;
    let value = value.trim();
    (!value.is_empty()).then_some((name.trim(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friendly_view() {
        let text = "- System\n  - Provider\n   [ Name]  Gizmo Manager\n   [ Guid]  {00000000-1111-2222-3333-444444444444}\n  - EventID 7045\n   [ Qualifiers]  16384\n   Computer host1\n- EventData\n   ServiceName  gizmo\n";
        let e = parse(text);
        let got = e.first().map(|e| {
            (
                e.event_id,
                e.source.as_deref(),
                e.computer.as_deref(),
                e.description.as_deref(),
            )
        });
        assert_eq!(
            got,
            Some((
                Some(7045),
                Some("Gizmo Manager"),
                Some("host1"),
                Some("ServiceName gizmo")
            ))
        );
        assert!(parse("[ Name] x\nno id here").is_empty());
    }
}
