-- Per account and region, the calls up to asOf to names not tracked one by one (see the keymap_all view),
-- and how many names. Parameter 1: asOf.
SELECT coalesce(es.account, ''), coalesce(es.region, ''), count(DISTINCT es.event_id), count(DISTINCT es.secret_key)
FROM event_secrets es
WHERE es.event_time <= ? AND es.secret_key NOT IN (SELECT key FROM keymap_all)
GROUP BY ALL ORDER BY 1, 2
