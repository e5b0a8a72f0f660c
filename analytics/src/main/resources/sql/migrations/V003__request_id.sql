-- V003: keep CloudTrail's requestID beside the other columns. The GetSecretValue entries a
-- BatchGetSecretValue generates may carry the batch's request id, which ties them to it (the
-- snapshot's batch_entries). Events stored before hold it only in raw: filled from there once.
ALTER TABLE events ADD COLUMN request_id VARCHAR;

UPDATE events SET request_id = json_extract_string(raw, '$.requestID') WHERE request_id IS NULL;
