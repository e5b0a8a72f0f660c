-- The deliveries of one webhook ($1) that are due at $2, oldest first.
SELECT delivery_id, message_id, kind, payload, created_at, attempts
FROM webhook_outbox
WHERE webhook = $1 AND status = 'pending' AND next_attempt_at <= $2
ORDER BY created_at, delivery_id
