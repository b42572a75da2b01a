-- When the staff login lock-out was last lifted (see ../0090_staff_unlocks.sql).
CREATE TABLE staff_unlocks (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at BIGINT NOT NULL
);
