//! Cutting a section's lines into blocks by layout: paragraphs, sub-headings, nested numbered
//! and bulleted lists, and preformatted runs (code, tables, quoted messages) kept line by line.

use super::text::{collapse_ws, indent, is_blank, is_rule, push_words};
use super::{Block, Item};

/// The two kinds of list the articles use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `1.` `2.` ... (or `1)`, or lettered `a.` sub-steps).
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
    /// The step number, for steps (`a.` is 1, `b.` is 2).
    pub number: Option<u32>,
    /// Whether the step marker is a letter.
    pub lettered: bool,
    /// The item text after the marker.
    pub rest: &'a str,
}

/// Recognises `1. text`, `12) text`, `a. text`, `- text` and `* text` at any indentation.
pub fn marker(line: &str) -> Option<Marker<'_>> {
    let t = line.trim_start();
    let ind = indent(line);
    if let Some(s) = t.strip_prefix(['-', '*']) {
        // `--` and `-1` are dashes and numbers, not bullets.
        return after_gap(s).map(|rest| Marker {
            kind: ListKind::Bullets,
            indent: ind,
            number: None,
            lettered: false,
            rest,
        });
    }
    let first = t.bytes().next()?;
    // One lower-case letter then `.` or `)`: a lettered sub-step (`i.e.` has no gap).
    if first.is_ascii_lowercase() {
        let rest = after_gap(t[1..].strip_prefix(['.', ')'])?)?;
        return Some(Marker {
            kind: ListKind::Steps,
            indent: ind,
            number: Some(u32::from(first - b'a') + 1),
            lettered: true,
            rest,
        });
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let s = t[digits..].strip_prefix(['.', ')'])?;
    let rest = after_gap(s)?;
    Some(Marker {
        kind: ListKind::Steps,
        indent: ind,
        number: t[..digits].parse().ok(),
        lettered: false,
        rest,
    })
}

/// The text after a marker, which must be followed by whitespace and then some text.
fn after_gap(s: &str) -> Option<&str> {
    let rest = s.trim_start();
    (s.starts_with([' ', '\t']) && !rest.is_empty()).then_some(rest)
}

/// The column where a marker line's item text starts.
fn text_column(line: &str, m: &Marker) -> usize {
    line.len() - m.rest.len()
}

/// Whether the line is drawn rather than written: table borders and cells, rules, columns
/// aligned with runs of spaces or tabs, code, registry and INI lines, prompts.
pub fn is_layout_line(line: &str) -> bool {
    let t = line.trim();
    let (Some(&first), Some(&last)) = (t.as_bytes().first(), t.as_bytes().last()) else {
        return false;
    };
    // Any one test makes a layout line: the cheapest go first and the first that holds
    // decides (this runs on every line of every section, several times).
    let drawn_edge = matches!(first, b'|' | b'{' | b'}' | b'#')
        || matches!(last, b';' | b'{')
        || (first == b'[' && last == b']');
    if drawn_edge || t.contains('\t') {
        return true;
    }
    let rule = t.len() >= 3 && ['-', '=', '_', '*', '~'].iter().any(|&c| is_rule(t, c, 3));
    let code_start = t.starts_with("//") || t.starts_with("/*") || t.starts_with("*/");
    if rule || code_start {
        return true;
    }
    let table = (first == b'+' && t.contains("--"))
        || t.find('|').is_some_and(|i| t[i + 1..].contains('|'));
    if table || t.contains("HKEY_") || t.contains(":\\>") || is_assignment(t) {
        return true;
    }
    let path = !t.contains(' ') && last != b':' && (t.contains('\\') || is_file_name(t));
    path || has_column_gap(t)
}

/// `Smsman.exe`, `Q265270.exe`: a name, a dot and a short extension, nothing else.
fn is_file_name(t: &str) -> bool {
    let Some((name, ext)) = t.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && (1..=4).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && !t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Several lines of one word each: a file or name list.
fn is_word_list(lines: &[&str]) -> bool {
    lines.len() >= 2
        && lines.iter().all(|l| {
            l.split_whitespace().count() == 1
                && !l.trim_end().ends_with(['.', ',', ':', ';', '?', '!'])
        })
}

/// `Name=value` or `Name = value` with no prose around it (INI entries, variables).
fn is_assignment(t: &str) -> bool {
    let Some((key, _)) = t.split_once('=') else {
        return false;
    };
    let key = key.trim_end();
    !key.is_empty()
        && !key.contains(' ')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.$%@-".contains(&b))
}

/// Whether trimmed text has three or more spaces between two words (columns); prose only
/// ever puts two after a full stop.
fn has_column_gap(t: &str) -> bool {
    t.contains("   ")
}

/// `Subject: text`, `Sent: 6/18/00`: a short label and a colon at the start of a line.
fn is_label_line(t: &str) -> bool {
    let Some((label, value)) = t.trim().split_once(':') else {
        return false;
    };
    !label.is_empty()
        && label.len() <= 30
        && !value.trim().is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'/')
        && label.split(' ').count() <= 3
}

