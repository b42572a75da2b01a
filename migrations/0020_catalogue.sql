-- Catalogue articles (bug-fix lists, READMEs, "list of", release notes, indexes of other
-- articles), flagged at import by kb::is_catalogue: search and related lists put them last.
-- Rows imported before this column read 0 until the next import re-parses them
-- (kb::PARSER_VERSION changed with it).
ALTER TABLE articles ADD COLUMN catalogue INTEGER NOT NULL DEFAULT 0;
