-- When an administrator last lifted the staff login lock-out (`kbfix staff unlock`), so
-- that every server sharing the database lifts it at its next refused attempt (issue 26).
CREATE TABLE staff_unlocks (
    id INTEGER PRIMARY KEY CHECK (id = 1),   -- one row
    at INTEGER NOT NULL                      -- unix seconds
);
