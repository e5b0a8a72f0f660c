-- secret_facts: what is known of every secret at asOf, the inventory and the events up to asOf
-- (through event_refs) together. Parameter 1: asOf.
CREATE OR REPLACE TEMP TABLE secret_facts AS
-- ev is read twice (stats, coverage), so DuckDB materialises it: only the columns needed, never raw (at 10
-- million events, carrying raw spilled 7 GB). An UpdateSecret wrote a version when AWS answered with a
-- versionId or the request carried a value (not a description- or KMS-key-only one).
WITH ev AS (
    SELECT event_id, event_time, event_name, event_type, error_code, error_message, account_id, aws_region,
        CASE WHEN event_name = 'UpdateSecret' THEN coalesce(carried_value, false)
            OR version_id IS NOT NULL END AS update_wrote_version
    FROM events WHERE event_time <= ?
),
refs AS (SELECT * FROM event_refs),
-- reads as read_refs counts them: a batch and the entries it generated are one retrieval
last_reads AS (SELECT arn, max(event_time) AS last_read FROM read_refs GROUP BY arn),
stats AS (
    SELECT r.arn,
        min(e.event_time) AS first_seen,
        max(e.event_time) AS last_seen,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RotationSucceeded') AS ev_rotation_succeeded,
        -- a manual change that wrote a version: every PutSecretValue; an UpdateSecret only when it wrote one
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND (e.event_name = 'PutSecretValue'
            OR (e.event_name = 'UpdateSecret' AND e.update_wrote_version))) AS ev_manual_change,
        max(e.event_time) FILTER (WHERE e.event_name IN ('RotationFailed', 'TestRotationFailed', 'RotationAbandoned')) AS last_rotation_failure,
        arg_max(e.error_message, e.event_time) FILTER (WHERE e.event_name IN ('RotationFailed', 'TestRotationFailed', 'RotationAbandoned')) AS last_rotation_failure_message,
        arg_max(e.event_name, e.event_time) FILTER (WHERE e.event_name IN ('RotationFailed', 'TestRotationFailed', 'RotationAbandoned')) AS last_rotation_failure_event,
        min(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'CreateSecret') AS ev_created,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'DeleteSecret') AS ev_deleted,
        max(e.event_time) FILTER (WHERE e.error_code IS NULL AND e.event_name = 'RestoreSecret') AS ev_restored,
        -- events that show the secret they name exists: any successful call but BatchGetSecretValue
        -- (which succeeds while listing ids that do not exist), and service events
        count(*) FILTER (WHERE (e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall') AS confirming_events,
        min(e.event_time) FILTER (WHERE (e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall') AS first_confirmed
    FROM refs r JOIN ev e USING (event_id)
    GROUP BY r.arn
),
-- How far back the data reaches: the earliest stored event of each account and region, as CloudTrail
-- delivers its files (per account and region), whatever secret it names.
coverage AS (SELECT account_id, aws_region, min(event_time) AS history_since FROM ev GROUP BY account_id, aws_region),
everything AS (SELECT arn FROM inventory UNION SELECT arn FROM stats),
base AS (
    SELECT a.arn, i.arn IS NOT NULL AS in_inventory,
        split_part(a.arn, ':', 5) AS account, split_part(a.arn, ':', 4) AS region,
        split_part(a.arn, ':', 7) AS resource_name,
        coalesce(i.primary_region, split_part(a.arn, ':', 4)) AS primary_region,
        i.rotation_enabled, i.last_rotated_date, i.next_rotation_date, i.last_accessed_date,
        -- ListSecrets' OwningService (rds, ...): another service created the secret and manages it;
        -- Type: the partner's secret type of a managed external secret (SalesforceClientSecret, ...)
        nullif(json_extract_string(i.raw, '$.OwningService'), '') AS owning_service,
        nullif(json_extract_string(i.raw, '$.Type'), '') AS external_type,
        c.history_since,
        coalesce(i.created_date, s.ev_created) AS created_date,
        -- a secret that left the listing (an inventory tombstone) is gone, though its row stays
        coalesce(i.deleted_date,
            CASE WHEN s.ev_deleted IS NOT NULL AND (s.ev_restored IS NULL OR s.ev_restored < s.ev_deleted)
                 THEN s.ev_deleted END, i.gone_at) AS deleted_date,
        i.gone_at,
        -- storage is billed from creation; a secret the inventory does not list, with no CreateSecret,
        -- from the first event that shows it exists (NULL: from the month start, as an inventory entry
        -- without a CreatedDate)
        coalesce(i.created_date, s.ev_created, CASE WHEN i.arn IS NULL THEN s.first_confirmed END) AS billed_from,
        s.first_seen, s.last_seen, lr.last_read, s.ev_rotation_succeeded, s.ev_manual_change,
        s.last_rotation_failure, s.last_rotation_failure_message, s.last_rotation_failure_event,
        -- the secret exists: the inventory lists it, or a successful event or a service event names it
        i.arn IS NOT NULL OR coalesce(s.confirming_events, 0) > 0 AS confirmed,
        cov.account IS NOT NULL AS covered
    FROM everything a
    LEFT JOIN inventory i ON i.arn = a.arn
    LEFT JOIN stats s ON s.arn = a.arn
    LEFT JOIN last_reads lr ON lr.arn = a.arn
    LEFT JOIN coverage c ON c.account_id = split_part(a.arn, ':', 5) AND c.aws_region = split_part(a.arn, ':', 4)
    -- an inventory covers the account and region: a name it does not list, that no event confirms, does not exist
    LEFT JOIN inventory_coverage cov ON cov.account = split_part(a.arn, ':', 5) AND cov.region = split_part(a.arn, ':', 4)
)
SELECT *,
    -- the report's exists: true (confirmed), false (never confirmed where an inventory covers the account
    -- and region), NULL (never confirmed, not covered). Only existing secrets are billed.
    CASE WHEN confirmed THEN true WHEN covered THEN false END AS secret_exists,
    -- what a rule says of a secret it must not judge as an ordinary one
    CASE WHEN owning_service IS NOT NULL THEN 'managed by ' || owning_service
         WHEN external_type IS NOT NULL THEN 'a managed external secret (' || external_type || ')' END AS managed_by,
    primary_region <> region AS is_replica,
    'arn:' || split_part(arn, ':', 2) || ':secretsmanager:' || primary_region || ':' || account
        || ':secret:' || resource_name AS primary_arn
FROM base
