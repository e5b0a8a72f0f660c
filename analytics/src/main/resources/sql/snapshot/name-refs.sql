-- name_refs (event_id, name, account, region): every (event, name) pair up to asOf whose name is never
-- confirmed to exist (not confirmed in secret_facts), including the names the store does not track one
-- by one. Parameter 1: asOf.
CREATE OR REPLACE TEMP TABLE name_refs AS
SELECT DISTINCT es.event_id, coalesce(km.arn, es.secret_key) AS name, es.account, es.region
FROM event_secrets es LEFT JOIN keymap_all km ON km.key = es.secret_key
WHERE es.event_time <= ? AND coalesce(km.arn, es.secret_key) NOT IN (SELECT arn FROM secret_facts WHERE confirmed)
