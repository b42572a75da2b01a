//! The symptom-to-resolution wizard: one question at a time, from a paste (or a search, or
//! an article) to an article, its causes, its fix, and on to the articles it names, with a
//! transcript for the helpdesk when nothing works. Steps come from the articles' own
//! structure; the pure parts live in [`article`], [`plan`], [`steps`], [`related`],
//! [`session`] and [`transcript`], the walk over the store in [`flow`].

pub mod article;
mod choices;
pub mod coverage;
pub mod flow;
pub mod handoff;
mod honest;
pub mod known;
pub mod plan;
pub mod related;
pub mod session;
pub mod steps;
pub mod transcript;

pub use crate::kb::diagnosis::{FixItem as ChecklistItem, ItemKind};
pub use crate::store::{Origin, Outcome, StepKind};
pub use article::symptom;
pub use flow::Wizard;
pub use known::Known;
pub use related::{Feedback, RelatedCandidate, related_candidates};
pub use session::{HistoryStep, Session};

use crate::kb::ArticleId;
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The longest text (a paste, a search) kept for one step; longer is cut and marked so.
/// Matching still reads the whole paste: only the stored copy is cut.
pub const MAX_STORED_INPUT: usize = 16 * 1024;
/// What ends a cut text.
pub const CUT_MARK: &str = " …";
/// The most steps one session may have: each answer or refine appends one. Checked by
/// [`Wizard::answer`] and [`Wizard::refine`] and again by the store's conditional update,
/// so no route reaches around it.
pub const MAX_STEPS: i64 = 200;
/// Steps `back` may still add past [`MAX_STEPS`] (to reopen a finished or full session a
/// few steps): a bound on the total even for a client that only goes back.
pub const BACK_SLACK: i64 = 20;
/// The most a session may store in all, its steps' JSON together (a step holds at most
/// [`MAX_STORED_INPUT`] of the user's text, but 200 of them were still megabytes): checked
/// by the wizard and again by the store's conditional update. `back` has a little slack
/// beyond it, as for [`MAX_STEPS`].
pub const MAX_SESSION_BYTES: i64 = 1024 * 1024;

/// `text` cut to at most `MAX_STORED_INPUT` bytes at a character boundary, marked as cut;
/// `None` when it fits.
pub fn cap_input(text: &str) -> Option<String> {
    if text.len() <= MAX_STORED_INPUT {
        return None;
    }
    let mut end = MAX_STORED_INPUT - CUT_MARK.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(format!("{}{CUT_MARK}", &text[..end]))
}

/// A session's id: 128 random bits as 32 lower-case hex digits, so ids cannot be guessed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// A fresh random id from the operating system's generator.
    pub fn generate() -> Result<Self, WizardError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| WizardError::Random(e.to_string()))?;
        Ok(SessionId(crate::hex::encode(&bytes)))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for SessionId {
    type Err = WizardError;

    /// Accepts exactly 32 hex digits (either case); anything else names no session.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(SessionId(s.to_ascii_lowercase()))
        } else {
            Err(WizardError::NoSession)
        }
    }
}

// Inherent methods may sit in any module of the crate: the stored names are the store's,
// the human ones the wizard's.
impl StepKind {
    /// A short human name for lists and transcripts.
    pub fn label(self) -> &'static str {
        match self {
            StepKind::ChooseArticle => "choose an article",
            StepKind::CheckSymptom => "confirm the symptom",
            StepKind::CheckVersion => "check the version",
            StepKind::CheckCause => "check a cause",
            StepKind::ChooseBranch => "choose what applies",
            StepKind::TryResolution => "try the fix",
            StepKind::TryWorkaround => "try the workaround",
            StepKind::Related => "related articles",
            StepKind::Resolved => "resolved",
            StepKind::Escalated => "escalated",
        }
    }
}

/// An answer to a step, parsed from the `answer` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// This article (choose_article, related).
    Article(ArticleId),
    /// None of the offered articles.
    None,
    /// The cause applies.
    Yes,
    /// The cause does not apply.
    No,
    /// Cannot tell whether the cause applies.
    Unsure,
    /// This branch of the fix (0-based; written `branch_1` for the first).
    Branch(usize),
    /// The fix worked.
    Fixed,
    /// The fix did not work.
    NotFixed,
    /// Return to the previous step.
    Back,
    /// Not this article: the other candidates for the paste (offered when the session
    /// started straight in the one article that dominated).
    Others,
}

