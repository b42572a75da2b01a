//! The steps a session opens and ends with (choose an article, related articles, resolved,
//! escalated), the event keys that tie sessions about one event together, and whether a
//! paste confirms an article's symptom. Pure.

use super::plan::RelatedWhy;
use super::related::{RelatedCandidate, SIBLING_TIER};
use super::steps::{back_option, empty as empty_step};
use super::{Answer, CauseRef, Origin, Session, StepKind, StepOption, WizardStep};
use crate::kb::{self, Article, ArticleId};
use crate::matcher::describe_pasted;
use crate::paste::PastedEvent;
use std::collections::HashSet;

/// The choose_article step over `options` (articles), with "none" and, when possible, back.
pub fn choose_step(
    mut options: Vec<StepOption>,
    recognised: Vec<String>,
    query: &str,
    back: Option<i64>,
) -> WizardStep {
    let prompt = if options.is_empty() {
        "No article matched. Change the text or search with other words.".to_string()
    } else {
        "Which article describes your problem?".to_string()
    };
    options.push(StepOption::keyword(
        Answer::None,
        "None of these: hand this to the helpdesk",
    ));
    if back.is_some() {
        options.push(back_option());
    }
    WizardStep {
        prompt,
        options,
        recognised,
        query: Some(query.to_string()),
        ..empty_step(StepKind::ChooseArticle)
    }
}

/// The end step when a fix worked: only Back (to undo a mistaken "fixed") is offered.
pub fn resolved_step(article: &Article, cause: Option<CauseRef>) -> WizardStep {
    WizardStep {
        article: Some(article.id),
        title: Some(article.title.clone()),
        prompt: format!(
            "Resolved with {}. Thank you: this helps the next person with the same problem.",
            article.id
        ),
        options: vec![back_option()],
        cause,
        ..empty_step(StepKind::Resolved)
    }
}

/// The end step when nothing worked, with the transcript to hand to the helpdesk.
pub fn escalated_step(transcript: String) -> WizardStep {
    WizardStep {
        prompt: "Nothing the articles offer worked. Tell the helpdesk how to reach you; they \
                 get the transcript below with it."
            .into(),
        options: vec![back_option()],
        transcript: Some(transcript),
        ..empty_step(StepKind::Escalated)
    }
}

/// Articles offered on a related step beyond those the article cites.
const RELATED_MORE: usize = 10;

/// The related step's article options from the candidates: catalogue articles (bug-fix
/// lists, READMEs) last, other versions of the same problem first when that is why, and
/// every cited article but at least `RELATED_MORE`.
pub fn related_options(
    mut candidates: Vec<RelatedCandidate>,
    catalogue: &HashSet<ArticleId>,
    why: &RelatedWhy,
) -> Vec<StepOption> {
    candidates.sort_by_key(|c| catalogue.contains(&c.id));
    if *why == RelatedWhy::OtherVersion {
        candidates.sort_by_key(|c| (catalogue.contains(&c.id), c.tier != SIBLING_TIER));
    }
    let cited_tiers = candidates.iter().filter(|c| c.tier <= 1).count();
    candidates
        .into_iter()
        .take(cited_tiers.max(RELATED_MORE))
        .map(|c| StepOption {
            value: c.id.to_string(),
            label: format!("{}: {}", c.id, c.title),
            article: Some(c.id),
            detail: Some(c.why),
            reasons: Vec::new(),
            confidence: None,
        })
        .collect()
}

/// The related step: the articles with why each is offered, "none" and back.
pub fn related_step(
    article: &Article,
    mut options: Vec<StepOption>,
    why: &RelatedWhy,
) -> WizardStep {
    let (next, none) = if options.is_empty() {
        (
            "The article names no other article to try. Hand this to the helpdesk?",
            "Hand this to the helpdesk",
        )
    } else {
        (
            "Which of these articles should we try next?",
            "None of these: hand this to the helpdesk",
        )
    };
    let prompt = match why {
        RelatedWhy::NotFixed => format!("That did not fix it. {next}"),
        RelatedWhy::OtherProblem => {
            format!(
                "Then {} is probably about another problem. {next}",
                article.id
            )
        }
        RelatedWhy::OtherVersion => format!(
            "{} is about other versions. Articles on the same problem for other versions \
             come first. {next}",
            article.id
        ),
        RelatedWhy::NoFix(reason) => format!("{reason} {next}"),
    };
    options.push(StepOption::keyword(Answer::None, none));
    options.push(back_option());
    WizardStep {
        article: Some(article.id),
        title: Some(article.title.clone()),
        prompt,
        options,
        ..empty_step(StepKind::Related)
    }
}

