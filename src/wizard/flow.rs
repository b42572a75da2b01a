//! The walk itself: starting sessions, answering steps (validated, then stored in one
//! transaction), going back, and reading sessions back with their history.

use super::article::symptom;
use super::honest;
use super::plan::{self, Built, Ctx, RelatedWhy, Walk};
use super::related::{Feedback, RelatedInputs, SIBLING_TIER, related_candidates};
use super::steps::{back_option, empty as empty_step};
use super::transcript::{self, Header};
use super::{Answer, Known, SessionId, StepKind, StepOption, WizardError, WizardStep};
use crate::kb::{self, Article, ArticleId, Diagnosis};
use crate::matcher::{Matcher, describe_pasted};
use crate::paste::PastedEvent;
use crate::store::{Advance, NewSession, NewStep, SessionRow, Store};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Candidates offered on a choose_article step.
const CANDIDATES: usize = 8;
/// Articles offered on a related step beyond those the article cites.
const RELATED_MORE: usize = 10;

/// A step row's JSON: the step as shown and the walk behind it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    step: WizardStep,
    walk: Walk,
}

/// One step of a session's history.
#[derive(Debug, Clone)]
pub struct HistoryStep {
    /// Its number, from 1.
    pub n: i64,
    /// The step as shown.
    pub step: WizardStep,
    /// The answer given, `None` for the current step.
    pub answer: Option<String>,
    /// Unix seconds it was shown.
    pub shown_at: i64,
    /// Unix seconds of the answer.
    pub answered_at: Option<i64>,
    walk: Walk,
}

/// A session with its whole history.
#[derive(Debug, Clone)]
pub struct Session {
    /// The id.
    pub id: SessionId,
    /// The stored session.
    pub row: SessionRow,
    /// What the paste was recognised as.
    pub recognised: Vec<String>,
    /// Every step shown, in order; the last is the current one.
    pub steps: Vec<HistoryStep>,
}

impl Session {
    /// The current step.
    pub fn current(&self) -> &HistoryStep {
        // A session is created with its first step in the same transaction.
        self.steps.last().expect("a session has at least one step")
    }

    /// Step `n` of the history.
    pub fn step(&self, n: i64) -> Option<&HistoryStep> {
        self.steps.iter().find(|s| s.n == n)
    }

    /// The plain-text transcript of everything so far.
    pub fn transcript(&self) -> String {
        let steps: Vec<(&WizardStep, Option<&str>)> = self
            .steps
            .iter()
            .map(|s| (&s.step, s.answer.as_deref()))
            .collect();
        transcript::transcript(&self.header(self.row.outcome.as_deref()), &steps)
    }

    fn header<'s>(&'s self, outcome: Option<&'s str>) -> Header<'s> {
        Header {
            id: self.id.as_str(),
            origin: &self.row.origin,
            input: &self.row.input,
            recognised: &self.recognised,
            started: self.row.created_at,
            outcome,
        }
    }
}

/// Drives sessions over the store and the matcher.
pub struct Wizard<'a> {
    store: &'a Store,
    matcher: &'a Matcher,
}

/// A step to show next, with the walk behind it and what it means for the outcome.
struct Next {
    step: WizardStep,
    walk: Walk,
}

impl<'a> Wizard<'a> {
    /// A wizard over `store`, matching pastes with `matcher`.
    pub fn new(store: &'a Store, matcher: &'a Matcher) -> Self {
        Self { store, matcher }
    }

    /// Starts a session from pasted text: the matcher's candidates to choose from.
    pub async fn start_paste(&self, text: &str) -> Result<SessionId, WizardError> {
        self.start_paste_with(text, Known::default()).await
    }

