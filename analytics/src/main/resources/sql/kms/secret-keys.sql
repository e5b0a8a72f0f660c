-- The KMS key of every secret up to asOf, the one definition the cost model (KmsKeys) and the cmk-required rule
-- (the snapshot's secret_kms_keys) read. Parameter 1: asOf.
-- kms_key: the key its latest KMS request names (requestParameters.encryptionContext.SecretARN ties a request to
-- its secret; the key is resources[].ARN), else its inventory KmsKeyId, else alias/aws/secretsmanager for an
-- inventoried secret (Secrets Manager's default); a secret none of these name has no row.
-- key_source: 'kms-requests', 'inventory' or 'default', which of the three it is.
-- requests: its KMS requests up to asOf (a request logged in two accounts' trails, the same sharedEventID, once).
-- listed_customer_key: the inventory's KmsKeyId names a key other than aws/secretsmanager (by alias or alias ARN).
-- customer_managed: the key is the key of a secret listed with a customer managed key. The events alone cannot
-- tell: both kinds appear as arn:aws:kms:...:key/... in resources, so every other key is taken for the AWS
-- managed one (no monthly fee).
WITH requested AS (
    SELECT secret_arn AS arn, count(*) AS requests,
        arg_max(key_arn, event_time) FILTER (WHERE key_arn IS NOT NULL) AS event_key
    FROM kms_requests_once
    WHERE event_time <= ?
    GROUP BY secret_arn),
listed AS (SELECT arn, nullif(json_extract_string(raw, '$.KmsKeyId'), '') AS kms_key_id FROM inventory),
keyed AS (
    SELECT coalesce(r.arn, l.arn) AS arn, coalesce(r.requests, 0) AS requests, r.event_key, l.kms_key_id,
        l.arn IS NOT NULL AS in_inventory,
        coalesce(r.event_key, l.kms_key_id, CASE WHEN l.arn IS NOT NULL THEN 'alias/aws/secretsmanager' END) AS kms_key,
        CASE WHEN r.event_key IS NOT NULL THEN 'kms-requests' WHEN l.kms_key_id IS NOT NULL THEN 'inventory'
             WHEN l.arn IS NOT NULL THEN 'default' END AS key_source,
        l.arn IS NOT NULL AND l.kms_key_id IS NOT NULL AND l.kms_key_id <> 'alias/aws/secretsmanager'
            AND NOT ends_with(l.kms_key_id, ':alias/aws/secretsmanager') AS listed_customer_key
    FROM requested r FULL JOIN listed l ON l.arn = r.arn)
SELECT k.*, coalesce(k.kms_key IN (SELECT kms_key FROM keyed WHERE listed_customer_key), false) AS customer_managed
FROM keyed k
WHERE k.kms_key IS NOT NULL OR k.requests > 0
ORDER BY k.arn
