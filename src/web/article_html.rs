//! An article section's blocks as HTML: paragraphs, ordered lists with the article's own
//! numbers, nested lists, sub-headings, `<pre>` for what the import kept line by line, and
//! quoted event blocks as event tables. Q-numbers become links (or marked spans).

use crate::kb::{self, ArticleId, Block, EventLabel, Item};
use std::collections::HashSet;
use std::fmt::Write;

/// What the renderer needs to know about the world: which cited articles exist.
pub struct Links<'a> {
    /// Articles in the archive among those the page cites.
    pub present: &'a HashSet<ArticleId>,
}

/// A stable anchor for a section heading: `CAUSE` is `cause`, `MORE INFORMATION` is
/// `more-information`; the untitled opening section is `summary`; repeats get `-2`, `-3`.
pub fn anchors<'a>(headings: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    headings
        .map(|h| {
            let mut slug = String::new();
            for w in h
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                if !slug.is_empty() {
                    slug.push('-');
                }
                slug.push_str(&w.to_ascii_lowercase());
            }
            if slug.is_empty() {
                slug = "summary".into();
            }
            let n = seen.iter().filter(|s| **s == slug).count();
            seen.push(slug.clone());
            if n == 0 {
                slug
            } else {
                format!("{slug}-{}", n + 1)
            }
        })
        .collect()
}

/// The HTML of a section's blocks.
pub fn render_blocks(blocks: &[Block], links: &Links) -> String {
    let mut out = String::new();
    blocks_into(blocks, links, &mut out);
    out
}

fn blocks_into(blocks: &[Block], links: &Links, out: &mut String) {
    for b in blocks {
        match b {
            Block::Paragraph { text } => {
                out.push_str("<p>");
                linkify_into(text, links, out);
                out.push_str("</p>\n");
            }
            Block::Heading { text } => {
                out.push_str("<h3>");
                linkify_into(text, links, out);
                out.push_str("</h3>\n");
            }
            Block::Steps { lettered, items } => {
                out.push_str(if *lettered {
                    "<ol type=\"a\">\n"
                } else {
                    "<ol>\n"
                });
                items_into(items, links, out);
                out.push_str("</ol>\n");
            }
            Block::Bullets { items } => {
                out.push_str("<ul>\n");
                items_into(items, links, out);
                out.push_str("</ul>\n");
            }
            Block::Preformatted { lines } => {
                if is_event_quote(lines) {
                    event_table_into(lines, links, out);
                } else {
                    out.push_str("<pre>");
                    linkify_into(&lines.join("\n"), links, out);
                    out.push_str("</pre>\n");
                }
            }
        }
    }
}

fn items_into(items: &[Item], links: &Links, out: &mut String) {
    for item in items {
        match item.number {
            Some(n) => {
                let _ = write!(out, "<li value=\"{n}\">");
            }
            None => out.push_str("<li>"),
        }
        linkify_into(&item.text, links, out);
        if !item.blocks.is_empty() {
            out.push('\n');
            blocks_into(&item.blocks, links, out);
        }
        out.push_str("</li>\n");
    }
}

/// Whether preformatted lines are a quoted event: they open with event fields and name
/// an event id.
fn is_event_quote(lines: &[String]) -> bool {
    lines.first().is_some_and(|l| kb::event_field(l).is_some())
        && lines
            .iter()
            .any(|l| matches!(kb::event_field(l), Some((EventLabel::Id, _, _))))
}

/// An event block as the page's event table: one row per labelled line, as written, lines
/// without a label continuing the row above; the id and source link to the event's pages.
fn event_table_into(lines: &[String], links: &Links, out: &mut String) {
    let source = lines.iter().find_map(|l| match kb::event_field(l) {
        Some((EventLabel::Source, _, v)) if !v.is_empty() => Some(kb::fold_source(v)),
        _ => None,
    });
    let mut rows: Vec<(String, String)> = Vec::new();
    for l in lines {
        match kb::event_field(l) {
            Some((label, written, value)) => {
                let mut cell = String::new();
                event_value_into(label, value, source.as_deref(), links, &mut cell);
                rows.push((written.to_string(), cell));
            }
            None => match rows.last_mut() {
                Some((_, cell)) if !l.trim().is_empty() => {
                    cell.push(' ');
                    linkify_into(l.trim(), links, cell);
                }
                _ => {}
            },
        }
    }
    out.push_str("<dl class=\"event\">\n");
    for (label, cell) in rows {
        out.push_str("<dt>");
        escape_into(&label, out);
        out.push_str(":</dt><dd>");
        out.push_str(&cell);
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n");
}

fn event_value_into(
    label: EventLabel,
    value: &str,
    source: Option<&str>,
    links: &Links,
    out: &mut String,
) {
    let digits = value.bytes().take_while(u8::is_ascii_digit).count();
    match (label, source) {
        (EventLabel::Id, Some(key)) if digits > 0 && !key.is_empty() => {
            let _ = write!(
                out,
                "<a href=\"/events/{}/{}\">",
                super::search::encode(key),
                &value[..digits]
            );
            out.push_str(&value[..digits]);
            out.push_str("</a>");
            linkify_into(&value[digits..], links, out);
        }
        (EventLabel::Source, Some(key)) if !key.is_empty() => {
            let _ = write!(out, "<a href=\"/events/{}\">", super::search::encode(key));
            escape_into(value, out);
            out.push_str("</a>");
        }
        _ => linkify_into(value, links, out),
    }
}

/// Escapes text and turns each Q-number into a link when that article is in the archive,
/// or a marked span when it is not: no dead links.
pub fn linkify_into(text: &str, links: &Links, out: &mut String) {
    let mut last = 0;
    for (range, id) in kb::citations(text) {
        escape_into(&text[last..range.start], out);
        let written = &text[range.clone()];
        if links.present.contains(&id) {
            let _ = write!(out, "<a href=\"/articles/{id}\">{written}</a>");
        } else {
            let _ = write!(
                out,
                "<span class=\"missing\" title=\"{id} is not in the archive\">{written}</span>"
            );
        }
        last = range.end;
    }
    escape_into(&text[last..], out);
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
