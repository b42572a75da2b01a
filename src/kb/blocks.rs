//! Cutting a section's lines into paragraphs, numbered steps and bulleted items.

use super::Block;
use super::text::{collapse_ws, indent, is_blank, is_rule, push_words};

/// The two kinds of list the articles use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `1.` `2.` ... (or `1)`).
    Steps,
    /// ` - ` (or ` * `).
    Bullets,
}

/// A line that starts a list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker<'a> {
    /// Steps or bullets.
    pub kind: ListKind,
    /// The column of the marker.
    pub indent: usize,
    /// The step number, for steps.
    pub number: Option<u32>,
    /// The item text after the marker.
    pub rest: &'a str,
}

/// Recognises `1. text`, `12) text`, `- text` and `* text` at any indentation.
pub fn marker(line: &str) -> Option<Marker<'_>> {
    let t = line.trim_start();
    let ind = indent(line);
    if let Some(s) = t.strip_prefix(['-', '*']) {
        // `--` and `-1` are dashes and numbers, not bullets.
        return after_gap(s).map(|rest| Marker {
            kind: ListKind::Bullets,
            indent: ind,
            number: None,
            rest,
        });
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let s = t[digits..].strip_prefix(['.', ')'])?;
    let rest = after_gap(s)?;
    let number = t[..digits].parse().ok();
    Some(Marker {
        kind: ListKind::Steps,
        indent: ind,
        number,
        rest,
    })
}

/// The text after a marker, which must be followed by whitespace and then some text.
fn after_gap(s: &str) -> Option<&str> {
    let rest = s.trim_start();
    (s.starts_with([' ', '\t']) && !rest.is_empty()).then_some(rest)
}

/// A list being collected.
struct List {
    kind: ListKind,
    indent: usize,
    items: Vec<String>,
}

/// Collects blocks; paragraphs of the current text run are joined with a blank line.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    paras: Vec<String>,
    para: String,
    list: Option<List>,
}

impl Builder {
    fn end_para(&mut self) {
        if !self.para.is_empty() {
            self.paras.push(std::mem::take(&mut self.para));
        }
    }

    fn end_text(&mut self) {
        self.end_para();
        if !self.paras.is_empty() {
            self.blocks.push(Block::Text(self.paras.join("\n\n")));
            self.paras.clear();
        }
    }

    fn end_list(&mut self) {
        if let Some(list) = self.list.take() {
            self.blocks.push(match list.kind {
                ListKind::Steps => Block::Steps(list.items),
                ListKind::Bullets => Block::Bullets(list.items),
            });
        }
    }

    fn start_list(&mut self, m: &Marker) {
        self.end_text();
        self.list = Some(List {
            kind: m.kind,
            indent: m.indent,
            items: vec![collapse_ws(m.rest)],
        });
    }
}

