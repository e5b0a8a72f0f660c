-- V004: whether an event's request carried a secret value (requestParameters.secretString or
-- secretBinary), which the reader drops before anything else sees the record. Only the fact is kept,
-- never the value: an UpdateSecret that carried one wrote a new version, a description- or KMS-key-only
-- one did not (stale-rotation counts the first kind alone).
--
-- Backfill: the stored raw never held the value, so rows written before this migration cannot tell and
-- get false; for them a version is recognised by responseElements.versionId alone, which the raw keeps.
ALTER TABLE events ADD COLUMN IF NOT EXISTS carried_value BOOLEAN DEFAULT false;
