-- V006: what tells that logging itself was tampered with or stopped.

-- CloudTrail's own StopLogging, DeleteTrail, UpdateTrail and PutEventSelectors calls (denied ones
-- too), kept apart from events: they name no secret, and every count, rollup and rule over events
-- means Secrets Manager calls. One row per eventID, whatever the copies.
CREATE TABLE IF NOT EXISTS trail_changes (
    event_id VARCHAR PRIMARY KEY,
    event_time TIMESTAMP NOT NULL,
    event_name VARCHAR NOT NULL,
    aws_region VARCHAR,
    account_id VARCHAR,
    error_code VARCHAR,
    error_message VARCHAR,
    principal VARCHAR,
    principal_type VARCHAR,
    source_ip VARCHAR,
    user_agent VARCHAR,
    source_file VARCHAR,
    source_record BIGINT,
    raw VARCHAR NOT NULL);

-- Every trail file ingest read, by account and region (from CloudTrail's file name), with the latest
-- eventTime of all its records (every service). A file read twice is one row, its latest time the
-- greater. What trail-silent judges silence by.
CREATE TABLE IF NOT EXISTS trail_deliveries (
    account VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    latest_event_time TIMESTAMP NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (account, region, file));

-- The events a finding can cite as evidence: Secrets Manager events and CloudTrail's logging changes.
-- trail_changes keeps no session column: an assumed-role caller's session is its userIdentity.arn.
CREATE OR REPLACE VIEW evidence_events AS
SELECT event_id, event_time, source_ip, user_agent, principal, session_arn, raw FROM events
UNION ALL
SELECT event_id, event_time, source_ip, user_agent, principal,
    CASE WHEN json_extract_string(raw, '$.userIdentity.type') = 'AssumedRole'
         THEN json_extract_string(raw, '$.userIdentity.arn') END AS session_arn,
    raw
FROM trail_changes;
