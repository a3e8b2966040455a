-- An adopted plan that is edited becomes a draft again; the timeline records it as an
-- 'amend' event.
ALTER TABLE plan_events DROP CONSTRAINT plan_events_action_check;
ALTER TABLE plan_events ADD CONSTRAINT plan_events_action_check
    CHECK (action IN ('adopt', 'submit', 'return', 'accept', 'issue', 'amend'));
