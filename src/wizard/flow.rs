//! The walk over the store: starting sessions, answering steps (validated, then stored in
//! one transaction), going back, and reading sessions back with their history. The steps
//! themselves are built by the pure [`super::plan`], [`super::steps`] and
//! [`super::choices`].

use super::article::symptom;
use super::choices::{
    article_event_key, choose_step, escalated_step, keeps_others, offer_others, paste_confirms,
    paste_event_key, pasted_event_confirms, recognised_line, related_options, related_step,
    resolved_step,
};
use super::honest;
use super::plan::{self, Built, Ctx, RelatedWhy, Walk};
use super::related::{Feedback, RelatedInputs, related_candidates};
use super::session::{HistoryStep, Session, Stored, StoredRef};
use super::{
    Answer, BACK_SLACK, Given, Known, MAX_SESSION_BYTES, MAX_STEPS, Origin, Outcome, SessionId,
    StepKind, StepOption, WizardError, WizardStep,
};
use crate::kb::{self, Article, ArticleId, Diagnosis};
use crate::matcher::{MatchOutcome, MatchResult, Matcher, Relation};
use crate::search::Searcher;
use crate::store::{Advance, CachedArticle, NewSession, NewStep, Store};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// Candidates offered on a choose_article step: few enough to read each one's symptom.
const CANDIDATES: usize = 5;

/// Drives sessions over the store, the matcher and the searcher.
pub struct Wizard<'a> {
    store: &'a Store,
    matcher: &'a Matcher,
    searcher: &'a Searcher,
    /// Who starts sessions: kept with each, so its outcome counts once per client.
    client: Option<String>,
}

/// A step to show next, with the walk behind it and what it means for the outcome.
struct Next {
    step: WizardStep,
    walk: Walk,
}

impl<'a> Wizard<'a> {
    /// A wizard over `store`, matching pastes with `matcher` and own words with `searcher`.
    pub fn new(store: &'a Store, matcher: &'a Matcher, searcher: &'a Searcher) -> Self {
        Self {
            store,
            matcher,
            searcher,
            client: None,
        }
    }

    /// The same wizard, starting sessions as the client `key` (a short hash, `web::guard`).
    pub fn for_client(mut self, key: Option<String>) -> Self {
        self.client = key;
        self
    }

    /// Starts a session from pasted text: the matcher's candidates to choose from.
    pub async fn start_paste(&self, text: &str) -> Result<Session, WizardError> {
        self.start_paste_with(text, Known::default()).await
    }

    /// Starts a session from pasted text with facts already known (the product and version
    /// Event Viewer's link sends): they travel with the walk into whichever article the user
    /// chooses, so its version check is not asked. When one article clearly dominates
    /// (`honest::dominant`), the session starts in it, as if it had been chosen, with a way
    /// out to the other candidates; otherwise the candidates are listed.
    pub async fn start_paste_with(&self, text: &str, known: Known) -> Result<Session, WizardError> {
        if text.trim().is_empty() {
            return Err(WizardError::EmptyInput(
                "The text is empty: paste the event or error message.".into(),
            ));
        }
        // The whole paste is matched; the session keeps a bounded copy of it.
        let kept = super::cap_input(text);
        let kept = kept.as_deref().unwrap_or(text);
        let walk = Walk {
            known,
            ..Walk::default()
        };
        let (next, recognised, key) = self.paste_start(text, kept, walk).await?;
        self.create_with_walk(Origin::Paste, kept, &recognised, key, next)
            .await
    }

    /// The first step for a paste: its dominant article entered, or the candidates.
    async fn paste_start(
        &self,
        text: &str,
        kept: &str,
        walk: Walk,
    ) -> Result<(Next, Vec<String>, Option<String>), WizardError> {
        let mut outcome = self.matcher.match_text(text).await?;
        let recognised: Vec<String> = outcome.events.iter().map(recognised_line).collect();
        let key = paste_event_key(&outcome.events);
        let results = self
            .ranked(std::mem::take(&mut outcome.results), key.as_deref())
            .await?;
        let ranked: Vec<(f64, Relation)> =
            results.iter().map(|r| (r.confidence, r.relation)).collect();
        let top = results.first().map(|r| r.id);
        if let Some(id) = top.filter(|_| honest::dominant(&ranked))
            && let Some(entry) = self.article(id).await?
        {
            let confirmed = key
                .as_deref()
                .and_then(|k| pasted_event_confirms(k, kept, entry.article()));
            let mut next = self.enter(&entry, walk, key.as_deref(), confirmed).await?;
            offer_others(&mut next.step);
            next.step.recognised = recognised.clone();
            return Ok((next, recognised, key));
        }
        let mut step = self.paste_choices(results, &outcome, None).await?;
        step.recognised = recognised.clone();
        step.query = Some(kept.to_string());
        Ok((Next { step, walk }, recognised, key))
    }

