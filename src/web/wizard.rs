//! The wizard's pages and JSON: starting a session (paste, search, article), showing and
//! answering its steps, each step at its own URL, and the transcript as plain text.

use super::extract::{ApiJson, HtmlForm};
use super::guard::StartClient;
use super::{ApiError, AppState, WebError};
use crate::kb::ArticleId;
use crate::store::Handoff;
use crate::wizard::handoff::{HandoffNote, MAX_FIELD, MAX_TRIED};
use crate::wizard::transcript::utc;
use crate::wizard::{
    Answer, CauseRef, ChecklistItem, Given, HistoryStep, ItemKind, Outcome, Session, SessionId,
    StepKind, StepOption, Wizard, WizardError, WizardStep,
};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;

/// This feature's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/troubleshoot", post(start_paste))
        .route("/troubleshoot/search", post(start_search))
        .route("/troubleshoot/article/{id}", post(start_article))
        .route("/wizard/{id}", get(current_page).post(answer_form))
        .route("/wizard/{id}/search", post(refine_form))
        .route("/wizard/{id}/step/{n}", get(step_page))
        .route("/wizard/{id}/transcript.txt", get(transcript_txt))
        .route("/wizard/{id}/handoff", post(handoff_form))
        .route("/api/wizard", post(start_api))
        .route("/api/wizard/{id}", get(session_api))
        .route("/api/wizard/{id}/answer", post(answer_api))
        .route("/api/wizard/{id}/search", post(refine_api))
        .route("/api/wizard/{id}/handoff", post(handoff_api))
        // A step page changes with every answer: reloads and Back must ask again.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

fn wizard(state: &AppState) -> Wizard<'_> {
    Wizard::new(&state.store, &state.matcher, &state.searcher)
}

/// The wizard for a start route: sessions kept as the guard's client (`guard::StartClient`).
fn starter(state: &AppState, client: Option<Extension<StartClient>>) -> Wizard<'_> {
    wizard(state).for_client(client.map(|Extension(c)| c.0))
}

fn session_id(raw: &str) -> Result<SessionId, WizardError> {
    raw.parse()
}

fn to_session(id: &SessionId) -> Response {
    Redirect::to(&format!("/wizard/{id}")).into_response()
}

/// After an answer, the new step at its own URL: the browser's history then holds one
/// entry per step, so its Back button shows the step before.
fn to_step(session: &Session) -> Response {
    Redirect::to(&format!(
        "/wizard/{}/step/{}",
        session.id,
        session.current().n
    ))
    .into_response()
}

/// Starts a session from pasted text, a large paste parsed and matched on a core of its
/// own (`web::cpu`).
async fn start_paste_off_workers(
    state: &AppState,
    client: Option<Extension<StartClient>>,
    text: String,
) -> Result<Result<Session, WizardError>, WebError> {
    let key = client.map(|Extension(c)| c.0);
    let owned = state.clone();
    let size = text.len();
    let work = async move { wizard(&owned).for_client(key).start_paste(&text).await };
    state.cpu.run(size, work).await
}

/// The home page's paste form.
#[derive(Debug, Deserialize)]
struct PasteForm {
    #[serde(default)]
    text: String,
}

/// A search form (home page, "none of these").
#[derive(Debug, Deserialize)]
struct SearchForm {
    #[serde(default)]
    q: String,
}

/// A step's form: the answer and the number of the step it was given on.
#[derive(Debug, Deserialize)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
    /// Required (the wizard refuses an answer without it), but read here as optional so
    /// that its absence gets the wizard's own message.
    step: Option<String>,
}

