-- Wizard sessions: one row per walk from symptom to fix, and one row per step shown.
-- A step row keeps the step as it was shown (JSON) and, once answered, the answer, so
-- every step keeps its own URL and the transcript can be rebuilt in order.

CREATE TABLE wizard_sessions (
    id               TEXT PRIMARY KEY,   -- 32 hex digits: 128 random bits
    created_at       INTEGER NOT NULL,   -- unix seconds
    updated_at       INTEGER NOT NULL,   -- unix seconds of the last answer
    origin           TEXT NOT NULL,      -- paste | article | search
    input            TEXT NOT NULL,      -- the pasted text, the search words or the article id
    recognised       TEXT NOT NULL,      -- JSON array of lines: what the paste was recognised as
    event_key        TEXT,               -- "68:msexchangeccmc" (event id and folded source)
    current_n        INTEGER NOT NULL,   -- the number of the current step
    current_kind     TEXT NOT NULL,      -- its kind, for "where do users give up"
    outcome          TEXT,               -- resolved | escalated; NULL while in progress
    ended_kind       TEXT,               -- the kind of step answered last before the outcome
    resolved_article INTEGER,
    resolved_cause   INTEGER             -- the cause's index in its article, when one was named
);
CREATE INDEX wizard_sessions_updated ON wizard_sessions (updated_at DESC);
CREATE INDEX wizard_sessions_feedback ON wizard_sessions (event_key, outcome);

CREATE TABLE wizard_steps (
    session_id  TEXT NOT NULL REFERENCES wizard_sessions (id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,        -- 1, 2, ... in the order shown
    kind        TEXT NOT NULL,
    article     INTEGER,
    cause_index INTEGER,
    step        TEXT NOT NULL,           -- JSON: the step as shown and the walk state behind it
    shown_at    INTEGER NOT NULL,
    answer      TEXT,                    -- NULL while this is the current step
    answered_at INTEGER,
    PRIMARY KEY (session_id, n)
) WITHOUT ROWID;
