-- Meetings: the sittings of a forum's bodies, their remote hubs, who
-- attended, and their agendas. Times are Unix milliseconds (UTC); the
-- venue's IANA time zone is kept by name to show and export local times.

CREATE TABLE meetings (
    id              TEXT PRIMARY KEY,
    forum_id        TEXT NOT NULL REFERENCES forums(id),
    body_id         TEXT NOT NULL REFERENCES bodies(id),
    number          TEXT NOT NULL,
    seq             BIGINT NOT NULL,                  -- the n of a generated number, per body
    title           TEXT NOT NULL,
    zone            TEXT NOT NULL,                    -- IANA time zone of the venue
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    room            TEXT NOT NULL DEFAULT '',
    chair_reg_id    TEXT NOT NULL DEFAULT '',         -- registration of the chair presiding, if registered
    chair_name      TEXT NOT NULL DEFAULT '',
    remote          BOOLEAN NOT NULL,
    webcast_url     TEXT NOT NULL DEFAULT '',
    captions_url    TEXT NOT NULL DEFAULT '',
    access          TEXT NOT NULL,                    -- open, closed
    state           TEXT NOT NULL,                    -- scheduled, in_session, suspended, adjourned, closed, cancelled
    state_reason    TEXT NOT NULL DEFAULT '',
    agenda_state    TEXT NOT NULL,                    -- draft, adopted
    current_item_id TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (forum_id, number)
);
CREATE INDEX meetings_forum ON meetings(forum_id, starts_at);

CREATE TABLE meeting_hubs (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    name            TEXT NOT NULL,
    place           TEXT NOT NULL DEFAULT '',
    moderator_name  TEXT NOT NULL DEFAULT '',
    moderator_reg_id TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX meeting_hubs_meeting ON meeting_hubs(meeting_id, created_at);

CREATE TABLE meeting_attendance (
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    registration_id TEXT NOT NULL REFERENCES registrations(id),
    mode            TEXT NOT NULL,                    -- in_room, remote, hub
    hub_id          TEXT NOT NULL DEFAULT '',
    present         BOOLEAN NOT NULL,
    recorded_by     TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, registration_id)
);

CREATE TABLE agenda_items (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    parent_id       TEXT NOT NULL DEFAULT '',
    position        BIGINT NOT NULL,                  -- order among its siblings
    title           TEXT NOT NULL,
    minutes         BIGINT NOT NULL DEFAULT 0,        -- allotted time; 0 for none
    links           TEXT NOT NULL DEFAULT '[]',       -- JSON: documents, drafts, provisions
    dropped         BOOLEAN NOT NULL,                 -- removed after the agenda was adopted
    amended         TEXT NOT NULL DEFAULT '',         -- the note of its last amendment after adoption
    created_at      BIGINT NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, parent_id, position);