async fn start_paste(
    State(state): State<AppState>,
    client: Option<Extension<StartClient>>,
    HtmlForm(form): HtmlForm<PasteForm>,
) -> Result<Response, WebError> {
    match start_paste_off_workers(&state, client, form.text.clone()).await? {
        Ok(session) => Ok(to_session(&session.id)),
        Err(WizardError::EmptyInput(message)) => {
            let html = super::pages::home_page(&state, form.text, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn start_search(
    State(state): State<AppState>,
    client: Option<Extension<StartClient>>,
    HtmlForm(form): HtmlForm<SearchForm>,
) -> Result<Response, WebError> {
    let session = starter(&state, client).start_search(&form.q).await?;
    Ok(to_session(&session.id))
}

async fn start_article(
    State(state): State<AppState>,
    client: Option<Extension<StartClient>>,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let id: ArticleId = raw.parse().map_err(|_| {
        WebError::NotFound(format!(
            "{} is not an article number; they look like Q168465.",
            super::error::quoted_or(&raw, "That")
        ))
    })?;
    let session = starter(&state, client).start_article(id).await?;
    Ok(to_session(&session.id))
}

async fn current_page(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Html<String>, WebError> {
    let session = wizard(&state).load(&session_id(&raw)?).await?;
    Ok(Html(render(&session, session.current())?))
}

async fn step_page(
    State(state): State<AppState>,
    Path((raw, n)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let session = wizard(&state).load(&session_id(&raw)?).await?;
    let step = n
        .parse::<i64>()
        .ok()
        .and_then(|n| session.step(n))
        .ok_or_else(|| WebError::NotFound(format!("This session has no step {n:.20}.")))?;
    Ok(Html(render(&session, step)?))
}

async fn answer_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    HtmlForm(form): HtmlForm<AnswerForm>,
) -> Result<Response, WebError> {
    let id = session_id(&raw)?;
    let session = wizard(&state)
        .answer_form(&id, &form.answer, form.step.as_deref())
        .await?;
    Ok(to_step(&session))
}

async fn refine_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    HtmlForm(form): HtmlForm<SearchForm>,
) -> Result<Response, WebError> {
    let id = session_id(&raw)?;
    let session = wizard(&state).refine(&id, &form.q).await?;
    Ok(to_step(&session))
}

/// The hand-off form: saved with the session, then the page again, showing it saved.
async fn handoff_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    HtmlForm(note): HtmlForm<HandoffNote>,
) -> Result<Response, WebError> {
    let id = session_id(&raw)?;
    let session = wizard(&state).save_handoff(&id, &note).await?;
    let to = format!("/wizard/{id}/step/{}#handoff", session.current().n);
    Ok(Redirect::to(&to).into_response())
}

async fn handoff_api(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    ApiJson(note): ApiJson<HandoffNote>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = session_id(&raw)?;
    let session = wizard(&state).save_handoff(&id, &note).await?;
    let mut body = step_json(&session);
    body["handoff"] = handoff_json(session.handoff.as_ref());
    body["transcript"] = serde_json::Value::String(session.transcript());
    Ok(Json(body))
}

/// The user's hand-off note as JSON, `null` when none was written.
fn handoff_json(h: Option<&Handoff>) -> serde_json::Value {
    match h {
        Some(h) => serde_json::json!({
            "name": h.name,
            "machine": h.machine,
            "contact": h.contact,
            "tried": h.tried,
            "saved_at": h.saved_at,
        }),
        None => serde_json::Value::Null,
    }
}

async fn transcript_txt(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let session = wizard(&state).load(&session_id(&raw)?).await?;
    let mut res = session.transcript().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(res)
}

/// The body of `POST /api/wizard`: one of pasted text, an article to start from, or words.
#[derive(Debug, Deserialize)]
struct StartRequest {
    text: Option<String>,
    article: Option<String>,
    q: Option<String>,
}

/// The body of `POST /api/wizard/{id}/answer`.
#[derive(Debug, Deserialize)]
struct AnswerRequest {
    answer: String,
    step: Option<i64>,
}

/// The body of `POST /api/wizard/{id}/search`.
#[derive(Debug, Deserialize)]
struct RefineRequest {
    q: String,
}

/// A session's id and current step, as the JSON routes return them.
#[derive(Serialize)]
struct StepJson<'a> {
    id: &'a str,
    n: i64,
    outcome: Option<Outcome>,
    step: &'a WizardStep,
}

/// One answered (or current) step of the history.
#[derive(Serialize)]
struct HistoryJson<'a> {
    n: i64,
    kind: StepKind,
    article: Option<ArticleId>,
    cause_index: Option<usize>,
    prompt: &'a str,
    answer: Option<String>,
    shown_at: i64,
    answered_at: Option<i64>,
}

/// The session's id and current step, serialised straight into a response.
fn step_view(session: &Session) -> StepJson<'_> {
    let current = session.current();
    StepJson {
        id: session.id.as_str(),
        n: current.n,
        outcome: session.row.outcome,
        step: &current.step,
    }
}