    /// The matcher's results, the articles that resolved past sessions for this event first
    /// among equal scores.
    async fn ranked(
        &self,
        mut results: Vec<MatchResult>,
        key: Option<&str>,
    ) -> Result<Vec<MatchResult>, WizardError> {
        let feedback = self.feedback(key).await?;
        results.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(feedback.article(b.id).cmp(&feedback.article(a.id)))
        });
        Ok(results)
    }

    /// The choose_article step over a paste's candidates (at most `CANDIDATES`, `except` left
    /// out), each with its symptom line, under a heading true of the list.
    async fn paste_choices(
        &self,
        results: Vec<MatchResult>,
        outcome: &MatchOutcome,
        except: Option<(ArticleId, i64)>,
    ) -> Result<WizardStep, WizardError> {
        let mut options = Vec::new();
        let mut about = 0;
        let shown = results
            .into_iter()
            .filter(|r| except.is_none_or(|(id, _)| r.id != id))
            .take(CANDIDATES);
        for r in shown {
            about += usize::from(r.relation == Relation::About);
            options.push(StepOption {
                value: r.id.to_string(),
                label: format!("{}: {}", r.id, r.title),
                article: Some(r.id),
                detail: self.symptom_of(r.id).await?,
                reasons: r.reasons,
                confidence: Some(r.confidence),
            });
        }
        let mut step = choose_step(options, Vec::new(), "", except.map(|(_, n)| n));
        let extra = if outcome.summary.ends_with(crate::matcher::CUT_SHORT) {
            crate::matcher::CUT_SHORT
        } else {
            ""
        };
        honest::put_verdict(&mut step, outcome.verdict, &outcome.events, about, extra);
        Ok(step)
    }

    /// "Not this one": the other candidates for the session's paste, the article it started
    /// in left out. Choosing one starts afresh in it, as a first choice would.
    async fn others(&self, session: &Session) -> Result<Next, WizardError> {
        let current = session.current();
        let input = &session.row.input;
        let mut outcome = self.matcher.match_text(input).await?;
        let key = session.row.event_key.clone();
        let results = self
            .ranked(std::mem::take(&mut outcome.results), key.as_deref())
            .await?;
        let except = current.step.article.map(|a| (a, current.n));
        let mut step = self.paste_choices(results, &outcome, except).await?;
        step.query = Some(input.clone());
        let walk = Walk {
            known: current.walk.known.clone(),
            back_to: Some(current.n),
            ..Walk::default()
        };
        Ok(Next { step, walk })
    }

    /// Starts a session from search words: the full-text results to choose from.
    pub async fn start_search(&self, q: &str) -> Result<Session, WizardError> {
        if q.trim().is_empty() {
            return Err(WizardError::EmptyInput(
                "The search is empty: type some words from the error or the problem.".into(),
            ));
        }
        let step = self.search_step(q, None).await?;
        let session = self.create(Origin::Search, q, &[], None, step).await?;
        self.file_search(&session.id, q).await?;
        Ok(session)
    }

    /// Starts a session from an article, as if it had been chosen.
    pub async fn start_article(&self, id: ArticleId) -> Result<Session, WizardError> {
        self.start_article_with(id, Known::default()).await
    }

    /// Starts a session from an article with facts already known (the product and version
    /// the user runs, the event already recognised as the article's), so the checks those
    /// settle are not asked. The recognised event is listed as what was recognised.
    pub async fn start_article_with(
        &self,
        id: ArticleId,
        known: Known,
    ) -> Result<Session, WizardError> {
        let entry = self.article(id).await?.ok_or(WizardError::NoArticle(id))?;
        let key = article_event_key(entry.article());
        let recognised: Vec<String> = known.event.iter().cloned().collect();
        let walk = Walk {
            known,
            ..Walk::default()
        };
        let next = self.enter(&entry, walk, key.as_deref(), None).await?;
        let id_text = id.to_string();
        self.create_with_walk(Origin::Article, &id_text, &recognised, key, next)
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
        let stored_bytes = rows.iter().map(|r| r.step.len() as i64).sum();
        let mut steps = Vec::with_capacity(rows.len());
        for r in rows {
            let stored: Stored = serde_json::from_str(&r.step)?;
            steps.push(HistoryStep {
                n: r.n,
                step: stored.step,
                walk: stored.walk,
                // Parsed once, here: every stored answer was written by `Given::stored`.
                answer: r.answer.as_deref().and_then(|a| a.parse().ok()),
                shown_at: r.shown_at,
                answered_at: r.answered_at,
            });
        }
        if steps.is_empty() {
            return Err(WizardError::NoSession);
        }
        let recognised = serde_json::from_str(&row.recognised)?;
        let handoff = self.store.handoff(id.as_str()).await?;
        Ok(Session {
            id: id.clone(),
            row,
            recognised,
            steps,
            handoff,
            stored_bytes,
        })
    }

    /// Answers the current step. `expected` is the step number the answer was given on,
    /// when known, so an answer from a stale page is refused rather than applied to a
    /// later step (JSON clients may leave it out). The session is unchanged on any error:
    /// a finished session takes only `back`, and a full one ([`MAX_STEPS`]) nothing else.
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
        let back = raw.parse::<Answer>() == Ok(Answer::Back);
        open_for(&session, back)?;
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
            let mut next = self.transition(&session, answer).await?;
            if keeps_others(&current.step, &next.step) {
                offer_others(&mut next.step);
            }
            next
        };
        self.advance(&session, &Given::Answer(answer), next).await?;
        self.load(id).await
    }

    /// Saves what the user wrote for the helpdesk with the session (replacing what they
    /// wrote before), each field trimmed and bounded (`handoff::note`).
    pub async fn save_handoff(
        &self,
        id: &SessionId,
        note: &super::handoff::HandoffNote,
    ) -> Result<Session, WizardError> {
        let handoff = super::handoff::checked(note, crate::clock::unix_now())
            .map_err(WizardError::EmptyInput)?;
        if !self.store.save_handoff(id.as_str(), &handoff).await? {
            return Err(WizardError::NoSession);
        }
        self.load(id).await
    }

    /// Answers the current step from a page's form, which must say which step it answers
    /// (`step`, as sent): without it a stale page's answer could land on a later step.
    pub async fn answer_form(
        &self,
        id: &SessionId,
        raw: &str,
        step: Option<&str>,
    ) -> Result<Session, WizardError> {
        let step = step.map(str::trim).filter(|s| !s.is_empty());
        let Some(step) = step else {
            // No such session is said before a missing step number.
            self.load(id).await?;
            return Err(WizardError::MissingStep);
        };
        // A number no step has (too long, not a number) is a stale page, as a wrong one is.
        let n = step.parse::<i64>().unwrap_or(-1);
        self.answer(id, raw, Some(n)).await
    }

    /// Replaces the current step with a new choose_article over search results, so
    /// "none of these" can be refined without starting over. Not on a finished session,
    /// nor past [`MAX_STEPS`].
    pub async fn refine(&self, id: &SessionId, q: &str) -> Result<Session, WizardError> {
        if q.trim().is_empty() {
            return Err(WizardError::EmptyInput(
                "The search is empty: type some words from the error or the problem.".into(),
            ));
        }
        // However long the words sent, the step, its answer and the search key keep (and the
        // search reads) a bounded, marked copy.
        let kept = super::cap_input(q);
        let q = kept.as_deref().unwrap_or(q);
        let session = self.load(id).await?;
        // Before the search: a refused refine costs one read.
        open_for(&session, false)?;
        let current = session.current();
        let step = self.search_step(q, Some(current.n)).await?;
        let walk = Walk {
            considered: current.walk.considered.clone(),
            back_to: Some(current.n),
            ..Walk::default()
        };
        let given = Given::Search(q.trim().to_string());
        self.advance(&session, &given, Next { step, walk }).await?;
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
                let entry = self.article(id).await?.ok_or(WizardError::NoArticle(id))?;
                let key = key.or_else(|| article_event_key(entry.article()));
                let confirmed = paste_confirms(session, entry.article());
                self.enter(&entry, walk, key.as_deref(), confirmed).await
            }
            (_, Answer::Others) => self.others(session).await,
            (StepKind::ChooseArticle | StepKind::Related, Answer::None) => {
                let text = session.escalation_transcript(current.n);
                Ok(Next {
                    step: escalated_step(text),
                    walk,
                })
            }
            (_, a) => {
                let id = step.article.ok_or_else(invalid)?;
                let entry = self.article(id).await?.ok_or(WizardError::NoArticle(id))?;
                let article = entry.article();
                let diag = diagnosis(&entry);
                let ctx = Ctx {
                    article,
                    diag: &diag,
                };
                if matches!(step.kind, StepKind::TryResolution | StepKind::TryWorkaround)
                    && a == Answer::Fixed
                {
                    return Ok(Next {
                        step: resolved_step(article, step.cause.clone()),
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
        entry: &CachedArticle,
        walk: Walk,
        key: Option<&str>,
        confirmed: Option<String>,
    ) -> Result<Next, WizardError> {
        let article = entry.article();
        let diag = diagnosis(entry);
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

    async fn advance(
        &self,
        session: &Session,
        given: &Given,
        next: Next,
    ) -> Result<(), WizardError> {
        let current = session.current();
        let (outcome, resolved_article, resolved_cause) = match next.step.kind {
            StepKind::Resolved => (
                Some(Outcome::Resolved),
                next.step.article.map(|a| i64::from(a.0)),
                next.step.cause.as_ref().map(|c| c.index as i64),
            ),
            StepKind::Escalated => (Some(Outcome::Escalated), None, None),
            _ => (None, None, None),
        };
        // The event an article-less paste was about is learnt from the first article chosen.
        let event_key = match (&session.row.event_key, next.step.article) {
            (None, Some(id)) if current.step.kind == StepKind::ChooseArticle => {
                let entry = self.article(id).await?;
                entry.and_then(|e| article_event_key(e.article()))
            }
            _ => None,
        };
        let back = matches!(given, Given::Answer(Answer::Back));
        let next = new_step(&next.step, &next.walk)?;
        if session.stored_bytes + next.step.len() as i64 > bytes_allowed(back) {
            return Err(WizardError::TooLarge);
        }
        let advance = Advance {
            answered_n: current.n,
            // The store checks these again in the update itself: the session may have
            // changed since it was read.
            reopens: back,
            max_n: steps_allowed(back),
            max_bytes: bytes_allowed(back),
            answer: given.stored(),
            ended_kind: outcome.map(|_| current.step.kind),
            outcome,
            resolved_article,
            resolved_cause,
            event_key,
            next,
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
        origin: Origin,
        input: &str,
        recognised: &[String],
        key: Option<String>,
        step: WizardStep,
    ) -> Result<Session, WizardError> {
        let next = Next {
            step,
            walk: Walk::default(),
        };
        self.create_with_walk(origin, input, recognised, key, next)
            .await
    }

    /// Stores a new session with its first step; returns it as [`Wizard::load`] would read
    /// it back, without reading it back.
    async fn create_with_walk(
        &self,
        origin: Origin,
        input: &str,
        recognised: &[String],
        key: Option<String>,
        next: Next,
    ) -> Result<Session, WizardError> {
        let id = SessionId::generate()?;
        let new = NewSession {
            id: id.to_string(),
            origin,
            input: input.into(),
            recognised: serde_json::to_string(recognised)?,
            event_key: key,
            first: new_step(&next.step, &next.walk)?,
            created_at: crate::clock::unix_now(),
            client: self.client.clone(),
        };
        self.store.create_session(&new).await?;
        Ok(Session::started(
            id,
            new,
            recognised.to_vec(),
            next.step,
            next.walk,
        ))
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
            .searcher
            .search(q, &Default::default(), 0, CANDIDATES)
            .await?
            .results;
        let mut options = Vec::new();
        for h in hits {
            options.push(StepOption {
                value: h.id.to_string(),
                label: format!("{}: {}", h.id, h.title),
                article: Some(h.id),
                // The symptom says what the article is about; the words it matched would
                // only repeat the search.
                detail: self.symptom_of(h.id).await?,
                reasons: Vec::new(),
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
        let inputs = self.related_inputs(article, key.as_deref()).await?;
        let feedback = self.feedback(key.as_deref()).await?;
        let candidates = related_candidates(article, &inputs, &walk.considered, &feedback);
        let ids: Vec<ArticleId> = candidates.iter().map(|c| c.id).collect();
        let catalogue = self.store.catalogue_ids(&ids).await?;
        let options = related_options(candidates, &catalogue, &why);
        Ok(Next {
            step: related_step(article, options, &why),
            walk,
        })
    }

    /// What the store knows around `article`: its cited articles present, those citing it,
    /// those of the same title, and those about the event's source.
    async fn related_inputs(
        &self,
        article: &Article,
        key: Option<&str>,
    ) -> Result<RelatedInputs, WizardError> {
        let cited: Vec<ArticleId> = article.references.iter().map(|r| r.id).collect();
        let present: HashMap<ArticleId, String> = self
            .store
            .summaries(&cited)
            .await?
            .into_iter()
            .map(|s| (s.id, s.title))
            .collect();
        let source_key = key
            .and_then(|k| k.split_once(':'))
            .map(|(_, s)| s)
            .filter(|s| !s.is_empty());
        let (same_source, source) = match source_key {
            Some(s) => (
                self.store.source_articles(s, 20).await?,
                self.store.source_name(s).await?,
            ),
            None => (Vec::new(), None),
        };
        Ok(RelatedInputs {
            present,
            citing: self.store.referenced_by(article.id).await?,
            siblings: self.store.same_title(article.id, 10).await?,
            same_source,
            source,
        })
    }

    /// The article with its diagnosis, decoded once per import (`Store::cached_article`).
    async fn article(&self, id: ArticleId) -> Result<Option<Arc<CachedArticle>>, WizardError> {
        Ok(self.store.cached_article(id).await?)
    }

    async fn symptom_of(&self, id: ArticleId) -> Result<Option<String>, WizardError> {
        Ok(self
            .article(id)
            .await?
            .map(|a| symptom(a.article()))
            .filter(|s| !s.is_empty()))
    }

    async fn feedback(&self, key: Option<&str>) -> Result<Feedback, WizardError> {
        Ok(match key {
            Some(k) => Feedback::from_counts(&self.store.recent_resolution_counts(k).await?),
            None => Feedback::default(),
        })
    }
}

/// The step number a change may start from (exclusive): `back` has a little slack, to
/// reopen a finished or full session.
fn steps_allowed(back: bool) -> i64 {
    if back {
        MAX_STEPS + BACK_SLACK
    } else {
        MAX_STEPS
    }
}

/// The bytes a session may store in all after a change; `back` has a little slack.
fn bytes_allowed(back: bool) -> i64 {
    if back {
        MAX_SESSION_BYTES + MAX_SESSION_BYTES / 4
    } else {
        MAX_SESSION_BYTES
    }
}

/// Whether `session` takes a change: a finished one only `back`, a full one nothing but
/// `back` (within its slack).
fn open_for(session: &Session, back: bool) -> Result<(), WizardError> {
    if let Some(outcome) = session.row.outcome
        && !back
    {
        return Err(WizardError::Finished(outcome));
    }
    if session.current().n >= steps_allowed(back) {
        return Err(WizardError::TooManySteps);
    }
    Ok(())
}

/// The article's stored diagnosis; made afresh only when the database predates them.
fn diagnosis(entry: &CachedArticle) -> Cow<'_, Diagnosis> {
    match &entry.diagnosis {
        Some(d) => Cow::Borrowed(d),
        None => Cow::Owned(kb::diagnose(entry.article())),
    }
}

fn new_step(step: &WizardStep, walk: &Walk) -> Result<NewStep, WizardError> {
    Ok(NewStep {
        kind: step.kind,
        article: step.article.map(|a| i64::from(a.0)),
        cause_index: step.cause.as_ref().map(|c| c.index as i64),
        step: serde_json::to_string(&StoredRef { step, walk })?,
    })
}
