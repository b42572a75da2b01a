-- One stored copy of each article's text instead of four: the original text, the sections
-- (heading, text and blocks) and the wizard's diagnosis are packed into one deflated row
-- per article (`store::packed`). Deflated together, the sections and the diagnosis cost
-- little beside the original they quote. The text stays searchable through the FTS5 table.
-- The old tables go; their articles are marked for rewriting, so the next import (or
-- `serve --import`) re-parses every one. Until then their pages show the header only.
CREATE TABLE article_texts (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    packed     BLOB NOT NULL
);
DROP TABLE sections;
DROP TABLE diagnoses;
DROP TABLE article_sources;
UPDATE articles SET content_hash = '';
