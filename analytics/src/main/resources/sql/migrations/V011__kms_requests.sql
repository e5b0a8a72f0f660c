-- V011: the KMS requests Secrets Manager makes for a secret (Decrypt on a read, GenerateDataKey on a write...),
-- kept apart from events: every count, rollup and rule over events means Secrets Manager calls, and these
-- never change one. One row per eventID, whatever the copies. No raw column: the columns are all a cost
-- or an audit needs, and the full records would double the store for a fraction of the events.
-- secret_arn: the canonical ARN the resolver gave requestParameters.encryptionContext.SecretARN.
-- key_arn: resources[].ARN, else requestParameters.keyId (an ARN, a key id or an alias, as logged).
CREATE TABLE IF NOT EXISTS kms_requests (
    event_id VARCHAR PRIMARY KEY,
    event_time TIMESTAMP NOT NULL,
    event_name VARCHAR NOT NULL,
    account_id VARCHAR,
    aws_region VARCHAR,
    secret_arn VARCHAR NOT NULL,
    key_arn VARCHAR,
    principal VARCHAR,
    invoked_by VARCHAR,
    error_code VARCHAR,
    source_file VARCHAR,
    source_record BIGINT);
