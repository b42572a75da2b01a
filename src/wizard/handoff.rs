//! What the user writes on the hand-off page for the helpdesk (their name, the machine,
//! how to reach them, what they tried), checked and bounded before the store keeps it.
//! Pure.

use crate::store::Handoff;
use serde::Deserialize;

/// The longest name, machine name or contact kept, in characters.
pub const MAX_FIELD: usize = 200;
/// The longest "what I tried" kept, in characters.
pub const MAX_TRIED: usize = 4000;

/// The hand-off form as sent (the page's form and `POST /api/wizard/{id}/handoff`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HandoffNote {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub machine: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub tried: String,
}

/// The note as kept: fields trimmed, control characters other than line breaks in "what
/// I tried" dropped (they would garble the transcript), saved at `now`. An error says what
/// to change: a field too long, or nothing written at all.
pub fn checked(note: &HandoffNote, now: i64) -> Result<Handoff, String> {
    let line = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_string()
    };
    let text = |s: &str| -> String {
        s.replace("\r\n", "\n")
            .chars()
            .filter(|c| *c == '\n' || !c.is_control())
            .collect::<String>()
            .trim()
            .to_string()
    };
    let h = Handoff {
        name: line(&note.name),
        machine: line(&note.machine),
        contact: line(&note.contact),
        tried: text(&note.tried),
        saved_at: now,
    };
    for (label, value, max) in [
        ("The name", &h.name, MAX_FIELD),
        ("The machine", &h.machine, MAX_FIELD),
        ("The phone or e-mail", &h.contact, MAX_FIELD),
        ("What you tried", &h.tried, MAX_TRIED),
    ] {
        let n = value.chars().count();
        if n > max {
            return Err(format!(
                "{label} is {n} characters long; at most {max} are kept. Shorten it and send \
                 it again."
            ));
        }
    }
    if [&h.name, &h.machine, &h.contact, &h.tried]
        .iter()
        .all(|v| v.is_empty())
    {
        return Err("The form is empty: write how to reach you or what you tried.".into());
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(name: &str, machine: &str, contact: &str, tried: &str) -> HandoffNote {
        HandoffNote {
            name: name.into(),
            machine: machine.into(),
            contact: contact.into(),
            tried: tried.into(),
        }
    }

    #[test]
    fn notes_are_trimmed_bounded_and_never_empty() {
        let long = "x".repeat(MAX_FIELD + 1);
        let tried_long = "é".repeat(MAX_TRIED + 1);
        for (n, want) in [
            (
                note(
                    " Ann ",
                    "MAIL01\t",
                    "ann@example.com",
                    " Restarted.\r\nTwice. ",
                ),
                Ok(("Ann", "MAIL01", "ann@example.com", "Restarted.\nTwice.")),
            ),
            (
                note("A\u{7}nn", "", "", "a\u{1b}[31mb"),
                Ok(("A nn", "", "", "a[31mb")),
            ),
            (note("", "", "555 0100", ""), Ok(("", "", "555 0100", ""))),
            (note("", " ", "", "\n"), Err("The form is empty")),
            (note(&long, "", "", ""), Err("The name is 201 characters")),
            (note("", "", &long, ""), Err("The phone or e-mail is 201")),
            (note("", "", "", &tried_long), Err("What you tried is 4001")),
            (
                note(&"y".repeat(MAX_FIELD), "", "", ""),
                Ok(("", "", "", "")),
            ),
        ] {
            let got = checked(&n, 7);
            match (got, want) {
                (Ok(h), Ok((name, machine, contact, tried))) => {
                    if n.name.len() == MAX_FIELD {
                        assert_eq!(h.name.len(), MAX_FIELD);
                        continue;
                    }
                    assert_eq!(
                        (
                            h.name.as_str(),
                            h.machine.as_str(),
                            h.contact.as_str(),
                            h.tried.as_str()
                        ),
                        (name, machine, contact, tried)
                    );
                    assert_eq!(h.saved_at, 7);
                }
                (Err(e), Err(start)) => assert!(e.starts_with(start), "{e}"),
                (got, want) => panic!("{n:?}: got {got:?}, want {want:?}"),
            }
        }
    }
}
