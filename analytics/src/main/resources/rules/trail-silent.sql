-- trail-silent: per (account, region) that delivered files, the latest eventTime of any record in
-- them (trail_deliveries) up to as_of; alarm while as_of - latest >= silence_hours. Files whose latest
-- time lies after as_of are not seen by a report of that time. Ingest dates no delivery after the moment
-- it read the file, so records a writer dated ahead neither postpone the silence nor hide the file.
WITH last AS (
    SELECT account, region, max(latest_event_time) AS latest, min(latest_event_time) AS first, count(*) AS files
    FROM trail_deliveries
    WHERE latest_event_time <= (SELECT as_of FROM params)
    GROUP BY account, region
)
SELECT l.account || ':' || l.region AS resource,
    CASE WHEN p.as_of - l.latest >= to_hours(p.silence_hours) THEN 'alarm' ELSE 'ok' END AS status,
    CASE WHEN p.as_of - l.latest >= to_hours(p.silence_hours)
             THEN 'no trail file since one with records up to ' || strftime(l.latest, '%Y-%m-%dT%H:%M:%SZ') || ': silent for '
                  || CAST(floor(epoch(p.as_of - l.latest) / 3600) AS BIGINT) || ' hours; the limit is ' || p.silence_hours
         ELSE 'latest trail file has records up to ' || strftime(l.latest, '%Y-%m-%dT%H:%M:%SZ') || '; the limit is ' || p.silence_hours || ' hours' END AS reason,
    l.account, l.region, l.first AS first_seen, l.latest AS last_seen,
    l.latest AS window_start, p.as_of AS window_end,
    {'files': l.files, 'silentHours': CAST(floor(epoch(p.as_of - l.latest) / 3600) AS BIGINT)} AS counts
FROM last l, params p
