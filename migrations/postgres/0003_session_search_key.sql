-- What a search session's words were filed under (see ../0070_session_search_key.sql).
ALTER TABLE wizard_sessions ADD COLUMN search_key TEXT;
CREATE INDEX wizard_sessions_search ON wizard_sessions (search_key, outcome);
