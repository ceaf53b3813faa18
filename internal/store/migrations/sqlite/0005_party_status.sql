-- Parties are edited, merged and withdrawn on the record: a party keeps
-- its row (and its code) when it is withdrawn or merged into another.
ALTER TABLE parties ADD COLUMN status TEXT NOT NULL DEFAULT 'active';    -- active, withdrawn, merged
ALTER TABLE parties ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';     -- the party kept, when merged
ALTER TABLE parties ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';   -- why it was withdrawn or merged
ALTER TABLE parties ADD COLUMN status_at BIGINT;                         -- when
