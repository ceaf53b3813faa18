-- A comment's fingerprint (campaign.Signature.Encode) is kept as its 513
-- bytes rather than as 1,026 hexadecimal characters: at thousands of comments
-- a second, a third less to write per comment. A value that does not decode
-- is recomputed from the comment's text when the period's index is built.
UPDATE consultation_comments SET fingerprint = COALESCE(unhex(fingerprint), x'');
