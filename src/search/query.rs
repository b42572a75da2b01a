//! Query understanding: words, stems, stopwords, quoted phrases, error codes and the era's
//! abbreviations, turned into groups of alternatives. Pure: no index, no SQL.

use crate::kb::ArticleId;

/// Words of a query that count as groups; beyond it the most common are dropped.
pub const MAX_GROUPS: usize = 16;
/// Distinct words of a query considered at all (the index keeps the rarest `MAX_GROUPS`).
const MAX_WORDS: usize = 64;
/// Characters of a query read at all; the rest is ignored.
const MAX_QUERY_CHARS: usize = 2000;

/// Function words and the chatter around a problem description ("my", "won't", "keeps").
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "cant",
    "could",
    "couldn",
    "d",
    "did",
    "didn",
    "didnt",
    "do",
    "does",
    "doesn",
    "doesnt",
    "doing",
    "don",
    "done",
    "dont",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn",
    "isnt",
    "it",
    "its",
    "ive",
    "just",
    "keep",
    "keeps",
    "kept",
    "like",
    "ll",
    "m",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "no",
    "nothing",
    "of",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "our",
    "out",
    "over",
    "re",
    "s",
    "same",
    "shall",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "something",
    "still",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "tried",
    "try",
    "trying",
    "under",
    "up",
    "ve",
    "very",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "wont",
    "would",
    "wouldn",
    "you",
    "your",
];

/// The era's abbreviations and everyday words for what the articles say, as alternatives
/// of the word typed. General knowledge of the products of 1990–2002, not of any one query.
const SYNONYMS: &[(&str, &[&str])] = &[
    // Not bare "stop": stemmed, it is every "stops responding" hang, not a blue screen.
    ("bsod", &["blue screen"]),
    ("nt4", &["windows nt 4.0", "nt 4.0"]),
    ("nt351", &["windows nt 3.51"]),
    ("w2k", &["windows 2000"]),
    ("win2k", &["windows 2000"]),
    ("win2000", &["windows 2000"]),
    ("w95", &["windows 95"]),
    ("win95", &["windows 95"]),
    ("w98", &["windows 98"]),
    ("win98", &["windows 98"]),
    ("winme", &["windows millennium"]),
    ("winnt", &["windows nt"]),
    ("win31", &["windows 3.1"]),
    ("wfw", &["windows for workgroups"]),
    ("wfwg", &["windows for workgroups"]),
    ("xp", &["windows xp"]),
    ("ccmail", &["cc mail"]),
    ("msmail", &["ms mail", "microsoft mail"]),
    ("imc", &["internet mail connector", "internet mail service"]),
    ("ims", &["internet mail service"]),
    ("owa", &["outlook web access"]),
    ("oe", &["outlook express"]),
    ("ie", &["internet explorer"]),
    ("vb", &["visual basic"]),
    ("vfp", &["visual foxpro"]),
    ("vc", &["visual c"]),
    ("dun", &["dial-up networking"]),
    ("dialup", &["dial-up"]),
    ("nic", &["network adapter"]),
    ("hdd", &["hard disk"]),
    ("cdrom", &["cd-rom"]),
    ("email", &["e-mail", "mail"]),
    ("pc", &["computer"]),
    ("login", &["logon", "log on"]),
    ("logon", &["log on", "login"]),
    ("reboot", &["restart"]),
    ("reboots", &["restarts"]),
    ("gpf", &["general protection fault"]),
    (
        "crash",
        &[
            "stops responding",
            "hang",
            "illegal operation",
            "gpf",
            "page fault",
        ],
    ),
    (
        "crashes",
        &[
            "stops responding",
            "hang",
            "illegal operation",
            "gpf",
            "page fault",
        ],
    ),
    (
        "crashed",
        &[
            "stops responding",
            "hang",
            "illegal operation",
            "gpf",
            "page fault",
        ],
    ),
    ("hang", &["stops responding", "not responding", "lock up"]),
    ("hangs", &["stops responding", "not responding", "lock up"]),
    ("freeze", &["stops responding", "hang", "lock up"]),
    ("freezes", &["stops responding", "hang", "lock up"]),
    ("frozen", &["stops responding", "hang"]),
    ("greyed", &["grayed", "unavailable", "dimmed"]),
    ("grayed", &["greyed", "unavailable", "dimmed"]),
    ("grey", &["gray", "unavailable"]),
    ("gray", &["grey", "unavailable"]),
    ("garbage", &["garbled"]),
    ("garbled", &["garbage"]),
    // Everyday words for the articles' words.
    ("boot", &["startup", "start"]),
    ("boots", &["startup", "starts"]),
    ("booting", &["startup", "starting"]),
    ("machine", &["computer"]),
    ("machines", &["computers"]),
    ("see", &["view"]),
    ("show", &["display", "appear"]),
    ("shows", &["displays", "appears"]),
    ("switched", &["turned"]),
    ("wrong", &["incorrect"]),
    ("strange", &["unexpected"]),
    ("weird", &["unexpected", "strange"]),
    ("bigger", &["larger", "increases"]),
    ("slow", &["performance", "slowly"]),
    ("disappear", &["missing", "lost"]),
    ("disappears", &["missing", "lost"]),
    ("vanish", &["missing", "lost"]),
    ("recover", &["restore"]),
    ("restore", &["recover"]),
    ("folder", &["directory"]),
    ("folders", &["directories"]),
    ("directory", &["folder"]),
    ("app", &["application", "program"]),
    ("apps", &["applications", "programs"]),
    ("program", &["application"]),
    ("programs", &["applications"]),
    ("broken", &["corrupted", "damaged"]),
    ("randomly", &["intermittently"]),
];

