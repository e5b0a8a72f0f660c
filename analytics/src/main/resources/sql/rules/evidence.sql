-- Appended to a rule's WITH (params, findings) when the rule returns event_ids: numbers the findings (n)
-- and gathers, per finding, the events it decided on (fe) and what they show (info), the kinds of its callers
-- from the snapshot's caller_kinds.
, n AS (SELECT row_number() OVER () AS fid, * FROM findings),
fe AS (SELECT DISTINCT fid, event_id FROM (SELECT fid, unnest(event_ids) AS event_id FROM n)),
info AS (
    SELECT fe.fid, count(*) AS events,
        list_sort(list_distinct(list(e.source_ip))) AS ips,
        list_sort(list_distinct(list(e.user_agent))) AS agents,
        list(e.event_id ORDER BY e.event_time, e.event_id) AS ids,
        -- the sessions behind the events: name (last part of the assumed-role ARN), source identity,
        -- access key, VPC endpoint; NULL fields drop out of the JSON, so a call outside any session adds none
        list_sort(list_distinct(list(CASE WHEN coalesce(e.session_arn, e.access_key_id, e.vpc_endpoint_id) IS NOT NULL
            THEN json_object(
            'sessionName', nullif(regexp_extract(e.session_arn, 'assumed-role/[^/]+/(.+)$', 1), ''),
            'sourceIdentity', e.source_identity,
            'accessKeyId', e.access_key_id,
            'vpcEndpointId', e.vpc_endpoint_id)::VARCHAR END))) AS sessions,
        list_sort(list_distinct(list(coalesce(k.kind, 'unknown')))) AS kinds
    FROM fe JOIN evidence_events e ON e.event_id = fe.event_id
    LEFT JOIN caller_kinds k ON k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)
    GROUP BY fe.fid
)
