-- Transcript text of a meeting's interventions: typed by the secretariat
-- or a captioner, or imported from a WebVTT file aligned by time to the
-- interventions. Every line belongs to one intervention, so it knows who
-- was speaking; cues of an imported file that fall outside every
-- intervention are reported to the importer and not stored. Times are
-- Unix milliseconds (UTC).

CREATE TABLE meeting_transcript (
    id              TEXT PRIMARY KEY,
    meeting_id      TEXT NOT NULL REFERENCES meetings(id),
    intervention_id TEXT NOT NULL REFERENCES meeting_interventions(id),
    n               BIGINT NOT NULL,                  -- 1, 2, 3... per intervention
    at_ms           BIGINT NOT NULL,                  -- when it was said (typed: the intervention's start)
    text            TEXT NOT NULL,
    source          TEXT NOT NULL,                    -- typed, webvtt
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX meeting_transcript_meeting ON meeting_transcript(meeting_id, intervention_id, at_ms, n);
