-- The speakers' queue of a meeting: its queue events in order (the fold of
-- which is the queue; see package floor), and the interventions, one per
-- finished turn at the floor, materialized from them for speaking time,
-- minutes and statements. Times are Unix milliseconds (UTC).

CREATE TABLE meeting_floor_events (
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    n               BIGINT NOT NULL,                  -- 1, 2, 3... per meeting
    seq             BIGINT NOT NULL,                  -- the ledger event that recorded it
    at              BIGINT NOT NULL,                  -- the server's clock
    type            TEXT NOT NULL,                    -- floor.EventType
    event           TEXT NOT NULL,                    -- JSON of the floor.Event
    PRIMARY KEY (meeting_id, n)
);

CREATE TABLE meeting_interventions (
    id              TEXT PRIMARY KEY,                 -- the request's id
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    forum_id        TEXT NOT NULL REFERENCES forums(id),
    item_id         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,                    -- speak, point_of_order, reply, question
    speaker         TEXT NOT NULL,                    -- registration id, hub:<id> or guest:<name>
    speaker_name    TEXT NOT NULL DEFAULT '',
    party_id        TEXT NOT NULL DEFAULT '',
    party_name      TEXT NOT NULL DEFAULT '',
    group_key       TEXT NOT NULL DEFAULT '',
    group_name      TEXT NOT NULL DEFAULT '',
    on_behalf       TEXT NOT NULL DEFAULT '',
    origin          TEXT NOT NULL,                    -- room, remote, hub
    hub             TEXT NOT NULL DEFAULT '',
    provision       TEXT NOT NULL DEFAULT '',
    reply_to        TEXT NOT NULL DEFAULT '',
    requested_at    BIGINT NOT NULL,
    given_at        BIGINT NOT NULL,
    started_at      BIGINT NOT NULL DEFAULT 0,
    ended_at        BIGINT NOT NULL,
    pauses          TEXT NOT NULL DEFAULT '[]',       -- JSON: [{from, to}]
    spoken_ms       BIGINT NOT NULL,
    limit_s         BIGINT NOT NULL,
    overtime_ms     BIGINT NOT NULL,
    ruling          TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    seq             BIGINT NOT NULL,                  -- the ledger event that ended it
    statement_doc_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_interventions_meeting ON meeting_interventions(meeting_id, ended_at);
CREATE INDEX meeting_interventions_forum ON meeting_interventions(forum_id, meeting_id);
