-- A batch's KMS requests made for secrets, in one statement (each column a list; event_time in epoch
-- microseconds): one insert per row ran at a few hundred a second. A copy of one already stored (same
-- eventID) is ignored; copies within the batch are dropped before. The copy another account's trail logged (another
-- eventID, the same sharedEventID) is stored too: kms_requests_once counts it once.
INSERT INTO kms_requests
SELECT event_id, make_timestamp(event_us), event_name, account_id, aws_region, secret_arn, key_arn, principal,
    invoked_by, error_code, source_file, source_record, shared_event_id, identity_account
FROM (
    SELECT unnest(?::VARCHAR[]) AS event_id, unnest(?::BIGINT[]) AS event_us, unnest(?::VARCHAR[]) AS event_name,
        unnest(?::VARCHAR[]) AS account_id, unnest(?::VARCHAR[]) AS aws_region, unnest(?::VARCHAR[]) AS secret_arn,
        unnest(?::VARCHAR[]) AS key_arn, unnest(?::VARCHAR[]) AS principal, unnest(?::VARCHAR[]) AS invoked_by,
        unnest(?::VARCHAR[]) AS error_code, unnest(?::VARCHAR[]) AS source_file, unnest(?::BIGINT[]) AS source_record,
        unnest(?::VARCHAR[]) AS shared_event_id, unnest(?::VARCHAR[]) AS identity_account
)
ON CONFLICT (event_id) DO NOTHING
