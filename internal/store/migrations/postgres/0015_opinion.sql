-- The opinion map of a comment period (internal/consultation): statements
-- (from the provisions, from participants once moderated, or imported from
-- a Polis conversation), the voters (accounts, or pseudonymous imported
-- voters without one) with their declared stakeholder group, and their
-- votes. Times are Unix milliseconds (UTC).

-- A period with an opinion map; version moves with every vote, so that the
-- map computed from the votes is kept until they change.
CREATE TABLE consultation_opinion_maps (
    period_id  TEXT PRIMARY KEY REFERENCES consultation_periods(id),
    forum_id   TEXT NOT NULL REFERENCES forums(id),
    version    BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE consultation_statements (
    id           TEXT PRIMARY KEY,
    forum_id     TEXT NOT NULL REFERENCES forums(id),
    period_id    TEXT NOT NULL REFERENCES consultation_periods(id),
    number       INTEGER NOT NULL,            -- S-<number> in the period
    source       TEXT NOT NULL,               -- provision, participant or imported
    provision_id TEXT NOT NULL DEFAULT '',    -- the provision it was seeded from
    external_id  TEXT NOT NULL DEFAULT '',    -- the imported conversation's comment-id
    user_id      TEXT NOT NULL DEFAULT '',    -- who submitted it
    author       TEXT NOT NULL DEFAULT '',
    group_key    TEXT NOT NULL DEFAULT '',    -- the author's declared stakeholder group
    body         TEXT NOT NULL,
    state        TEXT NOT NULL,               -- pending, accepted or rejected
    reason       TEXT NOT NULL DEFAULT '',    -- why it was rejected
    seq          BIGINT NOT NULL,             -- the ledger event that took it (0 when imported: its batch's event records it)
    created_at   BIGINT NOT NULL,
    UNIQUE (period_id, number)
);
CREATE INDEX consultation_statements_external ON consultation_statements(period_id, external_id);
CREATE INDEX consultation_statements_user ON consultation_statements(period_id, user_id, created_at);

-- The voters of a period: an account (user_id), or an imported voter known
-- by its pseudonym in the conversation it came from (user_id empty). number
-- is the voter's identifier in the map.
CREATE TABLE consultation_voters (
    id         TEXT PRIMARY KEY,
    period_id  TEXT NOT NULL REFERENCES consultation_periods(id),
    number     INTEGER NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    pseudonym  TEXT NOT NULL DEFAULT '',
    group_key  TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (period_id, number)
);
CREATE INDEX consultation_voters_user ON consultation_voters(period_id, user_id);
CREATE INDEX consultation_voters_pseudonym ON consultation_voters(period_id, pseudonym);

-- One vote per voter and statement: a new vote replaces the old one.
CREATE TABLE consultation_votes (
    statement_id TEXT NOT NULL REFERENCES consultation_statements(id),
    voter_id     TEXT NOT NULL REFERENCES consultation_voters(id),
    period_id    TEXT NOT NULL,
    voter_number INTEGER NOT NULL,            -- the voter's and the statement's numbers, so that
    statement_number INTEGER NOT NULL,        -- the map reads the votes without a join
    value        INTEGER NOT NULL,            -- 1 agree, -1 disagree, 0 pass
    cast_at      BIGINT NOT NULL,
    PRIMARY KEY (statement_id, voter_id)
);
-- Covers the map's read of a period's votes, in the order it wants them.
CREATE INDEX consultation_votes_period ON consultation_votes(period_id, voter_number, statement_number, value);
