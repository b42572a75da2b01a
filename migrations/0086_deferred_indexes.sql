-- The article tables' secondary indexes that an import into an empty archive drops and
-- builds again once its rows are in (`store::deferred`): built once from all rows, they cost
-- a fraction of keeping them up to date batch by batch, each batch rewriting pages all
-- over them. Their definitions wait here meanwhile, so an import that stops half way (a
-- killed process) leaves them to be built by the next import rather than lost.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
) WITHOUT ROWID;
