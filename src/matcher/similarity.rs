//! How alike a pasted description is to an article's quoted one, with the variable parts of
//! both sides (numbers, hex, paths, names with digits, quoted names, DNs, GUIDs and the
//! placeholders articles write: `<server name>`, `msgxxxx.ccm`, `%1`) counting as wildcards.

/// A description cut into comparable words; variables become [`Token::Var`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shape {
    /// The words, lower-cased, variables folded to one wildcard each run.
    pub tokens: Vec<Token>,
    /// The words (as written) that were treated as variables.
    pub variables: Vec<String>,
    /// `tokens` as hashes (0 for a variable), so comparing thousands of quotes stays cheap.
    hashes: Vec<u64>,
    /// The literal words' hashes, sorted: a quick bound before the full alignment.
    sorted_words: Vec<u64>,
    /// The variables, lower-cased, for spotting values the paste shares verbatim.
    values: Vec<String>,
}

/// One word of a [`Shape`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    /// A literal word, lower-cased.
    Word(String),
    /// A variable part: any value fits.
    Var,
}

/// The outcome of comparing a pasted shape with a quoted one.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Similarity {
    /// 0 to 1: how alike the two are (F-measure of `precision` and `prefix_recall`, less a
    /// little for a quote that goes on past the paste).
    pub score: f64,
    /// Share of the pasted words the quote explains: in common, in order, or standing where
    /// the quote has a placeholder.
    pub precision: f64,
    /// Share of the quote's words found in the paste, in order.
    pub recall: f64,
    /// Recall counted only up to the last quoted word the paste reached: a paste that is the
    /// start of a longer message (users copy the first lines) is not punished for the rest.
    pub prefix_recall: f64,
    /// Share of the paste's variable values that the quote has verbatim (error codes, names).
    pub exact_values: f64,
    /// Literal words in common.
    pub common: usize,
}

/// Cuts a description into its shape.
pub fn shape(text: &str) -> Shape {
    let (tokens, variables) = tokens_of(text);
    let hashes: Vec<u64> = tokens
        .iter()
        .map(|t| match t {
            Token::Word(w) => word_hash(w),
            Token::Var => VAR,
        })
        .collect();
    let mut sorted_words: Vec<u64> = hashes.iter().copied().filter(|h| *h != VAR).collect();
    sorted_words.sort_unstable();
    let values = variables
        .iter()
        .map(|v| v.trim_matches(['\'', '"', '<', '>']).to_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    Shape {
        tokens,
        variables,
        hashes,
        sorted_words,
        values,
    }
}

/// The words of `text` with its variable parts folded to wildcards, and those parts as
/// written.
fn tokens_of(text: &str) -> (Vec<Token>, Vec<String>) {
    let mut tokens = Vec::new();
    let mut variables = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            break;
        }
        // Bracketed placeholders and quoted names may hold spaces: take them whole.
        if let Some(len) = enclosed_len(trimmed) {
            push_var(&mut tokens);
            variables.push(trimmed[..len].to_string());
            rest = &trimmed[len..];
            continue;
        }
        let end = word_end(trimmed);
        let raw = &trimmed[..end];
        rest = &trimmed[end..];
        let word = raw
            .trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '%' | '\\' | '{' | '}'));
        if word.is_empty() {
            continue;
        }
        if is_variable(word) {
            push_var(&mut tokens);
            variables.push(word.to_string());
        } else {
            let parts = word.split(|c: char| !c.is_alphanumeric());
            tokens.extend(
                parts
                    .filter(|p| !p.is_empty())
                    .map(|p| Token::Word(p.to_lowercase())),
            );
        }
    }
    (tokens, variables)
}

/// Where the word that `text` starts with ends: at whitespace, or before a placeholder
/// inside it, as in `((<Process ID>)` or `'<DATABASE.EDB>'` (the part before it is a word
/// of its own, the placeholder is taken on the next round).
fn word_end(text: &str) -> usize {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    match text[..end].find('<') {
        Some(lt) if lt > 0 && enclosed_len(&text[lt..]).is_some() => lt,
        _ => end,
    }
}

