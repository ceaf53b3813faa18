-- The numbered documents a draft text was issued as besides its own: a
-- compilation of proposals frozen as it stood (the DT/1 of a conference),
-- or a revision also issued in a series the chair chose (DT/55). kind is
-- compilation or revision; revision the revision the compilation was made
-- on, or the revision issued; proposals the pending proposals a frozen
-- compilation carries; event_seq the record's event that filed it. Times
-- are Unix milliseconds (UTC).
CREATE TABLE draft_documents (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    draft_id    TEXT NOT NULL REFERENCES drafts(id),
    kind        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    proposals   INTEGER NOT NULL DEFAULT 0,
    event_seq   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX draft_documents_draft ON draft_documents(draft_id, kind, created_at);

-- What the record already says was filed so.
INSERT INTO draft_documents (document_id, draft_id, kind, revision, proposals, event_seq, created_at)
SELECT p.doc ->> 'document_id', p.doc ->> 'draft_id', 'compilation', (p.doc ->> 'revision')::INTEGER,
       COALESCE(jsonb_array_length(p.doc -> 'proposals'), 0), p.seq, p.at
FROM (SELECT e.payload::jsonb AS doc, e.seq, e.at FROM ledger_events e WHERE e.type = 'draft.compilation_frozen') p
WHERE p.doc ->> 'document_id' IN (SELECT id FROM documents) AND p.doc ->> 'draft_id' IN (SELECT id FROM drafts);
INSERT INTO draft_documents (document_id, draft_id, kind, revision, proposals, event_seq, created_at)
SELECT p.doc ->> 'document_id', p.doc ->> 'draft_id', 'revision', (p.doc ->> 'revision')::INTEGER, 0, p.seq, p.at
FROM (SELECT e.payload::jsonb AS doc, e.seq, e.at FROM ledger_events e WHERE e.type = 'draft.revised') p
WHERE p.doc ->> 'document_id' IN (SELECT id FROM documents) AND p.doc ->> 'draft_id' IN (SELECT id FROM drafts);
