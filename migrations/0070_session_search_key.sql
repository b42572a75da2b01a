-- What a search session's words were filed under (search::Query::key: stems, sorted, once
-- each), so that a later search with the same words can raise the article that resolved it.
ALTER TABLE wizard_sessions ADD COLUMN search_key TEXT;
CREATE INDEX wizard_sessions_search ON wizard_sessions (search_key, outcome);
