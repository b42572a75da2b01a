//! A session as read back: its stored row, what was recognised, and every step with the
//! walk behind it and what it was given; the transcript of it all. Pure.

use super::plan::Walk;
use super::transcript::{self, Header};
use super::{Answer, Given, Outcome, SessionId, WizardStep};
use crate::store::{Handoff, NewSession, SessionRow};
use serde::{Deserialize, Serialize};

/// A step row's JSON: the step as shown and the walk behind it.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Stored {
    pub(super) step: WizardStep,
    pub(super) walk: Walk,
}

/// [`Stored`] as written: the same JSON, serialised from borrowed parts.
#[derive(Debug, Serialize)]
pub(super) struct StoredRef<'a> {
    pub(super) step: &'a WizardStep,
    pub(super) walk: &'a Walk,
}

/// One step of a session's history.
#[derive(Debug, Clone)]
pub struct HistoryStep {
    /// Its number, from 1.
    pub n: i64,
    /// The step as shown.
    pub step: WizardStep,
    /// What it was given, `None` for the current step.
    pub answer: Option<Given>,
    /// Unix seconds it was shown.
    pub shown_at: i64,
    /// Unix seconds of the answer.
    pub answered_at: Option<i64>,
    pub(super) walk: Walk,
}

/// A session with its whole history.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: SessionId,
    /// The stored session.
    pub row: SessionRow,
    /// What the paste was recognised as.
    pub recognised: Vec<String>,
    /// Every step shown, in order; the last is the current one.
    pub steps: Vec<HistoryStep>,
    /// What the user wrote for the helpdesk, when they did.
    pub handoff: Option<Handoff>,
    /// The bytes its steps take in the store, together (see `MAX_SESSION_BYTES`).
    pub stored_bytes: i64,
}

impl Session {
    /// A session just stored from `new`, as it reads back: its first step current.
    pub(super) fn started(
        id: SessionId,
        new: NewSession,
        recognised: Vec<String>,
        step: WizardStep,
        walk: Walk,
    ) -> Self {
        let t = new.created_at;
        Session {
            row: SessionRow {
                id: new.id,
                created_at: t,
                updated_at: t,
                origin: new.origin,
                input: new.input,
                recognised: new.recognised,
                event_key: new.event_key,
                current_n: 1,
                current_kind: new.first.kind,
                outcome: None,
                ended_kind: None,
                resolved_article: None,
                resolved_cause: None,
            },
            stored_bytes: new.first.step.len() as i64,
            id,
            recognised,
            steps: vec![HistoryStep {
                n: 1,
                step,
                answer: None,
                shown_at: t,
                answered_at: None,
                walk,
            }],
            handoff: None,
        }
    }

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
        let steps: Vec<(&WizardStep, Option<Given>)> = self
            .steps
            .iter()
            .map(|s| (&s.step, s.answer.clone()))
            .collect();
        transcript::transcript(&self.header(self.row.outcome), &steps)
    }

    pub(super) fn header(&self, outcome: Option<Outcome>) -> Header<'_> {
        Header {
            id: self.id.as_str(),
            origin: self.row.origin,
            input: &self.row.input,
            recognised: &self.recognised,
            started: self.row.created_at,
            outcome,
            handoff: self.handoff.as_ref(),
        }
    }

    /// The transcript as it stands when `here` is answered "none".
    pub fn escalation_transcript(&self, here: i64) -> String {
        let steps: Vec<(&WizardStep, Option<Given>)> = self
            .steps
            .iter()
            .map(|s| {
                let given = if s.n == here {
                    Some(Given::Answer(Answer::None))
                } else {
                    s.answer.clone()
                };
                (&s.step, given)
            })
            .collect();
        transcript::transcript(&self.header(Some(Outcome::Escalated)), &steps)
    }
}
