-- logging-stopped: CloudTrail's own StopLogging / DeleteTrail / UpdateTrail / PutEventSelectors calls
-- (trail_changes) up to as_of. Each call is a hit on its trail; incidents are grouped per subject in
-- sql/rules/incidents.sql (calls less than quiet_hours apart are one incident). The trail is the ARN the
-- response names, else the name or ARN the request gave (a bare name is made an ARN in the caller's
-- account and region; an ARN is taken as given, its account the trail's). The subject is the trail, except
-- for a denied call on a trail that no successful call names: any identity may be refused on made-up names,
-- one per call, so those calls are one subject per principal (its resource the principal), whatever the names.
-- An incident is high when at least one of its calls succeeded, medium when all were denied.
WITH changes AS (
    SELECT event_id, event_time, event_name, error_code, principal, account_id, aws_region,
        requested_trail AS requested, trail_arn AS arn
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
subjects AS (
    SELECT n.*,
        n.error_code IS NOT NULL AND n.arn IS NULL
            AND n.trail NOT IN (SELECT trail FROM named WHERE error_code IS NULL) AS unnamed_trail
    FROM named n
),
marked AS (
    SELECT *, CASE WHEN unnamed_trail THEN coalesce(principal, '(unknown caller)') ELSE trail END AS subject,
        -- a trail's incident is in the trail's account and region (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME),
        -- another account's when the request named its ARN; a principal's in the caller's
        CASE WHEN unnamed_trail THEN account_id ELSE coalesce(nullif(split_part(trail, ':', 5), ''), account_id) END AS trail_account,
        CASE WHEN unnamed_trail THEN aws_region ELSE coalesce(nullif(split_part(trail, ':', 4), ''), aws_region) END AS trail_region
    FROM subjects
),
hits AS (
    SELECT subject, event_time AS hit_at, event_time AS window_start, NULL::BIGINT AS arrival, 1 AS score,
        CASE WHEN error_code IS NULL THEN 'high' ELSE 'medium' END AS severity
    FROM marked
),
--@incidents
per_trail AS (
    SELECT h.severity, h.subject, h.first_hit, h.last_hit, h.hit_count, h.state,
        count(*) FILTER (WHERE c.error_code IS NULL) AS done,
        count(*) FILTER (WHERE c.error_code IS NOT NULL) AS denied,
        count(*) FILTER (WHERE c.error_code IS NULL AND c.event_name = 'StopLogging') AS stop_logging,
        count(*) FILTER (WHERE c.error_code IS NULL AND c.event_name = 'DeleteTrail') AS delete_trail,
        count(*) FILTER (WHERE c.error_code IS NULL AND c.event_name = 'UpdateTrail') AS update_trail,
        count(*) FILTER (WHERE c.error_code IS NULL AND c.event_name = 'PutEventSelectors') AS put_event_selectors,
        arg_max(c.event_name, c.event_time) FILTER (WHERE c.error_code IS NULL) AS last_done,
        arg_max(c.principal, c.event_time) FILTER (WHERE c.error_code IS NULL) AS last_done_by,
        max(c.event_time) FILTER (WHERE c.error_code IS NULL) AS last_done_at,
        arg_max(c.event_name, c.event_time) AS last_name,
        arg_max(c.principal, c.event_time) AS last_by,
        arg_max(c.error_code, c.event_time) AS last_error,
        arg_max(c.trail_account, c.event_time) AS account,
        bool_or(c.unnamed_trail) AS rolled_up,
        count(DISTINCT c.trail) AS trails,
        arg_max(c.trail, c.event_time) AS last_trail,
        arg_max(c.trail_region, c.event_time) AS region,
        min(c.event_time) AS first_seen, max(c.event_time) AS last_seen,
        list(c.event_id ORDER BY c.event_time, c.event_id) AS event_ids
    FROM incidents_worst h JOIN marked c ON c.subject = h.subject AND c.event_time BETWEEN h.first_hit AND h.last_hit
    GROUP BY ALL
)
SELECT subject AS resource, coalesce(last_done_by, last_by) AS principal, 'alarm' AS status,
    CASE WHEN done > 0 THEN 'high' ELSE 'medium' END AS severity,
    CASE WHEN done > 0
             THEN last_done || ' by ' || coalesce(last_done_by, 'an unknown caller') || ' at ' || strftime(last_done_at, '%Y-%m-%dT%H:%M:%SZ')
                  || CASE WHEN done > 1 THEN ' (' || done || ' changes to logging since ' || strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') || ')' ELSE '' END
                  || CASE WHEN denied > 0 THEN '; ' || denied || CASE WHEN denied = 1 THEN ' denied attempt' ELSE ' denied attempts' END ELSE '' END
         WHEN rolled_up
             THEN denied || CASE WHEN denied = 1 THEN ' denied attempt' ELSE ' denied attempts' END || ' to change logging on '
                  || trails || CASE WHEN trails = 1 THEN ' trail' ELSE ' trails' END || ' no successful call names, the last a '
                  || last_name || ' of ' || last_trail || ' by ' || coalesce(last_by, 'an unknown caller') || ' at '
                  || strftime(last_seen, '%Y-%m-%dT%H:%M:%SZ') || ' (' || last_error || ')'
         ELSE denied || CASE WHEN denied = 1 THEN ' denied attempt' ELSE ' denied attempts' END || ' to change logging, the last a '
                  || last_name || ' by ' || coalesce(last_by, 'an unknown caller') || ' at ' || strftime(last_seen, '%Y-%m-%dT%H:%M:%SZ')
                  || ' (' || last_error || ')' END AS reason,
    account, region, first_seen, last_seen, first_seen AS window_start, last_seen AS window_end,
    {'stopLogging': stop_logging, 'deleteTrail': delete_trail, 'updateTrail': update_trail,
     'putEventSelectors': put_event_selectors, 'denied': denied, 'trails': trails} AS counts,
    event_ids,
    subject, first_hit, last_hit, hit_count, state
FROM per_trail
