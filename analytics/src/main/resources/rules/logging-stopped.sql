-- logging-stopped: CloudTrail's own StopLogging / DeleteTrail / UpdateTrail / PutEventSelectors calls
-- (trail_changes) up to as_of, one finding per trail. The trail is the ARN the response names, else
-- the name or ARN the request gave (a bare name is made an ARN in the caller's account and region).
-- High when at least one call succeeded, medium when all were denied.
WITH changes AS (
    SELECT event_id, event_time, event_name, error_code, principal, account_id, aws_region,
        coalesce(json_extract_string(raw, '$.requestParameters.name'),
                 json_extract_string(raw, '$.requestParameters.trailName')) AS requested,
        json_extract_string(raw, '$.responseElements.trailARN') AS arn
    FROM trail_changes
    WHERE event_time <= (SELECT as_of FROM params)
),
named AS (
    SELECT *,
        coalesce(arn,
            CASE WHEN requested LIKE 'arn:%' THEN requested
                 WHEN requested IS NOT NULL
                     THEN 'arn:aws:cloudtrail:' || coalesce(aws_region, '') || ':' || coalesce(account_id, '') || ':trail/' || requested
                 ELSE 'arn:aws:cloudtrail:' || coalesce(aws_region, '') || ':' || coalesce(account_id, '') || ':trail/(unnamed)' END) AS trail
    FROM changes
),
per_trail AS (
    SELECT trail,
        count(*) FILTER (WHERE error_code IS NULL) AS done,
        count(*) FILTER (WHERE error_code IS NOT NULL) AS denied,
        count(*) FILTER (WHERE error_code IS NULL AND event_name = 'StopLogging') AS stop_logging,
        count(*) FILTER (WHERE error_code IS NULL AND event_name = 'DeleteTrail') AS delete_trail,
        count(*) FILTER (WHERE error_code IS NULL AND event_name = 'UpdateTrail') AS update_trail,
        count(*) FILTER (WHERE error_code IS NULL AND event_name = 'PutEventSelectors') AS put_event_selectors,
        arg_max(event_name, event_time) FILTER (WHERE error_code IS NULL) AS last_done,
        arg_max(principal, event_time) FILTER (WHERE error_code IS NULL) AS last_done_by,
        max(event_time) FILTER (WHERE error_code IS NULL) AS last_done_at,
        arg_max(event_name, event_time) AS last_name,
        arg_max(principal, event_time) AS last_by,
        arg_max(error_code, event_time) AS last_error,
        arg_max(account_id, event_time) AS account,
        arg_max(aws_region, event_time) AS region,
        min(event_time) AS first_seen, max(event_time) AS last_seen,
        list(event_id ORDER BY event_time, event_id) AS event_ids
    FROM named GROUP BY trail
)
SELECT trail AS resource, coalesce(last_done_by, last_by) AS principal, 'alarm' AS status,
    CASE WHEN done > 0 THEN 'high' ELSE 'medium' END AS severity,
    CASE WHEN done > 0
             THEN last_done || ' by ' || coalesce(last_done_by, 'an unknown caller') || ' at ' || strftime(last_done_at, '%Y-%m-%dT%H:%M:%SZ')
                  || CASE WHEN done > 1 THEN ' (' || done || ' changes to logging since ' || strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') || ')' ELSE '' END
                  || CASE WHEN denied > 0 THEN '; ' || denied || CASE WHEN denied = 1 THEN ' denied attempt' ELSE ' denied attempts' END ELSE '' END
         ELSE denied || CASE WHEN denied = 1 THEN ' denied attempt' ELSE ' denied attempts' END || ' to change logging, the last a '
                  || last_name || ' by ' || coalesce(last_by, 'an unknown caller') || ' at ' || strftime(last_seen, '%Y-%m-%dT%H:%M:%SZ')
                  || ' (' || last_error || ')' END AS reason,
    account, region, first_seen, last_seen, first_seen AS window_start, last_seen AS window_end,
    {'stopLogging': stop_logging, 'deleteTrail': delete_trail, 'updateTrail': update_trail,
     'putEventSelectors': put_event_selectors, 'denied': denied} AS counts,
    event_ids
FROM per_trail