fn step_json(session: &Session) -> serde_json::Value {
    serde_json::to_value(step_view(session)).unwrap_or_default()
}

async fn start_api(
    State(state): State<AppState>,
    client: Option<Extension<StartClient>>,
    ApiJson(req): ApiJson<StartRequest>,
) -> Result<Response, ApiError> {
    let w = starter(&state, client.clone());
    // The session as stored, without reading it back.
    let session = match (req.text, req.article, req.q) {
        (Some(text), None, None) => start_paste_off_workers(&state, client, text).await??,
        (None, Some(article), None) => {
            let id: ArticleId = article
                .parse()
                .map_err(|e: crate::kb::BadArticleId| WebError::unprocessable(e.to_string()))?;
            w.start_article(id).await?
        }
        (None, None, Some(q)) => w.start_search(&q).await?,
        _ => {
            return Err(ApiError(WebError::unprocessable(
                "send exactly one of \"text\" (pasted event), \"article\" (an id such \
                 as Q168465) or \"q\" (search words)",
            )));
        }
    };
    let id = &session.id;
    let mut res = Json(step_view(&session)).into_response();
    *res.status_mut() = StatusCode::CREATED;
    if let Ok(v) = HeaderValue::from_str(&format!("/api/wizard/{id}")) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

async fn session_api(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let session = wizard(&state).load(&session_id(&raw)?).await?;
    let history: Vec<HistoryJson> = session
        .steps
        .iter()
        .map(|s| HistoryJson {
            n: s.n,
            kind: s.step.kind,
            article: s.step.article,
            cause_index: s.step.cause.as_ref().map(|c| c.index),
            prompt: &s.step.prompt,
            answer: s.answer.as_ref().map(Given::stored),
            shown_at: s.shown_at,
            answered_at: s.answered_at,
        })
        .collect();
    let mut body = step_json(&session);
    body["history"] = serde_json::to_value(history).unwrap_or_default();
    if session.handoff.is_some() {
        body["handoff"] = handoff_json(session.handoff.as_ref());
    }
    Ok(Json(body))
}

async fn answer_api(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    ApiJson(req): ApiJson<AnswerRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = session_id(&raw)?;
    let session = wizard(&state).answer(&id, &req.answer, req.step).await?;
    Ok(Json(step_json(&session)))
}

async fn refine_api(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    ApiJson(req): ApiJson<RefineRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = session_id(&raw)?;
    let session = wizard(&state).refine(&id, &req.q).await?;
    Ok(Json(step_json(&session)))
}

/// An answer button.
struct OptionView {
    /// Whether it is a way out rather than an answer ("not this one", "none of these"
    /// beside articles): shown quieter than the answers.
    secondary: bool,
    value: String,
    label: String,
    article: Option<String>,
    detail: String,
    reasons: Vec<String>,
    confidence: String,
}

/// A run of a checklist line's text: plain, or a registry path to show as code with a copy
/// button.
struct Segment {
    text: String,
    code: bool,
}

/// A checklist line.
struct ItemView {
    kind: &'static str,
    number: String,
    depth: u8,
    text: String,
    /// `warning`, `caution`, `important` or `note` when the line is one of those
    /// paragraphs, shown as a callout; empty otherwise.
    callout: &'static str,
    /// The callout's label as shown ("Warning").
    label: &'static str,
    /// The text in runs, registry paths apart (the callout's label left out).
    segments: Vec<Segment>,
}

/// A link in the step history.
struct HistoryView {
    n: i64,
    label: String,
    answer: String,
    shown: bool,
}

/// The hand-off form's fields, as saved (empty before).
#[derive(Default)]
struct HandoffView {
    name: String,
    machine: String,
    contact: String,
    tried: String,
    /// When it was saved, empty while unsaved.
    saved: String,
}

#[derive(Template)]
#[template(path = "wizard.html")]
struct WizardPage {
    id: String,
    n: i64,
    current_n: i64,
    is_current: bool,
    kind: &'static str,
    kind_label: &'static str,
    /// The page's heading: the prompt, or on a fix what to do before the question.
    heading: String,
    /// The question the answers answer.
    question: String,
    /// "about 3 more" after "Step 3", empty when the plan gives no count.
    progress: String,
    article: Option<String>,
    title: String,
    /// The article's symptom in a sentence, on steps that do not show it in full.
    context: String,
    recognised: Vec<String>,
    cause: Option<CauseRef>,
    section: String,
    items: Vec<ItemView>,
    summary: String,
    message: Option<String>,
    explanation: String,
    note: String,
    branch: String,
    /// Whether the answers follow a fix: they stay in view at the foot of the screen while
    /// the fix is read.
    is_fix: bool,
    options: Vec<OptionView>,
    can_back: bool,
    answer: String,
    query: String,
    choosing: bool,
    transcript: Option<String>,
    /// Whether the hand-off form is shown (the current escalated step).
    handing_off: bool,
    handoff: HandoffView,
    max_field: usize,
    max_tried: usize,
    outcome: String,
    history: Vec<HistoryView>,
}

/// The callouts a fix's paragraphs open with, and how each is shown.
const CALLOUTS: [(&str, &str, &str); 4] = [
    ("WARNING", "warning", "Warning"),
    ("CAUTION", "caution", "Caution"),
    ("IMPORTANT", "important", "Important"),
    ("NOTE", "note", "Note"),
];

/// The callout a paragraph opens with ("WARNING: ...", "Note ..."), and the text after its
/// word.
fn callout(text: &str) -> Option<(&'static str, &'static str, &str)> {
    let t = text.trim_start();
    CALLOUTS.iter().find_map(|(word, class, label)| {
        let head = t.get(..word.len())?;
        if !head.eq_ignore_ascii_case(word) {
            return None;
        }
        let rest = &t[word.len()..];
        // The word alone ("NOTE:", "Note "), not the start of another ("Notepad").
        let rest = rest
            .strip_prefix(':')
            .or_else(|| rest.strip_prefix(" :"))
            .or_else(|| rest.starts_with(char::is_whitespace).then_some(rest))?;
        // Only the capitalised word opens a callout: "note that ..." is prose.
        head.starts_with(|c: char| c.is_uppercase())
            .then_some((*class, *label, rest.trim_start()))
    })
}

/// `text` in runs, each registry path (`HKEY_...` up to the next space) apart as code.
fn segments(text: &str) -> Vec<Segment> {
    const ROOTS: [&str; 6] = ["HKEY_", "HKLM\\", "HKCU\\", "HKCR\\", "HKU\\", "HKCC\\"];
    let mut out: Vec<Segment> = Vec::new();
    let mut plain = String::new();
    for (i, word) in text.split(' ').enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let start = word.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(0);
        let (lead, body) = word.split_at(start);
        if ROOTS.iter().any(|r| body.starts_with(r)) && body.contains('\\') {
            let end = body
                .trim_end_matches(['.', ',', ';', ':', ')', '"', '\''])
                .len();
            plain.push_str(sep);
            plain.push_str(lead);
            out.push(Segment {
                text: std::mem::take(&mut plain),
                code: false,
            });
            out.push(Segment {
                text: body[..end].to_string(),
                code: true,
            });
            plain.push_str(&body[end..]);
        } else {
            plain.push_str(sep);
            plain.push_str(word);
        }
    }
    if !plain.is_empty() || out.is_empty() {
        out.push(Segment {
            text: plain,
            code: false,
        });
    }
    out.retain(|s| s.code || !s.text.is_empty());
    out
}

