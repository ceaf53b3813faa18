-- Documents: numbering series, numbered documents with their versions
-- (original, Rev.n, Add.n, Corr.n), source parties and files, and the
-- full-text search index over documents (and, later, provisions).
-- Times are Unix milliseconds (UTC); ids are text made in Go.

-- A numbering series of a forum: the main one ("main", numbered with the
-- forum's document prefix: WTPF-13/5), temporary documents (DT/55), or the
-- documents of one meeting of a body (WTPF-IEG/3/12). last_seq is the
-- counter: a submission reads it with the row locked, and the UNIQUE
-- constraints below make a repeated number impossible.
CREATE TABLE doc_series (
    id         TEXT PRIMARY KEY,
    forum_id   TEXT NOT NULL REFERENCES forums(id),
    slug       TEXT NOT NULL,
    prefix     TEXT NOT NULL,                 -- '' for the main series: the forum's doc_prefix
    name       TEXT NOT NULL,
    body_id    TEXT REFERENCES bodies(id),
    last_seq   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    UNIQUE (forum_id, slug)
);

CREATE TABLE documents (
    id            TEXT PRIMARY KEY,
    forum_id      TEXT NOT NULL REFERENCES forums(id),
    series_id     TEXT NOT NULL REFERENCES doc_series(id),
    seq           BIGINT NOT NULL,
    number        TEXT NOT NULL,              -- WTPF-13/5; versions add (Rev.1), (Add.2), (Corr.1)
    type          TEXT NOT NULL,              -- report, contribution, proposal, draft_text, ...
    title         TEXT NOT NULL,              -- of the latest original or revision
    body          TEXT NOT NULL DEFAULT '',   -- text of the latest original or revision
    body_id       TEXT REFERENCES bodies(id), -- the body it is for
    agenda_item   TEXT NOT NULL DEFAULT '',
    languages     TEXT NOT NULL DEFAULT '',   -- comma-separated codes
    visibility    TEXT NOT NULL,              -- public, members, party:<id>
    embargo_until BIGINT,                     -- a restricted document becomes public then
    released_at   BIGINT,
    status        TEXT NOT NULL,              -- current, withdrawn
    status_note   TEXT NOT NULL DEFAULT '',   -- why it was withdrawn
    issued_on     TEXT NOT NULL,              -- YYYY-MM-DD
    submitted_by  TEXT NOT NULL,              -- user id
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (series_id, seq),
    UNIQUE (forum_id, number)
);
CREATE INDEX documents_forum ON documents(forum_id, issued_on);
CREATE INDEX documents_embargo ON documents(embargo_until) WHERE embargo_until IS NOT NULL;

-- Source parties, with the name as the document gives it. The party id is
-- not a foreign key, so that documents can name parties the forum's list
-- does not hold.
CREATE TABLE document_parties (
    document_id TEXT NOT NULL REFERENCES documents(id),
    party_id    TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',     -- USA, ISOC: for proposal ids such as USA/6/1
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (document_id, party_id)
);
CREATE INDEX document_parties_party ON document_parties(party_id);

CREATE TABLE document_versions (
    id           TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents(id),
    kind         TEXT NOT NULL,               -- original, rev, add, corr
    n            INTEGER NOT NULL,            -- 0 for the original, else Rev.n, Add.n, Corr.n
    label        TEXT NOT NULL,               -- WTPF-13/16(Rev.1)
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',    -- what this version changes
    submitted_by TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (document_id, kind, n)
);

CREATE TABLE document_files (
    id           TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents(id),
    version_id   TEXT NOT NULL REFERENCES document_versions(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,               -- decided from the bytes, never from the client
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,               -- the object in the file store
    language     TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',    -- extracted for search
    submitted_by TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX document_files_document ON document_files(document_id);

-- The search index: one row per searchable thing (a document; later a
-- provision of a draft text), with what the filters need. Commands write
-- it in the same transaction as the change, so a commit is searchable at
-- once. tsv is the full-text vector, written with the entry, with a GIN index.
CREATE TABLE search_entries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT NOT NULL,                -- document, provision
    ref_id      TEXT NOT NULL,
    document_id TEXT NOT NULL,                -- visibility changes follow the document
    forum_id    TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    doc_type    TEXT NOT NULL DEFAULT '',
    body_id     TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL,              -- the date filters use
    number      TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    path        TEXT NOT NULL DEFAULT '',     -- where the web face shows it
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_entries_document ON search_entries(document_id);
CREATE INDEX search_entries_forum ON search_entries(forum_id, at);

CREATE TABLE search_parties (
    entry_id BIGINT NOT NULL REFERENCES search_entries(id) ON DELETE CASCADE,
    party_id TEXT NOT NULL,
    PRIMARY KEY (entry_id, party_id)
);
CREATE INDEX search_parties_party ON search_parties(party_id);

-- The full-text vector: number (weight A), title (B) and text, folded by
-- the application (diacritics removed) before to_tsvector, since the
-- 'simple' configuration keeps them.
ALTER TABLE search_entries ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv);
