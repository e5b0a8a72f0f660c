-- first-seen-principal: a principal (keyed on its role or user, never a session name or access
-- key) reads a secret for the first time although the secret has been observed for >= history_days.
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
)
SELECT f.arn AS resource, f.principal, 'alarm' AS status,
    'first read by ' || f.principal || ', ' || CAST(floor(epoch(f.first_read - h.since) / 86400) AS BIGINT)
        || ' days after the secret was first seen (threshold: ' || p.history_days || ' days of history)' AS reason,
    account_of(f.arn) AS account, split_part(f.arn, ':', 4) AS region,
    f.first_read AS first_seen, f.first_read AS last_seen, f.first_read AS window_start, f.first_read AS window_end,
    {'historyDays': CAST(floor(epoch(f.first_read - h.since) / 86400) AS BIGINT)} AS counts, [f.event_id] AS event_ids
FROM firsts f JOIN history h USING (arn), params p
WHERE f.first_read - h.since >= to_days(p.history_days)
