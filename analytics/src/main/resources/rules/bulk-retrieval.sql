-- bulk-retrieval: one principal successfully reads >= bulk_secrets distinct secrets within
-- bulk_window_minutes (a sliding window, both ends inclusive). Reads are the snapshot's read_refs: a
-- GetSecretValue a batch generated and the batch are one read, a listed secret without its entry in the
-- trail counts once for the batch. One finding per principal, on its worst window.
--
-- A sliding count(DISTINCT) is slow on millions of reads, so it is computed as a sweep: the reads
-- of one (principal, secret) less than a window apart merge into an island [first, last + W];
-- the secret is in the window ending at t exactly when an island covers t. Each island adds 1 at
-- its start and removes 1 after its end; a running sum probed at every read gives the distinct
-- secrets of the window ending there.
WITH reads AS (
    SELECT r.principal, r.event_time, r.event_id, e.aws_region, r.arn, e.arrival
    FROM read_refs r JOIN events e USING (event_id)
    WHERE r.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall' AND r.principal IS NOT NULL
),
span AS (SELECT to_minutes(bulk_window_minutes) AS w, bulk_secrets AS threshold FROM params),
gaps AS (
    SELECT principal, arn, event_time,
        coalesce(event_time - lag(event_time) OVER (PARTITION BY principal, arn ORDER BY event_time) > (SELECT w FROM span), true) AS gap
    FROM reads
),
islands AS (
    SELECT principal, arn, event_time,
        sum(gap::INTEGER) OVER (PARTITION BY principal, arn ORDER BY event_time ROWS UNBOUNDED PRECEDING) AS island
    FROM gaps
),
bounds AS (
    SELECT principal, min(event_time) AS starts, max(event_time) + (SELECT w FROM span) AS ends
    FROM islands GROUP BY principal, arn, island
),
deltas AS (
    SELECT principal, starts AS t, 0 AS kind, 1 AS d FROM bounds
    UNION ALL SELECT principal, ends, 1, -1 FROM bounds
    UNION ALL SELECT DISTINCT principal, event_time, 0, 0 FROM reads
),
counted AS (
    -- ends sort after starts and probes of the same instant: an island ending at t still covers t
    SELECT principal, t, d, sum(d) OVER (PARTITION BY principal ORDER BY t, kind RANGE UNBOUNDED PRECEDING) AS secrets
    FROM deltas
),
arrivals AS (
    -- the last arrival among the reads of the window ending at each read: a hit that arrived late (V009)
    SELECT DISTINCT principal, event_time AS window_end,
        max(arrival) OVER (PARTITION BY principal ORDER BY event_time
                           RANGE BETWEEN (SELECT w FROM span) PRECEDING AND CURRENT ROW) AS arrival
    FROM reads
),
windows AS (
    SELECT c.principal, c.t AS window_end, c.secrets, a.arrival
    FROM counted c JOIN arrivals a ON a.principal = c.principal AND a.window_end = c.t
    WHERE c.d = 0 AND c.secrets >= (SELECT threshold FROM span)
),
hits AS (
    SELECT principal AS subject, principal, window_end AS hit_at, NULL::TIMESTAMP AS window_start, arrival, secrets AS score,
        CASE WHEN secrets >= 5 * (SELECT threshold FROM span) THEN 'critical' ELSE 'high' END AS severity, window_end, secrets
    FROM windows
),
--@incidents
peak AS (
    SELECT h.* EXCLUDE (window_start),
        (SELECT min(r.event_time) FROM reads r
         WHERE r.principal = h.principal AND r.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) AS window_start,
        (SELECT min(r.event_time) FROM reads r
         WHERE r.principal = h.principal AND r.event_time BETWEEN h.first_hit - (SELECT w FROM span) AND h.first_hit) AS first_read,
        (SELECT list(DISTINCT r.event_id) FROM reads r
         WHERE r.principal = h.principal AND r.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) AS event_ids,
        (SELECT list(DISTINCT r.aws_region) FROM reads r
         WHERE r.principal = h.principal AND r.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) AS regions
    FROM incidents_worst h
)
SELECT principal AS resource, principal, 'alarm' AS status, severity,
    'read ' || secrets || ' distinct secrets in ' || span_text(window_start, window_end)
        || ' (threshold: ' || p.bulk_secrets || ' within ' || p.bulk_window_minutes || ' minutes)' AS reason,
    account_of(principal) AS account, CASE WHEN len(regions) = 1 THEN regions[1] END AS region,
    first_read AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'secrets': secrets, 'calls': len(event_ids)} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
