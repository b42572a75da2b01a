-- The full-text index keeps no copy of the text: contentless, with contentless_delete so an
-- import can still replace an article's row by its rowid (SQLite 3.43+). The columns it
-- indexes (symptoms and the rest) are packed with the article's other text in
-- `article_texts` instead, deflated (`store::packed`): search snippets and the search
-- index's build read them there. That was 167 MB of the whole archive's 502 MB.
-- The packed values change shape with it (the full-text columns come first), so the old
-- ones go and every article is marked for rewriting: the next import (or
-- `serve --import`) re-parses each one. Until then searches find nothing and article pages
-- show the header only.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, symptoms, body,
    tokenize = 'porter unicode61',
    content = '', contentless_delete = 1
);
DELETE FROM article_texts;
UPDATE articles SET content_hash = '';