    /// Starts a session from pasted text with facts already known (the product and version
    /// Event Viewer's link sends): they travel with the walk into whichever article the user
    /// chooses, so its version check is not asked.
    pub async fn start_paste_with(
        &self,
        text: &str,
        known: Known,
    ) -> Result<SessionId, WizardError> {
        if text.trim().is_empty() {
            return Err(WizardError::EmptyInput(
                "The text is empty: paste the event or error message.".into(),
            ));
        }
        let outcome = self.matcher.match_text(text).await?;
        let recognised: Vec<String> = outcome.events.iter().map(recognised_line).collect();
        let key = paste_event_key(&outcome.events);
        let feedback = self.feedback(key.as_deref()).await?;
        let (verdict, summary) = (outcome.verdict, outcome.summary);
        let mut results = outcome.results;
        // Among equal scores, the articles that resolved past sessions for this event first.
        results.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(feedback.article(b.id).cmp(&feedback.article(a.id)))
        });
        let mut options = Vec::new();
        for r in results.into_iter().take(CANDIDATES) {
            let detail = self.symptom_of(r.id).await?;
            options.push(StepOption {
                value: r.id.to_string(),
                label: format!("{}: {}", r.id, r.title),
                article: Some(r.id),
                detail,
                reasons: r.reasons,
                confidence: Some(r.confidence),
            });
        }
        // The whole paste was matched; the session keeps a bounded copy of it.
        let kept = super::cap_input(text);
        let kept = kept.as_deref().unwrap_or(text);
        let mut step = choose_step(options, recognised.clone(), kept, None);
        honest::put_verdict(&mut step, verdict, &summary);
        let walk = Walk {
            known,
            ..Walk::default()
        };
        let next = Next { step, walk };
        self.create_with_walk("paste", kept, &recognised, key, next)
            .await
    }

    /// Starts a session from search words: the full-text results to choose from.
    pub async fn start_search(&self, q: &str) -> Result<SessionId, WizardError> {
        if q.trim().is_empty() {
            return Err(WizardError::EmptyInput(
                "The search is empty: type some words from the error or the problem.".into(),
            ));
        }
        let step = self.search_step(q, None).await?;
        let id = self.create("search", q, &[], None, step).await?;
        self.file_search(&id, q).await?;
        Ok(id)
    }

    /// Starts a session from an article, as if it had been chosen.
    pub async fn start_article(&self, id: ArticleId) -> Result<SessionId, WizardError> {
        self.start_article_with(id, Known::default()).await
    }

    /// Starts a session from an article with facts already known (the product and version
    /// the user runs, the event already recognised as the article's), so the checks those
    /// settle are not asked. The recognised event is listed as what was recognised.
    pub async fn start_article_with(
        &self,
        id: ArticleId,
        known: Known,
    ) -> Result<SessionId, WizardError> {
        let article = self.article(id).await?.ok_or(WizardError::NoArticle(id))?;
        let key = article_event_key(&article);
        let recognised: Vec<String> = known.event.iter().cloned().collect();
        let walk = Walk {
            known,
            ..Walk::default()
        };
        let next = self.enter(&article, walk, key.as_deref(), None).await?;
        let id_text = id.to_string();
        self.create_with_walk("article", &id_text, &recognised, key, next)
            .await
    }

    /// A session with its history.
    pub async fn load(&self, id: &SessionId) -> Result<Session, WizardError> {
        let row = self
            .store
            .session(id.as_str())
            .await?
            .ok_or(WizardError::NoSession)?;
        let rows = self.store.session_steps(id.as_str()).await?;
        let mut steps = Vec::with_capacity(rows.len());
        for r in rows {
            let stored: Stored = serde_json::from_str(&r.step)?;
            steps.push(HistoryStep {
                n: r.n,
                step: stored.step,
                walk: stored.walk,
                answer: r.answer,
                shown_at: r.shown_at,
                answered_at: r.answered_at,
            });
        }
        if steps.is_empty() {
            return Err(WizardError::NoSession);
        }
        let recognised = serde_json::from_str(&row.recognised)?;
        Ok(Session {
            id: id.clone(),
            row,
            recognised,
            steps,
        })
    }

    /// Answers the current step. `expected` is the step number the answer was given on,
    /// when known (forms send it), so an answer from a stale page is refused rather than
    /// applied to a later step. The session is unchanged on any error.
    pub async fn answer(
        &self,
        id: &SessionId,
        raw: &str,
        expected: Option<i64>,
    ) -> Result<Session, WizardError> {
        let session = self.load(id).await?;
        let current = session.current();
        if expected.is_some_and(|n| n != current.n) {
            return Err(WizardError::Conflict);
        }
        let valid = current.step.valid_answers();
        let invalid = || WizardError::InvalidAnswer {
            answer: raw.chars().take(100).collect(),
            valid: valid.clone(),
        };
        let answer: Answer = raw.parse().map_err(|_| invalid())?;
        if !valid.contains(&answer.value()) {
            return Err(invalid());
        }
        let next = if answer == Answer::Back {
            let to = current.walk.back_to.ok_or_else(invalid)?;
            let earlier = session.step(to).ok_or_else(invalid)?;
            Next {
                step: earlier.step.clone(),
                walk: earlier.walk.clone(),
            }
        } else {
            self.transition(&session, answer).await?
        };
        self.advance(&session, &answer.value(), next).await?;
        self.load(id).await
    }

    /// Replaces the current step with a new choose_article over search results, so
    /// "none of these" can be refined without starting over.
    pub async fn refine(&self, id: &SessionId, q: &str) -> Result<Session, WizardError> {
        if q.trim().is_empty() {
            return Err(WizardError::EmptyInput(
                "The search is empty: type some words from the error or the problem.".into(),
            ));
        }
        let session = self.load(id).await?;
        let current = session.current();
        let step = self.search_step(q, Some(current.n)).await?;
        let walk = Walk {
            considered: current.walk.considered.clone(),
            back_to: Some(current.n),
            ..Walk::default()
        };
        let answer = format!("search: {}", q.trim());
        self.advance(&session, &answer, Next { step, walk }).await?;
        self.file_search(id, q).await?;
        self.load(id).await
    }

    async fn transition(&self, session: &Session, answer: Answer) -> Result<Next, WizardError> {
        let current = session.current();
        let mut walk = current.walk.clone();
        walk.back_to = Some(current.n);
        let key = session.row.event_key.clone();
        let step = &current.step;
        let invalid = || WizardError::InvalidAnswer {
            answer: answer.value(),
            valid: step.valid_answers(),
        };
        match (step.kind, answer) {
            (StepKind::ChooseArticle | StepKind::Related, Answer::Article(id)) => {
                let article = self.article(id).await?.ok_or(WizardError::NoArticle(id))?;
                let key = key.or_else(|| article_event_key(&article));
                let confirmed = self.paste_confirms(session, &article);
                self.enter(&article, walk, key.as_deref(), confirmed).await
            }
            (StepKind::ChooseArticle | StepKind::Related, Answer::None) => {
                let text = escalation_transcript(session, current.n);
                Ok(Next {
                    step: escalated_step(text),
                    walk,
                })
            }
            (_, a) => {
                let id = step.article.ok_or_else(invalid)?;
                let article = self.article(id).await?.ok_or(WizardError::NoArticle(id))?;
                let diag = self.diagnosis(&article).await?;
                let ctx = Ctx {
                    article: &article,
                    diag: &diag,
                };
                if matches!(step.kind, StepKind::TryResolution | StepKind::TryWorkaround)
                    && a == Answer::Fixed
                {
                    return Ok(Next {
                        step: resolved_step(&article, step.cause.clone()),
                        walk,
                    });
                }
                let built = plan::answer(ctx, step, walk, a).ok_or_else(invalid)?;
                self.finish(ctx, built, key.as_deref()).await
            }
        }
    }

    /// Enters an article: its plan, with the causes ordered by past outcomes.
    async fn enter(
        &self,
        article: &Article,
        walk: Walk,
        key: Option<&str>,
        confirmed: Option<String>,
    ) -> Result<Next, WizardError> {
        let diag = self.diagnosis(article).await?;
        let feedback = self.feedback(key).await?;
        let mut order: Vec<usize> = (0..diag.causes.len()).collect();
        feedback.order_causes(article.id, &mut order);
        let first = walk.considered.is_empty();
        let ctx = Ctx {
            article,
            diag: &diag,
        };
        let built = plan::enter(ctx, walk, order, confirmed, first);
        self.finish(ctx, built, key).await
    }

    /// A built step as is, or the related step it asks for.
    async fn finish(
        &self,
        ctx: Ctx<'_>,
        built: Built,
        key: Option<&str>,
    ) -> Result<Next, WizardError> {
        match built {
            Built::Step(step, walk) => Ok(Next { step: *step, walk }),
            Built::Related(walk, why) => self.related_step(ctx.article, walk, key, why).await,
        }
    }

    /// "Your pasted event matches ..." when the session's paste quotes one of the article's
    /// events verbatim (same id and source, and its description's words).
    fn paste_confirms(&self, session: &Session, article: &Article) -> Option<String> {
        // Only the first article chosen answers the paste (back to the start counts).
        if session.row.origin != "paste" || !session.current().walk.considered.is_empty() {
            return None;
        }
        let key = session.row.event_key.as_deref()?;
        let flat = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let pasted = flat(&session.row.input);
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

    async fn advance(
        &self,
        session: &Session,
        answer: &str,
        next: Next,
    ) -> Result<(), WizardError> {
        let current = session.current();
        let (outcome, resolved_article, resolved_cause) = match next.step.kind {
            StepKind::Resolved => (
                Some("resolved".to_string()),
                next.step.article.map(|a| i64::from(a.0)),
                next.step.cause.as_ref().map(|c| c.index as i64),
            ),
            StepKind::Escalated => (Some("escalated".to_string()), None, None),
            _ => (None, None, None),
        };
        // The event an article-less paste was about is learnt from the first article chosen.
        let event_key = match (&session.row.event_key, next.step.article) {
            (None, Some(id)) if current.step.kind == StepKind::ChooseArticle => {
                self.article(id).await?.as_ref().and_then(article_event_key)
            }
            _ => None,
        };
        let advance = Advance {
            answered_n: current.n,
            answer: answer.to_string(),
            ended_kind: outcome
                .as_ref()
                .map(|_| current.step.kind.as_str().to_string()),
            outcome,
            resolved_article,
            resolved_cause,
            event_key,
            next: new_step(&next.step, &next.walk)?,
        };
        if self
            .store
            .advance_session(session.id.as_str(), &advance)
            .await?
        {
            Ok(())
        } else {
            Err(WizardError::Conflict)
        }
    }

    async fn create(
        &self,
        origin: &str,
        input: &str,
        recognised: &[String],
        key: Option<String>,
        step: WizardStep,
    ) -> Result<SessionId, WizardError> {
        let next = Next {
            step,
            walk: Walk::default(),
        };
        self.create_with_walk(origin, input, recognised, key, next)
            .await
    }

    async fn create_with_walk(
        &self,
        origin: &str,
        input: &str,
        recognised: &[String],
        key: Option<String>,
        next: Next,
    ) -> Result<SessionId, WizardError> {
        let id = SessionId::generate()?;
        self.store
            .create_session(&NewSession {
                id: id.to_string(),
                origin: origin.into(),
                input: input.into(),
                recognised: serde_json::to_string(recognised)?,
                event_key: key,
                first: new_step(&next.step, &next.walk)?,
            })
            .await?;
        Ok(id)
    }

    /// Files the session under the words searched, so that a resolution it reaches raises
    /// its article for the next search with the same words (`Searcher::learnt`).
    async fn file_search(&self, id: &SessionId, q: &str) -> Result<(), WizardError> {
        let key = crate::search::parse(q).key();
        Ok(self.store.set_search_key(&id.to_string(), &key).await?)
    }

    async fn search_step(&self, q: &str, back: Option<i64>) -> Result<WizardStep, WizardError> {
        // The search page's own engine, so that both rank alike.
        let hits = self
            .matcher
            .searcher()
            .search(q, &Default::default(), 0, CANDIDATES)
            .await?
            .results;
        let mut options = Vec::new();
        for h in hits {
            options.push(StepOption {
                value: h.id.to_string(),
                label: format!("{}: {}", h.id, h.title),
                article: Some(h.id),
                detail: self.symptom_of(h.id).await?,
                reasons: (!h.matched.is_empty())
                    .then(|| format!("Matches: {}", h.matched.join(", ")))
                    .into_iter()
                    .collect(),
                confidence: None,
            });
        }
        Ok(choose_step(options, Vec::new(), q, back))
    }

    async fn related_step(
        &self,
        article: &Article,
        walk: Walk,
        key: Option<&str>,
        why: RelatedWhy,
    ) -> Result<Next, WizardError> {
        let key = key
            .map(str::to_string)
            .or_else(|| article_event_key(article));
        let cited: Vec<ArticleId> = article.references.iter().map(|r| r.id).collect();
        let present: HashMap<ArticleId, String> = self
            .store
            .summaries(&cited)
            .await?
            .into_iter()
            .map(|s| (s.id, s.title))
            .collect();
        let source_key = key
            .as_deref()
            .and_then(|k| k.split_once(':'))
            .map(|(_, s)| s.to_string())
            .filter(|s| !s.is_empty());
        let (same_source, source_name) = match &source_key {
            Some(s) => (
                self.store.source_articles(s, 20).await?,
                self.store.source_name(s).await?,
            ),
            None => (Vec::new(), None),
        };
        let inputs = RelatedInputs {
            present,
            citing: self.store.referenced_by(article.id).await?,
            siblings: self.store.same_title(article.id, 10).await?,
            same_source,
            source: source_name,
        };
        let feedback = self.feedback(key.as_deref()).await?;
        let mut candidates = related_candidates(article, &inputs, &walk.considered, &feedback);
        // Catalogue articles (bug-fix lists, READMEs) last: offered only when nothing else is.
        let ids: Vec<ArticleId> = candidates.iter().map(|c| c.id).collect();
        let catalogue = self.store.catalogue_ids(&ids).await?;
        candidates.sort_by_key(|c| catalogue.contains(&c.id));
        if why == RelatedWhy::OtherVersion {
            // Other versions of the same problem first.
            candidates.sort_by_key(|c| (catalogue.contains(&c.id), c.tier != SIBLING_TIER));
        }
        let cited_tiers = candidates.iter().filter(|c| c.tier <= 1).count();
        let options: Vec<StepOption> = candidates
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
            .collect();
        Ok(Next {
            step: related_step(article, options, &why),
            walk,
        })
    }

    async fn article(&self, id: ArticleId) -> Result<Option<Article>, WizardError> {
        Ok(self.store.article(id).await?.map(|s| s.article))
    }

    /// The article's stored diagnosis; read afresh only when the database predates them.
    async fn diagnosis(&self, article: &Article) -> Result<Diagnosis, WizardError> {
        Ok(match self.store.diagnosis(article.id).await? {
            Some(d) => d,
            None => kb::diagnose(article),
        })
    }

    async fn symptom_of(&self, id: ArticleId) -> Result<Option<String>, WizardError> {
        Ok(self
            .article(id)
            .await?
            .map(|a| symptom(&a))
            .filter(|s| !s.is_empty()))
    }

    async fn feedback(&self, key: Option<&str>) -> Result<Feedback, WizardError> {
        Ok(match key {
            Some(k) => Feedback::from_counts(&self.store.resolution_counts(k).await?),
            None => Feedback::default(),
        })
    }
}

