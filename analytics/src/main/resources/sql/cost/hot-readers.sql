-- Per (secret, principal), the reads this month to asOf and the caller instances (source IP, user agent)
-- that made them, where the reads exceed maxReadsPerHour on average. Reads by a caller already behind a
-- cache (kind caching in the snapshot's caller_kinds: an agent, a caching library, the CSI provider) are
-- left out, so such a caller is never told to add one; its other, uncached callers still count.
-- Parameters: asOf, month start, maxReadsPerHour, hours since month start.
WITH ev AS (SELECT * FROM events WHERE event_time <= ?)
SELECT r.arn, e.principal, count(*) AS reads,
    count(DISTINCT (coalesce(e.source_ip, ''), coalesce(e.user_agent, ''))) AS instances
FROM event_refs r JOIN ev e USING (event_id)
LEFT JOIN caller_kinds k ON k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)
WHERE coalesce(k.kind, 'unknown') <> 'caching' AND e.event_type = 'AwsApiCall' AND e.event_name IN ('GetSecretValue', 'BatchGetSecretValue')
  AND e.event_time >= ? AND e.principal IS NOT NULL
GROUP BY ALL HAVING count(*) > ? * ?
ORDER BY reads DESC
