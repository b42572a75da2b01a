-- Who started a session (a short hash of the client's address, never the address), so an
-- outcome counts towards the ranking once per client and article a day, however many
-- sessions one client resolves.
ALTER TABLE wizard_sessions ADD COLUMN client TEXT;
