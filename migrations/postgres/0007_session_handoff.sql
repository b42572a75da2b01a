-- What the user wrote for the helpdesk (see ../0095_session_handoff.sql).
ALTER TABLE wizard_sessions ADD COLUMN handoff_name TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_machine TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_contact TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_tried TEXT;
ALTER TABLE wizard_sessions ADD COLUMN handoff_at BIGINT;
