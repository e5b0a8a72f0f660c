-- first-seen-principal: a principal (keyed on its role or user, never a session name or access
-- key) reads a secret for the first time although the secret has been observed for >= history_days.
-- The subject of its incident is the (principal, secret) pair.
WITH history AS (
    SELECT r.arn, min(e.event_time) AS since
    FROM event_refs r JOIN events e USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params)
    GROUP BY r.arn
),
firsts AS (
    SELECT e.principal, r.arn, min(e.event_time) AS first_read, arg_min(e.event_id, e.event_time) AS event_id
    FROM events e JOIN event_refs r USING (event_id)
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall' AND e.error_code IS NULL
      AND e.event_name IN ('GetSecretValue', 'BatchGetSecretValue') AND e.principal IS NOT NULL
      AND coalesce(e.principal_type, '') <> 'AWSService'
    GROUP BY e.principal, r.arn
),
hits AS (
    -- a first read happens once per (principal, secret): one hit, one incident, no escalation
    SELECT f.principal || ' ' || f.arn AS subject, f.principal, f.arn, f.first_read AS hit_at, f.first_read AS window_start, NULL::BIGINT AS arrival,
        CAST(floor(epoch(f.first_read - h.since) / 86400) AS BIGINT) AS score, 'low' AS severity, f.event_id
    FROM firsts f JOIN history h USING (arn), params p
    WHERE f.first_read - h.since >= to_days(p.history_days)
),
--@incidents
peak AS (SELECT * FROM incidents_worst)
SELECT arn AS resource, principal, 'alarm' AS status,
    'first read by ' || principal || ', ' || score
        || ' days after the secret was first seen (threshold: ' || p.history_days || ' days of history)' AS reason,
    account_of(arn) AS account, split_part(arn, ':', 4) AS region,
    hit_at AS first_seen, hit_at AS last_seen, hit_at AS window_start, hit_at AS window_end,
    {'historyDays': score} AS counts, [event_id] AS event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM peak, params p