impl Answer {
    /// The canonical text of the answer, as listed in a step's options.
    pub fn value(&self) -> String {
        match self {
            Answer::Article(id) => id.to_string(),
            Answer::None => "none".into(),
            Answer::Yes => "yes".into(),
            Answer::No => "no".into(),
            Answer::Unsure => "unsure".into(),
            Answer::Branch(i) => format!("branch_{}", i + 1),
            Answer::Fixed => "fixed".into(),
            Answer::NotFixed => "not_fixed".into(),
            Answer::Back => "back".into(),
            Answer::Others => "others".into(),
        }
    }
}

impl FromStr for Answer {
    type Err = ();

    /// Keywords in any case, or an article id in any spelling `ArticleId` accepts.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Ok(match t.as_str() {
            "none" => Answer::None,
            "yes" => Answer::Yes,
            "no" => Answer::No,
            "unsure" => Answer::Unsure,
            "fixed" => Answer::Fixed,
            "not_fixed" | "not-fixed" => Answer::NotFixed,
            "back" => Answer::Back,
            "others" => Answer::Others,
            _ => match t
                .strip_prefix("branch_")
                .or_else(|| t.strip_prefix("branch-"))
            {
                Some(n) => match n.parse::<usize>() {
                    Ok(n) if n >= 1 => Answer::Branch(n - 1),
                    _ => return Err(()),
                },
                None => Answer::Article(t.parse().map_err(|_| ())?),
            },
        })
    }
}

/// What a step was given, as its history keeps it: an answer, or new search words that
/// replaced a choose_article step (a refine, stored as `search: WORDS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// An answer among the step's options.
    Answer(Answer),
    /// Search words that replaced the step.
    Search(String),
}

impl Given {
    const SEARCH: &'static str = "search: ";

    /// The stored text: the answer's canonical value, or `search: WORDS`.
    pub fn stored(&self) -> String {
        match self {
            Given::Answer(a) => a.value(),
            Given::Search(q) => format!("{}{q}", Self::SEARCH),
        }
    }
}

impl FromStr for Given {
    type Err = ();

    /// Reads back what [`Given::stored`] wrote.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.strip_prefix(Self::SEARCH) {
            Some(q) => Ok(Given::Search(q.to_string())),
            None => s.parse().map(Given::Answer),
        }
    }
}

/// One answer a step offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepOption {
    /// What to send as `answer`.
    pub value: String,
    /// What a person reads.
    pub label: String,
    /// The article, when the option is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub article: Option<ArticleId>,
    /// The article's symptom in a line or two, or why it is offered.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
    /// Why the matcher ranked it (pastes only).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub reasons: Vec<String>,
    /// The matcher's confidence, 0 to 1 (pastes only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub confidence: Option<f64>,
}

impl StepOption {
    /// An option for a keyword answer (yes, no, fixed, none, back, ...).
    pub fn keyword(answer: Answer, label: &str) -> Self {
        StepOption {
            value: answer.value(),
            label: label.into(),
            article: None,
            detail: None,
            reasons: Vec::new(),
            confidence: None,
        }
    }
}

/// The cause a check_cause step asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CauseRef {
    /// Its index among the article's causes (0-based, the article's order).
    pub index: usize,
    /// Which question this is (1-based, the order asked).
    pub number: usize,
    /// How many causes the article lists.
    pub total: usize,
    /// The cause as the article words it.
    pub text: String,
}

/// One step as shown: the question, what it is about, and the answers it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WizardStep {
    /// What the step asks.
    pub kind: StepKind,
    /// The article it is about, when one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub article: Option<ArticleId>,
    /// That article's title.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    /// The question.
    pub prompt: String,
    /// The answers it takes, `back` last when going back is possible.
    pub options: Vec<StepOption>,
    /// What the paste was recognised as (choose_article).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub recognised: Vec<String>,
    /// The text or words to refill the refine form with (choose_article).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub query: Option<String>,
    /// The cause asked about (check_cause) or that was ruled in (try_resolution, resolved).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cause: Option<CauseRef>,
    /// The section the checklist comes from (try_resolution).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub section: Option<String>,
    /// The checklist (try_resolution).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub items: Vec<ChecklistItem>,
    /// The helpdesk transcript (escalated).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transcript: Option<String>,
    /// The symptom in a sentence or two (check_symptom).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub summary: Option<String>,
    /// The event or error message to recognise, line by line (check_symptom).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
    /// Why the problem happens, when the article's cause is not something to check.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explanation: Option<String>,
    /// What was settled without asking ("Your pasted event matches the article's").
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
    /// The index of the fix shown or chosen among (choose_branch, try_*).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fix: Option<usize>,
    /// The branch chosen, by its label (try_*).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub branch: Option<String>,
    /// The article's symptom in one sentence, so a later step still says what it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// About how many stages of the article's plan are left after this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<usize>,
}

