-- The original text of each article (the archive's bytes, decoded to UTF-8), deflated:
-- the article's plain-text view. Written by every import; an article imported before this
-- table existed has no row until the next import re-parses it (the parser version changed).
CREATE TABLE article_sources (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    text_gz    BLOB NOT NULL
);
