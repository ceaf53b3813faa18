-- Offices held beside a registration's role: a chair who also holds the
-- pen is one registration in the role of chair with the office of editor,
-- not two registrations. The offices are comma-separated role keys
-- (chair, editor, remote_moderator, secretariat), as a guest's grants
-- are: there are at most four, they are always read with the registration
-- (a person's standing is one row), and their changes are on the ledger,
-- so a column is enough where a table would add a join to every check of
-- a right.
ALTER TABLE registrations ADD COLUMN offices TEXT NOT NULL DEFAULT '';
