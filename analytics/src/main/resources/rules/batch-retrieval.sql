-- batch-retrieval: >= batch_calls filter-based BatchGetSecretValue calls by one principal within
-- batch_window_minutes, or a single catch-all one. High instead of medium when a call's filters match every secret: each
-- filter has a negated value (values combine with OR, filters with AND), such as
-- {"key": "tag-key", "values": ["!tagKeyThatWillNeverExist"]}.
WITH calls AS (
    SELECT e.principal, e.event_time, e.event_id, e.aws_region, e.error_code, e.arrival,
        coalesce(list_bool_and(list_transform(
            from_json(e.request_filters, '[{"values":["VARCHAR"]}]'),
            lambda f: coalesce(list_bool_or(list_transform(f.values, lambda v: starts_with(v, '!'))), false))), false) AS match_all
    FROM events e
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall'
      AND e.event_name = 'BatchGetSecretValue' AND e.filter_batch AND e.principal IS NOT NULL
),
windows AS (
    SELECT principal, event_time AS window_end, min(event_time) OVER w AS window_start, count(*) OVER w AS n,
        bool_or(match_all) OVER w AS any_match_all, max(arrival) OVER w AS arrival
    FROM calls
    WINDOW w AS (PARTITION BY principal ORDER BY event_time
                 RANGE BETWEEN (SELECT to_minutes(batch_window_minutes) FROM params) PRECEDING AND CURRENT ROW)
),
hits AS (
    -- one row per window over the threshold; incidents are grouped in sql/rules/incidents.sql.
    -- A catch-all call alarms on its own: one such call reads everything the caller may read.
    SELECT principal AS subject, principal, window_end AS hit_at, window_start, arrival, n AS score,
        CASE WHEN any_match_all OR n >= 5 * (SELECT batch_calls FROM params) THEN 'high' ELSE 'medium' END AS severity,
        window_end, n
    FROM windows WHERE n >= (SELECT batch_calls FROM params) OR any_match_all
),
--@incidents
peak AS (
    SELECT h.*,
        (SELECT list(c.event_id) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS event_ids,
        (SELECT count(*) FILTER (WHERE c.error_code IS NOT NULL) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS failed,
        (SELECT coalesce(bool_or(c.match_all), false) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.first_start AND h.last_hit) AS match_all,
        (SELECT list(DISTINCT c.aws_region) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS regions
    FROM incidents_worst h
)
SELECT principal AS resource, principal, 'alarm' AS status, severity,
    (CASE WHEN n = 1 THEN 'made 1 filter-based BatchGetSecretValue call'
          ELSE 'made ' || n || ' filter-based BatchGetSecretValue calls in ' || span_text(window_start, window_end) END)
        || CASE WHEN failed = 0 THEN '' WHEN n = 1 THEN ', which failed' ELSE ', ' || failed || ' of them failing' END
        || CASE WHEN n >= p.batch_calls
                THEN ' (threshold: ' || p.batch_calls || ' within ' || p.batch_window_minutes || ' minutes)' ELSE '' END
        || CASE WHEN match_all THEN '; a filter matches every secret (each filter has a negated value)' ELSE '' END
        || CASE WHEN n < p.batch_calls
                THEN ', which alarms at once, below the threshold of ' || p.batch_calls || ' within '
                     || p.batch_window_minutes || ' minutes' ELSE '' END AS reason,
    account_of(principal) AS account, CASE WHEN len(regions) = 1 THEN regions[1] END AS region,
    first_start AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'calls': n, 'failed': failed, 'matchAll': match_all} AS counts, event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
