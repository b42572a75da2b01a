-- Whether a quoted event's fields shared a line (`Event ID: 5002, Source: X, Type: Error`):
-- the matcher ranks such looser quotes just below a one-field-a-line quote of the same event.
ALTER TABLE events ADD COLUMN inline_fields INTEGER NOT NULL DEFAULT 0;