/// "Event 68 from MSExchangeCCMC, Error (KB article layout)".
pub fn recognised_line(e: &PastedEvent) -> String {
    format!("{} ({})", describe_pasted(e), e.format.label())
}

/// An event as `id:folded-source`, the same however the source is cased or spaced.
pub fn event_key(id: u32, source: Option<&str>) -> String {
    format!("{id}:{}", source.map(kb::fold_source).unwrap_or_default())
}

/// The first pasted event with an id, as `id:folded-source`.
pub fn paste_event_key(events: &[PastedEvent]) -> Option<String> {
    events
        .iter()
        .find_map(|e| e.event_id.map(|id| event_key(id, e.source.as_deref())))
}

/// The first event an article quotes, as `id:folded-source`.
pub fn article_event_key(article: &Article) -> Option<String> {
    article
        .events
        .first()
        .map(|e| event_key(e.event_id, e.source.as_deref()))
}

/// "Your pasted event matches ..." when the session's paste quotes one of the article's
/// events verbatim (same id and source, and its description's words).
pub fn paste_confirms(session: &Session, article: &Article) -> Option<String> {
    // Only the first article chosen answers the paste (back to the start counts).
    if session.row.origin != Origin::Paste || !session.current().walk.considered.is_empty() {
        return None;
    }
    let key = session.row.event_key.as_deref()?;
    pasted_event_confirms(key, &session.row.input, article)
}

/// [`paste_confirms`] for a paste with the event key `key` and the text `input`.
pub fn pasted_event_confirms(key: &str, input: &str, article: &Article) -> Option<String> {
    let flat = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let pasted = flat(input);
    article.events.iter().find_map(|e| {
        let same = event_key(e.event_id, e.source.as_deref()) == key;
        let described = e
            .description
            .as_deref()
            .is_none_or(|d| pasted.contains(&flat(d).chars().take(60).collect::<String>()));
        (same && described).then(|| {
            format!(
                "Your pasted event {} from {} matches the one this article describes, so \
                 the symptom is confirmed.",
                e.event_id,
                e.source.as_deref().unwrap_or("the same source")
            )
        })
    })
}

/// What the way out of a dominant article says.
pub const OTHERS_LABEL: &str = "Not this one? See the other articles for this event";

/// Offers the way out of the article a paste started in: the other candidates, before
/// Back (which stays last).
pub fn offer_others(step: &mut WizardStep) {
    let others = Answer::Others.value();
    if step.options.iter().any(|o| o.value == others) {
        return;
    }
    let at = step
        .options
        .iter()
        .position(|o| o.value == Answer::Back.value())
        .unwrap_or(step.options.len());
    step.options
        .insert(at, StepOption::keyword(Answer::Others, OTHERS_LABEL));
}

