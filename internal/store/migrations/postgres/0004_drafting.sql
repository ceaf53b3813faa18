-- Drafting: draft texts (each a document of type draft_text) with their
-- revisions, the proposals against them (ADD, MOD, SUP, NOC) with their
-- co-sponsors, and the forum's choice of attributed or anonymised public
-- compilations. Times are Unix milliseconds (UTC); ids are text made in Go.

-- Whether people other than the secretariat see compilations, brackets and
-- drafting logs without party names (the WCIT TD-64 complaint); the
-- attributed data is always kept.
ALTER TABLE forums ADD COLUMN anonymised_compilations BOOLEAN NOT NULL DEFAULT FALSE;

-- A draft text: its id is the id of its document, whose number it keeps
-- (WTPF-13/5, DT/1). current_rev is the latest revision; commands that
-- change the draft lock this row first.
CREATE TABLE drafts (
    id          TEXT PRIMARY KEY REFERENCES documents(id),
    forum_id    TEXT NOT NULL REFERENCES forums(id),
    current_rev INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX drafts_forum ON drafts(forum_id);

-- One revision of a draft text: the text.Draft as JSON, the document
-- version that carries it (the original for revision 1, Rev.n after), and
-- the revision log of the editor's decisions that made it.
CREATE TABLE draft_revisions (
    draft_id      TEXT NOT NULL REFERENCES drafts(id),
    revision      INTEGER NOT NULL,
    version_id    TEXT NOT NULL REFERENCES document_versions(id),
    label         TEXT NOT NULL,               -- WTPF-13/5(Rev.1)
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,               -- text.Draft as JSON
    log           TEXT NOT NULL DEFAULT '[]',  -- []text.LogEntry as JSON
    provisions    INTEGER NOT NULL,
    open_brackets INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (draft_id, revision)
);

-- A proposal against a revision of a draft text. revision is the one it
-- now stands against (a pending proposal carried over moves on); made_in
-- the one it was made against. data is the text.Amendment as JSON; the
-- other columns are what lists and filters need. label is the ITU-style
-- name, unique in the forum: party/document/sequence (USA/6/1).
CREATE TABLE amendments (
    id              TEXT PRIMARY KEY,
    forum_id        TEXT NOT NULL REFERENCES forums(id),
    draft_id        TEXT NOT NULL REFERENCES drafts(id),
    revision        INTEGER NOT NULL,
    made_in         INTEGER NOT NULL,
    label           TEXT NOT NULL,
    label_doc       TEXT NOT NULL,               -- the document part of the label: 6, DT-1
    label_seq       INTEGER NOT NULL,            -- the sequence part: the party's nth proposal from it
    op              TEXT NOT NULL,               -- ADD, MOD, SUP, NOC
    provision_id    TEXT NOT NULL DEFAULT '',    -- the provision it changes, or follows for ADD
    party_id        TEXT NOT NULL DEFAULT '',
    party_code      TEXT NOT NULL,
    party_name      TEXT NOT NULL DEFAULT '',
    contribution_id TEXT REFERENCES documents(id),
    status          TEXT NOT NULL,               -- submitted, withdrawn, accepted, ...
    decided_in      INTEGER,                     -- the revision that decided it
    note            TEXT NOT NULL DEFAULT '',    -- why it was withdrawn or superseded
    data            TEXT NOT NULL,               -- text.Amendment as JSON
    entered_by      TEXT NOT NULL,               -- user id of who filed it
    entered_as      TEXT NOT NULL,               -- the capacity: delegate, chair, secretariat...
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (forum_id, label)
);
CREATE INDEX amendments_draft ON amendments(draft_id, revision, status);
CREATE INDEX amendments_party ON amendments(party_id);
CREATE INDEX amendments_label ON amendments(forum_id, party_code, label_doc);

CREATE TABLE amendment_cosponsors (
    amendment_id TEXT NOT NULL REFERENCES amendments(id),
    party_id     TEXT NOT NULL,
    party_code   TEXT NOT NULL,
    party_name   TEXT NOT NULL,
    joined_by    TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (amendment_id, party_id)
);
CREATE INDEX amendment_cosponsors_party ON amendment_cosponsors(party_id);