/// The hash standing for a variable in `Shape::hashes`.
const VAR: u64 = 0;

/// A word's hash; never `VAR`.
fn word_hash(w: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    w.hash(&mut h);
    h.finish().max(1)
}

fn push_var(tokens: &mut Vec<Token>) {
    if tokens.last() != Some(&Token::Var) {
        tokens.push(Token::Var);
    }
}

/// The byte length of a `<...>`, `"..."`, `“...”` or `'...'` run at the start of `s`
/// (short, one line).
fn enclosed_len(s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    let close = match open {
        '<' => '>',
        '"' => '"',
        '\'' => '\'',
        '\u{201c}' => '\u{201d}',
        _ => return None,
    };
    let open_len = open.len_utf8();
    let end = s[open_len..].find(close)?;
    let inner = &s[open_len..open_len + end];
    let after = s[open_len + end + close.len_utf8()..].chars().next();
    // A single quote also writes apostrophes: only a quote closed before a space or
    // punctuation encloses a name.
    let closes_word = open != '\'' || after.is_none_or(|c| !c.is_alphanumeric());
    // A name or placeholder is a few words; a whole sentence in quotes is the message itself.
    let short = open == '<' || inner.split_whitespace().count() <= 4;
    (!inner.is_empty() && inner.len() <= 80 && !inner.contains('\n') && closes_word && short)
        .then_some(open_len + end + close.len_utf8())
}

/// Whether a word is a value that changes from one occurrence of the event to the next.
pub fn is_variable(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    word.bytes().any(|b| b.is_ascii_digit())
        || word.starts_with('%')
        || word.contains(['\\', '/', '=', '@', '{', '}'])
        || ["xxx", "nnn", "yyy", "###"]
            .iter()
            .any(|p| lower.contains(p))
        || (lower.starts_with("0x") && lower.len() > 2)
}

/// Most pasted words one placeholder of the quote may stand for.
const WORDS_PER_PLACEHOLDER: usize = 4;
/// Longest run of tokens compared on each side, so a huge paste cannot make the
/// alignment quadratic in its size.
const CAP: usize = 400;

/// How alike `pasted` is to `quoted`: the best in-order alignment of their words, where a
/// placeholder of the quote stands for the pasted words in its place.
pub fn similarity(pasted: &Shape, quoted: &Shape) -> Similarity {
    let a_words = pasted.sorted_words.len();
    let b_words = quoted.sorted_words.len();
    if a_words == 0 || b_words == 0 {
        let both_empty = a_words == 0 && b_words == 0;
        return Similarity {
            score: if both_empty { 1.0 } else { 0.0 },
            ..Similarity::default()
        };
    }
    let (common, explained, reach) = align(&pasted.hashes, &quoted.hashes);
    let placeholders = quoted.hashes.iter().filter(|h| **h == VAR).count();
    // A pasted word standing for a placeholder counts a little less than one written the
    // same on both sides, so a quote that has the paste's literal words wins.
    let explained =
        common as f64 + 0.8 * explained.min(WORDS_PER_PLACEHOLDER * placeholders) as f64;
    let precision = (explained / a_words as f64).min(1.0);
    let recall = common as f64 / b_words as f64;
    let reached = quoted.hashes[..reach].iter().filter(|h| **h != VAR).count();
    let prefix_recall = if reached == 0 {
        0.0
    } else {
        common as f64 / reached as f64
    };
    let tail = 1.0 - reached as f64 / b_words as f64;
    let f = if common == 0 {
        0.0
    } else {
        2.0 * precision * prefix_recall / (precision + prefix_recall)
    };
    Similarity {
        score: (f - 0.1 * tail).max(0.0),
        precision,
        recall,
        prefix_recall,
        exact_values: exact_values(pasted, quoted),
        common,
    }
}

/// An upper bound on `similarity(pasted, quoted).precision`, from the words the two share
/// regardless of order; cheap enough to run over every quote of the archive.
pub fn precision_bound(pasted: &Shape, quoted: &Shape) -> f64 {
    let a = &pasted.sorted_words;
    if a.is_empty() {
        return 0.0;
    }
    let shared = shared_words(a, &quoted.sorted_words);
    let placeholders = quoted.hashes.iter().filter(|h| **h == VAR).count();
    ((shared + WORDS_PER_PLACEHOLDER * placeholders) as f64 / a.len() as f64).min(1.0)
}

