-- name-probing: one principal names >= probing_names distinct names not known to exist (see
-- name_refs: not in the inventory, no successful call or service event naming them) within
-- probing_window_minutes (sliding, both ends inclusive). One finding per principal, on its worst
-- window, however many names it tried. The distinct count is the sweep of bulk-retrieval: the
-- calls of one (principal, name) less than a window apart merge into an island [first, last + W].
WITH probes AS (
    SELECT e.principal, e.event_time, e.event_id, e.aws_region, n.name, e.arrival
    FROM events e JOIN name_refs n USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall' AND e.principal IS NOT NULL
),
span AS (SELECT to_minutes(probing_window_minutes) AS w, probing_names AS threshold FROM params),
gaps AS (
    SELECT principal, name, event_time,
        coalesce(event_time - lag(event_time) OVER (PARTITION BY principal, name ORDER BY event_time) > (SELECT w FROM span), true) AS gap
    FROM probes
),
islands AS (
    SELECT principal, name, event_time,
        sum(gap::INTEGER) OVER (PARTITION BY principal, name ORDER BY event_time ROWS UNBOUNDED PRECEDING) AS island
    FROM gaps
),
bounds AS (
    SELECT principal, min(event_time) AS starts, max(event_time) + (SELECT w FROM span) AS ends
    FROM islands GROUP BY principal, name, island
),
deltas AS (
    SELECT principal, starts AS t, 0 AS kind, 1 AS d FROM bounds
    UNION ALL SELECT principal, ends, 1, -1 FROM bounds
    UNION ALL SELECT DISTINCT principal, event_time, 0, 0 FROM probes
),
counted AS (
    -- ends sort after starts and probes of the same instant: an island ending at t still covers t
    SELECT principal, t, d, sum(d) OVER (PARTITION BY principal ORDER BY t, kind RANGE UNBOUNDED PRECEDING) AS names
    FROM deltas
),
arrivals AS (
    -- the last arrival among the probes of the window ending at each probe: a hit that arrived late (V009)
    SELECT DISTINCT principal, event_time AS window_end,
        max(arrival) OVER (PARTITION BY principal ORDER BY event_time
                           RANGE BETWEEN (SELECT w FROM span) PRECEDING AND CURRENT ROW) AS arrival
    FROM probes
),
windows AS (
    SELECT c.principal, c.t AS window_end, c.names, a.arrival
    FROM counted c JOIN arrivals a ON a.principal = c.principal AND a.window_end = c.t
    WHERE c.d = 0 AND c.names >= (SELECT threshold FROM span)
),
hits AS (
    -- one row per window over the threshold; incidents are grouped in sql/rules/incidents.sql
    SELECT principal AS subject, principal, window_end AS hit_at, NULL::TIMESTAMP AS window_start, arrival, names AS score,
        CASE WHEN names >= 5 * (SELECT threshold FROM span) THEN 'high' ELSE 'medium' END AS severity, window_end, names
    FROM windows
),
--@incidents
peak AS (
    SELECT h.* EXCLUDE (window_start),
        (SELECT min(p.event_time) FROM probes p
         WHERE p.principal = h.principal AND p.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) AS window_start,
        (SELECT min(p.event_time) FROM probes p
         WHERE p.principal = h.principal AND p.event_time BETWEEN h.first_hit - (SELECT w FROM span) AND h.first_hit) AS first_probe,
        (SELECT list(DISTINCT p.event_id) FROM probes p
         WHERE p.principal = h.principal AND p.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) AS event_ids,
        (SELECT list(DISTINCT p.aws_region) FROM probes p
         WHERE p.principal = h.principal AND p.event_time BETWEEN h.window_end - (SELECT w FROM span) AND h.window_end) AS regions,
        (SELECT count(DISTINCT p.name) FROM probes p
         WHERE p.principal = h.principal AND p.event_time BETWEEN h.first_hit - (SELECT w FROM span) AND h.last_hit) AS all_names
    FROM incidents_worst h
)
SELECT principal AS resource, principal, 'alarm' AS status, severity,
    'named ' || names || ' secrets not known to exist in ' || span_text(window_start, window_end)
        || ' (threshold: ' || p.probing_names || ' within ' || p.probing_window_minutes || ' minutes); '
        || all_names || ' such names in all' AS reason,
    account_of(principal) AS account, CASE WHEN len(regions) = 1 THEN regions[1] END AS region,
    first_probe AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'names': names, 'calls': len(event_ids), 'allNames': all_names} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
