-- What the user wrote on the hand-off page for the helpdesk: their name, machine, how to
-- reach them and what they tried (issue 25). Kept on the session's own row, so it goes
-- wherever the session goes; NULL until they write it. The sizes are bounded by the
-- wizard (`wizard::handoff`), not here.
ALTER TABLE wizard_sessions ADD COLUMN handoff_name TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_machine TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_contact TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_tried TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_at INTEGER;
