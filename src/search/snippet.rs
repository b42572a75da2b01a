//! Snippets: the stretch of an article's text holding most of the searched words, those
//! words wrapped in the store's highlight marks. Pure.

use super::query::{stem, tokens};
use crate::store::{MARK_END, MARK_START};
use std::collections::HashSet;

/// Words in a snippet.
const WINDOW: usize = 30;

/// Whether a whitespace-separated word holds a searched stem.
fn matches(word: &str, stems: &HashSet<String>) -> bool {
    tokens(word).iter().any(|t| stems.contains(&stem(t)))
}

/// The best window of `text` for `stems`, matched words marked, `…` where it is cut.
pub fn snippet(text: &str, stems: &HashSet<String>) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return String::new();
    }
    let hit: Vec<bool> = words.iter().map(|w| matches(w, stems)).collect();
    let width = WINDOW.min(words.len());
    let mut count: usize = hit[..width].iter().filter(|h| **h).count();
    let (mut best, mut best_start) = (count, 0);
    for start in 1..=words.len() - width {
        count = count + usize::from(hit[start + width - 1]) - usize::from(hit[start - 1]);
        if count > best {
            (best, best_start) = (count, start);
        }
    }
    let mut out = String::new();
    if best_start > 0 {
        out.push('…');
    }
    for (i, w) in words[best_start..best_start + width].iter().enumerate() {
        if i > 0 || best_start > 0 {
            out.push(' ');
        }
        if hit[best_start + i] {
            out.push(MARK_START);
            out.push_str(w);
            out.push(MARK_END);
        } else {
            out.push_str(w);
        }
    }
    if best_start + width < words.len() {
        out.push_str(" …");
    }
    out
}

/// The searched words an article's head holds, as written there, for "matched: …".
pub fn matched_words(text: &str, stems: &HashSet<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in tokens(text) {
        let s = stem(&t);
        if stems.contains(&s) && seen.insert(s) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_best_window() {
        let stems: HashSet<String> = ["outlook", "attachment"].iter().map(|s| stem(s)).collect();
        let text = format!(
            "{} Outlook fails on an attachment, then.",
            "pad ".repeat(40)
        );
        let s = snippet(&text, &stems);
        assert!(s.starts_with('…'), "{s}");
        assert!(
            s.contains("\u{2}Outlook\u{3}") && s.contains("\u{2}attachment,\u{3}"),
            "{s}"
        );
        assert_eq!(snippet("", &stems), "");
        assert_eq!(snippet("plain words", &stems), "plain words");
        assert_eq!(
            matched_words("Outlook and outlook attachments", &stems),
            ["outlook", "attachments"]
        );
    }
}
