-- Per (secret, principal), the reads this month to asOf (read_refs: a batch and the entries it generated are
-- one read) and the caller instances (source IP, user agent) that made them, where the reads exceed
-- maxReadsPerHour on average. Reads by a caller already behind a cache (kind caching in the snapshot's
-- caller_kinds: an agent, a caching library, the CSI provider) are left out, so such a caller is never told
-- to add one; its other, uncached callers still count.
-- Parameters: asOf, month start, maxReadsPerHour, hours since month start.
SELECT r.arn, r.principal, count(*) AS reads,
    count(DISTINCT (coalesce(e.source_ip, ''), coalesce(e.user_agent, ''))) AS instances
FROM read_refs r JOIN events e USING (event_id)
LEFT JOIN caller_kinds k ON k.user_agent = coalesce(e.user_agent, '') AND k.invoked_by = caller_service(e.principal)
WHERE coalesce(k.kind, 'unknown') <> 'caching'
  AND r.event_time <= ? AND r.event_time >= ? AND r.principal IS NOT NULL
GROUP BY ALL HAVING count(*) > ? * ?
ORDER BY reads DESC