/// Cuts lines into blocks: an item runs over its wrapped lines and over any later line indented
/// deeper than its marker (notes, nested lists); consecutive items of one kind form one block.
pub fn split_blocks(lines: &[&str]) -> Vec<Block> {
    let mut b = Builder::default();
    let mut prev_blank = true;
    for &line in lines {
        if is_blank(line) {
            prev_blank = true;
            if b.list.is_none() {
                b.end_para();
            }
            continue;
        }
        // Sub-heading underlines end the paragraph holding the sub-heading.
        if is_rule(line, '-', 2) || is_rule(line, '=', 2) {
            if b.list.is_none() {
                b.end_para();
            }
            prev_blank = true;
            continue;
        }
        let m = marker(line);
        if let Some(list) = b.list.as_mut() {
            match &m {
                Some(m) if m.indent <= list.indent + 1 => {
                    // A step numbered 1 restarts the numbering: a new checklist.
                    let restart = m.kind == ListKind::Steps && m.number == Some(1);
                    if m.kind == list.kind && !restart {
                        list.items.push(String::new());
                        push_words(list.items.last_mut().expect("just pushed"), m.rest);
                    } else {
                        b.end_list();
                        b.start_list(m);
                    }
                    prev_blank = false;
                    continue;
                }
                _ if !prev_blank || indent(line) > list.indent => {
                    let item = list.items.last_mut().expect("a list has an item");
                    push_words(item, line);
                    prev_blank = false;
                    continue;
                }
                _ => b.end_list(),
            }
        }
        // A wrapped sentence can start with a dash; a bullet straight under prose only counts
        // when the prose introduces it with a colon.
        let opens_list = |m: &Marker, para: &str| {
            prev_blank || m.kind == ListKind::Steps || para.is_empty() || para.ends_with(':')
        };
        match m {
            Some(m) if opens_list(&m, &b.para) => b.start_list(&m),
            _ => push_words(&mut b.para, line),
        }
        prev_blank = false;
    }
    b.end_list();
    b.end_text();
    b.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(items: &[&str]) -> Block {
        Block::Steps(items.iter().map(|s| s.to_string()).collect())
    }

    fn bullets(items: &[&str]) -> Block {
        Block::Bullets(items.iter().map(|s| s.to_string()).collect())
    }

    fn text(s: &str) -> Block {
        Block::Text(s.to_string())
    }

    #[test]
    fn markers() {
        let cases = [
            (
                "1. Start it",
                Some((ListKind::Steps, 0, Some(1), "Start it")),
            ),
            ("  12) Then", Some((ListKind::Steps, 2, Some(12), "Then"))),
            (" - A cause", Some((ListKind::Bullets, 1, None, "A cause"))),
            ("    *\tStar", Some((ListKind::Bullets, 4, None, "Star"))),
            ("3.50 is a version", None),
            ("123. too long", None),
            ("-- dash", None),
            ("-1 minus", None),
            ("- ", None),
            ("1.", None),
            ("", None),
        ];
        for (line, want) in cases {
            let got = marker(line).map(|m| (m.kind, m.indent, m.number, m.rest));
            assert_eq!(got, want, "{line:?}");
        }
    }

    #[test]
    fn splits() {
        let cases: Vec<(&str, Vec<Block>)> = vec![
            ("", vec![]),
            ("One\ntwo.\n\nThree.", vec![text("One two.\n\nThree.")]),
            (
                "Do this:\n\n1. First step\n   wraps here.\n\n2. Second.\n\n3. Third.\n\nAfter.",
                vec![
                    text("Do this:"),
                    steps(&["First step wraps here.", "Second.", "Third."]),
                    text("After."),
                ],
            ),
            (
                "Causes:\n\n - One.\n\n - Two\n   wrapped.\n\n   A note under two.\n\n   Q900001 Some title\n\n - Three.\n\nNOTE: after.",
                vec![
                    text("Causes:"),
                    bullets(&[
                        "One.",
                        "Two wrapped. A note under two. Q900001 Some title",
                        "Three.",
                    ]),
                    text("NOTE: after."),
                ],
            ),
            (
                " - Outer\n\n    - Inner one.\n\n    - Inner two.\n\n - Next",
                vec![bullets(&["Outer - Inner one. - Inner two.", "Next"])],
            ),
            (
                "1. a\n2. b\n - c\n - d",
                vec![steps(&["a", "b"]), bullets(&["c", "d"])],
            ),
            (
                "1. a\n2. b\n\n1. again",
                vec![steps(&["a", "b"]), steps(&["again"])],
            ),
            ("Sub\n---\ntext", vec![text("Sub\n\ntext")]),
            ("Price is\n- 5 dollars", vec![text("Price is - 5 dollars")]),
            (
                "Steps:\n1. a\n2. b",
                vec![text("Steps:"), steps(&["a", "b"])],
            ),
            ("List:\n - a", vec![text("List:"), bullets(&["a"])]),
        ];
        for (src, want) in cases {
            let lines: Vec<&str> = src.lines().collect();
            assert_eq!(split_blocks(&lines), want, "{src:?}");
        }
    }
}
