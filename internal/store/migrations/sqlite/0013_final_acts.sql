-- Final acts (internal/finalacts): the text presented for signature,
-- assembled from adopted draft revisions and filed as a numbered document;
-- its signatures by delegation, the numbered declarations and reservations
-- deposited before signature, and the explanations of position and closing
-- statements that accompany adoption. Times are Unix milliseconds (UTC); 0
-- is "not set".

CREATE TABLE final_acts (
    id          TEXT PRIMARY KEY,                  -- the id of its document
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    number      TEXT NOT NULL,                     -- the document's number
    title       TEXT NOT NULL,
    visibility  TEXT NOT NULL,                     -- the document's
    revision    INTEGER NOT NULL,                  -- the current text: 1, 2, ...
    hash        TEXT NOT NULL,                     -- SHA-256 of the current text (finalacts.TextHash)
    opens_at    BIGINT NOT NULL DEFAULT 0,         -- open for signature from
    closes_at   BIGINT NOT NULL DEFAULT 0,         -- closed for signature from
    cutoff_at   BIGINT NOT NULL DEFAULT 0,         -- declarations and reservations until
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX final_acts_forum ON final_acts(forum_id, created_at);

-- Each text of the final acts, the first and every revision, with its hash.
CREATE TABLE final_act_texts (
    final_acts_id TEXT NOT NULL REFERENCES final_acts(id),
    revision      INTEGER NOT NULL,
    hash          TEXT NOT NULL,
    title         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    version_label TEXT NOT NULL DEFAULT '',        -- the document version that carries it
    seq           BIGINT NOT NULL,                 -- its ledger event
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (final_acts_id, revision)
);

-- The provisions of each text, in order, each with its identity in the
-- drafting history: the draft text, the revision adopted, the provision.
CREATE TABLE final_act_provisions (
    final_acts_id  TEXT NOT NULL REFERENCES final_acts(id),
    revision       INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    draft_id       TEXT NOT NULL,
    draft_number   TEXT NOT NULL,
    draft_revision INTEGER NOT NULL,
    instrument     TEXT NOT NULL,                  -- the adopted text's title
    provision_id   TEXT NOT NULL,
    kind           TEXT NOT NULL,
    intro          TEXT NOT NULL DEFAULT '',
    label          TEXT NOT NULL,
    name           TEXT NOT NULL,
    body           TEXT NOT NULL,
    PRIMARY KEY (final_acts_id, revision, n)
);

-- Those a head of delegation (or the credentials, entered by the
-- secretariat) named to sign for the party.
CREATE TABLE final_act_signers (
    final_acts_id   TEXT NOT NULL REFERENCES final_acts(id),
    party_id        TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    basis           TEXT NOT NULL,                 -- head or credentials
    named_by        TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    at              BIGINT NOT NULL,
    PRIMARY KEY (final_acts_id, party_id, registration_id)
);

-- Every signature act of a party, numbered 1, 2, ... per party: the last
-- is the party's state. Each keeps the hash of the text it was made on.
CREATE TABLE final_act_signatures (
    final_acts_id   TEXT NOT NULL REFERENCES final_acts(id),
    party_id        TEXT NOT NULL,
    n               INTEGER NOT NULL,
    state           TEXT NOT NULL,                 -- signed, signed_subject_to_ratification, declined
    hash            TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    registration_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    signer          TEXT NOT NULL,                 -- the signer's name as shown
    capacity        TEXT NOT NULL,                 -- head_of_delegation or delegate
    note            TEXT NOT NULL DEFAULT '',
    seq             BIGINT NOT NULL,
    at              BIGINT NOT NULL,
    PRIMARY KEY (final_acts_id, party_id, n)
);

-- Declarations and reservations, numbered in order of deposit per final
-- acts. parties, provisions and refs are JSON lists (party ids, provision
-- keys, earlier numbers).
CREATE TABLE final_act_declarations (
    id            TEXT PRIMARY KEY,
    final_acts_id TEXT NOT NULL REFERENCES final_acts(id),
    number        INTEGER NOT NULL,
    kind          TEXT NOT NULL,                   -- declaration or reservation
    additional    BOOLEAN NOT NULL DEFAULT FALSE,
    parties       TEXT NOT NULL,
    provisions    TEXT NOT NULL,
    refs          TEXT NOT NULL,
    body          TEXT NOT NULL,
    revision      INTEGER NOT NULL,                -- the text it was deposited on
    deposited_by  TEXT NOT NULL,
    capacity      TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    at            BIGINT NOT NULL,
    UNIQUE (final_acts_id, number)
);

-- Explanations of position and closing statements, against a decision, a
-- document (an adopted text, the final acts) or the forum as a whole.
CREATE TABLE final_act_statements (
    id           TEXT PRIMARY KEY,
    forum_id     TEXT NOT NULL REFERENCES forums(id),
    kind         TEXT NOT NULL,                    -- explanation or closing
    target_kind  TEXT NOT NULL,                    -- decision, document or forum
    target_id    TEXT NOT NULL DEFAULT '',
    target_label TEXT NOT NULL DEFAULT '',
    party_id     TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',         -- a named group or coalition
    body         TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    filed_by     TEXT NOT NULL,
    capacity     TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX final_act_statements_target ON final_act_statements(forum_id, target_kind, target_id, at);
