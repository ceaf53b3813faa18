-- Participation: the rights matrix and participation settings of each forum,
-- stakeholder groups, parties (delegations) with their credentials and focal
-- points, registrations, the history of rules changes, and the officers and
-- membership of bodies. Times are Unix milliseconds (UTC); ids are text made in Go.

-- One row per forum once the secretariat has chosen its rules; a forum
-- without a row uses the preset matching its kind.
CREATE TABLE participation_settings (
    forum_id          TEXT PRIMARY KEY REFERENCES forums(id),
    preset            TEXT NOT NULL,                -- the preset the matrix started from
    matrix            TEXT NOT NULL,                -- rules.Matrix as JSON
    names_public      BOOLEAN NOT NULL DEFAULT FALSE,  -- participant names public (else counts only)
    applications_open BOOLEAN NOT NULL DEFAULT TRUE,   -- the public may apply for observer status
    updated_at        BIGINT NOT NULL
);

-- Stakeholder groups of a forum beyond the defaults: a row with a default
-- key renames that group, any other key adds one.
CREATE TABLE stakeholder_groups (
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    group_key   TEXT NOT NULL,
    name        TEXT NOT NULL,
    plural      TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (forum_id, group_key)
);

-- A party speaks for a stakeholder group in one forum: a Member State, a
-- company, an NGO, an IGO. Its delegation's credentials are recorded here.
CREATE TABLE parties (
    id                TEXT PRIMARY KEY,
    forum_id          TEXT NOT NULL REFERENCES forums(id),
    code              TEXT NOT NULL,                -- ISO alpha-3 for states; a short code for others
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,                -- member_state, company, ngo, igo, academia, other
    group_key         TEXT NOT NULL,
    iso2              TEXT NOT NULL DEFAULT '',
    iso3              TEXT NOT NULL DEFAULT '',
    itu_code          TEXT NOT NULL DEFAULT '',
    region            TEXT NOT NULL DEFAULT '',
    member_2012       BOOLEAN NOT NULL DEFAULT FALSE,  -- ITU Member State in 2012-13
    member_now        BOOLEAN NOT NULL DEFAULT FALSE,  -- ITU Member State today
    credentials       TEXT NOT NULL DEFAULT 'none', -- none, provisional, in_order, sign_only, transferred
    credentials_proxy TEXT NOT NULL DEFAULT '',     -- party id holding the proxy when transferred
    credentials_note  TEXT NOT NULL DEFAULT '',
    credentials_at    BIGINT,
    created_at        BIGINT NOT NULL,
    UNIQUE (forum_id, code)
);

-- Focal points approve their party's registrations.
CREATE TABLE focal_points (
    party_id   TEXT NOT NULL REFERENCES parties(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (party_id, user_id)
);
CREATE INDEX focal_points_user ON focal_points(user_id);

-- A person in a forum, for a party (or none: public observers, guests,
-- secretariat staff), in a role and a mode.
CREATE TABLE registrations (
    id          TEXT PRIMARY KEY,
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    party_id    TEXT REFERENCES parties(id),
    group_key   TEXT NOT NULL,                      -- the group spoken for when there is no party
    role        TEXT NOT NULL,
    mode        TEXT NOT NULL,                      -- in_room, remote
    state       TEXT NOT NULL,                      -- pending, approved, declined, withdrawn
    affiliation TEXT NOT NULL DEFAULT '',           -- the person's own organisation
    background  TEXT NOT NULL DEFAULT '',           -- the person's own stakeholder group, when it differs
    statement   TEXT NOT NULL DEFAULT '',           -- why the person applies
    grants      TEXT NOT NULL DEFAULT '',           -- a guest's rights: comma-separated action keys
    reason      TEXT NOT NULL DEFAULT '',           -- why it was declined or withdrawn
    decided_by  TEXT NOT NULL DEFAULT '',           -- user id of who approved, declined or withdrew it
    decided_as  TEXT NOT NULL DEFAULT '',           -- in what capacity: secretariat, focal_point, head_of_delegation...
    decided_at  BIGINT,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX registrations_forum ON registrations(forum_id, state);
CREATE INDEX registrations_user ON registrations(user_id, state);
CREATE INDEX registrations_party ON registrations(party_id, state);
CREATE UNIQUE INDEX registrations_active ON registrations(forum_id, user_id, COALESCE(party_id, ''), role)
    WHERE state IN ('pending', 'approved');

-- The public history of a forum's rules, one row per rules.changed event.
CREATE TABLE rules_history (
    forum_id     TEXT NOT NULL REFERENCES forums(id),
    seq          BIGINT NOT NULL,                   -- the ledger event
    at           BIGINT NOT NULL,
    actor_name   TEXT NOT NULL,
    forum_status TEXT NOT NULL,                     -- the forum's status when the rules changed
    preset       TEXT NOT NULL DEFAULT '',          -- set when a preset was chosen
    lines        TEXT NOT NULL,                     -- JSON list of sentences (rules.Changes.Describe)
    PRIMARY KEY (forum_id, seq)
);

-- Chairs and vice-chairs of bodies.
CREATE TABLE body_officers (
    body_id    TEXT NOT NULL REFERENCES bodies(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    office     TEXT NOT NULL,                       -- chair, vice_chair
    created_at BIGINT NOT NULL,
    PRIMARY KEY (body_id, user_id)
);

-- The parties a body is limited to; a body with none is open to the forum.
CREATE TABLE body_members (
    body_id  TEXT NOT NULL REFERENCES bodies(id),
    party_id TEXT NOT NULL REFERENCES parties(id),
    PRIMARY KEY (body_id, party_id)
);