impl WizardStep {
    /// The values this step accepts as `answer`.
    pub fn valid_answers(&self) -> Vec<String> {
        self.options.iter().map(|o| o.value.clone()).collect()
    }

    /// Whether `back` is among the options.
    pub fn can_go_back(&self) -> bool {
        let back = Answer::Back.value();
        self.options.iter().any(|o| o.value == back)
    }
}

/// What can go wrong driving the wizard.
#[derive(Debug, thiserror::Error)]
pub enum WizardError {
    /// No session has this id.
    #[error("there is no troubleshooting session with this id")]
    NoSession,
    /// The step does not take this answer.
    #[error("{answer:?} is not an answer to this step")]
    InvalidAnswer {
        /// What was sent.
        answer: String,
        /// What the step takes.
        valid: Vec<String>,
    },
    /// Nothing to start from.
    #[error("{0}")]
    EmptyInput(String),
    /// The article to start from is not in the archive.
    #[error("article {0} is not in the archive")]
    NoArticle(ArticleId),
    /// Another answer to the same step arrived first, or the answer names a step that is
    /// no longer the current one.
    #[error("this step was answered meanwhile; the session has moved on")]
    Conflict,
    /// The session has an outcome: only `back` changes it.
    #[error("the session is finished ({0})")]
    Finished(Outcome),
    /// The session has [`MAX_STEPS`] steps.
    #[error("the session has reached {MAX_STEPS} steps")]
    TooManySteps,
    /// The session has stored [`MAX_SESSION_BYTES`].
    #[error("the session has stored as much as it may")]
    TooLarge,
    /// A form's answer does not say which step it answers.
    #[error("the answer does not name its step")]
    MissingStep,
    /// The operating system's random generator failed.
    #[error("no randomness for a session id: {0}")]
    Random(String),
    /// A stored step no longer decodes.
    #[error("stored step does not decode: {0}")]
    Corrupt(#[from] serde_json::Error),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_cut_at_a_character_and_marked() {
        assert_eq!(cap_input("short"), None);
        assert_eq!(cap_input(&"a".repeat(MAX_STORED_INPUT)), None);
        let long = "é".repeat(MAX_STORED_INPUT);
        let cut = cap_input(&long).unwrap();
        assert!(cut.len() <= MAX_STORED_INPUT && cut.ends_with(CUT_MARK));
        assert!(cut.starts_with("éé"));
    }

    #[test]
    fn answers_parse_and_print_canonically() {
        for (text, want) in [
            ("yes", Answer::Yes),
            (" NO ", Answer::No),
            ("unsure", Answer::Unsure),
            ("not_fixed", Answer::NotFixed),
            ("fixed", Answer::Fixed),
            ("none", Answer::None),
            ("back", Answer::Back),
            ("q168465", Answer::Article(ArticleId(168465))),
            ("branch_2", Answer::Branch(1)),
            ("others", Answer::Others),
        ] {
            assert_eq!(text.parse::<Answer>(), Ok(want), "{text}");
        }
        assert_eq!(Answer::Article(ArticleId(168465)).value(), "Q168465");
        assert_eq!(Answer::Branch(0).value(), "branch_1");
        assert!("branch_0".parse::<Answer>().is_err());
        assert!("maybe".parse::<Answer>().is_err());
        assert!("".parse::<Answer>().is_err());
    }

    #[test]
    fn given_reads_back_what_it_stores() {
        for (text, want) in [
            ("yes", Some(Given::Answer(Answer::Yes))),
            ("back", Some(Given::Answer(Answer::Back))),
            ("none", Some(Given::Answer(Answer::None))),
            (
                "Q900068",
                Some(Given::Answer(Answer::Article(ArticleId(900068)))),
            ),
            ("search: disk full", Some(Given::Search("disk full".into()))),
            ("search: ", Some(Given::Search(String::new()))),
            ("searching", None),
            ("maybe", None),
        ] {
            let got = text.parse::<Given>().ok();
            assert_eq!(got, want, "{text}");
            if let Some(g) = got {
                assert_eq!(g.stored(), text, "{text}");
            }
        }
    }

    #[test]
    fn session_ids_are_random_hex() {
        let a = SessionId::generate().unwrap();
        let b = SessionId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 32);
        assert_eq!(a.as_str().parse::<SessionId>().unwrap(), a);
        for bad in ["", "abc", "../../etc/passwd", &"g".repeat(32)] {
            assert!(bad.parse::<SessionId>().is_err(), "{bad}");
        }
    }
}
