//! How alike a pasted description is to an article's quoted one, with the variable parts of
//! both sides (numbers, hex, paths, names with digits, quoted names, DNs, GUIDs and the
//! placeholders articles write: `<server name>`, `msgxxxx.ccm`, `%1`) counting as wildcards.

/// A description cut into comparable words; variables become [`Token::Var`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// The words, lower-cased, variables folded to one wildcard each run.
    pub tokens: Vec<Token>,
    /// The words (as written) that were treated as variables.
    pub variables: Vec<String>,
}

/// One word of a [`Shape`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Token {
    /// A literal word, lower-cased.
    Word(String),
    /// A variable part: any value fits.
    Var,
}

/// The outcome of comparing two shapes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// 0 to 1: the share of literal words the two have in common, in order.
    pub score: f64,
    /// Literal words in common.
    pub common: usize,
}

/// Cuts a description into its shape.
pub fn shape(text: &str) -> Shape {
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
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
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
            for part in word
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
            {
                tokens.push(Token::Word(part.to_lowercase()));
            }
        }
    }
    Shape { tokens, variables }
}

fn push_var(tokens: &mut Vec<Token>) {
    if tokens.last() != Some(&Token::Var) {
        tokens.push(Token::Var);
    }
}

/// The byte length of a `<...>`, `"..."` or `'...'` run at the start of `s` (short, one line).
fn enclosed_len(s: &str) -> Option<usize> {
    let close = match s.chars().next()? {
        '<' => '>',
        '"' => '"',
        '\u{201c}' => '\u{201d}',
        _ => return None,
    };
    let open_len = s.chars().next()?.len_utf8();
    let end = s[open_len..].find(close)?;
    let inner = &s[open_len..open_len + end];
    (!inner.is_empty() && inner.len() <= 80 && !inner.contains('\n'))
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

/// How alike `pasted` is to `quoted`: the longest common run of literal words in order,
/// over the literal words of each side (an F-measure), so a value standing where the
/// article has a placeholder costs little and a different message costs a lot.
pub fn similarity(pasted: &Shape, quoted: &Shape) -> Similarity {
    let a: Vec<&str> = words(pasted);
    let b: Vec<&str> = words(quoted);
    if a.is_empty() || b.is_empty() {
        let both_empty = a.is_empty() && b.is_empty();
        return Similarity {
            score: if both_empty { 1.0 } else { 0.0 },
            common: 0,
        };
    }
    let common = lcs(&a, &b);
    let p = common as f64 / a.len() as f64;
    let r = common as f64 / b.len() as f64;
    let score = if common == 0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Similarity { score, common }
}

fn words(s: &Shape) -> Vec<&str> {
    s.tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.as_str()),
            Token::Var => None,
        })
        .collect()
}

/// Longest common subsequence length, two rows of memory. Inputs are capped so a huge
/// paste cannot make this quadratic in its size.
fn lcs(a: &[&str], b: &[&str]) -> usize {
    const CAP: usize = 400;
    let a = &a[..a.len().min(CAP)];
    let b = &b[..b.len().min(CAP)];
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