/// A fix's prompt split into what to do and the question ("Work through these steps." /
/// "Did this fix it?"), so the page can show the fix before the question. A prompt that is
/// only a question is both.
fn split_question(prompt: &str) -> (String, String) {
    let p = prompt.trim();
    let sentences = crate::kb::sentences(p);
    match sentences.split_last() {
        Some((last, lead)) if last.ends_with('?') && !lead.is_empty() => {
            (lead.join(" "), last.to_string())
        }
        _ => (p.to_string(), p.to_string()),
    }
}

impl From<&ChecklistItem> for ItemView {
    fn from(i: &ChecklistItem) -> Self {
        let kind = match i.kind {
            ItemKind::Step => "step",
            ItemKind::Bullet => "bullet",
            ItemKind::Text => "text",
            ItemKind::Pre => "pre",
            ItemKind::Heading => "heading",
        };
        let called = matches!(i.kind, ItemKind::Text | ItemKind::Bullet)
            .then(|| callout(&i.text))
            .flatten();
        let (callout, label, body) = called.unwrap_or(("", "", i.text.as_str()));
        ItemView {
            kind,
            number: i.number.map(|n| format!("{n}.")).unwrap_or_default(),
            depth: i.depth,
            text: i.text.clone(),
            callout,
            label,
            segments: segments(body),
        }
    }
}

