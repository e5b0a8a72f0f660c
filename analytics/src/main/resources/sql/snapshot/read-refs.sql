-- read_refs (event_id, arn, principal, event_time, source): every successful retrieval of a secret's value
-- up to asOf, once. source 'direct': a GetSecretValue without an error that no batch generated; 'generated':
-- one a BatchGetSecretValue generated (batch_entries); 'batch': a secret a successful listing batch asked
-- for with no GetSecretValue entry (successful or not) for it by the same principal within matchSeconds
-- or with the batch's request id, which the batch itself counts as read: the fallback for trails filtered down to the batch call
-- (BatchEntryMatcher.fallbackReads). A batch by filters names no secret and adds none.
-- Parameters: $1 asOf, $2 matchSeconds.
CREATE OR REPLACE TEMP TABLE read_refs AS
WITH ev AS (SELECT * FROM events WHERE event_time <= $1 AND event_name IN ('GetSecretValue', 'BatchGetSecretValue')),
entries AS (
    SELECT e.event_id, r.arn, e.principal, e.event_time, e.error_code, e.request_id
    FROM ev e JOIN event_refs r USING (event_id) WHERE e.event_name = 'GetSecretValue'
)
SELECT n.event_id, n.arn, n.principal, n.event_time,
    CASE WHEN n.event_id IN (SELECT entry_id FROM batch_entries) THEN 'generated' ELSE 'direct' END AS source
FROM entries n WHERE n.error_code IS NULL
UNION ALL
SELECT b.event_id, r.arn, b.principal, b.event_time, 'batch'
FROM ev b JOIN event_refs r USING (event_id)
WHERE b.event_name = 'BatchGetSecretValue' AND b.error_code IS NULL AND NOT b.filter_batch
  AND NOT EXISTS (
    SELECT 1 FROM entries n
    WHERE n.principal = b.principal AND n.arn = r.arn
      AND (n.event_time BETWEEN b.event_time - to_seconds($2) AND b.event_time + to_seconds($2)
           OR n.request_id = b.request_id))
