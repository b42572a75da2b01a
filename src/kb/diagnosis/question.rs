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
    "is not started",
    "are not started",
    "is false",
    "is true",
    "is turned on",
    "is not enabled",
    "is not configured",
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

/// Verbs that make a clause a statement rather than a phrase.
const AUX: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "can", "cannot", "does", "do", "did", "will",
    "may", "might", "must",
];

/// The yes/no question for a cause clause, when a grammatical template fits it and the
/// result reads as a question a user can answer; `None` means the cause is stated, not
/// asked ("when unsure, state it, don't ask it").
pub fn question(clause: &str) -> Option<String> {
    let clause = clause
        .trim()
        .trim_end_matches(['.', ';', ':', ','])
        .trim_start_matches("that ")
        .trim();
    let words: Vec<&str> = clause.split_whitespace().collect();
    if words.len() < 3 || words.len() > 30 {
        return None;
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
            return askable(&q).then_some(q);
        }
    }
    None
}

/// Words that cannot open a question's subject: a clause or a prepositional phrase has
/// been taken for a noun phrase ("Is When the resolver ...", "... of a server error").
const NOT_SUBJECT: &[&str] = &[
    "when", "if", "because", "of", "to", "in", "on", "at", "for", "by", "with", "after", "before",
    "while", "since", "although", "unless", "and", "or", "but", "so", "which", "who", "where",
    "how", "why", "what", "then", "also", "only", "not",
];

/// Nouns too general to name anything by themselves ("Is the type not defined?").
const VAGUE: &[&str] = &[
    "type",
    "value",
    "values",
    "entry",
    "entries",
    "item",
    "items",
    "object",
    "objects",
    "data",
    "information",
    "field",
    "parameter",
    "property",
    "member",
    "variable",
    "function",
    "method",
    "class",
    "record",
    "string",
    "key",
    "one",
    "other",
    "problem",
    "issue",
    "behavior",
    "behaviour",
    "error",
    "it",
    "this",
    "that",
    "these",
    "those",
];

/// Progressive verbs a user can observe of a subject other than themselves.
const OBSERVABLE_ING: &[&str] = &[
    "running",
    "using",
    "pointing",
    "listening",
    "sharing",
    "connecting",
    "logging",
    "printing",
    "trying",
    "attempting",
    "working",
    "responding",
];

fn finite_word(w: &str) -> bool {
    matches!(w, "is" | "are" | "was" | "were" | "has" | "have")
}

/// Whether a generated question reads as one a user can answer: its subject is a noun
/// phrase that names something, it holds one finite verb before its object, no trailing
/// subordinate clause, and it does not ask about the software's inner workings.
pub fn askable(q: &str) -> bool {
    let body = q.trim_end_matches('?');
    let words: Vec<&str> = body.split_whitespace().collect();
    let lower: Vec<String> = words
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let (Some(_aux), Some(first)) = (lower.first(), lower.get(1)) else {
        return false;
    };
    if NOT_SUBJECT.contains(&first.as_str()) || q.matches('?').count() != 1 {
        return false;
    }
    // "Was there a restriction ...": how the product was, not what the user can see.
    if matches!(lower[0].as_str(), "was" | "were") && first == "there" {
        return false;
    }
    // A second verb joined to the first ("incorrect or is corrupted").
    if lower
        .windows(2)
        .any(|p| matches!(p[0].as_str(), "or" | "and") && finite_word(&p[1]))
    {
        return false;
    }
    // "Is the type not defined?": a two-word subject whose noun names nothing.
    if first == "the" && lower.get(2).is_some_and(|n| VAGUE.contains(&n.as_str())) {
        let next = lower.get(3).map(String::as_str).unwrap_or("");
        if AUX.contains(&next) || next == "not" || next.ends_with("ed") {
            return false;
        }
    }
    // A trailing clause after a comma ("..., if both ...") is more than one question.
    let tail_clause = [
        ", if ",
        ", when ",
        ", because ",
        ", which ",
        ", although ",
        ", so ",
        ", but ",
        ", and ",
        ", or ",
        "; ",
    ];
    if tail_clause.iter().any(|c| body.contains(c)) {
        return false;
    }
    // A second finite verb right after a pronoun inside the subject ("Are the game room
    // or lobby you connecting to is not ...") or two finite verbs in a row.
    let finite = finite_word;
    if lower.windows(2).any(|p| finite(&p[0]) && finite(&p[1])) {
        return false;
    }
    if lower.iter().skip(2).any(|w| finite(w)) && lower[1..].iter().any(|w| w == "you") {
        let you_subject = lower.get(1).is_some_and(|w| w == "you");
        if !you_subject {
            return false;
        }
    }
    // "Are the application you trying to run ...": a relative clause lost its verb.
    if first != "you"
        && lower
            .windows(2)
            .skip(1)
            .any(|p| matches!(p[0].as_str(), "you" | "they") && p[1].ends_with("ing"))
    {
        return false;
    }
    // "Do computer names have changed": do-support before a participle.
    if matches!(lower[0].as_str(), "do" | "does")
        && lower
            .windows(2)
            .any(|p| matches!(p[0].as_str(), "have" | "has") && p[1].ends_with("ed"))
    {
        return false;
    }
    // "Is the locator cache not flushing ...": the software's behaviour, not the setup.
    let progressive = lower
        .iter()
        .skip(2)
        .find(|w| w.ends_with("ing") && w.len() > 5);
    if matches!(lower[0].as_str(), "is" | "are")
        && first != "you"
        && first != "there"
        && let Some(ing) = progressive
        && !OBSERVABLE_ING.contains(&ing.as_str())
    {
        return false;
    }
    // Ends on a word that needs more after it.
    let last = lower.last().map(String::as_str).unwrap_or("");
    !matches!(
        last,
        "the"
            | "a"
            | "an"
            | "of"
            | "to"
            | "for"
            | "with"
            | "in"
            | "on"
            | "by"
            | "and"
            | "or"
            | "from"
            | "that"
            | "is"
            | "are"
    )
}