impl OptionView {
    /// The option `o` of a step whose options offer articles when `articles` is true.
    fn new(o: &StepOption, articles: bool) -> Self {
        let secondary =
            o.value == Answer::Others.value() || (articles && o.value == Answer::None.value());
        OptionView {
            secondary,
            value: o.value.clone(),
            label: o.label.clone(),
            article: o.article.map(|a| a.to_string()),
            detail: o.detail.clone().unwrap_or_default(),
            reasons: o.reasons.clone(),
            confidence: o
                .confidence
                .map(|c| format!("{:.0}%", c * 100.0))
                .unwrap_or_default(),
        }
    }
}

impl From<&Handoff> for HandoffView {
    fn from(h: &Handoff) -> Self {
        HandoffView {
            name: h.name.clone(),
            machine: h.machine.clone(),
            contact: h.contact.clone(),
            tried: h.tried.clone(),
            saved: utc(h.saved_at),
        }
    }
}

/// The label of the option a step was answered with (the answer itself when none has it);
/// empty while unanswered.
fn answer_label(s: &HistoryStep) -> String {
    let Some(given) = &s.answer else {
        return String::new();
    };
    let value = given.stored();
    s.step
        .options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(&value))
        .map(|o| o.label.clone())
        .unwrap_or(value)
}

/// The history links, step `shown` marked.
fn history_views(session: &Session, shown: i64) -> Vec<HistoryView> {
    session
        .steps
        .iter()
        .map(|s| HistoryView {
            n: s.n,
            label: match (s.step.kind, s.step.article) {
                (k, Some(a)) => format!("{} ({a})", k.label()),
                (k, None) => k.label().to_string(),
            },
            answer: answer_label(s),
            shown: s.n == shown,
        })
        .collect()
}

/// "about 3 more" for a step with stages left, "this is the last question" for none.
fn progress(step: &WizardStep) -> String {
    match (step.kind, step.remaining) {
        (StepKind::Resolved | StepKind::Escalated, _) | (_, None) => String::new(),
        (_, Some(0)) => "the last step for this article".into(),
        (_, Some(n)) => format!("about {n} more"),
    }
}