/// One thing the user asked for: a word (or quoted phrase) and what else means the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The words as typed (folded), for notes and highlighting.
    pub text: String,
    /// Stemmed token sequences, any of which satisfies the group; the first is the typed one.
    pub alternatives: Vec<Vec<String>>,
    /// Typed in quotes: its words must be adjacent.
    pub quoted: bool,
    /// The word glued to the word typed after it, as typed and stemmed (`locked out` gives
    /// `lockedout` and `lockout`): an alternative where the archive writes it as one word.
    pub joined: Vec<String>,
}

/// A query understood.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// The groups, in the order typed.
    pub groups: Vec<Group>,
    /// Every stemmed content word in the order typed, for phrase and proximity bonuses.
    pub sequence: Vec<String>,
    /// The query is nothing but an article number (`Q168465`, `KB 168465`, `168465`).
    pub article: Option<ArticleId>,
    /// Every word was a stopword, so they were searched for anyway.
    pub only_stopwords: bool,
    /// It asks how to do something ("how do I...") rather than describing a problem.
    pub howto: bool,
}

impl Query {
    /// The words as past sessions are filed under: every searched word's stem, sorted, once
    /// each, so that "Outlook crashes" and "crashes in outlook" meet. `""` when none.
    pub fn key(&self) -> String {
        let mut words: Vec<&str> = self
            .groups
            .iter()
            .filter_map(|g| g.alternatives.first())
            .flatten()
            .map(String::as_str)
            .collect();
        words.sort_unstable();
        words.dedup();
        words.join(" ")
    }
}

/// Splits text into lower-case tokens: letters and digits, with a dot kept between digits
/// so that versions stay whole (`4.0`, `3.11`).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let keeps_dot = c == '.'
            && cur.chars().last().is_some_and(|p| p.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric() || keeps_dot {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A light English stemmer: plurals, `-ed`, `-ing` and a final `e`, so that "crashes",
/// "crashed" and "crashing" meet. Index and queries use the same function.
pub fn stem(word: &str) -> String {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
        w = format!("{s}y");
    } else if w.ends_with("sses")
        || w.ends_with("ches")
        || w.ends_with("shes")
        || w.ends_with("xes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    for suffix in ["ing", "ed"] {
        if w.len() >= suffix.len() + 3 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            let b = w.as_bytes();
            let n = b.len();
            if n >= 2 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z') {
                w.pop();
            }
            break;
        }
    }
    if w.len() > 3 && w.ends_with('e') && !w.ends_with("ee") {
        w.pop();
    }
    w
}

/// Whether `word` (folded) is a stopword.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

/// The alternatives an error code is written as: `0x7B`, `0x0000007B`, `STOP 7B` all give
/// `0x0000007b`, `0x7b` and `7b`. `None` when the word is no code.
fn error_code(word: &str, after_stop: bool) -> Option<Vec<String>> {
    let hex = word.strip_prefix("0x");
    if hex.is_none() && !after_stop {
        return None;
    }
    let digits = hex.unwrap_or(word).trim_start_matches('0');
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(vec![
        format!("0x{digits:0>8}"),
        format!("0x{digits}"),
        digits.to_string(),
    ])
}

