-- The access ledger: per (secret, principal), the API calls up to asOf, with the top clients (source IP,
-- user agent) by calls and the rest folded together, and the kinds of all its callers (the snapshot's
-- caller_kinds), optionally filtered by secret and principal.
-- Parameters: $1 asOf, $2 top clients, $3 secret (ARN, ARN without suffix, name or name without suffix;
-- NULL for all), $4 principal (NULL for all).
WITH ev AS (SELECT * FROM events WHERE event_time <= $1),
clients AS (
    SELECT r.arn AS secret, coalesce(e.principal, 'unknown') AS principal, e.source_ip, e.user_agent,
        coalesce(k.kind, 'unknown') AS kind,
        count(*) AS calls,
        count(*) FILTER (WHERE e.error_code IS NOT NULL) AS errors,
        min(e.event_time) AS first_seen, max(e.event_time) AS last_seen
    FROM event_refs r JOIN ev e USING (event_id)
    LEFT JOIN caller_kinds k ON k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)
    WHERE e.event_type = 'AwsApiCall'
    GROUP BY ALL
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY secret, principal
        ORDER BY calls DESC, coalesce(source_ip, ''), coalesce(user_agent, '')) <= $2 AS top
    FROM clients
),
ledger AS (
    SELECT secret, principal, sum(calls)::BIGINT AS calls, sum(errors)::BIGINT AS errors,
        min(first_seen) AS first_seen, max(last_seen) AS last_seen,
        array_sort(list(DISTINCT source_ip) FILTER (WHERE top AND source_ip IS NOT NULL)) AS ips,
        array_sort(list(DISTINCT user_agent) FILTER (WHERE top AND user_agent IS NOT NULL)) AS agents,
        count(*) FILTER (WHERE NOT top) AS other_clients,
        coalesce(sum(calls) FILTER (WHERE NOT top), 0)::BIGINT AS other_calls,
        array_sort(list(DISTINCT kind)) AS kinds
    FROM ranked GROUP BY secret, principal
)
SELECT * FROM ledger
WHERE (CAST($3 AS VARCHAR) IS NULL OR $3 IN (secret, regexp_replace(secret, '-[A-Za-z0-9]{6}$', ''),
       split_part(secret, ':', 7), regexp_replace(split_part(secret, ':', 7), '-[A-Za-z0-9]{6}$', '')))
  AND (CAST($4 AS VARCHAR) IS NULL OR principal = $4)
ORDER BY secret, principal
