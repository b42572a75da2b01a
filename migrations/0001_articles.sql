-- The archive: one row per article, its sections, citations, quoted events and facets,
-- and a full-text index over title, symptoms and the rest.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,   -- the article number: 168465 for Q168465
    title        TEXT NOT NULL,
    date         TEXT NOT NULL,         -- ISO YYYY-MM-DD
    category     TEXT NOT NULL,
    product      TEXT NOT NULL,
    versions     TEXT NOT NULL,
    os           TEXT NOT NULL,
    kind         TEXT NOT NULL,         -- title prefix such as XFOR, BUG, PRB; '' when none
    keywords     TEXT NOT NULL,         -- JSON array of strings
    applies_to   TEXT NOT NULL,         -- JSON array of strings
    query_words  TEXT NOT NULL,         -- JSON array of strings
    technology   TEXT NOT NULL,         -- JSON array of strings
    issue_type   TEXT,
    trailer      TEXT NOT NULL,         -- JSON array of {label, value}
    content_hash TEXT NOT NULL          -- hash of the source bytes: unchanged re-imports are skipped
);
CREATE INDEX articles_category_date ON articles (category, date DESC, id);
CREATE INDEX articles_kind ON articles (kind);

CREATE TABLE sections (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    heading    TEXT NOT NULL,
    text       TEXT NOT NULL,
    blocks     TEXT NOT NULL,           -- JSON array of kb::Block
    PRIMARY KEY (article_id, ord)
) WITHOUT ROWID;

-- Citations. to_id has no foreign key: most cited articles are not in the archive.
CREATE TABLE article_refs (
    from_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord     INTEGER NOT NULL,
    to_id   INTEGER NOT NULL,
    title   TEXT,
    section TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id)
) WITHOUT ROWID;
CREATE INDEX article_refs_to ON article_refs (to_id, from_id);

CREATE TABLE events (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    event_id    INTEGER NOT NULL,
    source      TEXT,
    source_key  TEXT NOT NULL,          -- source with case and spaces folded; '' when none
    type        TEXT,
    category    TEXT,
    description TEXT,
    PRIMARY KEY (article_id, ord)
) WITHOUT ROWID;
CREATE INDEX events_lookup ON events (source_key, event_id);
CREATE INDEX events_by_id ON events (event_id);

-- Event ids named in prose or the title ("Event ID 1000"), weaker evidence than a quote.
CREATE TABLE event_mentions (
    event_id   INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, article_id)
) WITHOUT ROWID;
CREATE INDEX event_mentions_article ON event_mentions (article_id);

-- Facets for browsing and filters: category, product, keyword, kind.
CREATE TABLE facets (
    facet      TEXT NOT NULL,
    value      TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (facet, value, article_id)
) WITHOUT ROWID;
CREATE INDEX facets_article ON facets (article_id);

-- rowid = article number. Search weights the columns title > symptoms > body with bm25.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, symptoms, body,
    tokenize = 'porter unicode61'
);

-- A counter bumped by every write batch, so in-memory indexes (the matcher's) can tell
-- that another process imported articles.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('generation', 0);
