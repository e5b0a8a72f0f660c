-- deleted-secret-access: calls refused because the secret was marked for deletion; one finding per
-- (secret, principal).
SELECT r.arn AS resource, e.principal, 'alarm' AS status,
    count(*) || (CASE WHEN count(*) = 1 THEN ' attempt' ELSE ' attempts' END) || ' ('
        || array_to_string(list_sort(list(DISTINCT e.event_name)), ', ')
        || ') to use the secret after it was marked for deletion' AS reason,
    account_of(r.arn) AS account, split_part(r.arn, ':', 4) AS region,
    min(e.event_time) AS first_seen, max(e.event_time) AS last_seen,
    min(e.event_time) AS window_start, max(e.event_time) AS window_end,
    {'attempts': count(*)} AS counts, list(e.event_id) AS event_ids
FROM events e JOIN event_refs r USING (event_id)
WHERE e.event_time <= (SELECT as_of FROM params) AND e.error_message ILIKE '%marked for deletion%'
GROUP BY r.arn, e.principal