fn new_step(step: &WizardStep, walk: &Walk) -> Result<NewStep, WizardError> {
    Ok(NewStep {
        kind: step.kind.as_str().to_string(),
        article: step.article.map(|a| i64::from(a.0)),
        cause_index: step.cause.as_ref().map(|c| c.index as i64),
        step: serde_json::to_string(&Stored {
            step: step.clone(),
            walk: walk.clone(),
        })?,
    })
}

/// The choose_article step over `options` (articles), with "none" and, when possible, back.
fn choose_step(
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
        "none",
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

fn resolved_step(article: &Article, cause: Option<super::CauseRef>) -> WizardStep {
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

fn escalated_step(transcript: String) -> WizardStep {
    WizardStep {
        prompt: "Nothing the articles offer worked. Give this transcript to the helpdesk.".into(),
        options: vec![back_option()],
        transcript: Some(transcript),
        ..empty_step(StepKind::Escalated)
    }
}

/// The related step: the articles with why each is offered, "none" and back.
fn related_step(article: &Article, mut options: Vec<StepOption>, why: &RelatedWhy) -> WizardStep {
    let next = if options.is_empty() {
        "The article names no other article to try. Hand this to the helpdesk?"
    } else {
        "Which of these articles should we try next?"
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
    options.push(StepOption::keyword(
        "none",
        "None of these: hand this to the helpdesk",
    ));
    options.push(back_option());
    WizardStep {
        article: Some(article.id),
        title: Some(article.title.clone()),
        prompt,
        options,
        ..empty_step(StepKind::Related)
    }
}

/// The transcript as it stands when `here` is answered "none".
fn escalation_transcript(session: &Session, here: i64) -> String {
    let steps: Vec<(&WizardStep, Option<&str>)> = session
        .steps
        .iter()
        .map(|s| {
            let a = if s.n == here {
                Some("none")
            } else {
                s.answer.as_deref()
            };
            (&s.step, a)
        })
        .collect();
    transcript::transcript(&session.header(Some("escalated")), &steps)
}

/// "Event 68 from MSExchangeCCMC, Error (KB article layout)".
fn recognised_line(e: &PastedEvent) -> String {
    format!("{} ({})", describe_pasted(e), e.format.label())
}

fn event_key(id: u32, source: Option<&str>) -> String {
    format!("{id}:{}", source.map(kb::fold_source).unwrap_or_default())
}

/// The first pasted event with an id, as `id:folded-source`.
fn paste_event_key(events: &[PastedEvent]) -> Option<String> {
    events
        .iter()
        .find_map(|e| e.event_id.map(|id| event_key(id, e.source.as_deref())))
}

/// The first event an article quotes, as `id:folded-source`.
fn article_event_key(article: &Article) -> Option<String> {
    article
        .events
        .first()
        .map(|e| event_key(e.event_id, e.source.as_deref()))
}
