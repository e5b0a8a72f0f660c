-- detections.ignore: the events a detection reads, less those of the (principal, caller kind) pairs
-- configured to be ignored (params.ignore_principals[i] with params.ignore_kinds[i]). Put in front of the
-- rule as a CTE named events, so the rule and its evidence both read it.
SELECT e.* FROM main.events e
LEFT JOIN caller_kinds k ON k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)
WHERE NOT EXISTS (
    SELECT 1 FROM (SELECT unnest(ignore_principals) AS principal, unnest(ignore_kinds) AS kind FROM params) i
    WHERE i.principal = e.principal AND i.kind = coalesce(k.kind, 'unknown'))
