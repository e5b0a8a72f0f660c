-- bulk-retrieval: one principal successfully reads >= bulk_secrets distinct secrets within
-- bulk_window_minutes (a sliding window, both ends inclusive). Reads are the snapshot's read_refs: a
-- GetSecretValue a batch generated and the batch are one read, a listed secret without its entry in the
-- trail counts once for the batch. One finding per principal, on its worst window.
--
-- A sliding count(DISTINCT) is slow on millions of reads, so it is computed as a sweep: the reads
-- of one (principal, secret) less than a window apart merge into an island [first, last + W];
-- the secret is in the window ending at t exactly when an island covers t. Each island adds 1 at
-- its start and removes 1 just after its end (1 microsecond, the resolution of a TIMESTAMP, so an
-- island ending at t still covers t); a running sum probed at every read gives the distinct secrets
-- of the window ending there. An island starts at a read with no read of the pair within W before it
-- and ends at one with none within W after it, so one sort of the reads finds both ends, and one sort
-- of the sweep gives the running sum and, over the same order, the last arrival of each window.
WITH read_rows AS (
    SELECT r.principal, r.event_time, r.event_id, e.aws_region, r.arn, e.arrival
    FROM read_refs r JOIN events e USING (event_id)
    WHERE r.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall' AND r.principal IS NOT NULL
),
-- The sweeps sort by caller and by (caller, secret): numbered, not as ARNs, their rows are a fraction of the
-- size, so the sorts stay within the store's memory limit instead of spilling (issue 16: 2.3 s of the report).
-- Numbered in order, so that each reading of callers (here and in windows) numbers them alike even if the
-- planner inlines it.
callers AS (SELECT principal, row_number() OVER (ORDER BY principal) AS pid FROM (SELECT DISTINCT principal FROM read_rows)),
read_secrets AS (SELECT arn, row_number() OVER (ORDER BY arn) AS sid FROM (SELECT DISTINCT arn FROM read_rows)),
reads AS (
    SELECT r.*, c.pid, s.sid
    FROM read_rows r JOIN callers c USING (principal) JOIN read_secrets s ON s.arn IS NOT DISTINCT FROM r.arn
),
span AS (SELECT to_minutes(bulk_window_minutes) AS w, bulk_secrets AS threshold FROM params),
ends AS (
    SELECT pid, event_time,
        coalesce(event_time - lag(event_time) OVER pair > (SELECT w FROM span), true) AS starts,
        coalesce(lead(event_time) OVER pair - event_time > (SELECT w FROM span), true) AS ends
    FROM reads
    WINDOW pair AS (PARTITION BY pid, sid ORDER BY event_time)
),
deltas AS (
    -- arrival: a probe's own, NULL on the island ends, which max() passes over
    SELECT pid, event_time AS t, 1 AS d, NULL::BIGINT AS arrival FROM ends WHERE starts
    UNION ALL SELECT pid, event_time + (SELECT w FROM span) + INTERVAL 1 MICROSECOND, -1, NULL FROM ends WHERE ends
    UNION ALL SELECT pid, event_time, 0, arrival FROM reads
),
counted AS (
    SELECT pid, t, d,
        sum(d) OVER (PARTITION BY pid ORDER BY t RANGE UNBOUNDED PRECEDING) AS secrets,
        -- the last arrival among the reads of the window ending at each read: a hit that arrived late (V009)
        max(arrival) OVER (PARTITION BY pid ORDER BY t
                           RANGE BETWEEN (SELECT w FROM span) PRECEDING AND CURRENT ROW) AS arrival
    FROM deltas
),
windows AS (
    SELECT DISTINCT c.principal, t AS window_end, secrets, arrival
    FROM counted JOIN callers c USING (pid)
    WHERE d = 0 AND secrets >= (SELECT threshold FROM span)
),
hits AS (
    SELECT principal AS subject, principal, window_end AS hit_at, NULL::TIMESTAMP AS window_start, arrival, secrets AS score,
        CASE WHEN secrets >= 5 * (SELECT threshold FROM span) THEN 'critical' ELSE 'high' END AS severity, window_end, secrets
    FROM windows
),
--@incidents
peak AS (
    -- the worst window's reads, gathered in one pass
    SELECT h.* EXCLUDE (window_start), pk.window_start, pk.event_ids, pk.regions,
        (SELECT min(r.event_time) FROM reads r
         WHERE r.principal = h.principal AND r.event_time BETWEEN h.first_hit - (SELECT w FROM span) AND h.first_hit) AS first_read
    FROM incidents_worst h,
    LATERAL (SELECT min(r.event_time) AS window_start, list(DISTINCT r.event_id) AS event_ids,
                 list(DISTINCT r.aws_region) AS regions
             FROM reads r
             WHERE r.principal = h.principal AND r.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) pk
)
SELECT principal AS resource, principal, 'alarm' AS status, severity,
    'read ' || secrets || ' distinct secrets in ' || span_text(window_start, window_end)
        || ' (threshold: ' || p.bulk_secrets || ' within ' || p.bulk_window_minutes || ' minutes)' AS reason,
    account_of(principal) AS account, CASE WHEN len(regions) = 1 THEN regions[1] END AS region,
    first_read AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'secrets': secrets, 'calls': len(event_ids)} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
