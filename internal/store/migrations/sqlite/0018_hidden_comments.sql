-- The hidden comments of a period, few among many: reading a period's
-- campaigns asks which of their members are hidden without reading every
-- comment of the period.
CREATE INDEX consultation_comments_hidden ON consultation_comments(period_id, number) WHERE hidden;
