//! How a paste's first step is put, from the matcher's verdict (issue 18): only a match is
//! offered as the answer. Related articles are offered as related, and when nothing in the
//! archive fits only the search form and the hand-off remain.

use super::WizardStep;
use crate::matcher::Verdict;

/// Rewords the paste's choose-article step after the verdict; drops the articles when
/// nothing fits (the hand-off and any keyword options stay).
pub(super) fn put_verdict(step: &mut WizardStep, verdict: Verdict, summary: &str) {
    step.prompt = match verdict {
        Verdict::Match => format!("{summary} Which one describes your problem?"),
        Verdict::Related => format!(
            "{summary} Read one of them, search with other words, or hand this to the helpdesk."
        ),
        Verdict::None => {
            step.options.retain(|o| o.article.is_none());
            format!(
                "{summary} Change the text or search with other words, or hand this to the helpdesk."
            )
        }
    };
}
