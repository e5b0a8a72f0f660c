-- The outcome of one attempt on delivery $8; a null next attempt ($3) keeps the one recorded.
UPDATE webhook_outbox
SET status = $1, attempts = $2, next_attempt_at = coalesce($3, next_attempt_at), last_status = $4,
    last_error = $5, latency_ms = $6, delivered_at = $7
WHERE delivery_id = $8
