//! The words of a paste worth a full-text search, and the remembered counts of how many
//! articles hold each: both bounded, so that no paste costs more than a short one.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Most distinct words taken from one text.
pub const MAX_WORDS: usize = 64;
/// Most word counts looked up in the store for one paste.
pub const LOOKUPS_PER_PASTE: usize = 96;
/// Most word counts remembered between pastes.
pub const MAX_REMEMBERED: usize = 20_000;

/// The words of `text` worth searching for, lower-cased, once each, in order: no one-letter
/// words and no English function words; at most `MAX_WORDS`.
pub fn significant_words(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "do",
        "for", "from", "had", "has", "have", "if", "in", "into", "is", "it", "its", "may", "no",
        "not", "of", "on", "or", "so", "such", "than", "that", "the", "their", "then", "there",
        "these", "this", "to", "was", "were", "when", "which", "while", "will", "with", "would",
    ];
    let mut seen: HashSet<String> = HashSet::new();
    let mut words: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if words.len() >= MAX_WORDS {
            break;
        }
        if w.chars().nth(1).is_none() {
            continue;
        }
        let lower = w.to_lowercase();
        if !STOP.contains(&lower.as_str()) && seen.insert(lower.clone()) {
            words.push(lower);
        }
    }
    words
}

/// How many articles hold each word, remembered for the current archive. Only words some
/// article holds are kept (a paste of random words leaves nothing behind), and at most
/// `MAX_REMEMBERED` of them: when full, it starts over.
#[derive(Debug, Default)]
pub struct WordCounts(Mutex<HashMap<String, i64>>);

impl WordCounts {
    /// The remembered count of `word`.
    pub fn get(&self, word: &str) -> Option<i64> {
        self.0.lock().ok().and_then(|m| m.get(word).copied())
    }

    /// Remembers that `n` articles hold `word`.
    pub fn insert(&self, word: &str, n: i64) {
        if n <= 0 {
            return;
        }
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= MAX_REMEMBERED {
                m.clear();
            }
            m.insert(word.to_string(), n);
        }
    }

    /// Forgets every count (the archive changed).
    pub fn clear(&self) {
        if let Ok(mut m) = self.0.lock() {
            m.clear();
        }
    }

    /// How many counts are remembered.
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |m| m.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_once_each_in_order_and_capped() {
        assert_eq!(
            significant_words("The disk is full; the DISK is slow. A b"),
            vec!["disk", "full", "slow"]
        );
        let many: String = (0..10_000).map(|i| format!("w{i} ")).collect();
        assert_eq!(significant_words(&many).len(), MAX_WORDS);
        let repeated = "Event ID: 1\n".repeat(10_000);
        assert_eq!(significant_words(&repeated), vec!["event", "id"]);
    }

    #[test]
    fn counts_stay_bounded() {
        let counts = WordCounts::default();
        counts.insert("unknownword", 0);
        assert_eq!(counts.len(), 0);
        for i in 0..(MAX_REMEMBERED + 10) {
            counts.insert(&format!("w{i}"), 1);
        }
        assert!(counts.len() <= MAX_REMEMBERED);
        assert_eq!(counts.get("missing"), None);
    }
}
