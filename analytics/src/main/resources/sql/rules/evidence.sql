-- Appended to a rule's WITH (params, findings) when the rule returns event_ids: numbers the findings (n)
-- and gathers, per finding, the events it decided on (fe) and what they show (info).
, n AS (SELECT row_number() OVER () AS fid, * FROM findings),
fe AS (SELECT DISTINCT fid, event_id FROM (SELECT fid, unnest(event_ids) AS event_id FROM n)),
info AS (
    SELECT fe.fid, count(*) AS events,
        list_sort(list_distinct(list(e.source_ip))) AS ips,
        list_sort(list_distinct(list(e.user_agent))) AS agents,
        list(e.event_id ORDER BY e.event_time, e.event_id) AS ids
    FROM fe JOIN evidence_events e ON e.event_id = fe.event_id
    GROUP BY fe.fid
)
