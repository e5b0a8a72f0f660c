-- read_refs (event_id, arn, principal, event_time, source): every successful retrieval of a secret's value
-- up to asOf, once. source 'direct': a GetSecretValue without an error that no batch generated; 'generated':
-- one a BatchGetSecretValue generated (batch_entries); 'batch': a secret a successful listing batch asked
-- for with no GetSecretValue entry (successful or not) for it by the same principal within matchSeconds
-- or with the batch's request id, which the batch itself counts as read: the fallback for trails filtered
-- down to the batch call (BatchEntryMatcher.fallbackReads). A batch by filters names no secret and adds none.
-- Parameters: $1 asOf, $2 matchSeconds. The window is joined through time buckets, as in batch-entries.sql.
CREATE OR REPLACE TEMP TABLE read_refs AS
WITH ev AS (SELECT * FROM events WHERE event_time <= $1 AND event_name IN ('GetSecretValue', 'BatchGetSecretValue')),
size AS (SELECT greatest($2, 1) AS s),
entries AS (
    SELECT e.event_id, r.arn, e.principal, e.event_time, e.error_code, e.request_id,
        CAST(floor(epoch(e.event_time) / (SELECT s FROM size)) AS BIGINT) AS bucket
    FROM ev e JOIN event_refs r USING (event_id) WHERE e.event_name = 'GetSecretValue'
),
listed AS (
    SELECT b.event_id, r.arn, b.principal, b.event_time, b.request_id
    FROM ev b JOIN event_refs r USING (event_id)
    WHERE b.event_name = 'BatchGetSecretValue' AND b.error_code IS NULL AND NOT b.filter_batch
),
listed_buckets AS (
    SELECT l.*, unnest(range(
        CAST(floor((epoch(l.event_time) - $2) / (SELECT s FROM size)) AS BIGINT),
        CAST(floor((epoch(l.event_time) + $2) / (SELECT s FROM size)) AS BIGINT) + 1)) AS bucket
    FROM listed l
),
covered AS (
    SELECT l.event_id, l.arn FROM listed_buckets l
    JOIN entries n ON n.principal = l.principal AND n.arn = l.arn AND n.bucket = l.bucket
    WHERE n.event_time BETWEEN l.event_time - to_seconds($2) AND l.event_time + to_seconds($2)
    UNION
    SELECT l.event_id, l.arn FROM listed l
    JOIN entries n ON n.principal = l.principal AND n.arn = l.arn AND n.request_id = l.request_id
)
SELECT n.event_id, n.arn, n.principal, n.event_time,
    CASE WHEN n.event_id IN (SELECT entry_id FROM batch_entries) THEN 'generated' ELSE 'direct' END AS source
FROM entries n WHERE n.error_code IS NULL
UNION ALL
SELECT l.event_id, l.arn, l.principal, l.event_time, 'batch'
FROM listed l ANTI JOIN covered c ON c.event_id = l.event_id AND c.arn = l.arn
