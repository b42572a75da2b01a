//! Turning a cause clause ("you are using the wrong version of Import.exe") into a yes/no
//! question a user can answer ("Are you using the wrong version of Import.exe?"), and
//! telling causes a user can check from internal defects they cannot.

/// Words that open a noun phrase and are lower-cased inside a question.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "your", "one", "some", "no", "it", "there",
    "you", "they", "another", "any", "all", "both", "either", "each", "its", "their",
];

/// Words that end a noun phrase search: a clause has started before any auxiliary.
const CLAUSE_WORDS: &[&str] = &[
    "when", "if", "because", "after", "before", "while", "since", "although", "unless", "once",
    "until", "as",
];

/// Words a cause a user can check tends to use.
const CHECKABLE: &[&str] = &[
    "you ",
    "your ",
    "the user",
    "users ",
    "is not installed",
    "installed",
    "configured",
    "is set",
    "are set",
    "set to",
    "enabled",
    "disabled",
    "selected",
    "running",
    "is using",
    "are using",
    "missing",
    "damaged",
    "corrupt",
    "full",
    "stopped",
    "not started",
    "located",
    "turned off",
    "turned on",
    "removed",
    "deleted",
    "renamed",
    "mapped",
    "shared",
    "permission",
    "access",
    "password",
    "account",
    "logged on",
    "does not exist",
    "do not exist",
    "version",
    "service pack",
    "setting",
    "option",
    "path",
    "folder",
    "directory",
    "file",
    "disk",
    "memory",
    "printer",
    "port",
    "cable",
    "network",
    "server",
    "connected",
    "set up",
    " not set",
    "is not ",
    "are not ",
    "expired",
    "turned",
    "locked",
    "out of",
    "low on",
    "too small",
    "too large",
    "too long",
    "exceeds",
    "contains",
    "incorrect",
    "wrong",
    "invalid",
];

/// Words that mark an internal defect or an explanation of how the software works.
const DEFECT: &[&str] = &[
    "incorrectly",
    "bug",
    "does not correctly",
    "do not correctly",
    "does not properly",
    "not properly",
    "fails to",
    "failed to",
    "function",
    "code",
    "buffer",
    "memory leak",
    "race condition",
    "pointer",
    "thread",
    "internal",
    "by design",
    "api",
    "overflow",
    "a problem in",
    "a problem with the",
    "an error in",
    "a defect",
    "calls ",
    "returns ",
    "recursion",
    "stack",
    "handle",
    "not designed",
    "limitation",
    "is not supported",
    "are not supported",
    "does not support",
    "do not support",
    "uses ",
    "expects",
    "interprets",
    "checks ",
    "truncat",
    "algorithm",
    "routine",
    "variable",
    "compiler",
    "is designed",
    "was designed",
    "parser",
    "wrongly",
    "mistakenly",
];

/// Words about the user's own setup or actions: enough, without a cue such as "occurs
/// when", to ask a stated cause.
const USER_STATE: &[&str] = &[
    "you ",
    "your ",
    "the user",
    "is not installed",
    "are not installed",
    "configured",
    "is set ",
    "are set ",
    " set to ",
    "is enabled",
    "is disabled",
    "are enabled",
    "are disabled",
    "is selected",
    "is not selected",
    "is missing",
    "are missing",
    "is damaged",
    "are damaged",
    "is corrupt",
    "are corrupt",
    "is full",
    "is stopped",
    "is not running",
    "has expired",
    "is turned off",
    "has been removed",
    "has been deleted",
    "has been renamed",
    "has been installed",
    "does not have permission",
    "is not connected",
];

/// Whether the user can check `clause` (rather than it explaining a defect). `cued`: the
/// article introduced it as a condition ("occurs when ..."); a bare statement must speak
/// of the user's own setup.
pub fn checkable(clause: &str, cued: bool) -> bool {
    let l = format!(" {} ", clause.to_lowercase());
    if l.len() > 400 || DEFECT.iter().any(|w| l.contains(w)) {
        return false;
    }
    if cued {
        CHECKABLE.iter().any(|w| l.contains(w))
    } else {
        USER_STATE.iter().any(|w| l.contains(w))
    }
}

/// Past participles that make "has"/"have" an auxiliary rather than the main verb.
fn participle(word: &str) -> bool {
    let w = word.to_lowercase();
    w.ends_with("ed")
        || w.ends_with("en")
        || [
            "been", "set", "run", "put", "lost", "made", "left", "built", "sent", "kept", "found",
            "begun", "done", "gone", "not", "already", "never", "just",
        ]
        .contains(&w.as_str())
}

fn lower_first(word: &str) -> String {
    if DETERMINERS.contains(&word.to_lowercase().as_str()) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "Does this apply to you: the disk is full?" when no inversion fits; "Could this be the
/// cause: a third-party program?" for a phrase without a verb.
fn fallback(clause: &str) -> String {
    let first = clause
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let verbless = (first.ends_with("ing") || first == "a" || first == "an")
        && !clause
            .split_whitespace()
            .any(|w| AUX.contains(&w.to_lowercase().as_str()));
    if verbless {
        format!("Could this be the cause: {}?", lower_first_char(clause))
    } else {
        format!("Does this apply to you: {}?", lower_first_char(clause))
    }
}

/// Verbs that make a clause a statement rather than a phrase.
const AUX: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "can", "cannot", "does", "do", "did", "will",
    "may", "might", "must",
];