/// An upper bound on `similarity(pasted, quoted).common`: the literal words the two share
/// in any order. Cheap, for finding a quoted message inside a longer text.
pub fn shared_with(pasted: &Shape, quoted: &Shape) -> usize {
    shared_words(&pasted.sorted_words, &quoted.sorted_words)
}

/// How many words two sorted word lists share, counting repeats once per pair.
fn shared_words(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// The number of literal words in a shape.
pub fn literal_words(shape: &Shape) -> usize {
    shape.sorted_words.len()
}

/// Share of the paste's values that the quote also has, verbatim.
fn exact_values(pasted: &Shape, quoted: &Shape) -> f64 {
    if pasted.values.is_empty() {
        return 0.0;
    }
    let same = pasted
        .values
        .iter()
        .filter(|v| quoted.values.contains(v))
        .count();
    same as f64 / pasted.values.len() as f64
}

/// The best in-order alignment of paste tokens `a` with quote tokens `b`: literal words in
/// common first, then pasted words standing where the quote has a placeholder. Returns
/// (words in common, pasted words a placeholder explains, how many quote tokens the best
/// alignment needs). Two rows of memory; inputs capped at `CAP` tokens.
fn align(a: &[u64], b: &[u64]) -> (usize, usize, usize) {
    // One cell packs (common, explained) so a single comparison orders them.
    const SHIFT: u32 = 16;
    let a = &a[..a.len().min(CAP)];
    let b = &b[..b.len().min(CAP)];
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for &x in a {
        cur[0] = 0;
        for (j, &y) in b.iter().enumerate() {
            let mut best = prev[j + 1].max(cur[j]);
            if y == VAR {
                // The placeholder takes this pasted token too and stays open for more.
                best = best.max(prev[j + 1] + u32::from(x != VAR));
            } else if x == y {
                best = best.max(prev[j] + (1 << SHIFT));
            }
            cur[j + 1] = best;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let top = prev[b.len()];
    let reach = prev.iter().position(|v| *v == top).unwrap_or(b.len());
    let common = (top >> SHIFT) as usize;
    let explained = (top & ((1 << SHIFT) - 1)) as usize;
    (common, explained, reach)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Token {
        Token::Word(s.into())
    }

    #[test]
    fn shapes_fold_variables() {
        let cases: Vec<(&str, Vec<Token>, Vec<&str>)> = vec![
            (
                "Export to file msgxxxx.ccm returned code 3.",
                vec![
                    w("export"),
                    w("to"),
                    w("file"),
                    Token::Var,
                    w("returned"),
                    w("code"),
                    Token::Var,
                ],
                vec!["msgxxxx.ccm", "3"],
            ),
            (
                "The <server name> server at \"C:\\Program Files\" failed",
                vec![
                    w("the"),
                    Token::Var,
                    w("server"),
                    w("at"),
                    Token::Var,
                    w("failed"),
                ],
                vec!["<server name>", "\"C:\\Program Files\""],
            ),
            (
                "Error %1 on CN=Srv,O=Org 0x80004005",
                vec![w("error"), Token::Var, w("on"), Token::Var],
                vec!["%1", "CN=Srv,O=Org", "0x80004005"],
            ),
            (
                "cc:Mail post-office",
                vec![w("cc"), w("mail"), w("post"), w("office")],
                vec![],
            ),
            ("", vec![], vec![]),
        ];
        for (text, tokens, vars) in cases {
            let s = shape(text);
            assert_eq!(s.tokens, tokens, "{text}");
            assert_eq!(s.variables, vars, "{text}");
        }
    }

    #[test]
    fn placeholders_match_values() {
        let quoted = shape(
            "Lotus cc:Mail EXPORT to file msgxxxx.ccm returned result code 3. Could not access <server name>.",
        );
        let pasted = shape(
            "Lotus cc:Mail EXPORT to file msg0a1f.ccm returned result code 3. Could not access SALES.",
        );
        let sim = similarity(&pasted, &quoted);
        assert!(sim.score > 0.9, "{sim:?}");
        let other = shape("The service terminated unexpectedly. It has done this 2 times.");
        assert!(similarity(&other, &quoted).score < 0.2);
    }

    #[test]
    fn placeholders_inside_words_and_quoted_names() {
        let cases: Vec<(&str, Vec<Token>, Vec<&str>)> = vec![
            (
                "MSExchangeIS ((<Process ID>) ) replaying",
                vec![w("msexchangeis"), Token::Var, w("replaying")],
                vec!["<Process ID>"],
            ),
            (
                "database '<DATABASE.EDB>': corrupt",
                vec![w("database"), Token::Var, w("corrupt")],
                vec!["'<DATABASE.EDB>'"],
            ),
            (
                "cleanup of database 'EXCH' as a result",
                vec![
                    w("cleanup"),
                    w("of"),
                    w("database"),
                    Token::Var,
                    w("as"),
                    w("a"),
                    w("result"),
                ],
                vec!["'EXCH'"],
            ),
            // An apostrophe is not a quote.
            (
                "the message's originator",
                vec![w("the"), w("message"), w("s"), w("originator")],
                vec![],
            ),
            // A whole sentence in quotes is the message, not a name.
            (
                "\"End of the data reached while looking\"",
                vec![
                    w("end"),
                    w("of"),
                    w("the"),
                    w("data"),
                    w("reached"),
                    w("while"),
                    w("looking"),
                ],
                vec![],
            ),
        ];
        for (text, tokens, vars) in cases {
            let s = shape(text);
            assert_eq!(s.tokens, tokens, "{text}");
            assert_eq!(s.variables, vars, "{text}");
        }
    }

    #[test]
    fn alignment_prefers_literal_words_and_forgives_a_cut_off_paste() {
        let pasted = shape("Creating dump file SNADUMP.LOG for SNASERVR.EXE.");
        let literal = shape("Creating dump file SNADUMP.LOG for SNASERVR.EXE");
        let placeholder = shape("Creating dump file C:\\SNA\\snadump.log for Snaservr.exe");
        let (l, p) = (
            similarity(&pasted, &literal),
            similarity(&pasted, &placeholder),
        );
        assert_eq!(l.score, 1.0, "{l:?}");
        assert!(p.score > 0.9 && p.score < l.score, "{p:?}");

        // The first sentence of a longer message: every pasted word is explained.
        let first = shape("The store failed to start. It is possible mail is lost.");
        let longer = shape(
            "The store failed to start. It is possible mail is lost. Moved to the BAD folder.",
        );
        let sim = similarity(&first, &longer);
        assert_eq!(sim.precision, 1.0);
        assert_eq!(sim.prefix_recall, 1.0);
        assert!(sim.recall < 0.9 && sim.score > 0.9, "{sim:?}");
    }

    #[test]
    fn exact_values_and_the_cheap_bound() {
        let pasted = shape("Unable to recover because error 0xfffffa7a occurred.");
        let same = shape("Unable to recover because error 0xfffffa7a occurred.");
        let other = shape("Unable to recover because error 0x00000002 occurred.");
        assert_eq!(similarity(&pasted, &same).exact_values, 1.0);
        assert_eq!(similarity(&pasted, &other).exact_values, 0.0);
        assert_eq!(similarity(&pasted, &other).score, 1.0);
        let unrelated = shape("The service terminated unexpectedly.");
        assert!(precision_bound(&pasted, &unrelated) < 0.5);
        assert!(precision_bound(&pasted, &same) >= similarity(&pasted, &same).precision);
    }

    #[test]
    fn empty_sides() {
        assert_eq!(similarity(&shape(""), &shape("")).score, 1.0);
        assert_eq!(similarity(&shape("a b"), &shape("")).score, 0.0);
    }

    #[test]
    fn huge_input_is_capped() {
        let big = "word ".repeat(50_000);
        let s = similarity(&shape(&big), &shape("word word"));
        assert!(s.score > 0.0);
    }
}