/// Whether indented lines read as prose: citation lines, a lone address, a separator word
/// such as `-or-`, or sentences of mostly plain words.
fn reads_as_prose(lines: &[&str]) -> bool {
    let first = lines[0].trim();
    if first.starts_with('Q')
        && super::citations(first)
            .next()
            .is_some_and(|(r, _)| r.start == 0)
    {
        return true;
    }
    if lines.len() == 1 && (first.starts_with("http://") || first.starts_with("https://")) {
        return !first.contains(' ');
    }
    if lines.len() == 1 && is_separator_word(first) {
        return true;
    }
    if lines.iter().any(|l| is_label_line(l)) && lines.len() > 1 {
        return false;
    }
    let same_indent = lines.iter().all(|l| indent(l) == indent(lines[0]));
    let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    let plain = words.iter().filter(|w| is_plain_word(w)).count();
    let last = lines[lines.len() - 1].trim_end();
    let ends_sentence = last.ends_with(['.', ':', '?', '!', ')', '"']);
    same_indent && words.len() >= 6 && plain * 5 >= words.len() * 4 && ends_sentence
}

/// `-or-`, `OR`, `-and-`: the words that sit between alternatives.
fn is_separator_word(t: &str) -> bool {
    let w = t.trim_matches('-');
    !w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A word of prose: letters, with at most surrounding punctuation and an inner `'` or `-`.
fn is_plain_word(w: &str) -> bool {
    let core = w.trim_matches(|c: char| ".,;:!?()\"'".contains(c));
    !core.is_empty()
        && core
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '\u{2019}')
}

/// Whether a run of non-blank lines at the context's margin is drawn rather than written:
/// at least half its lines are layout lines.
fn margin_is_layout(lines: &[&str]) -> bool {
    let n = lines.iter().filter(|l| is_layout_line(l)).count();
    (n > 0 && n * 2 >= lines.len()) || is_word_list(lines)
}

/// Whether a run of non-blank lines indented under the context's margin is preformatted:
/// anything that does not read as prose, or holds a layout line or event label.
fn indented_is_layout(lines: &[&str]) -> bool {
    lines
        .iter()
        .any(|l| is_layout_line(l) || super::events::field_line(l).is_some())
        || is_word_list(lines)
        || !reads_as_prose(lines)
}

/// Collects blocks, merging adjacent preformatted runs separated only by blank lines.
#[derive(Default)]
struct Out {
    blocks: Vec<Block>,
    /// Blank lines seen since the last preformatted run, which join it to the next one.
    blanks_after_pre: Option<usize>,
}

impl Out {
    fn push(&mut self, b: Block) {
        self.blanks_after_pre = None;
        self.blocks.push(b);
    }

    fn blank(&mut self) {
        if let Some(n) = self.blanks_after_pre.as_mut() {
            *n += 1;
        }
    }

    fn pre(&mut self, lines: &[&str]) {
        if let (Some(blanks), Some(Block::Preformatted { lines: prev })) =
            (self.blanks_after_pre, self.blocks.last_mut())
        {
            prev.extend(std::iter::repeat_n(String::new(), blanks));
            prev.extend(lines.iter().map(|l| l.trim_end().to_string()));
        } else {
            self.blocks.push(Block::Preformatted {
                lines: lines.iter().map(|l| l.trim_end().to_string()).collect(),
            });
        }
        self.blanks_after_pre = Some(0);
    }

    /// Removes the common indentation of the run that just ended.
    fn finish(mut self) -> Vec<Block> {
        for b in &mut self.blocks {
            if let Block::Preformatted { lines } = b {
                dedent(lines);
            }
        }
        self.blocks
    }
}

fn dedent(lines: &mut [String]) {
    let min = lines
        .iter()
        .filter(|l| !is_blank(l))
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    for l in lines.iter_mut() {
        // Indentation may hold multi-byte spaces (U+00A0): cut on a character boundary.
        let mut cut = indent(l).min(min);
        while !l.is_char_boundary(cut) {
            cut -= 1;
        }
        l.drain(..cut);
    }
}

/// Cuts a section's lines into blocks. The margin is the section's least indentation;
/// lists nest by indentation; see [`Block`] for what each kind holds.
pub fn split_blocks(lines: &[&str]) -> Vec<Block> {
    let base = lines
        .iter()
        .filter(|l| !is_blank(l))
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    parse(lines, base)
}

/// Whether a marker line opens a list here: near the margin, and (for bullets straight
/// under prose, which may be a wrapped dash) after a blank line or a colon.
fn opens_list(m: &Marker, base: usize, prev: Option<&str>) -> bool {
    m.indent <= base + 4
        && (prev.is_none_or(is_blank)
            || m.kind == ListKind::Steps && !m.lettered
            || prev.is_some_and(|p| p.trim_end().ends_with(':')))
}

