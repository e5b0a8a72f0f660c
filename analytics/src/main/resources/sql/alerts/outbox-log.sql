-- The delivery log of one webhook ($1), newest first, at most $2 rows.
SELECT delivery_id, message_id, kind, rule, severity, resource, status, attempts, last_status, last_error, latency_ms,
    created_at, delivered_at, next_attempt_at, digest_id
FROM webhook_outbox
WHERE webhook = $1
ORDER BY created_at DESC, delivery_id
LIMIT $2