/// Present-tense verbs that describe a setup, with their base forms.
const SETUP_VERBS: &[(&str, &str)] = &[
    ("contains", "contain"),
    ("uses", "use"),
    ("includes", "include"),
    ("requires", "require"),
    ("points", "point"),
    ("runs", "run"),
    ("lists", "list"),
    ("references", "reference"),
    ("specifies", "specify"),
    ("exceeds", "exceed"),
    ("resides", "reside"),
    ("exists", "exist"),
    ("lacks", "lack"),
    ("needs", "need"),
    ("loads", "load"),
    ("displays", "display"),
    ("belongs", "belong"),
    ("matches", "match"),
];

fn base_form(verb: &str) -> Option<&'static str> {
    SETUP_VERBS
        .iter()
        .find(|(v, _)| *v == verb)
        .map(|(_, b)| *b)
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
    // A pronoun inside the subject means the verb found belongs to a relative clause ("the
    // application you are trying to run requires ..."): no inversion fits.
    if subject
        .iter()
        .skip(1)
        .any(|w| matches!(w.to_lowercase().as_str(), "you" | "they" | "we" | "it"))
    {
        return None;
    }
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
        // "the modem may not be configured" as "Is the modem not configured".
        "may" | "might" if next == "not" && words.get(at + 2).copied() == Some("be") => {
            let aux = if plural { "are" } else { "is" };
            (
                aux.to_string(),
                format!("not {}", words[at + 3..].join(" ")),
            )
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
        // "your data file contains a field" as "Does your data file contain a field": only
        // verbs that state what a setup has or does, so a plural noun is never taken for one.
        _ if !plural && base_form(&verb).is_some() => {
            let base = base_form(&verb).unwrap_or_default();
            ("does".into(), format!("{base} {rest}"))
        }
        _ => return None,
    };
    if tail.trim().is_empty() {
        return None;
    }
    // "... incorrect or is corrupted": the inverted verb is not repeated inside the tail.
    let tail = if matches!(aux.as_str(), "is" | "are" | "was" | "were") {
        tail.replace(&format!(" or {aux} "), " or ")
            .replace(&format!(" and {aux} "), " and ")
    } else {
        tail
    };
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
                "The Registry information for the program is incorrect or is corrupted.",
                "Is the Registry information for the program incorrect or corrupted?",
            ),
            (
                "your data file contains either a LISTNUM or an AUTONUM field",
                "Does your data file contain either a LISTNUM or an AUTONUM field?",
            ),
            (
                "the modem may not be configured for optimum performance",
                "Is the modem not configured for optimum performance?",
            ),
            (
                "There is not enough free disk space.",
                "Is there not enough free disk space?",
            ),
            (
                "The Exchange service account does not have access to the postoffice.",
                "Does the Exchange service account not have access to the postoffice?",
            ),
        ];
        for (clause, want) in cases {
            assert_eq!(question(clause).as_deref(), Some(want), "{clause}");
        }
    }

    /// Made-up clauses of every broken kind a review found: none becomes a question.
    #[test]
    fn clauses_that_make_no_good_question_are_stated() {
        for clause in [
            "shutting down Windows improperly",
            "When the disk fills, the log stops",
            "of a server error",
            "the game room or lobby you are connecting to is not accessing the correct files",
            "computer names have changed, if both servers use the same name",
            "the type is not defined",
            "the locator cache is not flushing dormant cache entries",
            "because of the way the driver allocates pages",
            "the value is truncated",
            "it",
        ] {
            assert_eq!(question(clause), None, "{clause}");
        }
    }

    #[test]
    fn askable_questions_pass_and_broken_ones_do_not() {
        for (q, want) in [
            ("Is the disk full?", true),
            ("Are you using the wrong cable?", true),
            ("Is the Spooler service running?", true),
            ("Is When the resolver configured to use DNS?", false),
            (
                "Are the rooms you connecting to is not accessing files?",
                false,
            ),
            ("Do computer names have changed?", false),
            ("Is the entry not found?", false),
            ("Does the file have a copy of the?", false),
            ("Is the parser not reading the header?", false),
            ("Was there a restriction on adapters?", false),
            (
                "Are the application you trying to run requires more memory?",
                false,
            ),
            ("Is the file missing or is damaged?", false),
        ] {
            assert_eq!(askable(q), want, "{q}");
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