/// Whether the way out travels on from `from` to `to`: while the user is still answering
/// questions about the article the paste started in, before any fix is shown.
pub fn keeps_others(from: &WizardStep, to: &WizardStep) -> bool {
    let others = Answer::Others.value();
    from.options.iter().any(|o| o.value == others)
        && to.article == from.article
        && matches!(
            to.kind,
            StepKind::CheckSymptom
                | StepKind::CheckVersion
                | StepKind::CheckCause
                | StepKind::ChooseBranch
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article_option(id: u32) -> StepOption {
        StepOption {
            article: Some(kb::ArticleId(id)),
            ..StepOption::keyword(Answer::Article(kb::ArticleId(id)), "an article")
        }
    }

    #[test]
    fn the_way_out_sits_before_back_once_and_travels_with_questions() {
        let mut step = choose_step(vec![article_option(1)], Vec::new(), "q", Some(1));
        offer_others(&mut step);
        offer_others(&mut step);
        assert_eq!(step.valid_answers(), ["Q1", "none", "others", "back"]);
        let mut first = empty_step(StepKind::CheckVersion);
        first.article = Some(kb::ArticleId(1));
        offer_others(&mut first);
        assert_eq!(first.valid_answers(), ["others"]);
        for (kind, article, want) in [
            (StepKind::CheckCause, 1, true),
            (StepKind::CheckSymptom, 1, true),
            (StepKind::ChooseBranch, 1, true),
            (StepKind::TryResolution, 1, false),
            (StepKind::CheckCause, 2, false),
        ] {
            let mut to = empty_step(kind);
            to.article = Some(kb::ArticleId(article));
            assert_eq!(keeps_others(&first, &to), want, "{kind:?} {article}");
        }
        assert!(!keeps_others(&empty_step(StepKind::CheckVersion), &first));
    }

    #[test]
    fn event_keys_fold_the_source() {
        for (id, source, want) in [
            (68, Some("MSExchangeCCMC"), "68:msexchangeccmc"),
            (
                7000,
                Some("Service Control Manager"),
                "7000:servicecontrolmanager",
            ),
            (
                7000,
                Some(" service  control\tMANAGER "),
                "7000:servicecontrolmanager",
            ),
            (1, None, "1:"),
            (1, Some(""), "1:"),
        ] {
            assert_eq!(event_key(id, source), want, "{id} {source:?}");
        }
    }

    #[test]
    fn choose_steps_end_with_none_and_back_when_possible() {
        for (articles, back, prompt_start, values) in [
            (vec![], None, "No article matched", vec!["none"]),
            (vec![], Some(2), "No article matched", vec!["none", "back"]),
            (vec![900068], None, "Which article", vec!["Q900068", "none"]),
            (
                vec![900068, 900070],
                Some(1),
                "Which article",
                vec!["Q900068", "Q900070", "none", "back"],
            ),
        ] {
            let options = articles.iter().copied().map(article_option).collect();
            let step = choose_step(options, Vec::new(), "event 68", back);
            assert_eq!(step.kind, StepKind::ChooseArticle);
            assert!(step.prompt.starts_with(prompt_start), "{}", step.prompt);
            assert_eq!(step.valid_answers(), values, "{articles:?} {back:?}");
            assert_eq!(step.can_go_back(), back.is_some());
            assert_eq!(step.query.as_deref(), Some("event 68"));
        }
    }

    #[test]
    fn related_steps_say_why_and_always_offer_none_and_back() {
        let article = Article::titled(kb::ArticleId(900068), "XFOR: Event 68");
        for (why, options, prompt_has) in [
            (RelatedWhy::NotFixed, vec![900070], "That did not fix it."),
            (
                RelatedWhy::OtherProblem,
                vec![],
                "probably about another problem",
            ),
            (
                RelatedWhy::OtherVersion,
                vec![900070],
                "about other versions",
            ),
            (
                RelatedWhy::NoFix("The article gives no fix.".into()),
                vec![],
                "The article gives no fix.",
            ),
        ] {
            let n = options.len();
            let opts = options.into_iter().map(article_option).collect();
            let step = related_step(&article, opts, &why);
            assert_eq!(step.kind, StepKind::Related);
            assert!(step.prompt.contains(prompt_has), "{}", step.prompt);
            let values = step.valid_answers();
            assert_eq!(values.len(), n + 2);
            assert_eq!(&values[n..], ["none", "back"]);
        }
    }

    #[test]
    fn related_options_put_catalogues_last_and_siblings_first_for_other_versions() {
        let cand = |id: u32, tier: u8| RelatedCandidate {
            id: kb::ArticleId(id),
            title: format!("A{id}"),
            why: "cited".into(),
            tier,
        };
        let catalogue: HashSet<ArticleId> = [kb::ArticleId(1)].into();
        for (why, want) in [
            (RelatedWhy::NotFixed, vec!["Q2", "Q3", "Q1"]),
            (RelatedWhy::OtherVersion, vec!["Q3", "Q2", "Q1"]),
        ] {
            let got = related_options(
                vec![cand(1, 0), cand(2, 1), cand(3, SIBLING_TIER)],
                &catalogue,
                &why,
            );
            let values: Vec<&str> = got.iter().map(|o| o.value.as_str()).collect();
            assert_eq!(values, want, "{why:?}");
        }
        // Beyond the cited tiers, at most RELATED_MORE are offered.
        let many = (0..30).map(|i| cand(100 + i, 3)).collect();
        assert_eq!(
            related_options(many, &HashSet::new(), &RelatedWhy::NotFixed).len(),
            RELATED_MORE
        );
        let cited = (0..30).map(|i| cand(100 + i, 1)).collect();
        assert_eq!(
            related_options(cited, &HashSet::new(), &RelatedWhy::NotFixed).len(),
            30
        );
    }
}
