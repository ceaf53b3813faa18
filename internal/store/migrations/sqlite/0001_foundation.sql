-- Foundation: accounts, sessions, API tokens, the ledger, forums and bodies.
-- Times are Unix milliseconds (UTC); ids are text made in Go.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,          -- stored lower-cased
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,                 -- argon2id, PHC string
    is_admin      INTEGER NOT NULL DEFAULT 0,    -- site secretariat
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,                 -- SHA-256 of the cookie value
    user_id    TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,           -- SHA-256 of the secret
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE ledger_heads (
    chain TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);

CREATE TABLE ledger_events (
    chain      TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    type       TEXT NOT NULL,
    visibility TEXT NOT NULL,
    payload    TEXT NOT NULL,                    -- canonical JSON
    salt       TEXT NOT NULL DEFAULT '',           -- hex; set on events that are not public
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);

CREATE TABLE ledger_checkpoints (
    chain     TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    hash      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    key_id    TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);

CREATE TABLE forums (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL,                -- policy_forum, treaty_conference, experts_group, open_forum
    status         TEXT NOT NULL,                -- preparing, open, closed
    starts_on      TEXT NOT NULL DEFAULT '',     -- YYYY-MM-DD
    ends_on        TEXT NOT NULL DEFAULT '',
    venue          TEXT NOT NULL DEFAULT '',
    languages      TEXT NOT NULL DEFAULT 'en',   -- comma-separated codes
    doc_prefix     TEXT NOT NULL,
    default_public INTEGER NOT NULL DEFAULT 1,
    description    TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE bodies (
    id         TEXT PRIMARY KEY,
    forum_id   TEXT NOT NULL REFERENCES forums(id),
    slug       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,                    -- plenary, working_group, experts_group, drafting_group, committee
    parent_id  TEXT REFERENCES bodies(id),
    created_at BIGINT NOT NULL,
    UNIQUE (forum_id, slug)
);