fn stems(text: &str) -> Vec<String> {
    tokens(text).iter().map(|t| stem(t)).collect()
}

/// The alternatives of one typed word: itself, its error-code forms, its synonyms, and a
/// product glued to its version (`word97` is also "word 97").
fn alternatives(word: &str, after_stop: bool) -> Vec<Vec<String>> {
    let mut alts = vec![vec![stem(word)]];
    if let Some(codes) = error_code(word, after_stop) {
        alts.extend(codes.into_iter().map(|c| vec![c]));
    }
    if let Some((_, syn)) = SYNONYMS.iter().find(|(w, _)| *w == word) {
        alts.extend(syn.iter().map(|s| stems(s)));
    } else if let Some(split) = word.find(|c: char| c.is_ascii_digit()).filter(|&i| i >= 2)
        && word[..split].bytes().all(|b| b.is_ascii_lowercase())
        && word[split..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.')
    {
        alts.push(vec![stem(&word[..split]), word[split..].to_string()]);
    }
    alts.dedup();
    alts
}

/// `word` glued to `next`, stemmed, as typed and from the word's stem (`locked out` gives
/// `lockedout` and `lockout`); none when either is a number (`windows 95` is no word).
fn joined(word: &str, next: &str) -> Vec<String> {
    let letters = |w: &str| w.bytes().all(|b| b.is_ascii_lowercase());
    if !letters(word) || !letters(next) {
        return Vec::new();
    }
    let mut out = vec![stem(&format!("{word}{next}"))];
    let from_stem = stem(&format!("{}{next}", stem(word)));
    if !out.contains(&from_stem) {
        out.push(from_stem);
    }
    out
}

/// Word pairs that ask how to do something, not what went wrong.
const HOW_PAIRS: &[(&str, &str)] = &[
    ("how", "to"),
    ("how", "do"),
    ("how", "does"),
    ("how", "can"),
    ("how", "could"),
    ("how", "would"),
    ("how", "should"),
    ("how", "i"),
    ("how", "we"),
    ("way", "to"),
    ("step", "by"),
];

/// Whether the words (folded, in order) ask how to do a task ("how do I move...", "is there
/// a way to...") rather than describe a symptom.
fn asks_how(words: &[String]) -> bool {
    words
        .windows(2)
        .any(|w| HOW_PAIRS.contains(&(w[0].as_str(), w[1].as_str())))
}

/// Understands a query: quoted phrases, then the other words less stopwords (all of them
/// when nothing else is left), each with its alternatives, duplicates dropped.
pub fn parse(text: &str) -> Query {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    if let Ok(id) = text.trim().parse::<ArticleId>() {
        return Query {
            article: Some(id),
            ..Query::default()
        };
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut loose = String::new();
    for (i, part) in text.split('"').enumerate() {
        let words = tokens(part);
        // Odd parts sit between quotes; a lone word in quotes is just a word.
        if i % 2 == 1 && words.len() > 1 {
            groups.push(Group {
                text: words.join(" "),
                alternatives: vec![words.iter().map(|w| stem(w)).collect()],
                quoted: true,
                joined: Vec::new(),
            });
            loose.push(' ');
        } else {
            loose.push(' ');
            loose.push_str(part);
        }
    }
    let words = tokens(&loose);
    let howto = asks_how(&words);
    let only_stopwords = groups.is_empty() && words.iter().all(|w| is_stopword(w));
    let mut sequence = Vec::new();
    let mut prev = "";
    for (i, w) in words.iter().enumerate() {
        if only_stopwords || !is_stopword(w) {
            sequence.push(stem(w));
            if groups.len() < MAX_WORDS && !groups.iter().any(|g| !g.quoted && g.text == *w) {
                groups.push(Group {
                    text: w.clone(),
                    alternatives: alternatives(w, prev == "stop"),
                    quoted: false,
                    joined: words
                        .get(i + 1)
                        .map_or_else(Vec::new, |next| joined(w, next)),
                });
            }
        }
        prev = w;
    }
    Query {
        groups,
        sequence,
        article: None,
        only_stopwords: only_stopwords && !words.is_empty(),
        howto,
    }
}

#[cfg(test)]
mod tests;
