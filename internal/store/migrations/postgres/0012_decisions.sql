-- Decisions of a forum's meetings (internal/decisions): consensus calls,
-- straw polls and formal votes, each the fold of its events (internal/decide)
-- kept in decision_events in order, and packages of decisions. Times are
-- Unix milliseconds (UTC).

CREATE TABLE decision_packages (
    id          TEXT PRIMARY KEY,
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    meeting_id  TEXT NOT NULL REFERENCES meetings(id),
    name        TEXT NOT NULL,
    outcome     TEXT NOT NULL DEFAULT 'pending',  -- decide.Outcome of the package
    decided_by  TEXT NOT NULL DEFAULT '',         -- the decision that decided it
    seq         BIGINT NOT NULL,                  -- the ledger event that created it
    created_at  BIGINT NOT NULL,
    decided_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX decision_packages_meeting ON decision_packages(meeting_id);

CREATE TABLE decisions (
    id          TEXT PRIMARY KEY,
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    meeting_id  TEXT NOT NULL REFERENCES meetings(id),
    item_id     TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,                    -- consensus_call, straw_poll, vote
    title       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    draft_id    TEXT NOT NULL DEFAULT '',         -- the draft text decided on, if any
    revision    INTEGER NOT NULL DEFAULT 0,
    package_id  TEXT NOT NULL DEFAULT '',
    closed      BOOLEAN NOT NULL DEFAULT FALSE,
    outcome     TEXT NOT NULL DEFAULT 'pending',  -- decide.Outcome; pending for a straw poll
    document_id TEXT NOT NULL DEFAULT '',         -- the adopted text filed as a document
    created_by  TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    closed_at   BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX decisions_meeting ON decisions(meeting_id, opened_at);
CREATE INDEX decisions_forum ON decisions(forum_id, opened_at);

-- The events of a decision, numbered 1, 2, ... with the ledger seq. A
-- secret ballot's cast event names the voter, never the choice.
CREATE TABLE decision_events (
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    n           BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    type        TEXT NOT NULL,
    event       TEXT NOT NULL,
    PRIMARY KEY (decision_id, n)
);

-- Who voted in a secret ballot (public): no choice here.
CREATE TABLE decision_voters (
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    party_id    TEXT NOT NULL,
    person      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (decision_id, party_id)
);

-- The ballot box of a secret ballot: receipt and choice, nothing else. No
-- voter, no time, no sequence; read by receipt only, in receipt
-- order; PostgreSQL has no such table, see docs/SECRET_BALLOT.md.
CREATE TABLE decision_ballots (
    decision_id TEXT NOT NULL,
    receipt     TEXT NOT NULL,
    choice      TEXT NOT NULL,
    PRIMARY KEY (decision_id, receipt)
);

-- Adoption of a draft text by a decision (internal/drafting owns these columns).
ALTER TABLE drafts ADD COLUMN adopted_rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN adopted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN adopted_at BIGINT NOT NULL DEFAULT 0;
