-- The forum's life cycle: when it first opened (a forum that never opened
-- may be discarded), and its deadlines. Times are Unix milliseconds (UTC);
-- NULL is no deadline. A forum's status may now also be 'discarded'.

ALTER TABLE forums ADD COLUMN opened_at BIGINT;
ALTER TABLE forums ADD COLUMN contributions_due BIGINT;
ALTER TABLE forums ADD COLUMN proposals_due BIGINT;
ALTER TABLE forums ADD COLUMN registrations_due BIGINT;
ALTER TABLE forums ADD COLUMN applications_due BIGINT;

-- A forum opened when the record first says so.
UPDATE forums SET opened_at = (SELECT MIN(e.at) FROM ledger_events e
    WHERE e.chain = forums.id AND e.type = 'forum.status_changed' AND e.payload LIKE '%"to":"open"%');
UPDATE forums SET opened_at = updated_at WHERE opened_at IS NULL AND status <> 'preparing';
