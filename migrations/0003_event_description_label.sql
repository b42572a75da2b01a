-- Whether a quoted event's description followed a `Description:` label. A paste whose
-- Description field is empty fits quotes that had no such label best.
ALTER TABLE events ADD COLUMN description_labelled INTEGER NOT NULL DEFAULT 1;