/// Blocks of `lines`, whose margin is column `base`.
fn parse(lines: &[&str], base: usize) -> Vec<Block> {
    let mut out = Out::default();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_blank(line) {
            out.blank();
            i += 1;
            continue;
        }
        // Straight after a list, a marker of the other kind starts the next list.
        let prev = i.checked_sub(1).map(|p| lines[p]).filter(|_| {
            !matches!(
                out.blocks.last(),
                Some(Block::Steps { .. } | Block::Bullets { .. })
            )
        });
        if let Some(m) = marker(line).filter(|m| opens_list(m, base, prev)) {
            let (block, next) = parse_list(lines, i, &m);
            out.push(block);
            i = next;
            continue;
        }
        // A run: up to a blank line or a marker that opens a list.
        let mut end = i + 1;
        while end < lines.len() && !is_blank(lines[end]) {
            let opens = marker(lines[end]).is_some_and(|m| {
                opens_list(&m, base, Some(lines[end - 1])) && !is_layout_line(lines[end - 1])
            });
            if opens {
                break;
            }
            end += 1;
        }
        run_blocks(&lines[i..end], base, &mut out);
        i = end;
    }
    out.finish()
}

/// Blocks of one run of non-blank lines: a sub-heading, then pieces cut where the
/// indentation moves between the margin and deeper.
fn run_blocks(run: &[&str], base: usize, out: &mut Out) {
    let mut run = run;
    if run.len() >= 2 && is_underline(run[0], run[1]) && indent(run[0]) <= base + 1 {
        out.push(Block::Heading {
            text: collapse_ws(run[0]),
        });
        run = &run[2..];
    }
    let deep = |l: &str| indent(l) > base + 1;
    let mut start = 0;
    while start < run.len() {
        let is_deep = deep(run[start]);
        let mut end = start + 1;
        while end < run.len() && deep(run[end]) == is_deep {
            end += 1;
        }
        let piece = &run[start..end];
        let layout = if is_deep {
            indented_is_layout(piece)
        } else {
            margin_is_layout(piece)
        };
        if layout {
            out.pre(piece);
        } else {
            let mut text = String::new();
            for l in piece {
                push_words(&mut text, l);
            }
            out.push(Block::Paragraph { text });
        }
        start = end;
    }
}

/// Whether `under` underlines `head` as a sub-heading: a rule of `-` or `=` about as long.
fn is_underline(head: &str, under: &str) -> bool {
    let h = head.trim();
    let u = under.trim();
    (is_rule(u, '-', 3) || is_rule(u, '=', 3))
        && !is_layout_line(head)
        && marker(head).is_none()
        && h.chars().count().abs_diff(u.len()) <= 5
}

/// Parses the list starting at `lines[start]` (marker `first`); returns it and the index
/// of the first line after it.
fn parse_list(lines: &[&str], start: usize, first: &Marker) -> (Block, usize) {
    let mut items = Vec::new();
    let mut i = start;
    let mut m = first.clone();
    loop {
        let (item, next) = parse_item(lines, i, &m);
        items.push(item);
        // The next sibling: a marker of the same kind at the same depth, after blanks.
        let mut j = next;
        while j < lines.len() && is_blank(lines[j]) {
            j += 1;
        }
        let sibling = lines.get(j).and_then(|l| marker(l)).filter(|n| {
            n.kind == first.kind
                && n.lettered == first.lettered
                && n.indent.abs_diff(first.indent) <= 1
                && !(n.kind == ListKind::Steps && n.number == Some(1))
        });
        match sibling {
            Some(n) => {
                m = n;
                i = j;
            }
            None => {
                i = next;
                break;
            }
        }
    }
    let block = match first.kind {
        ListKind::Steps => Block::Steps {
            lettered: first.lettered,
            items,
        },
        ListKind::Bullets => Block::Bullets { items },
    };
    (block, i)
}

/// Parses one item: its first paragraph (rejoining lines it wraps onto, even unindented
/// ones) and the lines indented under it, parsed as blocks of their own.
fn parse_item(lines: &[&str], start: usize, m: &Marker) -> (Item, usize) {
    let col = text_column(lines[start], m);
    let mut text = collapse_ws(m.rest);
    let mut j = start + 1;
    while let Some(&l) = lines.get(j) {
        let wraps = !is_blank(l)
            && marker(l).is_none()
            && indent(l) <= col + 1
            && !is_layout_line(l)
            && !is_layout_line(lines[j - 1]);
        if !wraps {
            break;
        }
        push_words(&mut text, l);
        j += 1;
    }
    // Under the item: blank lines and anything deeper than its marker, but not a sibling.
    let mut end = j;
    let mut k = j;
    while let Some(&l) = lines.get(k) {
        if is_blank(l) {
            k += 1;
            continue;
        }
        let sibling = marker(l).is_some_and(|n| n.indent <= m.indent + 1);
        if indent(l) <= m.indent || sibling {
            break;
        }
        k += 1;
        end = k;
    }
    let under = &lines[j..end];
    let base = under
        .iter()
        .filter(|l| !is_blank(l))
        .map(|l| indent(l))
        .min()
        .unwrap_or(col);
    let item = Item {
        number: m.number,
        text,
        blocks: parse(under, base.min(col)),
    };
    (item, end)
}

#[cfg(test)]
mod tests;