fn lower_first_char(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    if DETERMINERS.contains(&first.to_lowercase().as_str()) {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        s.to_string()
    }
}

/// The yes/no question for a cause clause.
pub fn question(clause: &str) -> String {
    let clause = clause
        .trim()
        .trim_end_matches(['.', ';', ':', ','])
        .trim_start_matches("that ")
        .trim();
    let words: Vec<&str> = clause.split_whitespace().collect();
    if words.is_empty() {
        return "Does this apply to you?".into();
    }
    if words.len() > 45 {
        return fallback(clause);
    }
    for (i, w) in words.iter().enumerate().take(9) {
        let lw = w.to_lowercase();
        if i > 0 && (CLAUSE_WORDS.contains(&lw.as_str()) || words[i - 1].ends_with(',')) {
            break;
        }
        if i == 0 && lw != "there" && !["you", "they", "users"].contains(&lw.as_str()) {
            // The subject is at least one word; "There is" and pronouns invert at 1.
            continue;
        }
        if let Some(q) = invert(&words, i) {
            return q;
        }
    }
    fallback(clause)
}

/// Inverts around the verb at `at`, when it is one we can invert.
fn invert(words: &[&str], at: usize) -> Option<String> {
    let subject: Vec<String> = words[..at]
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                lower_first(w)
            } else {
                w.to_string()
            }
        })
        .collect();
    let subject = subject.join(" ");
    let verb = words[at].to_lowercase();
    let rest = words[at + 1..].join(" ");
    let next = words.get(at + 1).copied().unwrap_or("");
    let plural = matches!(subject.as_str(), "you" | "they" | "users" | "we");
    let (aux, tail) = match verb.as_str() {
        "is" | "are" | "was" | "were" => (verb.clone(), rest),
        "has" | "have" if participle(next) => (verb.clone(), rest),
        "has" => ("does".into(), format!("have {rest}")),
        "have" => ("do".into(), format!("have {rest}")),
        "can" | "cannot" | "could" | "will" | "would" | "should" | "must" | "does" | "do"
        | "did" => {
            let aux = if verb == "cannot" { "can" } else { &verb };
            let tail = if verb == "cannot" {
                format!("not {rest}")
            } else {
                rest
            };
            (aux.to_string(), tail)
        }
        "may" | "might" if next == "be" => {
            let aux = if plural { "are" } else { "is" };
            (aux.to_string(), words[at + 2..].join(" "))
        }
        "may" | "might" if next == "have" => ("could".into(), words[at + 1..].join(" ")),
        "may" | "might" => {
            let aux = if plural { "do" } else { "does" };
            (aux.to_string(), words[at + 1..].join(" "))
        }
        _ if at == 1 && plural && verb.chars().all(|c| c.is_ascii_lowercase()) => {
            ("do".into(), words[at..].join(" "))
        }
        _ => return None,
    };
    if tail.trim().is_empty() {
        return None;
    }
    Some(format!("{} {subject} {tail}?", capitalise(&aux)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions() {
        let cases = [
            (
                "you are using the wrong version of Import.exe and Export.exe",
                "Are you using the wrong version of Import.exe and Export.exe?",
            ),
            (
                "The Postoffice tab on the cc:Mail connector has invalid information.",
                "Does the Postoffice tab on the cc:Mail connector have invalid information?",
            ),
            (
                "Exchange Server has been installed to a directory path that has a space in it.",
                "Has Exchange Server been installed to a directory path that has a space in it?",
            ),
            (
                "You try to print to an inactive port.",
                "Do you try to print to an inactive port?",
            ),
            (
                "The option to enable spoken pronunciations may be turned off.",
                "Is the option to enable spoken pronunciations turned off?",
            ),
            (
                "the wrong versions are selected in the properties of the connector",
                "Are the wrong versions selected in the properties of the connector?",
            ),
            (
                "There is not enough free disk space.",
                "Is there not enough free disk space?",
            ),
            (
                "The Exchange service account does not have access to the postoffice.",
                "Does the Exchange service account not have access to the postoffice?",
            ),
            (
                "shutting down Windows improperly",
                "Could this be the cause: shutting down Windows improperly?",
            ),
            (
                "When the disk fills, the log stops",
                "Does this apply to you: When the disk fills, the log stops?",
            ),
        ];
        for (clause, want) in cases {
            assert_eq!(question(clause), want, "{clause}");
        }
    }

    #[test]
    fn bare_statements_need_the_users_setup() {
        assert!(!checkable("These cards have to be selected.", false));
        assert!(checkable(
            "The Ntconfig.pol option is enabled by default.",
            false
        ));
        assert!(checkable("Your password has expired.", false));
    }

    #[test]
    fn defects_are_not_checkable() {
        for (clause, want) in [
            ("you are using the wrong version of Import.exe", true),
            ("The printer has insufficient memory.", true),
            ("The driver incorrectly frees the buffer.", false),
            (
                "COlePropertyPage::WindowProc() traps the message and calls it",
                false,
            ),
            (
                "Word converts all paragraph numbering codes to fields",
                false,
            ),
        ] {
            assert_eq!(checkable(clause, true), want, "{clause}");
        }
    }
}
