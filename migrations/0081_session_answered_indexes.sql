-- The two lookups of past outcomes (by event key, by search words) only ever ask for
-- sessions with an outcome (`outcome = ?`), so their indexes hold only those rows: a new
-- session (outcome NULL) is no longer written into them, which is most of what a wizard
-- start writes besides the session and its first step.
DROP INDEX wizard_sessions_feedback;
CREATE INDEX wizard_sessions_feedback ON wizard_sessions (event_key, outcome)
    WHERE outcome IS NOT NULL;
DROP INDEX wizard_sessions_search;
CREATE INDEX wizard_sessions_search ON wizard_sessions (search_key, outcome)
    WHERE outcome IS NOT NULL;
