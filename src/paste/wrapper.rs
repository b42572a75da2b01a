//! Event Viewer's wrapper for events whose message file is missing: "The description for Event
//! ID 7000 from source X cannot be found … the following information was included with the
//! event:". The id and source come from the wrapper; the insertion strings after it are the
//! real message.

use super::prose::mentions;
use super::text::collapse;
use super::{PasteFormat, PastedEvent};

/// How the wrapper opens, ASCII-lower-cased, in the languages Event Viewer speaks.
const OPENINGS: &[&str] = &[
    "the description for event id",
    "não foi possível encontrar a descrição para",
    "no se encuentra la descripción",
    "die beschreibung für die ereignis-id",
    "la description pour l'id",
    "la description de l'id",
];

/// What introduces the source's name after the id.
const SOURCE_LEADS: &[&str] = &[
    "from source",
    "in source:",
    "in source",
    "na origem",
    "del origen",
    "aus der quelle",
    "de la source",
    "provenant de la source",
];

/// What ends the source's name.
const SOURCE_ENDS: &[&str] = &[
    " cannot",
    " could not",
    " can not",
    " was not",
    " wurde",
    " est ",
    " no se",
    ". ",
    "\n",
];

/// What introduces the insertion strings.
const INSERTS: &[&str] = &[
    "the following information was included with the event:",
    "the following information is part of the event:",
    "as seguintes informações fazem parte do evento:",
    "la siguiente información se incluyó con el evento:",
    "la siguiente información forma parte del evento:",
    "folgende informationen wurden mit dem ereignis gespeichert:",
    "folgende informationen sind teil des ereignisses:",
    "les informations suivantes font partie de l'événement",
];

/// What Event Viewer adds after the insertion strings.
const TRAILERS: &[&str] = &[
    "the message resource is present but the message is not found",
    "the message resource is present but the message was not found",
    "the message resource is present",
    "the handle is invalid",
];

/// The event in a paste that holds the wrapper, when it does.
pub(super) fn parse(text: &str) -> Vec<PastedEvent> {
    let mut event = PastedEvent::empty(PasteFormat::Wrapper);
    event.description = Some(text.to_string());
    if unwrap(&mut event) {
        vec![event]
    } else {
        Vec::new()
    }
}

/// Reads the wrapper in an event's description: fills the id and source it names when the
/// event has none, and keeps only the insertion strings as the description. False when the
/// description holds no wrapper.
pub(super) fn unwrap(event: &mut PastedEvent) -> bool {
    let Some(text) = event.description.as_deref() else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    let Some(open) = OPENINGS.iter().find_map(|o| lower.find(o)) else {
        return false;
    };
    let head = &text[open..];
    let head_lower = &lower[open..];
    // Only the wrapper that lists the insertion strings after it is unwrapped. The older
    // one ("could not be found. It contains the following insertion string(s)") is quoted
    // whole by the archive's articles, so it stays the description.
    if !INSERTS.iter().any(|i| head_lower.contains(i)) {
        return false;
    }
    let id = mentions(head).first().map(|m| m.id);
    let source = source_of(head, head_lower);
    let inserts = INSERTS
        .iter()
        .find_map(|i| head_lower.find(i).map(|at| at + i.len()))
        .map(|start| {
            let rest = &head[start..];
            let rest_lower = &head_lower[start..];
            let end = TRAILERS
                .iter()
                .filter_map(|t| rest_lower.find(t))
                .min()
                .unwrap_or(rest.len());
            rest[..end].trim_matches(|c: char| c.is_whitespace() || c == '`' || c == '*')
        })
        .and_then(|s| collapse([s]));
    event.event_id = event.event_id.or(id);
    if event.source.is_none() {
        event.source = source;
    }
    event.description = inserts;
    true
}

/// The source named in the wrapper, without quotes.
fn source_of(head: &str, lower: &str) -> Option<String> {
    let start = SOURCE_LEADS
        .iter()
        .find_map(|l| lower.find(l).map(|at| at + l.len()))?;
    let rest = &head[start..];
    let rest_lower = &lower[start..];
    let end = SOURCE_ENDS
        .iter()
        .filter_map(|e| rest_lower.find(e))
        .min()
        .unwrap_or(rest.len())
        .min(80);
    let name = rest
        .get(..end)?
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || "'\"`‘’“”<>()".contains(c));
    (!name.is_empty() && !name.eq_ignore_ascii_case("source")).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapper_gives_id_source_and_inserts() {
        let s = |x: &str| Some(x.to_string());
        let cases = [
            (
                "The description for Event ID 7000 from source Widget Service cannot be found. Either the component that raises this event is not installed on your local computer or the installation is corrupted.\n\nThe following information was included with the event:\n\nwidget.exe\n%%2\n\nThe message resource is present but the message is not found in the string/message table",
                (Some(7000), s("Widget Service"), s("widget.exe %%2")),
            ),
            (
                "The description for Event ID:12 in Source:'Gizmo' cannot be found. If the event originated on another computer, the display information had to be saved with the event. The following information was included with the event: ",
                (Some(12), s("Gizmo"), None),
            ),
            (
                "Não foi possível encontrar a descrição para Identificação do Evento '16' na Origem 'Microsoft-Windows-Kernel-General'. As seguintes informações fazem parte do evento:'137', '0'",
                (
                    Some(16),
                    s("Microsoft-Windows-Kernel-General"),
                    s("'137', '0'"),
                ),
            ),
        ];
        for (text, (id, source, desc)) in cases {
            let e = parse(text);
            let got = e
                .first()
                .map(|e| (e.event_id, e.source.clone(), e.description.clone()));
            assert_eq!(got, Some((id, source, desc)), "{text}");
        }
        assert!(parse("The description of the problem follows.").is_empty());
    }
}
