-- Staff sessions logged out before they expired, by the nonce of their cookie, kept in the
-- database so that every server sharing it refuses the cookie (issue 14).
CREATE TABLE staff_revoked (
    nonce      TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL   -- unix seconds; the row is useless after it
) WITHOUT ROWID;
