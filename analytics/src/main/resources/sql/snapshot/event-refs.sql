-- event_refs (event_id, arn, resolved): every (event, secret) pair of the events up to asOf, the secret
-- under its final key (keymap_all). Parameter 1: asOf.
CREATE OR REPLACE TEMP TABLE event_refs AS
SELECT DISTINCT es.event_id, km.arn, km.resolved
FROM event_secrets es JOIN keymap_all km ON km.key = es.secret_key
WHERE es.event_id IN (SELECT event_id FROM events WHERE event_time <= ?)
