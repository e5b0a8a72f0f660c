-- batch-multi-region: BatchGetSecretValue calls by one principal in >= multi_regions regions within
-- multi_window_minutes. One finding per principal, on its worst window.
WITH calls AS (
    SELECT e.principal, e.event_time, e.event_id, e.aws_region
    FROM events e
    WHERE e.event_time <= (SELECT as_of FROM params) AND e.event_type = 'AwsApiCall'
      AND e.event_name = 'BatchGetSecretValue' AND e.principal IS NOT NULL AND e.aws_region IS NOT NULL
),
windows AS (
    SELECT principal, event_time AS window_end, min(event_time) OVER w AS window_start, count(DISTINCT aws_region) OVER w AS regions
    FROM calls
    WINDOW w AS (PARTITION BY principal ORDER BY event_time
                 RANGE BETWEEN (SELECT to_minutes(multi_window_minutes) FROM params) PRECEDING AND CURRENT ROW)
),
hits AS (
    SELECT *, row_number() OVER (PARTITION BY principal ORDER BY regions DESC, window_end) AS rank,
        min(window_start) OVER (PARTITION BY principal) AS first_hit, max(window_end) OVER (PARTITION BY principal) AS last_hit
    FROM windows WHERE regions >= (SELECT multi_regions FROM params)
),
peak AS (
    SELECT h.*,
        (SELECT list(c.event_id) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS event_ids,
        (SELECT list_sort(list(DISTINCT c.aws_region)) FROM calls c
         WHERE c.principal = h.principal AND c.event_time BETWEEN h.window_start AND h.window_end) AS region_list
    FROM hits h WHERE rank = 1
)
SELECT principal AS resource, principal, 'alarm' AS status,
    'called BatchGetSecretValue in ' || regions || ' regions in ' || span_text(window_start, window_end)
        || ' (threshold: ' || p.multi_regions || ' within ' || p.multi_window_minutes || ' minutes): '
        || array_to_string(region_list, ', ') AS reason,
    account_of(principal) AS account, NULL AS region,
    first_hit AS first_seen, last_hit AS last_seen, window_start, window_end,
    {'regions': regions, 'calls': len(event_ids)} AS counts, event_ids
FROM peak, params p