impl WizardPage {
    /// Step `shown` of `session` (the current one or one from its history).
    fn new(session: &Session, shown: &HistoryStep) -> Self {
        let step = &shown.step;
        let current = session.current();
        let is_current = shown.n == current.n;
        let back = Answer::Back.value();
        let is_fix = matches!(step.kind, StepKind::TryResolution | StepKind::TryWorkaround);
        let (heading, question) = if is_fix {
            split_question(&step.prompt)
        } else {
            (step.prompt.clone(), step.prompt.clone())
        };
        let handing_off = is_current && step.kind == StepKind::Escalated;
        // The escalated step as it stands now shows the transcript as it stands now: with
        // the user's hand-off note once they write it.
        let transcript = match &step.transcript {
            Some(_) if handing_off => Some(session.transcript()),
            t => t.clone(),
        };
        WizardPage {
            id: session.id.to_string(),
            n: shown.n,
            current_n: current.n,
            is_current,
            kind: step.kind.as_str(),
            kind_label: step.kind.label(),
            heading,
            question,
            progress: progress(step),
            article: step.article.map(|a| a.to_string()),
            title: step.title.clone().unwrap_or_default(),
            context: match step.kind {
                // The symptom step shows the symptom in full.
                StepKind::CheckSymptom => String::new(),
                _ => step.context.clone().unwrap_or_default(),
            },
            recognised: step.recognised.clone(),
            cause: step.cause.clone(),
            section: step.section.clone().unwrap_or_default(),
            items: step.items.iter().map(ItemView::from).collect(),
            summary: step.summary.clone().unwrap_or_default(),
            message: step.message.clone(),
            explanation: step.explanation.clone().unwrap_or_default(),
            note: step.note.clone().unwrap_or_default(),
            branch: step.branch.clone().unwrap_or_default(),
            is_fix,
            options: step
                .options
                .iter()
                .filter(|o| o.value != back)
                .map(|o| OptionView::new(o, step.options.iter().any(|o| o.article.is_some())))
                .collect(),
            can_back: step.can_go_back(),
            answer: answer_label(shown),
            query: step.query.clone().unwrap_or_default(),
            choosing: step.kind == StepKind::ChooseArticle,
            transcript,
            handing_off,
            handoff: session
                .handoff
                .as_ref()
                .map(HandoffView::from)
                .unwrap_or_default(),
            max_field: MAX_FIELD,
            max_tried: MAX_TRIED,
            outcome: session
                .row
                .outcome
                .map(|o| o.to_string())
                .unwrap_or_default(),
            history: history_views(session, shown.n),
        }
    }
}

fn render(session: &Session, shown: &HistoryStep) -> Result<String, WebError> {
    Ok(WizardPage::new(session, shown).render()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callouts_are_the_capitalised_word_alone() {
        for (text, want) in [
            (
                "WARNING: If you use Registry Editor",
                Some(("warning", "If you use Registry Editor")),
            ),
            (
                "NOTE: Restart the computer.",
                Some(("note", "Restart the computer.")),
            ),
            (
                "Note You must be logged on.",
                Some(("note", "You must be logged on.")),
            ),
            (
                "CAUTION : Back up first.",
                Some(("caution", "Back up first.")),
            ),
            (
                "IMPORTANT: This article",
                Some(("important", "This article")),
            ),
            ("Notepad opens the file.", None),
            ("note that the file is there.", None),
            ("WARNINGS are logged.", None),
            ("Run Setup.", None),
        ] {
            let got = callout(text).map(|(class, _, rest)| (class, rest));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn registry_paths_stand_apart_as_code() {
        let runs = |t: &str| -> Vec<(String, bool)> {
            segments(t).into_iter().map(|s| (s.text, s.code)).collect()
        };
        let p = |s: &str| (s.to_string(), false);
        let c = |s: &str| (s.to_string(), true);
        for (text, want) in [
            ("Run Setup again.", vec![p("Run Setup again.")]),
            (
                "Locate HKEY_LOCAL_MACHINE\\Software\\Bridge, and then delete it.",
                vec![
                    p("Locate "),
                    c("HKEY_LOCAL_MACHINE\\Software\\Bridge"),
                    p(", and then delete it."),
                ],
            ),
            (
                "(HKLM\\System\\Run).",
                vec![p("("), c("HKLM\\System\\Run"), p(").")],
            ),
            (
                "HKEY_CURRENT_USER alone",
                vec![p("HKEY_CURRENT_USER alone")],
            ),
            ("", vec![]),
        ] {
            assert_eq!(runs(text), want, "{text}");
        }
    }

    #[test]
    fn fix_prompts_split_into_what_to_do_and_the_question() {
        for (prompt, heading, question) in [
            (
                "Work through these steps. Did this fix it?",
                "Work through these steps.",
                "Did this fix it?",
            ),
            (
                "None of the causes matched, but the article's fix may still help. Try this \
                 workaround. Did this fix it?",
                "None of the causes matched, but the article's fix may still help. Try this \
                 workaround.",
                "Did this fix it?",
            ),
            ("Did this fix it?", "Did this fix it?", "Did this fix it?"),
            ("Try the fix.", "Try the fix.", "Try the fix."),
        ] {
            assert_eq!(
                split_question(prompt),
                (heading.to_string(), question.to_string()),
                "{prompt}"
            );
        }
    }
}
