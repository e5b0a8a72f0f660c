-- The schema as it stood before numbered migrations (8592ca5). Every statement is idempotent
-- (IF NOT EXISTS), so a database written before schema_version existed is brought here in place
-- and recorded as version 1. A shipped migration is never edited: change the schema in a new file.

-- Raw events are kept beside their columns so nothing read is ever lost.
CREATE TABLE IF NOT EXISTS events (
    event_key UUID NOT NULL,
    event_id VARCHAR NOT NULL,
    event_time TIMESTAMP NOT NULL,
    event_source VARCHAR NOT NULL,
    event_name VARCHAR NOT NULL,
    event_type VARCHAR,
    aws_region VARCHAR,
    account_id VARCHAR,
    error_code VARCHAR,
    error_message VARCHAR,
    principal VARCHAR,
    principal_type VARCHAR,
    session_arn VARCHAR,
    source_ip VARCHAR,
    user_agent VARCHAR,
    names_secret BOOLEAN NOT NULL,
    filter_batch BOOLEAN NOT NULL,
    source_file VARCHAR,
    source_record BIGINT,
    raw VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS event_secrets (
    pair_key UUID NOT NULL,
    event_time TIMESTAMP NOT NULL,
    event_id VARCHAR NOT NULL,
    secret_key VARCHAR NOT NULL,
    resolved BOOLEAN NOT NULL,
    account VARCHAR,
    region VARCHAR,
    name VARCHAR);

CREATE TABLE IF NOT EXISTS inventory (
    arn VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    account VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    primary_region VARCHAR,
    rotation_enabled BOOLEAN,
    rotation_lambda_arn VARCHAR,
    rotation_days INTEGER,
    created_date TIMESTAMP,
    last_rotated_date TIMESTAMP,
    last_changed_date TIMESTAMP,
    last_accessed_date TIMESTAMP,
    deleted_date TIMESTAMP,
    next_rotation_date TIMESTAMP,
    tags VARCHAR,
    raw VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS consumer_offsets (
    topic VARCHAR NOT NULL,
    kafka_partition INTEGER NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, kafka_partition));

CREATE TABLE IF NOT EXISTS counters (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL);

-- Every secret key events name, once: what the report and the dashboard resolve.
CREATE TABLE IF NOT EXISTS secret_keys (
    secret_key VARCHAR NOT NULL,
    resolved BOOLEAN NOT NULL,
    account VARCHAR,
    region VARCHAR,
    name VARCHAR);

-- Rollups, written with each batch (partial rows, summed when read, compacted now and then; see
-- Rollups). calls counts (event, secret) pairs, events distinct events. A secret_key of '' is an
-- event that names no secret, a principal of '' an unknown caller.
CREATE TABLE IF NOT EXISTS rollup_daily (
    day DATE NOT NULL,
    secret_key VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    event_name VARCHAR NOT NULL,
    api_call BOOLEAN NOT NULL,
    calls BIGINT NOT NULL,
    events BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL);

CREATE TABLE IF NOT EXISTS rollup_hourly (
    hour TIMESTAMP NOT NULL,
    secret_key VARCHAR NOT NULL,
    event_name VARCHAR NOT NULL,
    calls BIGINT NOT NULL,
    errors BIGINT NOT NULL);

CREATE TABLE IF NOT EXISTS rollup_clients (
    secret_key VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    source_ip VARCHAR NOT NULL,
    user_agent VARCHAR NOT NULL,
    calls BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL);

-- Acknowledgements and suppressions of alerts, kept as an audit log: rows are only added.
CREATE TABLE IF NOT EXISTS alert_actions (
    acted_at TIMESTAMP NOT NULL,
    rule VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    expires TIMESTAMP,
    actor VARCHAR NOT NULL);

-- Open alarm episodes: one notification per (rule, resource, principal) per episode.
CREATE TABLE IF NOT EXISTS alert_state (
    rule VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    episode VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    since TIMESTAMP NOT NULL,
    payload VARCHAR NOT NULL);

-- The webhook outbox: every delivery is recorded before it is attempted, with its outcome.
CREATE TABLE IF NOT EXISTS webhook_outbox (
    delivery_id VARCHAR NOT NULL,
    webhook VARCHAR NOT NULL,
    message_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    rule VARCHAR,
    severity VARCHAR,
    resource VARCHAR,
    payload VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status INTEGER,
    last_error VARCHAR,
    latency_ms BIGINT,
    delivered_at TIMESTAMP,
    digest_id VARCHAR);

-- Bounds against hostile floods (see StoreLimits). Names never confirmed to exist beyond the cap
-- per account and region are not tracked one by one: their calls are counted here per day,
-- account, region and principal; names counts each such name once, on the row of the batch that
-- first stored it.
CREATE TABLE IF NOT EXISTS rollup_unknown_names (
    day DATE NOT NULL,
    account VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    principal VARCHAR NOT NULL,
    calls BIGINT NOT NULL,
    names BIGINT NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL);

-- The clients folded into a (secret, principal)'s "others" row by compaction; 0 on a client's own
-- row.
ALTER TABLE rollup_clients ADD COLUMN IF NOT EXISTS others BIGINT DEFAULT 0;

-- Every stored event's id, over all time: dedupe by eventID whatever its eventTime. The primary key
-- (an ART index DuckDB keeps under its memory limit) is the high 64 bits of the 128-bit event key:
-- far smaller and faster than a UUID key; key_low (the other 64) tells a collision from a copy.
-- content fingerprints the stored copy (time, source, name, error, account, region, caller,
-- address, agent) and source_file/source_record say where it came from, so a later copy that
-- differs is reported as a conflict naming both files.
CREATE TABLE IF NOT EXISTS event_ids (
    id_hash BIGINT PRIMARY KEY,
    key_low BIGINT NOT NULL,
    content BIGINT NOT NULL,
    source_file VARCHAR,
    source_record BIGINT);

-- Dead letters, from their headers only (a rejected record's bytes may be anything): who rejected
-- what, where it came from, and whether it was a Secrets Manager record. dead_letter_key is the
-- dead letter's Kafka key: a copy published twice counts once.
CREATE TABLE IF NOT EXISTS rejections (
    dead_letter_key VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,
    file VARCHAR,
    record BIGINT,
    field VARCHAR,
    error VARCHAR,
    secrets_manager BOOLEAN,
    stage VARCHAR NOT NULL);
