//! Reading an article the way a helpdesk lead would walk it, done once at import: the
//! symptom to confirm, the versions it is about, its causes as questions a user can answer
//! (from lists and from prose), the explanation when the cause is an internal defect, and
//! every way out it gives (RESOLUTION, WORKAROUND, a fixing STATUS, the MORE INFORMATION
//! procedure the fix points to), each fix split into its branches. Pure: article in, data out.

mod branches;
mod causes;
mod fixes;
mod items;
mod question;
mod symptom;

pub use items::{FixItem, ItemKind, section_items};
pub use symptom::announces;

use super::{Article, Section};
use serde::{Deserialize, Serialize};

/// What the wizard asks and offers for one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The symptom to confirm, when the article describes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symptom: Option<SymptomCheck>,
    /// The products and versions it applies to, when it is version-specific.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionCheck>,
    /// Causes the user cannot check (internal defects), stated rather than asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<String>,
    /// Causes the user can check, in the article's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<Condition>,
    /// Every way out the article gives, in the order to try them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    /// Why there is nothing to try, when the article gives no fix at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_fix: Option<String>,
}

/// The symptom a user should recognise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymptomCheck {
    /// The event or error message, as quoted, line by line; `None` when none is quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The symptom in a sentence or two.
    pub summary: String,
}

/// One product the article applies to and its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductVersions {
    /// "Microsoft Exchange Server".
    pub product: String,
    /// "5.0", "5.5"; empty when the name carries its version ("Word 97").
    pub versions: Vec<String>,
}

/// The version question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionCheck {
    /// The products and versions, from "applies to".
    pub products: Vec<ProductVersions>,
    /// "Are you running Microsoft Exchange Server 5.0 or 5.5?"
    pub question: String,
}

/// A cause the user can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The cause as the article words it.
    pub text: String,
    /// The cause as a yes/no question.
    pub question: String,
    /// The fix the article pairs with this cause, when it does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix: Vec<FixItem>,
    /// The article's fix (or one branch of it) that answers this cause, when the cause
    /// pairs with a whole fix rather than items of its own: the wizard then asks the
    /// fix's branch question first, or starts its ordered methods at that branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_at: Option<FixAt>,
}

/// Where in the fixes a cause's own fix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixAt {
    /// The fix's index.
    pub fix: usize,
    /// The branch, when the cause pairs with one method of an ordered fix; `None` for the
    /// whole fix (its branch asked first when it has conditional branches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<usize>,
}

/// What kind of way out a fix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// RESOLUTION.
    Resolution,
    /// WORKAROUND.
    Workaround,
    /// STATUS naming a release that corrects the problem.
    Status,
    /// A procedure under MORE INFORMATION that the fix points to.
    Procedure,
}

/// One way out, possibly in alternative branches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Resolution, workaround, status or procedure.
    pub kind: FixKind,
    /// The section it comes from.
    pub heading: String,
    /// What applies before any branch (or everything, without branches).
    pub intro: Vec<FixItem>,
    /// The alternatives, when the fix gives two or more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<Branch>,
    /// The question choosing among the branches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Whether the branches are methods or "-or-" alternatives the article orders (tried
    /// one after another on "not fixed"), rather than conditions on the user's setup (asked
    /// once, before the fix).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ordered: bool,
    /// Whether ordered methods are still asked first, because each names the situation it
    /// is for ("Method 2: If there is a document open"); the others follow on "not fixed".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub choose_first: bool,
    /// What applies after the chosen branch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outro: Vec<FixItem>,
    /// Whether its parts are all paired with causes, so it is shown whole only when no
    /// cause's own part was tried.
    #[serde(default)]
    pub distributed: bool,
}

/// One alternative of a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// The answer's label ("DB6").
    pub label: String,
    /// The whole condition or heading ("You are connecting to a Lotus cc:Mail DB6 post
    /// office"), when the label shortens it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Its items.
    pub items: Vec<FixItem>,
}

impl Fix {
    /// All its items: intro, then every branch labelled as an alternative, then outro.
    pub fn all_items(&self) -> Vec<FixItem> {
        let mut out = self.intro.clone();
        let n = self.branches.len();
        for (i, b) in self.branches.iter().enumerate() {
            let name = if b.detail.is_empty() {
                &b.label
            } else {
                &b.detail
            };
            out.push(FixItem::heading(format!(
                "Alternative {} of {n}: {name}",
                i + 1
            )));
            out.extend(b.items.iter().cloned());
        }
        out.extend(self.outro.iter().cloned());
        out
    }

