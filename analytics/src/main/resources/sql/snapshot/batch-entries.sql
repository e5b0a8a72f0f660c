-- batch_entries (entry_id, batch_id, match): the GetSecretValue entries up to asOf that a
-- BatchGetSecretValue generated, each tied to one batch. The SQL form of BatchEntryMatcher.match (the
-- specification; a parity test holds the two together): same principal, the entry's secret one the batch
-- listed (any, for a batch that lists none), and then the same request id (any time apart: match
-- 'request_id') or the same session, source IP and user agent within matchSeconds (both ends inclusive:
-- match 'fingerprint'). An entry that several batches could have generated is kept once: a request-id match
-- first, then the earliest batch. Parameters: $1 asOf, $2 matchSeconds.
--
-- The time window is joined through buckets of max(matchSeconds, 1) seconds, each batch standing in the (at
-- most 3) buckets its window touches: an equi-join, so a busy caller's millions of reads are not compared with
-- each of its batches one by one.
CREATE OR REPLACE TEMP TABLE batch_entries AS
WITH ev AS (SELECT * FROM events WHERE event_time <= $1 AND principal IS NOT NULL),
size AS (SELECT greatest($2, 1) AS s),
batches AS (
    SELECT e.event_id, e.event_time, e.request_id, e.principal, e.session_arn, e.source_ip, e.user_agent,
        NOT EXISTS (SELECT 1 FROM event_refs r WHERE r.event_id = e.event_id) AS any_secret
    FROM ev e WHERE e.event_name = 'BatchGetSecretValue'
),
-- only the entries of a principal that made a batch: both matches require the same principal, and most callers
-- never batch, so their reads (nearly all of them) are not joined with event_refs for nothing
entries AS (
    SELECT e.event_id, e.event_time, e.request_id, e.principal, e.session_arn, e.source_ip, e.user_agent, r.arn,
        CAST(floor(epoch(e.event_time) / (SELECT s FROM size)) AS BIGINT) AS bucket
    FROM ev e JOIN event_refs r USING (event_id)
    WHERE e.event_name = 'GetSecretValue' AND e.principal IN (SELECT principal FROM batches)
),
batch_buckets AS (
    SELECT b.*, unnest(range(
        CAST(floor((epoch(b.event_time) - $2) / (SELECT s FROM size)) AS BIGINT),
        CAST(floor((epoch(b.event_time) + $2) / (SELECT s FROM size)) AS BIGINT) + 1)) AS bucket
    FROM batches b WHERE b.source_ip IS NOT NULL
),
candidates AS (
    SELECT n.event_id AS entry_id, b.event_id AS batch_id, b.event_time AS batch_time, 0 AS kind, n.arn, b.any_secret
    FROM entries n JOIN batches b ON b.principal = n.principal AND b.request_id = n.request_id
    UNION ALL
    SELECT n.event_id, b.event_id, b.event_time, 1, n.arn, b.any_secret
    FROM entries n JOIN batch_buckets b ON b.principal = n.principal AND b.source_ip = n.source_ip
        AND b.bucket = n.bucket
        AND b.session_arn IS NOT DISTINCT FROM n.session_arn AND b.user_agent IS NOT DISTINCT FROM n.user_agent
    WHERE n.event_time BETWEEN b.event_time - to_seconds($2) AND b.event_time + to_seconds($2)
      AND (n.request_id IS NULL OR b.request_id IS NULL OR n.request_id <> b.request_id)
),
asked AS (
    SELECT c.* FROM candidates c
    WHERE c.any_secret OR EXISTS (SELECT 1 FROM event_refs r WHERE r.event_id = c.batch_id AND r.arn = c.arn)
)
SELECT entry_id, arg_min(batch_id, (kind, batch_time, batch_id)) AS batch_id,
    CASE WHEN min(kind) = 0 THEN 'request_id' ELSE 'fingerprint' END AS match
FROM asked GROUP BY entry_id
