-- A pending delivery ($2) folded into the digest delivery $1; one already sent or digested is left alone.
UPDATE webhook_outbox SET status = 'digested', digest_id = $1
WHERE delivery_id = $2 AND status = 'pending'