    /// The items for one branch: intro, the branch, outro. Out-of-range shows all.
    pub fn branch_items(&self, branch: usize) -> Vec<FixItem> {
        let Some(b) = self.branches.get(branch) else {
            return self.all_items();
        };
        let mut out = self.intro.clone();
        out.extend(b.items.iter().cloned());
        out.extend(self.outro.iter().cloned());
        out
    }
}

/// The first section whose heading contains `word`.
pub fn section<'a>(article: &'a Article, word: &str) -> Option<&'a Section> {
    article.sections.iter().find(|s| s.heading.contains(word))
}

/// A troubleshooting article, as the issue and the coverage figures count them: one with
/// a CAUSE and a RESOLUTION or WORKAROUND.
pub fn is_troubleshooting(article: &Article) -> bool {
    let has = |w: &str| article.sections.iter().any(|s| s.heading.contains(w));
    has("CAUSE") && (has("RESOLUTION") || has("WORKAROUND"))
}

/// Whether the section headed `word` has two or more top-level paragraphs opening "If
/// you/your/the" (the articles the choose_branch floors are counted over).
pub fn has_if_paragraphs(article: &Article, word: &str) -> bool {
    let Some(s) = article.sections.iter().find(|s| s.heading.contains(word)) else {
        return false;
    };
    let opens = |p: &&str| {
        ["If you ", "If your ", "If the "]
            .iter()
            .any(|w| p.starts_with(w))
    };
    // Top-level paragraphs only: an "If ..." indented inside a step is that step's note,
    // not a branch of the fix.
    s.text.split("\n\n").filter(opens).count() >= 2
}

/// Reads an article into its diagnosis.
pub fn diagnose(article: &Article) -> Diagnosis {
    let (explanation, mut causes) = causes::conditions(article);
    let mut fixes = fixes::fixes(article);
    causes::pair(&mut causes, &mut fixes);
    let no_fix = fixes.is_empty().then(|| fixes::no_fix_reason(article));
    Diagnosis {
        symptom: symptom::symptom_check(article),
        version: symptom::version_check(article),
        explanation,
        causes,
        fixes,
        no_fix,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::kb::{Article, parse_article};

    /// An article in the archive's layout from its sections (`("CAUSE", "text")`).
    pub fn article(applies: &str, sections: &[(&str, &str)]) -> Article {
        let mut s = String::from(
            "DOCUMENT:Q900500  01-JAN-1999  [test]\nTITLE   :Test\nPRODUCT :P\n\
             PROD/VER:\nOPER/SYS:\nKEYWORDS:\n\n=====================================\n",
        );
        if !applies.is_empty() {
            s.push_str("------------------------------------------------------\n");
            s.push_str("The information in this article applies to:\n\n");
            for line in applies.lines() {
                s.push_str(&format!(" - {line}\n"));
            }
            s.push_str("------------------------------------------------------\n\n");
        }
        for (h, body) in sections {
            s.push_str(&format!("{h}\n{}\n\n{body}\n\n", "=".repeat(h.len())));
        }
        parse_article(s.as_bytes()).expect("test article parses")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::article;
    use super::*;

    #[test]
    fn no_fix_at_all_says_so() {
        let a = article(
            "",
            &[
                ("SYMPTOMS", "The program stops."),
                ("CAUSE", "The driver incorrectly frees a buffer."),
                (
                    "STATUS",
                    "Microsoft has confirmed this to be a problem. We are researching it.",
                ),
            ],
        );
        let d = diagnose(&a);
        assert!(d.fixes.is_empty());
        assert!(d.causes.is_empty());
        assert_eq!(d.explanation.len(), 1);
        assert!(d.no_fix.unwrap().contains("confirmed"));
    }

    #[test]
    fn a_cause_without_a_fix_still_diagnoses() {
        let a = article("", &[("CAUSE", "You are using the wrong cable.")]);
        let d = diagnose(&a);
        assert_eq!(d.causes.len(), 1);
        assert_eq!(d.causes[0].question, "Are you using the wrong cable?");
        assert!(d.fixes.is_empty() && d.no_fix.is_some());
    }

    #[test]
    fn sixty_branches_and_a_megabyte() {
        let mut res = String::new();
        for i in 0..60 {
            res.push_str(&format!(
                "If you are using adapter model {i}, set the speed to {i}.\n\n"
            ));
        }
        let a = article(
            "",
            &[("CAUSE", "The speed is wrong."), ("RESOLUTION", &res)],
        );
        let d = diagnose(&a);
        assert_eq!(d.fixes[0].branches.len(), 60);
        let big = "You are using the wrong driver. ".repeat(33_000);
        let start = std::time::Instant::now();
        let a = article(
            "Product, version 1.0",
            &[("CAUSE", &big), ("RESOLUTION", &big)],
        );
        let d = diagnose(&a);
        assert!(!d.causes.is_empty());
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }
}
