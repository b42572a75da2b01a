//! How a paste's first step is put, from the matcher's verdict (issue 18): only a match is
//! offered as the answer. Related articles are offered as related, and when nothing in the
//! archive fits only the search form and the hand-off remain. The heading says only what
//! is true of the list shown (issue 25): how many of the listed articles are about the
//! pasted event, not that all are. And when one article dominates, the session starts in
//! it ([`dominant`]).

use super::WizardStep;
use crate::matcher::{Relation, Verdict};
use crate::paste::PastedEvent;

/// The confidence an article must reach to be started in without a list: a verbatim or
/// near-verbatim quote of the pasted event.
pub(super) const DOMINANT_CONFIDENCE: f64 = 0.9;
/// How far ahead of the next it must be: the next at most this share of its confidence.
pub(super) const DOMINANT_LEAD: f64 = 0.6;

/// Whether the first of the ranked articles (confidence and relation, best first) clearly
/// dominates: it is about the pasted event, matches it (near) verbatim, and the next is
/// well behind. Two articles quoting the event equally well (one per version, say) are
/// listed instead: the user tells them apart, not the matcher.
pub(super) fn dominant(ranked: &[(f64, Relation)]) -> bool {
    match ranked {
        [] => false,
        [(top, rel), rest @ ..] => {
            *rel == Relation::About
                && *top >= DOMINANT_CONFIDENCE
                && rest
                    .first()
                    .is_none_or(|(next, _)| *next <= DOMINANT_LEAD * top)
        }
    }
}

/// Rewords the paste's choose-article step after the verdict; drops the articles when
/// nothing fits (the hand-off and any keyword options stay). `about` is how many of the
/// listed articles are about the pasted event; `extra` is what the matcher added to its
/// verdict (a search cut short), kept.
pub(super) fn put_verdict(
    step: &mut WizardStep,
    verdict: Verdict,
    events: &[PastedEvent],
    about: usize,
    extra: &str,
) {
    let listed = step.options.iter().filter(|o| o.article.is_some()).count();
    let what = crate::matcher::event_subject(events);
    let heading = match verdict {
        Verdict::None => {
            step.options.retain(|o| o.article.is_none());
            format!(
                "Nothing in the archive matches {what}. Change the text or search with other \
                 words, or hand this to the helpdesk."
            )
        }
        // Every article the matcher had is left out (the way out of the only one).
        _ if listed == 0 => format!(
            "No other article matches {what}. Search with other words, or hand this to the \
             helpdesk."
        ),
        Verdict::Match if about >= listed => match listed {
            1 => format!("This article is about {what}. Does it describe your problem?"),
            n => format!("These {n} articles are about {what}. Which one describes your problem?"),
        },
        Verdict::Match if about > 0 => format!(
            "{about} of these {listed} articles {} about {what}; the others are related to \
             it. Which one describes your problem?",
            if about == 1 { "is" } else { "are" }
        ),
        // The one about it was left out (the way out of it): the rest are only related.
        Verdict::Match => format!(
            "None of these articles is about {what}; they are related to it. Read one, \
             search with other words, or hand this to the helpdesk."
        ),
        Verdict::Related => format!(
            "No article in the archive is about {what}. These are related to it: read one, \
             search with other words, or hand this to the helpdesk."
        ),
    };
    step.prompt = format!("{heading}{extra}");
}

#[cfg(test)]
mod tests {
    use super::super::steps::empty;
    use super::super::{Answer, StepKind, StepOption};
    use super::*;
    use crate::kb::ArticleId;
    use crate::paste::parse_paste;

    #[test]
    fn one_article_dominates_only_when_verbatim_and_well_ahead() {
        use Relation::*;
        for (ranked, want) in [
            (vec![], false),
            (vec![(1.0, About)], true),
            (vec![(1.0, About), (0.3, SameSource)], true),
            (vec![(0.95, About), (0.57, About)], true),
            (vec![(1.0, About), (0.61, Words)], false),
            (vec![(1.0, About), (1.0, About)], false),
            (vec![(0.89, About)], false),
            (vec![(1.0, Mentions)], false),
            (vec![(1.0, SameId), (0.1, Words)], false),
        ] {
            assert_eq!(dominant(&ranked), want, "{ranked:?}");
        }
    }

    fn listed(n: usize) -> WizardStep {
        let mut step = empty(StepKind::ChooseArticle);
        for i in 0..n {
            let id = ArticleId(900_000 + i as u32);
            step.options.push(StepOption {
                article: Some(id),
                ..StepOption::keyword(Answer::Article(id), "an article")
            });
        }
        step.options
            .push(StepOption::keyword(Answer::None, "None of these"));
        step
    }

    #[test]
    fn headings_say_what_is_true_of_the_list() {
        let events = parse_paste("Event ID: 68\nSource: MSExchangeCCMC\nDescription: It broke.");
        for (verdict, n, about, want, left) in [
            (
                Verdict::Match,
                3,
                3,
                "These 3 articles are about event 68 from MSExchangeCCMC.",
                4,
            ),
            (
                Verdict::Match,
                1,
                1,
                "This article is about event 68 from MSExchangeCCMC.",
                2,
            ),
            (
                Verdict::Match,
                5,
                1,
                "1 of these 5 articles is about event 68 from MSExchangeCCMC; the others are related",
                6,
            ),
            (
                Verdict::Match,
                2,
                0,
                "None of these articles is about event 68 from MSExchangeCCMC; they are related",
                3,
            ),
            (
                Verdict::Match,
                0,
                0,
                "No other article matches event 68 from MSExchangeCCMC.",
                1,
            ),
            (
                Verdict::Related,
                2,
                0,
                "No article in the archive is about event 68 from MSExchangeCCMC. These are related",
                3,
            ),
            (
                Verdict::None,
                2,
                0,
                "Nothing in the archive matches event 68 from MSExchangeCCMC.",
                1,
            ),
        ] {
            let mut step = listed(n);
            put_verdict(&mut step, verdict, &events, about, "");
            assert!(step.prompt.starts_with(want), "{}", step.prompt);
            assert_eq!(step.options.len(), left, "{verdict:?}");
        }
        let mut step = listed(2);
        put_verdict(&mut step, Verdict::Match, &[], 2, " Cut short.");
        assert!(step.prompt.contains("about this event") && step.prompt.ends_with(" Cut short."));
    }
}
