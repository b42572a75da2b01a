-- Staff sessions logged out before they expired (see ../0050_staff_revoked.sql).
CREATE TABLE staff_revoked (
    nonce      TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
