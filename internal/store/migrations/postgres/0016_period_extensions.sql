-- A comment period's latest extension, shown on its page: the close time
-- it moved from, when, and the secretariat's reason (each extension is also
-- on the record). Times are Unix milliseconds (UTC); NULL when never
-- extended.
ALTER TABLE consultation_periods ADD COLUMN extended_from BIGINT;
ALTER TABLE consultation_periods ADD COLUMN extended_at BIGINT;
ALTER TABLE consultation_periods ADD COLUMN extension_reason TEXT NOT NULL DEFAULT '';
