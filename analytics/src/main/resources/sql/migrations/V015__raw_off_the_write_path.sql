-- V015: the raw record leaves the store's write path (issue 16). What rules, the evidence and the snapshot read
-- of it becomes columns, taken at decode (EventDetails); events and trail_changes stop storing raw, and the record
-- lives in the events topic (kept forever, see TopicSetup), found again by kafka_partition and kafka_offset.
-- raw stays, nullable: rows stored before V015 keep theirs (their Kafka records may be gone: an earlier release
-- created the topic with the broker's default retention), and it is the source of the backfill below.
-- Each column is as json_extract_string gives the field; request_filters and resource_policy are the field's JSON.

ALTER TABLE events ALTER COLUMN raw DROP NOT NULL;
-- userIdentity.accessKeyId, userIdentity.sessionContext.sourceIdentity, vpcEndpointId: the evidence's sessions
ALTER TABLE events ADD COLUMN IF NOT EXISTS access_key_id VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS source_identity VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS vpc_endpoint_id VARCHAR;
-- responseElements.versionId: an UpdateSecret that wrote a version (secret-facts.sql)
ALTER TABLE events ADD COLUMN IF NOT EXISTS version_id VARCHAR;
-- requestParameters.forceDeleteWithoutRecovery, recoveryWindowInDays: secret-deleted
ALTER TABLE events ADD COLUMN IF NOT EXISTS force_delete VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS recovery_window_days VARCHAR;
-- requestParameters.filters (JSON): batch-retrieval's catch-all filters
ALTER TABLE events ADD COLUMN IF NOT EXISTS request_filters VARCHAR;
-- requestParameters.resourcePolicy (JSON): PolicyStatements
ALTER TABLE events ADD COLUMN IF NOT EXISTS resource_policy VARCHAR;
-- where the record is in the events topic (any copy of it: each holds the same record); NULL before V015
ALTER TABLE events ADD COLUMN IF NOT EXISTS kafka_partition INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS kafka_offset BIGINT;

UPDATE events SET
    access_key_id = json_extract_string(raw, '$.userIdentity.accessKeyId'),
    source_identity = json_extract_string(raw, '$.userIdentity.sessionContext.sourceIdentity'),
    vpc_endpoint_id = json_extract_string(raw, '$.vpcEndpointId'),
    version_id = json_extract_string(raw, '$.responseElements.versionId'),
    force_delete = json_extract_string(raw, '$.requestParameters.forceDeleteWithoutRecovery'),
    recovery_window_days = json_extract_string(raw, '$.requestParameters.recoveryWindowInDays'),
    request_filters = json_extract(raw, '$.requestParameters.filters')::VARCHAR,
    resource_policy = json_extract(raw, '$.requestParameters.resourcePolicy')::VARCHAR
WHERE raw IS NOT NULL;

ALTER TABLE trail_changes ALTER COLUMN raw DROP NOT NULL;
-- an assumed-role caller's session: its userIdentity.arn (events keep it in session_arn since V001)
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS session_arn VARCHAR;
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS access_key_id VARCHAR;
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS source_identity VARCHAR;
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS vpc_endpoint_id VARCHAR;
-- requestParameters.name, else requestParameters.trailName; responseElements.trailARN: logging-stopped
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS requested_trail VARCHAR;
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS trail_arn VARCHAR;
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS kafka_partition INTEGER;
ALTER TABLE trail_changes ADD COLUMN IF NOT EXISTS kafka_offset BIGINT;

UPDATE trail_changes SET
    session_arn = CASE WHEN json_extract_string(raw, '$.userIdentity.type') = 'AssumedRole'
                       THEN json_extract_string(raw, '$.userIdentity.arn') END,
    access_key_id = json_extract_string(raw, '$.userIdentity.accessKeyId'),
    source_identity = json_extract_string(raw, '$.userIdentity.sessionContext.sourceIdentity'),
    vpc_endpoint_id = json_extract_string(raw, '$.vpcEndpointId'),
    requested_trail = coalesce(json_extract_string(raw, '$.requestParameters.name'),
                               json_extract_string(raw, '$.requestParameters.trailName')),
    trail_arn = json_extract_string(raw, '$.responseElements.trailARN')
WHERE raw IS NOT NULL;

-- The events a finding can cite as evidence, from columns only.
CREATE OR REPLACE VIEW evidence_events AS
SELECT event_id, event_time, source_ip, user_agent, principal, session_arn, access_key_id, source_identity,
    vpc_endpoint_id
FROM events
UNION ALL
SELECT event_id, event_time, source_ip, user_agent, principal, session_arn, access_key_id, source_identity,
    vpc_endpoint_id
FROM trail_changes;
