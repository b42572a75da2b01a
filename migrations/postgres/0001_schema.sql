-- The PostgreSQL schema: the same tables as the SQLite migrations one directory up (read
-- those for what each column means), with PostgreSQL's types, and the full-text index as a
-- weighted tsvector column (title A, symptoms B, the rest C) under a GIN index.

CREATE TABLE articles (
    id           BIGINT PRIMARY KEY,
    title        TEXT NOT NULL,
    date         TEXT NOT NULL,
    category     TEXT NOT NULL,
    product      TEXT NOT NULL,
    versions     TEXT NOT NULL,
    os           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    keywords     TEXT NOT NULL,
    applies_to   TEXT NOT NULL,
    query_words  TEXT NOT NULL,
    technology   TEXT NOT NULL,
    issue_type   TEXT,
    trailer      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    catalogue    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX articles_category_date ON articles (category, date DESC, id);
CREATE INDEX articles_kind ON articles (kind);
CREATE INDEX articles_by_category ON articles (category, product);
CREATE INDEX articles_title ON articles (title);

CREATE TABLE sections (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord        BIGINT NOT NULL,
    heading    TEXT NOT NULL,
    text       TEXT NOT NULL,
    blocks     TEXT NOT NULL,
    PRIMARY KEY (article_id, ord)
);

CREATE TABLE article_refs (
    from_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord     BIGINT NOT NULL,
    to_id   BIGINT NOT NULL,
    title   TEXT,
    section TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX article_refs_to ON article_refs (to_id, from_id);

CREATE TABLE events (
    article_id           BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord                  BIGINT NOT NULL,
    event_id             BIGINT NOT NULL,
    source               TEXT,
    source_key           TEXT NOT NULL,
    type                 TEXT,
    category             TEXT,
    description          TEXT,
    description_labelled BOOLEAN NOT NULL DEFAULT TRUE,
    inline_fields        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (article_id, ord)
);
CREATE INDEX events_lookup ON events (source_key, event_id);
CREATE INDEX events_by_id ON events (event_id);

CREATE TABLE event_mentions (
    event_id   BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX event_mentions_article ON event_mentions (article_id);

CREATE TABLE facets (
    facet      TEXT NOT NULL,
    value      TEXT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (facet, value, article_id)
);
CREATE INDEX facets_article ON facets (article_id);

CREATE TABLE diagnoses (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    body       TEXT NOT NULL
);

CREATE TABLE article_sources (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    text_gz    BYTEA NOT NULL
);

-- The searchable text (SQLite keeps it in the FTS5 table) and its weighted vector. The
-- 'english' configuration stems like FTS5's porter tokenizer and drops English stopwords.
CREATE TABLE article_text (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    symptoms   TEXT NOT NULL,
    body       TEXT NOT NULL,
    tsv        TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', symptoms), 'B') ||
        setweight(to_tsvector('english', body), 'C')
    ) STORED
);
CREATE INDEX article_text_tsv ON article_text USING GIN (tsv);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('generation', 0);

CREATE TABLE wizard_sessions (
    id               TEXT PRIMARY KEY,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    origin           TEXT NOT NULL,
    input            TEXT NOT NULL,
    recognised       TEXT NOT NULL,
    event_key        TEXT,
    current_n        BIGINT NOT NULL,
    current_kind     TEXT NOT NULL,
    outcome          TEXT,
    ended_kind       TEXT,
    resolved_article BIGINT,
    resolved_cause   BIGINT,
    client           TEXT
);
CREATE INDEX wizard_sessions_updated ON wizard_sessions (updated_at DESC);
CREATE INDEX wizard_sessions_feedback ON wizard_sessions (event_key, outcome);

CREATE TABLE wizard_steps (
    session_id  TEXT NOT NULL REFERENCES wizard_sessions (id) ON DELETE CASCADE,
    n           BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    article     BIGINT,
    cause_index BIGINT,
    step        TEXT NOT NULL,
    shown_at    BIGINT NOT NULL,
    answer      TEXT,
    answered_at BIGINT,
    PRIMARY KEY (session_id, n)
);
