-- Public consultations of a forum (internal/consultation): comment periods on
-- a draft revision or a document, the comments numbered in the forum's
-- public register (C-1, C-2, ...), their moderation and their dispositions
-- (the comment-resolution matrix). Times are Unix milliseconds (UTC).

CREATE TABLE consultation_periods (
    id          TEXT PRIMARY KEY,
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    document_id TEXT NOT NULL,                -- the document commented on (a draft text's own document too)
    draft_id    TEXT NOT NULL DEFAULT '',     -- the draft text, when the period is on one of its revisions
    revision    INTEGER NOT NULL DEFAULT 0,   -- that revision
    title       TEXT NOT NULL,
    public      BOOLEAN NOT NULL DEFAULT FALSE, -- anyone signed in may comment
    visibility  TEXT NOT NULL,                -- of its events: its document's (public, members, party:<id>)
    opens_at    BIGINT NOT NULL,
    closes_at   BIGINT NOT NULL,
    closed_early BOOLEAN NOT NULL DEFAULT FALSE,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX consultation_periods_forum ON consultation_periods(forum_id, opens_at);
CREATE INDEX consultation_periods_draft ON consultation_periods(draft_id, revision);

-- The comments. The client address is kept only as a keyed hash
-- (HMAC-SHA-256 under the forum's salt in consultation_salts), never raw.
CREATE TABLE consultation_comments (
    id            TEXT PRIMARY KEY,
    forum_id      TEXT NOT NULL REFERENCES forums(id),
    period_id     TEXT NOT NULL REFERENCES consultation_periods(id),
    number        INTEGER NOT NULL,           -- C-<number> in the forum's register
    user_id       TEXT NOT NULL,
    author        TEXT NOT NULL,
    group_key     TEXT NOT NULL,              -- the declared stakeholder group
    organisation  TEXT NOT NULL,
    target        TEXT NOT NULL,              -- provision, span, whole or missing
    provision_id  TEXT NOT NULL DEFAULT '',   -- the provision, or the one a missing provision goes after
    span_start    INTEGER NOT NULL DEFAULT 0, -- characters, from 0, of the provision's text
    span_end      INTEGER NOT NULL DEFAULT 0,
    quote         TEXT NOT NULL DEFAULT '',   -- the words of the span
    proposed      TEXT NOT NULL DEFAULT '',   -- the text of a missing provision
    body          TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,              -- campaign.Signature.Hex
    address_hash  TEXT NOT NULL,
    hidden        BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT NOT NULL DEFAULT '',
    seq           BIGINT NOT NULL,            -- the ledger event that took it
    created_at    BIGINT NOT NULL,
    UNIQUE (forum_id, number)
);
CREATE INDEX consultation_comments_period ON consultation_comments(period_id, number);
CREATE INDEX consultation_comments_user ON consultation_comments(period_id, user_id, created_at);
CREATE INDEX consultation_comments_address ON consultation_comments(period_id, address_hash, created_at);

-- The dispositions, every version kept: the current one has is_current TRUE.
CREATE TABLE consultation_dispositions (
    comment_id     TEXT NOT NULL REFERENCES consultation_comments(id),
    version        INTEGER NOT NULL,
    forum_id       TEXT NOT NULL REFERENCES forums(id),
    period_id      TEXT NOT NULL,
    is_current     BOOLEAN NOT NULL,
    outcome        TEXT NOT NULL,             -- accepted, accepted_in_part, noted, not_accepted, out_of_scope
    reason         TEXT NOT NULL,
    amendment_id   TEXT NOT NULL DEFAULT '',  -- the proposal that acted on the comment
    link_revision  INTEGER NOT NULL DEFAULT 0, -- the revision provision that acted on it
    link_provision TEXT NOT NULL DEFAULT '',
    campaign       INTEGER NOT NULL DEFAULT 0, -- the campaign (its first comment's number) disposed as a whole
    decided_by     TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    decided_at     BIGINT NOT NULL,
    PRIMARY KEY (comment_id, version)
);
CREATE INDEX consultation_dispositions_period ON consultation_dispositions(period_id, is_current);

-- Each forum's salt for the keyed hash of client addresses.
CREATE TABLE consultation_salts (
    forum_id TEXT PRIMARY KEY REFERENCES forums(id),
    salt     TEXT NOT NULL
);
